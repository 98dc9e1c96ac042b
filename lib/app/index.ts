/**
 * The per-environment app: build every stack of every environment and region of an
 * `environments/` tree, with providers, backend, audit and a synth summary
 * (`cdktf-golden-path/app`; the same symbols are exported from the package root).
 */
export { buildEnvironmentApp, environmentStackName } from './app';
export type { EnvironmentApp, EnvironmentAppProps, EnvironmentRegionStacks, EnvironmentStackContext, EnvironmentStacksHook } from './app';
export { EnvironmentStack } from './environment-stack';
export type { EnvironmentStackProps } from './environment-stack';
export { configureBackend, configureProviders } from './providers';
export type { StackProviders } from './providers';
export { formatSummary, summarizeSynth } from './summary';
export type { FormatSummaryOptions, StackSummary } from './summary';
/**
 * Adoption of objects that already exist: Terraform `import` blocks for what a construct, a
 * stack or the app manages (docs/migration.md).
 */
export { adopt, adoptionReport, ADOPT_METADATA } from './adopt';
export type { AdoptOptions, AdoptSetting, AdoptionEntry, AdoptionReport } from './adopt';
export { REQUIREMENTS_FILE, stackRequirements, synthRequirements, writeSynthRequirements } from './requirements';
export type { CrdInstaller, CrdRequirement, HelmReleaseRequirement, RequirementsOptions, StackRequirements } from './requirements';
export { formatPreflight, preflightCluster } from './preflight';
export type { CapabilityCheck, PreflightCheck, PreflightOptions, PreflightResult, PreflightStatus } from './preflight';
