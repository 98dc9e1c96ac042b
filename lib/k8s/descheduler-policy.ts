/**
 * The Descheduler policy (descheduler/v1alpha2) as typed data: which pods are evicted and
 * when. Pure model, used by KubeDescheduler.
 */
import { LabelKeys } from '../core/labels';

/** One plugin's configuration inside a profile. */
export interface DeschedulerPluginConfig {
  name: string;
  args?: Record<string, unknown>;
}

/** Plugins enabled per extension point. */
export interface DeschedulerPluginSet {
  filter?: { enabled: string[] };
  preEvictionFilter?: { enabled: string[] };
  deschedule?: { enabled: string[] };
  balance?: { enabled: string[] };
}

export interface DeschedulerProfile {
  name: string;
  pluginConfig: DeschedulerPluginConfig[];
  plugins: DeschedulerPluginSet;
}

export interface DeschedulerPolicy {
  maxNoOfPodsToEvictPerNode: number;
  maxNoOfPodsToEvictPerNamespace: number;
  profiles: DeschedulerProfile[];
}

/** Pods labelled `panfactum.com/descheduler-enabled: "false"` (or "0") are never evicted. */
export const DESCHEDULER_OPT_OUT_LABEL = 'panfactum.com/descheduler-enabled';

export interface DeschedulerPolicyInputs {
  /** Pods older than this are evicted unless labelled `panfactum.com/prevent-lifetime-eviction: "true"`. */
  readonly maxPodLifetimeSeconds: number;
  /** Pods stuck Pending (or creating, or failing to pull their image) this long are evicted. */
  readonly pendingPodTimeoutSeconds: number;
  /** Pods with more restarts than this (crash loops) are evicted. */
  readonly podRestartThreshold: number;
  /** At most this many evictions per node and per namespace in one run. */
  readonly maxEvictions: number;
}

const EVICTOR = 'DefaultEvictor';

/** The DefaultEvictor every profile uses: respects PDBs (evictions go through the Eviction API), honours the opt-out label. */
function evictor(): DeschedulerPluginConfig {
  return {
    name: EVICTOR,
    args: {
      // Our pods keep scratch data in emptyDir and several controllers are system-critical:
      // both must stay evictable for lifetime and rebalancing evictions to reach them.
      podProtections: { defaultDisabled: ['PodsWithLocalStorage', 'SystemCriticalPods', 'FailedBarePods'] },
      nodeFit: false,
      labelSelector: { matchExpressions: [{ key: DESCHEDULER_OPT_OUT_LABEL, operator: 'NotIn', values: ['0', 'false'] }] },
    },
  };
}

function profile(name: string, plugins: DeschedulerPluginConfig[], points: { deschedule?: string[]; balance?: string[] }): DeschedulerProfile {
  return {
    name,
    pluginConfig: [evictor(), ...plugins],
    plugins: {
      filter: { enabled: [EVICTOR] },
      preEvictionFilter: { enabled: [EVICTOR] },
      ...(points.deschedule ? { deschedule: { enabled: points.deschedule } } : {}),
      ...(points.balance ? { balance: { enabled: points.balance } } : {}),
    },
  };
}

/**
 * Three profiles:
 * - `scheduling-violation`: pods that break their node affinity (hard or soft), inter-pod
 *   anti-affinity, node taints, or their topology spread (hard or soft);
 * - `pod-runtime-problems`: pods stuck pending, failed pods, crash-looping pods;
 * - `pod-lifetime`: pods older than the maximum lifetime, except those labelled
 *   `panfactum.com/prevent-lifetime-eviction: "true"` (KubeStatefulSet's default).
 */
export function buildDeschedulerPolicy(p: DeschedulerPolicyInputs): DeschedulerPolicy {
  return {
    maxNoOfPodsToEvictPerNode: p.maxEvictions,
    maxNoOfPodsToEvictPerNamespace: p.maxEvictions,
    profiles: [
      profile('scheduling-violation', [
        { name: 'RemovePodsViolatingNodeAffinity', args: { nodeAffinityType: ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'] } },
        { name: 'RemovePodsViolatingTopologySpreadConstraint', args: { constraints: ['DoNotSchedule', 'ScheduleAnyway'] } },
        { name: 'RemovePodsViolatingInterPodAntiAffinity' },
        { name: 'RemovePodsViolatingNodeTaints' },
      ], {
        deschedule: ['RemovePodsViolatingNodeAffinity', 'RemovePodsViolatingInterPodAntiAffinity', 'RemovePodsViolatingNodeTaints'],
        balance: ['RemovePodsViolatingTopologySpreadConstraint'],
      }),
      profile('pod-runtime-problems', [
        { name: 'PodLifeTime', args: { maxPodLifeTimeSeconds: p.pendingPodTimeoutSeconds, states: ['Pending', 'PodInitializing', 'ContainerCreating', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError'] } },
        { name: 'RemoveFailedPods', args: { minPodLifetimeSeconds: 60, includingInitContainers: true, excludeOwnerKinds: ['Job', 'Workflow'] } },
        { name: 'RemovePodsHavingTooManyRestarts', args: { podRestartThreshold: p.podRestartThreshold, includingInitContainers: true } },
      ], { deschedule: ['PodLifeTime', 'RemoveFailedPods', 'RemovePodsHavingTooManyRestarts'] }),
      profile('pod-lifetime', [
        {
          name: 'PodLifeTime',
          args: {
            maxPodLifeTimeSeconds: p.maxPodLifetimeSeconds,
            labelSelector: { matchExpressions: [{ key: LabelKeys.preventLifetimeEviction, operator: 'NotIn', values: ['true', '1'] }] },
          },
        },
      ], { deschedule: ['PodLifeTime'] }),
    ],
  };
}
