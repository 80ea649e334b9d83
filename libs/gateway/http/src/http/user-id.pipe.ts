import type { PipeTransform } from '@nestjs/common';
import { MAX_USER_ID_LENGTH, isUserId } from '@accord/contracts';
import { invalidInput } from '../problem/gateway-error';

/**
 * User ids in paths are the identity provider's `sub` (contracts `USER_ID_PATTERN`): printable
 * ASCII without `/` or whitespace, 1–255 characters. Anything else is a 400 naming the parameter,
 * before any handler runs. Names like `constructor` pass the format and are plain "not found"s:
 * every lookup behind this pipe is keyed on a Map, never on a plain object.
 */
export class UserIdPipe implements PipeTransform<unknown, string> {
  private readonly field = 'userId';

  transform(value: unknown): string {
    if (!isUserId(value)) {
      throw invalidInput(
        [
          {
            field: this.field,
            message: `${this.field} must be 1 to ${MAX_USER_ID_LENGTH} printable ASCII characters without "/" or spaces`,
          },
        ],
        'user.id_invalid',
      );
    }
    return value;
  }
}
