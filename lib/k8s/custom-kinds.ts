/**
 * The custom kinds (CRD-backed) the library emits, in one table: which apiVersion each is
 * emitted with, and what the current upstream release serves. Checked by reading each project's
 * CustomResourceDefinition YAML at its newest release tag (`served` / `storage` of every version);
 * `test/custom-kinds.test.ts` fails when a stack of the corpus emits a custom kind that is not here,
 * or emits it with another apiVersion.
 *
 * The builders still write their apiVersion themselves (see `emittedAt` of each entry);
 * `customKindApiVersion` is the one place a cluster profile can change a version.
 */

/** One version of a CRD as the upstream release defines it. */
export interface UpstreamCrdVersion {
  /** The version name, e.g. `v1`. */
  readonly name: string;
  /** The API server serves it (`served: true`). */
  readonly served: boolean;
  /** Objects are stored in it (`storage: true`; exactly one version has it). */
  readonly storage: boolean;
  /** Marked `deprecated: true` in the CRD. */
  readonly deprecated?: boolean;
}

/** Where a custom kind's version facts come from. */
export interface UpstreamCheck {
  /** The project that defines the CRD. */
  readonly project: string;
  /** Its GitHub repository (`owner/name`). */
  readonly repository: string;
  /** The newest release tag when checked. */
  readonly release: string;
  /** The date of that release's commit. */
  readonly releaseDate: string;
  /** The CRD file read, at `release`. */
  readonly file: string;
  /** Every version that CRD defines. */
  readonly versions: readonly UpstreamCrdVersion[];
  /** The day the check was made. */
  readonly checked: string;
}

/** A custom kind the library emits through `kubernetes_manifest`. */
export interface CustomKind {
  readonly group: string;
  readonly kind: string;
  /** The resource name (plural) of the kind; the CRD is named `<plural>.<group>`. */
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** The version the library emits by default. */
  readonly version: string;
  /** What serves it upstream, as checked. */
  readonly upstream: UpstreamCheck;
  /** Other versions a cluster may serve instead (for an override), and which releases serve them. */
  readonly otherVersions?: ReadonlyArray<{ readonly version: string; readonly servedBy: string }>;
  /** Source lines that write the apiVersion (builders, schema registration, the e2e CRDs). */
  readonly emittedAt: readonly string[];
  /** What in the library emits it. */
  readonly emittedBy: string;
}

const CHECKED = '2026-11-26';

/**
 * Every custom kind the library emits, by kind name.
 *
 * @internal
 */
export const CUSTOM_KINDS = {
  VerticalPodAutoscaler: {
    group: 'autoscaling.k8s.io', kind: 'VerticalPodAutoscaler', plural: 'verticalpodautoscalers', scope: 'Namespaced', version: 'v1',
    upstream: {
      project: 'Kubernetes Vertical Pod Autoscaler', repository: 'kubernetes/autoscaler', release: 'vertical-pod-autoscaler-1.7.1', releaseDate: '2026-07-25',
      file: 'vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml',
      versions: [{ name: 'v1', served: true, storage: true }, { name: 'v1beta2', served: false, storage: false, deprecated: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/workload.ts (buildVpa)', 'lib/k8s/maintenance.ts (controller VPAs)', 'lib/k8s/schema/kinds.ts', 'test/e2e/crds.ts'],
    emittedBy: 'every workload and maintenance controller (vpaEnabled)',
  },
  ScaledObject: {
    group: 'keda.sh', kind: 'ScaledObject', plural: 'scaledobjects', scope: 'Namespaced', version: 'v1alpha1',
    upstream: {
      project: 'KEDA', repository: 'kedacore/keda', release: 'v2.20.2', releaseDate: '2026-07-31',
      file: 'config/crd/bases/keda.sh_scaledobjects.yaml', versions: [{ name: 'v1alpha1', served: true, storage: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/autoscaling.ts (buildScaledObject)', 'lib/k8s/schema/kinds.ts', 'test/e2e/crds.ts'],
    emittedBy: 'KubeScaledObject',
  },
  Certificate: {
    group: 'cert-manager.io', kind: 'Certificate', plural: 'certificates', scope: 'Namespaced', version: 'v1',
    upstream: {
      project: 'cert-manager', repository: 'cert-manager/cert-manager', release: 'v1.21.1', releaseDate: '2026-07-29',
      file: 'deploy/crds/cert-manager.io_certificates.yaml', versions: [{ name: 'v1', served: true, storage: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/ingress.ts (the TLS Certificate)', 'lib/k8s/schema/kinds.ts', 'test/e2e/crds.ts'],
    emittedBy: 'KubeIngress (TLS certificates)',
  },
  ExternalSecret: {
    group: 'external-secrets.io', kind: 'ExternalSecret', plural: 'externalsecrets', scope: 'Namespaced', version: 'v1',
    upstream: {
      project: 'External Secrets Operator', repository: 'external-secrets/external-secrets', release: 'v2.9.0', releaseDate: '2026-08-07',
      file: 'config/crds/bases/external-secrets.io_externalsecrets.yaml',
      versions: [{ name: 'v1', served: true, storage: true }, { name: 'v1beta1', served: false, storage: false, deprecated: true }], checked: CHECKED,
    },
    otherVersions: [{ version: 'v1beta1', servedBy: 'External Secrets Operator before 0.17.0 (v1 is served from 0.16.0; 0.17.0, 2025-05-14, stopped serving v1beta1)' }],
    emittedAt: ['lib/k8s/config.ts (EXTERNAL_SECRET_API_VERSION)', 'lib/constructs/kube-external-secret.ts (customKindApiVersion with the cluster profile\'s externalSecretsApiVersion)', 'lib/k8s/schema/kinds.ts', 'test/e2e/crds.ts'],
    emittedBy: 'KubeExternalSecret, workloads with secrets from a secret store',
  },
  ImageCache: {
    group: 'kubefledged.io', kind: 'ImageCache', plural: 'imagecaches', scope: 'Namespaced', version: 'v1alpha2',
    upstream: {
      project: 'kube-fledged', repository: 'senthilrch/kube-fledged', release: 'v0.10.0', releaseDate: '2022-10-21',
      file: 'deploy/kubefledged-crd.yaml', versions: [{ name: 'v1alpha2', served: true, storage: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/image-cache.ts (IMAGE_CACHE_API_VERSION)', 'test/e2e/crds.ts'],
    emittedBy: 'KubeNodeImageCache',
  },
  WorkflowTemplate: {
    group: 'argoproj.io', kind: 'WorkflowTemplate', plural: 'workflowtemplates', scope: 'Namespaced', version: 'v1alpha1',
    upstream: {
      project: 'Argo Workflows', repository: 'argoproj/argo-workflows', release: 'v4.1.2', releaseDate: '2026-08-21',
      file: 'manifests/base/crds/full/argoproj.io_workflowtemplates.yaml', versions: [{ name: 'v1alpha1', served: true, storage: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/workflow-spec.ts (WORKFLOW_TEMPLATE_API_VERSION)', 'test/e2e/crds.ts'],
    emittedBy: 'KubeWorkflowTemplate',
  },
  VolumeSnapshotClass: {
    group: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshotClass', plural: 'volumesnapshotclasses', scope: 'Cluster', version: 'v1',
    upstream: {
      project: 'Kubernetes CSI external-snapshotter', repository: 'kubernetes-csi/external-snapshotter', release: 'v8.6.0', releaseDate: '2026-05-28',
      file: 'client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml',
      versions: [{ name: 'v1', served: true, storage: true }, { name: 'v1beta1', served: false, storage: false, deprecated: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/backups.ts (buildVolumeSnapshotClass)', 'lib/constructs/kube-external-snapshotter.ts (registerSchemalessKind)', 'test/e2e/crds.ts'],
    emittedBy: 'KubeExternalSnapshotter (volumeSnapshotClassEnabled)',
  },
  Schedule: {
    group: 'velero.io', kind: 'Schedule', plural: 'schedules', scope: 'Namespaced', version: 'v1',
    upstream: {
      project: 'Velero', repository: 'vmware-tanzu/velero', release: 'v1.18.1', releaseDate: '2026-05-12',
      file: 'config/crd/v1/bases/velero.io_schedules.yaml', versions: [{ name: 'v1', served: true, storage: true }], checked: CHECKED,
    },
    emittedAt: ['lib/k8s/backups.ts (buildVeleroSchedule)', 'lib/constructs/kube-velero.ts (registerSchemalessKind)', 'test/e2e/crds.ts'],
    emittedBy: 'KubeVelero (backup schedules)',
  },
} as const satisfies Record<string, CustomKind>;

/**
 * The kind of a custom resource the library emits.
 *
 * @group Core
 */
export type CustomKindName = keyof typeof CUSTOM_KINDS;

/**
 * A Helm chart the library installs that brings CRDs with it (its `crds/` directory).
 *
 * @internal
 */
export interface ChartCrds {
  /** The chart name, as in `helm_release.chart`. */
  readonly chart: string;
  /** The chart repository, as in `helm_release.repository`. */
  readonly repository: string;
  /** The CRDs it installs (`<plural>.<group>`). */
  readonly crds: readonly string[];
  /** Where that list was read. */
  readonly source: string;
}

/**
 * The charts of the maintenance controllers that install CRDs. The descheduler, Reloader and
 * pvc-autoresizer charts install none.
 *
 * @internal
 */
export const CHART_CRDS: readonly ChartCrds[] = [
  {
    chart: 'velero',
    repository: 'https://vmware-tanzu.github.io/helm-charts',
    crds: ['backuprepositories', 'backups', 'backupstoragelocations', 'datadownloads', 'datauploads', 'deletebackuprequests', 'downloadrequests',
      'podvolumebackups', 'podvolumerestores', 'restores', 'schedules', 'serverstatusrequests', 'volumesnapshotlocations'].map((p) => `${p}.velero.io`),
    source: `vmware-tanzu/helm-charts velero-9.1.3: charts/velero/crds/ (checked ${CHECKED})`,
  },
  {
    chart: 'snapshot-controller',
    repository: 'https://piraeus.io/helm-charts',
    crds: [
      'volumesnapshotclasses.snapshot.storage.k8s.io', 'volumesnapshots.snapshot.storage.k8s.io', 'volumesnapshotcontents.snapshot.storage.k8s.io',
      'volumegroupsnapshotclasses.groupsnapshot.storage.k8s.io', 'volumegroupsnapshotcontents.groupsnapshot.storage.k8s.io', 'volumegroupsnapshots.groupsnapshot.storage.k8s.io',
    ],
    source: `piraeusdatastore/helm-charts snapshot-controller-4.2.0: charts/snapshot-controller/Makefile, target crds (external-snapshotter v8.4.0) (checked ${CHECKED})`,
  },
  {
    chart: 'kube-fledged',
    repository: 'https://senthilrch.github.io/kubefledged-charts/',
    crds: ['imagecaches.kubefledged.io'],
    source: `senthilrch/kube-fledged v0.10.0: deploy/kubefledged-operator/helm-charts/kubefledged/crds/crd.yaml (checked ${CHECKED})`,
  },
];

/** `<plural>.<group>` of a custom kind. */
export function customKindCrdName(kind: CustomKindName): string {
  const k: CustomKind = CUSTOM_KINDS[kind];
  return `${k.plural}.${k.group}`;
}

/** The table entry for group and kind, if the library knows that custom kind. */
export function findCustomKind(group: string, kind: string): CustomKind | undefined {
  return Object.values(CUSTOM_KINDS as Record<string, CustomKind>).find((k) => k.group === group && k.kind === kind);
}

/**
 * Versions per custom kind that replace the defaults: the version alone (`v1beta1`) or the whole
 * apiVersion (`external-secrets.io/v1beta1`, same group).
 *
 * @group Core
 */
export type CustomKindVersionOverrides = Partial<Record<CustomKindName, string>>;

const VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;

/**
 * The apiVersion to emit for a custom kind: the library's default (the version the current
 * upstream release serves, see docs/preflight.md), or the override for that kind.
 *
 * @example
 * customKindApiVersion('ExternalSecret');                                  // 'external-secrets.io/v1'
 * customKindApiVersion('ExternalSecret', { ExternalSecret: 'v1beta1' });   // 'external-secrets.io/v1beta1'
 *
 * @group Core
 */
export function customKindApiVersion(kind: CustomKindName, overrides?: CustomKindVersionOverrides): string {
  const entry: CustomKind | undefined = Object.prototype.hasOwnProperty.call(CUSTOM_KINDS, kind) ? CUSTOM_KINDS[kind] : undefined;
  if (!entry) throw new Error(`customKindApiVersion: ${JSON.stringify(kind)} is not a custom kind the library emits (one of ${Object.keys(CUSTOM_KINDS).join(', ')})`);
  const override = overrides?.[kind];
  if (override === undefined) return `${entry.group}/${entry.version}`;
  const slash = override.lastIndexOf('/');
  const group = slash < 0 ? entry.group : override.slice(0, slash);
  const version = slash < 0 ? override : override.slice(slash + 1);
  if (group !== entry.group || !VERSION.test(version)) {
    throw new Error(`customKindApiVersion: the version of ${kind} cannot be ${JSON.stringify(override)}: give a version of the ${entry.group} group, e.g. "${entry.version}" or "${entry.group}/${entry.version}"`);
  }
  return `${group}/${version}`;
}
