import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  INVITATION_STATUSES,
  invalid,
  memberFilterOf,
  notFound,
  pageRequestOf,
  subjects,
  type AccountPagePayload,
  type InvitationsForEmailPayload,
  type InviteeView,
  type InviteesOfAccountPayload,
  type Page,
  type AcceptByTokenPayload,
  type AccessRenamedResult,
  type AccessRevokedResult,
  type AddRecipientsPayload,
  type RenameAccessPayload,
  type AcceptInvitationPayload,
  type AccessSharedResult,
  type AccessRefPayload,
  type AccountPayload,
  type InvitationSettingsView,
  type AccessView,
  type ChangeInvitationSettingsPayload,
  type CommandRequest,
  type DeclineInvitationPayload,
  type InvitationAcceptedResult,
  type InvitationAdminPayload,
  type InvitationByTokenPayload,
  type InvitationChangedResult,
  type InvitationLinkView,
  type InvitationSettingsResult,
  type MyInvitationView,
  type QueryRequest,
  type Reply,
  type ShareAccessPayload,
} from '@accord/contracts';
import { isLinkUsable } from '@accord/invitation-domain';
import { Handles } from '@accord/messaging';
import { isWellFormedLinkToken, tokenHash } from '@accord/invitation-links';
import { awaitPosition, lookUpFresh, toReply } from '@accord/service-kit';
import { InvitationCommands } from './invitation.commands';
import { InvitationReadModel } from './invitation.projection-runner';
import { INVITATION_LIST_KEYS, InvitationQueries } from './invitation.queries';
import { requireEmail, requirePayload, requireUuid } from './payload-shape';

/** Request/reply entry points of the invitation service (NATS or in-process: same code). */
@Controller()
export class InvitationMessageController {
  constructor(
    private readonly commands: InvitationCommands,
    private readonly queries: InvitationQueries,
    private readonly readModel: InvitationReadModel,
  ) {}

  @Handles(subjects.invitation.shareAccess)
  shareAccess(@Payload() request: CommandRequest<ShareAccessPayload>): Promise<Reply<AccessSharedResult>> {
    return toReply(() =>
      this.commands.shareAccess(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.acceptInvitation)
  acceptInvitation(
    @Payload() request: CommandRequest<AcceptInvitationPayload>,
  ): Promise<Reply<InvitationAcceptedResult>> {
    return toReply(() =>
      this.commands.acceptInvitation(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.acceptByToken)
  acceptByToken(@Payload() request: CommandRequest<AcceptByTokenPayload>): Promise<Reply<InvitationAcceptedResult>> {
    return toReply(() => this.commands.acceptByToken(requirePayload(request.payload), request.metadata));
  }

  @Handles(subjects.invitation.declineInvitation)
  declineInvitation(
    @Payload() request: CommandRequest<DeclineInvitationPayload>,
  ): Promise<Reply<InvitationChangedResult>> {
    return toReply(() =>
      this.commands.declineInvitation(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.resendInvitation)
  resendInvitation(
    @Payload() request: CommandRequest<InvitationAdminPayload>,
  ): Promise<Reply<InvitationChangedResult>> {
    return toReply(() =>
      this.commands.resendInvitation(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.revokeInvitation)
  revokeInvitation(
    @Payload() request: CommandRequest<InvitationAdminPayload>,
  ): Promise<Reply<InvitationChangedResult>> {
    return toReply(() =>
      this.commands.revokeInvitation(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.changeSettings)
  changeSettings(
    @Payload() request: CommandRequest<ChangeInvitationSettingsPayload>,
  ): Promise<Reply<InvitationSettingsResult>> {
    return toReply(() =>
      this.commands.changeSettings(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.addRecipients)
  addRecipients(@Payload() request: CommandRequest<AddRecipientsPayload>): Promise<Reply<AccessSharedResult>> {
    return toReply(() =>
      this.commands.addRecipients(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.renameAccess)
  renameAccess(@Payload() request: CommandRequest<RenameAccessPayload>): Promise<Reply<AccessRenamedResult>> {
    return toReply(() =>
      this.commands.renameAccess(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  @Handles(subjects.invitation.revokeAccess)
  revokeAccess(@Payload() request: CommandRequest<AccessRefPayload>): Promise<Reply<AccessRevokedResult>> {
    return toReply(() =>
      this.commands.revokeAccess(requirePayload(request.payload), request.metadata, request.minPosition),
    );
  }

  /**
   * What an invitation link shows. A read only — mail scanners follow links, so viewing never
   * consumes anything. Unknown, replaced, revoked, used and expired links get one generic answer.
   */
  @Handles(subjects.invitation.invitationByToken)
  invitationByToken(@Payload() request: QueryRequest<InvitationByTokenPayload>): Promise<Reply<InvitationLinkView>> {
    return toReply(async () => {
      const invalid = notFound(
        'invitation.link_invalid',
        'This invitation link is not valid. Ask the account owner to send a new one.',
      );
      if (!isWellFormedLinkToken(requirePayload(request.payload).token)) throw invalid;
      await awaitPosition(this.readModel, request.minPosition);
      const hash = tokenHash(request.payload.token);
      const link = await lookUpFresh(
        this.readModel,
        () => this.queries.byTokenHash(hash),
        (found) => found !== null,
      );
      // The service's clock is the "now" the domain rule is asked about; the rule is the domain's.
      if (!link || !isLinkUsable(link, new Date().toISOString())) throw invalid;
      const { status: _status, ...view } = link;
      return view;
    });
  }

  @Handles(subjects.invitation.accessesOfAccount)
  accessesOfAccount(@Payload() request: QueryRequest<AccountPagePayload>): Promise<Reply<Page<AccessView>>> {
    return toReply(async () => {
      const payload = requirePayload(request.payload);
      const accountId = requireUuid(payload.accountId, 'accountId');
      const page = pageRequestOf(payload, INVITATION_LIST_KEYS.accesses);
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.accessesOfAccount(accountId, page);
    });
  }

  /** The account's pending invitations, for the member list's `status=invited|all`. */
  @Handles(subjects.invitation.inviteesOfAccount)
  inviteesOfAccount(@Payload() request: QueryRequest<InviteesOfAccountPayload>): Promise<Reply<Page<InviteeView>>> {
    return toReply(async () => {
      const payload = requirePayload(request.payload);
      const accountId = requireUuid(payload.accountId, 'accountId');
      const page = pageRequestOf(payload, INVITATION_LIST_KEYS.invitees);
      const filter = memberFilterOf(payload);
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.inviteesOfAccount(accountId, page, filter);
    });
  }

  /** One access of the account, as its list shows it; another account's access is not found. */
  @Handles(subjects.invitation.access)
  access(@Payload() request: QueryRequest<AccessRefPayload>): Promise<Reply<AccessView>> {
    return toReply(async () => {
      const payload = requirePayload(request.payload);
      const accountId = requireUuid(payload.accountId, 'accountId');
      const accessId = requireUuid(payload.accessId, 'accessId');
      await awaitPosition(this.readModel, request.minPosition);
      const found = await this.queries.access(accountId, accessId);
      if (!found) throw notFound('access.not_found', 'No such access in this account.');
      return found;
    });
  }

  /** How long the account's invitation links stay valid (the default until an owner changes it). */
  @Handles(subjects.invitation.settings)
  settings(@Payload() request: QueryRequest<AccountPayload>): Promise<Reply<InvitationSettingsView>> {
    return toReply(async () => {
      const accountId = requireUuid(requirePayload(request.payload).accountId, 'accountId');
      // Read from the store; waiting for the read model still makes the store's horizon pass `minPosition`.
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.settings(accountId);
    });
  }

  @Handles(subjects.invitation.invitationsForEmail)
  invitationsForEmail(
    @Payload() request: QueryRequest<InvitationsForEmailPayload>,
  ): Promise<Reply<Page<MyInvitationView>>> {
    return toReply(async () => {
      const payload = requirePayload(request.payload);
      const email = requireEmail(payload.email, 'email');
      const page = pageRequestOf(payload, INVITATION_LIST_KEYS.invitationsForEmail);
      const status = payload.status;
      if (status !== undefined && !(INVITATION_STATUSES as readonly unknown[]).includes(status))
        throw invalid('status', 'request.invalid', `status must be one of ${INVITATION_STATUSES.join(', ')}.`);
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.invitationsForEmail(email, page, status);
    });
  }
}
