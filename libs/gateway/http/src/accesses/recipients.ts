import { ValidateBy, isEmail, type ValidationOptions } from 'class-validator';
import { LIMITS, normalizeEmail } from '@accord/contracts';
import type { FieldError } from '../problem/gateway-error';
import type { ExplainingContext } from '../problem/validation';

/**
 * Everything wrong with a recipient list, naming the entry (`recipients[2]`): 1 to
 * `LIMITS.recipients` e-mail addresses of at most `LIMITS.email` characters, no address twice once
 * normalized (one person must not get two invitations of a share).
 */
export function recipientIssues(value: unknown, field: string): FieldError[] {
  if (!Array.isArray(value)) return [{ field, message: `${field} must be a list of e-mail addresses` }];
  if (value.length < 1 || value.length > LIMITS.recipients) {
    return [{ field, message: `${field} must list between 1 and ${LIMITS.recipients} e-mail addresses` }];
  }
  const firstIndexOf = new Map<string, number>();
  return value.flatMap((entry: unknown, index): FieldError[] => {
    const at = `${field}[${index}]`;
    if (typeof entry !== 'string' || entry.length > LIMITS.email || !isEmail(entry)) {
      return [{ field: at, message: `${at} must be a valid e-mail address of at most ${LIMITS.email} characters` }];
    }
    const key = normalizeEmail(entry);
    const first = firstIndexOf.get(key);
    if (first !== undefined) return [{ field: at, message: `${at} repeats ${field}[${first}]` }];
    firstIndexOf.set(key, index);
    return [];
  });
}

/** class-validator decorator over `recipientIssues`; the 400 names each bad entry. */
export function IsRecipientList(options?: ValidationOptions): PropertyDecorator {
  const context: ExplainingContext = { explain: recipientIssues };
  return ValidateBy(
    {
      name: 'isRecipientList',
      validator: {
        validate: (value: unknown, args) => recipientIssues(value, args?.property ?? 'recipients').length === 0,
        defaultMessage: (args) =>
          recipientIssues(args?.value, args?.property ?? 'recipients')[0]?.message ?? 'invalid recipients',
      },
    },
    { ...options, context },
  );
}
