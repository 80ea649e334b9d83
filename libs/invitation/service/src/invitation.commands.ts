import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  invalid,
  notFound,
  streams,
  subjects,
  type AcceptByTokenPayload,
  type AcceptInvitationPayload,
  type AccessSharedResult,
  type ChangeInvitationSettingsPayload,
  type CommandMetadata,
  type CommandResult,
  type DeclineInvitationPayload,
  type GrantCheck,
  type GrantFacts,
  type GrantFactsPayload,
  type InvitationAcceptedResult,
  type InvitationAdminPayload,
  type InvitationChangedResult,
  type InvitationEvent,
  type InvitationSettingsResult,
  type Person,
  type ShareAccessPayload,
  type AccessRefPayload,
  type AccessRenamedResult,
  type AccessRevokedResult,
  type AddRecipientsPayload,
  type RenameAccessPayload,
} from '@accord/contracts';
import { commandHandlerFor, foldStream, type CommandHandlerOf, type EventStore } from '@accord/eventstore';
import {
  DEFAULT_DAILY_INVITATION_LIMIT,
  accessDecider,
  apiTokenOwed,
  sendersOf,
  type AccessState,
  type ActorRights,
  type Invitation,
  type RevokeInvitationsOfClosedAccount,
  type RevokeInvitationsOfDeletedBillingAccount,
  type RevokeInvitationsOfInviter,
} from '@accord/invitation-domain';
import { isWellFormedLinkToken, newInvitationLink, tokenHash } from '@accord/invitation-links';
import { askQuery, REQUEST_CLIENT, type RequestClient } from '@accord/messaging';
import { EVENT_STORE, awaitPosition, lookUpFresh } from '@accord/service-kit';
import { INVITATION_OPTIONS, type InvitationServiceOptions } from './invitation-options';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';
import { requirePerson, requireRecipients, requireShareShape, requireUserId, requireUuid } from './payload-shape';

/** The commands reactions issue to revoke invitations on someone else's event. */
type RevocationByReaction =
  RevokeInvitationsOfInviter | RevokeInvitationsOfClosedAccount | RevokeInvitationsOfDeletedBillingAccount;

const linkInvalid = () =>
  notFound('invitation.link_invalid', 'This invitation link is not valid. Ask the account owner to send a new one.');
const invitationNotFound = () => notFound('invitation.not_found', 'No such invitation for you.');

/** What the membership service knows about one user in one account, as the decider needs it. */
interface MembershipFacts {
  readonly rights: ActorRights;
  readonly billingAccountIds: readonly string[];
  /** INV-26: present when permissions to grant were asked about. */
  readonly grant?: GrantCheck;
}

/**
 * Use cases of an account's Accesses and Invitations (stream `access-<accountId>`). SEC-10b:
 * the owner rules are decided in the Access decider from facts the membership service
 * gives here, never from the gateway's word.
 */
@Injectable()
export class InvitationCommands {
  /** Stream `access-<accountId>`; a reaction's event ids derive from its cause. */
  private readonly decide: CommandHandlerOf<typeof accessDecider>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INVITATION_OPTIONS) private readonly options: InvitationServiceOptions,
    @Inject(REQUEST_CLIENT) private readonly requests: RequestClient,
    private readonly queries: InvitationQueries,
    private readonly readModel: InvitationReadModel,
  ) {
    this.decide = commandHandlerFor(store, { decider: accessDecider, streamOf: streams.access });
  }

  async shareAccess(
    payload: ShareAccessPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<AccessSharedResult> {
    const scope = requireShareShape(payload);
    const sharer = await this.membershipFacts(payload.accountId, metadata, minPosition, payload.permissions);
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
        scope,
        role: payload.role,
        recipients,
        message: payload.message ?? null,
        sharedBy: metadata.actor.userId,
        sharer: sharer.rights,
        billingAccountIds: sharer.billingAccountIds,
        memberEmails: await this.queries.memberEmails(payload.accountId),
        dailyLimit: this.options.dailyInvitationLimit ?? DEFAULT_DAILY_INVITATION_LIMIT,
        now: metadata.now,
        ...(sharer.grant === undefined ? {} : { grant: sharer.grant }),
        ...(payload.mayCreateEnvironments === true ? { mayCreateEnvironments: true } : {}),
        ...(payload.accessExpiresAt === undefined ? {} : { accessExpiresAt: payload.accessExpiresAt }),
      },
    });
    const invitations = recipients.map((r) => result.state.invitations.get(r.invitationId)!);
    return {
      id: accessId,
      invitations: invitations.map((i) => ({ id: i.invitationId, email: i.email, status: i.status })),
      expiresAt: invitations[0]!.expiresAt,
      position: result.position,
    };
  }

  async acceptInvitation(
    payload: AcceptInvitationPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<InvitationAcceptedResult> {
    requireUuid(payload.invitationId, 'invitationId');
    const person = requirePerson(payload.person);
    const accountId = await this.locate(payload.invitationId, minPosition);
    const owners = await this.ownersAmongSenders(accountId, (state) => state.invitations.get(payload.invitationId));
    const accountClosed = await this.accountClosed(accountId, person.userId);
    const result = await this.decide(accountId, metadata, {
      type: 'AcceptInvitation',
      data: { invitationId: payload.invitationId, person, owners, now: metadata.now, accountClosed },
    });
    return this.accepted(payload.invitationId, accountId, person, result);
  }

  async acceptByToken(payload: AcceptByTokenPayload, metadata: CommandMetadata): Promise<InvitationAcceptedResult> {
    const person = requirePerson(payload.person);
    // Shape first: a malformed token never costs a look-up (and gets the same answer as any other).
    if (!isWellFormedLinkToken(payload.token)) throw linkInvalid();
    const hash = tokenHash(payload.token);
    const link = await lookUpFresh(
      this.readModel,
      () => this.queries.byTokenHash(hash),
      (found) => found !== null,
    );
    if (!link) throw linkInvalid();
    const owners = await this.ownersAmongSenders(link.accountId, (state) =>
      [...state.invitations.values()].find((i) => i.tokenHash === hash),
    );
    const accountClosed = await this.accountClosed(link.accountId, person.userId);
    const result = await this.decide(link.accountId, metadata, {
      type: 'AcceptByToken',
      data: { tokenHash: hash, person, owners, now: metadata.now, accountClosed },
    });
    return this.accepted(link.invitationId, link.accountId, person, result);
  }

  async declineInvitation(
    payload: DeclineInvitationPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<InvitationChangedResult> {
    requireUuid(payload.invitationId, 'invitationId');
    const person = requirePerson(payload.person);
    const accountId = await this.locate(payload.invitationId, minPosition);
    const result = await this.decide(accountId, metadata, {
      type: 'DeclineInvitation',
      data: { invitationId: payload.invitationId, person, now: metadata.now },
    });
    return this.changed(payload.invitationId, accountId, result);
  }

  async resendInvitation(
    payload: InvitationAdminPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<InvitationChangedResult> {
    requireAdminShape(payload);
    const resender = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const { nonce, tokenHash: hash } = newInvitationLink(this.options.linkKey);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'ResendInvitation',
      data: {
        invitationId: payload.invitationId,
        link: { nonce, tokenHash: hash },
        resentBy: metadata.actor.userId,
        resender: resender.rights,
        now: metadata.now,
      },
    });
    return this.changed(payload.invitationId, payload.accountId, result);
  }

  async revokeInvitation(
    payload: InvitationAdminPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<InvitationChangedResult> {
    requireAdminShape(payload);
    const revoker = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'RevokeInvitation',
      data: {
        invitationId: payload.invitationId,
        revokedBy: metadata.actor.userId,
        revoker: revoker.rights,
        now: metadata.now,
      },
    });
    return this.changed(payload.invitationId, payload.accountId, result);
  }

  async changeSettings(
    payload: ChangeInvitationSettingsPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<InvitationSettingsResult> {
    requireUuid(payload.accountId, 'accountId');
    if (typeof payload.expiryHours !== 'number')
      throw invalid('expiryHours', 'request.invalid', 'expiryHours must be a number.');
    const changer = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'ChangeInvitationSettings',
      data: {
        accountId: payload.accountId,
        expiryHours: payload.expiryHours,
        changedBy: metadata.actor.userId,
        changer: changer.rights,
      },
    });
    return { accountId: payload.accountId, expiryHours: result.state.expiryHours, position: result.position };
  }

  /** INV-27: more recipients for an access, by the rules of a share; one new link each. */
  async addRecipients(
    payload: AddRecipientsPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<AccessSharedResult> {
    requireAccessRef(payload);
    const emails = requireRecipients(payload.recipients);
    const adder = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const recipients = emails.map((email) => {
      const { nonce, tokenHash: hash } = newInvitationLink(this.options.linkKey);
      return { invitationId: randomUUID(), email, link: { nonce, tokenHash: hash } };
    });
    const result = await this.decide(payload.accountId, metadata, {
      type: 'AddRecipients',
      data: {
        accessId: payload.accessId,
        recipients,
        addedBy: metadata.actor.userId,
        adder: adder.rights,
        billingAccountIds: adder.billingAccountIds,
        memberEmails: await this.queries.memberEmails(payload.accountId),
        dailyLimit: this.options.dailyInvitationLimit ?? DEFAULT_DAILY_INVITATION_LIMIT,
        now: metadata.now,
      },
    });
    const invitations = recipients.map((r) => result.state.invitations.get(r.invitationId)!);
    return {
      id: payload.accessId,
      invitations: invitations.map((i) => ({ id: i.invitationId, email: i.email, status: i.status })),
      expiresAt: invitations[0]!.expiresAt,
      position: result.position,
    };
  }

  /** INV-28: the sharer renames their access. */
  async renameAccess(
    payload: RenameAccessPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<AccessRenamedResult> {
    requireAccessRef(payload);
    if (typeof payload.name !== 'string') throw invalid('name', 'request.invalid', 'name must be a string.');
    const renamer = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'RenameAccess',
      data: {
        accessId: payload.accessId,
        name: payload.name,
        renamedBy: metadata.actor.userId,
        renamer: renamer.rights,
      },
    });
    const access = result.state.accesses.get(payload.accessId)!;
    return { id: payload.accessId, name: access.name, position: result.position };
  }

  /** INV-28: an owner revokes an access; its members are removed by the membership service's reaction. */
  async revokeAccess(
    payload: AccessRefPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<AccessRevokedResult> {
    requireAccessRef(payload);
    const revoker = await this.membershipFacts(payload.accountId, metadata, minPosition);
    const result = await this.decide(payload.accountId, metadata, {
      type: 'RevokeAccess',
      data: {
        accessId: payload.accessId,
        revokedBy: metadata.actor.userId,
        revoker: revoker.rights,
        now: metadata.now,
      },
    });
    const access = result.state.accesses.get(payload.accessId)!;
    return { id: payload.accessId, status: access.status, position: result.position };
  }

  /** Expiry scheduler (INV-29): end one access if it is live past its end date. */
  async expireAccess(accountId: string, accessId: string, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(accountId, metadata, {
      type: 'ExpireAccess',
      data: { accessId, now: metadata.now },
    });
    return { position: result.position };
  }

  /** Scheduler: mark one invitation expired if it still is pending past its expiry. */
  async expire(accountId: string, invitationId: string, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(accountId, metadata, {
      type: 'ExpireInvitation',
      data: { invitationId, now: metadata.now },
    });
    return { position: result.position };
  }

  /**
   * A reaction's revocations: an inviter losing the right to invite (SEC-7a), a closed account
   * (MEM-23), a deleted billing account (MEM-26). Event ids derive from the cause, so redelivery
   * appends nothing twice.
   */
  async revokeByReaction(command: RevocationByReaction, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(command.data.accountId, metadata, command);
    return { position: result.position };
  }

  /** MEM-24: whether the membership service knows the account as closed (an accept then joins nobody). */
  private async accountClosed(accountId: string, userId: string): Promise<boolean> {
    return (await this.grantFacts({ accountId, userId })).accountClosed === true;
  }

  /**
   * The acting user's standing in the account, from the membership service (waiting for
   * `minPosition`, so a billing account created just before is known). A refusal or an outage
   * there is this command's answer: without the facts nothing is decided.
   */
  private async membershipFacts(
    accountId: string,
    metadata: CommandMetadata,
    minPosition?: number,
    grant?: readonly string[],
  ): Promise<MembershipFacts> {
    const facts = await this.grantFacts(
      {
        accountId,
        userId: requireUserId(metadata.actor.userId, 'actor.userId'),
        ...(grant === undefined ? {} : { grant }),
      },
      minPosition,
    );
    if (grant !== undefined && facts.grant === undefined) throw new Error('grant facts answered no grant check');
    return {
      rights: {
        member: facts.member === true,
        owner: facts.owner === true,
        accountClosed: facts.accountClosed === true,
      },
      billingAccountIds: facts.billingAccountIds ?? [],
      ...(facts.grant === undefined ? {} : { grant: facts.grant }),
    };
  }

  private grantFacts(payload: GrantFactsPayload, minPosition?: number): Promise<GrantFacts> {
    return askQuery(this.requests, subjects.membership.grantFacts, payload, minPosition);
  }

  /**
   * Which senders of the invitation (sharer and resenders) are still owners, asked just before
   * accepting: closes the window before the inviter-lost-rights reaction revokes what they sent.
   * A sender who becomes a non-owner between this and the append is caught by that reaction.
   */
  private async ownersAmongSenders(
    accountId: string,
    find: (state: AccessState) => Invitation | undefined,
  ): Promise<ReadonlySet<string>> {
    const stored = await this.store.readStream(streams.access(accountId));
    const state = foldStream(accessDecider, stored);
    const invitation = find(state);
    // Nothing to accept (the decider answers why): no need to ask.
    if (!invitation || invitation.status !== 'pending') return new Set();
    const owners = new Set<string>();
    for (const sender of sendersOf(invitation)) {
      const facts = await this.grantFacts({ accountId, userId: sender });
      if (facts.member === true && facts.owner === true) owners.add(sender);
    }
    return owners;
  }

  /** The account whose stream holds the invitation, from the read model (caught up before "no"). */
  private async locate(invitationId: string, minPosition?: number): Promise<string> {
    await awaitPosition(this.readModel, minPosition);
    const accountId = await lookUpFresh(this.readModel, () => this.queries.accountOfInvitation(invitationId), Boolean);
    if (!accountId) throw invitationNotFound();
    return accountId;
  }

  /**
   * INV-19, SEC-10e: an accepted access of type API token earns its recipient a token with the access's
   * scope. Said on EVERY accept by the person who accepted, not only the first: if issuing failed
   * after the accept, retrying the accept gets it issued (the token service keeps one live token
   * per invitation, so a retry never leaves two).
   */
  private accepted(
    invitationId: string,
    accountId: string,
    person: Person,
    result: HandleResult,
  ): InvitationAcceptedResult {
    const changed = this.changed(invitationId, accountId, result);
    const issueApiToken = apiTokenOwed(result.state, invitationId, person);
    return issueApiToken ? { ...changed, issueApiToken } : changed;
  }

  private changed(invitationId: string, accountId: string, result: HandleResult): InvitationChangedResult {
    const invitation = result.state.invitations.get(invitationId);
    if (!invitation) throw invitationNotFound();
    return {
      invitationId,
      accountId,
      status: invitation.status,
      expiresAt: invitation.expiresAt,
      position: result.position,
    };
  }
}

type HandleResult = {
  readonly state: AccessState;
  readonly position: number;
  readonly events: readonly InvitationEvent[];
};

function requireAccessRef(payload: { readonly accountId: unknown; readonly accessId: unknown }): void {
  requireUuid(payload.accountId, 'accountId');
  requireUuid(payload.accessId, 'accessId');
}

function requireAdminShape(payload: InvitationAdminPayload): void {
  requireUuid(payload.accountId, 'accountId');
  requireUuid(payload.invitationId, 'invitationId');
}
