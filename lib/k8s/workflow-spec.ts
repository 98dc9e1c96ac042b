import { Fn } from 'cdktf';
import { ResolvedEnvironmentContext } from '../core/context';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { selectorId } from '../core/naming';
import { ContainerProps, ResolvedContainer } from './container';
import { PodModel, buildPod } from './pod';
import { WorkloadBase, WorkloadProps, buildWorkloadBase } from './workload';
import { hasNodeClass } from './scheduling';
import type { IContainer, IPodTemplateSpec, IRole, IRoleBinding, IVolume, Named } from './types';
import type { KubernetesObject } from './object';

/**
 * Argo WorkflowTemplates (argoproj.io/v1alpha1), Panfactum's wf_spec. The pods of every
 * container template come from the same pod model as the controllers (buildPod): the
 * security context, resources, the default and common environment variables, volumes,
 * tolerations, affinity and scheduler are the ones a Deployment with the same props gets.
 * What Argo cannot take on a template (grace period, topology spread) goes into
 * `podSpecPatch`.
 */

export const WORKFLOW_TEMPLATE_API_VERSION = 'argoproj.io/v1alpha1';
export const WORKFLOW_TEMPLATE_KIND = 'WorkflowTemplate';

/**
 * A parameter of the workflow (`arguments`) or of a template (`inputs`).
 *
 * @group Workloads
 */
export interface WorkflowParameter {
  /** Parameter name (letters, digits, '_' and '-'). */
  readonly name: string;
  /** Value used when the submitter (or calling task) gives none. @default - required: the caller must give a value */
  readonly default?: string;
  /** The only allowed values. @default - any value */
  readonly enum?: string[];
  /** Shown in the Argo UI. @default - none */
  readonly description?: string;
}

/**
 * A task of a DAG template.
 *
 * @group Workloads
 */
export interface WorkflowDagTask {
  /** Task name, unique within the DAG. */
  readonly name: string;
  /** Name of the template the task runs. */
  readonly template: string;
  /** Tasks that must succeed first. @default [] */
  readonly dependencies?: string[];
  /** Values for the template's input parameters. @default {} */
  readonly arguments?: Record<string, string>;
  /** Argo `when` expression; the task is skipped when it is false. @default - always runs */
  readonly when?: string;
}

/**
 * A step of a steps template (steps of one group run in parallel).
 *
 * @group Workloads
 */
export interface WorkflowStep {
  /** Step name. */
  readonly name: string;
  /** Name of the template the step runs. */
  readonly template: string;
  /** Values for the template's input parameters. @default {} */
  readonly arguments?: Record<string, string>;
  /** Argo `when` expression. @default - always runs */
  readonly when?: string;
}

/**
 * One template: exactly one of `containers`, `dag` or `steps`.
 *
 * @group Workloads
 */
export interface WorkflowTemplateDefinition {
  /** Template name (letters, digits and '-'), unique within the WorkflowTemplate. */
  readonly name: string;
  /**
   * The pod's containers, with the same props as a controller's: exactly one regular
   * container (Argo's `container`), plus init containers and native sidecars.
   * @default - not a container template
   */
  readonly containers?: ContainerProps[];
  /** The tasks of a DAG template. @default - not a DAG template */
  readonly dag?: WorkflowDagTask[];
  /** The step groups of a steps template. @default - not a steps template */
  readonly steps?: WorkflowStep[][];
  /** Input parameters, referenced as `{{inputs.parameters.<name>}}`. @default [] */
  readonly inputs?: WorkflowParameter[];
  /** Seconds this template may run (container templates). @default - the workflow's deadline */
  readonly activeDeadlineSeconds?: number;
  /** Retries of a failed or interrupted pod (container templates). @default - the workflow's retryLimit */
  readonly retryLimit?: number;
}

/**
 * Argo pod garbage collection.
 *
 * @group Workloads
 */
export interface WorkflowPodGc {
  /** When pods are deleted. @default "OnPodSuccess" (failed pods stay for debugging until the workflow is deleted) */
  readonly strategy?: 'OnPodCompletion' | 'OnPodSuccess' | 'OnWorkflowCompletion' | 'OnWorkflowSuccess';
  /** Wait this long (Go duration, e.g. "30s") before deleting a pod. @default - immediately */
  readonly deleteDelayDuration?: string;
}

/**
 * How long finished workflows are kept.
 *
 * @group Workloads
 */
export interface WorkflowTtlStrategy {
  /** Seconds after success. @default 600 (as a Job's ttlSecondsAfterFinished) */
  readonly secondsAfterSuccess?: number;
  /** Seconds after failure or error. @default 86400 (a day to debug) */
  readonly secondsAfterFailure?: number;
}

/**
 * Inputs of a WorkflowTemplate: the naming contract of the controllers (pod, scheduling,
 * Linkerd and ServiceAccount props) plus the workflow's own.
 *
 * @group Workloads
 */
export interface WorkflowTemplateProps extends Omit<WorkloadProps, 'containers' | 'vpaEnabled' | 'voluntaryDisruptionsEnabled' | 'maxUnavailable' | 'unhealthyPodEvictionPolicy'> {
  /** The templates; at least one runs containers. */
  readonly templates: WorkflowTemplateDefinition[];
  /** Template the workflow starts with. @default - the first template */
  readonly entrypoint?: string;
  /** Workflow parameters, referenced as `{{workflow.parameters.<name>}}`. @default [] */
  readonly arguments?: WorkflowParameter[];
  /** Seconds the whole workflow may run. @default 86400 (as Panfactum's Jobs) */
  readonly activeDeadlineSeconds?: number;
  /**
   * Retries of a failed or interrupted pod, for every container template (Spot nodes are
   * interrupted; retryPolicy "Always" retries errors and failures, backoff 10 s doubling).
   * @default 3
   */
  readonly retryLimit?: number;
  /** Pods of the workflow that may run at once. @default - no limit */
  readonly parallelism?: number;
  /** Pod garbage collection. @default { strategy: "OnPodSuccess" } */
  readonly podGc?: WorkflowPodGc;
  /** How long finished workflows are kept. @default { secondsAfterSuccess: 600, secondsAfterFailure: 86400 } */
  readonly ttlStrategy?: WorkflowTtlStrategy;
}

/** The WorkflowTemplate object. */
export interface WorkflowTemplateObject extends KubernetesObject {
  spec: Record<string, unknown>;
}

/** The objects of a WorkflowTemplate. */
export interface WorkflowTemplateModel extends WorkloadBase {
  readonly workflowTemplate: WorkflowTemplateObject;
  /** The resolved containers of every container template, in template order. */
  readonly containers: ResolvedContainer[];
  /** The pod of each container template (by template index), for schema checks. */
  readonly podTemplates: ReadonlyArray<{ readonly templateIndex: number; readonly template: IPodTemplateSpec }>;
}

const TEMPLATE_NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const PARAMETER_NAME = /^[a-zA-Z0-9_-]+$/;
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * Workflow defaults: workflow pods run to completion, so they tolerate burstable and Spot
 * nodes (retries cover interruptions), may share a node (no host anti-affinity) and are
 * never evicted for their lifetime by the descheduler.
 */
export function workflowDefaults(env: ResolvedEnvironmentContext, props: WorkflowTemplateProps): WorkflowTemplateProps {
  return {
    ...props,
    burstableNodesEnabled: props.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    hostAntiAffinityRequired: props.hostAntiAffinityRequired ?? false,
    lifetimeEvictionsEnabled: props.lifetimeEvictionsEnabled ?? false,
  };
}

/** A validator that prefixes container fields (`containers[0].name` -> `templates[2].containers[0].name`). */
class TemplateValidator extends PropValidator {
  constructor(
    path: string,
    private readonly prefix: string,
  ) {
    super(path);
  }

  public fail(field: string, value: unknown, fix: string, reason?: string): never {
    return super.fail(field.startsWith('containers') ? `${this.prefix}${field}` : field, value, fix, reason);
  }
}

function validateParameters(v: PropValidator, field: string, params: readonly WorkflowParameter[] | undefined): void {
  const seen = new Set<string>();
  (params ?? []).forEach((p, i) => {
    const f = `${field}[${i}]`;
    v.required(`${f}.name`, p.name);
    if (!isToken(p.name) && !PARAMETER_NAME.test(p.name)) v.fail(`${f}.name`, p.name, 'use letters, digits, "_" and "-" (e.g. "image-tag")', 'is not a parameter name');
    if (seen.has(p.name)) v.fail(`${f}.name`, p.name, 'parameter names must be unique', 'is a duplicate');
    seen.add(p.name);
    if (p.enum !== undefined) {
      v.nonEmpty(`${f}.enum`, p.enum, 'list at least one allowed value, or remove enum');
      if (p.default !== undefined && !isToken(p.default) && !p.enum.includes(p.default)) {
        v.fail(`${f}.default`, p.default, `use one of the enum values ${JSON.stringify(p.enum)}`, 'is not in enum');
      }
    }
  });
}

function parameterObjects(params: readonly WorkflowParameter[] | undefined, valueKey: 'value' | 'default'): Array<Record<string, unknown>> | undefined {
  if (!params || params.length === 0) return undefined;
  return params.map((p) => ({
    name: p.name,
    ...(p.default !== undefined ? { [valueKey]: p.default } : {}),
    ...(p.enum ? { enum: [...p.enum] } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
}

function taskArguments(args: Record<string, string> | undefined): Record<string, unknown> | undefined {
  const entries = Object.entries(args ?? {});
  return entries.length > 0 ? { parameters: entries.map(([name, value]) => ({ name, value })) } : undefined;
}

/** Check the arguments of a task or step against the inputs of the template it calls. */
function checkCall(v: PropValidator, field: string, target: WorkflowTemplateDefinition | undefined, args: Record<string, string> | undefined): void {
  if (!target) return;
  const inputs = new Map((target.inputs ?? []).map((p) => [p.name, p]));
  for (const name of Object.keys(args ?? {})) {
    if (!inputs.has(name)) v.fail(`${field}.arguments.${name}`, name, `template "${target.name}" has no input "${name}"; its inputs are ${JSON.stringify([...inputs.keys()])}`, 'is not an input');
  }
  for (const p of inputs.values()) {
    if (p.default === undefined && !(p.name in (args ?? {}))) {
      v.fail(`${field}.arguments`, args ?? {}, `give a value for input "${p.name}" of template "${target.name}" (it has no default)`, 'is missing a required input');
    }
  }
}

/** Why template and task names (and the references to them) must be known at synth. */
const BY_NAME = 'templates and DAG tasks are resolved by name at synth (references, the entrypoint, the inputs of each call, dependency cycles)';

function validateTemplates(v: PropValidator, templates: readonly WorkflowTemplateDefinition[]): Map<string, WorkflowTemplateDefinition> {
  v.nonEmpty('templates', templates, 'give at least one template, e.g. [{ name: "main", containers: [...] }]');
  const byName = new Map<string, WorkflowTemplateDefinition>();
  templates.forEach((t, i) => {
    const f = `templates[${i}]`;
    v.required(`${f}.name`, t.name);
    // Templates and DAG tasks refer to each other by name, and the entrypoint, the calls' inputs
    // and the dependency cycles are checked at synth: a token name refused them all (found by
    // the fuzz suite).
    v.knownAtSynth(`${f}.name`, t.name, BY_NAME);
    if (!isToken(t.name) && (t.name.length > 128 || !TEMPLATE_NAME.test(t.name))) {
      v.fail(`${f}.name`, t.name, 'use letters, digits and "-", starting and ending with a letter or digit (at most 128)', 'is not a template name');
    }
    if (byName.has(t.name)) v.fail(`${f}.name`, t.name, 'template names must be unique', 'is a duplicate');
    byName.set(t.name, t);
    const kinds = [t.containers !== undefined, t.dag !== undefined, t.steps !== undefined].filter(Boolean).length;
    if (kinds !== 1) {
      v.fail(f, Object.keys(t), 'give exactly one of containers (run a pod), dag (tasks with dependencies) or steps (sequential groups)', kinds === 0 ? 'does nothing' : 'mixes template types');
    }
    validateParameters(v, `${f}.inputs`, t.inputs);
    if (t.containers === undefined) {
      if (t.activeDeadlineSeconds !== undefined) v.fail(`${f}.activeDeadlineSeconds`, t.activeDeadlineSeconds, 'set deadlines on container templates, or on the workflow', 'has no effect');
      if (t.retryLimit !== undefined) v.fail(`${f}.retryLimit`, t.retryLimit, 'set retries on container templates, or on the workflow', 'has no effect');
    } else {
      if (t.activeDeadlineSeconds !== undefined) v.integer(`${f}.activeDeadlineSeconds`, t.activeDeadlineSeconds, 1, Number.MAX_SAFE_INTEGER, 'use whole seconds of at least 1');
      if (t.retryLimit !== undefined) v.integer(`${f}.retryLimit`, t.retryLimit, 0, 100, 'use a whole number of retries from 0 to 100');
      const main = t.containers.filter((c) => !c.init);
      if (main.length !== 1) {
        v.fail(`${f}.containers`, t.containers.map((c) => c.name), 'an Argo container template runs exactly one regular container; make the others init containers (init: true) or native sidecars (init: true, restartPolicy: "Always"), or split the template', main.length === 0 ? 'has no regular container' : 'has several regular containers');
      }
    }
  });
  // references between templates
  templates.forEach((t, i) => {
    const f = `templates[${i}]`;
    const ref = (field: string, name: string) => {
      v.knownAtSynth(field, name, BY_NAME);
      if (!byName.has(name)) v.fail(field, name, `use the name of a template: ${JSON.stringify([...byName.keys()])}`, 'is not a template');
      if (name === t.name) v.fail(field, name, 'a template cannot run itself', 'is recursive');
    };
    if (t.dag) {
      v.nonEmpty(`${f}.dag`, t.dag, 'give at least one task');
      const tasks = new Map<string, WorkflowDagTask>();
      t.dag.forEach((task, j) => {
        const tf = `${f}.dag[${j}]`;
        v.knownAtSynth(`${tf}.name`, task.name, BY_NAME);
        if (!isToken(task.name) && !TEMPLATE_NAME.test(task.name)) v.fail(`${tf}.name`, task.name, 'use letters, digits and "-"', 'is not a task name');
        if (tasks.has(task.name)) v.fail(`${tf}.name`, task.name, 'task names must be unique within the DAG', 'is a duplicate');
        tasks.set(task.name, task);
        ref(`${tf}.template`, task.template);
        checkCall(v, tf, byName.get(task.template), task.arguments);
      });
      t.dag.forEach((task, j) => {
        if (isListToken(task.dependencies)) v.knownAtSynth(`${f}.dag[${j}].dependencies`, task.dependencies, BY_NAME, 'give the dependencies as a list in code');
        (task.dependencies ?? []).forEach((d, k) => {
          v.knownAtSynth(`${f}.dag[${j}].dependencies[${k}]`, d, BY_NAME);
          if (!tasks.has(d)) v.fail(`${f}.dag[${j}].dependencies[${k}]`, d, `use the name of a task of this DAG: ${JSON.stringify([...tasks.keys()])}`, 'is not a task');
        });
      });
      const cycle = findCycle(t.dag);
      if (cycle) v.fail(`${f}.dag`, cycle, 'remove one of these dependencies: the tasks wait for each other forever', 'has a dependency cycle');
    }
    if (t.steps) {
      v.nonEmpty(`${f}.steps`, t.steps, 'give at least one group of steps');
      t.steps.forEach((group, j) => {
        v.nonEmpty(`${f}.steps[${j}]`, group, 'give at least one step in each group');
        group.forEach((step, k) => {
          const sf = `${f}.steps[${j}][${k}]`;
          if (!isToken(step.name) && !TEMPLATE_NAME.test(step.name)) v.fail(`${sf}.name`, step.name, 'use letters, digits and "-"', 'is not a step name');
          ref(`${sf}.template`, step.template);
          checkCall(v, sf, byName.get(step.template), step.arguments);
        });
      });
    }
  });
  return byName;
}

function findCycle(tasks: readonly WorkflowDagTask[]): string[] | undefined {
  const deps = new Map(tasks.map((t) => [t.name, t.dependencies ?? []]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, 'visiting');
    stack.push(name);
    for (const d of deps.get(name) ?? []) {
      const found = visit(d);
      if (found) return found;
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const t of tasks) {
    const found = visit(t.name);
    if (found) return found;
  }
  return undefined;
}

/** Argo's executor reports step outputs through WorkflowTaskResults (Argo 3.4+). */
const TASK_RESULTS_RULE = { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] };

/**
 * Validate a WorkflowTemplate's props and build it, with its ServiceAccount, Role (pod
 * reader and Argo task results) and RoleBinding, and the Secret data for commonSecrets.
 */
export function buildWorkflowTemplate(v: PropValidator, env: ResolvedEnvironmentContext, input: WorkflowTemplateProps): WorkflowTemplateModel {
  const props = workflowDefaults(env, input);
  const byName = validateTemplates(v, props.templates ?? []);
  validateParameters(v, 'arguments', props.arguments);
  const entrypoint = props.entrypoint ?? props.templates[0].name;
  if (props.entrypoint !== undefined && !isToken(entrypoint) && !byName.has(entrypoint)) {
    v.fail('entrypoint', entrypoint, `use the name of a template: ${JSON.stringify([...byName.keys()])}`, 'is not a template');
  }
  const deadline = v.integer('activeDeadlineSeconds', props.activeDeadlineSeconds ?? 86400, 1, Number.MAX_SAFE_INTEGER, 'use whole seconds of at least 1');
  const retryLimit = v.integer('retryLimit', props.retryLimit ?? 3, 0, 100, 'use a whole number of retries from 0 to 100');
  if (props.parallelism !== undefined) v.integer('parallelism', props.parallelism, 1, 10000, 'use a whole number of pods of at least 1');
  const gcStrategy = v.oneOf('podGc.strategy', props.podGc?.strategy ?? 'OnPodSuccess', ['OnPodCompletion', 'OnPodSuccess', 'OnWorkflowCompletion', 'OnWorkflowSuccess'] as const);
  const gcDelay = props.podGc?.deleteDelayDuration;
  if (gcDelay !== undefined && !isToken(gcDelay) && !GO_DURATION.test(gcDelay)) v.fail('podGc.deleteDelayDuration', gcDelay, 'use a Go duration such as "30s" or "5m"', 'is not a duration');
  const ttlSuccess = v.integer('ttlStrategy.secondsAfterSuccess', props.ttlStrategy?.secondsAfterSuccess ?? 600, 0, Number.MAX_SAFE_INTEGER, 'use whole seconds, 0 or more');
  const ttlFailure = v.integer('ttlStrategy.secondsAfterFailure', props.ttlStrategy?.secondsAfterFailure ?? 86400, 0, Number.MAX_SAFE_INTEGER, 'use whole seconds, 0 or more');

  // The pod model: the first container template builds the base (ServiceAccount, Role,
  // Secret); every container template gets its own pod from the same inputs.
  const containerTemplates = props.templates.map((t, i) => ({ t, i })).filter(({ t }) => t.containers !== undefined);
  if (containerTemplates.length === 0) v.fail('templates', props.templates.map((t) => t.name), 'add a template with containers; DAG and steps templates only orchestrate container templates', 'runs no containers');
  const kind = { kind: WORKFLOW_TEMPLATE_KIND, module: 'wf_spec', restartPolicy: 'Never' as const };
  const first = containerTemplates[0];
  const workloadProps = { ...props, containers: first.t.containers ?? [] } as WorkloadProps;
  const base = buildWorkloadBase(new TemplateValidator(v.path, `templates[${first.i}].`), env, kind, workloadProps);
  const pods = new Map<number, PodModel>([[first.i, base.pod]]);
  for (const { t, i } of containerTemplates.slice(1)) {
    pods.set(
      i,
      buildPod(
        new TemplateValidator(v.path, `templates[${i}].`),
        {
          namespace: props.namespace,
          workloadName: props.name,
          matchLabels: { id: selectorId(WORKFLOW_TEMPLATE_KIND, props.namespace, props.name) },
          serviceAccountName: base.serviceAccountName,
          secretName: base.secretName,
          moduleLabels: base.objectLabels,
          restartPolicy: 'Never',
          cluster: env.cluster,
        },
        { ...props, containers: t.containers ?? [] },
      ),
    );
  }

  const podSpec = base.pod.template.spec ?? { containers: [] };
  const patch: Record<string, unknown> = { terminationGracePeriodSeconds: podSpec.terminationGracePeriodSeconds };
  if (podSpec.topologySpreadConstraints) patch.topologySpreadConstraints = podSpec.topologySpreadConstraints;
  const templates = props.templates.map((t, i) => {
    const out: Record<string, unknown> = { name: t.name };
    const inputs = parameterObjects(t.inputs, 'default');
    if (inputs) out.inputs = { parameters: inputs };
    const pod = pods.get(i);
    if (pod) {
      const spec = pod.template.spec ?? { containers: [] };
      out.container = spec.containers[0] as IContainer;
      if (spec.initContainers) out.initContainers = spec.initContainers;
      out.retryStrategy = { limit: t.retryLimit ?? retryLimit, retryPolicy: 'Always', backoff: { duration: '10s', factor: 2 } };
      if (t.activeDeadlineSeconds !== undefined) out.activeDeadlineSeconds = t.activeDeadlineSeconds;
    }
    if (t.dag) {
      out.dag = {
        tasks: t.dag.map((task) => ({
          name: task.name,
          template: task.template,
          ...(task.dependencies && task.dependencies.length > 0 ? { dependencies: [...task.dependencies] } : {}),
          ...(taskArguments(task.arguments) ? { arguments: taskArguments(task.arguments) } : {}),
          ...(task.when ? { when: task.when } : {}),
        })),
      };
    }
    if (t.steps) {
      out.steps = t.steps.map((group) =>
        group.map((step) => ({
          name: step.name,
          template: step.template,
          ...(taskArguments(step.arguments) ? { arguments: taskArguments(step.arguments) } : {}),
          ...(step.when ? { when: step.when } : {}),
        })),
      );
    }
    return out;
  });

  const args = parameterObjects(props.arguments, 'value');
  const spec: Record<string, unknown> = {
    entrypoint,
    ...(args ? { arguments: { parameters: args } } : {}),
    serviceAccountName: base.serviceAccountName,
    activeDeadlineSeconds: deadline,
    ...(props.parallelism !== undefined ? { parallelism: props.parallelism } : {}),
    podGC: { strategy: gcStrategy, ...(gcDelay !== undefined ? { deleteDelayDuration: gcDelay } : {}) },
    ttlStrategy: { secondsAfterSuccess: ttlSuccess, secondsAfterFailure: ttlFailure },
    podMetadata: base.pod.template.metadata,
    securityContext: podSpec.securityContext,
    ...(podSpec.priorityClassName ? { podPriorityClassName: podSpec.priorityClassName } : {}),
    ...(podSpec.schedulerName ? { schedulerName: podSpec.schedulerName } : {}),
    ...(podSpec.tolerations ? { tolerations: podSpec.tolerations } : {}),
    ...(podSpec.affinity ? { affinity: podSpec.affinity } : {}),
    ...(podSpec.hostNetwork ? { hostNetwork: true } : {}),
    dnsPolicy: podSpec.dnsPolicy,
    volumes: podSpec.volumes as IVolume[],
    podSpecPatch: Object.values(patch).some(isToken) ? Fn.jsonencode(patch) : JSON.stringify(patch),
    templates,
  };

  const role: Named<IRole> = base.pod.role
    ? { ...base.pod.role, rules: [...(base.pod.role.rules ?? []), TASK_RESULTS_RULE] }
    : {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: base.serviceAccountName, namespace: props.namespace, labels: base.objectLabels },
        rules: [TASK_RESULTS_RULE],
      };
  const roleBinding: Named<IRoleBinding> = base.pod.roleBinding ?? {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: base.serviceAccountName, namespace: props.namespace, labels: base.objectLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: base.serviceAccountName },
    subjects: [{ kind: 'ServiceAccount', name: base.serviceAccountName, namespace: props.namespace }],
  };

  return {
    ...base,
    pod: { ...base.pod, role, roleBinding },
    containers: [...pods.values()].flatMap((p) => p.containers),
    podTemplates: [...pods].map(([templateIndex, p]) => ({ templateIndex, template: p.template })),
    workflowTemplate: {
      apiVersion: WORKFLOW_TEMPLATE_API_VERSION,
      kind: WORKFLOW_TEMPLATE_KIND,
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...base.objectLabels, ...(props.extraLabels ?? {}) },
        ...(props.extraAnnotations && Object.keys(props.extraAnnotations).length > 0 ? { annotations: { ...props.extraAnnotations } } : {}),
      },
      spec,
    },
  };
}
