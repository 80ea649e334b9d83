import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccessAtAnswer, Actor, GrantEvidence, Scope } from '@accord/contracts';
import { ScopeDto } from '../accesses/access.dto';

// OpenAPI shapes of the access-history answer (`AccessAtAnswer` in contracts).

export class EvidenceActorDoc implements Actor {
  @ApiProperty({ description: 'Who caused the event' }) readonly userId!: string;
  @ApiProperty({ enum: ['session', 'api_token', 'delegation', 'impersonation', 'system'] })
  readonly via!: Actor['via'];
  @ApiPropertyOptional({ description: 'The API token it was done with' }) readonly tokenId?: string;
  @ApiPropertyOptional({ description: 'The platform admin impersonating the user' }) readonly impersonatorId?: string;
}

export class GrantEvidenceDoc implements GrantEvidence {
  @ApiProperty() readonly eventId!: string;
  @ApiProperty({ example: 'RoleChanged' }) readonly type!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty({ type: EvidenceActorDoc }) readonly actor!: EvidenceActorDoc;
  @ApiProperty({
    description:
      'The fact the event set: "role accountant", "permissions", "custom role analyst defined", "owner by transfer", ' +
      '"member", "removed from the account", "scope restricted to billing account …"',
    example: 'role accountant',
  })
  readonly what!: string;
}

export class AccessAtAnswerDoc implements AccessAtAnswer {
  @ApiProperty() readonly allowed!: boolean;
  @ApiProperty({
    description: 'The reason the authorization check gives for the account as it stood at `at`',
    example: 'role accountant',
  })
  readonly reason!: string;
  @ApiProperty({ format: 'date-time', description: 'The instant asked about, in UTC' }) readonly at!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The role at `at`; null when not a member' })
  readonly role!: string | null;
  @ApiProperty({ type: ScopeDto, nullable: true, description: 'The scope at `at`; null when not a member' })
  readonly scope!: Scope | null;
  @ApiProperty({
    type: [GrantEvidenceDoc],
    description:
      'The events the answer rests on: for an allowance the grants; for a former member the event that ended the ' +
      'membership; for a scope denial the event that set the scope; otherwise empty',
  })
  readonly grants!: GrantEvidenceDoc[];
}
