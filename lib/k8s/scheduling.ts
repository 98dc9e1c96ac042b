import { LabelKeys, boolLabel } from '../core/labels';
import { PropValidator } from '../core/validation';
import { keyPath } from '../core/paths';
import type { IAffinity, IToleration, ITopologySpreadConstraint } from './types';
import type { INodeSelectorRequirement } from 'kubernetes-models/v1/NodeSelectorRequirement';

/**
 * A soft node-affinity term (Panfactum's `node_preferences` value).
 *
 * @group Workloads
 */
export interface NodePreference {
  /** Weight 1-100. */
  readonly weight: number;
  /** Match operator. @default "In" */
  readonly operator?: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  /** Values of the node label. @default [] */
  readonly values?: string[];
}

/**
 * An extra toleration (Panfactum's `extra_tolerations` element).
 *
 * @group Workloads
 */
export interface Toleration {
  /** Taint key. @default - matches every key (only with operator Exists) */
  readonly key?: string;
  /** Equal or Exists. @default "Equal" */
  readonly operator?: 'Equal' | 'Exists';
  /** Taint value (with Equal). @default - none */
  readonly value?: string;
  /** Taint effect. @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * Scheduling inputs (Panfactum's kube_workload_utility). Every controller exposes them;
 * each controller supplies its own defaults where Panfactum's differ (see 23.1 of the inventory).
 *
 * @group Workloads
 */
export interface SchedulingProps {
  /** Tolerate Spot instances (50-70% cheaper, two-minute interruption notice). @default true */
  readonly spotNodesEnabled?: boolean;
  /** Tolerate burstable (T-family) instances; implies spotNodesEnabled. @default - true for controllers (Deployment, ...) */
  readonly burstableNodesEnabled?: boolean;
  /** Tolerate ARM64 instances. @default true */
  readonly armNodesEnabled?: boolean;
  /** Tolerate (and prefer) the EKS-managed controller nodes. @default false */
  readonly controllerNodesEnabled?: boolean;
  /** Run only on controller nodes. @default false */
  readonly controllerNodesRequired?: boolean;
  /** Run only on workflow nodes. @default false */
  readonly workflowNodesRequired?: boolean;
  /** Required node labels: label -> allowed values (all must match). @default {} */
  readonly nodeRequirements?: Record<string, string[]>;
  /** Preferred node labels. @default {} */
  readonly nodePreferences?: Record<string, NodePreference>;
  /** Extra tolerations, appended. @default [] */
  readonly extraTolerations?: Toleration[];
  /** Never put two pods of this workload on the same node. @default true */
  readonly hostAntiAffinityRequired?: boolean;
  /** Never put two pods of this workload on the same instance type. @default - true when the environment's slaTarget is 3 (Deployment, StatefulSet) */
  readonly instanceTypeAntiAffinityRequired?: boolean;
  /** Never put two pods of this workload in the same availability zone. @default false */
  readonly azAntiAffinityRequired?: boolean;
  /** Spread pods across zones, allowing imbalance (ScheduleAnyway). @default - true when slaTarget >= 2 (Deployment) */
  readonly azSpreadPreferred?: boolean;
  /** Spread pods across zones strictly (DoNotSchedule); wins over azSpreadPreferred. @default false (true for StatefulSet) */
  readonly azSpreadRequired?: boolean;
  /** Soft affinity to the nodes of pods with these labels. @default {} */
  readonly podAffinityMatchLabels?: Record<string, string>;
  /** Use the Panfactum bin-packing scheduler. @default true */
  readonly panfactumSchedulerEnabled?: boolean;
  /** Allow the descheduler to evict pods that reached their maximum lifetime. @default true */
  readonly lifetimeEvictionsEnabled?: boolean;
  /** Let the pull-through cache rewrite image registries. @default true */
  readonly pullThroughCacheEnabled?: boolean;
  /** Wait for Cilium to be ready on the node (false tolerates its not-ready taint). @default true */
  readonly ciliumRequired?: boolean;
  /** Wait for Linkerd to be ready on the node (false tolerates its not-ready taint). @default true */
  readonly linkerdRequired?: boolean;
}

/** What the scheduling calculator returns for a pod. */
export interface SchedulingModel {
  readonly labels: Record<string, string>;
  readonly tolerations: IToleration[];
  readonly affinity?: IAffinity;
  readonly topologySpreadConstraints?: ITopologySpreadConstraint[];
  readonly schedulerName?: string;
}

export const PANFACTUM_SCHEDULER = 'panfactum';

const classToleration = (key: string): IToleration => ({ key, operator: 'Equal', value: 'true', effect: 'NoSchedule' });

/** Validate scheduling inputs (field names as the props). */
export function validateScheduling(v: PropValidator, p: SchedulingProps): void {
  if (p.spotNodesEnabled === false && p.burstableNodesEnabled === true) {
    v.exclusive('burstableNodesEnabled', true, 'spotNodesEnabled', 'false', 'burstable nodes are Spot nodes: set spotNodesEnabled: true, or burstableNodesEnabled: false');
  }
  for (const [key, values] of Object.entries(p.nodeRequirements ?? {})) {
    v.labelKey(keyPath('nodeRequirements', key), key);
    v.nonEmpty(keyPath('nodeRequirements', key), values, `list at least one allowed value for node label "${key}"`);
  }
  for (const [key, pref] of Object.entries(p.nodePreferences ?? {})) {
    v.labelKey(keyPath('nodePreferences', key), key);
    v.integer(`${keyPath('nodePreferences', key)}.weight`, pref.weight, 1, 100, 'use a weight from 1 to 100');
    if (pref.operator) v.oneOf(`${keyPath('nodePreferences', key)}.operator`, pref.operator, ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const);
  }
  for (const [i, t] of (p.extraTolerations ?? []).entries()) {
    const op = t.operator ?? 'Equal';
    v.oneOf(`extraTolerations[${i}].operator`, op, ['Equal', 'Exists'] as const);
    if (op === 'Exists' && t.value !== undefined) v.fail(`extraTolerations[${i}].value`, t.value, 'remove value: an Exists toleration matches any value');
    if (op === 'Equal' && t.key === undefined) v.fail(`extraTolerations[${i}].key`, undefined, 'an Equal toleration needs a key (or use operator "Exists" to match every taint)', 'is missing');
    if (t.effect) v.oneOf(`extraTolerations[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const);
  }
  v.labels('podAffinityMatchLabels', p.podAffinityMatchLabels);
}

/**
 * Labels, tolerations, affinity, topology spread and scheduler for a workload's pods.
 * `p` must already carry the controller's defaults.
 */
export function buildScheduling(p: SchedulingProps, matchLabels: Record<string, string>, workloadName: string): SchedulingModel {
  const burstable = p.burstableNodesEnabled ?? false;
  const spot = (p.spotNodesEnabled ?? true) || burstable; // burstable nodes are spot nodes
  const arm = p.armNodesEnabled ?? true;
  const controllerEnabled = p.controllerNodesEnabled ?? false;
  const controllerRequired = p.controllerNodesRequired ?? false;
  const scheduler = p.panfactumSchedulerEnabled ?? true;

  const labels: Record<string, string> = {
    [LabelKeys.workload]: workloadName,
    [LabelKeys.preventLifetimeEviction]: boolLabel(!(p.lifetimeEvictionsEnabled ?? true)),
    [LabelKeys.schedulerEnabled]: boolLabel(scheduler),
    [LabelKeys.pullThroughCacheEnabled]: boolLabel(p.pullThroughCacheEnabled ?? true),
    [LabelKeys.arm64Enabled]: boolLabel(arm || controllerEnabled || controllerRequired),
    [LabelKeys.burstableEnabled]: boolLabel(burstable || controllerEnabled || controllerRequired),
    // Panfactum always writes "false" here (a bug); we write what the workload tolerates.
    [LabelKeys.spotEnabled]: boolLabel(spot),
    [LabelKeys.controllerEnabled]: boolLabel(controllerEnabled || controllerRequired),
    ...matchLabels,
  };

  const tolerations: IToleration[] = [];
  if (burstable) tolerations.push(classToleration('burstable'));
  if (spot) tolerations.push(classToleration('spot'));
  if (arm) tolerations.push(classToleration('arm64'));
  if (controllerEnabled || controllerRequired) tolerations.push(classToleration('controller'));
  if (p.workflowNodesRequired) tolerations.push(classToleration('workflow'));
  if (p.linkerdRequired === false) tolerations.push({ key: 'panfactum.com/linkerd-not-ready', operator: 'Exists', effect: 'NoSchedule' });
  if (p.ciliumRequired === false) tolerations.push({ key: 'node.cilium.io/agent-not-ready', operator: 'Exists', effect: 'NoSchedule' });
  for (const t of p.extraTolerations ?? []) {
    const tol: IToleration = { operator: t.operator ?? 'Equal' };
    if (t.key !== undefined) tol.key = t.key;
    if (t.value !== undefined) tol.value = t.value;
    if (t.effect !== undefined) tol.effect = t.effect;
    tolerations.push(tol);
  }

  const required: INodeSelectorRequirement[] = Object.entries(p.nodeRequirements ?? {}).map(([key, values]) => ({ key, operator: 'In', values: [...values] }));
  if (controllerRequired) required.push({ key: LabelKeys.nodeClass, operator: 'In', values: ['controller'] });
  if (p.workflowNodesRequired) required.push({ key: LabelKeys.workflowOnly, operator: 'In', values: ['true'] });
  const preferred = Object.entries(p.nodePreferences ?? {}).map(([key, pref]) => {
    const op = pref.operator ?? 'In';
    const needsValues = op !== 'Exists' && op !== 'DoesNotExist';
    return { weight: pref.weight, preference: { matchExpressions: [{ key, operator: op, ...(needsValues ? { values: [...(pref.values ?? [])] } : {}) }] } };
  });
  // Controller nodes are not autoscaled: preferring them when tolerated packs them first.
  if (controllerEnabled && !controllerRequired) {
    preferred.push({ weight: 100, preference: { matchExpressions: [{ key: LabelKeys.nodeClass, operator: 'In', values: ['controller'] }] } });
  }

  const antiAffinity = [];
  const selector = { matchLabels: { ...matchLabels } };
  if (p.hostAntiAffinityRequired ?? true) antiAffinity.push({ topologyKey: LabelKeys.hostname, labelSelector: selector });
  if (p.azAntiAffinityRequired) antiAffinity.push({ topologyKey: LabelKeys.zone, labelSelector: selector });
  if (p.instanceTypeAntiAffinityRequired) antiAffinity.push({ topologyKey: LabelKeys.instanceType, labelSelector: selector });

  const affinity: IAffinity = {};
  if (required.length > 0 || preferred.length > 0) {
    affinity.nodeAffinity = {};
    if (required.length > 0) affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchExpressions: required }] };
    if (preferred.length > 0) affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = preferred;
  }
  if (antiAffinity.length > 0) affinity.podAntiAffinity = { requiredDuringSchedulingIgnoredDuringExecution: antiAffinity };
  if (p.podAffinityMatchLabels && Object.keys(p.podAffinityMatchLabels).length > 0) {
    affinity.podAffinity = {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, podAffinityTerm: { topologyKey: LabelKeys.hostname, labelSelector: { matchLabels: { ...p.podAffinityMatchLabels } } } },
      ],
    };
  }

  const spread = p.azSpreadRequired || p.azSpreadPreferred;
  return {
    labels,
    tolerations,
    affinity: Object.keys(affinity).length > 0 ? affinity : undefined,
    topologySpreadConstraints: spread
      ? [{ maxSkew: 1, topologyKey: LabelKeys.zone, whenUnsatisfiable: p.azSpreadRequired ? 'DoNotSchedule' : 'ScheduleAnyway', labelSelector: { matchLabels: { ...matchLabels } } }]
      : undefined,
    schedulerName: scheduler ? PANFACTUM_SCHEDULER : undefined,
  };
}
