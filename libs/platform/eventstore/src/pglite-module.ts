import type * as PgliteModule from '@electric-sql/pglite';
import * as nodeModuleFallback from 'node:module';
import { INT8_OID, parseSafeInt8 } from './safe-integer';

/**
 * PGlite starts its WASM runtime with dynamic import(), which Jest's module sandbox (a vm without
 * --experimental-vm-modules) cannot run (electric-sql/pglite#224). Loading it through Node's own
 * require works under every runner (Jest replaces `require('module')`, not
 * `process.getBuiltinModule`, Node >= 20.16). Loaded on first use only: pg-only processes never
 * pay for it.
 */
let pgliteModule: typeof PgliteModule | undefined;
export function loadPglite(): typeof PgliteModule {
  const nodeModule = process.getBuiltinModule?.('node:module') ?? nodeModuleFallback;
  pgliteModule ??= nodeModule.createRequire(__filename)('@electric-sql/pglite') as typeof PgliteModule;
  return pgliteModule;
}
export type { PGlite, Transaction } from '@electric-sql/pglite';

// Loaded that way, PGlite can live in another JS realm than its caller (Jest's sandbox): values it
// builds would fail `instanceof` there, and its serializers would reject our Dates. These
// handlers run in our realm and check types without `instanceof`, so rows, parameters and
// errors behave the same under test as in production.
const DATE_OIDS = [1082, 1114, 1184];
const JSON_OIDS = [114, 3802];
const BYTEA_OID = 17;

const parseBytea = (text: string): Uint8Array =>
  Uint8Array.from({ length: (text.length - 2) / 2 }, (_, i) => parseInt(text.substring(2 + i * 2, 4 + i * 2), 16));

export const pgliteParsers: Record<number, (text: string) => unknown> = {
  [INT8_OID]: parseSafeInt8, // numbers like the pg client, never a silent BigInt
  [BYTEA_OID]: parseBytea,
  ...Object.fromEntries(JSON_OIDS.map((oid) => [oid, (text: string): unknown => JSON.parse(text)])),
  ...Object.fromEntries(DATE_OIDS.map((oid) => [oid, (text: string): Date => new Date(text)])),
};

const isDate = (value: unknown): value is Date => Object.prototype.toString.call(value) === '[object Date]';

export const pgliteSerializers: Record<number, (value: unknown) => string> = {
  [BYTEA_OID]: (value) => {
    if (!ArrayBuffer.isView(value)) throw new TypeError('Invalid input for bytea type');
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return `\\x${Buffer.from(bytes).toString('hex')}`;
  },
  ...Object.fromEntries(
    JSON_OIDS.map((oid) => [
      oid,
      (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value)),
    ]),
  ),
  ...Object.fromEntries(
    DATE_OIDS.map((oid) => [
      oid,
      (value: unknown): string => {
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || isDate(value)) return new Date(value).toISOString();
        throw new TypeError('Invalid input for date type');
      },
    ]),
  ),
};

/** Rebuilds a PGlite error as an Error of our realm, keeping code, constraint, detail, … */
export function inOurRealm(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const source = error as { message?: unknown; name?: unknown; stack?: unknown } & Record<string, unknown>;
  const local = new Error(String(source.message)) as Error & Record<string, unknown>;
  for (const [key, value] of Object.entries(source)) {
    if (key !== 'params' && key !== 'queryOptions') local[key] = value; // parameters may hold personal data
  }
  if (typeof source.name === 'string') local.name = source.name;
  if (typeof source.stack === 'string') local.stack = source.stack;
  return local;
}
