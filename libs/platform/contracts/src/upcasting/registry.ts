import { EVENT_CONTEXT, type AccordEventType } from '../events';
import { accessSharedAddsSharedAt } from './access-shared';
import type { UpcastStep } from './upcast-step';

/**
 * Every event type's schema history: `UPCASTERS[type][n - 1]` turns version n into n + 1. A type
 * without an entry has only version 1. A breaking change to an event's data appends a step here
 * (and the new schema in its context's events.ts); stored events are never rewritten.
 */
export const UPCASTERS: { readonly [T in AccordEventType]?: readonly UpcastStep[] } = {
  AccessShared: [accessSharedAddsSharedAt],
};

/** The steps of `type` (none for a type this reader does not know; never Object.prototype's). */
export function upcastStepsOf(type: string): readonly UpcastStep[] {
  return Object.hasOwn(UPCASTERS, type) ? (UPCASTERS[type as AccordEventType] ?? []) : [];
}

/** The version new events of `type` are written at: 1 + its upcast steps (1 for unknown types). */
export function currentSchemaVersion(type: string): number {
  return 1 + upcastStepsOf(type).length;
}

/** The current schema version of every Accord event type. */
export const CURRENT_SCHEMA_VERSION: Readonly<Record<AccordEventType, number>> = Object.fromEntries(
  Object.keys(EVENT_CONTEXT).map((type) => [type, currentSchemaVersion(type)]),
) as Record<AccordEventType, number>;
