import { TerraformVariable } from 'cdktf';
import { KubeDaemonSet, KubeDaemonSetProps } from '../lib/constructs/kube-daemon-set';
import { ValidationError } from '../lib/core/errors';
import { selectorId } from '../lib/core/naming';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const AGENT = { ...NGINX, name: 'agent', ports: { metrics: { port: 9100 } } };

function ds(props: Partial<KubeDaemonSetProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const d = new KubeDaemonSet(stack, 'agent', { namespace: 'monitoring', name: 'node-agent', containers: [AGENT], ...props } as KubeDaemonSetProps);
  const out = synth(stack);
  const obj = manifest(out, 'DaemonSet');
  return { stack, d, out, obj, pod: obj.spec.template };
}

function fails(props: Record<string, unknown>, field: string): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeDaemonSet(stack, 'agent', { namespace: 'monitoring', name: 'node-agent', containers: [AGENT], ...props } as KubeDaemonSetProps));
  expect(e.path).toBe('test/agent');
  expect(e.field).toBe(field);
  expect(e.fix.length).toBeGreaterThan(10);
  return e;
}

describe('KubeDaemonSet defaults', () => {
  const { d, out, obj, pod } = ds();
  const id = selectorId('DaemonSet', 'monitoring', 'node-agent');

  test('emits DaemonSet, ServiceAccount, Role, RoleBinding, PDB and VPA; no Service even with ports', () => {
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['DaemonSet', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'ServiceAccount', 'VerticalPodAutoscaler']);
  });

  test('exposes name, namespace, ServiceAccount, selector and labels', () => {
    expect(d.name).toBe('node-agent');
    expect(d.namespaceName).toBe('monitoring');
    expect(d.serviceAccountName).toBe(`node-agent-${id.slice(0, 8)}`);
    expect(d.matchLabels).toEqual({ id });
    expect(d.labels).toEqual(pod.metadata.labels);
    expect(d.daemonSet.object.kind).toBe('DaemonSet');
  });

  test('spec: minReadySeconds 5, RollingUpdate 34% / surge 0, Reloader annotation', () => {
    expect(obj.spec.minReadySeconds).toBe(5);
    expect(obj.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '34%', maxSurge: 0 } });
    expect(obj.spec.selector).toEqual({ matchLabels: { id } });
    expect(obj.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(obj.metadata.labels['panfactum.com/module']).toBe('kube_daemon_set');
  });

  test('pod: default scheduler, system-node-critical, controller nodes tolerated, no anti-affinity or spread', () => {
    expect(pod.spec.schedulerName).toBeUndefined();
    expect(pod.metadata.labels['panfactum.com/scheduler-enabled']).toBe('false');
    expect(pod.spec.priorityClassName).toBe('system-node-critical');
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64', 'controller']);
    expect(pod.metadata.labels['panfactum.com/controller-enabled']).toBe('true');
    expect(pod.spec.affinity.podAntiAffinity).toBeUndefined();
    expect(pod.spec.topologySpreadConstraints).toBeUndefined();
    expect(pod.spec.restartPolicy).toBe('Always');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
  });

  test('PDB: minAvailable 0 with AlwaysAllow (DaemonSets have no scale subresource)', () => {
    expect(manifest(out, 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { id } }, minAvailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('VPA: Auto with eviction requirements, targeting the DaemonSet', () => {
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'node-agent' });
    expect(vpa.spec.updatePolicy.updateMode).toBe('Auto');
  });

  test('no rollout wait by default', () => {
    expect(manifestResource(out, 'DaemonSet').wait).toBeUndefined();
  });
});

describe('KubeDaemonSet props', () => {
  test('update strategy, readiness, PDB and priority settings', () => {
    const { obj, pod, out } = ds({ maxUnavailable: 0, maxSurge: '10%', minReadySeconds: 0, minAvailable: '50%', unhealthyPodEvictionPolicy: 'IfHealthyBudget', priorityClassName: 'cluster-important' });
    expect(obj.spec.updateStrategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: '10%' });
    // 0 is written by leaving the field out: the API server does not store a zero here (e2e apply).
    expect(obj.spec).not.toHaveProperty('minReadySeconds');
    expect(pod.spec.priorityClassName).toBe('cluster-important');
    expect(manifest(out, 'PodDisruptionBudget').spec).toMatchObject({ minAvailable: '50%', unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
  });

  test('counts given as strings become numbers', () => {
    expect(ds({ maxUnavailable: '2' }).obj.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(2);
  });

  test('OnDelete has no rollingUpdate block', () => {
    expect(ds({ updateType: 'OnDelete' }).obj.spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('controller nodes off, host network, node requirements, extra labels and annotations', () => {
    // a node agent in a namespace that admits host networking (the Pod Security check assumes "baseline" otherwise)
    const { pod, obj } = ds({ controllerNodesEnabled: false, hostNetwork: true, nodeRequirements: { 'kubernetes.io/os': ['linux'] }, extraLabels: { team: 'sre' }, extraAnnotations: { 'example.com/a': 'b' } }, { assumedPodSecurityStandard: 'privileged' });
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64']);
    expect(pod.spec.hostNetwork).toBe(true);
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }]);
    expect(obj.metadata.labels.team).toBe('sre');
    expect(obj.metadata.annotations['example.com/a']).toBe('b');
  });

  test('waitForRollout with timeout; vpaEnabled false', () => {
    const { out } = ds({ waitForRollout: true, waitForRolloutTimeout: '5m', vpaEnabled: false });
    expect(manifestResource(out, 'DaemonSet')).toMatchObject({ wait: { rollout: true }, timeouts: { create: '5m', update: '5m' } });
    expect(out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });
});

describe('KubeDaemonSet errors', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['panfactumSchedulerEnabled', { panfactumSchedulerEnabled: true }, 'panfactumSchedulerEnabled'],
    ['hostAntiAffinityRequired', { hostAntiAffinityRequired: true }, 'hostAntiAffinityRequired'],
    ['azSpreadRequired', { azSpreadRequired: true }, 'azSpreadRequired'],
    ['nodePreferences', { nodePreferences: { a: { weight: 1 } } }, 'nodePreferences'],
    ['updateType', { updateType: 'Recreate' }, 'updateType'],
    ['maxUnavailable format', { maxUnavailable: 'all' }, 'maxUnavailable'],
    ['maxUnavailable over 100%', { maxUnavailable: '150%' }, 'maxUnavailable'],
    ['maxSurge format', { maxSurge: -1 }, 'maxSurge'],
    ['both zero', { maxUnavailable: 0, maxSurge: '0%' }, 'maxUnavailable'],
    ['OnDelete with maxSurge', { updateType: 'OnDelete', maxSurge: 1 }, 'maxUnavailable/maxSurge'],
    ['minAvailable', { minAvailable: 'half' }, 'minAvailable'],
    ['minReadySeconds', { minReadySeconds: -1 }, 'minReadySeconds'],
    ['unhealthyPodEvictionPolicy', { unhealthyPodEvictionPolicy: 'Always' }, 'unhealthyPodEvictionPolicy'],
    ['priorityClassName', { priorityClassName: 'Not Valid' }, 'priorityClassName'],
    ['waitForRolloutTimeout format', { waitForRollout: true, waitForRolloutTimeout: 'soon' }, 'waitForRolloutTimeout'],
    ['waitForRolloutTimeout without wait', { waitForRolloutTimeout: '5m' }, 'waitForRolloutTimeout'],
  ])('%s', (_label, props, field) => {
    fails(props, field);
  });
});

describe('KubeDaemonSet tokens', () => {
  test('token image tag and counts pass through', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue;
    const ready = new TerraformVariable(stack, 'ready', { type: 'number' }).numberValue;
    const unavailable = new TerraformVariable(stack, 'unavailable', { type: 'string' }).stringValue;
    expect(() => new KubeDaemonSet(stack, 'a', { namespace: 'm', name: 'a', minReadySeconds: ready, maxUnavailable: unavailable, containers: [{ ...AGENT, imageTag: tag }] })).not.toThrow();
    const obj = manifest(synth(stack), 'DaemonSet');
    expect(obj.spec.minReadySeconds).toBe('${var.ready}');
    expect(obj.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe('${var.unavailable}');
    expect(obj.spec.template.spec.containers[0].image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
  });
});
