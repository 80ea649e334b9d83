import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor, AuditLogEntry } from '@accord/contracts';

/** OpenAPI shape of an event's actor. */
export class AuditActorDoc implements Actor {
  @ApiProperty() readonly userId!: string;
  @ApiProperty({ enum: ['session', 'api_token', 'delegation', 'impersonation', 'system'] })
  readonly via!: Actor['via'];
  @ApiPropertyOptional({ description: 'The API token it acted through (`via: api_token`)' }) readonly tokenId?: string;
  @ApiPropertyOptional({ description: 'The platform admin acting as the user (`via: impersonation`)' })
  readonly impersonatorId?: string;
}

/** OpenAPI shape of one audit log entry. */
export class AuditLogEntryDoc implements AuditLogEntry {
  @ApiProperty({ format: 'uuid', description: 'The event id' }) readonly id!: string;
  @ApiProperty({ example: 'RoleChanged' }) readonly type!: string;
  @ApiProperty({ format: 'date-time' }) readonly occurredAt!: string;
  @ApiProperty({ type: AuditActorDoc }) readonly actor!: Actor;
  @ApiProperty({ example: "olivia@example.com changed mike@example.com's role from accountant to administrator" })
  readonly sentence!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The event's data without secrets" })
  readonly data!: unknown;
}

/** OpenAPI shape of an audit log page. */
export class AuditLogPageDoc {
  @ApiProperty({ type: [AuditLogEntryDoc], description: 'Newest first' }) readonly entries!: AuditLogEntryDoc[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next (older) page; null on the last page',
  })
  readonly next!: string | null;
}
