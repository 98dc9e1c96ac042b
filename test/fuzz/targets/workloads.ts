/**
 * Targets: the controllers (KubeDeployment, KubeStatefulSet, KubeDaemonSet, KubeJob, KubeCronJob)
 * and KubeWorkflowTemplate.
 */
import * as fc from 'fast-check';
import { KubeCronJob } from '../../../lib/constructs/kube-cron-job';
import { KubeDaemonSet } from '../../../lib/constructs/kube-daemon-set';
import { KubeDeployment } from '../../../lib/constructs/kube-deployment';
import { KubeJob } from '../../../lib/constructs/kube-job';
import { KubeStatefulSet } from '../../../lib/constructs/kube-stateful-set';
import { KubeWorkflowTemplate } from '../../../lib/constructs/kube-workflow-template';
import { DAEMON_SET_FIXED_PROPS } from '../../../lib/k8s/daemon-set';
import { mapOf } from '../mutate';
import { FuzzTarget } from '../run-case';
import { caseArbitrary } from '../mutate';
import { dns1035Label, dnsLabel, domainName, freeText, labels, labelKey } from '../values';
import { clusterContext, containers, duration, initContainer, namespaceRef, repairPod, workloadProps } from './common';

const scaling = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
    selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
    policies: fc.array(fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 200 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

/** horizontalAutoscaling: min <= max, a CPU or memory target. */
export const horizontalAutoscaling = fc
  .record({
    minReplicas: fc.integer({ min: 1, max: 10 }),
    extra: fc.integer({ min: 1, max: 20 }),
    targets: fc.constantFrom('cpu', 'memory', 'default'),
    target: fc.integer({ min: 1, max: 100 }),
    scaleUp: fc.option(scaling, { nil: undefined }),
    scaleDown: fc.option(scaling, { nil: undefined }),
  })
  .map(({ minReplicas, extra, targets, target, scaleUp, scaleDown }) => ({
    minReplicas,
    maxReplicas: minReplicas + extra,
    ...(targets === 'cpu' ? { targetCpuUtilization: target } : targets === 'memory' ? { targetMemoryUtilization: target } : {}),
    ...(scaleUp ? { scaleUp } : {}),
    ...(scaleDown ? { scaleDown } : {}),
  }));

/** Containers without ports and probes, for run-to-completion pods. */
const batchContainers = containers.map((cs) =>
  cs.filter((c) => c.restartPolicy !== 'Always').map((c) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c)) if (k !== 'ports' && !/Probe/.test(k)) out[k] = v;
    return out;
  })).filter((cs) => cs.some((c) => !c.init));

const serviceProps = {
  serviceName: dns1035Label(20),
  serviceType: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  servicePublicDomainNames: fc.array(domainName, { maxLength: 2 }),
  extraServiceLabels: labels(1),
  extraServiceAnnotations: mapOf(labelKey, freeText, 1),
};

const deploymentProps = fc.record(
  {
    namespace: namespaceRef,
    name: dnsLabel(30),
    containers,
    ...workloadProps,
    replicas: fc.integer({ min: 0, max: 20 }),
    updateType: fc.constantFrom('RollingUpdate', 'Recreate'),
    maxSurge: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.constantFrom('25%', '50%', '100%')),
    maxUnavailable: fc.integer({ min: 0, max: 5 }),
    unhealthyPodEvictionPolicy: fc.constantFrom('AlwaysAllow', 'IfHealthyBudget'),
    voluntaryDisruptionsEnabled: fc.boolean(),
    horizontalAutoscaling,
    waitForRollout: fc.boolean(),
    ...serviceProps,
  },
  { requiredKeys: ['namespace', 'name', 'containers'] },
).map((p) => {
  const out: Record<string, unknown> = repairPod(p);
  if (out.horizontalAutoscaling) delete out.replicas;
  if (out.updateType === 'Recreate') delete out.maxSurge;
  if (out.waitForRollout) out.waitForRolloutTimeout = '15m';
  return out;
});

const volumeMount = fc.record(
  {
    mountPath: fc.constantFrom('/data', '/var/lib/db', '/srv/wal'),
    storageClass: fc.constantFrom('ebs-standard', 'ebs-standard-retained', 'gp3'),
    accessModes: fc.subarray(['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'], { minLength: 1 }),
    initialSizeGb: fc.integer({ min: 1, max: 100 }),
    increaseThresholdPercent: fc.integer({ min: 1, max: 99 }),
    increaseGb: fc.integer({ min: 1, max: 50 }),
    backupsEnabled: fc.boolean(),
  },
  { requiredKeys: ['mountPath'] },
);

const statefulSetProps = fc.record(
  {
    namespace: namespaceRef,
    name: dnsLabel(30),
    containers,
    ...workloadProps,
    replicas: fc.integer({ min: 0, max: 10 }),
    updateType: fc.constantFrom('RollingUpdate', 'OnDelete'),
    podManagementPolicy: fc.constantFrom('OrderedReady', 'Parallel'),
    maxUnavailable: fc.integer({ min: 0, max: 3 }),
    horizontalAutoscaling,
    volumeMounts: mapOf(fc.constantFrom('data', 'wal', 'pg-data'), volumeMount, 2),
    volumeRetentionPolicy: fc.record({ whenDeleted: fc.constantFrom('Retain', 'Delete'), whenScaled: fc.constantFrom('Retain', 'Delete') }, { requiredKeys: [] }),
    waitForRollout: fc.boolean(),
    serviceName: serviceProps.serviceName,
    serviceType: serviceProps.serviceType,
    servicePublicDomainNames: serviceProps.servicePublicDomainNames,
  },
  { requiredKeys: ['namespace', 'name', 'containers'] },
).map((p) => {
  const out: Record<string, unknown> = repairPod(p);
  if (out.horizontalAutoscaling) delete out.replicas;
  return out;
});

const daemonSetProps = fc.record(
  {
    namespace: namespaceRef,
    name: dnsLabel(30),
    containers,
    ...workloadProps,
    updateType: fc.constantFrom('RollingUpdate', 'OnDelete'),
    maxUnavailable: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constantFrom('25%', '100%')),
    maxSurge: fc.oneof(fc.constant(0), fc.constantFrom('0%', '10%')),
    minReadySeconds: fc.integer({ min: 0, max: 600 }),
    minAvailable: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('50%', '0%')),
    hostNetwork: fc.boolean(),
    waitForRollout: fc.boolean(),
  },
  { requiredKeys: ['namespace', 'name', 'containers'] },
).map((p) => {
  const out: Record<string, unknown> = repairPod(p);
  // scheduling a DaemonSet does not take (one pod per node: lib/k8s/daemon-set.ts DAEMON_SET_FIXED_PROPS)
  for (const k of DAEMON_SET_FIXED_PROPS) delete out[k];
  if (out.updateType === 'OnDelete') {
    delete out.maxUnavailable;
    delete out.maxSurge;
  }
  if (out.hostNetwork) out.dnsPolicy = 'ClusterFirstWithHostNet';
  return out;
});

const batchProps = {
  namespace: namespaceRef,
  name: dnsLabel(30),
  containers: batchContainers,
  ...workloadProps,
  podParallelism: fc.integer({ min: 1, max: 10 }),
  podCompletions: fc.integer({ min: 1, max: 10 }),
  activeDeadlineSeconds: fc.integer({ min: 1, max: 86400 }),
  ttlSecondsAfterFinished: fc.integer({ min: 0, max: 86400 }),
  disruptionsEnabled: fc.boolean(),
  backoffLimit: fc.integer({ min: 0, max: 10 }),
};

const failureRule = fc.oneof(
  fc.record({ action: fc.constantFrom('Ignore', 'FailJob', 'Count'), onPodConditions: fc.constant([{ type: 'ConfigIssue' }]) }),
  fc.record({ action: fc.constantFrom('FailJob', 'Count'), onExitCodes: fc.record({ operator: fc.constant('In'), values: fc.uniqueArray(fc.integer({ min: 1, max: 255 }), { minLength: 1, maxLength: 3 }) }) }),
);

const jobProps = fc.record(
  { ...batchProps, extraPodFailurePolicyRules: fc.array(failureRule, { maxLength: 2 }), waitForSuccess: fc.boolean() },
  { requiredKeys: ['namespace', 'name', 'containers'] },
).map((p) => repairPod(p.waitForSuccess ? { ...p, waitForSuccessTimeout: '20m' } : p));

const cronJobProps = fc.record(
  {
    ...batchProps,
    name: dnsLabel(40),
    cronSchedule: fc.constantFrom('0 * * * *', '*/15 9-17 * * MON-FRI', '@daily', '0 4 * * 0', '30 2 1 * *'),
    timeZone: fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'),
    concurrencyPolicy: fc.constantFrom('Allow', 'Forbid', 'Replace'),
    failedJobsHistoryLimit: fc.integer({ min: 0, max: 10 }),
    successfulJobsHistoryLimit: fc.integer({ min: 0, max: 10 }),
    suspend: fc.boolean(),
    startingDeadlineSeconds: fc.integer({ min: 10, max: 3600 }),
    podReplacementPolicy: fc.constantFrom('Failed', 'TerminatingOrFailed'),
    restartPolicy: fc.constantFrom('OnFailure', 'Never'),
    jobAnnotations: mapOf(labelKey, freeText, 1),
  },
  { requiredKeys: ['namespace', 'name', 'containers', 'cronSchedule'] },
).map(repairPod);

const parameter = fc.record({ name: fc.constantFrom('date', 'mode', 'image-tag', 'step_1'), default: freeText, description: freeText }, { requiredKeys: ['name'] });

const workflowProps = fc.record(
  {
    namespace: namespaceRef,
    name: dnsLabel(30),
    ...workloadProps,
    arguments: fc.uniqueArray(parameter, { selector: (p) => p.name, maxLength: 2 }),
    activeDeadlineSeconds: fc.integer({ min: 1, max: 86400 }),
    retryLimit: fc.integer({ min: 0, max: 100 }),
    parallelism: fc.integer({ min: 1, max: 100 }),
    podGc: fc.record({ strategy: fc.constantFrom('OnPodCompletion', 'OnPodSuccess', 'OnWorkflowCompletion', 'OnWorkflowSuccess'), deleteDelayDuration: duration }, { requiredKeys: [] }),
    ttlStrategy: fc.record({ secondsAfterSuccess: fc.integer({ min: 0, max: 86400 }), secondsAfterFailure: fc.integer({ min: 0, max: 86400 }) }, { requiredKeys: [] }),
    runContainers: batchContainers.map((cs) => {
      const regular = cs.filter((c) => !c.init);
      return [...cs.filter((c) => c.init), regular[0]];
    }),
    inputs: fc.uniqueArray(fc.record({ name: fc.constantFrom('step', 'target'), default: freeText, description: freeText }, { requiredKeys: ['name', 'default'] }), { selector: (p) => p.name, maxLength: 2 }),
    orchestration: fc.constantFrom('none', 'dag', 'steps'),
    when: fc.constantFrom("'{{workflow.parameters.mode}}' == 'full'", '{{tasks.a.status}} == Succeeded', '${x} == 1'),
    init: initContainer,
  },
  { requiredKeys: ['namespace', 'name', 'runContainers', 'orchestration'] },
).map((p) => {
  const { runContainers, inputs, orchestration, when, init: _init, vpaEnabled: _vpa, ...rest } = p as Record<string, any>;
  const run: Record<string, unknown> = { name: 'run', containers: runContainers, ...(inputs && inputs.length ? { inputs } : {}), activeDeadlineSeconds: 1800, retryLimit: 2 };
  const templates: unknown[] = [];
  if (orchestration === 'dag') {
    templates.push({ name: 'main', dag: [{ name: 'a', template: 'run' }, { name: 'b', template: 'run', dependencies: ['a'], ...(when ? { when } : {}) }] });
  } else if (orchestration === 'steps') {
    templates.push({ name: 'main', steps: [[{ name: 'first', template: 'run' }], [{ name: 'second', template: 'run', ...(when ? { when } : {}) }]] });
  }
  templates.push(run);
  return repairPod({ ...rest, templates, ...(templates.length > 1 ? { entrypoint: 'main' } : {}) });
});

export const WORKLOAD_TARGETS: FuzzTarget[] = [
  {
    name: 'KubeDeployment',
    providers: { aws: true },
    cases: caseArbitrary(deploymentProps, clusterContext),
    build: (scope, props, env) => new KubeDeployment(scope, env.id('subject'), props),
  },
  {
    name: 'KubeStatefulSet',
    providers: { aws: true },
    cases: caseArbitrary(statefulSetProps, clusterContext),
    build: (scope, props, env) => new KubeStatefulSet(scope, env.id('subject'), props),
  },
  {
    name: 'KubeDaemonSet',
    providers: { aws: true },
    cases: caseArbitrary(daemonSetProps, clusterContext),
    build: (scope, props, env) => new KubeDaemonSet(scope, env.id('subject'), props),
  },
  {
    name: 'KubeJob',
    providers: { aws: true },
    cases: caseArbitrary(jobProps, clusterContext),
    build: (scope, props, env) => new KubeJob(scope, env.id('subject'), props),
  },
  {
    name: 'KubeCronJob',
    providers: { aws: true },
    cases: caseArbitrary(cronJobProps, clusterContext),
    build: (scope, props, env) => new KubeCronJob(scope, env.id('subject'), props),
  },
  {
    name: 'KubeWorkflowTemplate',
    providers: { aws: true },
    cases: caseArbitrary(workflowProps, clusterContext),
    build: (scope, props, env) => new KubeWorkflowTemplate(scope, env.id('subject'), props),
  },
];
