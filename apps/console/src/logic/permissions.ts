/**
 * The permission catalog as GET /v1/permissions gives it, and what the console shows of it: section
 * names for people, levels in the platform's words ("Management", "Read only"), and which sections a
 * chosen one brings along (a grant of a section also grants its related sections, at the same level).
 */
export type Level = 'read' | 'manage';

export interface CatalogSection {
  readonly name: string;
  readonly implies: readonly string[];
  readonly grantableLevels: readonly Level[];
  readonly ownerOnly: boolean;
  readonly availableToAll: boolean;
  readonly accountLevel: boolean;
}

export interface PermissionCatalog {
  readonly levels: readonly Level[];
  readonly sections: readonly CatalogSection[];
  readonly roles: readonly { readonly name: string; readonly permissions: readonly string[] }[];
  readonly special: readonly string[];
}

/** Words that are initialisms or brand spellings, as people write them. */
const WORDS = new Map<string, string>([
  ['ssh', 'SSH'],
  ['ips', 'IPs'],
  ['api', 'API'],
  ['dns', 'DNS'],
  ['ssl', 'SSL'],
  ['vps', 'VPS'],
  ['iaas', 'IaaS'],
]);

/** `ssh-keys` → "SSH keys", `load-balancers` → "Load balancers". */
export function sectionLabel(name: string): string {
  return name
    .split('-')
    .map((w, i) => WORDS.get(w) ?? (i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(' ');
}

export function levelLabel(level: Level): string {
  return level === 'manage' ? 'Management' : 'Read only';
}

/** Sections a permission list may name for a non-owner (the others are refused or need no grant). */
export function grantableSections(catalog: PermissionCatalog): CatalogSection[] {
  return catalog.sections.filter((s) => s.grantableLevels.length > 0);
}

export interface SectionChoice {
  readonly section: string;
  readonly level: Level;
}

/** `servers:manage` → { servers, manage }; anything else (an SBS scope, a special permission) → null. */
export function parseSectionPermission(permission: string): SectionChoice | null {
  const m = /^([a-z][a-z0-9-]*):(read|manage)$/.exec(permission);
  return m ? { section: m[1]!, level: m[2] as Level } : null;
}

/** What a chosen section brings along, shown as the choices are made. */
export interface Combination {
  readonly section: string;
  readonly level: Level;
  readonly implies: readonly string[];
}

/** The chosen section permissions that imply other sections, each with those sections. */
export function combinationsOf(catalog: PermissionCatalog, permissions: readonly string[]): Combination[] {
  const out: Combination[] = [];
  for (const permission of permissions) {
    const choice = parseSectionPermission(permission);
    if (!choice) continue;
    const section = catalog.sections.find((s) => s.name === choice.section);
    if (section && section.implies.length > 0) out.push({ ...choice, implies: section.implies });
  }
  return out;
}

/** "Servers (management) also grants Cloud servers, SSH keys and Images at the same level." */
export function combinationText(combination: Combination): string {
  return `${sectionLabel(combination.section)} (${levelLabel(combination.level).toLowerCase()}) also grants ${listText(
    combination.implies.map(sectionLabel),
  )} at the same level.`;
}

/**
 * The permissions a grant ends up holding, as the API stores them: each section with the sections
 * it implies at its level, SBS scopes as they are, sorted. (The API decides; this is a preview.)
 */
export function expandPermissions(catalog: PermissionCatalog, permissions: readonly string[]): string[] {
  const out = new Set<string>();
  for (const permission of permissions) {
    const choice = parseSectionPermission(permission);
    if (!choice) {
      out.add(permission);
      continue;
    }
    const section = catalog.sections.find((s) => s.name === choice.section);
    if (section?.availableToAll) continue;
    out.add(permission);
    for (const implied of section?.implies ?? []) out.add(`${implied}:${choice.level}`);
  }
  return [...out].sort();
}

/** `servers:manage` → "Servers: management"; an SBS scope stays as written. */
export function permissionLabel(permission: string): string {
  const choice = parseSectionPermission(permission);
  return choice ? `${sectionLabel(choice.section)}: ${levelLabel(choice.level).toLowerCase()}` : permission;
}

/** Free-text SBS scopes (`account-api:query:*`), one or more, separated by commas, spaces or lines. */
export function parseScopeList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** "a", "a and b", "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The support look-up's levels, as support reads them. */
export function supportLevelLabel(level: string): string {
  if (level === 'management') return 'Management';
  if (level === 'read only') return 'Read only';
  if (level === 'none') return 'No access';
  return level;
}
