/**
 * Horizontal autoscaling (seed 004): the HorizontalPodAutoscaler of a workload's
 * `horizontalAutoscaling` prop and the KEDA ScaledObject of KubeScaledObject. Pure model
 * functions, shared by every controller that can scale (Deployment, StatefulSet).
 */
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PropValidator, isToken } from '../core/validation';
import type { IVerticalPodAutoscaler, Named } from './types';

export type { IHorizontalPodAutoscaler, IScaledObject };

/** CPU target used when horizontalAutoscaling names no target (the value of seed 004's example). */
export const DEFAULT_TARGET_CPU_UTILIZATION = 70;

/**
 * Annotations written on a workload whose replica count an autoscaler owns: Polaris'
 * deploymentMissingReplicas check contradicts kube-score's "no replicas under an HPA", so
 * the library exempts it (readiness-checks 3.1).
 */
export const HPA_WORKLOAD_ANNOTATIONS: Readonly<Record<string, string>> = {
  'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
};
/** As HPA_WORKLOAD_ANNOTATIONS, plus kube-score's replicas check (KEDA's HPA exists only at runtime). */
export const KEDA_WORKLOAD_ANNOTATIONS: Readonly<Record<string, string>> = {
  ...HPA_WORKLOAD_ANNOTATIONS,
  'kube-score/ignore': 'deployment-replicas',
};

/**
 * Scale-up/scale-down behaviour of an HPA (autoscaling/v2 HPAScalingRules).
 *
 * @group Workloads
 */
export interface ScalingRules {
  /** Seconds of past recommendations considered before scaling. @default - Kubernetes: 0 for scale-up, 300 for scale-down */
  readonly stabilizationWindowSeconds?: number;
  /** Which policy wins when several apply. @default "Max" */
  readonly selectPolicy?: 'Max' | 'Min' | 'Disabled';
  /** Rate limits: change by at most `value` pods (or percent) per `periodSeconds`. @default - Kubernetes' defaults */
  readonly policies?: { readonly type: 'Pods' | 'Percent'; readonly value: number; readonly periodSeconds: number }[];
}

/**
 * A workload's `horizontalAutoscaling` prop (seed 004).
 *
 * @group Workloads
 */
export interface HorizontalAutoscalingProps {
  /** Fewest pods (1 or more; 2 or more keeps a Service available through a disruption). */
  readonly minReplicas: number;
  /** Most pods; must be above minReplicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU use, in percent of the CPU request.
   * @default 70 when targetMemoryUtilization is not set either, else no CPU target
   */
  readonly targetCpuUtilization?: number;
  /** Target average memory use, in percent of the memory request. @default - no memory target */
  readonly targetMemoryUtilization?: number;
  /** Scale-down behaviour. @default - Kubernetes' (300 s stabilization window) */
  readonly scaleDown?: ScalingRules;
  /** Scale-up behaviour. @default - Kubernetes' (no stabilization window) */
  readonly scaleUp?: ScalingRules;
}

/** The object an autoscaler targets. */
export interface ScaleTargetRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
}

/** Validate a replica range: min >= `minFloor`, max >= 1 and above min (GP-REL-008). */
export function validateReplicaRange(v: PropValidator, minField: string, min: number, maxField: string, max: number, minFloor = 1): void {
  v.integer(minField, min, minFloor, 100000, `use a whole number of pods, ${minFloor} or more`);
  v.integer(maxField, max, 1, 100000, 'use a whole number of pods, 1 or more');
  if (!isToken(min) && !isToken(max) && max <= min) {
    v.fail(`${minField}/${maxField}`, { [minField]: min, [maxField]: max }, max < min ? `${maxField} must be at least ${minField}; raise ${maxField} or lower ${minField}` : `with ${maxField} equal to ${minField} the autoscaler can never scale; raise ${maxField}, or drop the autoscaler and set a fixed replica count`, max < min ? 'maxReplicas is below minReplicas' : 'leaves no room to scale');
  }
}

function validateRules(v: PropValidator, field: string, rules: ScalingRules | undefined): void {
  if (!rules) return;
  if (rules.stabilizationWindowSeconds !== undefined) v.integer(`${field}.stabilizationWindowSeconds`, rules.stabilizationWindowSeconds, 0, 3600, 'use seconds from 0 to 3600');
  if (rules.selectPolicy !== undefined) v.oneOf(`${field}.selectPolicy`, rules.selectPolicy, ['Max', 'Min', 'Disabled'] as const);
  (rules.policies ?? []).forEach((p, i) => {
    v.oneOf(`${field}.policies[${i}].type`, p.type, ['Pods', 'Percent'] as const);
    v.integer(`${field}.policies[${i}].value`, p.value, 1);
    v.integer(`${field}.policies[${i}].periodSeconds`, p.periodSeconds, 1, 1800, 'use seconds from 1 to 1800');
  });
}

function rulesObject(r: ScalingRules) {
  return {
    ...(r.stabilizationWindowSeconds !== undefined ? { stabilizationWindowSeconds: r.stabilizationWindowSeconds } : {}),
    ...(r.selectPolicy !== undefined ? { selectPolicy: r.selectPolicy } : {}),
    ...(r.policies !== undefined ? { policies: r.policies.map((p) => ({ type: p.type, value: p.value, periodSeconds: p.periodSeconds })) } : {}),
  };
}

/** The behaviour block shared by the HPA and KEDA's horizontalPodAutoscalerConfig (undefined when empty). */
export function hpaBehavior(scaleUp?: ScalingRules, scaleDown?: ScalingRules) {
  const behavior: Record<string, unknown> = {};
  if (scaleUp) behavior.scaleUp = rulesObject(scaleUp);
  if (scaleDown) behavior.scaleDown = rulesObject(scaleDown);
  return Object.keys(behavior).length > 0 ? behavior : undefined;
}

/** The resources (cpu, memory) an HPA's metrics use. */
export function hpaResources(p: HorizontalAutoscalingProps): ('cpu' | 'memory')[] {
  const cpu = p.targetCpuUtilization ?? (p.targetMemoryUtilization === undefined ? DEFAULT_TARGET_CPU_UTILIZATION : undefined);
  return [...(cpu !== undefined ? ['cpu' as const] : []), ...(p.targetMemoryUtilization !== undefined ? ['memory' as const] : [])];
}

/** Validate `horizontalAutoscaling` and build the autoscaling/v2 HorizontalPodAutoscaler named after the target. */
export function buildHorizontalAutoscaler(
  v: PropValidator,
  target: ScaleTargetRef,
  p: HorizontalAutoscalingProps,
  labels: Record<string, string>,
  field = 'horizontalAutoscaling',
): Named<IHorizontalPodAutoscaler> {
  validateReplicaRange(v, `${field}.minReplicas`, p.minReplicas, `${field}.maxReplicas`, p.maxReplicas);
  const fix = 'use a whole percentage of the request from 1 to 100, e.g. 70';
  if (p.targetCpuUtilization !== undefined) v.integer(`${field}.targetCpuUtilization`, p.targetCpuUtilization, 1, 100, fix);
  if (p.targetMemoryUtilization !== undefined) v.integer(`${field}.targetMemoryUtilization`, p.targetMemoryUtilization, 1, 100, fix);
  validateRules(v, `${field}.scaleUp`, p.scaleUp);
  validateRules(v, `${field}.scaleDown`, p.scaleDown);
  const cpu = p.targetCpuUtilization ?? (p.targetMemoryUtilization === undefined ? DEFAULT_TARGET_CPU_UTILIZATION : undefined);
  const metric = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
  const metrics = [...(cpu !== undefined ? [metric('cpu', cpu)] : []), ...(p.targetMemoryUtilization !== undefined ? [metric('memory', p.targetMemoryUtilization)] : [])];
  const behavior = hpaBehavior(p.scaleUp, p.scaleDown);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target.name, namespace: target.namespace, labels: { ...labels } },
    spec: {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      minReplicas: p.minReplicas,
      maxReplicas: p.maxReplicas,
      metrics,
      ...(behavior ? { behavior } : {}),
    },
  } as Named<IHorizontalPodAutoscaler>;
}

/** A workload object an autoscaler can own (Deployment, StatefulSet). */
export interface ScalableObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { replicas?: number };
}

/** Hand the replica count to an autoscaler: drop spec.replicas and add the checker exemptions. */
export function releaseReplicaCount(obj: ScalableObject, annotations: Readonly<Record<string, string>>): void {
  if (obj.spec) delete obj.spec.replicas;
  if (obj.kind !== 'Deployment') return;
  const merged = { ...(obj.metadata.annotations ?? {}) };
  for (const [k, value] of Object.entries(annotations)) {
    // kube-score/ignore is a comma-separated list: add to it rather than replace it.
    const prior = merged[k];
    if (k !== 'kube-score/ignore' || !prior) merged[k] = value;
    else if (!prior.split(',').map((x) => x.trim()).includes(value)) merged[k] = `${prior},${value}`;
  }
  obj.metadata.annotations = merged;
}

/**
 * Apply `horizontalAutoscaling` to a workload model (Deployment or StatefulSet): build
 * the HPA, release the replica count, and keep the VPA off the resources the HPA scales
 * on (VPA and HPA acting on the same resource fight: the VPA moves the request the HPA's
 * utilization is measured against). The VPA keeps the other resource; when the HPA uses
 * both cpu and memory the VPA is dropped, and an explicit `vpaEnabled: true` is an error.
 */
export function applyHorizontalAutoscaling<W extends ScalableObject>(
  v: PropValidator,
  args: {
    readonly workload: W;
    readonly vpa?: Named<IVerticalPodAutoscaler>;
    readonly labels: Record<string, string>;
    readonly props: { readonly horizontalAutoscaling?: HorizontalAutoscalingProps; readonly replicas?: number; readonly vpaEnabled?: boolean };
  },
): { hpa?: Named<IHorizontalPodAutoscaler>; vpa?: Named<IVerticalPodAutoscaler> } {
  const { workload, props } = args;
  const ha = props.horizontalAutoscaling;
  if (!ha) return { vpa: args.vpa };
  if (props.replicas !== undefined) {
    v.exclusive('horizontalAutoscaling', true, 'replicas', props.replicas, 'the HorizontalPodAutoscaler owns the replica count; remove replicas and set horizontalAutoscaling.minReplicas instead');
  }
  const hpa = buildHorizontalAutoscaler(
    v,
    { apiVersion: workload.apiVersion, kind: workload.kind, name: workload.metadata.name, namespace: workload.metadata.namespace ?? '' },
    ha,
    args.labels,
  );
  releaseReplicaCount(workload, HPA_WORKLOAD_ANNOTATIONS);
  const used = hpaResources(ha);
  const left = (['cpu', 'memory'] as const).filter((r) => !used.includes(r));
  if (left.length === 0) {
    if (props.vpaEnabled === true) {
      v.fail('vpaEnabled', true, 'the HPA scales on both cpu and memory, so a VPA would fight it over the requests; remove vpaEnabled (or set it false), or drop one HPA target', 'conflicts with horizontalAutoscaling');
    }
    return { hpa, vpa: undefined };
  }
  return { hpa, vpa: args.vpa ? restrictVpa(args.vpa, left) : undefined };
}

/** A copy of the VPA that controls only `resources`. */
export function restrictVpa(vpa: Named<IVerticalPodAutoscaler>, resources: readonly ('cpu' | 'memory')[]): Named<IVerticalPodAutoscaler> {
  const copy = JSON.parse(JSON.stringify(vpa)) as Named<IVerticalPodAutoscaler>;
  const spec = copy.spec as any;
  for (const policy of spec.resourcePolicy?.containerPolicies ?? []) {
    policy.controlledResources = [...resources];
    for (const bound of ['minAllowed', 'maxAllowed']) {
      if (policy[bound]) {
        for (const k of Object.keys(policy[bound])) if (!resources.includes(k as 'cpu')) delete policy[bound][k];
        if (Object.keys(policy[bound]).length === 0) delete policy[bound];
      }
    }
  }
  for (const req of spec.updatePolicy?.evictionRequirements ?? []) req.resources = [...resources];
  return copy;
}

// ---------------------------------------------------------------------------------------
// KEDA ScaledObject

/**
 * A KEDA trigger (one scaler), e.g. `{ type: 'prometheus', metadata: { serverAddress, query, threshold } }`.
 *
 * @group Workloads
 */
export interface ScaledObjectTrigger {
  /** Scaler type: "prometheus", "aws-sqs-queue", "cron", "cpu", ... */
  readonly type: string;
  /** Scaler settings; every value is a string (quote numbers: threshold: "100"). */
  readonly metadata: Record<string, string>;
  /** Name of the trigger (for the HPA metric name and the scaling-modifiers formula). @default - none */
  readonly name?: string;
  /** A TriggerAuthentication (or ClusterTriggerAuthentication) for the scaler's credentials. @default - none */
  readonly authenticationRef?: { readonly name: string; readonly kind?: 'TriggerAuthentication' | 'ClusterTriggerAuthentication' };
  /** Serve the metric from KEDA's cache between polls. @default false */
  readonly useCachedMetrics?: boolean;
  /** How the metric is compared: Utilization only for cpu/memory triggers. @default "AverageValue" (KEDA) */
  readonly metricType?: 'AverageValue' | 'Value' | 'Utilization';
}

/**
 * Inputs of a KEDA ScaledObject.
 *
 * @group Workloads
 */
export interface ScaledObjectProps {
  /** The scalers; at least one. */
  readonly triggers: ScaledObjectTrigger[];
  /** Seconds between trigger checks. @default 30 */
  readonly pollingInterval?: number;
  /** Seconds after the last active trigger before scaling to zero (only with minReplicaCount 0 or idleReplicaCount). @default 300 */
  readonly cooldownPeriod?: number;
  /**
   * Fewest pods. Scale to zero is opt-in here (KEDA's own default is 0).
   * @default 2 for a Service-backed target at SLA target 2 or 3 (seed 004's minimum for redundancy; 1 when
   * maxReplicaCount is 2 or less), else 1
   */
  readonly minReplicaCount?: number;
  /** Most pods; must be above minReplicaCount. */
  readonly maxReplicaCount: number;
  /** Pods while no trigger is active (KEDA supports only 0, below minReplicaCount). @default - none */
  readonly idleReplicaCount?: number;
  /** Replicas to run when a scaler fails `failureThreshold` times in a row. @default - none (keep the current count) */
  readonly fallback?: { readonly failureThreshold: number; readonly replicas: number };
  /** The HPA KEDA creates: its name and behaviour. @default - KEDA's (`keda-hpa-<name>`, Kubernetes' behaviour) */
  readonly horizontalPodAutoscalerConfig?: { readonly name?: string; readonly scaleUp?: ScalingRules; readonly scaleDown?: ScalingRules };
  /** Put the original replica count back when the ScaledObject is deleted. @default false */
  readonly restoreToOriginalReplicaCount?: boolean;
}

const CPU_MEMORY = ['cpu', 'memory'];

/** Validate the ScaledObject inputs and build the keda.sh/v1alpha1 ScaledObject. */
export function buildScaledObject(v: PropValidator, name: string, target: ScaleTargetRef, p: ScaledObjectProps, labels: Record<string, string>, defaultMinReplicaCount = 1): Named<IScaledObject> {
  v.dnsSubdomain('name', name);
  // A default never exceeds what maxReplicaCount allows (it must stay below it).
  const fallbackMin = !isToken(p.maxReplicaCount) && typeof p.maxReplicaCount === 'number' && p.maxReplicaCount <= defaultMinReplicaCount ? 1 : defaultMinReplicaCount;
  const min = p.minReplicaCount ?? fallbackMin;
  validateReplicaRange(v, 'minReplicaCount', min, 'maxReplicaCount', p.maxReplicaCount, 0);
  const pollingInterval = v.integer('pollingInterval', p.pollingInterval ?? 30, 1, 86400, 'use whole seconds, e.g. 30 (KEDA takes a number, not "30s")');
  const cooldownPeriod = v.integer('cooldownPeriod', p.cooldownPeriod ?? 300, 0, 86400, 'use whole seconds, e.g. 300 (KEDA takes a number, not "5m")');
  if (p.idleReplicaCount !== undefined) {
    v.integer('idleReplicaCount', p.idleReplicaCount, 0, 0, 'KEDA supports only idleReplicaCount 0 (scale to zero while idle)');
    if (!isToken(min) && min <= p.idleReplicaCount) v.fail('idleReplicaCount/minReplicaCount', { idleReplicaCount: p.idleReplicaCount, minReplicaCount: min }, 'idleReplicaCount must be below minReplicaCount; raise minReplicaCount to 1 or more', 'conflict');
  }
  v.nonEmpty('triggers', p.triggers, 'give at least one trigger, e.g. { type: "prometheus", metadata: { serverAddress, query, threshold: "100" } }');
  const names = new Set<string>();
  p.triggers.forEach((t, i) => {
    const f = `triggers[${i}]`;
    v.required(`${f}.type`, t.type);
    if (!isToken(t.type) && !/^[a-z0-9][a-z0-9-]*$/.test(t.type)) v.fail(`${f}.type`, t.type, 'use a KEDA scaler type such as "prometheus", "aws-sqs-queue", "cron" or "cpu"', 'is not a scaler type');
    if (t.metadata === undefined || t.metadata === null) v.fail(`${f}.metadata`, t.metadata, 'give the scaler settings as a map of strings', 'is missing');
    if (!isToken(t.metadata)) {
      for (const [k, value] of Object.entries(t.metadata)) {
        if (typeof value !== 'string' && !isToken(value)) v.fail(`${f}.metadata.${k}`, value, `KEDA reads every setting as a string; write ${JSON.stringify(String(value))}`, 'is not a string');
      }
    }
    if (t.name !== undefined) {
      v.dnsLabel(`${f}.name`, t.name);
      if (names.has(t.name)) v.fail(`${f}.name`, t.name, 'give every trigger a different name', 'is used twice');
      names.add(t.name);
    }
    if (t.metricType !== undefined) {
      v.oneOf(`${f}.metricType`, t.metricType, ['AverageValue', 'Value', 'Utilization'] as const);
      // a scaler type only known at apply may be cpu or memory (found by the fuzz suite)
      if (t.metricType === 'Utilization' && !isToken(t.type) && !CPU_MEMORY.includes(t.type)) v.fail(`${f}.metricType`, t.metricType, 'Utilization applies to cpu and memory triggers only; use "AverageValue" or "Value"', 'does not apply');
    }
    if (t.authenticationRef) {
      v.dnsSubdomain(`${f}.authenticationRef.name`, t.authenticationRef.name);
      if (t.authenticationRef.kind !== undefined) v.oneOf(`${f}.authenticationRef.kind`, t.authenticationRef.kind, ['TriggerAuthentication', 'ClusterTriggerAuthentication'] as const);
    }
  });
  if (p.fallback) {
    v.integer('fallback.failureThreshold', p.fallback.failureThreshold, 1, 1000, 'use a whole number of failed checks, 1 or more, e.g. 3');
    v.integer('fallback.replicas', p.fallback.replicas, 1, 100000, 'use a whole number of pods, 1 or more');
    const cpuMem = p.triggers.findIndex((t) => CPU_MEMORY.includes(t.type));
    if (cpuMem >= 0) v.fail('fallback', p.fallback, `KEDA supports fallback only for scalers with an AverageValue or Value metric; triggers[${cpuMem}] is a ${p.triggers[cpuMem].type} (Utilization) trigger: remove fallback or that trigger`, 'does not apply');
  }
  const hc = p.horizontalPodAutoscalerConfig;
  if (hc?.name !== undefined) v.dnsSubdomain('horizontalPodAutoscalerConfig.name', hc.name);
  validateRules(v, 'horizontalPodAutoscalerConfig.scaleUp', hc?.scaleUp);
  validateRules(v, 'horizontalPodAutoscalerConfig.scaleDown', hc?.scaleDown);
  const behavior = hpaBehavior(hc?.scaleUp, hc?.scaleDown);
  const hpaConfig = { ...(hc?.name !== undefined ? { name: hc.name } : {}), ...(behavior ? { behavior } : {}) };
  const advanced = {
    ...(Object.keys(hpaConfig).length > 0 ? { horizontalPodAutoscalerConfig: hpaConfig } : {}),
    ...(p.restoreToOriginalReplicaCount !== undefined ? { restoreToOriginalReplicaCount: p.restoreToOriginalReplicaCount } : {}),
  };
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name, namespace: target.namespace, labels: { ...labels } },
    spec: {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      pollingInterval,
      cooldownPeriod,
      minReplicaCount: min,
      maxReplicaCount: p.maxReplicaCount,
      ...(p.idleReplicaCount !== undefined ? { idleReplicaCount: p.idleReplicaCount } : {}),
      ...(p.fallback ? { fallback: { failureThreshold: p.fallback.failureThreshold, replicas: p.fallback.replicas } } : {}),
      ...(Object.keys(advanced).length > 0 ? { advanced } : {}),
      triggers: p.triggers.map((t) => ({
        type: t.type,
        metadata: { ...t.metadata },
        ...(t.name !== undefined ? { name: t.name } : {}),
        ...(t.authenticationRef ? { authenticationRef: { name: t.authenticationRef.name, ...(t.authenticationRef.kind ? { kind: t.authenticationRef.kind } : {}) } } : {}),
        ...(t.useCachedMetrics !== undefined ? { useCachedMetrics: t.useCachedMetrics } : {}),
        ...(t.metricType !== undefined ? { metricType: t.metricType } : {}),
      })),
    },
  } as Named<IScaledObject>;
}
