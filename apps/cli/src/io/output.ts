import type { EventEnvelope } from '@accord/contracts';

/** `--json`: one JSON object per line on stdout, nothing else there (progress goes to stderr). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** An event for a person: position, time, type, stream and actor on one line, the data below. */
export function describeEnvelope(event: EventEnvelope): string {
  const actor = event.actor;
  const via =
    actor.via === 'impersonation' && actor.impersonatorId
      ? `impersonation by ${actor.impersonatorId}`
      : actor.tokenId
        ? `${actor.via} ${actor.tokenId}`
        : actor.via;
  return [
    `#${event.globalPosition}  ${event.occurredAt}  ${event.type} v${event.schemaVersion}  ${event.streamId}@${event.streamPosition}`,
    `    id ${event.id}  by ${actor.userId} (${via})  correlation ${event.correlationId}`,
    `    ${JSON.stringify(event.data)}`,
  ].join('\n');
}

/** Prints an event as `--json` asks. */
export function printEvent(event: EventEnvelope, json: boolean): void {
  if (json) printJson(event);
  else printLine(describeEnvelope(event));
}

// A reader that closes the pipe (`accord events read | head`) ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
