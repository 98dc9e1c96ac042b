import { toServerForm } from '../lib/k8s/server-form';

/**
 * Values a real kube-apiserver does not store (found by the e2e apply: "Provider produced
 * inconsistent result after apply" for `publishNotReadyAddresses: false` and `env: []`).
 */
describe('toServerForm', () => {
  test('drops false publishNotReadyAddresses and empty lists of a Service, keeps the rest', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { publishNotReadyAddresses: false, ports: [{ port: 80 }], externalIPs: [] } };
    expect(toServerForm(service)).toEqual({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
  });

  test('leaves out fields set to undefined (no JSON holds them), keeps undefined list items for the resolver to drop', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: undefined, labels: { a: 'b', c: undefined } }, data: { k: 'v' }, binaryData: undefined };
    const out = toServerForm(cm) as Record<string, any>;
    expect(Object.keys(out)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
    expect(Object.keys(out.metadata)).toEqual(['name', 'labels']);
    expect(Object.keys(out.metadata.labels)).toEqual(['a']);
    const list = toServerForm({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', args: ['a', undefined] }] } }) as any;
    expect(list.spec.containers[0].args).toEqual(['a', undefined]);
  });

  test('keeps true, and false of pointer fields (automountServiceAccountToken means true when absent)', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { minReadySeconds: 0, template: { spec: { automountServiceAccountToken: false, hostNetwork: true, containers: [{ name: 'a', env: [], securityContext: { readOnlyRootFilesystem: false }, volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false }] }] } } },
    };
    expect(toServerForm(deployment)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { template: { spec: { automountServiceAccountToken: false, hostNetwork: true, containers: [{ name: 'a', securityContext: { readOnlyRootFilesystem: false }, volumeMounts: [{ name: 'v', mountPath: '/v' }] }] } } },
    });
  });

  test('drops a false globalDefault of a PriorityClass (e2e apply: "globalDefault: was cty.False, but now null")', () => {
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 100, globalDefault: false, preemptionPolicy: 'Never' };
    expect(toServerForm(pc)).toEqual({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'p' }, value: 100, preemptionPolicy: 'Never' });
  });

  test('leaves custom resources as they are (stored as sent) and does not mutate its input', () => {
    const vpa = { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', spec: { resourcePolicy: { containerPolicies: [] } } };
    expect(toServerForm(vpa)).toBe(vpa);
    const pod = { apiVersion: 'v1', kind: 'Pod', spec: { tolerations: [] } };
    toServerForm(pod);
    expect(pod.spec.tolerations).toEqual([]);
  });
});
