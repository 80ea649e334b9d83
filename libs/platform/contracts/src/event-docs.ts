import { EVENT_EXAMPLES } from './event-examples';
import { EVENT_SCHEMAS } from './event-schemas';
import { EVENT_CONTEXT, type AccordEventType } from './events';
import { CURRENT_SCHEMA_VERSION, upcastStepsOf } from './upcasting';

// docs/events.md is generated from the event schemas (tools/docs/events-doc.ts writes it; a unit
// spec fails when the file is out of date). Pure: returns the Markdown, touches no file.

type Schema = Readonly<Record<string, unknown>>;

interface FieldRow {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly rules: string;
  readonly description: string;
}

const CONTEXT_TITLES = {
  membership: 'Membership (stream `account-<accountId>`; `ImpersonatedReadRecorded` in `impersonation-<adminId>`)',
  invitation: 'Invitation (stream `access-<accountId>`)',
  token: 'API tokens (stream `token-<tokenId>`; `TokenPolicyChanged` in `token-policy-<accountId>`)',
  notification:
    'Notification (stream `notification-<notificationId>`; the `WebhookEndpoint…` events in `webhook-<accountId>`)',
} as const;

const NO_C0 = '^[^\\u0000-\\u001f]*$';

export function renderEventsDoc(): string {
  const lines: string[] = [
    '# Events',
    '',
    '<!-- Generated from the event schemas (libs/platform/contracts/src/<context>/events.ts) by `node -r ./tools/register.js tools/docs/events-doc.ts`. Do not edit. -->',
    '',
    'Every event is published on JetStream stream `ACCORD_EVENTS`, subject `accord.events.<context>.<type>`, in the',
    'envelope of DESIGN.md ("Event envelope"). This page describes the `data` of each type at its current',
    '`schemaVersion`, the one every new event is written at. The event store validates every event against these',
    'schemas before append: an event that does not match (or of an unknown type, or of another version) is refused,',
    'nothing of its append is stored, and the command fails with a 500 `internal` error.',
    '',
    'Besides the fields DESIGN.md lists, the envelope may carry an optional `traceparent`: the W3C trace context',
    '(version 00, `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`) of the HTTP request whose command wrote',
    'the event. The gateway accepts a caller’s `traceparent` (a malformed one is ignored) or starts a trace, and',
    'answers with it; a reaction’s events carry the trace of the event that caused them. Events written before it',
    'existed, and events no request caused (expiry, scheduled work), have no `traceparent`: consumers must not require it.',
    '',
    'Stored events are never rewritten. An event stored at an older version is upcast when it is read',
    '(libs/platform/contracts/src/upcasting): the store returns it, and the relay publishes it, at the current',
    'version, with the data the type lists here, so no decider, projection, reactor, export or NATS consumer sees an',
    'older version. A version newer than the reader knows (a newer deployment wrote it) is passed on untouched.',
    '',
    'Rules common to every event:',
    '',
    '- Objects are closed: a property not listed here is refused.',
    '- No string contains a C0 control character (U+0000–U+001F).',
    "- `uuid` ids are RFC 4122 strings; user ids are the identity provider's `sub`: printable ASCII, 1–255",
    '  characters, no `/`, no whitespace.',
    '- Timestamps are ISO-8601 (`date-time`), UTC as written by Accord.',
    '- Fields marked optional may be absent (older events lack them); `null` is only allowed where listed.',
    '',
  ];
  const types = Object.keys(EVENT_SCHEMAS) as AccordEventType[];
  for (const context of ['membership', 'invitation', 'token', 'notification'] as const) {
    lines.push(`## ${CONTEXT_TITLES[context]}`, '');
    for (const type of types.filter((t) => EVENT_CONTEXT[t] === context)) {
      lines.push(
        `### ${type}`,
        '',
        `Subject \`accord.events.${context}.${type}\`, schemaVersion ${CURRENT_SCHEMA_VERSION[type]}.`,
        '',
      );
      lines.push(...historyOf(type));
      lines.push('| field | type | required | rules | description |', '|---|---|---|---|---|');
      for (const row of fieldsOf(EVENT_SCHEMAS[type] as unknown as Schema, '')) {
        lines.push(
          `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? 'yes' : 'optional'} | ${cell(row.rules)} | ${cell(row.description)} |`,
        );
      }
      lines.push('', 'Example:', '', '```json', JSON.stringify(EVENT_EXAMPLES[type], null, 2), '```', '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The older versions of `type` and what each upcast step fills in (nothing for a type at version 1). */
function historyOf(type: AccordEventType): string[] {
  const steps = upcastStepsOf(type);
  if (steps.length === 0) return [];
  return [
    'Older versions, upcast on read:',
    '',
    ...steps.map((step, index) => `- version ${index + 1} → ${index + 2}: ${step.change}.`),
    '',
  ];
}

function fieldsOf(schema: Schema, prefix: string): FieldRow[] {
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  const required = new Set((schema['required'] ?? []) as string[]);
  const rows: FieldRow[] = [];
  for (const [key, property] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${key}` : key;
    rows.push({
      path,
      type: typeOf(property),
      required: required.has(key),
      rules: rulesOf(property),
      description: descriptionOf(property),
    });
    for (const object of objectsIn(property)) {
      const nestedPrefix = property['type'] === 'array' ? `${path}[]` : path;
      rows.push(...fieldsOf(object, nestedPrefix));
    }
  }
  return rows;
}

/** Object schemas nested in a property (directly, as array items, or as union members). */
function objectsIn(schema: Schema): Schema[] {
  if (schema['type'] === 'object') return [schema];
  if (schema['type'] === 'array') return objectsIn(schema['items'] as Schema);
  if (Array.isArray(schema['anyOf'])) {
    const objects = (schema['anyOf'] as Schema[]).filter((member) => member['type'] === 'object');
    // A union of objects (Scope) is described by its members' own rows only when they differ.
    if (objects.length === 1) return objects;
    if (objects.length > 1) return [mergeObjects(objects)];
  }
  return [];
}

/** The fields of a union of objects: a field is required when every member requires it. */
function mergeObjects(objects: readonly Schema[]): Schema {
  const variants = new Map<string, Schema[]>();
  for (const object of objects) {
    for (const [key, property] of Object.entries(object['properties'] as Record<string, Schema>)) {
      const known = variants.get(key) ?? [];
      if (!known.some((v) => JSON.stringify(v) === JSON.stringify(property))) known.push(property);
      variants.set(key, known);
    }
  }
  const properties: Record<string, Schema> = {};
  for (const [key, options] of variants) properties[key] = options.length === 1 ? options[0]! : { anyOf: options };
  const required = Object.keys(properties).filter((key) =>
    objects.every((o) => ((o['required'] ?? []) as string[]).includes(key)),
  );
  return { type: 'object', properties, required };
}

function typeOf(schema: Schema): string {
  if (typeof schema['title'] === 'string') return String(schema['title']);
  if ('const' in schema) return `\`${JSON.stringify(schema['const'])}\``;
  if (Array.isArray(schema['anyOf'])) return (schema['anyOf'] as Schema[]).map(typeOf).join(' \\| ');
  switch (schema['type']) {
    case 'string':
      return schema['format'] ? `string (${String(schema['format'])})` : 'string';
    case 'array':
      return `${typeOf(schema['items'] as Schema)}[]`;
    case 'object':
      return 'object';
    default:
      return String(schema['type']);
  }
}

function rulesOf(schema: Schema): string {
  if (Array.isArray(schema['anyOf'])) {
    return [...new Set((schema['anyOf'] as Schema[]).map(rulesOf).filter((rule) => rule.length > 0))].join('; ');
  }
  const rules: string[] = [];
  const { minLength, maxLength, minimum, maximum, minItems, maxItems, pattern } = schema as Record<string, unknown>;
  if (minLength !== undefined || maxLength !== undefined)
    rules.push(`length ${String(minLength ?? 0)}–${String(maxLength ?? '∞')}`);
  if (minimum !== undefined || maximum !== undefined)
    rules.push(`${String(minimum ?? '−∞')}–${String(maximum ?? '∞')}`);
  if (minItems !== undefined || maxItems !== undefined)
    rules.push(`${String(minItems ?? 0)}–${String(maxItems ?? '∞')} items`);
  if (typeof pattern === 'string' && pattern !== NO_C0) rules.push(`pattern \`${pattern}\``);
  if (schema['type'] === 'array') {
    const items = rulesOf(schema['items'] as Schema);
    if (items) rules.push(`each: ${items}`);
  }
  return rules.join(', ');
}

function descriptionOf(schema: Schema): string {
  if (typeof schema['description'] === 'string') return schema['description'];
  if (Array.isArray(schema['anyOf'])) {
    const described = (schema['anyOf'] as Schema[]).find((member) => typeof member['description'] === 'string');
    return described ? String(described['description']) : '';
  }
  return '';
}

function cell(text: string): string {
  return text
    .replace(/\|/g, (match, offset: number, whole: string) => (whole[offset - 1] === '\\' ? match : '\\|'))
    .replace(/\n/g, ' ');
}
