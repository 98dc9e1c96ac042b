export * from './errors';
export * from './validation';
export * from './units';
export * from './naming';
export * from './labels';
export * from './context';
export * from './cluster-profile';
// The escaping helpers users need; the wrapping of CDKTF's element classes stays internal.
export { escapeTerraformTemplate, escapeTerraformTemplates, allowTerraformTemplates } from './terraform-strings';
