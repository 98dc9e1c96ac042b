import { LabelKeys, boolLabel } from '../core/labels';
import { PropValidator } from '../core/validation';
import { keyPath } from '../core/paths';
import { DEFAULT_CLUSTER, NodeClass, ResolvedClusterCapabilities } from '../core/cluster-profile';
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
  /** Tolerate Spot instances (50-70% cheaper, two-minute interruption notice). @default - true when the cluster profile declares the node class "spot" (panfactum: yes; eks: no) */
  readonly spotNodesEnabled?: boolean;
  /** Tolerate burstable (T-family) instances; implies spotNodesEnabled. @default - true for controllers (Deployment, ...) when the cluster profile declares the node class "burstable" (panfactum: yes; eks: no) */
  readonly burstableNodesEnabled?: boolean;
  /** Tolerate ARM64 instances. @default - true when the cluster profile declares the node class "arm64" (panfactum: yes; eks: no) */
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
  /** Use the cluster's bin-packing scheduler (the cluster profile's `binPackingScheduler`, Panfactum's `panfactum`). @default - true when the cluster profile declares one (panfactum: yes; eks: no) */
  readonly panfactumSchedulerEnabled?: boolean;
  /** Allow the descheduler to evict pods that reached their maximum lifetime (the `panfactum.com/prevent-lifetime-eviction` label, written where the cluster profile declares `descheduler`). @default true */
  readonly lifetimeEvictionsEnabled?: boolean;
  /** Let the pull-through cache rewrite image registries (a label Panfactum's Kyverno policies read). @default - true when the cluster profile declares `kyverno` (panfactum: yes; eks: no) */
  readonly pullThroughCacheEnabled?: boolean;
  /** Wait for Cilium to be ready on the node (false tolerates its not-ready taint, where the cluster profile declares `cilium`). @default true */
  readonly ciliumRequired?: boolean;
  /** Wait for Linkerd to be ready on the node (false tolerates its not-ready taint, where the cluster profile declares `linkerd`). @default true */
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


const classToleration = (key: string): IToleration => ({ key, operator: 'Equal', value: 'true', effect: 'NoSchedule' });

/** Whether the cluster's node pools carry the Panfactum taint (and labels) of a node class. */
export function hasNodeClass(cluster: ResolvedClusterCapabilities, nodeClass: NodeClass): boolean {
  return cluster.nodeClasses.includes(nodeClass);
}

/** The node-class switches and the node class each one needs. */
const CLASS_PROPS: ReadonlyArray<readonly [keyof SchedulingProps, NodeClass, string]> = [
  ['spotNodesEnabled', 'spot', 'Spot node pools with the Panfactum taint spot=true:NoSchedule'],
  ['burstableNodesEnabled', 'burstable', 'burstable (T-family) node pools with the Panfactum taint burstable=true:NoSchedule'],
  ['armNodesEnabled', 'arm64', 'ARM64 node pools with the Panfactum taint arm64=true:NoSchedule'],
  ['controllerNodesEnabled', 'controller', 'controller nodes (taint controller=true:NoSchedule, label panfactum.com/class=controller)'],
  ['controllerNodesRequired', 'controller', 'controller nodes (taint controller=true:NoSchedule, label panfactum.com/class=controller)'],
  ['workflowNodesRequired', 'workflow', 'workflow nodes (taint workflow=true:NoSchedule, label panfactum.com/workflow-only=true)'],
];

/**
 * Validate scheduling inputs (field names as the props). `p` carries the controller's defaults,
 * which follow the cluster profile, so a switch that is on asks for something the cluster must have.
 */
export function validateScheduling(v: PropValidator, p: SchedulingProps, cluster: ResolvedClusterCapabilities = DEFAULT_CLUSTER): void {
  if (p.spotNodesEnabled === false && p.burstableNodesEnabled === true) {
    v.exclusive('burstableNodesEnabled', true, 'spotNodesEnabled', 'false', 'burstable nodes are Spot nodes: set spotNodesEnabled: true, or burstableNodesEnabled: false');
  }
  for (const [prop, nodeClass, needs] of CLASS_PROPS) {
    if (p[prop] === true && !hasNodeClass(cluster, nodeClass)) {
      v.capability(prop, true, cluster, 'nodeClasses', needs, `[${[...cluster.nodeClasses, nodeClass].map((c) => `'${c}'`).join(', ')}]`, `set ${prop}: false`);
    }
  }
  if (p.panfactumSchedulerEnabled === true && !cluster.binPackingScheduler) {
    v.capability('panfactumSchedulerEnabled', true, cluster, 'binPackingScheduler', 'a bin-packing scheduler (pods naming a scheduler that does not run stay Pending)', "'panfactum'", 'set panfactumSchedulerEnabled: false');
  }
  if (p.pullThroughCacheEnabled === true && !cluster.kyverno) {
    v.capability('pullThroughCacheEnabled', true, cluster, 'kyverno', "Panfactum's Kyverno policies (they rewrite image registries to the pull-through cache)", 'true', 'remove pullThroughCacheEnabled');
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
export function buildScheduling(
  p: SchedulingProps,
  matchLabels: Record<string, string>,
  workloadName: string,
  cluster: ResolvedClusterCapabilities = DEFAULT_CLUSTER,
): SchedulingModel {
  const has = (c: NodeClass) => hasNodeClass(cluster, c);
  const burstable = (p.burstableNodesEnabled ?? false) && has('burstable');
  // Burstable nodes are Spot nodes.
  const spot = ((p.spotNodesEnabled ?? has('spot')) || burstable) && has('spot');
  const arm = (p.armNodesEnabled ?? has('arm64')) && has('arm64');
  const controllerEnabled = (p.controllerNodesEnabled ?? false) && has('controller');
  const controllerRequired = (p.controllerNodesRequired ?? false) && has('controller');
  const workflowRequired = (p.workflowNodesRequired ?? false) && has('workflow');
  const schedulerName = (p.panfactumSchedulerEnabled ?? true) ? cluster.binPackingScheduler || undefined : undefined;

  const labels: Record<string, string> = { [LabelKeys.workload]: workloadName };
  // The descheduler spares pods with this label from lifetime evictions.
  if (cluster.descheduler) labels[LabelKeys.preventLifetimeEviction] = boolLabel(!(p.lifetimeEvictionsEnabled ?? true));
  // Labels Panfactum's Kyverno policies read; on other clusters they mean nothing.
  if (cluster.kyverno) {
    Object.assign(labels, {
      [LabelKeys.schedulerEnabled]: boolLabel(schedulerName !== undefined),
      [LabelKeys.pullThroughCacheEnabled]: boolLabel(p.pullThroughCacheEnabled ?? true),
      [LabelKeys.arm64Enabled]: boolLabel(arm || controllerEnabled || controllerRequired),
      [LabelKeys.burstableEnabled]: boolLabel(burstable || controllerEnabled || controllerRequired),
      // Panfactum always writes "false" here (a bug); we write what the workload tolerates.
      [LabelKeys.spotEnabled]: boolLabel(spot),
      [LabelKeys.controllerEnabled]: boolLabel(controllerEnabled || controllerRequired),
    });
  }
  Object.assign(labels, matchLabels);

  const tolerations: IToleration[] = [];
  if (burstable) tolerations.push(classToleration('burstable'));
  if (spot) tolerations.push(classToleration('spot'));
  if (arm) tolerations.push(classToleration('arm64'));
  if (controllerEnabled || controllerRequired) tolerations.push(classToleration('controller'));
  if (workflowRequired) tolerations.push(classToleration('workflow'));
  if (p.linkerdRequired === false && cluster.linkerd) tolerations.push({ key: 'panfactum.com/linkerd-not-ready', operator: 'Exists', effect: 'NoSchedule' });
  if (p.ciliumRequired === false && cluster.cilium) tolerations.push({ key: 'node.cilium.io/agent-not-ready', operator: 'Exists', effect: 'NoSchedule' });
  for (const t of p.extraTolerations ?? []) {
    const tol: IToleration = { operator: t.operator ?? 'Equal' };
    if (t.key !== undefined) tol.key = t.key;
    if (t.value !== undefined) tol.value = t.value;
    if (t.effect !== undefined) tol.effect = t.effect;
    tolerations.push(tol);
  }

  const required: INodeSelectorRequirement[] = Object.entries(p.nodeRequirements ?? {}).map(([key, values]) => ({ key, operator: 'In', values: [...values] }));
  if (controllerRequired) required.push({ key: LabelKeys.nodeClass, operator: 'In', values: ['controller'] });
  if (workflowRequired) required.push({ key: LabelKeys.workflowOnly, operator: 'In', values: ['true'] });
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
    schedulerName,
  };
}
