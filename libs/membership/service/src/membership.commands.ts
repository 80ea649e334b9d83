import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  streams,
  type AccountCreatedResult,
  type AccountPayload,
  type AddMemberPayload,
  type BillingAccountRefPayload,
  type ChangeMemberPayload,
  type CloseAccountPayload,
  type CustomRoleRefPayload,
  type CommandMetadata,
  type CommandResult,
  type CreateAccountPayload,
  type CreateBillingAccountPayload,
  type DefineCustomRolePayload,
  type MemberRefPayload,
  type NameAccountPayload,
  type RenameAccountPayload,
  type RenameBillingAccountPayload,
} from '@accord/contracts';
import { commandHandlerFor, type CommandHandlerOf, type EventStore } from '@accord/eventstore';
import { accountDecider, type AccountCommand, type RemoveAccessMembers } from '@accord/membership-domain';
import { EVENT_STORE } from '@accord/service-kit';
import { expandGrantedPermissions } from './granted-permissions';
import { fieldsOf, validUserId } from './payloads';

/**
 * Use cases of the Account aggregate: load → decide → append (commandHandlerFor retries conflicts).
 * A user id taken from a payload is checked first (`validUserId`): nothing is read for a bad one.
 */
@Injectable()
export class MembershipCommands {
  /** Stream `account-<accountId>`; a reaction's event ids derive from its cause. */
  private readonly decide: CommandHandlerOf<typeof accountDecider>;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    this.decide = commandHandlerFor(store, { decider: accountDecider, streamOf: streams.account });
  }

  async createAccount(payload: CreateAccountPayload, metadata: CommandMetadata): Promise<AccountCreatedResult> {
    validUserId(fieldsOf(fieldsOf(payload)['owner'])['userId'], 'owner.userId');
    const accountId = randomUUID();
    const result = await this.decide(accountId, metadata, {
      type: 'CreateAccount',
      data: { accountId, name: payload.name, rootOwner: payload.owner },
    });
    return {
      id: accountId,
      name: result.state.status === 'active' ? result.state.name : payload.name,
      position: result.position,
    };
  }

  /** Reaction to InvitationAccepted: ids derive from the cause so redelivery appends nothing new. */
  async addMember(payload: AddMemberPayload, metadata: CommandMetadata): Promise<CommandResult> {
    validUserId(fieldsOf(payload)['userId']);
    return this.position(payload.accountId, metadata, { type: 'AddMember', data: payload });
  }

  /**
   * Reaction to AccessRevoked / AccessExpired (INV-28, INV-29): the access's members go. Ids derive
   * from the cause, and a second run finds nobody left, so a redelivery removes nobody.
   */
  removeAccessMembers(
    accountId: string,
    command: RemoveAccessMembers,
    metadata: CommandMetadata,
  ): Promise<CommandResult> {
    return this.position(accountId, metadata, command);
  }

  async changeMember(payload: ChangeMemberPayload, metadata: CommandMetadata): Promise<CommandResult> {
    validUserId(fieldsOf(payload)['userId']);
    const { accountId, userId, permissions, ...rest } = payload;
    const changes = permissions === undefined ? rest : { ...rest, permissions: expandGrantedPermissions(permissions) };
    return this.position(accountId, metadata, {
      type: 'ChangeMember',
      data: { userId, by: metadata.actor.userId, changes },
    });
  }

  nameAccount(payload: NameAccountPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'NameAccount',
      data: { userId: metadata.actor.userId, displayName: payload.displayName },
    });
  }

  async removeMember(payload: MemberRefPayload, metadata: CommandMetadata): Promise<CommandResult> {
    validUserId(fieldsOf(payload)['userId']);
    return this.position(payload.accountId, metadata, {
      type: 'RemoveMember',
      data: { userId: payload.userId, by: metadata.actor.userId },
    });
  }

  leaveAccount(payload: AccountPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'LeaveAccount',
      data: { userId: metadata.actor.userId },
    });
  }

  async transferOwnership(payload: MemberRefPayload, metadata: CommandMetadata): Promise<CommandResult> {
    validUserId(fieldsOf(payload)['userId']);
    return this.position(payload.accountId, metadata, {
      type: 'TransferOwnership',
      data: { to: payload.userId, by: metadata.actor.userId },
    });
  }

  async createBillingAccount(
    payload: CreateBillingAccountPayload,
    metadata: CommandMetadata,
  ): Promise<CommandResult & { id: string; name: string }> {
    const billingAccountId = randomUUID();
    const result = await this.decide(payload.accountId, metadata, {
      type: 'CreateBillingAccount',
      data: { billingAccountId, name: payload.name, by: metadata.actor.userId },
    });
    const created = result.state.status === 'active' ? result.state.billingAccounts.get(billingAccountId) : undefined;
    return { id: billingAccountId, name: created?.name ?? payload.name, position: result.position };
  }

  defineCustomRole(payload: DefineCustomRolePayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'DefineCustomRole',
      data: {
        name: payload.name,
        permissions: expandGrantedPermissions(payload.permissions),
        by: metadata.actor.userId,
      },
    });
  }

  /** MEM-21. */
  renameAccount(payload: RenameAccountPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'RenameAccount',
      data: { name: payload.name, by: metadata.actor.userId },
    });
  }

  /** MEM-22, MEM-23: the removals and AccountClosed are appended together, or not at all. */
  closeAccount(payload: CloseAccountPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'CloseAccount',
      data: { confirmName: payload.confirmName, by: metadata.actor.userId, via: metadata.actor.via },
    });
  }

  /** MEM-25. */
  renameBillingAccount(payload: RenameBillingAccountPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'RenameBillingAccount',
      data: { billingAccountId: payload.billingAccountId, name: payload.name, by: metadata.actor.userId },
    });
  }

  /** MEM-26. */
  deleteBillingAccount(payload: BillingAccountRefPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'DeleteBillingAccount',
      data: { billingAccountId: payload.billingAccountId, by: metadata.actor.userId },
    });
  }

  /** MEM-27. */
  deleteCustomRole(payload: CustomRoleRefPayload, metadata: CommandMetadata): Promise<CommandResult> {
    return this.position(payload.accountId, metadata, {
      type: 'DeleteCustomRole',
      data: { name: payload.name, by: metadata.actor.userId },
    });
  }

  private async position(
    accountId: string,
    metadata: CommandMetadata,
    command: AccountCommand,
  ): Promise<CommandResult> {
    return { position: (await this.decide(accountId, metadata, command)).position };
  }
}
