import type { TSchema } from '@sinclair/typebox';
import {
  EVENT_CONTEXT,
  EVENT_EXAMPLES,
  EVENT_SCHEMAS,
  type AccordEventType,
  type EventEnvelope,
} from '@accord/contracts';
import { AuditDirectory } from './audit-directory';
import { DIRECTORY_EVENT_TYPES } from './directory-event-types';

const TYPES = Object.keys(EVENT_CONTEXT) as AccordEventType[];

/** Every string anywhere in `value`. */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}

/** Whether a directory fed the example of `type` learns an e-mail for one of its strings. */
function exampleTeaches(type: AccordEventType): boolean {
  const data = EVENT_EXAMPLES[type];
  const directory = new AuditDirectory();
  directory.learn({ type, data } as unknown as EventEnvelope);
  return stringsIn(data).some((value) => directory.emailOf(value) !== undefined);
}

/**
 * Whether the schema has, at any depth (optional fields, array items, unions included), an object
 * with both a `userId` and an `email` property: what the directory learns from, even when the
 * example leaves that part out.
 */
function schemaCanTeach(schema: TSchema | undefined): boolean {
  if (schema === undefined || typeof schema !== 'object') return false;
  const properties = schema['properties'] as Record<string, TSchema> | undefined;
  if (properties && 'userId' in properties && 'email' in properties) return true;
  const children: TSchema[] = [
    ...Object.values(properties ?? {}),
    ...((schema['anyOf'] as TSchema[] | undefined) ?? []),
    ...((schema['oneOf'] as TSchema[] | undefined) ?? []),
    ...((schema['allOf'] as TSchema[] | undefined) ?? []),
    ...(Array.isArray(schema['items']) ? (schema['items'] as TSchema[]) : [schema['items'] as TSchema | undefined]),
  ].filter((child): child is TSchema => child !== undefined);
  return children.some(schemaCanTeach);
}

describe('DIRECTORY_EVENT_TYPES', () => {
  it('holds exactly the types whose example teaches the directory an e-mail', () => {
    expect([...DIRECTORY_EVENT_TYPES].sort()).toEqual(TYPES.filter(exampleTeaches).sort());
  });

  it('holds exactly the types whose schema can carry a user id beside an e-mail', () => {
    expect([...DIRECTORY_EVENT_TYPES].sort()).toEqual(
      TYPES.filter((type) => schemaCanTeach(EVENT_SCHEMAS[type])).sort(),
    );
  });

  it('names each type once', () => {
    expect(new Set(DIRECTORY_EVENT_TYPES).size).toBe(DIRECTORY_EVENT_TYPES.length);
  });
});
