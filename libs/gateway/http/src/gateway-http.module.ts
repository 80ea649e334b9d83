import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { REQUEST_CLIENT } from '@accord/messaging';
import { AccessesHttpController } from './accesses/accesses.http.controller';
import { AccountsHttpController } from './accounts/accounts.http.controller';
import { AccessHistoryHttpController } from './audit/access-history.http.controller';
import { AuditLogHttpController } from './audit/audit-log.http.controller';
import { ApiTokenVerifier } from './auth/api-token-verifier';
import { AuthenticationGuard } from './auth/authentication.guard';
import { JwtCodec } from './auth/jwt';
import { DevTokensHttpController } from './dev/dev-tokens.http.controller';
import { Authorizer } from './dispatch/authorizer';
import { Dispatcher } from './dispatch/dispatcher';
import { assertGatewayOptions, GATEWAY_OPTIONS, type GatewayHttpOptions } from './gateway-options';
import { HealthHttpController } from './health/health.http.controller';
import { IndexHttpController } from './openapi/index.http.controller';
import { IDEMPOTENCY_STORE, IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { InMemoryIdempotencyStore } from './idempotency/idempotency-store';
import { AccountInvitationsHttpController } from './invitations/account-invitations.http.controller';
import { InvitationsHttpController } from './invitations/invitations.http.controller';
import { AttemptLimiter } from './limits/attempt-limiter';
import { AccountMembershipHttpController } from './members/account-membership.http.controller';
import { AuthzHttpController } from './members/authz.http.controller';
import { MembersHttpController } from './members/members.http.controller';
import { NotificationsHttpController } from './notifications/notifications.http.controller';
import { ProblemFilter } from './problem/problem.filter';
import { TokensHttpController } from './tokens/tokens.http.controller';
import { createValidationPipe } from './problem/validation';
import { AccessGetHttpController } from './accesses/access.get.http.controller';
import { AccessLifecycleHttpController } from './accesses/access-lifecycle.http.controller';
import { AccessRecipientsHttpController } from './accesses/access-recipients.http.controller';
import { AccountGetHttpController } from './accounts/account.get.http.controller';
import { BillingAccountGetHttpController } from './billing/billing-account.get.http.controller';
import { InvitationSettingsGetHttpController } from './invitations/invitation-settings.get.http.controller';
import { MemberGetHttpController } from './members/member.get.http.controller';
import { CustomRoleGetHttpController } from './roles/custom-role.get.http.controller';
import { TokenGetHttpController } from './tokens/token.get.http.controller';
import { WebhooksHttpController } from './webhooks/webhooks.http.controller';
import { AccountLifecycleHttpController } from './accounts/account-lifecycle.http.controller';
import { BillingAccountLifecycleHttpController } from './billing/billing-account-lifecycle.http.controller';
import { CustomRoleDeleteHttpController } from './roles/custom-role-delete.http.controller';
import { MeHttpController } from './me/me.http.controller';
import { PermissionsHttpController } from './permissions/permissions.http.controller';

/**
 * The HTTP API. The composing app hands in the `RequestClient` of its profile in the options; the
 * module provides it as `REQUEST_CLIENT`. Authentication (guard), validation (pipe) and the
 * problem+json mapping (filter) are app-wide providers here, so no route can miss them.
 * Fastify-level parts (request ids, JSON body parsing, OpenAPI) are set up by `createGatewayApp`.
 */
@Module({})
export class GatewayHttpModule {
  /** The module for these options; throws naming the option when one is unusable. */
  static forRoot(options: GatewayHttpOptions): DynamicModule {
    assertGatewayOptions(options);
    const controllers: Type[] = [
      IndexHttpController,
      HealthHttpController,
      AccountsHttpController,
      AccessesHttpController,
      InvitationsHttpController,
      AccountInvitationsHttpController,
      MembersHttpController,
      AccountMembershipHttpController,
      AuthzHttpController,
      TokensHttpController,
      NotificationsHttpController,
      AuditLogHttpController,
      AccessHistoryHttpController,
      // One resource each, shaped as its list's item.
      AccountGetHttpController,
      MemberGetHttpController,
      AccessGetHttpController,
      // INV-27, INV-28: an access's life after its share.
      AccessRecipientsHttpController,
      AccessLifecycleHttpController,
      TokenGetHttpController,
      BillingAccountGetHttpController,
      CustomRoleGetHttpController,
      // Lifecycles: rename and close an account, rename and delete billing accounts, delete roles.
      AccountLifecycleHttpController,
      BillingAccountLifecycleHttpController,
      CustomRoleDeleteHttpController,
      InvitationSettingsGetHttpController,
      WebhooksHttpController,
      MeHttpController,
      PermissionsHttpController,
    ];
    if (options.devTokens) controllers.push(DevTokensHttpController);
    return {
      module: GatewayHttpModule,
      controllers,
      providers: [
        { provide: GATEWAY_OPTIONS, useValue: options },
        { provide: REQUEST_CLIENT, useValue: options.requestClient },
        JwtCodec,
        ApiTokenVerifier,
        Dispatcher,
        Authorizer,
        AttemptLimiter,
        { provide: APP_GUARD, useClass: AuthenticationGuard },
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        // SEC-12: Idempotency-Key on every POST/PUT/PATCH/DELETE; runs after the guard (it needs the caller).
        { provide: IDEMPOTENCY_STORE, useValue: options.idempotencyStore ?? new InMemoryIdempotencyStore() },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
      ],
    };
  }
}
