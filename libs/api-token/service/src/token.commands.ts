import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import {
  DomainError,
  conflict,
  invalid,
  streams,
  subjects,
  type CommandMetadata,
  type CommandResult,
  type GrantFacts,
  type GrantFactsPayload,
  type IssueTokenPayload,
  type RevokeTokenPayload,
  type RotateTokenPayload,
  type TokenIssuedResult,
  type TokenPolicyPayload,
  type TokenRotatedResult,
} from '@accord/contracts';
import {
  apiTokenDecider,
  tokenPolicyDecider,
  type IssueData,
  type IssuerFacts,
  type RevokeForMember,
} from '@accord/api-token-domain';
import { commandHandlerFor, type CommandHandlerOf, type EventStore } from '@accord/eventstore';
import { askQuery, REQUEST_CLIENT, type RequestClient } from '@accord/messaging';
import { EVENT_STORE } from '@accord/service-kit';
import { checkedIssuePayload, requireObject, requireUserId, requireUuid } from './token-input';
import { hashToken, mintToken, tokenPrefix } from './token-format';

// Fixed forever: access token ids derive from it, so changing it would orphan every live one.
const ACCESS_TOKEN_NAMESPACE = '5f39e7eb-088a-486d-a642-6f273a9445f7';

/**
 * The id of the `generation`-th token issued to `userId` for accepting `invitationId`.
 *
 * One live token per invitation, without a lock: generation n+1 is only ever appended as a NEW
 * stream (expected `no_stream`), and only after generation n was revoked (`replaced`). Two issues
 * racing for the same invitation therefore both aim at the same stream id and one of them gets a
 * conflict: it starts over, finds the winner's token live, replaces it and takes n+2. Every
 * generation below the newest is revoked, so at most the newest is live; a crash between the revoke
 * and the issue leaves none live, and retrying the accept issues the next one. The user id is in
 * the derivation so nobody else can occupy (or replace) the recipient's generations.
 */
export const accessTokenId = (invitationId: string, userId: string, generation: number) =>
  uuidv5(`${invitationId}/${userId}/${generation}`, ACCESS_TOKEN_NAMESPACE);

/** How long an access's issue waits for the membership service to have added the new member. */
const MEMBER_WAIT_MS = 5_000;
const MAX_ISSUE_ATTEMPTS = 5;

type Facts = Pick<GrantFacts, 'member' | 'owner' | 'scope' | 'billingAccountIds' | 'held' | 'accountClosed'>;

/** Use cases of API tokens. The secret exists in memory here and in the issue reply, nowhere else. */
@Injectable()
export class TokenCommands {
  /**
   * Stream `token-<tokenId>`. One member going revokes several tokens under one cause, so a
   * reaction's event ids derive from the cause AND the token. A token id that names no token must
   * not create a stream by revoking it: the decider refuses.
   */
  private readonly decide: CommandHandlerOf<typeof apiTokenDecider>;
  /** Stream `token-policy-<accountId>`. */
  private readonly decidePolicy: CommandHandlerOf<typeof tokenPolicyDecider>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REQUEST_CLIENT) private readonly requests: RequestClient,
  ) {
    this.decide = commandHandlerFor(store, {
      decider: apiTokenDecider,
      streamOf: streams.token,
      idsPerAggregate: true,
    });
    this.decidePolicy = commandHandlerFor(store, { decider: tokenPolicyDecider, streamOf: streams.tokenPolicy });
  }

  async issue(
    unchecked: IssueTokenPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<TokenIssuedResult> {
    const payload = checkedIssuePayload(unchecked);
    const issuer = await this.issuerFacts(payload, minPosition);
    const policy = (await this.store.readStream(streams.tokenPolicy(payload.accountId)))
      .map((e) => ({ type: e.type, data: e.data }) as never)
      .reduce(tokenPolicyDecider.evolve, tokenPolicyDecider.initialState());
    const token = mintToken();
    const data = (tokenId: string): IssueData => ({
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
      ...(payload.invitationId === undefined ? {} : { invitationId: payload.invitationId }),
      maxLifetimeDays: policy.maxLifetimeDays,
      now: metadata.now,
      actor: { userId: metadata.actor.userId, via: metadata.actor.via },
      issuer,
    });
    const tokenId = randomUUID();
    const result =
      payload.invitationId !== undefined && payload.issuedVia === 'access'
        ? await this.issueForInvitation(payload.invitationId, payload.userId, data, metadata)
        : await this.decide(tokenId, metadata, { type: 'IssueApiToken', data: data(tokenId) });
    const issued = result.events[0];
    if (issued?.type !== 'ApiTokenIssued') throw new Error('an issue decided no ApiTokenIssued');
    return {
      id: issued.data.tokenId,
      token,
      prefix: tokenPrefix(token),
      name: issued.data.name,
      expiresAt: issued.data.expiresAt,
      position: result.position,
    };
  }

  async revoke(payload: RevokeTokenPayload, metadata: CommandMetadata, minPosition?: number): Promise<CommandResult> {
    requireObject(payload);
    const accountId = requireUuid(payload.accountId, 'accountId');
    const tokenId = requireUuid(payload.tokenId, 'tokenId');
    const actor = await this.facts(
      { accountId, userId: requireUserId(metadata.actor.userId, 'actor.userId') },
      minPosition,
    );
    const result = await this.decide(tokenId, metadata, {
      type: 'RevokeApiToken',
      data: { accountId, by: metadata.actor.userId, via: metadata.actor.via, byOwner: actor.member && actor.owner },
    });
    return { position: result.position };
  }

  /**
   * A new secret for the token (TOK-16): minted here, its hash and prefix recorded, the secret
   * itself only in the reply. Whether the caller owns the account is asked of the membership service.
   */
  async rotate(
    payload: RotateTokenPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<TokenRotatedResult> {
    requireObject(payload);
    const accountId = requireUuid(payload.accountId, 'accountId');
    const tokenId = requireUuid(payload.tokenId, 'tokenId');
    // Default: no grace, the old secret stops at once (the decider checks the range).
    const graceHours = payload.graceHours ?? 0;
    if (typeof graceHours !== 'number')
      throw invalid('graceHours', 'token.grace_out_of_range', 'graceHours is a number.');
    const actor = await this.facts(
      { accountId, userId: requireUserId(metadata.actor.userId, 'actor.userId') },
      minPosition,
    );
    const token = mintToken();
    const result = await this.decide(tokenId, metadata, {
      type: 'RotateApiToken',
      data: {
        accountId,
        by: metadata.actor.userId,
        via: metadata.actor.via,
        byOwner: actor.member && actor.owner,
        graceHours,
        now: metadata.now,
        prefix: tokenPrefix(token),
        tokenHash: hashToken(token),
      },
    });
    const rotated = result.events[0];
    if (rotated?.type !== 'ApiTokenRotated') throw new Error('a rotation decided no ApiTokenRotated');
    const state = result.state.status === 'none' ? null : result.state;
    return {
      id: tokenId,
      token,
      prefix: rotated.data.prefix,
      expiresAt: state?.expiresAt ?? null,
      rotatedAt: metadata.now,
      graceEndsAt: rotated.data.graceEndsAt,
      position: result.position,
    };
  }

  async setPolicy(
    payload: TokenPolicyPayload,
    metadata: CommandMetadata,
    minPosition?: number,
  ): Promise<CommandResult> {
    requireObject(payload);
    const accountId = requireUuid(payload.accountId, 'accountId');
    const actor = await this.facts(
      { accountId, userId: requireUserId(metadata.actor.userId, 'actor.userId') },
      minPosition,
    );
    const result = await this.decidePolicy(accountId, metadata, {
      type: 'SetTokenPolicy',
      data: {
        accountId,
        maxLifetimeDays: payload.maxLifetimeDays,
        by: metadata.actor.userId,
        via: metadata.actor.via,
        byOwner: actor.member && actor.owner,
      },
    });
    return { position: result.position };
  }

  /** Reaction to a member going (`memberGone`): ids derive from the cause and the token, so redelivery is a no-op. */
  async revokeForMember(
    tokenId: string,
    command: RevokeForMember,
    metadata: CommandMetadata & { causationId: string },
  ): Promise<void> {
    await this.decide(tokenId, metadata, command);
  }

  /**
   * Issue for an accepted invitation: the newest generation of its tokens is replaced (revoked)
   * first, then the next one is issued as a new stream — see `accessTokenId` for why two racing
   * issues never leave two live tokens.
   */
  private async issueForInvitation(
    invitationId: string,
    userId: string,
    data: (tokenId: string) => IssueData,
    metadata: CommandMetadata,
  ) {
    for (let attempt = 1; ; attempt++) {
      let generation = 0;
      while ((await this.store.readStream(streams.token(accessTokenId(invitationId, userId, generation)))).length > 0)
        generation++;
      const tokenId = accessTokenId(invitationId, userId, generation);
      if (generation > 0) {
        await this.decide(accessTokenId(invitationId, userId, generation - 1), metadata, {
          type: 'ReplaceApiToken',
          data: data(tokenId),
        });
      }
      try {
        return await this.decide(tokenId, metadata, { type: 'IssueApiToken', data: data(tokenId) });
      } catch (error) {
        // Another issue for this invitation took this generation first: start over from its token.
        const lostRace = error instanceof DomainError && error.code === 'token.exists';
        if (!lostRace) throw error;
        if (attempt >= MAX_ISSUE_ATTEMPTS)
          throw conflict('token.issue_contended', 'This token is being issued by another request; try again.');
      }
    }
  }

  /**
   * The token's user as the membership service knows them, in ONE round trip for all the asked
   * permissions. An access's token is asked for right after the accept, while the membership
   * service may still be adding the member (a reaction to the accept): that case waits, bounded.
   */
  private async issuerFacts(payload: IssueTokenPayload, minPosition?: number): Promise<IssuerFacts> {
    const scope = payload.scope;
    const ask: GrantFactsPayload = {
      accountId: payload.accountId,
      userId: payload.userId,
      ...(payload.permissions === undefined ? {} : { permissions: payload.permissions }),
      ...(scope?.type === 'restricted' ? { billingAccountId: scope.billingAccountId } : {}),
    };
    const deadline = Date.now() + MEMBER_WAIT_MS;
    let facts = await this.facts(ask, minPosition);
    for (
      let pause = 20;
      !facts.member && payload.issuedVia === 'access' && Date.now() < deadline;
      pause = Math.min(pause * 2, 500)
    ) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      facts = await this.facts(ask, minPosition);
    }
    return {
      member: facts.member,
      scope: facts.scope,
      billingAccountIds: facts.billingAccountIds,
      held: facts.held,
      ...(facts.accountClosed ? { accountClosed: true } : {}),
    };
  }

  /** The membership service's answer; its refusal is ours (same kind and code). */
  private async facts(payload: GrantFactsPayload, minPosition?: number): Promise<Facts> {
    const { member, owner, scope, billingAccountIds, held, accountClosed } = await askQuery(
      this.requests,
      subjects.membership.grantFacts,
      payload,
      minPosition,
    );
    return {
      accountClosed: accountClosed === true,
      member: member === true,
      owner: owner === true,
      scope,
      billingAccountIds: billingAccountIds ?? [],
      held: held ?? [],
    };
  }
}
