import { fail, ok, type Reply } from '@accord/contracts';
import { Controller, Inject, Module, type DynamicModule } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { of, type Observable } from 'rxjs';

/** Subjects of the test service, named like the contract's (`subjects.*`). */
export const echoSubjects = {
  echo: 'accord.test.echo',
  refuse: 'accord.test.refuse',
  slow: 'accord.test.slow',
  crash: 'accord.test.crash',
  observable: 'accord.test.observable',
  mutate: 'accord.test.mutate',
} as const;

export interface EchoPayload {
  readonly id: string;
  readonly text: string;
}
export interface EchoResult {
  readonly id: string;
  readonly text: string;
  readonly instance: string;
  readonly at: string;
}

const INSTANCE = Symbol('INSTANCE');

/** Records what this instance handled, so tests can count deliveries per replica. */
export class HandledLog {
  readonly ids: string[] = [];
}

/** A controller written once, served by NATS or in-process alike: returns Reply values. */
@Controller()
export class EchoController {
  constructor(
    @Inject(INSTANCE) private readonly instance: string,
    private readonly log: HandledLog,
  ) {}

  @MessagePattern(echoSubjects.echo)
  echo(@Payload() payload: EchoPayload): Reply<EchoResult> {
    this.log.ids.push(payload.id);
    // A Date in the reply: only its JSON form may reach the caller, in both profiles.
    return ok({
      id: payload.id,
      text: payload.text.toUpperCase(),
      instance: this.instance,
      at: new Date(0) as unknown as string,
    });
  }

  @MessagePattern(echoSubjects.refuse)
  refuse(): Reply<never> {
    return fail({ kind: 'forbidden', code: 'test.refused', message: 'Not for you.' });
  }

  @MessagePattern(echoSubjects.slow)
  async slow(@Payload() payload: { readonly ms: number }): Promise<Reply<string>> {
    await new Promise((resolve) => setTimeout(resolve, payload.ms));
    return ok('late');
  }

  @MessagePattern(echoSubjects.crash)
  crash(): Reply<never> {
    throw new Error('handler bug');
  }

  @MessagePattern(echoSubjects.observable)
  observable(): Observable<Reply<number>> {
    return of(ok(42));
  }

  /** Mutates its input: in-process must hand the handler a copy, never the caller's object. */
  @MessagePattern(echoSubjects.mutate)
  mutate(@Payload() payload: { list: string[] }): Reply<number> {
    payload.list.push('added by handler');
    return ok(payload.list.length);
  }
}

@Module({})
export class EchoModule {
  static forInstance(instance: string, log = new HandledLog()): DynamicModule {
    return {
      module: EchoModule,
      controllers: [EchoController],
      providers: [
        { provide: INSTANCE, useValue: instance },
        { provide: HandledLog, useValue: log },
      ],
    };
  }
}
