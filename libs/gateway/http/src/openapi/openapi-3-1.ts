import type { OpenAPIObject } from '@nestjs/swagger';

// @nestjs/swagger 11 writes OpenAPI 3.0 schemas. 3.1 schemas are JSON Schema 2020-12: these are
// the 3.0 spellings it emits (or could) that 3.1 reads differently or no longer has.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The document as OpenAPI 3.1.0: schemas rewritten in place where 3.0 and 3.1 differ. */
export function toOpenApi31(document: OpenAPIObject): OpenAPIObject {
  const converted = structuredClone(document) as unknown as Json;
  converted['openapi'] = '3.1.0';
  forEachSchema(converted, convertSchema);
  return converted as unknown as OpenAPIObject;
}

/** One schema object (not its sub-schemas): 3.0 keywords to their 3.1 meaning. */
function convertSchema(schema: Json): void {
  // `nullable: true` → `null` is one more type (or one more choice beside a `$ref`).
  if ('nullable' in schema) {
    const nullable = schema['nullable'] === true;
    delete schema['nullable'];
    if (nullable) allowNull(schema);
  }
  // `exclusiveMinimum: true` qualified `minimum`; in 3.1 the bound itself is the value.
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[exclusive];
    }
  }
  // `example` is deprecated on a 3.1 schema: JSON Schema's `examples` is an array.
  if ('example' in schema) {
    if (!('examples' in schema)) schema['examples'] = [schema['example']];
    delete schema['example'];
  }
  // Binary bodies: 3.1 says it with the media type, not with a string format.
  if (schema['format'] === 'binary') delete schema['format'];
}

function allowNull(schema: Json): void {
  const type = schema['type'];
  if (typeof type === 'string') {
    schema['type'] = [type, 'null'];
    if (Array.isArray(schema['enum']) && !schema['enum'].includes(null)) schema['enum'] = [...schema['enum'], null];
    return;
  }
  if (Array.isArray(type)) {
    if (!type.includes('null')) schema['type'] = [...(type as unknown[]), 'null'];
    return;
  }
  // A `$ref` (as swagger writes it: `allOf: [{ $ref }]`, or bare) that may also be null.
  const allOf = schema['allOf'];
  const choice = Array.isArray(allOf) && allOf.length === 1 ? allOf[0] : Array.isArray(allOf) ? { allOf } : undefined;
  const ref = schema['$ref'];
  const target = choice ?? (typeof ref === 'string' ? { $ref: ref } : undefined);
  if (target === undefined) return;
  delete schema['allOf'];
  delete schema['$ref'];
  schema['anyOf'] = [target, { type: 'null' }];
}

const SUB_SCHEMA = ['items', 'additionalProperties', 'not', 'contains', 'propertyNames', 'if', 'then', 'else'];
const SUB_SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SUB_SCHEMA_MAPS = ['properties', 'patternProperties', '$defs'];

/** Calls `visit` on every schema object of the document, outermost first, then on its sub-schemas. */
function forEachSchema(document: Json, visit: (schema: Json) => void): void {
  const walk = (schema: unknown): void => {
    if (!isObject(schema)) return;
    visit(schema);
    for (const key of SUB_SCHEMA) walk(schema[key]);
    for (const key of SUB_SCHEMA_LISTS) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach(walk);
    for (const key of SUB_SCHEMA_MAPS) if (isObject(schema[key])) Object.values(schema[key]).forEach(walk);
  };
  const components = isObject(document['components']) ? document['components'] : {};
  if (isObject(components['schemas'])) Object.values(components['schemas']).forEach(walk);
  const withContent = (holder: unknown): void => {
    if (!isObject(holder)) return;
    walk(holder['schema']);
    if (isObject(holder['content']))
      for (const media of Object.values(holder['content'])) walk(isObject(media) ? media['schema'] : undefined);
    if (isObject(holder['headers'])) Object.values(holder['headers']).forEach(withContent);
  };
  for (const kind of ['parameters', 'requestBodies', 'responses', 'headers']) {
    if (isObject(components[kind])) Object.values(components[kind]).forEach(withContent);
  }
  for (const item of Object.values(isObject(document['paths']) ? document['paths'] : {})) {
    if (!isObject(item)) continue;
    if (Array.isArray(item['parameters'])) item['parameters'].forEach(withContent);
    for (const operation of Object.values(item)) {
      if (!isObject(operation)) continue;
      if (Array.isArray(operation['parameters'])) operation['parameters'].forEach(withContent);
      withContent(operation['requestBody']);
      if (isObject(operation['responses'])) Object.values(operation['responses']).forEach(withContent);
    }
  }
}
