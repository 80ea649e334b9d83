import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/public.decorator';
import { GATEWAY_OPTIONS, type GatewayHttpOptions } from '../gateway-options';
import { GatewayError } from '../problem/gateway-error';

class HealthDoc {
  @ApiProperty({ example: 'ok' }) readonly status!: 'ok';
}

/** Readiness probe: 200 once the composing app says it is ready, 503 before (and if it fails). */
@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(@Inject(GATEWAY_OPTIONS) private readonly options: GatewayHttpOptions) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: HealthDoc })
  @ApiServiceUnavailableResponse({ description: 'Not ready yet' })
  async health(): Promise<HealthDoc> {
    if (!(await this.isReady())) {
      throw new GatewayError({ kind: 'unavailable', code: 'service.not_ready', message: 'not ready yet', retryAfterSeconds: 1 });
    }
    return { status: 'ok' };
  }

  private async isReady(): Promise<boolean> {
    if (!this.options.ready) return true;
    try {
      return (await this.options.ready()) === true;
    } catch {
      return false;
    }
  }
}
