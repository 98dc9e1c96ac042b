import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { ValidationError } from '../lib/core/errors';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

/** Options every controller gets from KubeWorkloadConstructProps (emitWorkloadSupport). */
describe('controller-wide options', () => {
  test('networkPolicy: a policy selecting the workload pods, ingress on its ports, labelled with its module', () => {
    const { stack } = newStack();
    const d = new KubeDeployment(stack, 'api', {
      namespace: 'web',
      name: 'api',
      containers: [{ ...NGINX, ports: { http: { port: 8080 } } }],
      networkPolicy: { allowedIngress: [{ namespace: 'frontend' }], allowedEgress: [{ cidr: '10.0.0.0/16', ports: [{ port: 5432 }] }] },
    });
    const out = synth(stack);
    const np = manifest(out, 'NetworkPolicy');
    expect(np.metadata.namespace).toBe('web');
    expect(np.metadata.labels['panfactum.com/module']).toBe('kube_deployment');
    expect(np.spec.podSelector).toEqual({ matchLabels: d.matchLabels });
    expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const ingressPorts = np.spec.ingress.flatMap((r: any) => r.ports ?? []).map((p: any) => p.port);
    expect(ingressPorts).toContain(8080);
    expect(JSON.stringify(np.spec.egress)).toContain('10.0.0.0/16');
    expect(manifestResource(out, 'NetworkPolicy').manifest.kind).toBe('NetworkPolicy');
  });

  test('networkPolicy errors name the field under networkPolicy', () => {
    const { stack } = newStack();
    const caught = errorOf(() => new KubeCronJob(stack, 'job', { namespace: 'web', name: 'job', cronSchedule: '0 * * * *', containers: [NGINX], networkPolicy: { allowedEgress: [{ cidr: 'not-a-cidr' }] } }));
    expect(caught.field).toMatch(/^networkPolicy\./);
  });

  test('no networkPolicy, no NetworkPolicy object', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [NGINX] });
    expect(synth(stack).manifests.map((m) => m.kind)).not.toContain('NetworkPolicy');
  });
});

describe('KubeStatefulSet horizontalAutoscaling', () => {
  const { KubeStatefulSet } = require('../lib/constructs/kube-stateful-set');
  test('emits an HPA targeting the StatefulSet and leaves spec.replicas out', () => {
    const { stack } = newStack();
    const s = new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [NGINX], horizontalAutoscaling: { minReplicas: 2, maxReplicas: 5, targetMemoryUtilization: 80 } });
    const out = synth(stack);
    const hpa = manifest(out, 'HorizontalPodAutoscaler');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    expect('replicas' in manifest(out, 'StatefulSet').spec).toBe(false);
    expect(s.horizontalPodAutoscaler).toBeDefined();
    expect(manifest(out, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].controlledResources).toEqual(['cpu']);
  });
  test('replicas with horizontalAutoscaling is refused', () => {
    const { stack } = newStack();
    expect(() => new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', replicas: 3, containers: [NGINX], horizontalAutoscaling: { minReplicas: 2, maxReplicas: 5 } })).toThrow(ValidationError);
  });
});

describe('KubeWorkload: what every controller exposes', () => {
  const { KubeWorkload, waitTimeouts } = require('../lib/constructs/kube-workload');
  const { KubeDaemonSet } = require('../lib/constructs/kube-daemon-set');
  const { KubeJob } = require('../lib/constructs/kube-job');
  const { KubeStatefulSet } = require('../lib/constructs/kube-stateful-set');
  const { PropValidator } = require('../lib/core/validation');

  test('name, namespace, ServiceAccount, selector and labels, the same way for all five controllers', () => {
    const { stack } = newStack();
    const built = [
      new KubeDeployment(stack, 'd', { namespace: 'web', name: 'd', containers: [NGINX] }),
      new KubeStatefulSet(stack, 's', { namespace: 'web', name: 's', containers: [NGINX] }),
      new KubeDaemonSet(stack, 'ds', { namespace: 'web', name: 'ds', containers: [NGINX] }),
      new KubeCronJob(stack, 'c', { namespace: 'web', name: 'c', cronSchedule: '0 * * * *', containers: [NGINX] }),
      new KubeJob(stack, 'j', { namespace: 'web', name: 'j', containers: [NGINX] }),
    ];
    const out = synth(stack);
    for (const w of built) {
      expect(w).toBeInstanceOf(KubeWorkload);
      expect(w.namespaceName).toBe('web');
      expect(w.serviceAccountName).toBe(`${w.name}-${w.matchLabels.id.slice(0, 8)}`);
      expect(w.labels['panfactum.com/workload']).toBe(w.name);
      expect(w.serviceAccount.object.metadata.name).toBe(w.serviceAccountName);
      expect(w.awsRole).toBeUndefined();
      expect(w.networkPolicy).toBeUndefined();
      expect(manifest(out, 'ServiceAccount', w.serviceAccountName).metadata.namespace).toBe('web');
    }
  });

  test('waitTimeouts: Terraform durations, and no timeout without waiting', () => {
    const v = new PropValidator('t');
    const fields = { wait: 'waitForRollout', timeout: 'waitForRolloutTimeout' };
    expect(waitTimeouts(v, fields, true, '1h30m')).toEqual({ create: '1h30m', update: '1h30m' });
    expect(waitTimeouts(v, fields, true, undefined)).toEqual({ create: '10m', update: '10m' });
    expect(waitTimeouts(v, fields, false, undefined)).toBeUndefined();
    for (const bad of ['10 minutes', '', 'm', '30m1h']) expect(() => waitTimeouts(v, fields, true, bad)).toThrow(/waitForRolloutTimeout = .*is not a duration/);
    expect(() => waitTimeouts(v, fields, false, '5m')).toThrow(/set waitForRollout: true/);
  });
});
