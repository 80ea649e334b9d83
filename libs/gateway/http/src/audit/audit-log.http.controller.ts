import {
  Controller,
  createParamDecorator,
  Get,
  Inject,
  Param,
  StreamableFile,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AUDIT_LOG_LIMITS, subjects, type AuditLogPayload } from '@accord/contracts';
import { CurrentCaller, type Caller } from '../auth/caller';
import { HiddenFromImpersonation } from '../auth/caller-policy';
import { Authorizer } from '../dispatch/authorizer';
import { Dispatcher } from '../dispatch/dispatcher';
import { READ_AUDIT_LOG } from '../dispatch/route-permissions';
import { GATEWAY_OPTIONS, type GatewayHttpOptions } from '../gateway-options';
import { ApiMinPosition, MinPosition } from '../http/min-position';
import { PathId } from '../http/path-id.pipe';
import { ApiProblems } from '../problem/problem.doc';
import { ApiTokenAccepted } from '../openapi/security';
import { encodeAuditCursor } from './audit-log-cursor';
import { AuditLogPageDoc } from './audit-log.dto';
import { AUDIT_EXPORT_CONTENT_TYPE, auditExportStream, exportNotConfigured } from './audit-log-export';
import { parseAuditExportQuery, parseAuditLogQuery } from './audit-log-query';

/** The raw query string values; each route checks its own (audit-log-query.ts). */
const RawQuery = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Readonly<Record<string, unknown>> =>
    (context.switchToHttp().getRequest<FastifyRequest>().query as Record<string, unknown> | undefined) ?? {},
);

const INSTANT = { type: 'string', format: 'date-time', example: '2030-01-31T12:00:00Z' } as const;

/**
 * The account's audit log: every event of the account, for its owners. Hidden from impersonation
 * like accesses and tokens: the log names every member, access and token of the account.
 */
@ApiTags('audit')
@ApiBearerAuth()
@ApiProblems()
@HiddenFromImpersonation()
@ApiTokenAccepted()
@Controller('v1/accounts/:accountId/audit-log')
export class AuditLogHttpController {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly authorizer: Authorizer,
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayHttpOptions,
  ) {}

  /** One page, newest first; `next` continues with older entries. */
  @Get()
  @ApiQuery({ name: 'after', required: false, description: 'The `next` cursor of the previous page' })
  @ApiQuery({
    name: 'limit',
    required: false,
    schema: { type: 'integer', minimum: 1, maximum: AUDIT_LOG_LIMITS.maxPage, default: AUDIT_LOG_LIMITS.defaultPage },
    description: 'Entries per page (a page may hold fewer, and still have a `next`)',
  })
  @ApiQuery({
    name: 'type',
    required: false,
    description: 'Only these event types, comma-separated or repeated (e.g. RoleChanged,MemberJoined)',
  })
  @ApiQuery({ name: 'actorId', required: false, description: 'Only events this user caused' })
  @ApiQuery({ name: 'from', required: false, schema: INSTANT, description: 'Only events at or after this instant' })
  @ApiQuery({ name: 'to', required: false, schema: INSTANT, description: 'Only events before this instant' })
  @ApiMinPosition()
  @ApiOkResponse({ type: AuditLogPageDoc })
  @ApiOperation({
    operationId: 'getAuditLog',
    summary: 'Read the account’s audit log, one page at a time, newest first',
  })
  @ApiProblems(400, 401, 403, 404)
  async page(
    @Param('accountId', new PathId('account')) accountId: string,
    @RawQuery() query: Readonly<Record<string, unknown>>,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<AuditLogPageDoc> {
    const asked = parseAuditLogQuery(query);
    await this.authorizer.require(caller, accountId, READ_AUDIT_LOG, minPosition);
    const payload: AuditLogPayload = { accountId, ...asked };
    const page = await this.dispatcher.query(subjects.membership.auditLog, payload);
    return {
      entries: [...page.entries],
      next: page.nextBefore === null ? null : encodeAuditCursor(page.nextBefore),
    };
  }

  /**
   * Every event of the account in global order as signed JSON Lines — the same file as
   * `accord audit export`, which `accord audit verify` checks. Streamed, page by page.
   */
  @Get('export')
  @ApiQuery({ name: 'from', required: false, schema: INSTANT, description: 'Only events at or after this instant' })
  @ApiQuery({ name: 'to', required: false, schema: INSTANT, description: 'Only events before this instant' })
  @ApiMinPosition()
  @ApiProduces(AUDIT_EXPORT_CONTENT_TYPE)
  @ApiOkResponse({
    description:
      'One event per line with `prevHash` and `hash` (SHA-256 over RFC 8785 JSON), then an `AuditExportHead` ' +
      'line signed with Ed25519. 503 `audit.export_not_configured` when the server has no AUDIT_SIGNING_KEY.',
    content: { [AUDIT_EXPORT_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({ operationId: 'exportAuditLog', summary: 'Export the account’s audit log as signed JSON Lines' })
  @ApiProblems(400, 401, 403, 404, [503, 'The server has no AUDIT_SIGNING_KEY (`audit.export_not_configured`)'])
  async export(
    @Param('accountId', new PathId('account')) accountId: string,
    @RawQuery() query: Readonly<Record<string, unknown>>,
    @CurrentCaller() caller: Caller,
    @MinPosition() minPosition?: number,
  ): Promise<StreamableFile> {
    const range = parseAuditExportQuery(query);
    // Authorization first: whether exports are configured is nobody else's business.
    await this.authorizer.require(caller, accountId, READ_AUDIT_LOG, minPosition);
    const key = this.options.auditSigningKey;
    if (!key) throw exportNotConfigured();
    const stream = await auditExportStream(this.dispatcher, accountId, range, key);
    return new StreamableFile(stream, {
      type: `${AUDIT_EXPORT_CONTENT_TYPE}; charset=utf-8`,
      disposition: `attachment; filename="audit-${accountId}.jsonl"`,
    });
  }
}
