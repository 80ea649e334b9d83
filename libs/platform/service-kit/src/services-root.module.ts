import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { InfrastructureModule, type Infrastructure } from './infrastructure.module';

/** The Nest root of a process hosting one or more service modules on the given adapters. */
@Module({})
export class ServicesRootModule {
  static forRoot(infrastructure: Infrastructure, services: ReadonlyArray<Type | DynamicModule>): DynamicModule {
    return { module: ServicesRootModule, imports: [InfrastructureModule.forRoot(infrastructure), ...services] };
  }
}
