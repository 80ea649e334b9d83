import type {
  AcceptByTokenPayload,
  AcceptInvitationPayload,
  AccessSharedResult,
  AccessView,
  ChangeInvitationSettingsPayload,
  DeclineInvitationPayload,
  InvitationAcceptedResult,
  InvitationAdminPayload,
  InvitationByTokenPayload,
  InvitationChangedResult,
  InvitationLinkView,
  InvitationSettingsResult,
  InvitationsForEmailPayload,
  MyInvitationView,
  ShareAccessPayload,
} from './invitation/messages';
import type {
  AccessAtAnswer,
  AccessHistoryPayload,
  AccountCreatedResult,
  AccountsOfUserPayload,
  AccountView,
  AddMemberPayload,
  AuthzCheckPayload,
  AuthzDecision,
  BillingAccountView,
  ChangeMemberPayload,
  CreateAccountPayload,
  CreateBillingAccountPayload,
  CustomRoleView,
  DefineCustomRolePayload,
  GrantFacts,
  GrantFactsPayload,
  MemberAccessView,
  MemberRefPayload,
  MemberView,
  NameAccountPayload,
  PermissionCatalogPayload,
  PermissionCatalogView,
  RecordImpersonatedReadPayload,
} from './membership/messages';
import type { AuditEventsPage, AuditEventsPayload, AuditLogPage, AuditLogPayload } from './membership/messages';
import type {
  IssueTokenPayload,
  ListTokensPayload,
  RevokeTokenPayload,
  RotateTokenPayload,
  TokenIssuedResult,
  TokenPolicyPayload,
  TokenRotatedResult,
  TokenView,
  VerifiedToken,
  VerifyTokenPayload,
} from './api-token/messages';
import type {
  InboxPayload,
  InboxView,
  MarkAllReadPayload,
  MarkAllReadResult,
  MarkReadPayload,
  MarkReadResult,
} from './notification/messages';
import type {
  ListWebhooksPayload,
  RegisterWebhookPayload,
  WebhookAttemptView,
  WebhookDeliveriesPayload,
  WebhookRefPayload,
  WebhookRegisteredResult,
  WebhookTestResult,
  WebhookView,
} from './notification/webhook-messages';
import type { Page } from './paging';
import type { Reply } from './errors';
import type { AccountPagePayload } from './paging';
import type { InviteeView, InviteesOfAccountPayload } from './invitation/messages';
import type { MembersOfAccountPayload } from './membership/messages';
import type { AccountPayload, CommandRequest, CommandResult, QueryRequest } from './shared/requests';
import { subjects, type Subject } from './subjects';
import type { AccountOfUserPayload, BillingAccountRefPayload, CustomRoleRefPayload } from './membership/messages';
import type { CloseAccountPayload, RenameAccountPayload, RenameBillingAccountPayload } from './membership/messages';
import type {
  AccessRefPayload,
  AccessRenamedResult,
  AccessRevokedResult,
  AddRecipientsPayload,
  InvitationSettingsView,
  RenameAccessPayload,
} from './invitation/messages';
import type { GetTokenPayload, TokenPolicyView } from './api-token/messages';

/**
 * One entry of the map: its kind is there at run time; `payload` and `result` are never set, they
 * carry the types for the compiler.
 */
interface Entry<Kind extends string, Payload, Result> {
  readonly kind: Kind;
  readonly payload?: Payload;
  readonly result?: Result;
}

/** Sent as a `CommandRequest<P>` (with who/when/why); answered with a `Reply<R>`. */
const command = <P, R>(): Entry<'command', P, R> => ({ kind: 'command' });
/** Sent as a `QueryRequest<P>`; answered with a `Reply<R>`. */
const query = <P, R>(): Entry<'query', P, R> => ({ kind: 'query' });
/**
 * Not request/reply: asked with an empty message, and every replica answers with its own health
 * report as plain JSON (`HealthReport` of @accord/service-kit), not a `Reply`.
 */
const health: Entry<'health', '', unknown> = { kind: 'health' };

/**
 * What each subject carries and answers: the one source both ends compile against. The gateway's
 * `Dispatcher`, the `RequestClient` and the services' `@Handles(subject)` handlers infer from it.
 */
export const subjectMap = {
  [subjects.membership.createAccount]: command<CreateAccountPayload, AccountCreatedResult>(),
  [subjects.membership.addMember]: command<AddMemberPayload, CommandResult>(),
  [subjects.membership.changeMember]: command<ChangeMemberPayload, CommandResult>(),
  [subjects.membership.nameAccount]: command<NameAccountPayload, CommandResult>(),
  [subjects.membership.removeMember]: command<MemberRefPayload, CommandResult>(),
  [subjects.membership.leaveAccount]: command<AccountPayload, CommandResult>(),
  [subjects.membership.transferOwnership]: command<MemberRefPayload, CommandResult>(),
  [subjects.membership.createBillingAccount]: command<
    CreateBillingAccountPayload,
    CommandResult & BillingAccountView
  >(),
  [subjects.membership.defineCustomRole]: command<DefineCustomRolePayload, CommandResult>(),
  [subjects.membership.renameAccount]: command<RenameAccountPayload, CommandResult>(),
  [subjects.membership.closeAccount]: command<CloseAccountPayload, CommandResult>(),
  [subjects.membership.renameBillingAccount]: command<RenameBillingAccountPayload, CommandResult>(),
  [subjects.membership.deleteBillingAccount]: command<BillingAccountRefPayload, CommandResult>(),
  [subjects.membership.deleteCustomRole]: command<CustomRoleRefPayload, CommandResult>(),
  [subjects.membership.recordImpersonatedRead]: command<RecordImpersonatedReadPayload, CommandResult>(),
  [subjects.membership.accountsOfUser]: query<AccountsOfUserPayload, Page<AccountView>>(),
  [subjects.membership.membersOfAccount]: query<MembersOfAccountPayload, Page<MemberView>>(),
  [subjects.membership.billingAccounts]: query<AccountPagePayload, Page<BillingAccountView>>(),
  [subjects.membership.customRoles]: query<AccountPagePayload, Page<CustomRoleView>>(),
  [subjects.membership.memberAccess]: query<MemberRefPayload, MemberAccessView>(),
  [subjects.membership.grantFacts]: query<GrantFactsPayload, GrantFacts>(),
  [subjects.authz.check]: query<AuthzCheckPayload, AuthzDecision>(),
  [subjects.membership.accessHistory]: query<AccessHistoryPayload, AccessAtAnswer>(),
  [subjects.membership.auditLog]: query<AuditLogPayload, AuditLogPage>(),
  [subjects.membership.auditEvents]: query<AuditEventsPayload, AuditEventsPage>(),
  [subjects.membership.accountOfUser]: query<AccountOfUserPayload, AccountView>(),
  [subjects.membership.member]: query<MemberRefPayload, MemberView>(),
  [subjects.membership.billingAccount]: query<BillingAccountRefPayload, BillingAccountView>(),
  [subjects.membership.customRole]: query<CustomRoleRefPayload, CustomRoleView>(),
  [subjects.membership.permissionCatalog]: query<PermissionCatalogPayload, PermissionCatalogView>(),

  [subjects.invitation.shareAccess]: command<ShareAccessPayload, AccessSharedResult>(),
  [subjects.invitation.acceptInvitation]: command<AcceptInvitationPayload, InvitationAcceptedResult>(),
  [subjects.invitation.acceptByToken]: command<AcceptByTokenPayload, InvitationAcceptedResult>(),
  [subjects.invitation.declineInvitation]: command<DeclineInvitationPayload, InvitationChangedResult>(),
  [subjects.invitation.resendInvitation]: command<InvitationAdminPayload, InvitationChangedResult>(),
  [subjects.invitation.revokeInvitation]: command<InvitationAdminPayload, InvitationChangedResult>(),
  [subjects.invitation.changeSettings]: command<ChangeInvitationSettingsPayload, InvitationSettingsResult>(),
  [subjects.invitation.addRecipients]: command<AddRecipientsPayload, AccessSharedResult>(),
  [subjects.invitation.renameAccess]: command<RenameAccessPayload, AccessRenamedResult>(),
  [subjects.invitation.revokeAccess]: command<AccessRefPayload, AccessRevokedResult>(),
  [subjects.invitation.invitationByToken]: query<InvitationByTokenPayload, InvitationLinkView>(),
  [subjects.invitation.accessesOfAccount]: query<AccountPagePayload, Page<AccessView>>(),
  [subjects.invitation.invitationsForEmail]: query<InvitationsForEmailPayload, Page<MyInvitationView>>(),
  [subjects.invitation.inviteesOfAccount]: query<InviteesOfAccountPayload, Page<InviteeView>>(),
  [subjects.invitation.access]: query<AccessRefPayload, AccessView>(),
  [subjects.invitation.settings]: query<AccountPayload, InvitationSettingsView>(),

  [subjects.token.issue]: command<IssueTokenPayload, TokenIssuedResult>(),
  [subjects.token.revoke]: command<RevokeTokenPayload, CommandResult>(),
  [subjects.token.rotate]: command<RotateTokenPayload, TokenRotatedResult>(),
  [subjects.token.setPolicy]: command<TokenPolicyPayload, CommandResult>(),
  [subjects.token.list]: query<ListTokensPayload, Page<TokenView>>(),
  [subjects.token.verify]: query<VerifyTokenPayload, VerifiedToken>(),
  [subjects.token.get]: query<GetTokenPayload, TokenView>(),
  [subjects.token.policy]: query<AccountPayload, TokenPolicyView>(),

  [subjects.notification.inbox]: query<InboxPayload, InboxView>(),
  [subjects.notification.markRead]: command<MarkReadPayload, MarkReadResult>(),
  [subjects.notification.markAllRead]: command<MarkAllReadPayload, MarkAllReadResult>(),
  [subjects.notification.registerWebhook]: command<RegisterWebhookPayload, WebhookRegisteredResult>(),
  [subjects.notification.deleteWebhook]: command<WebhookRefPayload, CommandResult>(),
  [subjects.notification.testWebhook]: command<WebhookRefPayload, WebhookTestResult>(),
  [subjects.notification.webhooks]: query<ListWebhooksPayload, Page<WebhookView>>(),
  [subjects.notification.webhookDeliveries]: query<WebhookDeliveriesPayload, Page<WebhookAttemptView>>(),

  [subjects.health.membership]: health,
  [subjects.health.invitation]: health,
  [subjects.health.notification]: health,
  [subjects.health.token]: health,
} as const satisfies { readonly [S in Subject]: Entry<string, unknown, unknown> };

export type SubjectMap = typeof subjectMap;

type SubjectsOfKind<Kind extends SubjectMap[Subject]['kind']> = {
  [S in Subject]: SubjectMap[S]['kind'] extends Kind ? S : never;
}[Subject];

/** Subjects sent as a `CommandRequest`. */
export type CommandSubject = SubjectsOfKind<'command'>;
/** Subjects sent as a `QueryRequest`. */
export type QuerySubject = SubjectsOfKind<'query'>;
/** Subjects a `RequestClient` sends and a `@Handles` handler answers. */
export type RequestSubject = CommandSubject | QuerySubject;

/** The payload a subject carries. */
export type PayloadOf<S extends Subject> = Exclude<SubjectMap[S]['payload'], undefined>;
/** The value a subject's reply carries when it is `ok`. */
export type ResultOf<S extends Subject> = Exclude<SubjectMap[S]['result'], undefined>;
/** The whole request a subject carries: a command's with its metadata, or a query's. */
export type RequestOf<S extends RequestSubject> = S extends CommandSubject
  ? CommandRequest<PayloadOf<S>>
  : QueryRequest<PayloadOf<S>>;
/** The signature of the service method that answers subject `S`. */
export type MessageHandler<S extends RequestSubject> = (request: RequestOf<S>) => Promise<Reply<ResultOf<S>>>;
