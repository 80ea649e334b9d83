import { Controller, Inject, Optional } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  gone,
  memberFilterOf,
  notFound,
  pageRequestOf,
  subjects,
  type AccountPagePayload,
  type AccountsOfUserPayload,
  type MembersOfAccountPayload,
  type Page,
  type AccountCreatedResult,
  type AccountPayload,
  type AccountView,
  type AddMemberPayload,
  type AuthzCheckPayload,
  type AuthzDecision,
  type BillingAccountView,
  type ChangeMemberPayload,
  type CommandMetadata,
  type CommandRequest,
  type CommandResult,
  type CreateAccountPayload,
  type CreateBillingAccountPayload,
  type CustomRoleView,
  type DefineCustomRolePayload,
  type GrantFacts,
  type GrantFactsPayload,
  type MemberAccessView,
  type MemberRefPayload,
  type MemberView,
  type NameAccountPayload,
  type PermissionCatalogPayload,
  type PermissionCatalogView,
  type AccountOfUserPayload,
  type BillingAccountRefPayload,
  type CustomRoleRefPayload,
  type CloseAccountPayload,
  type RenameAccountPayload,
  type RenameBillingAccountPayload,
  type QueryRequest,
  type Reply,
} from '@accord/contracts';
import { Handles } from '@accord/messaging';
import { CATALOG, memberAccess } from '@accord/membership-domain';
import { permissionCatalogView } from '@accord/membership-permissions';
import { awaitPosition, lookUpFresh, METRICS, processMetrics, toReply, type AccordMetrics } from '@accord/service-kit';
import { AuthzIndex } from './authz/authz-index';
import { grantFacts, grantFactsPayload } from './authz/grant-facts';
import { MembershipCommands } from './membership.commands';
import { MembershipReadModel } from './membership.projection-runner';
import { MEMBERSHIP_LIST_KEYS, MembershipQueries } from './membership.queries';
import { authzCheckPayload, fieldsOf, stringField, uuidField, validUserId } from './payloads';

/** Built once: the catalog is validated when the module loads and never changes while it runs. */
const PERMISSION_CATALOG_VIEW = permissionCatalogView(CATALOG);

type Command<P, R> = (payload: P, metadata: CommandMetadata) => Promise<R>;

/** Request/reply entry points of the membership service (NATS or in-process: same code). */
@Controller()
export class MembershipMessageController {
  constructor(
    private readonly commands: MembershipCommands,
    private readonly queries: MembershipQueries,
    private readonly readModel: MembershipReadModel,
    private readonly authz: AuthzIndex,
    @Optional() @Inject(METRICS) private readonly metrics: AccordMetrics = processMetrics(),
  ) {}

  @Handles(subjects.membership.createAccount)
  createAccount(@Payload() request: CommandRequest<CreateAccountPayload>): Promise<Reply<AccountCreatedResult>> {
    return this.run(request, this.commands.createAccount);
  }

  @Handles(subjects.membership.addMember)
  addMember(@Payload() request: CommandRequest<AddMemberPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.addMember);
  }

  @Handles(subjects.membership.changeMember)
  changeMember(@Payload() request: CommandRequest<ChangeMemberPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.changeMember);
  }

  @Handles(subjects.membership.nameAccount)
  nameAccount(@Payload() request: CommandRequest<NameAccountPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.nameAccount);
  }

  @Handles(subjects.membership.removeMember)
  removeMember(@Payload() request: CommandRequest<MemberRefPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.removeMember);
  }

  @Handles(subjects.membership.leaveAccount)
  leaveAccount(@Payload() request: CommandRequest<AccountPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.leaveAccount);
  }

  @Handles(subjects.membership.transferOwnership)
  transferOwnership(@Payload() request: CommandRequest<MemberRefPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.transferOwnership);
  }

  @Handles(subjects.membership.createBillingAccount)
  createBillingAccount(
    @Payload() request: CommandRequest<CreateBillingAccountPayload>,
  ): Promise<Reply<CommandResult & BillingAccountView>> {
    return this.run(request, this.commands.createBillingAccount);
  }

  @Handles(subjects.membership.defineCustomRole)
  defineCustomRole(@Payload() request: CommandRequest<DefineCustomRolePayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.defineCustomRole);
  }

  @Handles(subjects.membership.renameAccount)
  renameAccount(@Payload() request: CommandRequest<RenameAccountPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.renameAccount);
  }

  @Handles(subjects.membership.closeAccount)
  closeAccount(@Payload() request: CommandRequest<CloseAccountPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.closeAccount);
  }

  @Handles(subjects.membership.renameBillingAccount)
  renameBillingAccount(@Payload() request: CommandRequest<RenameBillingAccountPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.renameBillingAccount);
  }

  @Handles(subjects.membership.deleteBillingAccount)
  deleteBillingAccount(@Payload() request: CommandRequest<BillingAccountRefPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.deleteBillingAccount);
  }

  @Handles(subjects.membership.deleteCustomRole)
  deleteCustomRole(@Payload() request: CommandRequest<CustomRoleRefPayload>): Promise<Reply<CommandResult>> {
    return this.run(request, this.commands.deleteCustomRole);
  }

  @Handles(subjects.membership.accountsOfUser)
  accountsOfUser(@Payload() request: QueryRequest<AccountsOfUserPayload>): Promise<Reply<Page<AccountView>>> {
    return this.query(request, (payload) => {
      const p = fieldsOf(payload);
      const page = pageRequestOf(p, MEMBERSHIP_LIST_KEYS.accounts);
      const only = p['accountId'] === undefined ? undefined : uuidField(p, 'accountId', 'account.id_invalid');
      return this.queries.accountsOfUser(validUserId(p['userId']), page, only);
    });
  }

  @Handles(subjects.membership.membersOfAccount)
  membersOfAccount(@Payload() request: QueryRequest<MembersOfAccountPayload>): Promise<Reply<Page<MemberView>>> {
    return this.query(request, (payload) => {
      const p = fieldsOf(payload);
      const accountId = uuidField(p, 'accountId', 'account.id_invalid');
      const page = pageRequestOf(p, MEMBERSHIP_LIST_KEYS.members);
      return this.queries.membersOfAccount(accountId, page, memberFilterOf(p));
    });
  }

  @Handles(subjects.membership.billingAccounts)
  billingAccounts(@Payload() request: QueryRequest<AccountPagePayload>): Promise<Reply<Page<BillingAccountView>>> {
    return this.query(request, (payload) => {
      const p = fieldsOf(payload);
      const accountId = uuidField(p, 'accountId', 'account.id_invalid');
      return this.queries.billingAccounts(accountId, pageRequestOf(p, MEMBERSHIP_LIST_KEYS.billingAccounts));
    });
  }

  @Handles(subjects.membership.customRoles)
  customRoles(@Payload() request: QueryRequest<AccountPagePayload>): Promise<Reply<Page<CustomRoleView>>> {
    return this.query(request, (payload) => {
      const p = fieldsOf(payload);
      const accountId = uuidField(p, 'accountId', 'account.id_invalid');
      return this.queries.customRoles(accountId, pageRequestOf(p, MEMBERSHIP_LIST_KEYS.customRoles));
    });
  }

  /** One account of the user's "Shared with me" list; not found unless they are a member. */
  @Handles(subjects.membership.accountOfUser)
  accountOfUser(@Payload() request: QueryRequest<AccountOfUserPayload>): Promise<Reply<AccountView>> {
    return this.query(request, async (payload) => {
      const p = fieldsOf(payload);
      const found = await this.queries.accountOfUser(
        uuidField(p, 'accountId', 'account.id_invalid'),
        validUserId(p['userId']),
      );
      if (found === 'closed') throw gone('account.closed', 'This account is closed.');
      return found ?? missing('account.not_found', 'No such account.');
    });
  }

  @Handles(subjects.membership.member)
  member(@Payload() request: QueryRequest<MemberRefPayload>): Promise<Reply<MemberView>> {
    return this.query(request, async (payload) => {
      const p = fieldsOf(payload);
      const found = await this.queries.member(
        uuidField(p, 'accountId', 'account.id_invalid'),
        validUserId(p['userId']),
      );
      return found ?? missing('member.not_found', 'No such member in this account.');
    });
  }

  @Handles(subjects.membership.billingAccount)
  billingAccount(@Payload() request: QueryRequest<BillingAccountRefPayload>): Promise<Reply<BillingAccountView>> {
    return this.query(request, async (payload) => {
      const p = fieldsOf(payload);
      const found = await this.queries.billingAccount(
        uuidField(p, 'accountId', 'account.id_invalid'),
        uuidField(p, 'billingAccountId', 'billing_account.id_invalid'),
      );
      return found ?? missing('billing_account.not_found', 'No such billing account in this account.');
    });
  }

  @Handles(subjects.membership.customRole)
  customRole(@Payload() request: QueryRequest<CustomRoleRefPayload>): Promise<Reply<CustomRoleView>> {
    return this.query(request, async (payload) => {
      const p = fieldsOf(payload);
      const found = await this.queries.customRole(
        uuidField(p, 'accountId', 'account.id_invalid'),
        stringField(p, 'name', 'role.name_invalid'),
      );
      return found ?? missing('role.not_found', 'No such custom role in this account.');
    });
  }

  /** The support look-up (AUTHZ-15), from the in-memory index. */
  @Handles(subjects.membership.memberAccess)
  memberAccess(@Payload() request: QueryRequest<MemberRefPayload>): Promise<Reply<MemberAccessView>> {
    return toReply(async () => {
      const fields = fieldsOf(request.payload);
      const userId = validUserId(fields['userId']);
      const accountId = stringField(fields, 'accountId', 'account.id_invalid');
      await awaitPosition(this.authz, request.minPosition);
      const account = this.authz.account(accountId);
      // A Map look-up: "constructor" is no member (SEC-1a).
      const member = account?.status === 'active' ? account.members.get(userId) : undefined;
      if (account?.status !== 'active' || !member)
        throw notFound('member.not_found', 'No such member in this account.');
      return memberAccess(account, member);
    });
  }

  /**
   * The catalog in force, for clients' permission forms: no account, no read model, the same answer
   * for every caller (the gateway lets any signed-in caller ask).
   */
  @Handles(subjects.membership.permissionCatalog)
  permissionCatalog(
    @Payload() _request: QueryRequest<PermissionCatalogPayload>,
  ): Promise<Reply<PermissionCatalogView>> {
    return toReply(async () => PERMISSION_CATALOG_VIEW);
  }

  /**
   * Facts other contexts check their own rules against (SEC-10d): from memory, after the
   * index has read its start history and reached `minPosition`; "not a member" is confirmed
   * against a caught-up index first, so a member who just joined is never refused for lag.
   */
  @Handles(subjects.membership.grantFacts)
  grantFacts(@Payload() request: QueryRequest<GrantFactsPayload>): Promise<Reply<GrantFacts>> {
    return toReply(async () => {
      const payload = grantFactsPayload(request.payload);
      await this.authz.readyForRequests();
      await awaitPosition(this.authz, request.minPosition);
      return lookUpFresh(
        this.authz,
        async () => grantFacts(this.authz.account(payload.accountId), payload),
        (facts) => facts.member,
      );
    });
  }

  /**
   * The authorization check internal services put in their request path: answered from memory.
   * With `minPosition` it answers only once the index has reached it (else `stale`: fail closed).
   * With `confirmDenial`, a "no" is confirmed against a caught-up index first.
   */
  @Handles(subjects.authz.check)
  check(@Payload() request: QueryRequest<AuthzCheckPayload>): Promise<Reply<AuthzDecision>> {
    return toReply(async () => {
      const payload = authzCheckPayload(request.payload);
      await this.authz.readyForRequests();
      await awaitPosition(this.authz, request.minPosition);
      const first = this.authz.check(payload);
      const decision =
        first.allowed || !payload.confirmDenial
          ? first
          : await lookUpFresh(
              this.authz,
              async () => this.authz.check(payload),
              (d) => d.allowed,
            );
      this.metrics.authzChecked(decision.allowed);
      return decision;
    });
  }

  private run<P, R>(request: CommandRequest<P>, command: Command<P, R>): Promise<Reply<R>> {
    return toReply(() => command.call(this.commands, request.payload, request.metadata));
  }

  private query<P, R>(request: QueryRequest<P>, read: (payload: P) => Promise<R>): Promise<Reply<R>> {
    return toReply(async () => {
      await awaitPosition(this.readModel, request.minPosition);
      return read(request.payload);
    });
  }
}

/** A single-resource query's "none such": a value of the one error vocabulary, never a null reply. */
function missing(code: string, message: string): never {
  throw notFound(code, message);
}
