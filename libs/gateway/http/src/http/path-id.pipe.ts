import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUuid } from '@accord/contracts';
import { GatewayError } from '../problem/gateway-error';

/**
 * Path ids are UUIDs. Anything else names nothing that exists: a 404 of the resource's kind
 * (not a 400, not a 500 from a service choking on it), e.g. `new PathId('account')`.
 */
@Injectable()
export class PathId implements PipeTransform<unknown, string> {
  constructor(private readonly resource: string) {}

  transform(value: unknown): string {
    if (!isUuid(value))
      throw new GatewayError({
        kind: 'not_found',
        code: `${this.resource}.not_found`,
        message: `${this.resource} not found`,
      });
    return value.toLowerCase();
  }
}
