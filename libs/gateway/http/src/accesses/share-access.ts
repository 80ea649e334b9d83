import type { Scope, ShareAccessPayload } from '@accord/contracts';
import { invalidInput } from '../problem/gateway-error';
import type { ShareAccessDto } from './access.dto';

/**
 * The payload of a share, once the DTO is valid. A restricted scope (INV-20) limits the access
 * to one billing account; owners are always global.
 */
export function shareAccessPayload(accountId: string, body: ShareAccessDto): ShareAccessPayload {
  if (body.scope.type === 'restricted' && body.role === 'owner') {
    throw invalidInput([{ field: 'scope', message: 'owners always have global scope' }], 'access.owner_scope');
  }
  const scope: Scope =
    body.scope.type === 'restricted'
      ? { type: 'restricted', billingAccountId: body.scope.billingAccountId! }
      : { type: 'global' };
  return {
    accountId,
    name: body.name,
    type: body.type,
    scope,
    role: body.role,
    recipients: [...body.recipients],
    ...(typeof body.message === 'string' ? { message: body.message } : {}),
    ...(body.permissions === undefined ? {} : { permissions: [...body.permissions] }),
    ...(body.mayCreateEnvironments === undefined ? {} : { mayCreateEnvironments: body.mayCreateEnvironments }),
    ...(body.accessExpiresAt === undefined ? {} : { accessExpiresAt: body.accessExpiresAt }),
  };
}
