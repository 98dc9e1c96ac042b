/**
 * terragrunt-compat: for teams coming from a Panfactum / terragrunt repository.
 *
 * - {@link buildStacksFromPanfactumTree}: read a Panfactum environments tree and build stacks.
 * - {@link writeTerragruntTree}: after synth, write a terragrunt tree over cdktf.out.
 *
 * See docs/terragrunt.md.
 */
export { HclError, lexHcl, parseTerragruntHcl } from './hcl';
export type { TerragruntFile } from './hcl';
export { buildStacksFromPanfactumTree, snakeToCamel, PanfactumImportError } from './build';
export type { BuildFromPanfactumOptions, BuiltModule, PanfactumProblem, PanfactumStack } from './build';
export { writeTerragruntTree, renderTerragruntHcl, GENERATED_HEADER } from './write';
export type { RemoteStateSettings, WriteTerragruntTreeOptions, WrittenStack } from './write';
export { PANFACTUM_MODULES, isSupportedModule } from './registry';
export type { ModuleEntry, PanfactumModuleName } from './registry';
export { PROP_SHAPES } from './prop-shapes.generated';
export type { PropShape } from './shapes';
