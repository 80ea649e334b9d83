import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  DomainError,
  TOKEN_STATUSES,
  invalid,
  notFound,
  pageRequestOf,
  subjects,
  type Page,
  type CommandRequest,
  type CommandResult,
  type IssueTokenPayload,
  type ListTokensPayload,
  type AccountPayload,
  type GetTokenPayload,
  type TokenPolicyView,
  type QueryRequest,
  type Reply,
  type RevokeTokenPayload,
  type RotateTokenPayload,
  type TokenIssuedResult,
  type TokenPolicyPayload,
  type TokenRotatedResult,
  type TokenView,
  type VerifiedToken,
  type VerifyTokenPayload,
} from '@accord/contracts';
import { Handles } from '@accord/messaging';
import { ManagedProjection, awaitPosition, toReply } from '@accord/service-kit';
import { LastUsedRecorder } from './last-used.recorder';
import { TokenCommands } from './token.commands';
import { hashToken, isWellFormedToken } from './token-format';
import { requireObject, requireUserId, requireUuid } from './token-input';
import { TokenIndex } from './token-index';
import { tokenProjection } from './token.projection';
import { TokenQueries } from './token.queries';

/** The token list read model, kept up to date while the service runs. */
export class TokenReadModel extends ManagedProjection(tokenProjection) {}

/** One answer for every token that does not work: unknown, malformed, revoked or expired. */
const invalidToken = () => new DomainError('unauthenticated', 'token.invalid', 'the API token is not valid');

@Controller()
export class TokenMessageController {
  constructor(
    private readonly commands: TokenCommands,
    private readonly queries: TokenQueries,
    private readonly readModel: TokenReadModel,
    private readonly index: TokenIndex,
    private readonly lastUsed: LastUsedRecorder,
  ) {}

  @Handles(subjects.token.issue)
  issue(@Payload() request: CommandRequest<IssueTokenPayload>): Promise<Reply<TokenIssuedResult>> {
    return toReply(() => this.commands.issue(request.payload, request.metadata, request.minPosition));
  }

  @Handles(subjects.token.revoke)
  revoke(@Payload() request: CommandRequest<RevokeTokenPayload>): Promise<Reply<CommandResult>> {
    return toReply(() => this.commands.revoke(request.payload, request.metadata, request.minPosition));
  }

  @Handles(subjects.token.rotate)
  rotate(@Payload() request: CommandRequest<RotateTokenPayload>): Promise<Reply<TokenRotatedResult>> {
    return toReply(() => this.commands.rotate(request.payload, request.metadata, request.minPosition));
  }

  @Handles(subjects.token.setPolicy)
  setPolicy(@Payload() request: CommandRequest<TokenPolicyPayload>): Promise<Reply<CommandResult>> {
    return toReply(() => this.commands.setPolicy(request.payload, request.metadata, request.minPosition));
  }

  @Handles(subjects.token.list)
  list(@Payload() request: QueryRequest<ListTokensPayload>): Promise<Reply<Page<TokenView>>> {
    return toReply(async () => {
      requireObject(request.payload);
      const { accountId, userId, status } = request.payload;
      if (status !== undefined && !(TOKEN_STATUSES as readonly unknown[]).includes(status))
        throw invalid('status', 'request.invalid', `status must be one of ${TOKEN_STATUSES.join(', ')}.`);
      const payload: ListTokensPayload = {
        accountId: requireUuid(accountId, 'accountId'),
        ...(userId === undefined ? {} : { userId: requireUserId(userId, 'userId') }),
        ...(status === undefined ? {} : { status }),
      };
      const page = pageRequestOf(request.payload, ['instant', 'uuid']);
      await awaitPosition(this.readModel, request.minPosition);
      // The service's clock is the "now" an expiry is judged at, as `verify` judges it.
      return this.queries.list(payload, page, new Date().toISOString());
    });
  }

  /** One token, as `list` shows it: with `userId`, only that user's (a non-owner's own). */
  @Handles(subjects.token.get)
  get(@Payload() request: QueryRequest<GetTokenPayload>): Promise<Reply<TokenView>> {
    return toReply(async () => {
      requireObject(request.payload);
      const { accountId, tokenId, userId } = request.payload;
      const payload: GetTokenPayload = {
        accountId: requireUuid(accountId, 'accountId'),
        tokenId: requireUuid(tokenId, 'tokenId'),
        ...(userId === undefined ? {} : { userId: requireUserId(userId, 'userId') }),
      };
      await awaitPosition(this.readModel, request.minPosition);
      const found = await this.queries.one(payload);
      if (!found) throw notFound('token.not_found', 'No such API token in this account.');
      return found;
    });
  }

  /** The account's maximum token lifetime (TOK-6). */
  @Handles(subjects.token.policy)
  policy(@Payload() request: QueryRequest<AccountPayload>): Promise<Reply<TokenPolicyView>> {
    return toReply(async () => {
      requireObject(request.payload);
      const accountId = requireUuid(request.payload.accountId, 'accountId');
      // Read from the store; waiting for the read model still makes the store's horizon pass `minPosition`.
      await awaitPosition(this.readModel, request.minPosition);
      return this.queries.policy(accountId);
    });
  }

  /**
   * Every request made with an API token comes here. Shape and checksum first — a malformed or
   * tampered token never reaches the index — then one hash and one map look-up in memory.
   * Unknown, revoked, expired and malformed all get the same answer.
   */
  @Handles(subjects.token.verify)
  verify(@Payload() request: QueryRequest<VerifyTokenPayload>): Promise<Reply<VerifiedToken>> {
    return toReply(async () => {
      const secret: unknown = request.payload?.token;
      if (typeof secret !== 'string' || !isWellFormedToken(secret)) throw invalidToken();
      await awaitPosition(this.index, request.minPosition);
      const token = await this.index.findForRequest(hashToken(secret));
      if (!token) throw invalidToken();
      this.lastUsed.record(token.tokenId, new Date().toISOString());
      return token;
    });
  }
}
