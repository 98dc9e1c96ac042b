/**
 * Issue 19, deliverable 1: the audit rules follow the seeds (/work/shared/seeds: 000 Panfactum's
 * workload guide, 001 maintenance controllers, 002 networking, 003 and 004 production practice).
 * Where a rule and a seed disagreed, the rule now follows the seed; docs/audit.md lists every rule
 * with what was checked ("The rules against the seeds").
 */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, AuditBundle, evaluateAudit } from '../lib/audit';

const labels = { app: 'api' };

/** A Service-backed Deployment that passes every rule (no preStop hook: seed 004). */
function objects() {
  const container: any = {
    name: 'api', image: 'registry.example.com/shop/api:1.4.2@sha256:0f3a', imagePullPolicy: 'Always',
    ports: [{ name: 'http', containerPort: 8080 }],
    livenessProbe: { httpGet: { path: '/livez', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 2 },
    resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '100Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  const pod: any = {
    serviceAccountName: 'api', automountServiceAccountToken: false, terminationGracePeriodSeconds: 30, containers: [container], volumes: [{ name: 'tmp', emptyDir: {} }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }],
  };
  const dep: any = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } } };
  const list: any[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false },
    dep,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: labels } } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } },
  ];
  return { list, dep, pod, container };
}

type O = ReturnType<typeof objects>;
const bundle = (o: O, extra: any[] = []): AuditBundle => ({ k8s: [...o.list, ...extra].map((object) => ({ object, path: `shop/${object.kind}/${object.metadata.name}` })), aws: [] });
const run = (o: O, extra: any[] = [], strict = false) => evaluateAudit(bundle(o, extra), { context: { slaTarget: 3, strict } });
const of = (o: O, rule: string, extra: any[] = [], strict = false) => run(o, extra, strict).findings.filter((f) => f.rule === rule);

describe('the baseline passes every rule', () => {
  test('no finding at all', () => {
    expect(run(objects()).findings.map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });
});

describe('GP-REL-005 follows seed 004: SIGTERM handling in the app, never a preStop sleep', () => {
  test('a Service-backed container without a preStop hook is fine (the rule used to advise "add a preStop sleep (5-10s)")', () => {
    expect(of(objects(), 'GP-REL-005')).toEqual([]);
  });

  test('a preStop sleep is reported as seed 004\'s Don\'t, and the advice is to handle SIGTERM in the app', () => {
    const o = objects();
    o.container.lifecycle = { preStop: { exec: { command: ['/bin/sh', '-c', 'sleep 10'] } } };
    const [f] = of(o, 'GP-REL-005');
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/seed 004 lists under Don't; remove the preStop hook and handle SIGTERM in the app/);
  });

  test('the grace period must still cover a preStop hook that exists', () => {
    const o = objects();
    o.container.lifecycle = { preStop: { sleep: { seconds: 30 } } };
    const warn = of(o, 'GP-REL-005').filter((f) => f.severity === 'warn');
    expect(warn.map((f) => f.message)).toEqual([expect.stringMatching(/terminationGracePeriodSeconds 30 does not cover container api's preStop hook \(30 s\).*at least 35/)]);
    o.pod.terminationGracePeriodSeconds = 35;
    expect(of(o, 'GP-REL-005').filter((f) => f.severity === 'warn')).toEqual([]);
  });

  test('a grace period too short for the app to finish its requests after SIGTERM is a warning', () => {
    const o = objects();
    o.pod.terminationGracePeriodSeconds = 2;
    const [f] = of(o, 'GP-REL-005');
    expect(f.severity).toBe('warn');
    expect(f.message).toMatch(/handle SIGTERM in the app \(seed 004\) and set terminationGracePeriodSeconds/);
  });

  test('no message of any rule advises adding a preStop sleep', () => {
    for (const change of [(o: O) => { o.pod.terminationGracePeriodSeconds = 1; }, (o: O) => { o.container.lifecycle = { preStop: { sleep: { seconds: 30 } } }; }, () => undefined]) {
      const o = objects();
      change(o);
      for (const f of run(o).findings) expect(f.message).not.toMatch(/add a preStop|preStop (sleep|delay) \(|sleep in preStop/i);
    }
    expect(ALL_RULES.find((r) => r.id === 'GP-REL-005')!.help).not.toMatch(/should sleep in preStop/);
  });
});

describe('GP-REL-007 follows seed 004: "a minimum of 2 replicas ... for redundancy", in strict mode too', () => {
  test('2 replicas pass in strict mode (the rule used to want 3 there)', () => {
    expect(of(objects(), 'GP-REL-007', [], true)).toEqual([]);
  });

  test('1 replica is a warning, naming the prop', () => {
    const o = objects();
    o.dep.spec.replicas = 1;
    expect(of(o, 'GP-REL-007').map((f) => `${f.severity} ${f.message}`)).toEqual([expect.stringMatching(/^warn .*set replicas to at least 2/)]);
  });

  test('a StatefulSet\'s replica count follows the app (seed 003): advisory', () => {
    const o = objects();
    o.dep.kind = 'StatefulSet';
    o.dep.spec.replicas = 1;
    o.dep.spec.serviceName = 'api';
    expect(of(o, 'GP-REL-007').map((f) => f.severity)).toEqual(['info']);
  });
});

describe('GP-REL-015 agrees with Panfactum\'s kube_cron_job (inventory 5.1); no seed objects to a TTL', () => {
  test('a jobTemplate ttlSecondsAfterFinished is not a finding', () => {
    const o = objects();
    const cron = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' },
      spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 900, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { activeDeadlineSeconds: 3600, backoffLimit: 6, ttlSecondsAfterFinished: 600, template: { metadata: { labels: { job: 'report' } }, spec: { ...o.pod, restartPolicy: 'OnFailure' } } } } },
    };
    expect(run(o, [cron]).findings.filter((f) => f.rule === 'GP-REL-015')).toEqual([]);
  });
});

describe('seeds 000 and 004 on resources and memory', () => {
  test('GP-RES-002: the 1.3 headroom (seed 000) is advisory; the advice is seed 004\'s limit == request through memoryLimitMultiplier: 1', () => {
    const o = objects();
    o.container.resources.limits.memory = '333Mi';
    const [f] = of(o, 'GP-RES-002');
    expect(f.severity).toBe('info');
    expect(f.message).toMatch(/set memoryLimitMultiplier: 1/);
    expect(f.message).not.toMatch(/maximumMemory/);
  });

  test('GP-REL-008: a memory target (seed 004 allows one) is fine below the memory limit, an error at or above it', () => {
    const o = objects();
    const hpa = (averageUtilization: number) => ({
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 6, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization } } }] },
    });
    delete o.dep.spec.replicas;
    expect(of(o, 'GP-REL-008', [hpa(80)])).toEqual([]);
    expect(of(o, 'GP-REL-008', [hpa(100)]).map((f) => f.message)).toEqual([expect.stringMatching(/OOM-killed before the average reaches the target; set horizontalAutoscaling.targetMemoryUtilization to 99 or less/)]);
  });

  test('GP-RES-003: a CPU limit is an error (seed 000: "CPU limits should be avoided"; seed 004: "no cpu limit")', () => {
    const o = objects();
    o.container.resources.limits.cpu = '1';
    expect(of(o, 'GP-RES-003').map((f) => f.severity)).toEqual(['error']);
  });
});

describe('seed 004\'s Do and Don\'t lists', () => {
  test('secrets read through secretKeyRef env are allowed (Do): advisory only', () => {
    const o = objects();
    o.container.env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }];
    expect(run(o).findings.map((f) => `${f.rule} ${f.severity}`)).toEqual(['GP-SEC-008 info']);
  });

  test.each([
    ['a literal secret in env (Don\'t: "Store sensitive values in the deployment manifest")', 'GP-SEC-007', (o: O) => { o.container.env = [{ name: 'DB_PASSWORD', value: 'sensitive_value' }]; }],
    ['a secret in a ConfigMap (Don\'t: "Store sensitive values in a ConfigMap")', 'GP-SEC-007', (o: O) => { o.list.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { db_password: 'sensitive_value' } }); }],
    ['static AWS keys (Don\'t: AWS_ACCESS_KEY_ID in env)', 'GP-SEC-009', (o: O) => { o.container.env = [{ name: 'AWS_ACCESS_KEY_ID', value: 'x' }]; }],
    ['the default namespace ("Rule #1 ... avoid using the default namespace")', 'GP-OPS-001', (o: O) => { o.list[2].metadata.namespace = 'default'; }],
    ['replicas set under an HPA (Don\'t: "replicas: 2 # will override what HPA sets")', 'GP-REL-006', (o: O) => {
      o.list.push({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 2, maxReplicas: 10 } });
    }],
    ['a liveness probe that checks dependencies (cascading unavailability)', 'GP-REL-003', (o: O) => { o.container.livenessProbe.httpGet.path = '/health/db'; }],
    ['a hostPath volume ("Avoid hostPath volume type")', 'GP-SEC-001', (o: O) => { o.pod.volumes.push({ name: 'host', hostPath: { path: '/var/log' } }); }],
  ])('%s is reported', (_what, rule, change) => {
    const o = objects();
    change(o);
    expect(run(o).findings.map((f) => f.rule)).toContain(rule);
  });
});

describe('docs/audit.md checks every rule against the seeds', () => {
  test('the table "The rules against the seeds" has a row for every rule', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'audit.md'), 'utf8');
    const start = doc.indexOf('## The rules against the seeds');
    expect(start).toBeGreaterThan(0);
    const section = doc.slice(start, doc.indexOf('\n## ', start + 1));
    const rows = new Set([...section.matchAll(/^\| (GP-[A-Z]+-\d{3}) \|/gm)].map((m) => m[1]));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !rows.has(id))).toEqual([]);
  });
});
