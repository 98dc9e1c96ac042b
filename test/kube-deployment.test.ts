import { TerraformVariable } from 'cdktf';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { ValidationError } from '../lib/core/errors';
import { selectorId } from '../lib/core/naming';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const WEB = {
  ...NGINX,
  ports: { http: { port: 8080 } },
  livenessProbeType: 'HTTP' as const,
  livenessProbePort: 8080,
  livenessProbeRoute: '/healthz',
};

/** A namespace that admits privileged pods (the Pod Security check assumes "baseline" otherwise). */
const PRIVILEGED = { assumedPodSecurityStandard: 'privileged' } as const;

function deploy(props: Partial<KubeDeploymentProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const d = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], ...props } as KubeDeploymentProps);
  const out = synth(stack);
  return { stack, d, out, dep: manifest(out, 'Deployment'), pod: manifest(out, 'Deployment').spec.template };
}

function fails(props: Partial<KubeDeploymentProps>, field: string | RegExp): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], ...props } as KubeDeploymentProps));
  expect(e.path).toBe('test/api');
  if (typeof field === 'string') expect(e.field).toBe(field);
  else expect(e.field).toMatch(field);
  expect(e.fix.length).toBeGreaterThan(10);
  return e;
}

describe('KubeDeployment defaults', () => {
  const { d, out, dep, pod } = deploy();
  const id = selectorId('Deployment', 'web', 'api');
  const container = pod.spec.containers[0];

  test('emits Deployment, ServiceAccount, Role, RoleBinding, PDB, VPA and Service through kubernetes_manifest', () => {
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount', 'VerticalPodAutoscaler']);
    for (const r of Object.values(out.manifestResources)) expect(r.field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
    expect(out.json.resource.kubernetes_secret_v1).toBeUndefined();
  });

  test('selector is the deterministic id label; ServiceAccount is dedicated', () => {
    expect(dep.spec.selector).toEqual({ matchLabels: { id } });
    expect(d.matchLabels).toEqual({ id });
    expect(d.serviceAccountName).toBe(`api-${id.slice(0, 8)}`);
    expect(pod.spec.serviceAccountName).toBe(d.serviceAccountName);
    expect(manifest(out, 'ServiceAccount').metadata).toMatchObject({ name: d.serviceAccountName, namespace: 'web' });
  });

  test('replicas 2 (Service-backed at SLA target 3: seed 004), RollingUpdate 25% surge, 1 unavailable, Reloader annotation', () => {
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } });
    expect(dep.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
  });

  test('pod labels: module, workload, flag labels and selector', () => {
    expect(pod.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdktf-golden-path',
      'panfactum.com/module': 'kube_deployment',
      'panfactum.com/workload': 'api',
      'panfactum.com/prevent-lifetime-eviction': 'false',
      'panfactum.com/scheduler-enabled': 'true',
      'panfactum.com/pull-through-cache-enabled': 'true',
      'panfactum.com/arm64-enabled': 'true',
      'panfactum.com/burstable-enabled': 'true',
      'panfactum.com/spot-enabled': 'true',
      'panfactum.com/controller-enabled': 'false',
      id,
    });
    expect(pod.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
  });

  test('pod spec: 90 s grace, fsGroup 1000, panfactum scheduler, ClusterFirst, restart Always', () => {
    expect(pod.spec).toMatchObject({
      terminationGracePeriodSeconds: 90,
      securityContext: { fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' },
      schedulerName: 'panfactum',
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
    });
    expect(pod.spec.hostNetwork).toBeUndefined();
    expect(pod.spec.initContainers).toBeUndefined();
  });

  test('tolerations: burstable, spot, arm64 in that order', () => {
    expect(pod.spec.tolerations).toEqual(['burstable', 'spot', 'arm64'].map((key) => ({ key, operator: 'Equal', value: 'true', effect: 'NoSchedule' })));
  });

  test('SLA 3 (the default): hard host and instance-type anti-affinity, soft zone spread', () => {
    const terms = pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(terms.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'node.kubernetes.io/instance-type']);
    for (const t of terms) expect(t.labelSelector).toEqual({ matchLabels: { id } });
    expect(pod.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { id } } }]);
    expect(pod.spec.affinity.nodeAffinity).toBeUndefined();
  });

  test('container: image, pull policy, resources with no CPU limit and memory limit = 1.3 x request', () => {
    expect(container.image).toBe('docker.io/library/nginx:1.27.1');
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(container.command).toBeUndefined();
    expect(container.resources).toEqual({
      requests: { cpu: '10m', memory: '100Mi', 'ephemeral-storage': '100Mi' },
      limits: { memory: '130Mi', 'ephemeral-storage': '100Mi' },
    });
  });

  test('container security: uid/gid 1000, non-root, drop ALL, read-only, no escalation, RuntimeDefault seccomp', () => {
    expect(container.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('probes: startup derived from liveness (120 x 1 s), readiness falls back to liveness', () => {
    const target = { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' } };
    expect(container.startupProbe).toEqual({ ...target, failureThreshold: 120, periodSeconds: 1, timeoutSeconds: 3 });
    expect(container.livenessProbe).toEqual({ ...target, successThreshold: 1, failureThreshold: 15, periodSeconds: 1, timeoutSeconds: 3 });
    expect(container.readinessProbe).toEqual({ ...target, successThreshold: 1, failureThreshold: 3, periodSeconds: 1, timeoutSeconds: 3 });
  });

  test('the 16 default variables through the downward API', () => {
    const names = container.env.map((e: any) => e.name);
    expect(names).toEqual([
      'POD_IP', 'POD_NAME', 'POD_NAMESPACE', 'POD_SERVICE_ACCOUNT', 'POD_TERMINATION_GRACE_PERIOD_SECONDS',
      'CONTAINER_IMAGE', 'CONTAINER_IMAGE_TAG', 'CONTAINER_IMAGE_REPO', 'CONTAINER_IMAGE_REGISTRY',
      'CONTAINER_CPU_REQUEST', 'CONTAINER_MEMORY_REQUEST', 'CONTAINER_MEMORY_LIMIT',
      'CONTAINER_EPHEMERAL_STORAGE_REQUEST', 'CONTAINER_EPHEMERAL_STORAGE_LIMIT', 'NODE_IP', 'NODE_NAME',
    ]);
    const byName = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
    expect(byName.POD_IP.valueFrom).toEqual({ fieldRef: { fieldPath: 'status.podIP' } });
    expect(byName.NODE_NAME.valueFrom).toEqual({ fieldRef: { fieldPath: 'spec.nodeName' } });
    expect(byName.CONTAINER_MEMORY_LIMIT.valueFrom).toEqual({ resourceFieldRef: { containerName: 'app', resource: 'limits.memory' } });
    expect(byName.POD_TERMINATION_GRACE_PERIOD_SECONDS.value).toBe('90');
    expect(byName.CONTAINER_IMAGE_REPO.value).toBe('library/nginx');
  });

  test('/etc/podinfo with labels and annotations', () => {
    expect(pod.spec.volumes).toEqual([
      { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'podinfo', mountPath: '/etc/podinfo' }]);
  });

  test('PDB: maxUnavailable 1 and unhealthy pods always evictable', () => {
    const pdb = manifest(out, 'PodDisruptionBudget');
    expect(pdb.metadata.name).toBe('api-pdb');
    expect(pdb.spec).toEqual({ selector: { matchLabels: { id } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('VPA: Auto, evicts only upwards, minimums from the container', () => {
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.metadata.name).toBe('api');
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'Auto', evictionRequirements: [{ resources: ['cpu', 'memory'], changeRequirement: 'TargetHigherThanRequests' }] },
      resourcePolicy: { containerPolicies: [{ containerName: 'app', minAllowed: { memory: '100Mi', cpu: '10m' } }] },
    });
  });

  test('Service for the exposed port: ClusterIP, IPv4 single stack', () => {
    const svc = manifest(out, 'Service');
    expect(d.serviceName).toBe('api');
    expect(svc.spec).toEqual({
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      selector: { id },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  test('pod reader Role and RoleBinding for the ServiceAccount', () => {
    expect(manifest(out, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]);
    expect(manifest(out, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: d.serviceAccountName, namespace: 'web' }]);
  });

  test('Deployment waits for nothing by default and is applied after its ServiceAccount', () => {
    const r = manifestResource(out, 'Deployment');
    expect(r.wait).toBeUndefined();
    expect(r.depends_on.some((x: string) => x.includes('ServiceAccount'))).toBe(true);
  });
});

describe('KubeDeployment props', () => {
  test('SLA 1: no instance-type anti-affinity, no zone spread; SLA 2: zone spread only', () => {
    const sla1 = deploy({}, { slaTarget: 1 }).pod.spec;
    expect(sla1.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(sla1.topologySpreadConstraints).toBeUndefined();
    const sla2 = deploy({}, { slaTarget: 2 }).pod.spec;
    expect(sla2.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(sla2.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
  });

  test('scheduling switches', () => {
    const { pod } = deploy({
      spotNodesEnabled: false,
      burstableNodesEnabled: false,
      armNodesEnabled: false,
      controllerNodesEnabled: true,
      hostAntiAffinityRequired: false,
      instanceTypeAntiAffinityRequired: false,
      azAntiAffinityRequired: true,
      azSpreadRequired: true,
      panfactumSchedulerEnabled: false,
      nodeRequirements: { 'karpenter.sh/capacity-type': ['on-demand'] },
      nodePreferences: { 'node.kubernetes.io/instance-type': { weight: 50, values: ['m7g.large'] } },
      extraTolerations: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }],
      linkerdRequired: false,
      ciliumRequired: false,
      lifetimeEvictionsEnabled: false,
      pullThroughCacheEnabled: false,
    });
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['controller', 'panfactum.com/linkerd-not-ready', 'node.cilium.io/agent-not-ready', 'dedicated']);
    expect(pod.spec.tolerations[3]).toEqual({ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' });
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.map((t: any) => t.topologyKey)).toEqual(['topology.kubernetes.io/zone']);
    expect(pod.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('DoNotSchedule');
    expect(pod.spec.schedulerName).toBeUndefined();
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }] }] });
    expect(pod.spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 50, preference: { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m7g.large'] }] } },
      { weight: 100, preference: { matchExpressions: [{ key: 'panfactum.com/class', operator: 'In', values: ['controller'] }] } },
    ]);
    expect(pod.metadata.labels).toMatchObject({
      'panfactum.com/spot-enabled': 'false',
      'panfactum.com/controller-enabled': 'true',
      'panfactum.com/prevent-lifetime-eviction': 'true',
      'panfactum.com/scheduler-enabled': 'false',
      'panfactum.com/pull-through-cache-enabled': 'false',
    });
  });

  test('controllerNodesRequired and workflowNodesRequired become node requirements', () => {
    const { pod } = deploy({ controllerNodesRequired: true, workflowNodesRequired: true });
    expect(pod.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'panfactum.com/class', operator: 'In', values: ['controller'] },
      { key: 'panfactum.com/workflow-only', operator: 'In', values: ['true'] },
    ]);
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64', 'controller', 'workflow']);
  });

  test('burstable implies spot tolerations even when spot is left at its default', () => {
    const { pod } = deploy({ burstableNodesEnabled: true });
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64']);
  });

  test('resources, security and probe overrides', () => {
    const { pod, out } = deploy({
      containers: [
        {
          ...NGINX,
          command: ['/bin/server', '--port=9000'],
          args: ['--verbose'],
          workingDir: '/srv',
          imagePullPolicy: 'Always',
          minimumMemory: 512,
          maximumMemory: 2048,
          minimumCpu: 250,
          maximumCpu: 2000,
          memoryLimitMultiplier: 1,
          runAsRoot: true,
          privileged: true,
          linuxCapabilities: ['NET_ADMIN'],
          readOnly: false,
          seccompProfileType: 'Unconfined',
          livenessProbeType: 'TCP',
          livenessProbePort: 9000,
          readinessProbeType: 'exec',
          readinessProbeCommand: ['/bin/ready'],
        },
      ],
    }, PRIVILEGED);
    const c = pod.spec.containers[0];
    expect(c.command).toEqual(['/bin/server', '--port=9000']);
    expect(c.args).toEqual(['--verbose']);
    expect(c.workingDir).toBe('/srv');
    expect(c.imagePullPolicy).toBe('Always');
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '512Mi', 'ephemeral-storage': '100Mi' }, limits: { cpu: '2', memory: '512Mi', 'ephemeral-storage': '100Mi' } });
    expect(c.securityContext).toEqual({
      runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, allowPrivilegeEscalation: true, readOnlyRootFilesystem: false,
      privileged: true, capabilities: { add: ['NET_ADMIN'] }, seccompProfile: { type: 'Unconfined' },
    });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 9000 });
    expect(c.startupProbe.tcpSocket).toEqual({ port: 9000 });
    expect(c.readinessProbe.exec).toEqual({ command: ['/bin/ready'] });
    expect(c.readinessProbe.tcpSocket).toBeUndefined();
    expect(manifest(out, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0]).toEqual({
      containerName: 'app', minAllowed: { memory: '512Mi', cpu: '250m' }, maxAllowed: { memory: '2Gi', cpu: '2' },
    });
  });

  test('SYS_ADMIN allows privilege escalation; custom uid', () => {
    const c = deploy({ containers: [{ ...NGINX, uid: 2000, linuxCapabilities: ['SYS_ADMIN'] }] }, PRIVILEGED).pod.spec.containers[0];
    expect(c.securityContext).toMatchObject({ runAsUser: 2000, runAsGroup: 2000, allowPrivilegeEscalation: true, capabilities: { add: ['SYS_ADMIN'], drop: ['ALL'] } });
  });

  test('env in Panfactum order: generated Secret, Secret refs, ConfigMap refs, plain, then container env', () => {
    const secret = 'sensitive';
    const { pod, out, d } = deploy({
      commonSecrets: { API_KEY: secret },
      commonEnvFromSecrets: { DB_PASSWORD: { secretName: 'db', key: 'password' } },
      commonEnvFromConfigMaps: { FEATURE: { configMapName: 'flags', key: 'feature' } },
      commonEnv: { LOG_LEVEL: 'info', EMPTY: '' },
      containers: [{ ...NGINX, env: { PORT: '8080', POD_NAME: 'override' } }],
    });
    const env = pod.spec.containers[0].env;
    const explicit = env.slice(env.findIndex((e: any) => e.name === 'API_KEY'));
    expect(explicit).toEqual([
      { name: 'API_KEY', valueFrom: { secretKeyRef: { name: d.serviceAccountName, key: 'API_KEY', optional: false } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: false } } },
      { name: 'FEATURE', valueFrom: { configMapKeyRef: { name: 'flags', key: 'feature', optional: false } } },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'EMPTY' },
      { name: 'PORT', value: '8080' },
      { name: 'POD_NAME', value: 'override' },
    ]);
    expect(env.filter((e: any) => e.name === 'POD_NAME')).toHaveLength(1);
    const secrets = out.json.resource.kubernetes_secret_v1;
    const s = Object.values(secrets)[0] as any;
    expect(s.data).toEqual({ API_KEY: secret });
    expect(s.metadata).toMatchObject({ name: d.serviceAccountName, namespace: 'web' });
    expect(manifestResource(out, 'Deployment').depends_on.some((x: string) => x.startsWith('kubernetes_secret_v1.'))).toBe(true);
  });

  test('a literal commonSecrets value warns; a sensitive variable does not', () => {
    const { stack } = newStack();
    const d = new KubeDeployment(stack, 'literal', { namespace: 'web', name: 'literal', containers: [NGINX], commonSecrets: { TOKEN: 'abc' } });
    const variable = new TerraformVariable(stack, 'token', { type: 'string', sensitive: true });
    const d2 = new KubeDeployment(stack, 'variable', { namespace: 'web', name: 'variable', containers: [NGINX], commonSecrets: { TOKEN: variable.stringValue } });
    const warnings = (c: KubeDeployment) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(warnings(d).join('\n')).toMatch(/commonSecrets TOKEN hold literal values/);
    expect(warnings(d2)).toEqual([]);
  });

  test('defaultEnvEnabled: false leaves only explicit variables', () => {
    const { pod } = deploy({ defaultEnvEnabled: false, commonEnv: { A: '1' } });
    expect(pod.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }]);
  });

  test('tmp directories: node-local emptyDir first, EBS ephemeral volume annotated for Velero', () => {
    const { pod } = deploy({ tmpDirectories: { cache: { mountPath: '/cache', sizeMb: 2048 }, 'tmp-dir': { mountPath: '/tmp', sizeMb: 50, nodeLocal: true } } });
    expect(pod.spec.volumes.slice(0, 2)).toEqual([
      { name: 'tmpdir', emptyDir: { sizeLimit: '50Mi' } },
      {
        name: 'cache',
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { labels: { 'app.kubernetes.io/managed-by': 'cdktf-golden-path', 'panfactum.com/module': 'kube_deployment', 'velero.io/exclude-from-backups': 'true', 'velero.io/exclude-from-backup': 'true' }, annotations: { 'velero.io/exclude-from-backups': 'true' } },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'ebs-standard', volumeMode: 'Filesystem', resources: { requests: { storage: '2Gi' } } },
          },
        },
      },
    ]);
    expect(pod.spec.containers[0].resources.requests['ephemeral-storage']).toBe('150Mi');
    expect(pod.spec.containers[0].volumeMounts.slice(0, 2)).toEqual([{ name: 'tmpdir', mountPath: '/tmp' }, { name: 'cache', mountPath: '/cache' }]);
  });

  test('secret and config map mounts, whole and per key', () => {
    const { pod } = deploy({
      secretMounts: { 'tls-cert': { mountPath: '/etc/tls' } },
      configMapMounts: { settings: { mountPath: '/etc/app', subPaths: ['a.yaml', 'b.yaml'], optional: true } },
    });
    expect(pod.spec.volumes.slice(0, 2)).toEqual([
      { name: 'secret-tls-cert', secret: { secretName: 'tls-cert', defaultMode: 0o551, optional: false } },
      { name: 'config-map-settings', configMap: { name: 'settings', defaultMode: 0o551, optional: true } },
    ]);
    expect(pod.spec.containers[0].volumeMounts.slice(0, 3)).toEqual([
      { name: 'secret-tls-cert', mountPath: '/etc/tls', readOnly: true },
      { name: 'config-map-settings', mountPath: '/etc/app/a.yaml', subPath: 'a.yaml', readOnly: true },
      { name: 'config-map-settings', mountPath: '/etc/app/b.yaml', subPath: 'b.yaml', readOnly: true },
    ]);
  });

  test('init containers (and native sidecars) share mounts; init has no probes or ports', () => {
    const { pod, out } = deploy({
      containers: [
        WEB,
        { ...NGINX, name: 'migrate', init: true, command: ['/migrate'] },
        { ...NGINX, name: 'proxy', init: true, restartPolicy: 'Always', livenessProbeType: 'TCP', livenessProbePort: 9901, ports: { admin: { port: 9901, exposeOnService: false } } },
      ],
    });
    expect(pod.spec.initContainers.map((c: any) => c.name)).toEqual(['migrate', 'proxy']);
    expect(pod.spec.initContainers[0].restartPolicy).toBeUndefined();
    expect(pod.spec.initContainers[0].livenessProbe).toBeUndefined();
    expect(pod.spec.initContainers[1].restartPolicy).toBe('Always');
    expect(pod.spec.initContainers[1].livenessProbe.tcpSocket.port).toBe(9901);
    expect(pod.spec.initContainers[0].volumeMounts).toEqual(pod.spec.containers[0].volumeMounts);
    expect(manifest(out, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies.map((p: any) => p.containerName)).toEqual(['app', 'proxy']);
    expect(manifest(out, 'Service').spec.ports.map((p: any) => p.name)).toEqual(['http']);
  });

  test('Linkerd toggles', () => {
    const { pod } = deploy({ linkerdEnabled: false, linkerdNativeSidecarEnabled: false, linkerdProxyCpuRequest: 100, linkerdProxyMemoryRequest: 64, linkerdProxyMemoryLimit: 128, linkerdOpaquePorts: [5432, 6379] });
    expect(pod.metadata.annotations).toEqual({
      'linkerd.io/inject': 'disabled',
      'config.alpha.linkerd.io/proxy-enable-native-sidecar': 'false',
      'config.linkerd.io/proxy-cpu-request': '100m',
      'config.linkerd.io/proxy-memory-request': '64Mi',
      'config.linkerd.io/proxy-memory-limit': '128Mi',
      'config.linkerd.io/opaque-ports': '5432,6379',
    });
  });

  test('extra labels and annotations land where they belong', () => {
    const { pod, dep, out } = deploy({
      extraPodLabels: { team: 'core' },
      extraPodAnnotations: { 'linkerd.io/inject': 'disabled', 'example.com/a': 'b' },
      extraLabels: { tier: 'frontend' },
      extraAnnotations: { 'example.com/owner': 'core' },
      priorityClassName: 'workload-important',
      terminationGracePeriodSeconds: 30,
      mountOwner: 2000,
      dnsPolicy: 'Default',
      hostNetwork: true,
    }, PRIVILEGED);
    expect(pod.metadata.labels.team).toBe('core');
    expect(dep.metadata.labels.team).toBeUndefined();
    expect(dep.metadata.labels.tier).toBe('frontend');
    expect(pod.metadata.labels.tier).toBeUndefined();
    expect(pod.metadata.annotations).toEqual({ 'linkerd.io/inject': 'disabled', 'example.com/a': 'b' });
    expect(dep.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true', 'example.com/owner': 'core' });
    expect(pod.spec).toMatchObject({ priorityClassName: 'workload-important', terminationGracePeriodSeconds: 30, securityContext: { fsGroup: 2000 }, dnsPolicy: 'Default', hostNetwork: true });
    expect(manifest(out, 'ServiceAccount').metadata.labels.team).toBeUndefined();
  });

  test('replicas, Recreate, surge and disruption settings', () => {
    expect(deploy({ replicas: 3 }).dep.spec.replicas).toBe(3);
    expect(deploy({ updateType: 'Recreate' }).dep.spec.strategy).toEqual({ type: 'Recreate' });
    expect(deploy({ maxSurge: 2, maxUnavailable: 0 }).dep.spec.strategy.rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 0 });
    const off = deploy({ voluntaryDisruptionsEnabled: false, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    expect(manifest(off.out, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 0, unhealthyPodEvictionPolicy: 'IfHealthyBudget' });
    expect(deploy({ maxUnavailable: 2 }).out.manifests.find((m) => m.kind === 'PodDisruptionBudget').spec.maxUnavailable).toBe(2);
  });

  test('ignoreReplicaCount leaves spec.replicas to an autoscaler', () => {
    expect('replicas' in deploy({ ignoreReplicaCount: true }).dep.spec).toBe(false);
  });

  test('vpaEnabled: false and a Deployment without ports', () => {
    const { out, d } = deploy({ vpaEnabled: false, containers: [NGINX] });
    expect(out.manifests.map((m) => m.kind)).not.toContain('VerticalPodAutoscaler');
    expect(out.manifests.map((m) => m.kind)).not.toContain('Service');
    expect(d.serviceName).toBeUndefined();
  });

  test('defaultPermissionsEnabled: false drops the Role and RoleBinding', () => {
    expect(deploy({ defaultPermissionsEnabled: false }).out.manifests.map((m) => m.kind)).not.toContain('Role');
  });

  test('Service settings: name, type LoadBalancer with NLB annotations, static IP, domains, service port', () => {
    const { out, d } = deploy({
      serviceName: 'public-api',
      serviceType: 'LoadBalancer',
      servicePublicDomainNames: ['api.example.com'],
      extraServiceLabels: { exposure: 'public' },
      extraServiceAnnotations: { 'example.com/x': 'y' },
      containers: [{ ...WEB, ports: { http: { port: 8080, servicePort: 80 }, metrics: { port: 9090, exposeOnService: false } } }],
    });
    const svc = manifest(out, 'Service');
    expect(d.serviceName).toBe('public-api');
    expect(svc.metadata.labels.exposure).toBe('public');
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', loadBalancerClass: 'service.k8s.aws/nlb', externalTrafficPolicy: 'Cluster', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] });
    expect(svc.metadata.annotations).toMatchObject({
      'external-dns.alpha.kubernetes.io/hostname': 'api.example.com',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'example.com/x': 'y',
    });
    expect(svc.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-name'].length).toBeLessThanOrEqual(32);
    const ip = manifest(deploy({ serviceIp: '172.20.0.50' }).out, 'Service').spec;
    expect(ip).toMatchObject({ clusterIP: '172.20.0.50', clusterIPs: ['172.20.0.50'] });
  });

  test('waitForRollout with its timeout', () => {
    const r = manifestResource(deploy({ waitForRollout: true, waitForRolloutTimeout: '15m' }).out, 'Deployment');
    expect(r.wait).toEqual({ rollout: true });
    expect(r.timeouts).toEqual({ create: '15m', update: '15m' });
    expect(manifestResource(deploy({ waitForRollout: true }).out, 'Deployment').timeouts).toEqual({ create: '10m', update: '10m' });
  });

  test('a KubeNamespace orders every object after the namespace', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    const d = new KubeDeployment(stack, 'api', { namespace: ns, name: 'api', containers: [WEB] });
    expect(d.namespaceName).toBe('web');
    const out = synth(stack);
    for (const kind of ['Deployment', 'ServiceAccount', 'PodDisruptionBudget', 'Service', 'VerticalPodAutoscaler', 'Role']) {
      expect(manifestResource(out, kind, kind === 'Role' ? d.serviceAccountName : undefined).depends_on).toContain('kubernetes_manifest.ns_Namespace_AD0331D3');
    }
  });

  test('dependsOn orders the Deployment after other resources', () => {
    const { stack } = newStack();
    const first = new KubeDeployment(stack, 'first', { namespace: 'web', name: 'first', containers: [NGINX] });
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], dependsOn: [first.deployment.resource] });
    expect(manifestResource(synth(stack), 'Deployment', 'api').depends_on.filter((d: string) => d.startsWith('kubernetes_manifest.first_Deployment_'))).toHaveLength(1);
  });

  test('deploy-time tokens pass through without validation errors', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue;
    const replicas = new TerraformVariable(stack, 'replicas', { type: 'number' }).numberValue;
    const mem = new TerraformVariable(stack, 'mem', { type: 'number' }).numberValue;
    expect(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', replicas, containers: [{ ...WEB, imageTag: tag, minimumMemory: mem }] })).not.toThrow();
    const c = manifest(synth(stack), 'Deployment').spec.template.spec.containers[0];
    expect(c.image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
    expect(c.resources.requests.memory).toBe('${var.mem}Mi');
    expect(c.resources.limits.memory).toBe('${floor(((var.mem * 1048576) * 1.3))}');
  });

  test('the escape hatch: the object stays editable until synth', () => {
    const { stack } = newStack();
    const d = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
    (d.deployment.object as any).spec.minReadySeconds = 10;
    expect(manifest(synth(stack), 'Deployment').spec.minReadySeconds).toBe(10);
  });

  test('a schema violation introduced through the escape hatch fails synth naming the construct', () => {
    const { stack } = newStack();
    const d = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
    (d.deployment.object as any).spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/api/Deployment');
    expect(e.message).toMatch(/imagePullPolicyy/);
  });
});

describe('KubeDeployment invalid input', () => {
  test.each<[string, Partial<KubeDeploymentProps>, string | RegExp]>([
    ['capital letters in the name', { name: 'Api' }, 'name'],
    ['bad namespace', { namespace: 'Web_1' }, 'namespace'],
    ['empty containers', { containers: [] }, 'containers'],
    ['only init containers', { containers: [{ ...NGINX, init: true }] }, 'containers'],
    ['duplicate container names', { containers: [NGINX, NGINX] }, 'containers[1].name'],
    ['bad container name', { containers: [{ ...NGINX, name: 'App' }] }, 'containers[0].name'],
    ['registry with a path', { containers: [{ ...NGINX, imageRegistry: 'docker.io/library' }] }, 'containers[0].imageRegistry'],
    ['repository with a tag', { containers: [{ ...NGINX, imageRepository: 'library/nginx:1' }] }, 'containers[0].imageRepository'],
    ['bad tag', { containers: [{ ...NGINX, imageTag: 'a b' }] }, 'containers[0].imageTag'],
    ['negative memory', { containers: [{ ...NGINX, minimumMemory: -5 }] }, 'containers[0].minimumMemory'],
    ['negative cpu', { containers: [{ ...NGINX, minimumCpu: 0 }] }, 'containers[0].minimumCpu'],
    ['maximum below minimum memory', { containers: [{ ...NGINX, minimumMemory: 200, maximumMemory: 100 }] }, 'containers[0].maximumMemory'],
    ['maximum below minimum cpu', { containers: [{ ...NGINX, minimumCpu: 200, maximumCpu: 100 }] }, 'containers[0].maximumCpu'],
    ['multiplier below 1', { containers: [{ ...NGINX, memoryLimitMultiplier: 0.9 }] }, 'containers[0].memoryLimitMultiplier'],
    ['unknown probe type', { containers: [{ ...NGINX, livenessProbeType: 'grpc' as 'HTTP', livenessProbePort: 1 }] }, 'containers[0].livenessProbeType'],
    ['HTTP probe without port', { containers: [{ ...NGINX, livenessProbeType: 'HTTP' }] }, 'containers[0].livenessProbePort'],
    ['exec probe without command', { containers: [{ ...NGINX, livenessProbeType: 'exec' }] }, 'containers[0].livenessProbeCommand'],
    ['probe route without slash', { containers: [{ ...NGINX, livenessProbeType: 'HTTP', livenessProbePort: 80, livenessProbeRoute: 'health' }] }, 'containers[0].livenessProbeRoute'],
    ['readiness without liveness', { containers: [{ ...NGINX, readinessProbeType: 'HTTP', readinessProbePort: 80 }] }, 'containers[0].livenessProbeType'],
    ['probe on an init container', { containers: [NGINX, { ...NGINX, name: 'init', init: true, livenessProbeType: 'TCP', livenessProbePort: 1 }] }, 'containers[1].livenessProbeType'],
    ['restartPolicy on a regular container', { containers: [{ ...NGINX, restartPolicy: 'Always' }] }, 'containers[0].restartPolicy'],
    ['port out of range', { containers: [{ ...NGINX, ports: { http: { port: 70000 } } }] }, 'containers[0].ports.http.port'],
    ['port name too long', { containers: [{ ...NGINX, ports: { 'a-very-long-port-name': { port: 80 } } }] }, 'containers[0].ports["a-very-long-port-name"]'],
    ['duplicate port names across containers', { containers: [{ ...NGINX, ports: { http: { port: 80 } } }, { ...NGINX, name: 'b', ports: { http: { port: 81 } } }] }, 'containers[1].ports.http'],
    ['duplicate service ports', { containers: [{ ...NGINX, ports: { a: { port: 80 }, b: { port: 81, servicePort: 80 } } }] }, 'containers[0].ports.b.servicePort'],
    ['ports on an init container', { containers: [NGINX, { ...NGINX, name: 'init', init: true, ports: { http: { port: 80 } } }] }, 'containers[1].ports'],
    ['root with a uid', { containers: [{ ...NGINX, runAsRoot: true, uid: 5 }] }, 'containers[0].runAsRoot/containers[0].uid'],
    ['uid 0', { containers: [{ ...NGINX, uid: 0 }] }, 'containers[0].uid'],
    ['capability with CAP_ prefix', { containers: [{ ...NGINX, linuxCapabilities: ['CAP_NET_ADMIN'] }] }, 'containers[0].linuxCapabilities[0]'],
    ['bad env name', { containers: [{ ...NGINX, env: { '1BAD': 'x' } }] }, 'containers[0].env["1BAD"]'],
    ['relative working dir', { containers: [{ ...NGINX, workingDir: 'srv' }] }, 'containers[0].workingDir'],
    ['env var set twice', { commonEnv: { A: '1' }, commonEnvFromSecrets: { A: { secretName: 's', key: 'k' } } }, 'commonEnv.A'],
    ['common env repeated in a container', { commonEnv: { A: '1' }, containers: [{ ...NGINX, env: { A: '2' } }] }, 'containers[0].env.A'],
    ['burstable without spot', { burstableNodesEnabled: true, spotNodesEnabled: false }, 'burstableNodesEnabled/spotNodesEnabled'],
    ['node preference weight', { nodePreferences: { zone: { weight: 0 } } }, 'nodePreferences.zone.weight'],
    ['empty node requirement', { nodeRequirements: { zone: [] } }, 'nodeRequirements.zone'],
    ['Exists toleration with value', { extraTolerations: [{ key: 'a', operator: 'Exists', value: 'x' }] }, 'extraTolerations[0].value'],
    ['Equal toleration without key', { extraTolerations: [{ value: 'x' }] }, 'extraTolerations[0].key'],
    ['extra pod label overriding the selector', { extraPodLabels: { id: 'x' } }, 'extraPodLabels.id'],
    ['bad label value', { extraPodLabels: { team: 'a b' } }, 'extraPodLabels.team'],
    ['bad annotation key', { extraPodAnnotations: { 'bad key': 'x' } }, 'extraPodAnnotations["bad key"]'],
    ['tmp dir relative path', { tmpDirectories: { tmp: { mountPath: 'tmp' } } }, 'tmpDirectories.tmp.mountPath'],
    ['tmp dir zero size', { tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 0 } } }, 'tmpDirectories.tmp.sizeMb'],
    ['mount path used twice', { tmpDirectories: { tmp: { mountPath: '/data' } }, secretMounts: { s: { mountPath: '/data' } } }, 'secretMounts.s.mountPath'],
    ['bad secret name', { secretMounts: { 'Bad_Name': { mountPath: '/s' } } }, 'secretMounts.Bad_Name'],
    ['grace period negative', { terminationGracePeriodSeconds: -1 }, 'terminationGracePeriodSeconds'],
    ['dnsPolicy None', { dnsPolicy: 'None' }, 'dnsPolicy'],
    ['replicas negative', { replicas: -1 }, 'replicas'],
    ['replicas with ignoreReplicaCount', { replicas: 2, ignoreReplicaCount: true }, 'ignoreReplicaCount/replicas'],
    ['bad update type', { updateType: 'BlueGreen' as 'Recreate' }, 'updateType'],
    ['maxSurge with Recreate', { updateType: 'Recreate', maxSurge: 1 }, 'maxSurge'],
    ['bad maxSurge', { maxSurge: '25 percent' }, 'maxSurge'],
    ['rollout that can never progress', { maxSurge: 0, maxUnavailable: 0 }, 'maxSurge'],
    ['negative maxUnavailable', { maxUnavailable: -1 }, 'maxUnavailable'],
    ['bad eviction policy', { unhealthyPodEvictionPolicy: 'Never' as 'AlwaysAllow' }, 'unhealthyPodEvictionPolicy'],
    ['bad service type', { serviceType: 'Ingress' as 'ClusterIP' }, 'serviceType'],
    ['ExternalName service', { serviceType: 'ExternalName' }, 'serviceType'],
    ['bad service IP', { serviceIp: '10.0.0.300' }, 'serviceIp'],
    ['service settings without ports', { serviceType: 'LoadBalancer', containers: [NGINX] }, 'serviceName/serviceType/serviceIp'],
    ['timeout without waiting', { waitForRolloutTimeout: '5m' }, 'waitForRolloutTimeout'],
    ['bad timeout', { waitForRollout: true, waitForRolloutTimeout: '5 minutes' }, 'waitForRolloutTimeout'],
    ['linkerd memory limit below request', { linkerdProxyMemoryRequest: 128, linkerdProxyMemoryLimit: 64 }, 'linkerdProxyMemoryLimit'],
    ['opaque port out of range', { linkerdOpaquePorts: [0] }, 'linkerdOpaquePorts[0]'],
  ])('%s', (_name, props, field) => {
    fails(props, field);
  });

  test('the message names the path, the field, the value and the fix', () => {
    const e = fails({ containers: [{ ...NGINX, livenessProbeType: 'http' as 'HTTP', livenessProbePort: 80 }] }, 'containers[0].livenessProbeType');
    expect(e.message).toBe('[test/api] containers[0].livenessProbeType = "http": is not an allowed value. Fix: use one of "exec", "HTTP", "TCP" (did you mean "HTTP"?)');
  });
});
