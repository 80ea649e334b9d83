import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import {
  GATEWAY_OPTIONS,
  type FailedComponentReport,
  type GatewayHttpOptions,
  type HealthReport,
} from '../gateway-options';
import { GatewayError } from '../problem/gateway-error';
import { ApiProblems } from '../problem/problem.doc';
import { ApiPublic } from '../openapi/security';

class FailedComponentDoc implements FailedComponentReport {
  @ApiProperty({ example: 'projection:notification.directory-inbox.v1' }) readonly name!: string;
  @ApiPropertyOptional({ example: 'notification-service', description: 'The service process (services profile)' })
  readonly service?: string;
  @ApiProperty({ example: '0b9c6a9e-4d1f-4a3e-9a53-6f1e0c2d7b11' }) readonly eventId!: string;
  @ApiProperty({ example: 'MemberRemoved' }) readonly eventType!: string;
  @ApiProperty({ example: 1042, description: 'Global position of the event it stopped on' }) readonly position!: number;
  @ApiProperty({ example: 'null value in column "email_normalized" violates not-null constraint' })
  readonly error!: string;
  @ApiProperty({ example: '2024-05-01T12:00:00.000Z' }) readonly since!: string;
}

class HealthDoc implements HealthReport {
  @ApiProperty({ enum: ['ok', 'degraded'], example: 'ok' }) readonly status!: 'ok' | 'degraded';
  @ApiPropertyOptional({
    type: [FailedComponentDoc],
    description: 'Components stopped on an event they could not handle',
  })
  readonly failed?: FailedComponentDoc[];
  @ApiPropertyOptional({ type: [String], description: 'Services that did not answer in time' })
  readonly unreachable?: string[];
}

/**
 * Readiness probe: 503 until the composing app says it is ready (and if that check fails). Once
 * ready, 200 with readiness details: `{status:'ok'}` when every projection, read model, reactor
 * and consumer runs; `{status:'degraded', failed:[…], unreachable:[…]}` when some stopped on an
 * event they could not handle (SEC-3c) or a service did not answer.
 *
 * Degraded is deliberately still 200, not 503: a component that failed stops ALONE and everything
 * else keeps serving traffic (only requests that need the failed read model answer
 * `read_model.failed`). A 503 would make a load balancer or orchestrator pull every replica out of
 * service (or restart them in a loop, replaying the same bad event) for one broken feature, turning
 * one bad event back into a total outage. Alerting keys on `status: degraded` instead.
 */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(@Inject(GATEWAY_OPTIONS) private readonly options: GatewayHttpOptions) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthDoc, description: 'Ready: `ok`, or `degraded` with the failed components (still 200)' })
  @ApiProblems([503, 'Not ready yet (`service.not_ready`): retry after `Retry-After` seconds'])
  @ApiOperation({ operationId: 'getHealth', summary: 'Readiness of the gateway and the services behind it' })
  @ApiPublic()
  async health(): Promise<HealthDoc> {
    if (!(await this.isReady())) {
      throw new GatewayError({
        kind: 'unavailable',
        code: 'service.not_ready',
        message: 'not ready yet',
        retryAfterSeconds: 1,
      });
    }
    if (!this.options.health) return { status: 'ok' };
    return this.details(this.options.health);
  }

  private async isReady(): Promise<boolean> {
    if (!this.options.ready) return true;
    try {
      return (await this.options.ready()) === true;
    } catch {
      return false;
    }
  }

  /** Only the documented fields go out (an error in the hook: degraded, without its message). */
  private async details(health: () => Promise<HealthReport>): Promise<HealthDoc> {
    let report: HealthReport;
    try {
      report = await health();
    } catch {
      return { status: 'degraded', unreachable: ['health'] };
    }
    const failed = (report.failed ?? []).map((f) => ({
      name: f.name,
      ...(f.service ? { service: f.service } : {}),
      eventId: f.eventId,
      eventType: f.eventType,
      position: f.position,
      error: f.error,
      since: f.since,
    }));
    const unreachable = [...(report.unreachable ?? [])];
    if (report.status === 'ok' && failed.length === 0 && unreachable.length === 0) return { status: 'ok' };
    return { status: 'degraded', ...(failed.length ? { failed } : {}), ...(unreachable.length ? { unreachable } : {}) };
  }
}
