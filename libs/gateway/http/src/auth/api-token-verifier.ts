import { Injectable } from '@nestjs/common';
import { subjects } from '@accord/contracts';
import { Dispatcher } from '../dispatch/dispatcher';
import type { Identity } from './jwt';

/**
 * `Authorization: Bearer acc_…`: the token service checks length and checksum before any look-up,
 * then answers from its in-memory index (no database round trip). `minPosition` on the request
 * makes a just-revoked token fail on the very next request.
 */
@Injectable()
export class ApiTokenVerifier {
  constructor(private readonly dispatcher: Dispatcher) {}

  async verify(token: string, minPosition?: number): Promise<Identity> {
    const verified = await this.dispatcher.query(subjects.token.verify, { token }, minPosition);
    return {
      // A token proves nothing about an e-mail inbox: it can never accept an invitation.
      person: { userId: verified.userId, email: verified.email, emailVerified: false },
      actor: { userId: verified.userId, via: 'api_token', tokenId: verified.tokenId },
      internalService: false,
      apiToken: { tokenId: verified.tokenId, accountId: verified.accountId },
    };
  }
}
