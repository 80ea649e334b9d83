import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { streams, type CommandMetadata, type CommandResult, type IssueTokenPayload, type RevokeTokenPayload, type TokenIssuedResult, type TokenPolicyPayload } from '@accord/contracts';
import { apiTokenDecider, tokenPolicyDecider, type ApiTokenCommand } from '@accord/api-token-domain';
import { handleCommand, type EventStore } from '@accord/eventstore';
import { EVENT_STORE, derivedEventId, randomEventId } from '@accord/runtime';
import { hashToken, mintToken, tokenPrefix } from './token-format';

/** Use cases of API tokens. The secret exists in memory here and in the issue reply, nowhere else. */
@Injectable()
export class TokenCommands {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async issue(payload: IssueTokenPayload, metadata: CommandMetadata): Promise<TokenIssuedResult> {
    const policy = (await this.store.readStream(streams.tokenPolicy(payload.accountId)))
      .map((e) => ({ type: e.type, data: e.data }) as never)
      .reduce(tokenPolicyDecider.evolve, tokenPolicyDecider.initialState());
    const token = mintToken();
    const tokenId = randomUUID();
    const result = await this.decide(tokenId, metadata, randomEventId, {
      type: 'IssueApiToken',
      data: {
        tokenId,
        accountId: payload.accountId,
        userId: payload.userId,
        email: payload.email,
        name: payload.name,
        prefix: tokenPrefix(token),
        tokenHash: hashToken(token),
        permissions: payload.permissions ?? null,
        scope: payload.scope ?? null,
        expiresAt: payload.expiresAt ?? null,
        issuedVia: payload.issuedVia ?? 'api',
        maxLifetimeDays: policy.maxLifetimeDays,
        now: metadata.now,
      },
    });
    const issued = result.events[0];
    const expiresAt = issued?.type === 'ApiTokenIssued' ? issued.data.expiresAt : null;
    return { id: tokenId, token, prefix: tokenPrefix(token), name: payload.name.trim(), expiresAt, position: result.position };
  }

  async revoke(payload: RevokeTokenPayload, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await this.decide(payload.tokenId, metadata, randomEventId, {
      type: 'RevokeApiToken',
      data: { accountId: payload.accountId, by: metadata.actor.userId, asOwner: payload.asOwner },
    });
    return { position: result.position };
  }

  async setPolicy(payload: TokenPolicyPayload, metadata: CommandMetadata): Promise<CommandResult> {
    const result = await handleCommand(
      this.store,
      { type: 'SetTokenPolicy', data: { accountId: payload.accountId, maxLifetimeDays: payload.maxLifetimeDays, by: metadata.actor.userId } },
      { streamId: streams.tokenPolicy(payload.accountId), decider: tokenPolicyDecider, metadata, eventId: randomEventId },
    );
    return { position: result.position };
  }

  /** Reaction to a member going: ids derive from the cause and the token, so redelivery is a no-op. */
  async revokeForMember(tokenId: string, userId: string, reason: 'member_removed' | 'member_left', metadata: CommandMetadata & { causationId: string }): Promise<void> {
    await this.decide(tokenId, metadata, derivedEventId(`${metadata.causationId}/${tokenId}`), {
      type: 'RevokeForMember',
      data: { userId, reason, by: metadata.actor.userId },
    });
  }

  private decide(tokenId: string, metadata: CommandMetadata, eventId: (event: unknown, index: number) => string, command: ApiTokenCommand) {
    // A token id that names no token must not create a stream by revoking it: the decider refuses.
    return handleCommand(this.store, command, { streamId: streams.token(tokenId), decider: apiTokenDecider, metadata, eventId });
  }
}
