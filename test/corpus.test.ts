import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import {
  EDGE_STACK, ESCAPE_HATCHES_STACK, IRSA_STACK, JOB_ESCAPING_STACK, MAINTENANCE_STACK, PLATFORM_STACK, WORKLOADS_STACK, buildCorpusApp,
} from './corpus';
import { unescapedTemplates } from './support/terraform-templates';

/**
 * The synthesis corpus (test/corpus/) builds, synthesizes with validation on, and each stack
 * holds what it is there to exercise. Assertions read the synthesized Terraform JSON.
 */

type Json = any;

let outdir: string;
const stacks: Record<string, Json> = {};
let names: string[] = [];

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-corpus-'));
  const app = new App({ outdir, skipValidation: false });
  names = buildCorpusApp(app).map((s) => s.node.id);
  app.synth();
  for (const name of names) {
    stacks[name] = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  }
});

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

// ---- helpers over a synthesized stack ----

/** The resources of a type, keyed by logical id. */
function resources(json: Json, type: string): Record<string, Json> {
  return json.resource?.[type] ?? {};
}
function resourceList(json: Json, type: string): Json[] {
  return Object.values(resources(json, type));
}
/** The one resource of `type` whose logical id starts with `prefix`. */
function resource(json: Json, type: string, prefix: string): Json {
  const found = Object.entries(resources(json, type)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} with id ${prefix}*, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0][1];
}
/** Every kubernetes_manifest body. */
function manifests(json: Json): Json[] {
  return resourceList(json, 'kubernetes_manifest').map((r) => r.manifest);
}
/** The kubernetes_manifest resource (not only the body) of an object. */
function manifestResource(json: Json, kind: string, name: string, namespace?: string): Json {
  const found = resourceList(json, 'kubernetes_manifest').filter(
    (r) => r.manifest.kind === kind && r.manifest.metadata.name === name && (namespace === undefined || r.manifest.metadata.namespace === namespace),
  );
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}
function manifest(json: Json, kind: string, name: string, namespace?: string): Json {
  return manifestResource(json, kind, name, namespace).manifest;
}
function kinds(json: Json): Set<string> {
  return new Set(manifests(json).map((m) => m.kind));
}
function podSpec(workload: Json): Json {
  return workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec;
}
function container(workload: Json, name: string, init = false): Json {
  const list = init ? podSpec(workload).initContainers : podSpec(workload).containers;
  const found = (list ?? []).find((c: Json) => c.name === name);
  if (!found) throw new Error(`no ${init ? 'init ' : ''}container ${name} in ${workload.kind} ${workload.metadata.name}`);
  return found;
}
/** The logical address (`type.id`) of a resource, as depends_on lists it. */
function addressOf(json: Json, type: string, prefix: string): string {
  const id = Object.keys(resources(json, type)).find((k) => k.startsWith(prefix));
  if (!id) throw new Error(`no ${type} ${prefix}*`);
  return `${type}.${id}`;
}
function idOfManifest(json: Json, kind: string, name: string): string {
  const entry = Object.entries(resources(json, 'kubernetes_manifest')).find(([, r]: [string, Json]) => r.manifest.kind === kind && r.manifest.metadata.name === name);
  if (!entry) throw new Error(`no ${kind} ${name}`);
  return `kubernetes_manifest.${entry[0]}`;
}

// ---- the corpus as a whole ----

describe('corpus', () => {
  test('builds its stacks with lowercase-with-dashes names', () => {
    expect(names).toEqual([WORKLOADS_STACK, PLATFORM_STACK, EDGE_STACK, IRSA_STACK, MAINTENANCE_STACK, ESCAPE_HATCHES_STACK, JOB_ESCAPING_STACK]);
    for (const name of names) expect(name).toMatch(/^corpus(-[a-z0-9]+)+$/);
  });

  test('every stack declares its own Kubernetes provider; AWS and Helm where used', () => {
    for (const name of names) {
      const json = stacks[name];
      expect(json.provider.kubernetes).toHaveLength(1);
      expect(json.provider.kubernetes[0].config_context).toBe('corpus');
      const types = Object.keys(json.resource ?? {});
      const data = Object.keys(json.data ?? {});
      if ([...types, ...data].some((t) => t.startsWith('aws_'))) expect(json.provider.aws?.length).toBeGreaterThanOrEqual(1);
      if (types.includes('helm_release')) expect(json.provider.helm).toHaveLength(1);
    }
    expect(stacks[EDGE_STACK].provider.aws.find((p: Json) => p.alias === 'global').region).toBe('us-east-1');
    expect(stacks[MAINTENANCE_STACK].provider.helm).toHaveLength(1);
  });

  test('every Kubernetes object is applied server-side by the library and carries the environment labels', () => {
    for (const name of names) {
      for (const r of resourceList(stacks[name], 'kubernetes_manifest')) {
        expect(r.field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
      }
      const labelled = manifests(stacks[name]).filter((m) => m.metadata.labels?.['panfactum.com/environment']);
      expect(labelled.length).toBeGreaterThan(0);
      for (const m of labelled) expect(m.metadata.labels['corpus.example.com/stack']).toBe(name);
    }
  });

  test('Kubernetes object names are unique across the corpus (the stacks can share a cluster)', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const name of names) {
      for (const m of manifests(stacks[name])) {
        const key = `${m.apiVersion} ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
        if (seen.has(key)) dupes.push(`${key} (${seen.get(key)} and ${name})`);
        seen.set(key, name);
      }
    }
    expect(dupes).toEqual([]);
  });

  test('the escape check flags literal template text and accepts references and escaped text', () => {
    const sample = {
      shell: 'echo ${HOME}', directive: '%{ if x }y%{ endif }', iam: 'arn:aws:s3:::b/${aws:username}',
      escaped: '$${HOME} %%{x}', variable: '${var.x}', attribute: '${aws_iam_role.r.arn}', call: '${replace(var.u, "a", "b")}',
      arithmetic: '${(var.n * 10)}Gi', forExpression: '${[ for k, v in local.m : v ]}',
    };
    expect(unescapedTemplates(sample).map((p) => p.split(':')[0])).toEqual(['.shell', '.directive', '.directive', '.iam']);
  });

  test('literal ${ and %{ text is escaped for Terraform everywhere (the Job replace trigger included)', () => {
    for (const name of names) {
      const json = stacks[name];
      const blocks = { resource: json.resource, data: json.data, locals: json.locals, output: json.output, provider: json.provider };
      expect({ stack: name, problems: unescapedTemplates(blocks) }).toEqual({ stack: name, problems: [] });
    }
  });
});

// ---- corpus-workloads ----

describe(WORKLOADS_STACK, () => {
  const json = () => stacks[WORKLOADS_STACK];

  test('holds every controller kind and what each emits', () => {
    expect(Object.keys(json().resource).sort()).toEqual(['kubernetes_manifest', 'kubernetes_secret_v1', 'terraform_data']);
    expect([...kinds(json())].sort()).toEqual([
      'ConfigMap', 'CronJob', 'DaemonSet', 'Deployment', 'ExternalSecret', 'HorizontalPodAutoscaler', 'Job', 'Namespace', 'NetworkPolicy',
      'PodDisruptionBudget', 'Role', 'RoleBinding', 'ScaledObject', 'Service', 'ServiceAccount', 'StatefulSet', 'VerticalPodAutoscaler',
    ]);
    const count = (kind: string) => manifests(json()).filter((m) => m.kind === kind).length;
    expect(count('Namespace')).toBe(3);
    expect(count('Deployment')).toBe(2);
    expect(count('StatefulSet')).toBe(2);
    expect(count('DaemonSet')).toBe(2);
    expect(count('CronJob')).toBe(2);
    expect(count('Job')).toBe(2);
    expect(count('HorizontalPodAutoscaler')).toBe(2);
  });

  test('namespaces: one per Pod Security Standard, groups, network-policy layer', () => {
    const level = (ns: string) => manifest(json(), 'Namespace', ns).metadata.labels['pod-security.kubernetes.io/enforce'];
    expect([level('corpus-apps'), level('corpus-data'), level('corpus-agents')]).toEqual(['baseline', 'restricted', 'privileged']);
    const admins = manifest(json(), 'RoleBinding', 'namespace:admins', 'corpus-apps');
    expect(admins.subjects.map((s: Json) => s.name)).toEqual(['corpus:admins', 'corpus:oncall']);
    expect(() => manifest(json(), 'RoleBinding', 'namespace:readers', 'corpus-data')).toThrow();
    const policies = manifests(json()).filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'corpus-apps').map((m) => m.metadata.name);
    expect(policies).toEqual(expect.arrayContaining(['default-deny', 'allow-dns', 'allow-same-namespace', 'allow-linkerd', 'allow-ingress-controller', 'allow-ingress', 'allow-egress', 'api-network-policy']));
    expect(manifests(json()).filter((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'corpus-agents')).toEqual([]);
  });

  test('api Deployment: init container, native sidecar, two containers, every probe type', () => {
    const api = manifest(json(), 'Deployment', 'api');
    expect(podSpec(api).initContainers.map((c: Json) => [c.name, c.restartPolicy])).toEqual([['render-config', undefined], ['log-shipper', 'Always']]);
    expect(podSpec(api).containers.map((c: Json) => c.name)).toEqual(['api', 'cache']);
    const main = container(api, 'api');
    expect(main.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080, scheme: 'HTTP' });
    expect(main.readinessProbe.httpGet.path).toBe('/ready');
    expect(main.startupProbe).toBeDefined();
    expect(main.ports.map((p: Json) => p.name)).toEqual(['http', 'grpc', 'metrics']);
    const cache = container(api, 'cache');
    expect(cache.livenessProbe.tcpSocket).toEqual({ port: 6380 });
    expect(cache.readinessProbe.exec.command).toEqual(['redis-cli', '-p', '6380', 'ping']);
    expect(container(api, 'log-shipper', true).livenessProbe.exec).toBeDefined();
    expect(main.securityContext).toMatchObject({ runAsUser: 10001, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] } });
    expect(main.resources.limits.cpu).toBeDefined();
  });

  test('api Deployment: literal shell text reaches the API escaped for Terraform', () => {
    const api = manifest(json(), 'Deployment', 'api');
    expect(container(api, 'render-config', true).command[2]).toBe('echo "home=$${HOME} user=$${USER:-nobody}" > /tmp/scratch/env && echo "%%{not a directive}"');
    expect(container(api, 'api').env).toContainEqual({ name: 'SHELL_HINT', value: 'use $${HOME}/bin' });
  });

  test('api Deployment: env from a generated Secret, Secrets and ConfigMaps; volumes and mounts', () => {
    const api = manifest(json(), 'Deployment', 'api');
    const env = container(api, 'api').env;
    const byName = (n: string) => env.find((e: Json) => e.name === n);
    expect(byName('DB_PASSWORD').valueFrom.secretKeyRef.key).toBe('DB_PASSWORD');
    expect(byName('API_TOKEN').valueFrom.secretKeyRef).toMatchObject({ name: 'api-secrets-synced', key: 'api-token' });
    expect(byName('LOG_LEVEL').valueFrom.configMapKeyRef).toMatchObject({ name: 'api-config', key: 'LOG_LEVEL' });
    expect(byName('POD_IP')).toBeDefined();
    const secret = resourceList(json(), 'kubernetes_secret_v1')[0];
    expect(secret.data.DB_PASSWORD).toBe('${var.api_db_password}');
    const volumes = podSpec(api).volumes;
    expect(volumes.some((v: Json) => v.emptyDir)).toBe(true);
    expect(volumes.some((v: Json) => v.ephemeral)).toBe(true);
    expect(volumes.some((v: Json) => v.secret?.secretName === 'api-secrets-synced')).toBe(true);
    expect(volumes.filter((v: Json) => v.configMap).length).toBe(2);
    const mounts = container(api, 'api').volumeMounts.map((m: Json) => m.mountPath);
    expect(mounts).toEqual(expect.arrayContaining(['/tmp/scratch', '/var/cache/api', '/etc/api/secrets/username', '/etc/api/secrets/password', '/etc/nginx/conf.d', '/srv/static']));
  });

  test('api Deployment: HPA on memory owns replicas, VPA keeps CPU, PDB, Service, scheduling, ordering', () => {
    const w = json();
    const api = manifest(w, 'Deployment', 'api');
    expect(api.spec.replicas).toBeUndefined();
    expect(api.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: expect.objectContaining({ maxSurge: '50%' }) });
    const hpa = manifest(w, 'HorizontalPodAutoscaler', 'api');
    expect(hpa.spec.metrics.map((m: Json) => m.resource.name)).toEqual(['memory']);
    expect(hpa.spec.behavior.scaleUp.policies).toHaveLength(2);
    const vpa = manifest(w, 'VerticalPodAutoscaler', 'api');
    expect(vpa.spec.resourcePolicy.containerPolicies[0].controlledResources).toEqual(['cpu']);
    expect(manifest(w, 'PodDisruptionBudget', 'api-pdb').spec).toMatchObject({ maxUnavailable: 2, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    const svc = manifest(w, 'Service', 'api-svc');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports.map((p: Json) => p.name)).toEqual(['http', 'grpc', 'redis']);
    expect(svc.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('api.corpus.example.com');
    const spec = podSpec(api);
    expect(spec.topologySpreadConstraints.some((t: Json) => t.whenUnsatisfiable === 'DoNotSchedule')).toBe(true);
    expect(spec.tolerations).toContainEqual({ key: 'corpus.example.com/draining', operator: 'Exists', effect: 'NoExecute' });
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeDefined();
    expect(spec.priorityClassName).toBe('workload-important');
    expect(api.metadata.annotations['corpus.example.com/runbook']).toBeDefined();
    const r = manifestResource(w, 'Deployment', 'api');
    expect(r.wait).toEqual({ rollout: true });
    expect(r.timeouts).toEqual({ create: '15m', update: '15m' });
    expect(r.depends_on).toContain(idOfManifest(w, 'Job', 'db-migrate'));
  });

  test('migration Job waits for success and is replaced through terraform_data; the seed Job does not wait', () => {
    const w = json();
    const migrate = manifestResource(w, 'Job', 'db-migrate');
    expect(migrate.wait).toEqual({ fields: { 'status.succeeded': '1' } });
    expect(migrate.timeouts).toEqual({ create: '20m', update: '20m' });
    expect(migrate.manifest.spec.podFailurePolicy.rules).toHaveLength(4);
    const trigger = resource(w, 'terraform_data', 'migrate_ReplaceTrigger');
    expect(trigger.triggers_replace.job.metadata.name).toBe('db-migrate');
    expect(migrate.lifecycle.replace_triggered_by).toEqual([addressOf(w, 'terraform_data', 'migrate_ReplaceTrigger')]);
    const seed = manifestResource(w, 'Job', 'db-seed');
    expect(seed.wait).toBeUndefined();
    expect(seed.manifest.spec).toMatchObject({ parallelism: 3, completions: 3, backoffLimit: 0 });
    expect(seed.depends_on).toContain(idOfManifest(w, 'Job', 'db-migrate'));
    expect(resource(w, 'terraform_data', 'seed_ReplaceTrigger')).toBeDefined();
  });

  test('KEDA ScaledObject scales the worker, which has no replica count', () => {
    const so = manifest(json(), 'ScaledObject', 'queue-worker-scaler');
    expect(so.spec.triggers.map((t: Json) => t.type)).toEqual(['aws-sqs-queue', 'prometheus', 'cron']);
    expect(so.spec).toMatchObject({ minReplicaCount: 1, maxReplicaCount: 40, idleReplicaCount: 0, fallback: { failureThreshold: 3, replicas: 6 } });
    expect(so.spec.advanced.horizontalPodAutoscalerConfig.name).toBe('queue-worker-keda-hpa');
    const worker = manifest(json(), 'Deployment', 'queue-worker');
    expect(worker.spec.replicas).toBeUndefined();
    expect(worker.spec.strategy.type).toBe('Recreate');
    expect(() => manifest(json(), 'VerticalPodAutoscaler', 'queue-worker')).toThrow();
  });

  test('StatefulSets: claim templates (one out of backups), HPA, headless Services', () => {
    const pg = manifest(json(), 'StatefulSet', 'postgres');
    expect(pg.spec.volumeClaimTemplates.map((t: Json) => t.metadata.name)).toEqual(['data', 'wal']);
    const wal = pg.spec.volumeClaimTemplates[1];
    expect(wal.metadata.labels['velero.io/exclude-from-backup']).toBe('true');
    expect(pg.spec.volumeClaimTemplates[0].spec.accessModes).toEqual(['ReadWriteOncePod']);
    expect(pg.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Delete', whenScaled: 'Retain' });
    expect(pg.spec.podManagementPolicy).toBe('Parallel');
    expect(pg.spec.replicas).toBeUndefined();
    expect(manifest(json(), 'HorizontalPodAutoscaler', 'postgres').spec.metrics).toHaveLength(2);
    expect(() => manifest(json(), 'VerticalPodAutoscaler', 'postgres')).toThrow();
    expect(manifest(json(), 'Service', 'postgres-headless').spec.clusterIP).toBe('None');
    expect(manifest(json(), 'Service', 'postgres-rw').spec.type).toBe('ClusterIP');
    const redis = manifest(json(), 'StatefulSet', 'redis');
    expect(redis.spec).toMatchObject({ replicas: 3, updateStrategy: { type: 'OnDelete' } });
    expect(manifest(json(), 'Service', 'redis-headless').spec.ports).toBeUndefined();
    expect(() => manifest(json(), 'Service', 'redis')).toThrow();
  });

  test('DaemonSets: privileged host-network agent with rolling updates, OnDelete log agent', () => {
    const agent = manifest(json(), 'DaemonSet', 'node-agent');
    expect(podSpec(agent)).toMatchObject({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', priorityClassName: 'system-node-critical' });
    expect(container(agent, 'agent').securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    expect(agent.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 0 } });
    expect(manifestResource(json(), 'DaemonSet', 'node-agent').wait).toEqual({ rollout: true });
    expect(manifest(json(), 'DaemonSet', 'log-agent').spec.updateStrategy).toEqual({ type: 'OnDelete' });
  });

  test('CronJobs: every schedule option', () => {
    const report = manifest(json(), 'CronJob', 'hourly-report');
    expect(report.spec).toMatchObject({
      schedule: '*/15 9-17 * * MON-FRI', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 1, suspend: false, startingDeadlineSeconds: 300,
    });
    expect(report.spec.jobTemplate.spec).toMatchObject({ parallelism: 2, completions: 4, backoffLimit: 2, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 300 });
    expect(container(report, 'prepare', true).command[2]).toBe('mkdir -p /tmp/out && echo $${HOSTNAME}');
    expect(manifest(json(), 'CronJob', 'nightly-cleanup').spec).toMatchObject({ schedule: '@daily', suspend: true });
  });

  test('standalone Services of every emitted type', () => {
    const svc = (name: string) => manifest(json(), 'Service', name).spec;
    expect(svc('api-internal')).toMatchObject({ type: 'ClusterIP', clusterIP: '172.20.0.50', internalTrafficPolicy: 'Local' });
    expect(svc('postgres-peers')).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(svc('api-nodeport')).toMatchObject({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(svc('api-public')).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb' });
    const nlb = manifest(json(), 'Service', 'api-public').metadata.annotations;
    expect(nlb['service.beta.kubernetes.io/aws-load-balancer-target-group-attributes']).toContain('deregistration_delay.timeout_seconds=30');
    expect(nlb['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internal');
    expect(svc('api-metallb')).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'metallb.universe.tf/metallb' });
  });

  test('ConfigMaps (nginx text escaped, immutable with a hashed name) and the ExternalSecret', () => {
    const config = manifest(json(), 'ConfigMap', 'api-config');
    expect(config.data['nginx.conf']).toContain('proxy_set_header Host $${host};');
    expect(config.data['template.tmpl']).toBe('%%{ if enabled }on%%{ endif }');
    const immutable = manifests(json()).find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('api-static-'));
    expect(immutable).toMatchObject({ immutable: true, binaryData: { 'favicon.ico': expect.any(String) } });
    const es = manifest(json(), 'ExternalSecret', 'api-secrets');
    expect(es.spec.secretStoreRef).toEqual({ name: 'corpus-parameter-store', kind: 'SecretStore' });
    expect(es.spec.data).toHaveLength(3);
    expect(es.spec.dataFrom).toHaveLength(2);
    expect(es.spec.target.template.engineVersion).toBe('v2');
  });
});

// ---- corpus-platform ----

describe(PLATFORM_STACK, () => {
  const json = () => stacks[PLATFORM_STACK];

  test('priority classes without the Panfactum ones', () => {
    const classes = manifests(json()).filter((m) => m.kind === 'PriorityClass');
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(['corpus-batch', 'corpus-best-effort', 'corpus-default']);
    expect(classes.find((c) => c.metadata.name === 'corpus-default').globalDefault).toBe(true);
    expect(classes.find((c) => c.metadata.name === 'corpus-batch').preemptionPolicy).toBe('Never');
  });

  test('node image cache: images from workloads before and after it, and added directly', () => {
    const pinned = manifest(json(), 'ImageCache', 'corpus-images-pinned', 'corpus-image-cache');
    const prepulled = manifest(json(), 'ImageCache', 'corpus-images-prepulled', 'corpus-image-cache');
    const images = (ic: Json) => ic.spec.cacheSpec.flatMap((c: Json) => c.images);
    expect(images(pinned)).toEqual(expect.arrayContaining(['docker.io/nginxinc/nginx-unprivileged:1.27.1', 'docker.io/library/caddy:2.8.4', 'docker.io/library/postgres:16.4']));
    expect(images(prepulled)).toEqual(expect.arrayContaining(['docker.io/library/debian:bookworm-slim', 'public.ecr.aws/aws-cli/aws-cli:2.17.0']));
    // Pinned wins: busybox is pre-pull-only nowhere, the workflow's init container pins it.
    expect(images(pinned)).toContain('docker.io/library/busybox:1.37.0');
    expect(images(prepulled)).not.toContain('docker.io/library/busybox:1.37.0');
    expect([...images(pinned), ...images(prepulled)].some((i: string) => i.includes('alpine'))).toBe(false);
    expect(pinned.spec.imagePullSecrets).toEqual([{ name: 'ecr-pull' }, { name: 'ghcr-pull' }]);
    expect(manifestResource(json(), 'ImageCache', 'corpus-images-pinned').depends_on).toContain(idOfManifest(json(), 'Namespace', 'corpus-image-cache'));
  });

  test('Argo WorkflowTemplate: steps, DAG, container templates with init containers and sidecars', () => {
    const wf = manifest(json(), 'WorkflowTemplate', 'data-pipeline');
    expect(wf.spec.entrypoint).toBe('main');
    expect(wf.spec.templates.map((t: Json) => t.name)).toEqual(['main', 'fan-out', 'run', 'load']);
    expect(wf.spec).toMatchObject({ parallelism: 4, activeDeadlineSeconds: 7200, podGC: { strategy: 'OnWorkflowSuccess', deleteDelayDuration: '30s' }, ttlStrategy: { secondsAfterSuccess: 300, secondsAfterFailure: 172800 } });
    expect(wf.spec.arguments.parameters).toContainEqual({ name: 'mode', value: 'incremental', enum: ['incremental', 'full'] });
    const run = wf.spec.templates[2];
    expect(run.initContainers.map((c: Json) => c.name)).toEqual(['fetch-config']);
    expect(run.retryStrategy.limit).toBe(5);
    expect(run.container.command[2]).toContain('in $${HOME}');
    expect(wf.spec.templates[3].initContainers[0].restartPolicy).toBe('Always');
    expect(wf.spec.templates[1].dag.tasks[2]).toMatchObject({ name: 'load', dependencies: ['transform'] });
    expect(manifest(json(), 'NetworkPolicy', 'data-pipeline-network-policy').spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });

  test('KubeNetworkPolicy for workloads, ordered after the namespace', () => {
    const early = manifestResource(json(), 'NetworkPolicy', 'early-web-network-policy');
    expect(early.depends_on).toEqual([idOfManifest(json(), 'Namespace', 'corpus-platform')]);
    expect(JSON.stringify(early.manifest.spec.ingress)).toContain('8081');
    expect(JSON.stringify(early.manifest.spec.egress)).not.toContain('kube-dns');
    expect(manifest(json(), 'NetworkPolicy', 'late-web-network-policy').spec.ingress[0].from[0].ipBlock).toEqual({ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] });
  });
});

// ---- corpus-edge ----

describe(EDGE_STACK, () => {
  const json = () => stacks[EDGE_STACK];

  test('resource types of the edge', () => {
    expect(Object.keys(json().resource).sort()).toEqual([
      'aws_acm_certificate', 'aws_acm_certificate_validation', 'aws_cloudfront_cache_policy', 'aws_cloudfront_distribution', 'aws_cloudfront_function',
      'aws_cloudfront_origin_request_policy', 'aws_cloudfront_response_headers_policy', 'aws_route53_record', 'aws_s3_bucket',
      'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_public_access_block',
      'aws_s3_bucket_server_side_encryption_configuration', 'aws_wafv2_web_acl', 'kubernetes_manifest',
    ]);
    // aws_ec2_managed_prefix_list: CloudFront's origin-facing ranges for the CDN-mode ingress's origin protection.
    expect(Object.keys(json().data).sort()).toEqual(['aws_ec2_managed_prefix_list', 'aws_region', 'aws_route53_zone']);
    expect(resourceList(json(), 'aws_cloudfront_distribution')).toHaveLength(2);
  });

  test('a CloudFront distribution with a WAF, geo allow-list, logging, error pages, functions and path behaviours', () => {
    const dist = resource(json(), 'aws_cloudfront_distribution', 'web-cdn_Distribution');
    const waf = addressOf(json(), 'aws_wafv2_web_acl', 'cdn-waf');
    expect(dist.web_acl_id).toBe(`\${${waf}.arn}`);
    expect(resource(json(), 'aws_wafv2_web_acl', 'cdn-waf')).toMatchObject({ scope: 'CLOUDFRONT', provider: 'aws.global' });
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: 'whitelist', locations: ['US', 'CA', 'DE', 'GB'] });
    expect(dist.price_class).toBe('PriceClass_All');
    expect(dist.logging_config).toMatchObject({ include_cookies: true });
    expect(dist.custom_error_response.map((e: Json) => e.error_code)).toEqual([404, 503, 500]);
    expect(dist.viewer_certificate.minimum_protocol_version).toBe('TLSv1.2_2025');
    expect(dist.aliases).toEqual(['www.corpus.example.com', 'corpus.example.com', 'assets.corpus.example.com']);
    expect(dist.origin).toHaveLength(3);
    for (const o of dist.origin) expect(o.origin_shield.enabled).toBe(true);
    const headers = dist.origin.flatMap((o: Json) => o.custom_header.map((h: Json) => h.name));
    expect(headers).toEqual(expect.arrayContaining(['X-Corpus-Origin', 'X-Origin-Verify', 'X-Assets-Key']));
    expect(dist.ordered_cache_behavior.map((b: Json) => b.path_pattern)).toEqual(expect.arrayContaining(['/assets/fonts/*', '/assets/*', '/static/*', '/api/*', '/*.js', '/*']));
    const events = new Set(dist.ordered_cache_behavior.flatMap((b: Json) => b.function_association.map((f: Json) => f.event_type)));
    expect([...events].sort()).toEqual(['viewer-request', 'viewer-response']);
    expect(dist.default_cache_behavior.function_association[0].event_type).toBe('viewer-request');
    for (const fn of resourceList(json(), 'aws_cloudfront_function')) expect(fn.provider).toBe('aws.global');
    for (const cert of resourceList(json(), 'aws_acm_certificate')) expect(cert.provider).toBe('aws.global');
    expect(resource(json(), 'aws_s3_bucket_lifecycle_configuration', 'web-cdn_LogBucketLifecycle').rule[0].expiration[0].days).toBe(90);
  });

  test('the second distribution: literal WAF ARN, geo block-list, given shield region and headers policy', () => {
    const dist = resource(json(), 'aws_cloudfront_distribution', 'admin-cdn_Distribution');
    expect(dist.web_acl_id).toMatch(/^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//);
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: 'blacklist', locations: ['KP', 'IR'] });
    expect(dist.origin[0].origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-central-1' });
    expect(dist.default_cache_behavior.response_headers_policy_id).toBe('67f7725c-6f97-4210-82d7-5512b31e9d03');
    expect(dist.logging_config).toBeUndefined();
  });

  test('ingresses: CDN origins, rewrites, redirects, headers, CORS, certificate', () => {
    const ingresses = manifests(json()).filter((m) => m.kind === 'Ingress');
    expect(ingresses).toHaveLength(7);
    const web = ingresses.filter((i) => i.metadata.name.startsWith('web-') && !i.metadata.name.includes('redirect'));
    expect(web).toHaveLength(4);
    for (const i of web) {
      expect(i.metadata.annotations['nginx.ingress.kubernetes.io/upstream-vhost']).toBe('$host');
      expect(i.metadata.annotations['corpus.example.com/upstream-template']).toBe('$${host}');
      expect(i.metadata.annotations['nginx.ingress.kubernetes.io/whitelist-source-range']).toMatch(/^\$\{join\(",", sort\(distinct\(\[ for key, val in toset\(tolist\(data\.aws_ec2_managed_prefix_list\./);
      expect(i.metadata.annotations['nginx.ingress.kubernetes.io/enable-cors']).toBe('true');
      expect(i.spec.tls[0].secretName).toBe('web-tls');
      expect(i.spec.rules.length).toBe(4); // two domains and their CDN origin hosts
    }
    expect(web.map((i) => i.metadata.annotations['nginx.ingress.kubernetes.io/rewrite-target']).sort()).toEqual(['/$1', '/$1', '/items/$1', '/v2/$1']);
    const redirects = ingresses.filter((i) => i.metadata.name.includes('-redirect-'));
    expect(redirects.map((r) => Object.keys(r.metadata.annotations).find((k) => k.endsWith('redirect') && k !== 'nginx.ingress.kubernetes.io/ssl-redirect')).sort())
      .toEqual(['nginx.ingress.kubernetes.io/permanent-redirect', 'nginx.ingress.kubernetes.io/temporal-redirect']);
    const headers = manifest(json(), 'ConfigMap', 'web-response-headers').data;
    expect(headers['Content-Security-Policy']).toContain('report-to csp-endpoint');
    expect(headers['Permissions-Policy']).toContain('camera=(self)');
    expect(headers['Permissions-Policy']).not.toContain('usb=');
    expect(headers['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains; preload');
    expect(headers['Cross-Origin-Embedder-Policy']).toBe('credentialless');
    expect(manifest(json(), 'Certificate', 'web').spec.issuerRef).toEqual({ name: 'corpus-issuer', kind: 'Issuer', group: 'cert-manager.io' });
    expect(manifestResource(json(), 'Certificate', 'web').wait).toBeUndefined();
    const admin = ingresses.find((i) => i.metadata.name.startsWith('admin-'));
    expect(admin.metadata.annotations['nginx.ingress.kubernetes.io/cors-allow-origin']).toBe('*');
    expect(admin.metadata.annotations['nginx.ingress.kubernetes.io/custom-headers']).toBeUndefined();
    expect(admin.spec.tls[0].secretName).toBe('corpus-wildcard-tls');
  });
});

// ---- corpus-irsa ----

describe(IRSA_STACK, () => {
  const json = () => stacks[IRSA_STACK];

  test('one role per ServiceAccount, trusted through every issuer form', () => {
    expect(resourceList(json(), 'aws_iam_role')).toHaveLength(9);
    expect(Object.keys(json().data).sort()).toEqual(['aws_caller_identity', 'aws_eks_cluster', 'aws_iam_openid_connect_provider', 'aws_partition']);
    const clusters = resourceList({ resource: json().data }, 'aws_eks_cluster').map((c) => c.name);
    expect(clusters).toEqual(expect.arrayContaining(['corpus-cluster', 'corpus-other-cluster']));
    const trust = (prefix: string) => resource(json(), 'aws_iam_role', prefix).assume_role_policy as string;
    expect(trust('irsa-provider-arn_Role')).toContain('"Federated":"arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"');
    expect(trust('irsa-issuer-url_Role')).toContain(':oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE');
    expect(trust('irsa-provider-arn-token_Role')).toContain('${data.aws_iam_openid_connect_provider.shared-oidc.arn}');
    expect(trust('irsa-context-cluster_Role')).toContain('system:serviceaccount:corpus-irsa:bucket-reader');
    expect(json().locals).toEqual(expect.objectContaining({ [Object.keys(json().locals).find((k) => k.startsWith('irsa-issuer-variable_IssuerHost'))!]: '${replace(var.external_issuer_url, "https://", "")}' }));
  });

  test('policies: typed and JSON, IAM variables escaped, IP blocks, managed policy, session length', () => {
    expect(resource(json(), 'aws_iam_policy', 'irsa-context-cluster_Policy').policy).toContain('home/$${aws:username}/*');
    expect(resource(json(), 'aws_iam_policy', 'irsa-named-cluster_Policy').policy).toContain('corpus-data/$${aws:PrincipalTag/team}/*');
    const ipBlocks = resource(json(), 'aws_iam_policy', 'irsa-named-cluster_IpBlocksPolicy').policy;
    expect(ipBlocks).toContain('2001:db8::/32');
    expect(ipBlocks).not.toContain('s3:GetObject*'); // presigned URLs allowed
    const writer = resource(json(), 'aws_iam_role', 'irsa-named-cluster_Role');
    expect(writer).toMatchObject({ max_session_duration: 3600, tags: { team: 'data', 'cost-center': 'cc-1234' } });
    const managed = resource(json(), 'aws_iam_role_policy_attachment', 'writer-managed-readonly');
    expect(managed.policy_arn).toBe('arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess');
    expect(managed.role).toBe(`\${${addressOf(json(), 'aws_iam_role', 'irsa-named-cluster_Role')}.name}`);
  });

  test('ServiceAccounts annotated in place, or through the workloads\' own manifests', () => {
    const annotations = resourceList(json(), 'kubernetes_annotations');
    expect(annotations.map((a) => a.metadata.name).sort()).toEqual(['bucket-reader', 'bucket-writer']);
    for (const a of annotations) {
      expect(a.field_manager).toBe('terraform-aws');
      expect(a.depends_on).toHaveLength(1);
    }
    for (const sa of manifests(json()).filter((m) => m.kind === 'ServiceAccount' && /^(uploader|key-rotator|exporter)-/.test(m.metadata.name))) {
      expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/^\$\{aws_iam_role\..+\.arn\}$/);
    }
    expect(manifests(json()).filter((m) => m.kind === 'WorkflowTemplate')).toHaveLength(1);
    expect(manifests(json()).filter((m) => m.kind === 'CronJob')).toHaveLength(1);
    expect(resource(json(), 'aws_iam_policy', 'uploader_AwsRole_IpBlocksPolicy').policy).toContain('198.51.100.0/24');
  });
});

// ---- corpus-maintenance ----

describe(MAINTENANCE_STACK, () => {
  const json = () => stacks[MAINTENANCE_STACK];

  test('six Helm releases after the PriorityClasses', () => {
    const releases = resourceList(json(), 'helm_release');
    expect(releases.map((r) => r.chart).sort()).toEqual(['descheduler', 'kube-fledged', 'pvc-autoresizer', 'reloader', 'snapshot-controller', 'velero']);
    const classes = manifests(json()).filter((m) => m.kind === 'PriorityClass').map((m) => m.metadata.name).sort();
    expect(classes).toEqual(['cluster-important', 'workload-important']);
    const classIds = [idOfManifest(json(), 'PriorityClass', 'cluster-important'), idOfManifest(json(), 'PriorityClass', 'workload-important')];
    for (const r of releases) {
      expect(r.depends_on).toEqual(expect.arrayContaining(classIds));
      expect(r.atomic).toBe(true);
    }
    expect(releases.find((r) => r.chart === 'reloader')).toMatchObject({ namespace: 'corpus-reloader', wait: false });
    expect(releases.find((r) => r.chart === 'reloader').values[0]).toContain('autoReloadAll: true');
    expect(releases.find((r) => r.chart === 'descheduler').values[0]).toContain('deschedulingInterval: 10m');
    expect(releases.find((r) => r.chart === 'kube-fledged').values[0]).toContain('controllerImageCacheRefreshFrequency: 30m');
    expect(releases.find((r) => r.chart === 'pvc-autoresizer').values[0]).toContain('prometheusURL: http://prometheus-operated.monitoring.svc:9090');
    const velero = releases.find((r) => r.chart === 'velero');
    expect(velero.depends_on).toContain(addressOf(json(), 'helm_release', 'external-snapshotter_Release'));
  });

  test('Velero: bucket, KMS, role, schedule; snapshot class', () => {
    expect(resource(json(), 'aws_s3_bucket', 'velero').bucket_prefix).toBe('corpus-backups-');
    const sse = resource(json(), 'aws_s3_bucket_server_side_encryption_configuration', 'velero');
    expect(JSON.stringify(sse)).toContain('arn:aws:kms:us-east-2:123456789012:key/');
    expect(resourceList(json(), 'aws_iam_role')).toHaveLength(1);
    const schedule = manifests(json()).find((m) => m.kind === 'Schedule');
    expect(schedule).toMatchObject({ metadata: { name: 'six-hourly', namespace: 'corpus-velero' }, spec: { schedule: '0 */6 * * *', template: { ttl: '12h0m0s' } } });
    const snapshotClass = manifests(json()).find((m) => m.kind === 'VolumeSnapshotClass');
    expect(snapshotClass).toMatchObject({ metadata: { name: 'ebs-corpus' }, deletionPolicy: 'Delete' });
    expect(Object.keys(json().output).sort()).toEqual(['backup_bucket', 'velero_role_arn']);
  });
});

// ---- corpus-escape-hatches ----

describe(ESCAPE_HATCHES_STACK, () => {
  const json = () => stacks[ESCAPE_HATCHES_STACK];

  test('variables of every type flow into props as tokens', () => {
    expect(Object.keys(json().variable).sort()).toEqual(['allowed_cidrs', 'api_key', 'image_tag', 'job_completions', 'replicas', 'volume_size_gb']);
    expect(json().variable.allowed_cidrs.type).toBe('list(string)');
    expect(json().variable.api_key.sensitive).toBe(true);
    const web = manifest(json(), 'Deployment', 'web');
    expect(web.spec.replicas).toBe('${var.replicas}');
    expect(container(web, 'web').image).toBe('docker.io/nginxinc/nginx-unprivileged${startswith(var.image_tag, "sha256:") ? "@" : ":"}${var.image_tag}');
    expect(container(web, 'web').command[2]).toBe('echo "$${HOME} %%{x}" && exec nginx -g "daemon off;"');
    expect(manifest(json(), 'Job', 'cache-warmup').spec.completions).toBe('${var.job_completions}');
    expect(manifest(json(), 'StatefulSet', 'cache').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('${var.volume_size_gb}Gi');
    expect(resourceList(json(), 'kubernetes_secret_v1')[0].data.API_KEY).toBe('${var.api_key}');
    expect(resource(json(), 'aws_iam_policy', 'web-role_IpBlocksPolicy').policy).toContain('jsonencode(var.allowed_cidrs)');
  });

  test('raw KubeManifest objects with computed fields, waits and timeouts; edits after construction', () => {
    const quota = manifestResource(json(), 'ResourceQuota', 'corpus-quota');
    expect(quota.computed_fields).toEqual(['metadata.labels', 'metadata.annotations', 'status']);
    expect(quota.timeouts).toEqual({ create: '2m', update: '2m', delete: '5m' });
    expect(manifest(json(), 'LimitRange', 'corpus-limits').spec.limits).toHaveLength(1);
    const raw = manifestResource(json(), 'ConfigMap', 'raw-templates');
    expect(raw.wait).toEqual({ fields: { 'metadata.resourceVersion': '^\\d+$' } });
    expect(raw.manifest.data).toEqual({ 'greeting.tmpl': 'Hello %%{ if name }$${name}%%{ else }stranger%%{ endif }', 'tag.txt': '${var.image_tag}' });
    expect(raw.manifest.metadata.annotations['corpus.example.com/edited']).toBe('after construction $${not_a_var}');
  });

  test('addOverride, dependsOn between constructs, dependable', () => {
    const web = manifestResource(json(), 'Deployment', 'web');
    expect(web.manifest.spec.revisionHistoryLimit).toBe(5);
    expect(web.timeouts.delete).toBe('10m');
    expect(web.computed_fields).toEqual(['metadata.labels', 'metadata.annotations', 'spec.replicas']);
    expect(manifest(json(), 'Service', 'web').spec.sessionAffinity).toBe('ClientIP');
    expect(web.depends_on).toEqual(expect.arrayContaining([
      idOfManifest(json(), 'ResourceQuota', 'corpus-quota'), idOfManifest(json(), 'LimitRange', 'corpus-limits'),
      idOfManifest(json(), 'ConfigMap', 'web-settings'), idOfManifest(json(), 'Job', 'cache-warmup'),
    ]));
    expect(manifestResource(json(), 'PodDisruptionBudget', 'web-pdb').depends_on).toContain(idOfManifest(json(), 'Deployment', 'web'));
    expect(manifestResource(json(), 'NetworkPolicy', 'web-network-policy').depends_on).toContain(idOfManifest(json(), 'Deployment', 'web'));
    expect(resourceList(json(), 'kubernetes_annotations')[0].depends_on).toEqual([idOfManifest(json(), 'ServiceAccount', web.manifest.spec.template.spec.serviceAccountName)]);
  });

  test('outputs, one sensitive', () => {
    expect(Object.keys(json().output).sort()).toEqual(['api_key_sha256', 'cache_claim_hash', 'web_image', 'web_name', 'web_role_arn']);
    expect(json().output.api_key_sha256).toEqual({ value: '${sha256(var.api_key)}', sensitive: true });
    expect(json().output.web_image.value).toBe('docker.io/nginxinc/nginx-unprivileged:${var.image_tag}');
  });
});

// ---- corpus-job-escaping ----

describe(JOB_ESCAPING_STACK, () => {
  test('the Job manifest and its replace trigger hold the literal template text escaped', () => {
    const json = stacks[JOB_ESCAPING_STACK];
    const job = manifestResource(json, 'Job', 'template-text');
    expect(container(job.manifest, 'print').command[2]).toBe('echo "home=$${HOME} shell=$${SHELL:-sh}" && echo "%%{ literal directive }"');
    expect(container(job.manifest, 'print').env).toContainEqual({ name: 'GREETING', value: 'hello $${USER}' });
    expect(job.wait).toEqual({ fields: { 'status.succeeded': '1' } });
    expect(job.lifecycle.replace_triggered_by).toEqual([addressOf(json, 'terraform_data', 'template-text_ReplaceTrigger')]);
    const trigger = resource(json, 'terraform_data', 'template-text_ReplaceTrigger').triggers_replace.job;
    expect(trigger.metadata.name).toBe('template-text');
    expect(container(trigger, 'print').command[2]).toBe(container(job.manifest, 'print').command[2]);
  });
});
