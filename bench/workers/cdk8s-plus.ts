/**
 * Worker (b): cdk8s-plus-32. Per workload the same Kubernetes objects as far as it can
 * express them: Deployment (port, liveness and readiness probes, dedicated
 * ServiceAccount), Service, pod-reader Role + RoleBinding, HorizontalPodAutoscaler (when
 * ours emits one) through the L2 constructs; PodDisruptionBudget through the L1 class
 * cdk8s-plus ships (it has no L2 for it) and VerticalPodAutoscaler as a plain ApiObject
 * (a CRD it does not model). One Chart per environment, app.synth() to YAML files.
 */
import { HPA, IMAGE, NAMESPACE, PORT, ENVIRONMENTS, cpuMs, liveHeapMb, now, peakRssMb, readTask, report, tempOutdir, workloadName, runResult } from './common';

const task = readTask();
const t0 = now();
const u0 = cpuMs();
/* eslint-disable @typescript-eslint/no-require-imports */
const { Construct } = require('constructs') as typeof import('constructs');
const cdk8s = require('cdk8s') as typeof import('cdk8s');
const kplus = require('cdk8s-plus-32') as typeof import('cdk8s-plus-32');
const importMs = now() - t0;
const importCpuMs = cpuMs() - u0;
const { KubePodDisruptionBudget } = require('cdk8s-plus-32/lib/imports/k8s') as typeof import('cdk8s-plus-32/lib/imports/k8s');
/* eslint-enable @typescript-eslint/no-require-imports */

const out = tempOutdir('cdk8s-plus');
const c0 = now();
const cpu0 = cpuMs();
const app = new cdk8s.App({ outdir: out.dir });
for (const env of ENVIRONMENTS) {
  const chart = new cdk8s.Chart(app, env.environment, {
    namespace: NAMESPACE,
    labels: { 'panfactum.com/environment': env.environment, 'panfactum.com/region': env.region },
  });
  for (let i = 0; i < task.n; i++) {
    const name = workloadName(i);
    const scope = new Construct(chart, name); // a construct scope per workload, as KubeDeployment is
    const sa = new kplus.ServiceAccount(scope, 'sa', { metadata: { name: `${name}-sa` }, automountToken: true });
    const deployment = new kplus.Deployment(scope, 'deployment', {
      metadata: { name },
      serviceAccount: sa,
      replicas: task.hpa ? undefined : 1,
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
    new KubePodDisruptionBudget(scope, 'pdb', {
      metadata: { name },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: deployment.matchLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    new cdk8s.ApiObject(scope, 'vpa', {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: { name },
      spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, updatePolicy: { updateMode: 'Auto' } },
    });
    if (task.hpa) {
      new kplus.HorizontalPodAutoscaler(scope, 'hpa', {
        target: deployment,
        minReplicas: HPA.minReplicas,
        maxReplicas: HPA.maxReplicas,
        metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(HPA.targetCpuUtilization))],
      });
    }
  }
}
const c1 = now();
app.synth();
const c2 = now();
const cpu2 = cpuMs();
const rss = peakRssMb();
const live = liveHeapMb();
const kinds = app.charts.flatMap((c) => c.node.findAll().filter((x): x is InstanceType<typeof cdk8s.ApiObject> => x instanceof cdk8s.ApiObject).map((o) => o.kind));
out.cleanup();

const marks = { importMs, importCpuMs, c0, c1, c2, cpu0, cpu2, peakRssMb: rss, liveHeapMb: live };
report(runResult('cdk8s-plus', task.n, marks, kinds, ['PodDisruptionBudget via the L1 KubePodDisruptionBudget, VerticalPodAutoscaler via ApiObject (no L2 in cdk8s-plus)']));
