import { TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { autoscalerOf, emitHorizontalAutoscaler } from '../lib/constructs/autoscaling-support';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeScaledObject, KubeScaledObjectProps } from '../lib/constructs/kube-scaled-object';
import { PropValidator } from '../lib/core/validation';
import { applyHorizontalAutoscaling, buildHorizontalAutoscaler } from '../lib/k8s/autoscaling';
import { addAutoscalingExamples } from '../stacks/example-autoscaling';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const WEB = { ...NGINX, ports: { http: { port: 8080 } } };
const HA = { minReplicas: 3, maxReplicas: 10 };

function deploy(props: Partial<KubeDeploymentProps> = {}) {
  const { stack } = newStack();
  const d = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], ...props } as KubeDeploymentProps);
  return { stack, d };
}

describe('horizontalAutoscaling on KubeDeployment', () => {
  const { stack, d } = deploy({ horizontalAutoscaling: HA });
  const out = synth(stack);
  const hpa = manifest(out, 'HorizontalPodAutoscaler');
  const dep = manifest(out, 'Deployment');

  test('emits an autoscaling/v2 HPA named after the Deployment, targeting it, with the min/max given', () => {
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata).toMatchObject({ name: 'api', namespace: 'web' });
    expect(hpa.metadata.labels).toEqual(manifest(out, 'PodDisruptionBudget').metadata.labels);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' });
    expect(hpa.spec.minReplicas).toBe(3);
    expect(hpa.spec.maxReplicas).toBe(10);
    expect(hpa.spec.behavior).toBeUndefined();
  });

  test('without a target it scales on 70% average CPU utilization (seed 004)', () => {
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  test('the Deployment has no spec.replicas and the Polaris exemption; Reloader stays', () => {
    expect(dep.spec).not.toHaveProperty('replicas');
    expect(dep.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true', 'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true' });
  });

  test('the HPA is applied after the Deployment and exposed; the Deployment is marked', () => {
    expect(manifestResource(out, 'HorizontalPodAutoscaler').depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.api_Deployment_/)]);
    expect(d.horizontalPodAutoscaler?.object.kind).toBe('HorizontalPodAutoscaler');
    expect(autoscalerOf(d.deployment)).toEqual({ kind: 'HorizontalPodAutoscaler', path: 'test/api/HorizontalPodAutoscaler' });
  });

  test('the VPA keeps managing memory only (it would fight the HPA over the CPU request)', () => {
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.spec.resourcePolicy.containerPolicies).toEqual([{ containerName: 'app', controlledResources: ['memory'], minAllowed: { memory: expect.stringMatching(/Mi$/) } }]);
    expect(vpa.spec.updatePolicy.evictionRequirements).toEqual([{ resources: ['memory'], changeRequirement: 'TargetHigherThanRequests' }]);
  });

  test('without horizontalAutoscaling: no HPA, replicas 2 (Service-backed, SLA target 3), VPA on cpu and memory, no mark', () => {
    const plain = deploy();
    const o = synth(plain.stack);
    expect(o.manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
    expect(manifest(o, 'Deployment').spec.replicas).toBe(2);
    expect(manifest(o, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].controlledResources).toBeUndefined();
    expect(autoscalerOf(plain.d.deployment)).toBeUndefined();
    expect(plain.d.horizontalPodAutoscaler).toBeUndefined();
  });
});

describe('horizontalAutoscaling props', () => {
  function hpaOf(ha: object, props: Partial<KubeDeploymentProps> = {}) {
    const { stack } = deploy({ horizontalAutoscaling: ha as never, ...props });
    const out = synth(stack);
    return { out, hpa: manifest(out, 'HorizontalPodAutoscaler') };
  }

  test('targetCpuUtilization', () => {
    expect(hpaOf({ ...HA, targetCpuUtilization: 55 }).hpa.spec.metrics[0].resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 55 } });
  });

  test('targetMemoryUtilization alone: memory metric only, VPA keeps cpu', () => {
    const { out, hpa } = hpaOf({ ...HA, targetMemoryUtilization: 75 });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 75 } } }]);
    const policy = manifest(out, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0];
    expect(policy.controlledResources).toEqual(['cpu']);
    expect(Object.keys(policy.minAllowed)).toEqual(['cpu']);
  });

  test('both targets: two metrics and no VPA', () => {
    const { out, hpa } = hpaOf({ ...HA, targetCpuUtilization: 60, targetMemoryUtilization: 80 });
    expect(hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization])).toEqual([
      ['cpu', 60],
      ['memory', 80],
    ]);
    expect(out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });

  test('vpaEnabled false: HPA without VPA', () => {
    const { out } = hpaOf(HA, { vpaEnabled: false });
    expect(out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });

  test('scaleDown / scaleUp behaviour', () => {
    const { hpa } = hpaOf({
      ...HA,
      scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
      scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
    });
    expect(hpa.spec.behavior).toEqual({
      scaleUp: { selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }] },
      scaleDown: { stabilizationWindowSeconds: 600, policies: [{ type: 'Percent', value: 10, periodSeconds: 60 }] },
    });
  });

  test('ignoreReplicaCount together with horizontalAutoscaling is accepted', () => {
    const { out } = hpaOf(HA, { ignoreReplicaCount: true });
    expect(manifest(out, 'Deployment').spec).not.toHaveProperty('replicas');
  });

  test('tokens do not throw', () => {
    const { stack } = newStack();
    const max = new TerraformVariable(stack, 'max', { type: 'number' }).numberValue;
    const cpu = new TerraformVariable(stack, 'cpu', { type: 'number' }).numberValue;
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], horizontalAutoscaling: { minReplicas: 2, maxReplicas: max, targetCpuUtilization: cpu } });
    const hpa = manifest(synth(stack), 'HorizontalPodAutoscaler');
    expect(hpa.spec.maxReplicas).toBe('${var.max}');
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe('${var.cpu}');
  });

  test.each<[string, Partial<KubeDeploymentProps>, string]>([
    ['maxReplicas below minReplicas', { horizontalAutoscaling: { minReplicas: 5, maxReplicas: 3 } }, 'horizontalAutoscaling.minReplicas/horizontalAutoscaling.maxReplicas'],
    ['maxReplicas equal to minReplicas', { horizontalAutoscaling: { minReplicas: 3, maxReplicas: 3 } }, 'horizontalAutoscaling.minReplicas/horizontalAutoscaling.maxReplicas'],
    ['minReplicas 0', { horizontalAutoscaling: { minReplicas: 0, maxReplicas: 3 } }, 'horizontalAutoscaling.minReplicas'],
    ['minReplicas fractional', { horizontalAutoscaling: { minReplicas: 1.5, maxReplicas: 3 } }, 'horizontalAutoscaling.minReplicas'],
    ['maxReplicas 0', { horizontalAutoscaling: { minReplicas: 1, maxReplicas: 0 } }, 'horizontalAutoscaling.maxReplicas'],
    ['targetCpuUtilization 0', { horizontalAutoscaling: { ...HA, targetCpuUtilization: 0 } }, 'horizontalAutoscaling.targetCpuUtilization'],
    ['targetCpuUtilization 150', { horizontalAutoscaling: { ...HA, targetCpuUtilization: 150 } }, 'horizontalAutoscaling.targetCpuUtilization'],
    ['targetMemoryUtilization 0.8 (a fraction, not a percent)', { horizontalAutoscaling: { ...HA, targetMemoryUtilization: 0.8 } }, 'horizontalAutoscaling.targetMemoryUtilization'],
    ['scaleDown window too long', { horizontalAutoscaling: { ...HA, scaleDown: { stabilizationWindowSeconds: 7200 } } }, 'horizontalAutoscaling.scaleDown.stabilizationWindowSeconds'],
    ['scaleUp policy type', { horizontalAutoscaling: { ...HA, scaleUp: { policies: [{ type: 'Nodes' as 'Pods', value: 1, periodSeconds: 60 }] } } }, 'horizontalAutoscaling.scaleUp.policies[0].type'],
    ['scaleUp policy period', { horizontalAutoscaling: { ...HA, scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] } } }, 'horizontalAutoscaling.scaleUp.policies[0].periodSeconds'],
    ['selectPolicy', { horizontalAutoscaling: { ...HA, scaleDown: { selectPolicy: 'max' as 'Max' } } }, 'horizontalAutoscaling.scaleDown.selectPolicy'],
    ['replicas with horizontalAutoscaling', { replicas: 3, horizontalAutoscaling: HA }, 'horizontalAutoscaling/replicas'],
    ['vpaEnabled true with cpu and memory targets', { vpaEnabled: true, horizontalAutoscaling: { ...HA, targetCpuUtilization: 70, targetMemoryUtilization: 70 } }, 'vpaEnabled'],
  ])('%s', (_, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], ...props } as KubeDeploymentProps));
    expect(e.path).toBe('test/api');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

describe('reusable pieces for other controllers', () => {
  test('applyHorizontalAutoscaling works on a StatefulSet object and emitHorizontalAutoscaler marks its manifest', () => {
    const v = new PropValidator('model');
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data', annotations: {} }, spec: { replicas: 3, serviceName: 'db-headless' } };
    const { hpa, vpa } = applyHorizontalAutoscaling(v, { workload: sts, labels: { a: 'b' }, props: { horizontalAutoscaling: { minReplicas: 2, maxReplicas: 4 } } });
    expect(sts.spec).not.toHaveProperty('replicas');
    expect(sts.metadata.annotations).toEqual({}); // the Polaris check is about Deployments
    expect(vpa).toBeUndefined();
    expect(hpa!.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });

    const { stack } = newStack();
    const scope = new Construct(stack, 'db');
    const m = new KubeManifest(scope, 'StatefulSet', { object: sts as never });
    const emitted = emitHorizontalAutoscaler(scope, m, hpa!);
    expect(autoscalerOf(m)?.kind).toBe('HorizontalPodAutoscaler');
    expect(emitted.node.id).toBe('HorizontalPodAutoscaler');
  });

  test('buildHorizontalAutoscaler reports errors under the given field', () => {
    const e = errorOf(() => buildHorizontalAutoscaler(new PropValidator('m'), { apiVersion: 'apps/v1', kind: 'Deployment', name: 'x', namespace: 'y' }, { minReplicas: 4, maxReplicas: 2 }, {}, 'autoscale'));
    expect(e.field).toBe('autoscale.minReplicas/autoscale.maxReplicas');
  });
});

const TRIGGER = { type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: '100' } };

function scaled(props: Partial<KubeScaledObjectProps> = {}, deployProps: Partial<KubeDeploymentProps> = {}) {
  const { stack, d } = deploy(deployProps);
  const so = new KubeScaledObject(stack, 'scaling', { target: d, maxReplicaCount: 10, triggers: [TRIGGER], ...props } as KubeScaledObjectProps);
  const out = synth(stack);
  return { d, so, out, obj: manifest(out, 'ScaledObject'), dep: manifest(out, 'Deployment') };
}

describe('KubeScaledObject', () => {
  const { d, so, out, obj, dep } = scaled();

  test('keda.sh/v1alpha1 ScaledObject named after the target, in its namespace, with defaults', () => {
    expect(obj.apiVersion).toBe('keda.sh/v1alpha1');
    expect(obj.metadata).toEqual({ name: 'api', namespace: 'web', labels: { 'panfactum.com/module': 'kube_scaled_object', 'app.kubernetes.io/managed-by': 'cdktf-golden-path' } });
    expect(obj.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      pollingInterval: 30,
      cooldownPeriod: 300,
      minReplicaCount: 2, // a Service-backed target at SLA target 3 keeps 2 (seed 004)
      maxReplicaCount: 10,
      triggers: [TRIGGER],
    });
    expect(so.scaledObjectName).toBe('api');
  });

  test('removes spec.replicas from the target and adds the Polaris and kube-score exemptions', () => {
    expect(dep.spec).not.toHaveProperty('replicas');
    expect(dep.metadata.annotations).toEqual({
      'reloader.stakater.com/auto': 'true',
      'polaris.fairwinds.com/deploymentMissingReplicas-exempt': 'true',
      'kube-score/ignore': 'deployment-replicas',
    });
  });

  test('applied after the target; the target is marked; no HPA in the bundle (KEDA makes it)', () => {
    expect(manifestResource(out, 'ScaledObject').depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.api_Deployment_/)]);
    expect(autoscalerOf(d.deployment)).toEqual({ kind: 'ScaledObject', path: 'test/scaling' });
    expect(out.manifests.some((m) => m.kind === 'HorizontalPodAutoscaler')).toBe(false);
  });

  test('every prop reaches the object', () => {
    const { obj: o } = scaled({
      name: 'api-queue',
      pollingInterval: 15,
      cooldownPeriod: 120,
      minReplicaCount: 2,
      maxReplicaCount: 40,
      idleReplicaCount: 0,
      fallback: { failureThreshold: 3, replicas: 6 },
      restoreToOriginalReplicaCount: true,
      horizontalPodAutoscalerConfig: { name: 'api-hpa', scaleDown: { stabilizationWindowSeconds: 600 } },
      triggers: [
        {
          type: 'aws-sqs-queue',
          name: 'queue',
          metadata: { queueURL: 'https://sqs.us-east-2.amazonaws.com/1/q', queueLength: '50', awsRegion: 'us-east-2' },
          authenticationRef: { name: 'keda-aws', kind: 'ClusterTriggerAuthentication' },
          useCachedMetrics: true,
          metricType: 'AverageValue',
        },
      ],
    });
    expect(o.metadata.name).toBe('api-queue');
    expect(o.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      pollingInterval: 15,
      cooldownPeriod: 120,
      minReplicaCount: 2,
      maxReplicaCount: 40,
      idleReplicaCount: 0,
      fallback: { failureThreshold: 3, replicas: 6 },
      advanced: { horizontalPodAutoscalerConfig: { name: 'api-hpa', behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } }, restoreToOriginalReplicaCount: true },
      triggers: [
        {
          type: 'aws-sqs-queue',
          name: 'queue',
          metadata: { queueURL: 'https://sqs.us-east-2.amazonaws.com/1/q', queueLength: '50', awsRegion: 'us-east-2' },
          authenticationRef: { name: 'keda-aws', kind: 'ClusterTriggerAuthentication' },
          useCachedMetrics: true,
          metricType: 'AverageValue',
        },
      ],
    });
  });

  test('scale to zero is opt-in: minReplicaCount 0 is accepted', () => {
    expect(scaled({ minReplicaCount: 0, maxReplicaCount: 5 }).obj.spec.minReplicaCount).toBe(0);
  });

  test('accepts any { name, namespaceName, manifest } for a StatefulSet', () => {
    const { stack } = newStack();
    const scope = new Construct(stack, 'db');
    const m = new KubeManifest(scope, 'StatefulSet', {
      object: { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'data' }, spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } } as never,
    });
    new KubeScaledObject(stack, 'scaling', { target: { name: 'db', namespaceName: 'data', manifest: m }, maxReplicaCount: 5, triggers: [TRIGGER] });
    const out = synth(stack);
    expect(manifest(out, 'ScaledObject').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    expect(manifest(out, 'StatefulSet').spec).not.toHaveProperty('replicas');
    expect(manifest(out, 'StatefulSet').metadata.annotations).toBeUndefined();
  });

  test('an existing kube-score/ignore list is extended, not replaced', () => {
    const { dep: dp } = scaled({}, { extraAnnotations: { 'kube-score/ignore': 'pod-probes' } });
    expect(dp.metadata.annotations['kube-score/ignore']).toBe('pod-probes,deployment-replicas');
  });

  test('a workload with horizontalAutoscaling refuses a ScaledObject', () => {
    const { stack, d: dd } = deploy({ horizontalAutoscaling: HA });
    const e = errorOf(() => new KubeScaledObject(stack, 'scaling', { target: dd, maxReplicaCount: 10, triggers: [TRIGGER] }));
    expect(e.path).toBe('test/scaling');
    expect(e.field).toBe('target');
    expect(e.fix).toContain('HorizontalPodAutoscaler (test/api/HorizontalPodAutoscaler)');
  });

  test('a second ScaledObject on the same workload is refused', () => {
    const { stack, d: dd } = deploy();
    new KubeScaledObject(stack, 'one', { target: dd, maxReplicaCount: 10, triggers: [TRIGGER] });
    const e = errorOf(() => new KubeScaledObject(stack, 'two', { target: dd, maxReplicaCount: 10, triggers: [TRIGGER] }));
    expect(e.field).toBe('target');
    expect(e.fix).toContain('test/one');
  });

  test('a target that is not a Deployment/StatefulSet is refused', () => {
    const { stack } = newStack();
    const m = new KubeManifest(stack, 'cm', { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'y' } } });
    const e = errorOf(() => new KubeScaledObject(stack, 'scaling', { target: { name: 'x', namespaceName: 'y', manifest: m }, maxReplicaCount: 3, triggers: [TRIGGER] }));
    expect(e.field).toBe('target');
  });

  test('tokens do not throw', () => {
    const { stack, d: dd } = deploy();
    const max = new TerraformVariable(stack, 'max', { type: 'number' }).numberValue;
    const threshold = new TerraformVariable(stack, 'threshold', { type: 'string' }).stringValue;
    new KubeScaledObject(stack, 'scaling', { target: dd, maxReplicaCount: max, triggers: [{ type: 'prometheus', metadata: { ...TRIGGER.metadata, threshold } }] });
    const o = manifest(synth(stack), 'ScaledObject');
    expect(o.spec.maxReplicaCount).toBe('${var.max}');
    expect(o.spec.triggers[0].metadata.threshold).toBe('${var.threshold}');
  });

  test.each<[string, Partial<KubeScaledObjectProps>, string]>([
    ['maxReplicaCount below minReplicaCount', { minReplicaCount: 5, maxReplicaCount: 3 }, 'minReplicaCount/maxReplicaCount'],
    ['maxReplicaCount equal to minReplicaCount', { minReplicaCount: 3, maxReplicaCount: 3 }, 'minReplicaCount/maxReplicaCount'],
    ['minReplicaCount negative', { minReplicaCount: -1 }, 'minReplicaCount'],
    ['pollingInterval as a duration string', { pollingInterval: '30s' as unknown as number }, 'pollingInterval'],
    ['pollingInterval 0', { pollingInterval: 0 }, 'pollingInterval'],
    ['cooldownPeriod negative', { cooldownPeriod: -5 }, 'cooldownPeriod'],
    ['idleReplicaCount 1', { idleReplicaCount: 1, minReplicaCount: 2 }, 'idleReplicaCount'],
    ['idleReplicaCount not below minReplicaCount', { idleReplicaCount: 0, minReplicaCount: 0 }, 'idleReplicaCount/minReplicaCount'],
    ['no triggers', { triggers: [] }, 'triggers'],
    ['trigger without type', { triggers: [{ ...TRIGGER, type: '' }] }, 'triggers[0].type'],
    ['trigger type with spaces', { triggers: [{ ...TRIGGER, type: 'aws sqs' }] }, 'triggers[0].type'],
    ['trigger metadata value not a string', { triggers: [{ type: 'prometheus', metadata: { threshold: 100 as unknown as string } }] }, 'triggers[0].metadata.threshold'],
    ['trigger name twice', { triggers: [{ ...TRIGGER, name: 'a' }, { ...TRIGGER, name: 'a' }] }, 'triggers[1].name'],
    ['metricType invalid', { triggers: [{ ...TRIGGER, metricType: 'Average' as 'Value' }] }, 'triggers[0].metricType'],
    ['Utilization on a prometheus trigger', { triggers: [{ ...TRIGGER, metricType: 'Utilization' }] }, 'triggers[0].metricType'],
    ['authenticationRef kind', { triggers: [{ ...TRIGGER, authenticationRef: { name: 'x', kind: 'Secret' as 'TriggerAuthentication' } }] }, 'triggers[0].authenticationRef.kind'],
    ['fallback failureThreshold 0', { fallback: { failureThreshold: 0, replicas: 2 } }, 'fallback.failureThreshold'],
    ['fallback replicas 0', { fallback: { failureThreshold: 3, replicas: 0 } }, 'fallback.replicas'],
    ['fallback with a cpu trigger', { fallback: { failureThreshold: 3, replicas: 2 }, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] }, 'fallback'],
    ['HPA config name invalid', { horizontalPodAutoscalerConfig: { name: 'Bad_Name' } }, 'horizontalPodAutoscalerConfig.name'],
    ['HPA config behaviour invalid', { horizontalPodAutoscalerConfig: { scaleDown: { stabilizationWindowSeconds: -1 } } }, 'horizontalPodAutoscalerConfig.scaleDown.stabilizationWindowSeconds'],
    ['name invalid', { name: 'Api!' }, 'name'],
  ])('%s', (_, props, field) => {
    const { stack, d: dd } = deploy();
    const e = errorOf(() => new KubeScaledObject(stack, 'scaling', { target: dd, maxReplicaCount: 10, triggers: [TRIGGER], ...props } as KubeScaledObjectProps));
    expect(e.path).toBe('test/scaling');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

describe('example: addAutoscalingExamples', () => {
  const { stack } = newStack({ environment: 'production', region: 'us-east-2', slaTarget: 3 });
  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'web' });
  const ex = addAutoscalingExamples(stack, namespace);
  const out = synth(stack);

  test('an HPA-scaled Deployment without replicas, reading the ConfigMap and the ExternalSecret', () => {
    expect(manifest(out, 'HorizontalPodAutoscaler', 'api').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    const dep = manifest(out, 'Deployment', 'api');
    expect(dep.spec).not.toHaveProperty('replicas');
    const env = dep.spec.template.spec.containers[0].env;
    expect(env).toEqual(expect.arrayContaining([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'LOG_LEVEL', optional: false } } }]));
    const volumes = dep.spec.template.spec.volumes.map((v: any) => v.secret?.secretName).filter(Boolean);
    expect(volumes).toContain(ex.secrets.secretName);
    expect(manifest(out, 'ExternalSecret', 'api-secrets').spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: '/api/password' } }]);
  });

  test('the Deployment is applied after its ConfigMap and ExternalSecret', () => {
    const deps = manifestResource(out, 'Deployment').depends_on;
    expect(deps).toEqual(expect.arrayContaining([expect.stringMatching(/ConfigMap/), expect.stringMatching(/ExternalSecret/)]));
  });
});
