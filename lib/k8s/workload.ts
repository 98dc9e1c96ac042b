import { Tokenization } from 'cdktf';
import { ResolvedEnvironmentContext } from '../core/context';
import { AnnotationKeys, LabelKeys, moduleLabels } from '../core/labels';
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
  /** Create a VerticalPodAutoscaler that right-sizes requests between the minimums and maximums. @default - true when the cluster profile declares `vpa` (panfactum: yes; eks: no) */
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
  /**
   * Name the objects the way Panfactum's module (kube_deployment, kube_stateful_set, ...) named
   * them, so that the objects a Panfactum deployment created are adopted rather than created a
   * second time (docs/migration.md, "Panfactum names").
   * @default - this library's names: selector id hashed from kind, namespace and name; ServiceAccount, Role, RoleBinding and Secret `<name>-<first 8 characters of the id>`
   */
  readonly panfactumNames?: PanfactumNames;
}

/**
 * The names a Panfactum workload module gave its objects, where they are random and cannot be
 * derived from the inputs. The PodDisruptionBudget (`<name>-pdb`), VerticalPodAutoscaler
 * (`<name>`), Service (`serviceName` or `<name>`) and headless Service (`<name>-headless`) are
 * named alike in both libraries and need nothing here.
 *
 * @group Workloads
 */
export interface PanfactumNames {
  /**
   * The module's `random_id` (`hex`, 16 lowercase hex characters): the live value of the pods'
   * immutable `id` selector label, which Panfactum also used as the ServiceAccount's name
   * (`kubectl get deploy <name> -o jsonpath='{.spec.selector.matchLabels.id}'`).
   */
  readonly id: string;
  /**
   * Name of the pod-reader Role kube_pod created with `generate_name = "<name>-"` (random suffix).
   * @default - the ServiceAccount's name (the live Role is not adopted; delete it after the migration)
   */
  readonly roleName?: string;
  /**
   * Name of the pod-reader RoleBinding kube_pod created with `generate_name = "<name>-"`.
   * @default - the ServiceAccount's name (the live RoleBinding is not adopted; delete it after the migration)
   */
  readonly roleBindingName?: string;
  /**
   * Name of the commonSecrets Secret kube_pod created with `generate_name = "<name>-"`.
   * @default - the ServiceAccount's name (the live Secret is not adopted; delete it after the migration)
   */
  readonly secretName?: string;
}

/** Panfactum's random_id hex: lowercase hex, a valid label value and object name. */
const PANFACTUM_ID = /^[0-9a-f]{1,63}$/;

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

  const pf = panfactumNames(v, props.panfactumNames);
  const id = pf ? pf.id : selectorId(kind.kind, props.namespace, props.name);
  const serviceAccountName = pf ? pf.id : childName(props.name, id.slice(0, 8));
  const secretName = pf?.secretName ?? serviceAccountName;
  const labels = moduleLabels(env, kind.module);
  const pod = buildPod(
    v,
    {
      namespace: props.namespace,
      workloadName: props.name,
      matchLabels: { id },
      serviceAccountName,
      secretName,
      ...(pf?.roleName !== undefined ? { roleName: pf.roleName } : {}),
      ...(pf?.roleBindingName !== undefined ? { roleBindingName: pf.roleBindingName } : {}),
      moduleLabels: labels,
      restartPolicy: kind.restartPolicy,
      extraVolumeMounts: kind.extraVolumeMounts,
      cluster: env.cluster,
    },
    props,
  );
  const objectLabels = { ...pod.labels };
  for (const k of Object.keys(props.extraPodLabels ?? {})) delete objectLabels[k];
  // A pod-only switch for Panfactum's env-injection policy.
  delete objectLabels[LabelKeys.injectEnvEnabled];
  return {
    name: props.name,
    module: kind.module,
    selectorId: id,
    serviceAccountName,
    secretName,
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

/** Validate `panfactumNames`: every name is known at synth and a valid object name. */
function panfactumNames(v: PropValidator, pf: PanfactumNames | undefined): PanfactumNames | undefined {
  if (pf === undefined) return undefined;
  const why = 'it names objects that already exist in the cluster';
  v.knownAtSynth('panfactumNames', pf, why);
  v.knownAtSynth('panfactumNames.id', pf.id, why);
  v.required('panfactumNames.id', pf.id);
  if (typeof pf.id === 'string' && !PANFACTUM_ID.test(pf.id)) {
    v.fail('panfactumNames.id', pf.id, "give the live `id` selector label of the workload (the module's random_id hex, e.g. \"9f2c4e1ab3d07765\")", 'is not lowercase hex of 1-63 characters');
  }
  for (const k of ['roleName', 'roleBindingName', 'secretName'] as const) {
    if (pf[k] === undefined) continue;
    v.knownAtSynth(`panfactumNames.${k}`, pf[k], why);
    v.dnsSubdomain(`panfactumNames.${k}`, pf[k] as string);
  }
  return pf;
}

/**
 * Metadata of the controller object itself: its name and namespace, the workload's labels with
 * `extraLabels` on top, and `annotations` with `extraAnnotations` on top (no `annotations` key
 * when both are empty).
 */
/**
 * Whether the workload gets its VerticalPodAutoscaler: `vpaEnabled`, by default whether the
 * cluster runs the VPA. Asking for one where it does not run fails (the plan would fail on the
 * missing CRD).
 */
export function vpaWanted(v: PropValidator, env: ResolvedEnvironmentContext, vpaEnabled: boolean | undefined): boolean {
  if (vpaEnabled === true && !env.cluster.vpa) {
    v.capability('vpaEnabled', true, env.cluster, 'vpa', 'the Vertical Pod Autoscaler (CRD verticalpodautoscalers.autoscaling.k8s.io)', 'true',
      'set vpaEnabled: false (requests then stay at the containers\' minimums)');
  }
  return vpaEnabled ?? env.cluster.vpa;
}

/** The controller annotation that has Reloader restart the pods when a mounted ConfigMap or Secret changes (where Reloader runs). */
export function reloaderAnnotations(env: ResolvedEnvironmentContext): Record<string, string> {
  return env.cluster.reloader ? { [AnnotationKeys.reloaderAuto]: 'true' } : {};
}

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
