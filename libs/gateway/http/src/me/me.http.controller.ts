import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { ApiTokenAllowed } from '../auth/caller-policy';
import { CurrentCaller, type Caller } from '../auth/caller';
import { ApiTokenAccepted } from '../openapi/security';
import { ApiProblems } from '../problem/problem.doc';

/** Who the gateway takes the caller for: what a client needs to find itself in member lists. */
export interface MeView {
  readonly userId: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly via: Caller['actor']['via'];
  readonly tokenId?: string;
  readonly accountId?: string;
  readonly impersonatorId?: string;
}

class MeDoc implements MeView {
  @ApiProperty({ description: 'The user id (the identity provider’s `sub`) that members lists and checks use' })
  readonly userId!: string;
  @ApiProperty({ format: 'email' }) readonly email!: string;
  @ApiProperty({
    description:
      'Whether the identity provider verified the e-mail; false behind an API token, which proves no mailbox',
  })
  readonly emailVerified!: boolean;
  @ApiProperty({
    enum: ['session', 'api_token', 'impersonation'],
    description: 'How the request was authenticated',
  })
  readonly via!: MeView['via'];
  @ApiPropertyOptional({ format: 'uuid', description: 'With an API token: its id' }) readonly tokenId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'With an API token: the one account it acts in' })
  readonly accountId?: string;
  @ApiPropertyOptional({ description: 'While impersonating: the platform admin’s user id' })
  readonly impersonatorId?: string;
}

/**
 * The caller as the gateway authenticated them, from the session or the API token alone: no
 * service is asked and no account is named, so an API token may ask too (it learns only itself).
 */
@ApiTags('me')
@ApiBearerAuth()
@ApiProblems()
@ApiTokenAccepted()
@Controller('v1/me')
export class MeHttpController {
  @Get()
  @ApiTokenAllowed()
  @ApiOkResponse({ type: MeDoc })
  @ApiOperation({ operationId: 'getMe', summary: 'Show who the caller is: user id, e-mail and how they signed in' })
  @ApiProblems(401)
  me(@CurrentCaller() caller: Caller): MeView {
    const { person, actor, apiToken } = caller;
    return {
      userId: person.userId,
      email: person.email,
      emailVerified: person.emailVerified,
      via: actor.via,
      ...(apiToken ? { tokenId: apiToken.tokenId, accountId: apiToken.accountId } : {}),
      ...(actor.impersonatorId ? { impersonatorId: actor.impersonatorId } : {}),
    };
  }
}
