import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Max, Min } from 'class-validator';
import {
  LIMITS,
  ROLES,
  type InvitationAcceptedResult,
  type InvitationChangedResult,
  type InvitationLinkView,
  type InvitationOfferView,
  type InvitationSettingsResult,
  type InvitationStatus,
  type MyInvitationView,
  type Role,
  type Scope,
} from '@accord/contracts';
import { AccessGrantDoc, INVITATION_STATUSES, ScopeDto } from '../accesses/access.dto';

export class MyInvitationDoc extends AccessGrantDoc implements MyInvitationView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({ description: 'The name of the account invited to (never the access’s name)' })
  readonly accountName!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    format: 'email',
    description: 'E-mail of the owner who sent the invitation',
  })
  readonly inviterEmail!: string | null;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ enum: INVITATION_STATUSES }) readonly status!: InvitationStatus;
  @ApiProperty({ type: String, nullable: true, description: "The sharer's message" }) readonly message!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

export class InvitationAcceptedDoc implements InvitationAcceptedResult {
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({ enum: INVITATION_STATUSES }) readonly status!: InvitationStatus;
  @ApiProperty({ description: 'Store position: pass as ?minPosition= to read your write' }) readonly position!: number;
}

/**
 * What a recipient sees of an invitation, field by field: never the access name (INV-4: the
 * name is the sharer's own label), even if a service were to send more.
 */
export function myInvitation(view: MyInvitationView): MyInvitationView {
  return { id: view.id, status: view.status, ...offerSeen(view) };
}

/** What an invitation link shows, field by field (INV-14, INV-25): never the access name (INV-4). */
export function invitationLink(view: InvitationLinkView): InvitationLinkView {
  return { invitationId: view.invitationId, ...offerSeen(view) };
}

/** The offer's own fields and nothing else a service might have sent beside them. */
function offerSeen(view: InvitationOfferView): InvitationOfferView {
  return {
    accountId: view.accountId,
    accountName: view.accountName,
    inviterEmail: view.inviterEmail,
    role: view.role,
    scope: view.scope,
    permissions: view.permissions,
    mayCreateEnvironments: view.mayCreateEnvironments,
    message: view.message,
    expiresAt: view.expiresAt,
  };
}

export class AcceptByTokenDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'The token from the invitation link (inv_…)' })
  @IsString()
  @Length(1, 200)
  readonly token!: string;
}

export class InvitationSettingsDto {
  @ApiProperty({
    minimum: LIMITS.invitationExpiryHours.min,
    maximum: LIMITS.invitationExpiryHours.max,
    description: 'How long invitation links stay valid, in hours (1 hour to 30 days)',
  })
  @IsInt()
  @Min(LIMITS.invitationExpiryHours.min)
  @Max(LIMITS.invitationExpiryHours.max)
  readonly expiryHours!: number;
}

export class InvitationChangedDoc implements InvitationChangedResult {
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty({ enum: INVITATION_STATUSES }) readonly status!: InvitationStatus;
  @ApiProperty({ format: 'date-time', required: false }) readonly expiresAt?: string;
  @ApiProperty() readonly position!: number;
}

export class InvitationSettingsDoc implements InvitationSettingsResult {
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty() readonly expiryHours!: number;
  @ApiProperty() readonly position!: number;
}

export class InvitationLinkDoc extends AccessGrantDoc implements InvitationLinkView {
  @ApiProperty({ format: 'uuid' }) readonly invitationId!: string;
  @ApiProperty({ format: 'uuid' }) readonly accountId!: string;
  @ApiProperty() readonly accountName!: string;
  @ApiProperty({ type: String, nullable: true, format: 'email' }) readonly inviterEmail!: string | null;
  @ApiProperty({ enum: ROLES }) readonly role!: Role;
  @ApiProperty({ type: ScopeDto }) readonly scope!: Scope;
  @ApiProperty({ type: String, nullable: true }) readonly message!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}
