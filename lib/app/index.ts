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
