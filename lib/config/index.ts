/**
 * Environment configuration: the typed loader of the `environments/` tree (Panfactum layout).
 * Pure TypeScript (no CDKTF or provider imports), so it is cheap to load anywhere.
 */
export * from './errors';
export * from './schema';
export * from './loader';
