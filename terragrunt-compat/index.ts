/**
 * terragrunt-compat: for teams coming from a Panfactum / terragrunt repository.
 *
 * - {@link convertPanfactumTree} / {@link buildStacksFromPanfactumTree}: read a Panfactum environments
 *   tree (inputs, locals, include, dependency references) and build stacks.
 * - {@link migrationPlan}: per module directory, the old and new state addresses and the commands.
 * - {@link generateStacksCode}: the converted stacks as TypeScript a team owns.
 * - {@link writeTerragruntTree}: after synth, write a terragrunt tree over cdktf.out.
 *
 * See docs/terragrunt.md.
 */
export { HclError, HclRef, lexHcl, parseTerragruntHcl, UNDERSTOOD_KEYS } from './hcl';
export type { HclDependency, HclIgnored, HclInclude, HclLocal, ParseTerragruntOptions, TerragruntFile } from './hcl';
export { DependencyRef, HclResolver } from './resolve';
export type { ResolvedModuleHcl, ResolveWarning } from './resolve';
export { buildStacksFromPanfactumTree, convertPanfactumTree, snakeToCamel, PanfactumImportError, PANFACTUM_WIDE_INPUTS } from './build';
export type { BuildFromPanfactumOptions, BuiltModule, PanfactumConversion, PanfactumProblem, PanfactumStack, PanfactumWarning, ResolvedReference } from './build';
export { migrationPlan, formatMigrationPlan } from './migrate';
export { generateStacksCode, writeEnvironmentsYaml } from './codegen';
export type { GenerateCodeOptions } from './codegen';
export type { ModuleMigration, NewResource, OldStateResource } from './migrate';
export { PANFACTUM_MODULE_FACTS, PANFACTUM_STATE_KEY } from './panfactum-state';
export type { OldResource, PanfactumModuleFacts } from './panfactum-state';
export { PANFACTUM_ONLY_YAML_KEYS } from './yaml-keys';
export { writeTerragruntTree, renderTerragruntHcl, GENERATED_HEADER } from './write';
export type { RemoteStateSettings, WriteTerragruntTreeOptions, WrittenStack } from './write';
export { PANFACTUM_MODULES, isSupportedModule } from './registry';
export type { ModuleEntry, PanfactumModuleName } from './registry';
export { PROP_SHAPES } from './prop-shapes.generated';
export type { PropShape } from './shapes';
