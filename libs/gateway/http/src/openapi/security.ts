import { ApiExtension, ApiSecurity, type DocumentBuilder } from '@nestjs/swagger';

type SecuritySchemeObject = Parameters<DocumentBuilder['addSecurity']>[1];

/** A session token (JWT) of the identity provider: every route that is not public takes one. */
export const SESSION_SCHEME = 'bearer';
/** An API token `acc_…`: routes of the token's own account, and the few that confine themselves to it. */
export const API_TOKEN_SCHEME = 'apiToken';

/** Marks an operation the post-processing turns into `security: []` (decorators cannot say "none"). */
export const PUBLIC_EXTENSION = 'x-accord-public';

export const SECURITY_SCHEMES: Readonly<Record<string, SecuritySchemeObject>> = {
  [SESSION_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A session token of the identity provider: `Authorization: Bearer <jwt>`',
  },
  [API_TOKEN_SCHEME]: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'acc_<secret>',
    description:
      'An API token (`acc_…`, issued by POST /v1/accounts/{accountId}/tokens): `Authorization: Bearer acc_…`. ' +
      'It acts in its own account only, with at most its user’s current permissions.',
  },
};

/**
 * Documents that an API token is accepted, next to the session token of `@ApiBearerAuth()`. The
 * caller policy (auth/caller-policy.ts) decides it: routes with an `:accountId`, and `@ApiTokenAllowed()`.
 */
export const ApiTokenAccepted = (): MethodDecorator & ClassDecorator => ApiSecurity(API_TOKEN_SCHEME);

/** Documents a `@Public()` route: no token needed (`security: []`). */
export const ApiPublic = (): MethodDecorator => ApiExtension(PUBLIC_EXTENSION, true);
