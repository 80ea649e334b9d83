import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'accord:public';

/** Opens a route to callers without a token. Everything else requires one (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
