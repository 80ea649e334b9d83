import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  notFound,
  streams,
  type AcceptByTokenPayload,
  type AcceptInvitationPayload,
  type AccessSharedResult,
  type ChangeInvitationSettingsPayload,
  type CommandMetadata,
  type CommandResult,
  type DeclineInvitationPayload,
  type InvitationAcceptedResult,
  type InvitationAdminPayload,
  type InvitationChangedResult,
  type InvitationEvent,
  type InvitationSettingsResult,
  type ShareAccessPayload,
} from '@accord/contracts';
import { handleCommand, type EventStore } from '@accord/eventstore';
import { DEFAULT_DAILY_INVITATION_LIMIT, accessDecider, type AccessCommand, type AccessState } from '@accord/invitation-domain';
import { isWellFormedLinkToken, newInvitationLink, tokenHash } from '@accord/invitation-links';
import { EVENT_STORE, awaitPosition, derivedEventId, lookUpFresh, randomEventId } from '@accord/runtime';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';

const linkInvalid = () => notFound('invitation.link_invalid', 'This invitation link is not valid. Ask the account owner to send a new one.');
const invitationNotFound = () => notFound('invitation.not_found', 'No such invitation for you.');

/** Use cases of an account's Accesses and Invitations (stream `access-<accountId>`). */
@Injectable()
export class InvitationCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INVITATION_OPTIONS) private readonly options: InvitationServiceOptions,
    private readonly queries: InvitationQueries,
    private readonly readModel: InvitationReadModel,
  ) {}

  async shareAccess(payload: ShareAccessPayload, metadata: CommandMetadata): Promise<AccessSharedResult> {
    const accessId = randomUUID();
    // Only the link's nonce and hash reach the event; the notification service re-derives the token.
    const recipients = payload.recipients.map((email) => {
      const { nonce, tokenHash: hash } = newInvitationLink(this.options.linkKey);
      return { invitationId: randomUUID(), email, link: { nonce, tokenHash: hash } };
    });
    const result = await this.decide(payload.accountId, metadata, {
      type: 'ShareAccess',
      data: {
        accessId,
        accountId: payload.accountId,
        name: payload.name,
        accessType: payload.type,
        scope: payload.scope,
        role: payload.role,
        recipients,
        message: payload.message ?? null,
        sharedBy: metadata.actor.userId,
        memberEmails: await this.queries.memberEmails(payload.accountId),
        dailyLimit: this.options.dailyInvitationLimit ?? DEFAULT_DAILY_INVITATION_LIMIT,
        now: metadata.now,
      },
    });
    const invitations = recipients.map((r) => result.state.invitations[r.invitationId]!);
    return {
      id: accessId,
      invitations: invitations.map((i) => ({ id: i.invitationId, email: i.email, status: i.status })),
      expiresAt: invitations[0]!.expiresAt,
      position: result.position,
    };
  }

  async acceptInvitation(payload: AcceptInvitationPayload, metadata: CommandMetadata, minPosition?: number): Promise<InvitationAcceptedResult> {
    const accountId = await this.locate(payload.invitationId, minPosition);
    const result = await this.decide(accountId, metadata, {
      type: 'AcceptInvitation',
      data: { invitationId: payload.invitationId, person: payload.person, now: metadata.now },
    });
    return this.changed(payload.invitationId, accountId, result);
  }

  async acceptByToken(payload: AcceptByTokenPayload, metadata: CommandMetadata): Promise<InvitationAcceptedResult> {
    // Shape first: a malformed token never costs a look-up (and gets the same answer as any other).
    if (!isWellFormedLinkToken(payload.token)) throw linkInvalid();
    const hash = tokenHash(payload.token);
    const link = await lookUpFresh(this.readModel, () => this.queries.byTokenHash(hash), (found) => found !== null);
    if (!link) throw linkInvalid();
    const result = await this.decide(link.accountId, metadata, {
      type: 'AcceptByToken',
      data: { tokenHash: hash, person: payload.person, now: metadata.now },
    });
    return this.changed(link.invitationId, link.accountId, result);
  }

  async declineInvitation(payload: DeclineInvitationPayload, metadata: CommandMetadata, minPosition?: number): Promise<InvitationChangedResult> {
    const accountId = await this.locate(payload.invitationId, minPosition);
    const result = await this.decide(accountId, metadata, {
      type: 'DeclineInvitation',
      data: { invitationId: payload.invitationId, person: payload.person, now: metadata.now },
    });
    return this.changed(payload.invitationId, accountId, result);
  }

  async resendInvitation(payload: InvitationAdminPayload, metadata: CommandMetadata): Promise<InvitationChangedResult> {
    const { nonce, tokenHash: hash } = newInvitationLink(this.options.linkKey);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'ResendInvitation',
      data: { invitationId: payload.invitationId, link: { nonce, tokenHash: hash }, resentBy: metadata.actor.userId, now: metadata.now },
    });
    return this.changed(payload.invitationId, payload.accountId, result);
  }

  async revokeInvitation(payload: InvitationAdminPayload, metadata: CommandMetadata): Promise<InvitationChangedResult> {
    const result = await this.decide(payload.accountId, metadata, {
      type: 'RevokeInvitation',
      data: { invitationId: payload.invitationId, revokedBy: metadata.actor.userId, now: metadata.now },
    });
    return this.changed(payload.invitationId, payload.accountId, result);
  }

  async changeSettings(payload: ChangeInvitationSettingsPayload, metadata: CommandMetadata): Promise<InvitationSettingsResult> {
    const result = await this.decide(payload.accountId, metadata, {
      type: 'ChangeInvitationSettings',
      data: { accountId: payload.accountId, expiryHours: payload.expiryHours, changedBy: metadata.actor.userId },
    });
    return { accountId: payload.accountId, expiryHours: result.state.expiryHours, position: result.position };
  }

  /** Scheduler: mark one invitation expired if it still is pending past its expiry. */
  async expire(accountId: string, invitationId: string, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(accountId, metadata, { type: 'ExpireInvitation', data: { invitationId, now: metadata.now } });
    return { position: result.position };
  }

  /** Reaction to MemberRemoved: revoke what the removed member sent (ids derive from the cause). */
  async revokeInvitationsOf(accountId: string, inviterId: string, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(accountId, metadata, {
      type: 'RevokeInvitationsOfInviter',
      data: { inviterId, revokedBy: metadata.actor.userId, now: metadata.now },
    });
    return { position: result.position };
  }

  private decide(accountId: string, metadata: CommandMetadata, command: AccessCommand) {
    return handleCommand(this.store, command, {
      streamId: streams.access(accountId),
      decider: accessDecider,
      metadata,
      eventId: metadata.causationId ? derivedEventId(metadata.causationId) : randomEventId,
    });
  }

  /** The account whose stream holds the invitation, from the read model (caught up before "no"). */
  private async locate(invitationId: string, minPosition?: number): Promise<string> {
    await awaitPosition(this.readModel, minPosition);
    const accountId = await lookUpFresh(this.readModel, () => this.queries.accountOfInvitation(invitationId), Boolean);
    if (!accountId) throw invitationNotFound();
    return accountId;
  }

  private changed(
    invitationId: string,
    accountId: string,
    result: { state: AccessState; position: number; events: readonly InvitationEvent[] },
  ): InvitationChangedResult & InvitationAcceptedResult {
    const invitation = result.state.invitations[invitationId];
    if (!invitation) throw invitationNotFound();
    // Seed 000: accepting an access of type API token earns the recipient a token with the access's
    // scope. Only the call that accepted says so, so a repeated accept never mints a second token.
    const accepted = result.events.find((e) => e.type === 'InvitationAccepted');
    const issueApiToken =
      accepted?.type === 'InvitationAccepted' && accepted.data.accessType === 'api_token'
        ? { accessId: accepted.data.accessId, scope: accepted.data.scope }
        : undefined;
    return { invitationId, accountId, status: invitation.status, expiresAt: invitation.expiresAt, position: result.position, ...(issueApiToken ? { issueApiToken } : {}) };
  }
}
