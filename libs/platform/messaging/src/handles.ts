import type { MessageHandler, RequestSubject } from '@accord/contracts';
import { MessagePattern } from '@nestjs/microservices';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * Compiles only when the method takes exactly the subject's request and answers exactly its reply.
 * (Comparing the methods whole would not do: a method's parameters are checked bivariantly.)
 */
type ExactlyThe<Method extends (request: never) => unknown, Handler extends (request: never) => unknown> =
  Same<Parameters<Method>, Parameters<Handler>> extends true
    ? Same<ReturnType<Method>, ReturnType<Handler>> extends true
      ? unknown
      : { readonly 'the reply must be exactly the one SubjectMap gives this subject': never }
    : { readonly 'the request must be exactly the one SubjectMap gives this subject': never };

/**
 * `@MessagePattern(subject)` for a subject of `SubjectMap`: the decorated method must take the
 * subject's request and answer its `Reply`, exactly, or the service does not compile.
 */
export function Handles<S extends RequestSubject>(subject: S) {
  const pattern = MessagePattern(subject);
  return <Method extends MessageHandler<S>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<Method> & ExactlyThe<Method, MessageHandler<S>>,
  ): void => {
    pattern(target, key, descriptor);
  };
}
