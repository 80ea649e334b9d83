import { STATUS_CODES } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { withIdempotencyKeyHeader } from '../idempotency/openapi';
import { toOpenApi31 } from './openapi-3-1';
import { PUBLIC_EXTENSION, SECURITY_SCHEMES } from './security';

/** Where the gateway serves Swagger UI; the document itself is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = 'docs';

const TAGS: ReadonlyArray<readonly [string, string]> = [
  ['accounts', 'Accounts the caller owns or belongs to'],
  ['me', 'Who the caller is'],
  ['accesses', 'Sharing access to an account by e-mail'],
  ['invitations', 'Invitations: the caller’s own, and an owner’s management of an account’s'],
  ['members', 'Members of an account, ownership, billing accounts and custom roles'],
  ['authorization', 'Permission checks'],
  ['tokens', 'API tokens of an account'],
  ['notifications', 'The caller’s in-app inbox'],
  ['audit', 'The audit log of an account and who could do what when'],
  ['health', 'Readiness of the gateway'],
  ['dev', 'Self-service session tokens of the embedded profile (not in production)'],
  ['index', 'Where to start'],
];

/** The OpenAPI 3.1 document of the app's routes, exactly as the gateway serves it. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Accord')
    .setDescription(
      'Access sharing and team membership. Errors are RFC 9457 problem+json. Every command answers with a `position`; ' +
        'pass it as `?minPosition=` on a later GET to read your own write.',
    )
    .setVersion('1')
    .addServer('/', 'This gateway (paths are relative to where the document was fetched)');
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) builder.addSecurity(name, scheme);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const generated = SwaggerModule.createDocument(app, builder.build());
  const document = toOpenApi31(withIdempotencyKeyHeader(generated));
  markPublicOperations(document);
  describeBareResponses(document);
  return withUsedTagsOnly(document);
}

/** Serves Swagger UI at `/docs` and the document at `/docs-json`, outside the guard (public). */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(DOCS_PATH, app, buildOpenApiDocument(app));
}

/** `@ApiPublic()` operations need no token: an empty requirement list says so (the marker goes). */
function markPublicOperations(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Record<string, unknown>[]) {
      if (typeof operation !== 'object' || operation === null || !(PUBLIC_EXTENSION in operation)) continue;
      delete operation[PUBLIC_EXTENSION];
      operation['security'] = [];
    }
  }
}

/** A response Nest wrote without a description (a plain `@Post()`'s 201) gets its status's reason phrase. */
function describeBareResponses(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as { responses?: Record<string, { description?: string }> }[]) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        if (!response.description) response.description = STATUS_CODES[status] ?? 'Answer';
      }
    }
  }
}

/** The `dev` tag exists only when the dev tokens route does: a tag without operations says nothing. */
function withUsedTagsOnly(document: OpenAPIObject): OpenAPIObject {
  const used = new Set(
    Object.values(document.paths).flatMap((item) =>
      Object.values(item as Record<string, { tags?: string[] }>).flatMap((operation) => operation?.tags ?? []),
    ),
  );
  return { ...document, tags: (document.tags ?? []).filter((tag) => used.has(tag.name)) };
}
