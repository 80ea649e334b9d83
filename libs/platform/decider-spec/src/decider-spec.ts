import { DomainError, type Decider } from '@accord/contracts';

/**
 * Given/when/then specifications for pure deciders (Emmett's DeciderSpecification):
 *
 *   given([AccountCreated]).when(ShareAccess).then([AccessShared])
 *   given([]).when(AcceptInvitation).thenThrows('not_found', 'invitation.not_found')
 *
 * `then` compares the decided events structurally; `thenNothing` asserts an idempotent no-op.
 */
export function deciderSpec<Command, Event, State>(decider: Decider<Command, Event, State>) {
  return (given: readonly Event[]) => ({
    when: (command: Command) => {
      const decide = () => decider.decide(command, given.reduce(decider.evolve, decider.initialState()));
      return {
        then: (expected: readonly Event[]) => expect(decide()).toEqual(expected),
        thenNothing: () => expect(decide()).toEqual([]),
        thenThrows: (kind: DomainError['kind'], code: string) => {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          expect({ kind: (thrown as DomainError).kind, code: (thrown as DomainError).code }).toEqual({ kind, code });
        },
      };
    },
  });
}
