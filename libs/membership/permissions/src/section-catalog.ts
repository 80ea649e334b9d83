/**
 * The permission catalog, as data (AUTHZ-4 to AUTHZ-6, SEC-6b). Validated once at start-up by
 * `validateCatalog` (AUTHZ-9): an unknown section or a cycle in the combinations stops the service with a
 * message naming it. Grants are expanded with the catalog in force when they are made and stored
 * expanded in the grant's event, so changing this file never rewrites history.
 */
export interface CatalogData {
  /** Every section a permission may name. */
  readonly sections: readonly string[];
  /** AUTHZ-4: granting the key grants these related sections at the same level. */
  readonly combinations: Readonly<Record<string, readonly string[]>>;
  /** AUTHZ-5: sections only an owner may hold. */
  readonly ownerOnly: readonly string[];
  /** AUTHZ-6: sections every member may use without a grant. */
  readonly availableToAll: readonly string[];
  /**
   * Sections about the account itself rather than the resources of one billing account (SEC-6b: a
   * restricted scope limits access to the resources of the selected billing account). Every
   * other section is billing-account-level: a member restricted to billing account B holds it only
   * in checks that name B (default-deny). Owner-only and available-to-all sections must be listed.
   */
  readonly accountLevel: readonly string[];
}

/** Service sections of the built-in role table (AUTHZ-1), in its order. */
export const SERVICE_SECTIONS = [
  'vps',
  'iaas',
  'storage',
  'dns',
  'ssl',
  'monitoring',
  'partners',
  'billing',
  'support',
  'legal-entities',
  'ssh-configuration',
] as const;

export const DEFAULT_CATALOG: CatalogData = {
  sections: [
    // control-panel sections
    'servers',
    'cloud-servers',
    'ssh-keys',
    'images',
    'private-networks',
    'firewall',
    'public-ips',
    'databases',
    'balancers',
    'load-balancers',
    'networks',
    'domains',
    'domain-administrators',
    // the services of the built-in role table (AUTHZ-1)
    ...SERVICE_SECTIONS,
    // account administration (the owner-only sections of AUTHZ-5; users and project of AUTHZ-1)
    'users',
    'project',
    'project-management',
    'notifications',
    'feedback',
    'news',
    'referral-program',
    // available to every member (AUTHZ-6)
    'api',
    'appearance',
  ],
  combinations: {
    servers: ['cloud-servers', 'ssh-keys', 'images', 'private-networks', 'firewall', 'public-ips'],
    databases: ['private-networks', 'firewall', 'public-ips'],
    balancers: ['load-balancers', 'private-networks', 'firewall', 'public-ips'],
    networks: ['private-networks', 'firewall', 'public-ips'],
    domains: ['domain-administrators'],
  },
  // `users` here is managing users; every member may still read the list (MEM-20), see roles.ts.
  ownerOnly: ['notifications', 'users', 'feedback', 'news', 'referral-program', 'project-management'],
  availableToAll: ['api', 'appearance'],
  // The account's users, project and settings; everything else is a resource of a billing account.
  accountLevel: [
    'users',
    'project',
    'project-management',
    'notifications',
    'feedback',
    'news',
    'referral-program',
    'api',
    'appearance',
  ],
};

/** A validated catalog with the combinations closed transitively. */
export interface Catalog extends CatalogData {
  readonly sectionSet: ReadonlySet<string>;
  /** section → every section granting it grants (itself included), transitively. */
  readonly closure: ReadonlyMap<string, ReadonlySet<string>>;
}

export function validateCatalog(data: CatalogData): Catalog {
  const sectionSet = new Set<string>();
  for (const section of data.sections) {
    if (!/^[a-z][a-z0-9-]*$/.test(section))
      throw new Error(`Permission catalog: "${section}" is not a valid section name`);
    if (sectionSet.has(section)) throw new Error(`Permission catalog: section "${section}" is listed twice`);
    sectionSet.add(section);
  }
  const known = (section: string, where: string) => {
    if (!sectionSet.has(section)) throw new Error(`Permission catalog: unknown section "${section}" in ${where}`);
  };
  for (const [from, to] of Object.entries(data.combinations)) {
    known(from, 'combinations');
    for (const section of to) known(section, `combinations of "${from}"`);
  }
  for (const section of data.ownerOnly) known(section, 'ownerOnly');
  for (const section of data.availableToAll) known(section, 'availableToAll');
  for (const section of data.accountLevel) known(section, 'accountLevel');
  // A restricted member must never lose an available-to-all section nor need a billing account for
  // an owner-only one: both are about the account, so the catalog must say so.
  for (const section of [...data.ownerOnly, ...data.availableToAll]) {
    if (!data.accountLevel.includes(section))
      throw new Error(`Permission catalog: section "${section}" must be account-level`);
  }
  const closure = new Map<string, ReadonlySet<string>>();
  for (const section of sectionSet) closure.set(section, close(section, data.combinations));
  return { ...data, sectionSet, closure };
}

/**
 * May only owners hold `section:level`? The owner-only sections of AUTHZ-5, except reading the
 * list of users and their roles, which every member may (MEM-20).
 */
export function isOwnerOnly(catalog: CatalogData, section: string, level: string): boolean {
  return catalog.ownerOnly.includes(section) && !(section === 'users' && level === 'read');
}

/** Is `section` about the account itself (else about one billing account's resources)? Unknown → no. */
export function isAccountLevel(catalog: CatalogData, section: string): boolean {
  return catalog.accountLevel.includes(section);
}

/** Everything granting `section` grants, following combinations; a cycle is refused. */
function close(
  section: string,
  combinations: CatalogData['combinations'],
  path: readonly string[] = [],
): ReadonlySet<string> {
  if (path.includes(section))
    throw new Error(`Permission catalog: combinations form a cycle: ${[...path, section].join(' → ')}`);
  const out = new Set([section]);
  // Own keys only: a section named like an Object.prototype member ("constructor") has no combinations.
  const related = Object.hasOwn(combinations, section) ? combinations[section]! : [];
  for (const next of related) {
    if (next === section) continue;
    for (const s of close(next, combinations, [...path, section])) out.add(s);
  }
  return out;
}
