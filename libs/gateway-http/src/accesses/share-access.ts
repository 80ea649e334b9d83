import type { Scope, ShareAccessPayload } from '@accord/contracts';
import { invalidInput } from '../problem/gateway-error';
import type { ShareAccessDto } from './access.dto';

/**
 * The payload of a share, once the DTO is valid. API-token accesses and restricted scopes are
 * part of the contract (the DTO accepts their shape) but not offered yet: refused here, with a
 * 400 naming the field, until the services support them.
 */
export function shareAccessPayload(accountId: string, body: ShareAccessDto): ShareAccessPayload {
  if (body.type !== 'delegate') {
    throw invalidInput([{ field: 'type', message: 'API-token accesses are not available yet; use type delegate' }], 'access.type_not_available');
  }
  if (body.scope.type !== 'global') {
    throw invalidInput([{ field: 'scope', message: 'restricted scope is not available yet' }], 'access.scope_not_available');
  }
  const scope: Scope = { type: 'global' };
  return {
    accountId,
    name: body.name,
    type: body.type,
    scope,
    role: body.role,
    recipients: [...body.recipients],
    ...(typeof body.message === 'string' ? { message: body.message } : {}),
  };
}
