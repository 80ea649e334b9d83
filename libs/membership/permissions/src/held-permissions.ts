import { parseSectionPermission, type SectionPermission } from './permission';
import { isSpecialPermission } from './special-permissions';
import { isSbsScope, parseSbsRequest, parseSbsScope, sbsGrantCovers, type SbsScope } from './sbs-scope';

/**
 * A list of held permissions (a role's, a member's grants, a token's) parsed once: the section
 * permissions it satisfies (`manage` implies `read`, as `satisfies` says) and the SBS scopes it
 * grants. `holdsAsked` answers as checking every entry with `satisfies` / `sbsScopeMatches` would,
 * with no parsing and no allocation.
 */
export interface HeldPermissions {
  /** Every `section:level` some entry satisfies, and every special permission held (exactly). */
  readonly satisfied: ReadonlySet<string>;
  readonly scopes: readonly SbsScope[];
}

/** A permission asked about, parsed once. */
export interface AskedPermission {
  readonly permission: string;
  /** The `section:level` it names, or null. */
  readonly wanted: SectionPermission | null;
  /** A special permission (`environments:create`, `servers:transfer`): held only exactly. */
  readonly special: boolean;
  /** Shaped like an SBS scope (three segments): decided by scope patterns only. */
  readonly sbs: boolean;
  /** The SBS scope requested, or null when malformed (then nothing holds it). */
  readonly sbsRequest: SbsScope | null;
}

export function parseAsked(permission: string): AskedPermission {
  const sbs = isSbsScope(permission);
  return {
    permission,
    wanted: parseSectionPermission(permission),
    special: isSpecialPermission(permission),
    sbs,
    sbsRequest: sbs ? parseSbsRequest(permission) : null,
  };
}

export function compileHeld(held: readonly string[]): HeldPermissions {
  const satisfied = new Set<string>();
  const scopes: SbsScope[] = [];
  for (const permission of held) {
    const section = parseSectionPermission(permission);
    if (section) {
      satisfied.add(`${section.section}:read`);
      if (section.level === 'manage') satisfied.add(`${section.section}:manage`);
    }
    if (isSpecialPermission(permission)) satisfied.add(permission);
    const scope = parseSbsScope(permission);
    if (scope) scopes.push(scope);
  }
  return { satisfied, scopes };
}

const EMPTY: HeldPermissions = { satisfied: new Set(), scopes: [] };
/** Held lists are values (event data, state): compiled once per list, forgotten with it. */
const compiled = new WeakMap<readonly string[], HeldPermissions>();

/** `compileHeld`, remembered per list. */
export function heldPermissions(held: readonly string[]): HeldPermissions {
  if (held.length === 0) return EMPTY;
  let out = compiled.get(held);
  if (!out) compiled.set(held, (out = compileHeld(held)));
  return out;
}

/** Does any held entry satisfy the asked permission? (SBS scopes match by pattern.) */
export function holdsAsked(held: HeldPermissions, asked: AskedPermission): boolean {
  if (asked.sbs) {
    const request = asked.sbsRequest;
    if (request === null) return false;
    for (const grant of held.scopes) if (sbsGrantCovers(grant, request)) return true;
    return false;
  }
  return (asked.wanted !== null || asked.special) && held.satisfied.has(asked.permission);
}
