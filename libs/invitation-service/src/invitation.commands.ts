import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  notFound,
  streams,
  type AcceptInvitationPayload,
  type AccessSharedResult,
  type CommandMetadata,
  type InvitationAcceptedResult,
  type ShareAccessPayload,
} from '@accord/contracts';
import { handleCommand, type EventStore } from '@accord/eventstore';
import { accessDecider } from '@accord/invitation-domain';
import { EVENT_STORE, awaitPosition, lookUpFresh, randomEventId } from '@accord/runtime';
import { InvitationReadModel } from './invitation.projection-runner';
import { InvitationQueries } from './invitation.queries';

/** Use cases of the Access aggregate and its Invitations. */
@Injectable()
export class InvitationCommands {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly queries: InvitationQueries,
    private readonly readModel: InvitationReadModel,
  ) {}

  async shareAccess(payload: ShareAccessPayload, metadata: CommandMetadata): Promise<AccessSharedResult> {
    const accessId = randomUUID();
    const recipients = payload.recipients.map((email) => ({ invitationId: randomUUID(), email }));
    const result = await handleCommand(
      this.store,
      {
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
          now: metadata.now,
        },
      },
      { streamId: streams.access(accessId), decider: accessDecider, metadata, eventId: randomEventId },
    );
    const state = result.state;
    if (state.status !== 'shared') throw new Error('share produced no access');
    return {
      id: accessId,
      invitations: Object.values(state.invitations).map((i) => ({ id: i.invitationId, email: i.email, status: i.status })),
      expiresAt: state.expiresAt,
      position: result.position,
    };
  }

  async acceptInvitation(payload: AcceptInvitationPayload, metadata: CommandMetadata, minPosition?: number): Promise<InvitationAcceptedResult> {
    // The invitation → access index is a read model; the recipient found the id there, so it is
    // normally present. The decision itself is made on the access stream, never on the read model.
    await awaitPosition(this.readModel, minPosition);
    const accessId = await lookUpFresh(this.readModel, () => this.queries.accessOfInvitation(payload.invitationId), Boolean);
    if (!accessId) throw notFound('invitation.not_found', 'No such invitation for you.');
    const result = await handleCommand(
      this.store,
      { type: 'AcceptInvitation', data: { invitationId: payload.invitationId, person: payload.person, now: metadata.now } },
      { streamId: streams.access(accessId), decider: accessDecider, metadata, eventId: randomEventId },
    );
    const state = result.state;
    if (state.status !== 'shared') throw notFound('invitation.not_found', 'No such invitation for you.');
    return {
      invitationId: payload.invitationId,
      accountId: state.accountId,
      status: state.invitations[payload.invitationId]?.status ?? 'pending',
      position: result.position,
    };
  }
}
