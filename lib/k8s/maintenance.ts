/**
 * Pure model of the cluster maintenance controllers (seed 001): the pieces every
 * Helm-installed controller shares (chart pinning, scheduling values, PDB, VPA,
 * priority class) and the parsing of cron schedules and Go durations used to check
 * Velero's retention. No CDKTF here: everything is unit-testable.
 */
import { ResolvedEnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { selectorId } from '../core/naming';
import { mbQuantity } from '../core/units';
import { PropValidator, isToken } from '../core/validation';
import { SchedulingProps, buildScheduling, hasNodeClass, validateScheduling } from './scheduling';
import type { IAffinity, IPodDisruptionBudget, IToleration, ITopologySpreadConstraint, IVerticalPodAutoscaler, Named } from './types';

/** The PriorityClass Panfactum gives cluster utilities that are not needed to bootstrap the cluster. */
export const CLUSTER_IMPORTANT_PRIORITY_CLASS = 'cluster-important';
/** Its value (Panfactum's kube_policies): above every workload, below system-cluster-critical. */
export const CLUSTER_IMPORTANT_PRIORITY_VALUE = 100000000;

/** Semantic version, with an optional leading `v` (some charts, e.g. kube-fledged, tag `v0.10.0`). */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const CHART_REPOSITORY = /^(https:\/\/|oci:\/\/)[^\s]+$/;

/** True when `value` is an exact semantic version (`1.2.3`, `v0.10.0`, `1.0.0-rc.1`). Ranges are not versions. */
export function isSemver(value: string): boolean {
  return SEMVER.test(value);
}

/** A pinned chart version: exact semver, never a range or `latest`. */
export function validateChartVersion(v: PropValidator, field: string, value: string): string {
  if (isToken(value)) return value;
  if (typeof value !== 'string' || !isSemver(value)) {
    v.fail(field, value, 'pin an exact chart version such as "2.2.9" (semantic version, no ranges, no "latest")', 'is not a semantic version');
  }
  return value;
}

/** A chart repository: an https:// Helm repository or an oci:// registry. */
export function validateChartRepository(v: PropValidator, field: string, value: string): string {
  if (isToken(value)) return value;
  if (typeof value !== 'string' || !CHART_REPOSITORY.test(value)) {
    v.fail(field, value, 'use an https:// Helm repository URL or an oci:// registry reference', 'is not a chart repository');
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Durations and cron schedules
// ---------------------------------------------------------------------------------------------

const GO_DURATION = /^(\d+(\.\d+)?(h|m|s))+$/;
const GO_DURATION_PART = /(\d+(?:\.\d+)?)(h|m|s)/g;

/** Seconds in a Go duration made of h/m/s parts (`1h30m0s`, `90m`, `45s`); undefined when not one. */
export function parseGoDuration(text: string): number | undefined {
  if (typeof text !== 'string' || !GO_DURATION.test(text)) return undefined;
  let seconds = 0;
  for (const m of text.matchAll(GO_DURATION_PART)) {
    seconds += Number(m[1]) * (m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1);
  }
  return seconds;
}

/** A Go duration for a number of seconds, as Velero prints it (`5400` -> `1h30m0s`). */
export function formatGoDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

const NUMBER = /^\d+$/;
const STEP = /^\*\/(\d+)$/;

/**
 * The interval between runs of a simple cron schedule, in seconds, or undefined when the
 * schedule is not one of the simple shapes (then nothing is checked against it):
 * `@hourly`, `@daily`/`@midnight`, `@every <go duration>`, `* * * * *` (every minute),
 * `*\/N * * * *` (every N minutes), `M * * * *` (hourly), `M *\/N * * *` (every N hours),
 * `M H * * *` (daily).
 */
export function cronIntervalSeconds(schedule: string): number | undefined {
  if (typeof schedule !== 'string') return undefined;
  const s = schedule.trim();
  if (s === '@hourly') return 3600;
  if (s === '@daily' || s === '@midnight') return 86400;
  if (s.startsWith('@every ')) return parseGoDuration(s.slice(7).trim());
  const fields = s.split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minute, hour, dom, month, dow] = fields;
  if (dom !== '*' || month !== '*' || dow !== '*') return undefined;
  const minuteStep = STEP.exec(minute);
  const hourStep = STEP.exec(hour);
  if (minute === '*' && hour === '*') return 60;
  if (minuteStep && hour === '*') return Number(minuteStep[1]) * 60;
  if (NUMBER.test(minute) && hour === '*') return 3600;
  if (NUMBER.test(minute) && hourStep) return Number(hourStep[1]) * 3600;
  if (NUMBER.test(minute) && NUMBER.test(hour)) return 86400;
  return undefined;
}

const CRON_FIELD = /^[\d*/,-]+$/;

/** A cron schedule: 5 fields of digits and `* / , -`, or `@hourly`/`@daily`/`@midnight`/`@every <duration>`. */
export function validateCron(v: PropValidator, field: string, value: string): string {
  if (isToken(value)) return value;
  const ok = typeof value === 'string' && (
    ['@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually'].includes(value.trim())
    || (value.trim().startsWith('@every ') && parseGoDuration(value.trim().slice(7).trim()) !== undefined)
    || (value.trim().split(/\s+/).length === 5 && value.trim().split(/\s+/).every((f) => CRON_FIELD.test(f))));
  if (!ok) v.fail(field, value, 'use a 5-field cron schedule such as "0 * * * *" (hourly) or "@every 2h"', 'is not a cron schedule');
  return value;
}

// ---------------------------------------------------------------------------------------------
// The shape every maintenance controller shares
// ---------------------------------------------------------------------------------------------

/**
 * Inputs shared by every Helm-installed maintenance controller (Panfactum's direct-module variables).
 *
 * @group Maintenance
 */
export interface MaintenanceControllerProps {
  /**
   * Namespace created for the controller.
   * @default - the controller's own (reloader, node-image-cache, pvc-autoresizer, descheduler, external-snapshotter, velero)
   */
  readonly namespace?: string;
  /**
   * Helm repository of the chart (https:// or oci://).
   * @default - the upstream repository of the chart
   */
  readonly chartRepository?: string;
  /** Create a VerticalPodAutoscaler for the controller. @default - true when the cluster profile declares `vpa` (panfactum: yes; eks: no) */
  readonly vpaEnabled?: boolean;
  /** Schedule the controller with the cluster's bin-packing scheduler. @default - true when the cluster profile declares one (panfactum: yes; eks: no) */
  readonly panfactumSchedulerEnabled?: boolean;
  /** Let images be pulled through the ECR pull-through cache (a label Panfactum's Kyverno policies read). @default - true when the cluster profile declares `kyverno` */
  readonly pullThroughCacheEnabled?: boolean;
  /** Tolerate Spot nodes. @default - true when the cluster profile declares the node class "spot" */
  readonly spotNodesEnabled?: boolean;
  /** Tolerate burstable nodes. @default - true when the cluster profile declares the node class "burstable" */
  readonly burstableNodesEnabled?: boolean;
  /** Tolerate (and prefer) the controller nodes. @default - true when the cluster profile declares the node class "controller" */
  readonly controllerNodesEnabled?: boolean;
  /**
   * PriorityClass of the controller's pods (must exist in the cluster). Not supported by
   * KubeNodeImageCacheController (its chart cannot render one), which rejects it.
   * @default "cluster-important" (KubeNodeImageCacheController: none)
   */
  readonly priorityClassName?: string;
  /** Wait for the release's resources to be ready before `apply` succeeds. @default true */
  readonly wait?: boolean;
  /** Ask the chart for a metrics endpoint / PodMonitor (needs the Prometheus operator CRDs). @default false */
  readonly monitoringEnabled?: boolean;
}

/** Facts about one controller that the shared builder needs. */
export interface ControllerIdentity {
  /** Panfactum module name, for the module label. */
  readonly module: string;
  /** Namespace. */
  readonly namespace: string;
  /** Name of the controller workload (Deployment). */
  readonly name: string;
}

/** What the chart values need to place the controller's pods. */
export interface ControllerPlacement {
  /** Selector labels the chart must put on the pods (`id`); the PDB selects them. */
  readonly matchLabels: Record<string, string>;
  /** Every pod label (module, workload, scheduling flags, match labels). */
  readonly podLabels: Record<string, string>;
  /** Labels for the supporting objects (PDB, VPA, VolumeSnapshotClass, Schedule). */
  readonly objectLabels: Record<string, string>;
  readonly tolerations: IToleration[];
  readonly affinity?: IAffinity;
  readonly topologySpreadConstraints?: ITopologySpreadConstraint[];
  readonly schedulerName?: string;
  readonly priorityClassName: string;
}

/** Validate the shared inputs; returns the namespace to use. */
export function validateControllerProps(v: PropValidator, p: MaintenanceControllerProps, defaults: { namespace: string; chartRepository: string }): { namespace: string; chartRepository: string } {
  const namespace = p.namespace ?? defaults.namespace;
  v.dnsLabel('namespace', namespace);
  // These decide the chart values' shape (scheduling, which objects exist): a boolean token
  // would be read as true or false at synth (found by the fuzz suite). `wait` is passed as given.
  for (const k of ['vpaEnabled', 'panfactumSchedulerEnabled', 'pullThroughCacheEnabled', 'spotNodesEnabled', 'burstableNodesEnabled', 'controllerNodesEnabled', 'monitoringEnabled'] as const) {
    v.knownAtSynth(k, p[k], 'it decides the scheduling or the objects of the release');
  }
  const chartRepository = validateChartRepository(v, 'chartRepository', p.chartRepository ?? defaults.chartRepository);
  if (p.priorityClassName !== undefined) v.dnsSubdomain('priorityClassName', p.priorityClassName);
  return { namespace, chartRepository };
}

/**
 * Labels and scheduling of a controller's pods (Panfactum's kube_workload_utility with the
 * controller defaults: Spot, burstable and controller nodes tolerated).
 */
export function buildControllerPlacement(
  v: PropValidator,
  env: ResolvedEnvironmentContext,
  id: ControllerIdentity,
  p: MaintenanceControllerProps,
  scheduling: SchedulingProps = {},
): ControllerPlacement {
  const sched: SchedulingProps = {
    spotNodesEnabled: p.spotNodesEnabled ?? hasNodeClass(env.cluster, 'spot'),
    burstableNodesEnabled: p.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    controllerNodesEnabled: p.controllerNodesEnabled ?? hasNodeClass(env.cluster, 'controller'),
    panfactumSchedulerEnabled: p.panfactumSchedulerEnabled ?? env.cluster.binPackingScheduler !== false,
    pullThroughCacheEnabled: p.pullThroughCacheEnabled ?? env.cluster.kyverno,
    hostAntiAffinityRequired: false,
    ...scheduling,
  };
  validateScheduling(v, sched, env.cluster);
  const matchLabels = { id: selectorId('Deployment', id.namespace, id.name) };
  const labels = moduleLabels(env, id.module);
  const model = buildScheduling(sched, matchLabels, id.name, env.cluster);
  const podLabels = { ...labels, ...model.labels };
  const objectLabels = { ...labels, 'panfactum.com/workload': id.name };
  return {
    matchLabels,
    podLabels,
    objectLabels,
    tolerations: model.tolerations,
    affinity: model.affinity,
    topologySpreadConstraints: model.topologySpreadConstraints,
    schedulerName: model.schedulerName,
    priorityClassName: p.priorityClassName ?? CLUSTER_IMPORTANT_PRIORITY_CLASS,
  };
}

/** Memory request and limit (limit = 1.3 x request, as Panfactum's controllers) in Mi. */
export interface MemoryResources {
  readonly requests: { memory: string; cpu?: string };
  readonly limits: { memory: string; cpu?: string };
}

export function controllerResources(memoryMb: number, extra: { cpuRequest?: string; cpuLimit?: string; limitMb?: number } = {}): MemoryResources {
  return {
    requests: { memory: mbQuantity(memoryMb), ...(extra.cpuRequest ? { cpu: extra.cpuRequest } : {}) },
    limits: { memory: mbQuantity(extra.limitMb ?? Math.floor(memoryMb * 1.3)), ...(extra.cpuLimit ? { cpu: extra.cpuLimit } : {}) },
  };
}

/**
 * The controller's PodDisruptionBudget: `maxUnavailable` pods may be evicted at once; unhealthy pods always may.
 * It selects the pods by `placement.matchLabels` (the `id` label the chart puts on them through its pod-label
 * value), or by `selector` for a chart that cannot label its pods (then: the chart's own selector labels).
 */
export function buildControllerPdb(
  id: ControllerIdentity,
  placement: ControllerPlacement,
  maxUnavailable = 1,
  selector: Record<string, string> = placement.matchLabels,
): Named<IPodDisruptionBudget> {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: id.name, namespace: id.namespace, labels: { ...placement.objectLabels } },
    spec: {
      selector: { matchLabels: { ...selector } },
      maxUnavailable,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  };
}

/**
 * The controller's VerticalPodAutoscaler (Auto: evicts only when the recommendation is above
 * the current requests), with a floor per container.
 */
export function buildControllerVpa(
  id: ControllerIdentity,
  placement: ControllerPlacement,
  target: { kind: string; name: string },
  containers: Array<{ name: string; minimumMemoryMb: number }>,
): Named<IVerticalPodAutoscaler> {
  return {
    apiVersion: 'autoscaling.k8s.io/v1',
    kind: 'VerticalPodAutoscaler',
    metadata: { name: target.name, namespace: id.namespace, labels: { ...placement.objectLabels } },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
      updatePolicy: { updateMode: 'Auto', evictionRequirements: [{ resources: ['cpu', 'memory'], changeRequirement: 'TargetHigherThanRequests' }] },
      resourcePolicy: { containerPolicies: containers.map((c) => ({ containerName: c.name, minAllowed: { memory: mbQuantity(c.minimumMemoryMb) } })) },
    },
  } as Named<IVerticalPodAutoscaler>;
}

/** Scheduling fields as most charts name them. */
export interface ChartScheduling {
  tolerations: IToleration[];
  affinity: IAffinity;
  topologySpreadConstraints?: ITopologySpreadConstraint[];
  priorityClassName: string;
}

export function chartScheduling(p: ControllerPlacement): ChartScheduling {
  return {
    tolerations: p.tolerations,
    affinity: p.affinity ?? {},
    ...(p.topologySpreadConstraints ? { topologySpreadConstraints: p.topologySpreadConstraints } : {}),
    priorityClassName: p.priorityClassName,
  };
}

/**
 * Scheduling fields for a chart that has no `topologySpreadConstraints` value (pvc-autoresizer):
 * each spread constraint becomes a preferred pod anti-affinity term (weight 100) on the same
 * topology key and selector, so the replicas still prefer distinct zones instead of the spread
 * being silently dropped. A preference, not a requirement: a rolling update's surge pod can
 * still be placed in a cluster with fewer zones than replicas + 1.
 */
export function chartSchedulingWithoutSpread(p: ControllerPlacement): Omit<ChartScheduling, 'topologySpreadConstraints'> {
  const affinity: IAffinity = { ...(p.affinity ?? {}) };
  const terms = (p.topologySpreadConstraints ?? []).map((c) => ({
    weight: 100,
    podAffinityTerm: { topologyKey: c.topologyKey, labelSelector: c.labelSelector },
  }));
  if (terms.length > 0) {
    const anti = { ...(affinity.podAntiAffinity ?? {}) };
    anti.preferredDuringSchedulingIgnoredDuringExecution = [...(anti.preferredDuringSchedulingIgnoredDuringExecution ?? []), ...terms];
    affinity.podAntiAffinity = anti;
  }
  return { tolerations: p.tolerations, affinity, priorityClassName: p.priorityClassName };
}

// ---------------------------------------------------------------------------------------------
// Pod labels handed to a chart
// ---------------------------------------------------------------------------------------------

/** The labels a chart's standard `<chart>.labels` helper renders (Helm's `helm create` scaffold). */
export const HELM_STANDARD_LABEL_KEYS: readonly string[] = [
  'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/version', 'app.kubernetes.io/managed-by', 'helm.sh/chart',
];
/** The labels of a scaffold's `<chart>.selectorLabels` helper. */
export const HELM_SELECTOR_LABEL_KEYS: readonly string[] = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];

/**
 * `labels` without the keys the chart's template writes itself into the same label map.
 * Charts append the pod-label value after their own labels (`toYaml` into the same mapping),
 * so a key present in both is a duplicate mapping key: Helm keeps the last one silently, but
 * strict YAML readers (kustomize post-renderers, Flux's helm-controller) reject the manifest.
 */
export function withoutChartLabels(labels: Record<string, string>, chartKeys: readonly string[]): Record<string, string> {
  const drop = new Set(chartKeys);
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !drop.has(k)));
}
