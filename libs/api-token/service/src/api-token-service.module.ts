import { Module, type DynamicModule } from '@nestjs/common';
import { LastUsedRecorder } from './last-used.recorder';
import { MemberGoneReactor } from './member-gone.reactor';
import { TOKEN_OPTIONS, type ApiTokenServiceOptions } from './api-token-options';
import { TokenCommands } from './token.commands';
import { TokenIndex } from './token-index';
import { TokenMessageController, TokenReadModel } from './token.message-controller';
import { TokenQueries } from './token.queries';

/** The token service: API tokens. Needs EVENT_STORE, SQL_CLIENT and EVENT_CONSUMER. */
@Module({})
export class ApiTokenServiceModule {
  static forRoot(options: ApiTokenServiceOptions = {}): DynamicModule {
    return {
      module: ApiTokenServiceModule,
      controllers: [TokenMessageController],
      providers: [
        { provide: TOKEN_OPTIONS, useValue: options },
        TokenCommands,
        TokenQueries,
        TokenReadModel,
        TokenIndex,
        LastUsedRecorder,
        MemberGoneReactor,
      ],
    };
  }
}
