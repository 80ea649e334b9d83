/** Levels of a section permission (AUTHZ-2): `read` ⊂ `manage`. */
export const LEVELS = ['read', 'manage'] as const;
export type Level = (typeof LEVELS)[number];

/** A section permission `<section>:<level>`, e.g. `vps:manage`, `users:read`. */
export interface SectionPermission {
  readonly section: string;
  readonly level: Level;
}

export function parseSectionPermission(permission: string): SectionPermission | null {
  const match = /^([a-z][a-z0-9-]*):(read|manage)$/.exec(permission);
  return match ? { section: match[1]!, level: match[2] as Level } : null;
}

/** Does holding `held` satisfy `wanted`? `manage` implies `read` of the same section. */
export function satisfies(held: SectionPermission, wanted: SectionPermission): boolean {
  return held.section === wanted.section && (held.level === 'manage' || wanted.level === 'read');
}
