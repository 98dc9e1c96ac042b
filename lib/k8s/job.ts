import { ResolvedEnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { RestartPolicy } from './pod';
import { WorkloadBase, WorkloadProps, controllerMetadata, buildPdb, buildVpa, buildWorkloadBase, vpaWanted } from './workload';
import { hasNodeClass } from './scheduling';
import type { IJob, IJobSpec, IPodDisruptionBudget, IVerticalPodAutoscaler, Named } from './types';

/**
 * Inputs shared by run-to-completion workloads (Panfactum's kube_job and kube_cron_job).
 * Containers take no ports and no probes: batch pods serve no traffic.
 *
 * @group Workloads
 */
export interface BatchProps extends Omit<WorkloadProps, 'voluntaryDisruptionsEnabled' | 'maxUnavailable'> {
  /** Pods run in parallel (Job `parallelism`). @default 1 */
  readonly podParallelism?: number;
  /** Successful pods needed to finish (Job `completions`). @default 1 */
  readonly podCompletions?: number;
  /** Seconds a run may take before it is stopped and marked failed. @default 86400 (24 h) */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job is kept before Kubernetes deletes it (and its pods and logs). @default 600 */
  readonly ttlSecondsAfterFinished?: number;
  /**
   * Let voluntary disruptions (node consolidation, the descheduler) evict running pods.
   * false sets the PDB's maxUnavailable to 0 so a run is not killed half-way.
   * @default false
   */
  readonly disruptionsEnabled?: boolean;
}

/**
 * A pod failure policy rule (Panfactum's `extra_pod_failure_policy_rules` element).
 *
 * @group Workloads
 */
export interface PodFailurePolicyRule {
  /** What to do when the rule matches. "Ignore": do not count against backoffLimit; "FailJob": fail at once; "Count": count as usual. @default "Ignore" */
  readonly action?: 'Ignore' | 'FailJob' | 'Count';
  /** Match pods with one of these conditions (status "True"). Give this or onExitCodes. @default - none */
  readonly onPodConditions?: Array<{ readonly type: string }>;
  /** Match containers that exited with these codes. Give this or onPodConditions. @default - none */
  readonly onExitCodes?: {
    /** Only this container. @default - every container */
    readonly containerName?: string;
    /** In: the code is one of values; NotIn: it is none of them. @default "In" */
    readonly operator?: 'In' | 'NotIn';
    /** Exit codes (at most 255 of them). */
    readonly values: number[];
  };
}

/**
 * Inputs of a one-shot Job (Panfactum's kube_job).
 *
 * @group Workloads
 */
export interface JobProps extends BatchProps {
  /** Failed pods tolerated before the Job fails (disruptions do not count, see the pod failure policy). @default 1 */
  readonly backoffLimit?: number;
  /**
   * Extra pod failure policy rules, after the built-in first rule that ignores pods killed
   * by a disruption (condition DisruptionTarget: eviction, preemption, node drain), so those
   * are retried without using up backoffLimit.
   * @default []
   */
  readonly extraPodFailurePolicyRules?: PodFailurePolicyRule[];
}

/** The objects of a Job workload. */
export interface JobModel extends WorkloadBase {
  readonly job: Named<IJob>;
  readonly pdb: Named<IPodDisruptionBudget>;
  readonly vpa?: Named<IVerticalPodAutoscaler>;
}

/**
 * Defaults of run-to-completion pods (inventory 23.1): burstable and spot tolerated; no
 * anti-affinity and no zone spread (a batch pod is not a replica of a service, so there is
 * nothing to keep highly available). Each can still be turned on.
 */
export function batchDefaults<P extends BatchProps>(env: ResolvedEnvironmentContext, props: P): P {
  return {
    ...props,
    burstableNodesEnabled: props.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    hostAntiAffinityRequired: props.hostAntiAffinityRequired ?? false,
    instanceTypeAntiAffinityRequired: props.instanceTypeAntiAffinityRequired ?? false,
  };
}

/** Validate the props common to Jobs and CronJobs (containers: no ports, no probes). */
export function validateBatchProps(v: PropValidator, props: BatchProps): void {
  props.containers?.forEach((c, i) => {
    if (c.ports && Object.keys(c.ports).length > 0) v.fail(`containers[${i}].ports`, c.ports, 'batch pods serve no traffic and get no Service; remove ports (use a KubeDeployment for a server)', 'is not supported for Jobs');
    for (const probe of ['livenessProbeType', 'readinessProbeType'] as const) {
      if (c[probe] !== undefined) v.fail(`containers[${i}].${probe}`, c[probe], 'a run-to-completion pod needs no probes (a failing liveness probe would only restart the run); remove it, and bound the run with activeDeadlineSeconds', 'is not supported for Jobs');
    }
  });
  if (props.podParallelism !== undefined) v.integer('podParallelism', props.podParallelism, 1, 10000, 'use a whole number of pods of at least 1');
  if (props.podCompletions !== undefined) v.integer('podCompletions', props.podCompletions, 1, 10000, 'use a whole number of completions of at least 1');
  if (props.activeDeadlineSeconds !== undefined) v.integer('activeDeadlineSeconds', props.activeDeadlineSeconds, 1, Number.MAX_SAFE_INTEGER, 'use whole seconds of at least 1');
  if (props.ttlSecondsAfterFinished !== undefined) v.integer('ttlSecondsAfterFinished', props.ttlSecondsAfterFinished, 0, 2147483647, 'use whole seconds, 0 or more');
}

/** The Job spec shared by Job and CronJob (`jobTemplate.spec`). */
export function buildJobSpec(base: WorkloadBase, props: BatchProps & { backoffLimit?: number }, defaultBackoffLimit: number, extra: Partial<IJobSpec> = {}): IJobSpec {
  return {
    activeDeadlineSeconds: props.activeDeadlineSeconds ?? 86400,
    backoffLimit: props.backoffLimit ?? defaultBackoffLimit,
    parallelism: props.podParallelism ?? 1,
    completions: props.podCompletions ?? 1,
    ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 600,
    ...extra,
    template: base.pod.template,
  };
}

/** PDB of a batch workload: maxUnavailable 1 with disruptionsEnabled, else 0. */
export function buildBatchPdb(base: WorkloadBase, props: BatchProps): Named<IPodDisruptionBudget> {
  return buildPdb(base, { ...props, voluntaryDisruptionsEnabled: props.disruptionsEnabled ?? false });
}

function validateFailureRules(v: PropValidator, rules: PodFailurePolicyRule[], containerNames: string[]): void {
  rules.forEach((r, i) => {
    const f = `extraPodFailurePolicyRules[${i}]`;
    if (r.action !== undefined) {
      if ((r.action as string) === 'FailIndex') v.fail(`${f}.action`, r.action, 'FailIndex needs an Indexed Job with backoffLimitPerIndex, which this construct does not create; use "FailJob", "Ignore" or "Count"');
      v.oneOf(`${f}.action`, r.action, ['Ignore', 'FailJob', 'Count'] as const);
    }
    const hasConditions = r.onPodConditions !== undefined;
    const hasCodes = r.onExitCodes !== undefined;
    if (hasConditions === hasCodes) v.fail(f, r, 'give exactly one of onPodConditions or onExitCodes', 'has no single match');
    if (r.onPodConditions) {
      v.nonEmpty(`${f}.onPodConditions`, r.onPodConditions, 'list at least one pod condition type, e.g. [{ type: "DisruptionTarget" }]');
      r.onPodConditions.forEach((c, j) => v.required(`${f}.onPodConditions[${j}].type`, c.type));
    }
    if (r.onExitCodes) {
      const codes = r.onExitCodes;
      const op = v.oneOf(`${f}.onExitCodes.operator`, codes.operator ?? 'In', ['In', 'NotIn'] as const);
      v.nonEmpty(`${f}.onExitCodes.values`, codes.values, 'list at least one exit code, e.g. [42]');
      if (!isToken(codes.values)) {
        codes.values.forEach((code, j) => v.integer(`${f}.onExitCodes.values[${j}]`, code, 0, 255, 'use exit codes from 0 to 255'));
        if (op === 'In' && codes.values.includes(0)) v.fail(`${f}.onExitCodes.values`, codes.values, 'exit code 0 means success and cannot be matched with "In"; remove 0', 'contains 0');
        if (new Set(codes.values).size !== codes.values.length) v.fail(`${f}.onExitCodes.values`, codes.values, 'list each exit code once', 'has duplicates');
      }
      if (codes.containerName !== undefined && !isToken(codes.containerName) && !containerNames.includes(codes.containerName)) {
        v.fail(`${f}.onExitCodes.containerName`, codes.containerName, `use the name of a container of this Job (${containerNames.map((n) => JSON.stringify(n)).join(', ')})`, 'is not a container of this Job');
      }
    }
  });
}

/**
 * Validate a Job's props and build its objects: restart Never (a pod failure policy
 * requires it), backoff 1, the Ignore-on-DisruptionTarget rule first, VPA in Initial mode
 * targeting the Job itself (Panfactum's module targets kind CronJob, a copy-paste bug).
 */
export function buildJobModel(v: PropValidator, env: ResolvedEnvironmentContext, input: JobProps): JobModel {
  const props = batchDefaults(env, input);
  validateBatchProps(v, props);
  if (props.backoffLimit !== undefined) v.integer('backoffLimit', props.backoffLimit, 0, 10000, 'use a whole number of retries from 0 to 10000 (the Job controller waits up to 6 minutes between retries, so 10000 is about 6 weeks of retrying)');
  const restartPolicy: RestartPolicy = 'Never';
  const base = buildWorkloadBase(v, env, { kind: 'Job', module: 'kube_job', restartPolicy }, props as WorkloadProps);
  const rules = props.extraPodFailurePolicyRules ?? [];
  validateFailureRules(v, rules, base.pod.containers.map((c) => c.name));
  const job: Named<IJob> = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: controllerMetadata(base, props),
    spec: buildJobSpec(base, props, 1, {
      podFailurePolicy: {
        rules: [
          { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
          ...rules.map((r) => ({
            action: r.action ?? 'Ignore',
            ...(r.onPodConditions ? { onPodConditions: r.onPodConditions.map((c) => ({ type: c.type, status: 'True' })) } : {}),
            ...(r.onExitCodes
              ? {
                  onExitCodes: {
                    ...(r.onExitCodes.containerName !== undefined ? { containerName: r.onExitCodes.containerName } : {}),
                    operator: r.onExitCodes.operator ?? 'In',
                    values: [...r.onExitCodes.values],
                  },
                }
              : {}),
          })),
        ],
      },
    }),
  };
  return {
    ...base,
    job,
    pdb: buildBatchPdb(base, props),
    vpa: vpaWanted(v, env, props.vpaEnabled) ? buildVpa(base, props as WorkloadProps, { apiVersion: 'batch/v1', kind: 'Job' }, 'Initial') : undefined,
  };
}
