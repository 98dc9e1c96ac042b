/**
 * The table of Kubernetes kinds the library validates, shared by the runtime validator
 * (lib/k8s/schema/index.ts) and the known-fields generator (scripts/gen-known-fields.js,
 * which reads this file with the TypeScript transpiler, so keep it plain data).
 *
 * To support a new kind (e.g. a CRD from another `@kubernetes-models/*` package) add ONE
 * line here naming the module that exports its model class, then regenerate the
 * known-fields graph with `node scripts/gen-known-fields.js`. For example:
 *
 *   { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', module: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject' },
 *   { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', module: '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret', modelApiVersion: 'external-secrets.io/v1beta1' },
 *   { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', module: '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate' },
 *   { apiVersion: 'kubefledged.io/v1alpha2', kind: 'ImageCache', module: '@kubernetes-models/kube-fledged/kubefledged.io/v1alpha2/ImageCache' },
 *   { apiVersion: 'velero.io/v1', kind: 'Schedule', module: '@kubernetes-models/velero/velero.io/v1/Schedule' },
 *   { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', module: '@kubernetes-models/external-snapshotter/snapshot.storage.k8s.io/v1/VolumeSnapshotClass' },
 *
 * The module must export a class named after the kind whose prototype has `validate()`
 * (every kubernetes-models / @kubernetes-models model does), and a `.d.ts` beside it that
 * declares the interface `I<Kind>`.
 */

/**
 * How Kubernetes validates `metadata.name` for a kind.
 * - `dns1123-subdomain`: lower-case alphanumerics, '-' and '.', at most 253 characters (most kinds)
 * - `dns1123-label`: lower-case alphanumerics and '-', at most 63 characters (Namespace, StatefulSet)
 * - `dns1035-label`: like a DNS-1123 label but must start with a letter (Service)
 * - `path-segment`: anything but '/', '%', '.' and '..' (RBAC kinds, e.g. `system:controller:x`)
 *
 * @group Core
 */
export type NameRule = 'dns1123-subdomain' | 'dns1123-label' | 'dns1035-label' | 'path-segment';

/**
 * A Kubernetes kind `KubeManifest` accepts: its apiVersion, kind and the kubernetes-models module that validates it.
 *
 * @group Core
 */
export interface KindDefinition {
  /** The object's `apiVersion`, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** The object's `kind`, e.g. `Deployment`. */
  readonly kind: string;
  /**
   * The module (as passed to `require`) exporting the model class named `kind`, e.g.
   * `kubernetes-models/apps/v1/Deployment`. Loaded lazily, on the first object of the kind.
   */
  readonly module: string;
  /**
   * The apiVersion the model's schema is pinned to, when it differs from `apiVersion`: for a
   * version the operator serves with the same shape but no packaged model exists for. The
   * shape is checked as if the object's apiVersion were this one (the object is not changed).
   * @default - `apiVersion`
   */
  readonly modelApiVersion?: string;
  /** Rule for `metadata.name`. @default 'dns1123-subdomain' */
  readonly nameRule?: NameRule;
  /** A tighter maximum length for `metadata.name` than the rule's own. @default - the rule's maximum */
  readonly nameMaxLength?: number;
}

/** The kinds the library emits, validated out of the box. */
export const BUILTIN_KINDS: readonly KindDefinition[] = [
  { apiVersion: 'v1', kind: 'Namespace', module: 'kubernetes-models/v1/Namespace', nameRule: 'dns1123-label' },
  { apiVersion: 'v1', kind: 'ServiceAccount', module: 'kubernetes-models/v1/ServiceAccount' },
  { apiVersion: 'v1', kind: 'Service', module: 'kubernetes-models/v1/Service', nameRule: 'dns1035-label' },
  { apiVersion: 'v1', kind: 'ConfigMap', module: 'kubernetes-models/v1/ConfigMap' },
  { apiVersion: 'v1', kind: 'Secret', module: 'kubernetes-models/v1/Secret' },
  { apiVersion: 'v1', kind: 'PersistentVolumeClaim', module: 'kubernetes-models/v1/PersistentVolumeClaim' },
  { apiVersion: 'apps/v1', kind: 'Deployment', module: 'kubernetes-models/apps/v1/Deployment' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', module: 'kubernetes-models/apps/v1/StatefulSet', nameRule: 'dns1123-label' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', module: 'kubernetes-models/apps/v1/DaemonSet' },
  // A Job's name becomes the value of its pods' `batch.kubernetes.io/job-name` label (63 max).
  { apiVersion: 'batch/v1', kind: 'Job', module: 'kubernetes-models/batch/v1/Job', nameMaxLength: 63 },
  // The CronJob controller appends an 11-character suffix to name its Jobs.
  { apiVersion: 'batch/v1', kind: 'CronJob', module: 'kubernetes-models/batch/v1/CronJob', nameMaxLength: 52 },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', module: 'kubernetes-models/policy/v1/PodDisruptionBudget' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/Role', nameRule: 'path-segment' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding', nameRule: 'path-segment' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole', nameRule: 'path-segment' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', module: 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding', nameRule: 'path-segment' },
  { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', module: 'kubernetes-models/networking.k8s.io/v1/Ingress' },
  { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', module: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', module: 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass' },
  { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', module: '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate' },
  { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', module: '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler' },
  { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', module: '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject' },
  // External Secrets Operator serves external-secrets.io/v1 from 0.16.2 and stopped serving
  // v1beta1 in 0.17.0 (May 2025); the ExternalSecret spec is the same in both. The packaged
  // @kubernetes-models/external-secrets 0.5.2 has only the v1beta1 model, so v1 objects are
  // checked with it.
  {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    module: '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret',
    modelApiVersion: 'external-secrets.io/v1beta1',
  },
];

/**
 * The name of a module's root type in the known-fields graph: the module path without its
 * `kubernetes-models/` or `@kubernetes-models/` prefix (`apps/v1/Deployment`,
 * `autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler`). The generator names every
 * named interface after its declaration file the same way.
 */
export function typeNameOfModule(module: string): string {
  return module.replace(/^@?kubernetes-models\//, '');
}
