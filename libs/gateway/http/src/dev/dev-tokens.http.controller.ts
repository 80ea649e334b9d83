import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { v5 as uuidv5 } from 'uuid';
import { normalizeEmail } from '@accord/contracts';
import { JwtCodec, type IssuedToken } from '../auth/jwt';
import { Public } from '../auth/public.decorator';
import { ApiProblems } from '../problem/problem.doc';
import { ApiPublic } from '../openapi/security';
import { DevTokenDto, IssuedTokenDoc } from './dev-token.dto';

/** Namespace of the user ids derived from e-mail addresses (uuid v5): fixed, so ids are stable. */
const DEV_USER_NAMESPACE = '6f1c2b0e-3c1d-4b7a-9f5e-2a8d4c6b1e90';
const TWELVE_HOURS = 12 * 60 * 60;

/** The user id a dev token gives an e-mail address: the same address, the same user, every time. */
export function devUserId(email: string): string {
  return uuidv5(normalizeEmail(email), DEV_USER_NAMESPACE);
}

/**
 * Self-service tokens for the embedded profile (the README walk-through), standing in for an
 * identity provider. Anyone can become anyone here, so the module registers this controller only
 * when `devTokens` is on; the services profile leaves it off and the route does not exist.
 */
@ApiTags('dev')
@ApiProblems()
@Controller('v1/dev/tokens')
export class DevTokensHttpController {
  constructor(private readonly jwt: JwtCodec) {}

  @Public()
  @Post()
  @ApiCreatedResponse({ type: IssuedTokenDoc })
  @ApiOperation({
    operationId: 'issueDevToken',
    summary: 'Issue a session token for any e-mail address (embedded profile only)',
  })
  @ApiProblems(400, 409, 422)
  @ApiPublic()
  issue(@Body() body: DevTokenDto): Promise<IssuedToken> {
    const email = normalizeEmail(body.email);
    return this.jwt.sign(
      { userId: body.userId ?? devUserId(email), email, emailVerified: body.emailVerified ?? true },
      TWELVE_HOURS,
    );
  }
}
