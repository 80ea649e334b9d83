import { DEFAULT_CATALOG, validateCatalog } from '@accord/membership-permissions';

/**
 * The catalog in force, validated when this module loads: an unknown section or a cycle in the
 * combinations stops the service at start-up with a message naming it.
 */
export const CATALOG = validateCatalog(DEFAULT_CATALOG);
