import { ResolvedEnvironmentContext } from './context';

/** Label and annotation keys the library reads or writes, in one place. */
export const LabelKeys = {
  environment: 'panfactum.com/environment',
  region: 'panfactum.com/region',
  module: 'panfactum.com/module',
  workload: 'panfactum.com/workload',
  preventLifetimeEviction: 'panfactum.com/prevent-lifetime-eviction',
  schedulerEnabled: 'panfactum.com/scheduler-enabled',
  pullThroughCacheEnabled: 'panfactum.com/pull-through-cache-enabled',
  arm64Enabled: 'panfactum.com/arm64-enabled',
  burstableEnabled: 'panfactum.com/burstable-enabled',
  spotEnabled: 'panfactum.com/spot-enabled',
  controllerEnabled: 'panfactum.com/controller-enabled',
  /** "false" stops Panfactum's Kyverno policy from injecting the default environment variables (seed 000). */
  injectEnvEnabled: 'panfactum.com/inject-env-enabled',
  nodeClass: 'panfactum.com/class',
  workflowOnly: 'panfactum.com/workflow-only',
  selectorId: 'id',
  managedBy: 'app.kubernetes.io/managed-by',
  appName: 'app.kubernetes.io/name',
  appInstance: 'app.kubernetes.io/instance',
  hostname: 'kubernetes.io/hostname',
  zone: 'topology.kubernetes.io/zone',
  instanceType: 'node.kubernetes.io/instance-type',
  arch: 'kubernetes.io/arch',
  psEnforce: 'pod-security.kubernetes.io/enforce',
  psEnforceVersion: 'pod-security.kubernetes.io/enforce-version',
  psWarn: 'pod-security.kubernetes.io/warn',
  psAudit: 'pod-security.kubernetes.io/audit',
  /** The golden-path opt-out our Velero Schedules select on (Panfactum's key). */
  veleroExcludeFromBackups: 'velero.io/exclude-from-backups',
  /** The opt-out Velero itself honours in every backup, including hand-made ones. */
  veleroExcludeFromBackup: 'velero.io/exclude-from-backup',
} as const;

export const AnnotationKeys = {
  linkerdInject: 'linkerd.io/inject',
  linkerdNativeSidecar: 'config.alpha.linkerd.io/proxy-enable-native-sidecar',
  linkerdProxyCpuRequest: 'config.linkerd.io/proxy-cpu-request',
  linkerdProxyMemoryRequest: 'config.linkerd.io/proxy-memory-request',
  linkerdProxyMemoryLimit: 'config.linkerd.io/proxy-memory-limit',
  linkerdOpaquePorts: 'config.linkerd.io/opaque-ports',
  reloaderAuto: 'reloader.stakater.com/auto',
  veleroExcludeFromBackups: 'velero.io/exclude-from-backups',
  externalDnsHostname: 'external-dns.alpha.kubernetes.io/hostname',
  imagePrepull: 'cdktf-golden-path/image-prepull',
  imagePin: 'cdktf-golden-path/image-pin',
} as const;

export const MANAGED_BY = 'cdktf-golden-path';

/**
 * The labels that keep an object out of Velero backups: the golden-path key (our Schedules'
 * label selector) and Velero's own key (every backup, including `velero backup create`).
 * Velero reads neither as an annotation.
 *
 * @group Core
 */
export function backupExclusionLabels(): Record<string, string> {
  return { [LabelKeys.veleroExcludeFromBackups]: 'true', [LabelKeys.veleroExcludeFromBackup]: 'true' };
}

/**
 * The labels every object of a module gets (Panfactum's `pf_kube_labels`): the
 * environment's extra labels first (lowest precedence), then environment, region,
 * module and managed-by.
 */
export function moduleLabels(ctx: Pick<ResolvedEnvironmentContext, 'environment' | 'region' | 'extraLabels'>, module: string): Record<string, string> {
  const labels: Record<string, string> = { ...sanitizeLabels(ctx.extraLabels) };
  if (ctx.environment) labels[LabelKeys.environment] = sanitizeLabelValue(ctx.environment);
  if (ctx.region) labels[LabelKeys.region] = sanitizeLabelValue(ctx.region);
  labels[LabelKeys.module] = module;
  labels[LabelKeys.managedBy] = MANAGED_BY;
  return labels;
}

/**
 * Make any string a valid label value the way Panfactum's pf provider does: every
 * character outside [a-zA-Z0-9._-] becomes '.', then leading and trailing
 * non-alphanumerics are trimmed; cut to 63 characters.
 */
export function sanitizeLabelValue(value: string): string {
  return value
    .replace(/[^a-zA-Z0-9._-]/g, '.')
    .slice(0, 63)
    .replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
}

/** Sanitize keys (also allowing '/') and values of a label map. */
export function sanitizeLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    const key = k.replace(/[^a-zA-Z0-9._/-]/g, '.').replace(/^[^a-zA-Z0-9]+|[^a-zA-Z0-9]+$/g, '');
    out[key] = sanitizeLabelValue(v);
  }
  return out;
}

/** "true"/"false" as label values. */
export function boolLabel(value: boolean): 'true' | 'false' {
  return value ? 'true' : 'false';
}
