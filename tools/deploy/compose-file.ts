import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a compose service the deployment checks read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: string | { readonly context?: string };
  readonly command?: string | readonly string[];
  readonly environment?: Readonly<Record<string, string | number | boolean | null>> | readonly string[];
  readonly healthcheck?: { readonly test?: string | readonly string[]; readonly disable?: boolean };
  readonly depends_on?: readonly string[] | Readonly<Record<string, { readonly condition: string }>>;
  readonly volumes?: ReadonlyArray<
    string | { readonly type: string; readonly source?: string; readonly read_only?: boolean }
  >;
  readonly ports?: ReadonlyArray<string | number | object>;
}

export interface ComposeFile {
  readonly services: Readonly<Record<string, ComposeService>>;
  readonly [key: string]: unknown;
}

/**
 * A compose file as Docker Compose reads it before interpolation: YAML with `<<` merge keys (the
 * file shares blocks through anchors) and no duplicate keys.
 */
export function readComposeFile(path: string): ComposeFile {
  return parse(readFileSync(path, 'utf8'), { merge: true, uniqueKeys: true }) as ComposeFile;
}

/** What interpolating a compose file found: the variables it reads, and the required ones unset. */
export interface Interpolation<T> {
  readonly document: T;
  /** Every `${NAME…}` / `$NAME` read, with how: `required` (`:?`/`?`), `defaulted` (`:-`/`-`) or `plain`. */
  readonly variables: ReadonlyMap<string, 'required' | 'defaulted' | 'plain'>;
  /** The `${NAME:?message}` errors Compose would stop with under `env`. */
  readonly missing: readonly string[];
}

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Compose's variable interpolation over every string of `document` (values only, as Compose does):
 * `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `$VAR`, `$$`.
 */
export function interpolate<T>(document: T, env: Readonly<Record<string, string | undefined>>): Interpolation<T> {
  const variables = new Map<string, 'required' | 'defaulted' | 'plain'>();
  const missing: string[] = [];
  const text = (value: string): string =>
    value.replace(REFERENCE, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
      if (match === '$$') return '$';
      const name = (braced ?? bare)!;
      const value_ = env[name];
      const unset = value_ === undefined || (operator?.startsWith(':') === true && value_ === '');
      if (operator?.endsWith('?')) {
        variables.set(name, 'required');
        if (unset) missing.push(`${name}: ${argument ?? ''}`);
        return value_ ?? '';
      }
      if (operator?.endsWith('-')) {
        if (variables.get(name) !== 'required') variables.set(name, 'defaulted');
        return unset ? (argument ?? '') : value_!;
      }
      if (!variables.has(name)) variables.set(name, 'plain');
      return value_ ?? '';
    });
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return text(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    return node;
  };
  return { document: walk(document) as T, variables, missing };
}

/** A service's environment as a map, whichever of the two forms (map or `KEY=value` list) it uses. */
export function environmentOf(service: ComposeService): ReadonlyMap<string, string> {
  const env = service.environment;
  if (!env) return new Map();
  if (Array.isArray(env)) {
    return new Map(
      (env as readonly string[]).map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return new Map(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}
