/**
 * What the Kubernetes cluster a stack deploys to provides: its scheduler, add-ons, node classes,
 * storage classes and the versions of the custom APIs it serves. The library's defaults follow
 * it, and a prop that needs something the cluster lacks fails at synth instead of leaving pods
 * Pending or a plan failing on a missing CRD.
 *
 * Two named profiles: `panfactum` (a Panfactum Stack cluster: everything below is present, the
 * default) and `eks` (a stock EKS cluster: the default scheduler, `gp3` volumes, no add-ons until
 * declared). An object picks a base profile and overrides capabilities one by one.
 */

import { camelToSnake } from './naming';

/**
 * A class of Karpenter node pools whose nodes carry Panfactum's `<class>=true:NoSchedule` taint
 * (and, for controller and workflow nodes, the labels `panfactum.com/class` and
 * `panfactum.com/workflow-only`).
 *
 * @group Core
 */
export type NodeClass = 'spot' | 'burstable' | 'arm64' | 'controller' | 'workflow';

/** Every node class, in the order tolerations are emitted. */
export const NODE_CLASSES: readonly NodeClass[] = ['spot', 'burstable', 'arm64', 'controller', 'workflow'];

/**
 * The capabilities of a cluster. In a profile object, each one overrides the base profile's.
 *
 * @group Core
 */
export interface ClusterCapabilities {
  /**
   * Name of the bin-packing scheduler pods use (Panfactum's `panfactum`), or `false` for the
   * default scheduler. Workloads' `panfactumSchedulerEnabled` defaults to whether one is declared.
   * @default - panfactum: "panfactum"; eks: false
   */
  readonly binPackingScheduler?: string | false;
  /**
   * The Vertical Pod Autoscaler (its `autoscaling.k8s.io/v1` CRD and recommender) is installed.
   * `vpaEnabled` defaults to it.
   * @default - panfactum: true; eks: false
   */
  readonly vpa?: boolean;
  /**
   * Linkerd is installed: pods get `linkerd.io/inject`, namespaces the Linkerd network policies,
   * and the `linkerd*` props are accepted.
   * @default - panfactum: true; eks: false
   */
  readonly linkerd?: boolean;
  /**
   * Panfactum's Kyverno policies run: they read the `panfactum.com/*` pod labels (scheduler,
   * pull-through cache, node-class flags) and inject the default environment variables.
   * Without them those labels are not emitted.
   * @default - panfactum: true; eks: false
   */
  readonly kyverno?: boolean;
  /**
   * Node classes whose Panfactum taints and labels exist. A workload tolerates a class only when
   * it is declared; asking for an undeclared class (`spotNodesEnabled: true`,
   * `controllerNodesRequired: true`, ...) fails at synth.
   * @default - panfactum: every class; eks: none
   */
  readonly nodeClasses?: NodeClass[];
  /**
   * Cilium is the CNI: `ciliumRequired: false` tolerates its not-ready taint.
   * @default - panfactum: true; eks: false
   */
  readonly cilium?: boolean;
  /**
   * StorageClass of scratch volumes (`tmpDirectories` on EBS).
   * @default - panfactum: "ebs-standard"; eks: "gp3"
   */
  readonly storageClass?: string;
  /**
   * StorageClass of StatefulSet volumes (retained when the claim is deleted).
   * @default - panfactum: "ebs-standard-retained"; eks: "gp3"
   */
  readonly retainedStorageClass?: string;
  /**
   * cert-manager is installed (Certificates for `generateCertEnabled`).
   * @default - panfactum: true; eks: false
   */
  readonly certManager?: boolean;
  /**
   * Name of the cert-manager ClusterIssuer certificates use when the Ingress names none.
   * @default - panfactum: "public"; eks: none (give certIssuerName)
   */
  readonly certIssuerName?: string;
  /**
   * KEDA is installed (`KubeScaledObject`).
   * @default - panfactum: true; eks: false
   */
  readonly keda?: boolean;
  /**
   * External Secrets Operator is installed (`KubeExternalSecret`).
   * @default - panfactum: true; eks: false
   */
  readonly externalSecrets?: boolean;
  /**
   * The ExternalSecret apiVersion the installed operator serves: `external-secrets.io/v1`
   * (ESO 0.16.2 and later; 0.17 stopped serving v1beta1) or `external-secrets.io/v1beta1`
   * (ESO before 0.17).
   * @default "external-secrets.io/v1"
   */
  readonly externalSecretsApiVersion?: 'external-secrets.io/v1' | 'external-secrets.io/v1beta1';
  /**
   * kube-fledged (the node image cache, `KubeNodeImageCache`) is installed. Workloads' image
   * prepull/pin default to it.
   * @default - panfactum: true; eks: false
   */
  readonly imageCache?: boolean;
  /**
   * Stakater Reloader is installed: controllers get `reloader.stakater.com/auto` and restart when
   * a mounted ConfigMap or Secret changes.
   * @default - panfactum: true; eks: false
   */
  readonly reloader?: boolean;
  /**
   * Velero is installed (StatefulSet backup schedules).
   * @default - panfactum: true; eks: false
   */
  readonly velero?: boolean;
  /**
   * The CSI snapshot controller and its `snapshot.storage.k8s.io/v1` CRDs are installed.
   * @default - panfactum: true; eks: false
   */
  readonly volumeSnapshots?: boolean;
  /**
   * Argo Workflows is installed (`KubeWorkflowTemplate`).
   * @default - panfactum: true; eks: false
   */
  readonly argoWorkflows?: boolean;
  /**
   * The descheduler runs and honours `panfactum.com/prevent-lifetime-eviction`.
   * @default - panfactum: true; eks: false
   */
  readonly descheduler?: boolean;
  /**
   * IngressClass of the ingress-nginx controller `KubeIngress` targets, or `false` when none is
   * installed (KubeIngress then fails at synth).
   * @default - panfactum: "nginx"; eks: false
   */
  readonly ingressNginxClass?: string | false;
}

/**
 * The named cluster profiles.
 *
 * @group Core
 */
export type ClusterProfileName = 'panfactum' | 'eks';

/**
 * A base profile with capabilities overridden one by one.
 *
 * @group Core
 */
export interface ClusterProfileOverrides extends ClusterCapabilities {
  /**
   * The profile the other keys override.
   * @default "eks" (nothing is assumed that is not declared)
   */
  readonly base?: ClusterProfileName;
}

/**
 * A cluster profile: a name or a base with overrides.
 *
 * @group Core
 */
export type ClusterProfile = ClusterProfileName | ClusterProfileOverrides;

/**
 * Every capability with the profile's value.
 *
 * @group Core
 */
export interface ResolvedClusterCapabilities {
  /** The base profile's name (for messages). */
  readonly profile: ClusterProfileName;
  /** Whether any capability was overridden (for messages). */
  readonly overridden: boolean;
  readonly binPackingScheduler: string | false;
  readonly vpa: boolean;
  readonly linkerd: boolean;
  readonly kyverno: boolean;
  readonly nodeClasses: readonly NodeClass[];
  readonly cilium: boolean;
  readonly storageClass: string;
  readonly retainedStorageClass: string;
  readonly certManager: boolean;
  readonly certIssuerName?: string;
  readonly keda: boolean;
  readonly externalSecrets: boolean;
  readonly externalSecretsApiVersion: 'external-secrets.io/v1' | 'external-secrets.io/v1beta1';
  readonly imageCache: boolean;
  readonly reloader: boolean;
  readonly velero: boolean;
  readonly volumeSnapshots: boolean;
  readonly argoWorkflows: boolean;
  readonly descheduler: boolean;
  readonly ingressNginxClass: string | false;
}

/**
 * The capability keys (what a profile object may override besides `base`).
 *
 * @group Core
 */
export type ClusterCapability = keyof ClusterCapabilities;

/** A Panfactum Stack cluster: today's behaviour of every construct. */
const PANFACTUM: ResolvedClusterCapabilities = Object.freeze({
  profile: 'panfactum',
  overridden: false,
  binPackingScheduler: 'panfactum',
  vpa: true,
  linkerd: true,
  kyverno: true,
  nodeClasses: Object.freeze([...NODE_CLASSES]),
  cilium: true,
  storageClass: 'ebs-standard',
  retainedStorageClass: 'ebs-standard-retained',
  certManager: true,
  certIssuerName: 'public',
  keda: true,
  externalSecrets: true,
  externalSecretsApiVersion: 'external-secrets.io/v1',
  imageCache: true,
  reloader: true,
  velero: true,
  volumeSnapshots: true,
  argoWorkflows: true,
  descheduler: true,
  ingressNginxClass: 'nginx',
} as const);

/**
 * A stock EKS cluster: the default scheduler, the EBS CSI driver with a `gp3` StorageClass (EKS
 * add-on `aws-ebs-csi-driver`; create the class if the cluster has only `gp2`), and no add-on
 * that is not declared.
 */
const EKS: ResolvedClusterCapabilities = Object.freeze({
  profile: 'eks',
  overridden: false,
  binPackingScheduler: false,
  vpa: false,
  linkerd: false,
  kyverno: false,
  nodeClasses: Object.freeze([]),
  cilium: false,
  storageClass: 'gp3',
  retainedStorageClass: 'gp3',
  certManager: false,
  certIssuerName: undefined,
  keda: false,
  externalSecrets: false,
  externalSecretsApiVersion: 'external-secrets.io/v1',
  imageCache: false,
  reloader: false,
  velero: false,
  volumeSnapshots: false,
  argoWorkflows: false,
  descheduler: false,
  ingressNginxClass: false,
} as const);

/**
 * The named profiles with every capability resolved.
 *
 * @group Core
 */
export const CLUSTER_PROFILES: Readonly<Record<ClusterProfileName, ResolvedClusterCapabilities>> = Object.freeze({ panfactum: PANFACTUM, eks: EKS });

/** The profile in force when none is set: a Panfactum cluster. */
export const DEFAULT_CLUSTER: ResolvedClusterCapabilities = PANFACTUM;

/** The capability keys, in documentation order. */
export const CLUSTER_CAPABILITIES: readonly ClusterCapability[] = [
  'binPackingScheduler', 'vpa', 'linkerd', 'kyverno', 'nodeClasses', 'cilium', 'storageClass', 'retainedStorageClass',
  'certManager', 'certIssuerName', 'keda', 'externalSecrets', 'externalSecretsApiVersion', 'imageCache', 'reloader',
  'velero', 'volumeSnapshots', 'argoWorkflows', 'descheduler', 'ingressNginxClass',
];

/**
 * Resolve a profile (already validated) to every capability: a name to its profile; an object to
 * its `base` (default "eks") with the given capabilities replaced; undefined to "panfactum".
 *
 * @group Core
 */
export function resolveClusterProfile(profile: ClusterProfile | undefined): ResolvedClusterCapabilities {
  if (profile === undefined) return DEFAULT_CLUSTER;
  if (typeof profile === 'string') return CLUSTER_PROFILES[profile];
  const base = CLUSTER_PROFILES[profile.base ?? 'eks'];
  const out: Record<string, unknown> = { ...base };
  let overridden = false;
  for (const key of CLUSTER_CAPABILITIES) {
    const value = profile[key];
    if (value === undefined) continue;
    out[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
    overridden = true;
  }
  out.overridden = overridden;
  return Object.freeze(out) as unknown as ResolvedClusterCapabilities;
}

/** How to declare a capability, for error messages: `clusterProfile: { base: 'eks', vpa: true }`. */
export function declareHint(cluster: ResolvedClusterCapabilities, capability: ClusterCapability, example: string): string {
  const yamlKey = camelToSnake(capability);
  const yamlExample = example.replace(/'/g, '');
  return `declare it in the cluster profile: EnvironmentContext.set(stack, { clusterProfile: { base: '${cluster.profile}', ${capability}: ${example} } }) or, in environment.yaml/region.yaml, cluster_profile: { base: ${cluster.profile}, ${yamlKey}: ${yamlExample} }`;
}

/** The profile, in words, for messages: `the cluster profile "eks"` (with overrides: `"eks" with overrides`). */
export function describeCluster(cluster: ResolvedClusterCapabilities): string {
  return `the cluster profile "${cluster.profile}"${cluster.overridden ? ' (with overrides)' : ''}`;
}
