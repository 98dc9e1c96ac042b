import { TerraformVariable } from 'cdktf';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeStatefulSet, KubeStatefulSetProps } from '../lib/constructs/kube-stateful-set';
import { ValidationError } from '../lib/core/errors';
import { selectorId } from '../lib/core/naming';
import { PropValidator } from '../lib/core/validation';
import { CLUSTER_PROFILES } from '../lib/core/cluster-profile';
import { buildStatefulSetModel, claimTemplatesHash, gbQuantity } from '../lib/k8s/stateful-set';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const PG = { ...NGINX, name: 'db', ports: { tcp: { port: 5432 } } };
const VOLUMES = { data: { mountPath: '/var/lib/data' } };

function sts(props: Partial<KubeStatefulSetProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const s = new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [PG], volumeMounts: VOLUMES, ...props } as KubeStatefulSetProps);
  const out = synth(stack);
  const obj = manifest(out, 'StatefulSet');
  return { stack, s, out, obj, pod: obj.spec.template };
}

function fails(props: Partial<KubeStatefulSetProps>, field: string | RegExp): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [PG], volumeMounts: VOLUMES, ...props } as KubeStatefulSetProps));
  expect(e.path).toBe('test/db');
  if (typeof field === 'string') expect(e.field).toBe(field);
  else expect(e.field).toMatch(field);
  expect(e.fix.length).toBeGreaterThan(10);
  return e;
}

describe('KubeStatefulSet defaults', () => {
  const { s, out, obj, pod } = sts();
  const id = selectorId('StatefulSet', 'data', 'db');
  const claim = obj.spec.volumeClaimTemplates[0];

  test('emits StatefulSet, headless and regular Service, ServiceAccount, Role, RoleBinding, PDB and VPA', () => {
    expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort()).toEqual(
      ['PodDisruptionBudget/db-pdb', 'Role/' + s.serviceAccountName, 'RoleBinding/' + s.serviceAccountName, 'Service/db', 'Service/db-headless', 'ServiceAccount/' + s.serviceAccountName, 'StatefulSet/db', 'VerticalPodAutoscaler/db'].sort(),
    );
  });

  test('exposes name, namespace, service names, selector and labels', () => {
    expect(s.name).toBe('db');
    expect(s.namespaceName).toBe('data');
    expect(s.headlessServiceName).toBe('db-headless');
    expect(s.serviceName).toBe('db');
    expect(s.matchLabels).toEqual({ id });
    expect(s.serviceAccountName).toBe(`db-${id.slice(0, 8)}`);
    expect(s.labels).toEqual(pod.metadata.labels);
    expect(s.volumeClaimTemplatesHash).toMatch(/^[0-9a-f]{12}$/);
    expect(s.statefulSet.object).toBe(s.statefulSet.object);
  });

  test('spec: headless serviceName, OrderedReady, 1 replica, RollingUpdate, Retain/Retain', () => {
    expect(obj.spec).toMatchObject({
      serviceName: 'db-headless',
      podManagementPolicy: 'OrderedReady',
      replicas: 1,
      updateStrategy: { type: 'RollingUpdate' },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
      selector: { matchLabels: { id } },
    });
  });

  test('Reloader annotation and the claim-template hash annotation', () => {
    expect(obj.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true', 'cdktf-golden-path/volume-claim-templates-hash': s.volumeClaimTemplatesHash });
    expect(obj.metadata.labels['panfactum.com/module']).toBe('kube_stateful_set');
  });

  test('claim template: ebs-standard-retained, RWO, 1Gi, pvc-group label, autoresizer and backup annotations', () => {
    expect(claim).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data',
        labels: { 'panfactum.com/pvc-group': 'data.db.data' },
        annotations: {
          'resize.topolvm.io/initial-resize-group-by': 'panfactum.com/pvc-group',
          'resize.topolvm.io/storage_limit': '10Gi',
          'resize.topolvm.io/increase': '1Gi',
          'resize.topolvm.io/threshold': '20%',
          'velero.io/exclude-from-backups': 'false',
        },
      },
      spec: { storageClassName: 'ebs-standard-retained', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } } },
    });
  });

  test('the volume is mounted in every container', () => {
    expect(pod.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/data' });
    expect(pod.spec.volumes.map((v: any) => v.name)).not.toContain('data');
  });

  test('scheduling: hard zone spread, host + instance-type anti-affinity at SLA 3, lifetime evictions off', () => {
    expect(pod.spec.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { id } } }]);
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'node.kubernetes.io/instance-type']);
    expect(pod.metadata.labels['panfactum.com/prevent-lifetime-eviction']).toBe('true');
    expect(pod.metadata.labels['panfactum.com/burstable-enabled']).toBe('true');
    expect(pod.spec.schedulerName).toBe('panfactum');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
    expect(pod.spec.restartPolicy).toBe('Always');
  });

  test('headless Service: ClusterIP None, not-ready addresses published, the exposed ports', () => {
    const h = manifest(out, 'Service', 'db-headless');
    expect(h.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], publishNotReadyAddresses: true, type: 'ClusterIP', selector: { id } });
    expect(h.spec.ports).toEqual([{ name: 'tcp', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
    const r = manifest(out, 'Service', 'db');
    expect(r.spec.clusterIP).toBeUndefined();
    // Absent rather than false: the API server does not store false here (e2e apply).
    expect(r.spec).not.toHaveProperty('publishNotReadyAddresses');
  });

  test('PDB maxUnavailable 1 AlwaysAllow; VPA Auto targeting the StatefulSet', () => {
    expect(manifest(out, 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { id } }, maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db' });
    expect(vpa.spec.updatePolicy.updateMode).toBe('Auto');
  });

  test('the StatefulSet is applied after its headless Service and ServiceAccount', () => {
    const r = manifestResource(out, 'StatefulSet');
    expect(r.depends_on.join(' ')).toMatch(/db_HeadlessService/);
    expect(r.depends_on.join(' ')).toMatch(/db_ServiceAccount/);
    expect(r.wait).toBeUndefined();
  });
});

describe('KubeStatefulSet props', () => {
  test('volume settings reach the claim template', () => {
    const { obj } = sts({
      volumeMounts: {
        data: { mountPath: '/data', storageClass: 'ebs-fast', accessModes: ['ReadWriteOncePod'], initialSizeGb: 1024, sizeLimitGb: 4096, increaseThresholdPercent: 10, increaseGb: 50, backupsEnabled: false },
        wal: { mountPath: '/wal', initialSizeGb: 3 },
      },
    });
    const [data, wal] = obj.spec.volumeClaimTemplates;
    expect(data.spec).toEqual({ storageClassName: 'ebs-fast', accessModes: ['ReadWriteOncePod'], volumeMode: 'Filesystem', resources: { requests: { storage: '1Ti' } } });
    expect(data.metadata.annotations).toMatchObject({
      'resize.topolvm.io/storage_limit': '4096Gi',
      'resize.topolvm.io/increase': '50Gi',
      'resize.topolvm.io/threshold': '10%',
      'velero.io/exclude-from-backups': 'true',
    });
    expect(data.metadata.labels).toEqual({ 'panfactum.com/pvc-group': 'data.db.data', 'velero.io/exclude-from-backups': 'true', 'velero.io/exclude-from-backup': 'true' });
    expect(wal.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('30Gi');
    expect(wal.spec.resources.requests.storage).toBe('3Gi');
  });

  test('no volumes: no claim templates and no hash annotation; headless Service without ports', () => {
    const { s, obj, out } = sts({ volumeMounts: undefined, containers: [NGINX] });
    expect(obj.spec.volumeClaimTemplates).toBeUndefined();
    expect(obj.metadata.annotations).toEqual({ 'reloader.stakater.com/auto': 'true' });
    expect(s.volumeClaimTemplatesHash).toBeUndefined();
    expect(s.serviceName).toBeUndefined();
    expect(manifest(out, 'Service').spec.ports).toBeUndefined();
    expect(manifest(out, 'Service').metadata.name).toBe('db-headless');
  });

  test('replicas, Parallel, OnDelete, retention Delete, ignoreReplicaCount', () => {
    const { obj } = sts({ replicas: 3, podManagementPolicy: 'Parallel', updateType: 'OnDelete', volumeRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(obj.spec).toMatchObject({ replicas: 3, podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(sts({ ignoreReplicaCount: true }).obj.spec.replicas).toBeUndefined();
  });

  test('zone spread, anti-affinity and lifetime evictions can be opted out of', () => {
    const { pod } = sts({ azSpreadRequired: false, azSpreadPreferred: true, lifetimeEvictionsEnabled: true }, { slaTarget: 1 });
    expect(pod.spec.topologySpreadConstraints[0].whenUnsatisfiable).toBe('ScheduleAnyway');
    expect(pod.metadata.labels['panfactum.com/prevent-lifetime-eviction']).toBe('false');
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname']);
    expect(sts({ azSpreadRequired: false }).pod.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('voluntary disruptions off: PDB maxUnavailable 0; vpaEnabled false: no VPA', () => {
    const { out } = sts({ voluntaryDisruptionsEnabled: false, vpaEnabled: false });
    expect(manifest(out, 'PodDisruptionBudget').spec.maxUnavailable).toBe(0);
    expect(out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });

  test('regular Service settings: name, LoadBalancer with NLB annotations, public names', () => {
    const { s, out } = sts({ serviceName: 'postgres', serviceType: 'LoadBalancer', servicePublicDomainNames: ['db.example.com'] });
    expect(s.serviceName).toBe('postgres');
    const svc = manifest(out, 'Service', 'postgres');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(svc.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('db.example.com');
    expect(svc.metadata.annotations['service.beta.kubernetes.io/aws-load-balancer-scheme']).toBe('internet-facing');
    expect(manifest(out, 'Service', 'db-headless').spec.type).toBe('ClusterIP');
  });

  test('extra labels and annotations on the StatefulSet only', () => {
    const { obj, pod } = sts({ extraLabels: { team: 'data' }, extraAnnotations: { 'example.com/owner': 'data' } });
    expect(obj.metadata.labels.team).toBe('data');
    expect(obj.metadata.annotations['example.com/owner']).toBe('data');
    expect(pod.metadata.labels.team).toBeUndefined();
  });

  test('a matching volumeClaimTemplatesHash passes', () => {
    const hash = sts().s.volumeClaimTemplatesHash;
    expect(() => sts({ volumeClaimTemplatesHash: hash })).not.toThrow();
  });

  test('changing a pinned claim template fails at synth with a migration explanation', () => {
    const hash = sts().s.volumeClaimTemplatesHash as string;
    for (const change of [{ initialSizeGb: 2 }, { storageClass: 'ebs-other' }, { increaseGb: 2 }, { backupsEnabled: false }]) {
      const e = fails({ volumeClaimTemplatesHash: hash, volumeMounts: { data: { mountPath: '/var/lib/data', ...change } } }, 'volumeClaimTemplatesHash');
      expect(e.message).toMatch(/cannot change the volumeClaimTemplates/);
      expect(e.message).toMatch(/--cascade=orphan/);
    }
    // the mount path is not part of the claim: still changeable
    expect(() => sts({ volumeClaimTemplatesHash: hash, volumeMounts: { data: { mountPath: '/data2' } } })).not.toThrow();
  });

  test('the hash depends on namespace and name, not on environment labels', () => {
    const a = sts().s.volumeClaimTemplatesHash;
    expect(sts({}, { environment: 'production', extraLabels: { cost: 'x' } }).s.volumeClaimTemplatesHash).toBe(a);
    expect(sts({ name: 'db2' }).s.volumeClaimTemplatesHash).not.toBe(a);
  });

  test('waitForRollout with a timeout', () => {
    const { stack } = newStack();
    new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [PG], waitForRollout: true, waitForRolloutTimeout: '20m' });
    const r = manifestResource(synth(stack), 'StatefulSet');
    expect(r.wait).toEqual({ rollout: true });
    expect(r.timeouts).toEqual({ create: '20m', update: '20m' });
  });

  test('a KubeNamespace orders every object after the namespace', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'data' });
    const s = new KubeStatefulSet(stack, 'db', { namespace: ns, name: 'db', containers: [PG], volumeMounts: VOLUMES });
    expect(s.namespaceName).toBe('data');
    const out = synth(stack);
    for (const kind of ['StatefulSet', 'PodDisruptionBudget', 'VerticalPodAutoscaler']) expect(manifestResource(out, kind).depends_on.join(' ')).toMatch(/ns_Namespace/);
    expect(manifestResource(out, 'Service', 'db-headless').depends_on.join(' ')).toMatch(/ns_Namespace/);
  });
});

describe('KubeStatefulSet errors', () => {
  test.each<[string, Partial<KubeStatefulSetProps>, string]>([
    ['updateType', { updateType: 'Recreate' as any }, 'updateType'],
    ['podManagementPolicy', { podManagementPolicy: 'parallel' as any }, 'podManagementPolicy'],
    ['replicas', { replicas: -1 }, 'replicas'],
    ['ignoreReplicaCount with replicas', { ignoreReplicaCount: true, replicas: 2 }, 'ignoreReplicaCount/replicas'],
    ['retention whenDeleted', { volumeRetentionPolicy: { whenDeleted: 'Keep' as any } }, 'volumeRetentionPolicy.whenDeleted'],
    ['retention whenScaled', { volumeRetentionPolicy: { whenScaled: 'Keep' as any } }, 'volumeRetentionPolicy.whenScaled'],
    ['serviceName invalid', { serviceName: 'Bad_Name' }, 'serviceName'],
    ['serviceName = headless', { serviceName: 'db-headless' }, 'serviceName'],
    ['service props without ports', { containers: [NGINX], serviceType: 'LoadBalancer' }, 'serviceName/serviceType/serviceIp'],
    ['volume name', { volumeMounts: { Data: { mountPath: '/d' } } }, 'volumeMounts.Data'],
    ['volume mountPath missing', { volumeMounts: { data: {} as any } }, 'volumeMounts.data.mountPath'],
    ['volume mountPath relative', { volumeMounts: { data: { mountPath: 'data' } } }, 'volumeMounts.data.mountPath'],
    ['storageClass', { volumeMounts: { data: { mountPath: '/d', storageClass: 'EBS' } } }, 'volumeMounts.data.storageClass'],
    ['accessModes empty', { volumeMounts: { data: { mountPath: '/d', accessModes: [] } } }, 'volumeMounts.data.accessModes'],
    ['accessModes value', { volumeMounts: { data: { mountPath: '/d', accessModes: ['RWO' as any] } } }, 'volumeMounts.data.accessModes[0]'],
    ['initialSizeGb', { volumeMounts: { data: { mountPath: '/d', initialSizeGb: 0 } } }, 'volumeMounts.data.initialSizeGb'],
    ['initialSizeGb fraction', { volumeMounts: { data: { mountPath: '/d', initialSizeGb: 1.5 } } }, 'volumeMounts.data.initialSizeGb'],
    ['sizeLimitGb below initial', { volumeMounts: { data: { mountPath: '/d', initialSizeGb: 10, sizeLimitGb: 5 } } }, 'volumeMounts.data.sizeLimitGb'],
    ['increaseThresholdPercent', { volumeMounts: { data: { mountPath: '/d', increaseThresholdPercent: 100 } } }, 'volumeMounts.data.increaseThresholdPercent'],
    ['increaseGb', { volumeMounts: { data: { mountPath: '/d', increaseGb: 0 } } }, 'volumeMounts.data.increaseGb'],
    ['mount path used twice', { volumeMounts: { data: { mountPath: '/tmp' } }, tmpDirectories: { tmp: { mountPath: '/tmp' } } }, 'volumeMounts.data.mountPath'],
    ['volume name clashes with a pod volume', { volumeMounts: { podinfo: { mountPath: '/x' } } }, 'volumeMounts.podinfo'],
    ['waitForRolloutTimeout format', { waitForRollout: true, waitForRolloutTimeout: '10 minutes' }, 'waitForRolloutTimeout'],
    ['waitForRolloutTimeout without wait', { waitForRolloutTimeout: '10m' }, 'waitForRolloutTimeout'],
    ['name too long', { name: 'a'.repeat(53) }, 'name'],
  ])('%s', (_label, props, field) => {
    fails(props, field);
  });
});

describe('KubeStatefulSet tokens', () => {
  test('token sizes pass through; the hash is then unknown and a pin only warns', () => {
    const { stack } = newStack();
    const size = new TerraformVariable(stack, 'size', { type: 'number' }).numberValue;
    const replicas = new TerraformVariable(stack, 'replicas', { type: 'number' }).numberValue;
    const cls = new TerraformVariable(stack, 'cls', { type: 'string' }).stringValue;
    const s = new KubeStatefulSet(stack, 'db', {
      namespace: 'data',
      name: 'db',
      replicas,
      containers: [PG],
      volumeMounts: { data: { mountPath: '/d', initialSizeGb: size, storageClass: cls } },
      volumeClaimTemplatesHash: 'abcdefabcdef',
    });
    expect(s.volumeClaimTemplatesHash).toBeUndefined();
    expect(s.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)).join('\n')).toMatch(/volumeClaimTemplatesHash cannot be checked/);
    const obj = manifest(synth(stack), 'StatefulSet');
    const claim = obj.spec.volumeClaimTemplates[0];
    expect(obj.spec.replicas).toBe('${var.replicas}');
    expect(claim.spec.storageClassName).toBe('${var.cls}');
    expect(claim.spec.resources.requests.storage).toBe('${var.size}Gi');
    expect(claim.metadata.annotations['resize.topolvm.io/storage_limit']).toBe('${(var.size * 10)}Gi');
    expect(obj.metadata.annotations['cdktf-golden-path/volume-claim-templates-hash']).toBeUndefined();
  });
});

describe('stateful-set model', () => {
  test('gbQuantity renders canonical quantities', () => {
    expect(gbQuantity(1)).toBe('1Gi');
    expect(gbQuantity(1024)).toBe('1Ti');
  });

  test('claimTemplatesHash is stable and sensitive to content', () => {
    const t = [{ metadata: { name: 'a' } }] as any;
    expect(claimTemplatesHash(t)).toBe(claimTemplatesHash([{ metadata: { name: 'a' } }] as any));
    expect(claimTemplatesHash(t)).not.toBe(claimTemplatesHash([{ metadata: { name: 'b' } }] as any));
  });

  test('the pure model builds without CDKTF constructs', () => {
    const m = buildStatefulSetModel(new PropValidator(undefined), { slaTarget: 1, extraLabels: {}, cluster: CLUSTER_PROFILES.panfactum }, { namespace: 'n', name: 's', containers: [NGINX], volumeMounts: { v: { mountPath: '/v' } } });
    expect(m.statefulSet.spec?.serviceName).toBe('s-headless');
    expect(m.pod.template.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length).toBe(1);
  });
});
