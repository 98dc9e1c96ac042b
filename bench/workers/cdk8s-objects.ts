/**
 * The workloads of the cdk8s-plus-32 worker and of the cdktf-cdk8s worker (which turns the
 * same cdk8s charts into `kubernetes_manifest` resources): per workload the objects of
 * KubeDeployment as far as cdk8s-plus can express them. Deployment (port, liveness and
 * readiness probes, dedicated ServiceAccount), Service, pod-reader Role + RoleBinding,
 * HorizontalPodAutoscaler (when ours emits one) through the L2 constructs;
 * PodDisruptionBudget through the L1 class cdk8s-plus ships (it has no L2 for it) and
 * VerticalPodAutoscaler as a plain ApiObject (a CRD it does not model).
 *
 * The modules are passed in, so that each worker times their `require()` itself.
 */
import type { Construct as ConstructType } from 'constructs';
import { ENVIRONMENTS, HPA, IMAGE, NAMESPACE, PORT, workloadName } from './common';

export interface Cdk8sModules {
  readonly constructs: typeof import('constructs');
  readonly cdk8s: typeof import('cdk8s');
  readonly kplus: typeof import('cdk8s-plus-32');
  readonly k8s: typeof import('cdk8s-plus-32/lib/imports/k8s');
}

export const CDK8S_NOTE = 'PodDisruptionBudget via the L1 KubePodDisruptionBudget, VerticalPodAutoscaler via ApiObject (no L2 in cdk8s-plus)';

/** One Chart for `env` in `app` holding `n` workloads. */
export function buildChart(m: Cdk8sModules, app: ConstructType, env: (typeof ENVIRONMENTS)[number], n: number, hpa: boolean): InstanceType<typeof import('cdk8s').Chart> {
  const { cdk8s, kplus } = m;
  const chart = new cdk8s.Chart(app, env.environment, {
    namespace: NAMESPACE,
    labels: { 'panfactum.com/environment': env.environment, 'panfactum.com/region': env.region },
  });
  for (let i = 0; i < n; i++) {
    const name = workloadName(i);
    const scope = new m.constructs.Construct(chart, name); // a construct scope per workload, as KubeDeployment is
    const sa = new kplus.ServiceAccount(scope, 'sa', { metadata: { name: `${name}-sa` }, automountToken: true });
    const deployment = new kplus.Deployment(scope, 'deployment', {
      metadata: { name },
      serviceAccount: sa,
      replicas: hpa ? undefined : 1,
      containers: [
        {
          name: 'app',
          image: `${IMAGE.registry}/${IMAGE.repository}:${IMAGE.tag}`,
          ports: [{ number: PORT, name: 'http' }],
          liveness: kplus.Probe.fromHttpGet('/healthz', { port: PORT }),
          readiness: kplus.Probe.fromHttpGet('/ready', { port: PORT }),
          resources: { cpu: { request: kplus.Cpu.millis(10) }, memory: { request: cdk8s.Size.mebibytes(100), limit: cdk8s.Size.mebibytes(130) } },
        },
      ],
    });
    deployment.exposeViaService({ name, ports: [{ port: PORT, targetPort: PORT }] });
    const role = new kplus.Role(scope, 'role', { metadata: { name: `${name}-pod-reader` } });
    role.allowRead(kplus.ApiResource.PODS);
    role.bind(sa);
    new m.k8s.KubePodDisruptionBudget(scope, 'pdb', {
      metadata: { name },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    new cdk8s.ApiObject(scope, 'vpa', {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: { name },
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, updatePolicy: { updateMode: 'Auto' } },
    });
    if (hpa) {
      new kplus.HorizontalPodAutoscaler(scope, 'hpa', {
        target: deployment,
        minReplicas: HPA.minReplicas,
        maxReplicas: HPA.maxReplicas,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(HPA.targetCpuUtilization))],
      });
    }
  }
  return chart;
}
