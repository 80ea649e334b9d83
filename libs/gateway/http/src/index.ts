export { GatewayHttpModule } from './gateway-http.module';
export { createGatewayApp } from './create-gateway-app';
export { GATEWAY_OPTIONS, type GatewayAppOptions, type GatewayHttpOptions } from './gateway-options';
export { devUserId } from './dev/dev-tokens.http.controller';
export type { Problem } from './problem/problem';
export { SqlIdempotencyStore } from './idempotency/sql-idempotency-store';
export { InMemoryIdempotencyStore, type IdempotencyStore } from './idempotency/idempotency-store';
