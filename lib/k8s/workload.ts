import { Tokenization } from 'cdktf';
import { ResolvedEnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { childName, selectorId } from '../core/naming';
import { PropValidator } from '../core/validation';
import { cpuQuantity, mbQuantity } from '../core/units';
import { ResolvedContainer } from './container';
import { PodModel, PodProps, RestartPolicy, buildPod } from './pod';
import type { IPodDisruptionBudget, IServiceAccount, IVerticalPodAutoscaler, Named } from './types';

/**
 * Inputs every controller (Deployment, StatefulSet, ...) shares on top of the pod inputs.
 *
 * @group Workloads
 */
export interface WorkloadProps extends PodProps {
  /** Namespace of the workload (RFC 1123 label). */
  readonly namespace: string;
  /** Name of the workload (RFC 1123 label); also names its VPA, PDB and Service. */
  readonly name: string;
  /** Create a VerticalPodAutoscaler that right-sizes requests between the minimums and maximums. @default true */
  readonly vpaEnabled?: boolean;
  /** Let voluntary disruptions (evictions by Karpenter, the descheduler, the VPA) take pods down. false sets the PDB's maxUnavailable to 0. @default true */
  readonly voluntaryDisruptionsEnabled?: boolean;
  /** How many pods voluntary disruptions may take down at once (the PDB's maxUnavailable). @default 1 */
  readonly maxUnavailable?: number;
  /** Whether unhealthy (not ready) pods may always be evicted, so a crash-looping workload can heal. @default "AlwaysAllow" */
  readonly unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
  /** Labels on the controller object only. @default {} */
  readonly extraLabels?: Record<string, string>;
  /** Annotations on the controller object only. @default {} */
  readonly extraAnnotations?: Record<string, string>;
  /** Annotations on the workload's ServiceAccount (e.g. an IRSA role ARN). @default {} */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

/** What every controller model shares. */
export interface WorkloadBase {
  /** The workload's name. */
  readonly name: string;
  /** Panfactum module name of the controller (kube_deployment, ...). */
  readonly module: string;
  readonly selectorId: string;
  readonly serviceAccountName: string;
  readonly secretName: string;
  /** Labels for the supporting objects (module labels + workload labels, no pod extras). */
  readonly objectLabels: Record<string, string>;
  readonly pod: PodModel;
  readonly serviceAccount: Named<IServiceAccount>;
}

/** Per-controller facts the shared builder needs. */
export interface WorkloadKind {
  /** Kubernetes kind (Deployment, StatefulSet, ...). */
  readonly kind: string;
  /** Panfactum module name, for the module label (kube_deployment, ...). */
  readonly module: string;
  readonly restartPolicy: RestartPolicy;
  readonly extraVolumeMounts?: Record<string, { mountPath: string }>;
}

/** Boolean props written into the emitted object as given, so a deploy-time token works. */
const PASS_THROUGH_FLAGS = new Set(['suspend']);

/** Validate the common workload inputs and build the pod, ServiceAccount and labels. */
export function buildWorkloadBase(v: PropValidator, env: ResolvedEnvironmentContext, kind: WorkloadKind, props: WorkloadProps): WorkloadBase {
  v.required('namespace', props.namespace);
  v.required('name', props.name);
  // A boolean prop given as a deploy-time token is an IResolvable object (string, number and list
  // tokens are encoded values): JavaScript reads it as true. The workload switches decide which
  // objects and pod settings exist, so they must be known; the few that are copied into the
  // object as they are (PASS_THROUGH_FLAGS) may be tokens.
  for (const [k, value] of Object.entries(props)) {
    if (!PASS_THROUGH_FLAGS.has(k) && value !== null && typeof value === 'object' && !Array.isArray(value) && Tokenization.isResolvable(value)) {
      v.knownAtSynth(k, value, 'it decides which objects or pod settings are emitted');
    }
  }
  const derived = 'the selector id, the ServiceAccount and the other object names are derived from it at synth';
  v.knownAtSynth('namespace', props.namespace, derived);
  v.knownAtSynth('name', props.name, derived);
  v.dnsLabel('namespace', props.namespace);
  v.dnsLabel('name', props.name, 52); // room for the suffixes of the objects derived from it
  v.labels('extraLabels', props.extraLabels);
  v.annotations('extraAnnotations', props.extraAnnotations);
  v.annotations('serviceAccountAnnotations', props.serviceAccountAnnotations);
  if (props.maxUnavailable !== undefined) v.integer('maxUnavailable', props.maxUnavailable, 0, 10000, 'use a whole number of pods, 0 or more (0 blocks voluntary disruptions)');
  if (props.unhealthyPodEvictionPolicy !== undefined) v.oneOf('unhealthyPodEvictionPolicy', props.unhealthyPodEvictionPolicy, ['AlwaysAllow', 'IfHealthyBudget'] as const);

  const id = selectorId(kind.kind, props.namespace, props.name);
  const serviceAccountName = childName(props.name, id.slice(0, 8));
  const labels = moduleLabels(env, kind.module);
  const pod = buildPod(
    v,
    {
      namespace: props.namespace,
      workloadName: props.name,
      matchLabels: { id },
      serviceAccountName,
      secretName: serviceAccountName,
      moduleLabels: labels,
      restartPolicy: kind.restartPolicy,
      extraVolumeMounts: kind.extraVolumeMounts,
    },
    props,
  );
  const objectLabels = { ...pod.labels };
  for (const k of Object.keys(props.extraPodLabels ?? {})) delete objectLabels[k];
  return {
    name: props.name,
    module: kind.module,
    selectorId: id,
    serviceAccountName,
    secretName: serviceAccountName,
    objectLabels,
    pod,
    serviceAccount: {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: serviceAccountName,
        namespace: props.namespace,
        labels: objectLabels,
        ...(props.serviceAccountAnnotations && Object.keys(props.serviceAccountAnnotations).length > 0 ? { annotations: { ...props.serviceAccountAnnotations } } : {}),
      },
    },
  };
}

/**
 * Metadata of the controller object itself: its name and namespace, the workload's labels with
 * `extraLabels` on top, and `annotations` with `extraAnnotations` on top (no `annotations` key
 * when both are empty).
 */
export function controllerMetadata(
  base: WorkloadBase,
  props: Pick<WorkloadProps, 'name' | 'namespace' | 'extraLabels' | 'extraAnnotations'>,
  annotations: Record<string, string> = {},
): { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> } {
  const merged = { ...annotations, ...(props.extraAnnotations ?? {}) };
  return {
    name: props.name,
    namespace: props.namespace,
    labels: { ...base.objectLabels, ...(props.extraLabels ?? {}) },
    ...(Object.keys(merged).length > 0 ? { annotations: merged } : {}),
  };
}

/** The PodDisruptionBudget `<name>-pdb` (seed 000: maxUnavailable 1, unhealthy pods always evictable). */
export function buildPdb(base: WorkloadBase, props: WorkloadProps): Named<IPodDisruptionBudget> {
  const enabled = props.voluntaryDisruptionsEnabled ?? true;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${props.name}-pdb`, namespace: props.namespace, labels: base.objectLabels },
    spec: {
      selector: { matchLabels: { ...base.pod.matchLabels } },
      maxUnavailable: enabled ? props.maxUnavailable ?? 1 : 0,
      unhealthyPodEvictionPolicy: props.unhealthyPodEvictionPolicy ?? 'AlwaysAllow',
    },
  };
}

/**
 * A PodDisruptionBudget `<name>-pdb` in minAvailable style, for controllers without the
 * scale subresource (DaemonSets), where the API server cannot evaluate maxUnavailable.
 */
export function buildMinAvailablePdb(
  base: WorkloadBase,
  props: Pick<WorkloadProps, 'name' | 'namespace' | 'unhealthyPodEvictionPolicy'>,
  minAvailable: number | string,
): Named<IPodDisruptionBudget> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: `${props.name}-pdb`, namespace: props.namespace, labels: base.objectLabels },
    spec: {
      selector: { matchLabels: { ...base.pod.matchLabels } },
      minAvailable,
      unhealthyPodEvictionPolicy: props.unhealthyPodEvictionPolicy ?? 'AlwaysAllow',
    },
  };
}

/**
 * The VerticalPodAutoscaler. `Auto` mode evicts only when the recommendation is above
 * the current requests; `Initial` (batch workloads) sets requests at pod creation only.
 * Init containers that run to completion are left out: the VPA does not size them.
 */
export function buildVpa(
  base: WorkloadBase,
  props: WorkloadProps,
  target: { apiVersion: string; kind: string },
  mode: 'Auto' | 'Initial',
): Named<IVerticalPodAutoscaler> {
  const managed = base.pod.containers.filter((c) => !c.init || c.props.restartPolicy === 'Always');
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: props.name, namespace: props.namespace, labels: base.objectLabels },
    spec: {
      targetRef: { apiVersion: target.apiVersion, kind: target.kind, name: props.name },
      updatePolicy:
        mode === 'Auto'
          ? { updateMode: 'Auto', evictionRequirements: [{ resources: ['cpu', 'memory'], changeRequirement: 'TargetHigherThanRequests' }] }
          : { updateMode: 'Initial' },
      resourcePolicy: { containerPolicies: managed.map(containerPolicy) },
    },
  } as Named<IVerticalPodAutoscaler>;
}

function containerPolicy(c: ResolvedContainer) {
  const maxAllowed: Record<string, string> = {};
  if (c.maximumMemory !== undefined) maxAllowed.memory = mbQuantity(c.maximumMemory);
  if (c.maximumCpu !== undefined) maxAllowed.cpu = cpuQuantity(c.maximumCpu); // Panfactum writes "<n>Mi" here (a bug)
  return {
    containerName: c.name,
    minAllowed: { memory: mbQuantity(c.minimumMemory), cpu: cpuQuantity(c.minimumCpu) },
    ...(Object.keys(maxAllowed).length > 0 ? { maxAllowed } : {}),
  };
}
