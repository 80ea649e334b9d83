/**
 * A pure decider (Emmett style): `decide` turns a command and the current state into new events,
 * `evolve` folds an event into the state. No I/O, no clock, no randomness: what those would give
 * arrives on the command.
 */
export interface Decider<Command, Event, State> {
  readonly decide: (command: Command, state: State) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
  readonly initialState: () => State;
}

/** A domain event before it is stored: its type and data, nothing about where it lives. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/** Ends every `switch` over a union: a new case that is not handled fails to compile. */
export function exhaustive(value: never): never {
  throw new Error(`Unhandled case ${JSON.stringify(value)}`);
}
