import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { InfrastructureModule, type Infrastructure } from './infrastructure.module';
import { LogContextInterceptor } from './logging/log-context.interceptor';
import { HandledRequestsInterceptor } from './metrics/handled-requests.interceptor';

/** The Nest root of a process hosting one or more service modules on the given adapters. */
@Module({})
export class ServicesRootModule {
  static forRoot(infrastructure: Infrastructure, services: ReadonlyArray<Type | DynamicModule>): DynamicModule {
    return {
      module: ServicesRootModule,
      imports: [InfrastructureModule.forRoot(infrastructure), ...services],
      // Every handler's log lines carry its request's ids and actor, in both profiles.
      // Every command and query they answer is counted too (metrics).
      providers: [
        { provide: APP_INTERCEPTOR, useClass: LogContextInterceptor },
        { provide: APP_INTERCEPTOR, useClass: HandledRequestsInterceptor },
      ],
    };
  }
}
