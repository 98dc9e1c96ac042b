import { TerraformStack, TerraformVariable } from 'cdktf';
import { parse } from 'yaml';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { PropValidator } from '../lib/core/validation';
import { KubeDescheduler } from '../lib/constructs/kube-descheduler';
import { KubeExternalSnapshotter } from '../lib/constructs/kube-external-snapshotter';
import { KubeNodeImageCacheController } from '../lib/constructs/kube-node-image-cache-controller';
import { KubePvcAutoresizer } from '../lib/constructs/kube-pvc-autoresizer';
import { KubeReloader } from '../lib/constructs/kube-reloader';
import { KubeVelero } from '../lib/constructs/kube-velero';
import {
  HELM_STANDARD_LABEL_KEYS, chartSchedulingWithoutSpread, cronIntervalSeconds, formatGoDuration, isSemver, parseGoDuration, withoutChartLabels,
} from '../lib/k8s/maintenance';
import { validateBackupSchedule } from '../lib/k8s/backups';
import { manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const CONTEXT = { environment: 'production', region: 'us-east-2', clusterName: 'prod-cluster', slaTarget: 3 as const };

function stackWithProviders(context: Parameters<typeof newStack>[0] = CONTEXT): TerraformStack {
  const { stack } = newStack(context);
  new HelmProvider(stack, 'helm', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  return stack;
}

/** The single helm_release of a synth, its values parsed back from YAML. */
function release(out: ReturnType<typeof synth>, chart: string): { resource: any; values: any } {
  const found = Object.values<any>(out.json.resource.helm_release).filter((r) => r.chart === chart);
  expect(found).toHaveLength(1);
  expect(found[0].values).toHaveLength(1);
  return { resource: found[0], values: parse(found[0].values[0]) };
}

const CONTROLLER_TOLERATIONS = ['burstable', 'spot', 'arm64', 'controller'].map((key) => ({ key, operator: 'Equal', value: 'true', effect: 'NoSchedule' }));
const PREFER_CONTROLLER_NODES = {
  nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'panfactum.com/class', operator: 'In', values: ['controller'] }] } }] },
};

function expectReleaseBasics(r: any, ns: string, repository: string, version: string) {
  expect(r.namespace).toBe(ns);
  expect(r.repository).toBe(repository);
  expect(r.version).toBe(version);
  expect(r.atomic).toBe(true);
  expect(r.cleanup_on_fail).toBe(true);
  expect(r.wait).toBe(true);
  expect(r.force_update).toBe(true);
  expect(r.max_history).toBe(5);
  expect(r.depends_on.some((d: string) => d.startsWith('kubernetes_manifest.') && d.includes('Namespace'))).toBe(true);
}

/**
 * The PDB selects the pods (by `id`, or by the given labels for a chart that cannot label its pods);
 * the VPA targets the Deployment and container names the chart renders.
 */
function expectPdbAndVpa(out: ReturnType<typeof synth>, ns: string, name: string, container: string, minMemory: string, matchId: string | Record<string, string>, maxUnavailable = 1) {
  const pdb = manifest(out, 'PodDisruptionBudget', name);
  expect(pdb.metadata.namespace).toBe(ns);
  const matchLabels = typeof matchId === 'string' ? { id: matchId } : matchId;
  expect(pdb.spec).toEqual({ selector: { matchLabels }, maxUnavailable, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  const vpa = manifest(out, 'VerticalPodAutoscaler', name);
  expect(vpa.metadata.namespace).toBe(ns);
  expect(vpa.spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name });
  expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Auto', evictionRequirements: [{ resources: ['cpu', 'memory'], changeRequirement: 'TargetHigherThanRequests' }] });
  expect(vpa.spec.resourcePolicy.containerPolicies).toEqual([{ containerName: container, minAllowed: { memory: minMemory } }]);
}

describe('KubeReloader', () => {
  const stack = stackWithProviders();
  new KubeReloader(stack, 'reloader');
  const out = synth(stack); // with validations: every Kubernetes object is schema-checked

  test('helm_release pins the chart and installs atomically in its own namespace', () => {
    const { resource } = release(out, 'reloader');
    expectReleaseBasics(resource, 'reloader', 'https://stakater.github.io/stakater-charts', '2.2.9');
    expect(resource.name).toBe('reloader');
    expect(manifest(out, 'Namespace', 'reloader').metadata.name).toBe('reloader');
  });

  test('values, field by field', () => {
    const { values } = release(out, 'reloader');
    expect(Object.keys(values).sort()).toEqual(['fullnameOverride', 'reloader']);
    expect(values.fullnameOverride).toBe('reloader');
    const r = values.reloader;
    expect(r.autoReloadAll).toBe(false);
    expect(r.reloadStrategy).toBe('annotations');
    expect(r.reloadOnCreate).toBe(true);
    expect(r.logFormat).toBe('json');
    expect(r.readOnlyRootFileSystem).toBe(true);
    expect(r.enableHA).toBe(false);
    expect(r.podMonitor).toEqual({ enabled: false });
    expect(r.podDisruptionBudget).toEqual({ enabled: false });
    expect(r.matchLabels).toEqual({ id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const d = r.deployment;
    expect(d.replicas).toBe(1);
    expect(d.priorityClassName).toBe('cluster-important');
    expect(d.resources).toEqual({ requests: { memory: '200Mi' }, limits: { memory: '260Mi' } });
    expect(d.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    expect(d.affinity).toEqual(PREFER_CONTROLLER_NODES);
    expect(d.labels).toMatchObject({
      'panfactum.com/module': 'kube_reloader',
      'panfactum.com/environment': 'production',
      'panfactum.com/workload': 'reloader',
      'panfactum.com/scheduler-enabled': 'true',
    });
  });

  test('deployment labels repeat neither reloader.matchLabels nor the chart\'s own labels (no duplicate keys in the pod template)', () => {
    const r = release(out, 'reloader').values.reloader;
    // The chart renders its labels, then reloader.deployment.labels, then reloader.matchLabels into one map.
    expect(r.deployment.labels.id).toBeUndefined();
    for (const key of ['app', 'chart', 'release', 'heritage', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'helm.sh/chart']) {
      expect(r.deployment.labels[key]).toBeUndefined();
    }
    // The pods still get every scheduling label and the id the PDB selects.
    expect({ ...r.deployment.labels, ...r.matchLabels }).toMatchObject({ id: expect.any(String), 'panfactum.com/controller-enabled': 'true' });
  });

  test('PDB and VPA select the pods the chart labels', () => {
    const { values } = release(out, 'reloader');
    expectPdbAndVpa(out, 'reloader', 'reloader', 'reloader', '200Mi', values.reloader.matchLabels.id);
  });

  test('autoReloadAll, monitoring, priority class, chart repository and version are props; vpaEnabled false drops the VPA', () => {
    const s = stackWithProviders();
    new KubeReloader(s, 'r', { autoReloadAll: true, monitoringEnabled: true, priorityClassName: 'system-cluster-critical', chartRepository: 'oci://ghcr.io/stakater/charts', reloaderHelmVersion: '2.1.3', vpaEnabled: false, wait: false });
    const o = synth(s);
    const { resource, values } = release(o, 'reloader');
    expect(resource.repository).toBe('oci://ghcr.io/stakater/charts');
    expect(resource.version).toBe('2.1.3');
    expect(resource.wait).toBe(false);
    expect(values.reloader.autoReloadAll).toBe(true);
    expect(values.reloader.podMonitor).toEqual({ enabled: true });
    expect(values.reloader.deployment.priorityClassName).toBe('system-cluster-critical');
    expect(o.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });
});

describe('KubeDescheduler', () => {
  const stack = stackWithProviders();
  new KubeDescheduler(stack, 'descheduler');
  const out = synth(stack);
  const { resource, values } = release(out, 'descheduler');

  test('helm_release', () => {
    expectReleaseBasics(resource, 'descheduler', 'https://kubernetes-sigs.github.io/descheduler/', '0.35.1');
  });

  test('values, field by field', () => {
    expect(values.fullnameOverride).toBe('descheduler');
    expect(values.kind).toBe('Deployment');
    expect(values.deschedulingInterval).toBe('5m');
    expect(values.replicas).toBe(1);
    expect(values.cmdOptions).toEqual({ v: 1, 'logging-format': 'json' });
    expect(values.resources).toEqual({ requests: { memory: '100Mi' }, limits: { memory: '130Mi' } });
    expect(values.priorityClassName).toBe('cluster-important');
    expect(values.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    expect(values.affinity).toEqual(PREFER_CONTROLLER_NODES);
    expect(values.podLabels['panfactum.com/module']).toBe('kube_descheduler');
    expect(values.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 10258, scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 });
    expect(values.service).toEqual({ enabled: false });
    expect(values.serviceMonitor).toEqual({ enabled: false });
    expect(values.deschedulerPolicyAPIVersion).toBe('descheduler/v1alpha2');
  });

  test('policy: evictions capped, PDB-respecting DefaultEvictor with the opt-out label in every profile', () => {
    const policy = values.deschedulerPolicy;
    expect(policy.maxNoOfPodsToEvictPerNode).toBe(10);
    expect(policy.maxNoOfPodsToEvictPerNamespace).toBe(10);
    expect(policy.profiles.map((p: any) => p.name)).toEqual(['scheduling-violation', 'pod-runtime-problems', 'pod-lifetime']);
    for (const p of policy.profiles) {
      expect(p.pluginConfig[0]).toEqual({
        name: 'DefaultEvictor',
        args: {
          podProtections: { defaultDisabled: ['PodsWithLocalStorage', 'SystemCriticalPods', 'FailedBarePods'] },
          nodeFit: false,
          labelSelector: { matchExpressions: [{ key: 'panfactum.com/descheduler-enabled', operator: 'NotIn', values: ['0', 'false'] }] },
        },
      });
      expect(p.plugins.filter).toEqual({ enabled: ['DefaultEvictor'] });
    }
  });

  test('policy: soft and hard affinity / topology spread violations', () => {
    const p = values.deschedulerPolicy.profiles[0];
    const args = Object.fromEntries(p.pluginConfig.map((c: any) => [c.name, c.args]));
    expect(args.RemovePodsViolatingNodeAffinity).toEqual({ nodeAffinityType: ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'] });
    expect(args.RemovePodsViolatingTopologySpreadConstraint).toEqual({ constraints: ['DoNotSchedule', 'ScheduleAnyway'] });
    expect(p.plugins.deschedule.enabled).toEqual(['RemovePodsViolatingNodeAffinity', 'RemovePodsViolatingInterPodAntiAffinity', 'RemovePodsViolatingNodeTaints']);
    expect(p.plugins.balance.enabled).toEqual(['RemovePodsViolatingTopologySpreadConstraint']);
  });

  test('policy: pending, failed and crash-looping pods', () => {
    const p = values.deschedulerPolicy.profiles[1];
    const args = Object.fromEntries(p.pluginConfig.map((c: any) => [c.name, c.args]));
    expect(args.PodLifeTime.maxPodLifeTimeSeconds).toBe(300);
    expect(args.PodLifeTime.states).toEqual(expect.arrayContaining(['Pending', 'ContainerCreating', 'ImagePullBackOff']));
    expect(args.RemoveFailedPods).toEqual({ minPodLifetimeSeconds: 60, includingInitContainers: true, excludeOwnerKinds: ['Job', 'Workflow'] });
    expect(args.RemovePodsHavingTooManyRestarts).toEqual({ podRestartThreshold: 3, includingInitContainers: true });
  });

  test('policy: 4 h maximum lifetime, pods labelled prevent-lifetime-eviction spared', () => {
    const p = values.deschedulerPolicy.profiles[2];
    expect(p.pluginConfig[1]).toEqual({
      name: 'PodLifeTime',
      args: { maxPodLifeTimeSeconds: 14400, labelSelector: { matchExpressions: [{ key: 'panfactum.com/prevent-lifetime-eviction', operator: 'NotIn', values: ['true', '1'] }] } },
    });
    expect(p.plugins.deschedule).toEqual({ enabled: ['PodLifeTime'] });
  });

  test('PDB and VPA', () => {
    expectPdbAndVpa(out, 'descheduler', 'descheduler', 'descheduler', '100Mi', values.podLabels.id);
  });

  test('lifetime, thresholds, verbosity and interval are props', () => {
    const s = stackWithProviders();
    new KubeDescheduler(s, 'd', { maxPodLifetimeSeconds: 3600, pendingPodTimeoutSeconds: 120, podRestartThreshold: 5, maxEvictions: 3, logVerbosity: 4, deschedulingInterval: '10m', monitoringEnabled: true });
    const v = release(synth(s), 'descheduler').values;
    expect(v.deschedulerPolicy.profiles[2].pluginConfig[1].args.maxPodLifeTimeSeconds).toBe(3600);
    expect(v.deschedulerPolicy.profiles[1].pluginConfig[1].args.maxPodLifeTimeSeconds).toBe(120);
    expect(v.deschedulerPolicy.profiles[1].pluginConfig[3].args.podRestartThreshold).toBe(5);
    expect(v.deschedulerPolicy.maxNoOfPodsToEvictPerNode).toBe(3);
    expect(v.cmdOptions.v).toBe(4);
    expect(v.deschedulingInterval).toBe('10m');
    expect(v.service).toEqual({ enabled: true });
  });
});

describe('KubePvcAutoresizer', () => {
  test('values at SLA 3: two replicas spread over zones, hosts and instance types', () => {
    const stack = stackWithProviders();
    new KubePvcAutoresizer(stack, 'pvc');
    const out = synth(stack);
    const { resource, values } = release(out, 'pvc-autoresizer');
    expectReleaseBasics(resource, 'pvc-autoresizer', 'https://topolvm.github.io/pvc-autoresizer', '0.13.0');
    expect(values.fullnameOverride).toBe('pvc-autoresizer');
    const c = values.controller;
    expect(c.replicas).toBe(2);
    expect(c.args).toEqual({ useK8sMetricsApi: true });
    expect(c.resources).toEqual({ requests: { memory: '100Mi' }, limits: { memory: '130Mi' } });
    expect(c.priorityClassName).toBe('cluster-important');
    expect(c.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    const id = c.podLabels.id;
    expect(c.podLabels['app.kubernetes.io/managed-by']).toBeUndefined(); // the chart's own label, rendered before podLabels
    expect(c.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution.map((t: any) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'node.kubernetes.io/instance-type']);
    // The chart has no topologySpreadConstraints value: the zone spread is a preferred anti-affinity.
    expect(c.topologySpreadConstraints).toBeUndefined();
    expect(c.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { id } } } },
    ]);
    expect(values.webhook).toEqual({ pvcMutatingWebhook: { enabled: false } });
    expect(values['cert-manager']).toEqual({ enabled: false });
    expect(values.podMonitor).toEqual({ enabled: false });
    // Deployment `<fullnameOverride>-controller`, container `pvc-autoresizer`.
    expectPdbAndVpa(out, 'pvc-autoresizer', 'pvc-autoresizer-controller', 'pvc-autoresizer', '100Mi', id);
  });

  test('SLA 1: one replica, no spread; Prometheus URL and webhook issuer are props', () => {
    const stack = stackWithProviders({ ...CONTEXT, slaTarget: 1 });
    new KubePvcAutoresizer(stack, 'pvc', { prometheusUrl: 'http://thanos.monitoring.svc:9090', webhookClusterIssuer: 'internal' });
    const { values } = release(synth(stack), 'pvc-autoresizer');
    expect(values.controller.replicas).toBe(1);
    expect(values.controller.topologySpreadConstraints).toBeUndefined();
    expect(values.controller.affinity.podAntiAffinity).toBeUndefined();
    expect(values.controller.affinity.nodeAffinity).toEqual(PREFER_CONTROLLER_NODES.nodeAffinity);
    expect(values.controller.args).toEqual({ useK8sMetricsApi: false, prometheusURL: 'http://thanos.monitoring.svc:9090' });
    expect(values.webhook).toEqual({ pvcMutatingWebhook: { enabled: true }, existingCertManagerIssuer: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: 'internal' } });
  });
});

describe('KubeExternalSnapshotter', () => {
  const stack = stackWithProviders();
  new KubeExternalSnapshotter(stack, 'snap');
  const out = synth(stack);
  const { resource, values } = release(out, 'snapshot-controller');

  test('helm_release and values, field by field', () => {
    expectReleaseBasics(resource, 'external-snapshotter', 'https://piraeus.io/helm-charts', '4.2.0');
    // The piraeus chart reads controller.fullnameOverride; a top-level key would be ignored and
    // the Deployment named `external-snapshotter-snapshot-controller`.
    expect(values.fullnameOverride).toBeUndefined();
    const c = values.controller;
    expect(c.fullnameOverride).toBe('external-snapshotter');
    expect(c.enabled).toBe(true);
    expect(c.replicaCount).toBe(1);
    expect(c.args).toEqual({ v: 0, leaderElection: true }); // the chart's own key: rendered --leader-election=true once
    expect(c.resources).toEqual({ requests: { memory: '100Mi' }, limits: { memory: '130Mi' } });
    expect(c.priorityClassName).toBe('cluster-important');
    expect(c.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    expect(c.affinity).toEqual(PREFER_CONTROLLER_NODES);
    expect(c.serviceMonitor).toEqual({ create: false });
    expect(values.webhook).toBeUndefined(); // the 4.x chart has no validation webhook (test/helm-chart-values.test.ts)
    expectPdbAndVpa(out, 'external-snapshotter', 'external-snapshotter', 'snapshot-controller', '100Mi', c.podLabels.id);
  });

  test('VolumeSnapshotClass for the EBS CSI driver, applied after the chart installs the CRDs', () => {
    const vsc = manifest(out, 'VolumeSnapshotClass', 'ebs');
    expect(vsc.apiVersion).toBe('snapshot.storage.k8s.io/v1');
    expect(vsc.driver).toBe('ebs.csi.aws.com');
    expect(vsc.deletionPolicy).toBe('Retain');
    expect(vsc.metadata.labels['velero.io/csi-volumesnapshot-class']).toBe('true');
    expect(vsc.metadata.annotations).toEqual({ 'snapshot.storage.kubernetes.io/is-default-class': 'true' });
    expect(Object.keys(vsc.parameters)).toEqual(['tagSpecification_1', 'tagSpecification_2', 'tagSpecification_3']);
    const r = Object.values<any>(out.manifestResources).find((x) => x.manifest.kind === 'VolumeSnapshotClass');
    expect(r.depends_on.some((d: string) => d.startsWith('helm_release.'))).toBe(true);
  });

  test('class name, deletion policy and default flag are props; the class can be left out', () => {
    const s = stackWithProviders();
    new KubeExternalSnapshotter(s, 'snap', { volumeSnapshotClassName: 'ebs-delete', snapshotDeletionPolicy: 'Delete', volumeSnapshotClassDefault: false, logVerbosity: 3 });
    const o = synth(s);
    const vsc = manifest(o, 'VolumeSnapshotClass', 'ebs-delete');
    expect(vsc.deletionPolicy).toBe('Delete');
    expect(vsc.metadata.annotations).toBeUndefined();
    expect(release(o, 'snapshot-controller').values.controller.args.v).toBe(3);
    const s2 = stackWithProviders();
    new KubeExternalSnapshotter(s2, 'snap', { volumeSnapshotClassEnabled: false });
    expect(synth(s2).manifests.some((m) => m.kind === 'VolumeSnapshotClass')).toBe(false);
  });
});

describe('KubeNodeImageCacheController', () => {
  test('helm_release, values field by field, privileged namespace, PDB and VPA', () => {
    const stack = stackWithProviders();
    new KubeNodeImageCacheController(stack, 'fledged');
    const out = synth(stack);
    const { resource, values } = release(out, 'kube-fledged');
    expectReleaseBasics(resource, 'node-image-cache', 'https://senthilrch.github.io/kubefledged-charts/', 'v0.10.0');
    expect(values.fullnameOverride).toBe('kube-fledged');
    expect(values.controllerReplicaCount).toBe(1);
    expect(Object.keys(values).sort()).toEqual(['affinity', 'args', 'controllerReplicaCount', 'fullnameOverride', 'resources', 'tolerations', 'webhookServer']);
    expect(values.args).toEqual({ controllerImageCacheRefreshFrequency: '15m', controllerImagePullDeadlineDuration: '5m', controllerImagePullPolicy: 'IfNotPresent' });
    expect(values.webhookServer).toEqual({ enable: false });
    expect(values.resources).toEqual({ requests: { memory: '100Mi' }, limits: { memory: '130Mi' } });
    // No controller.priorityClassName: chart v0.10.0 renders invalid YAML for it (test/helm-chart-values.test.ts).
    expect(values.controller).toBeUndefined();
    expect(values.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    expect(values.affinity).toEqual(PREFER_CONTROLLER_NODES);
    expect(manifest(out, 'Namespace', 'node-image-cache').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    // No pod-label value in the chart: the PDB selects the chart's controller pod labels
    // (part-of = release name + "-controller"); the container is named after the chart.
    expect(resource.name).toBe('kube-fledged-controller');
    expectPdbAndVpa(out, 'node-image-cache', 'kube-fledged-controller', 'kube-fledged', '100Mi',
      { 'app.kubernetes.io/name': 'kube-fledged', 'app.kubernetes.io/instance': 'kube-fledged-controller', 'app.kubernetes.io/part-of': 'kube-fledged-controller-controller' });
  });

  test('refresh frequency and pull deadline are props', () => {
    const stack = stackWithProviders();
    new KubeNodeImageCacheController(stack, 'fledged', { imageCacheRefreshFrequency: '1h', imagePullDeadlineDuration: '10m', namespace: 'image-cache' });
    const { resource, values } = release(synth(stack), 'kube-fledged');
    expect(resource.namespace).toBe('image-cache');
    expect(values.args.controllerImageCacheRefreshFrequency).toBe('1h');
    expect(values.args.controllerImagePullDeadlineDuration).toBe('10m');
  });
});

describe('KubeVelero', () => {
  const stack = stackWithProviders();
  new KubeVelero(stack, 'velero', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789' });
  const out = synth(stack);
  const res = out.json.resource;
  const one = (type: string) => {
    const all = Object.values<any>(res[type] ?? {});
    expect(all).toHaveLength(1);
    return all[0];
  };
  const bucketRef = '${aws_s3_bucket.velero_Bucket_7D055871.id}';

  test('the bucket is never force-destroyed and cannot be destroyed by Terraform', () => {
    const b = one('aws_s3_bucket');
    expect(b.bucket_prefix).toBe('prod-cluster-backup-');
    expect(b.force_destroy).toBe(false);
    expect(b.lifecycle).toEqual({ prevent_destroy: true });
  });

  test('public access is blocked in all four ways; ACLs are disabled', () => {
    const pab = one('aws_s3_bucket_public_access_block');
    expect(pab).toEqual({ bucket: bucketRef, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(one('aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
  });

  test('encrypted with SSE-KMS and a bucket key by default', () => {
    const enc = one('aws_s3_bucket_server_side_encryption_configuration');
    expect(enc.bucket).toBe(bucketRef);
    expect(enc.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true }]);
  });

  test('versioned, noncurrent versions expire, incomplete uploads are aborted', () => {
    expect(one('aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    const lc = one('aws_s3_bucket_lifecycle_configuration');
    expect(lc.rule).toEqual([
      { id: 'expire-noncurrent-versions', status: 'Enabled', filter: [{ prefix: '' }], noncurrent_version_expiration: [{ noncurrent_days: 7 }] },
      { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] },
    ]);
    expect(lc.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_versioning\.velero_BucketVersioning_/)]);
  });

  test('the bucket policy refuses plain HTTP', () => {
    const policy = JSON.parse(one('aws_s3_bucket_policy').policy);
    expect(policy.Statement).toEqual([{
      Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: ['s3:*'],
      Resource: ['${aws_s3_bucket.velero_Bucket_7D055871.arn}', '${aws_s3_bucket.velero_Bucket_7D055871.arn}/*'],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }]);
  });

  test('the IRSA trust policy pins sub and aud to velero/velero', () => {
    const role = one('aws_iam_role');
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    const st = trust.Statement[0];
    expect(st.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(st.Principal.Federated).toEqual(expect.anything());
    expect(st.Condition.StringEquals).toEqual({
      'oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789:sub': 'system:serviceaccount:velero:velero',
      'oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789:aud': 'sts.amazonaws.com',
    });
  });

  test('the permissions are exactly the EBS snapshot calls (on volumes and snapshots only, GP-IAM-002) and this bucket\'s objects', () => {
    const policy = JSON.parse(one('aws_iam_policy').policy);
    const arn = '${aws_s3_bucket.velero_Bucket_7D055871.arn}';
    const ebs = ['arn:*:ec2:*:*:volume/*', 'arn:*:ec2:*::snapshot/*'];
    expect(policy.Statement).toEqual([
      { Sid: 'EbsDescribe', Effect: 'Allow', Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], Resource: ['*'] },
      { Sid: 'EbsSnapshots', Effect: 'Allow', Action: ['ec2:CreateSnapshot', 'ec2:CreateVolume'], Resource: ebs },
      { Sid: 'EbsSnapshotCleanup', Effect: 'Allow', Action: ['ec2:DeleteSnapshot'], Resource: ['arn:*:ec2:*::snapshot/*'] },
      { Sid: 'EbsTagOnCreate', Effect: 'Allow', Action: ['ec2:CreateTags'], Resource: ebs, Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } } },
      { Sid: 'BackupObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: [`${arn}/*`] },
      { Sid: 'BackupBucket', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [arn] },
    ]);
    expect(res.kubernetes_annotations).toBeUndefined(); // the chart's ServiceAccount carries the annotation
  });

  test('helm values, field by field', () => {
    const { resource, values } = release(out, 'velero');
    expectReleaseBasics(resource, 'velero', 'https://vmware-tanzu.github.io/helm-charts', '9.1.3');
    const roleId = Object.keys(res.aws_iam_role)[0];
    expect(resource.depends_on).toContain(`aws_iam_role.${roleId}`);
    expect(values.podAnnotations).toEqual({ 'karpenter.sh/do-not-disrupt': 'true' });
    expect(values.podLabels).toMatchObject({ 'panfactum.com/module': 'kube_velero', id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    for (const key of ['name', 'app.kubernetes.io/managed-by', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'helm.sh/chart']) {
      expect(values.podLabels[key]).toBeUndefined(); // rendered by the chart's pod template before podLabels
    }
    expect(values.initContainers).toEqual([{ name: 'velero-plugin-for-aws', image: 'docker.io/velero/velero-plugin-for-aws:v1.12.0', imagePullPolicy: 'IfNotPresent', volumeMounts: [{ mountPath: '/target', name: 'plugins' }] }]);
    expect(values.upgradeCRDs).toBe(true);
    expect(values.cleanUpCRDs).toBe(false);
    expect(values.serviceAccount).toEqual({ server: { create: true, name: 'velero', annotations: { 'eks.amazonaws.com/role-arn': `\${aws_iam_role.${roleId}.arn}` } } });
    expect(values.credentials).toEqual({ useSecret: false });
    expect(values.resources).toEqual({ requests: { memory: '256Mi', cpu: '100m' }, limits: { memory: '512Mi' } });
    expect(values.priorityClassName).toBe('cluster-important');
    expect(values.tolerations).toEqual(CONTROLLER_TOLERATIONS);
    expect(values.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({ nodeSelectorTerms: [{ matchExpressions: [{ key: 'panfactum.com/class', operator: 'In', values: ['controller'] }] }] });
    expect(values.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
    expect(values.metrics).toEqual({ enabled: false, serviceMonitor: { enabled: false } });
    expect(values.deployNodeAgent).toBe(false);
    expect(values.snapshotsEnabled).toBe(true);
    expect(values.backupsEnabled).toBe(true);
    expect(values.schedules).toEqual({});
    expect(values.configuration).toEqual({
      backupStorageLocation: [{ name: 'default', provider: 'aws', bucket: '${aws_s3_bucket.velero_Bucket_7D055871.bucket}', default: true, config: { region: '${aws_s3_bucket.velero_Bucket_7D055871.region}' } }],
      volumeSnapshotLocation: [{ name: 'default', provider: 'aws', config: { region: '${aws_s3_bucket.velero_Bucket_7D055871.region}' } }],
      garbageCollectionFrequency: '5m',
      logFormat: 'json',
      logLevel: 'warning',
      features: 'EnableCSI',
      defaultVolumesToFsBackup: false,
    });
  });

  test('hourly Schedule kept 90 minutes, skipping resources labelled exclude-from-backups', () => {
    const s = manifest(out, 'Schedule', 'hourly');
    expect(s.apiVersion).toBe('velero.io/v1');
    expect(s.metadata.namespace).toBe('velero');
    expect(s.spec).toEqual({
      schedule: '0 * * * *',
      useOwnerReferencesInBackup: false,
      template: {
        ttl: '1h30m0s',
        snapshotVolumes: true,
        includedNamespaces: ['*'],
        excludedResources: ['challenges.acme.cert-manager.io', 'orders.acme.cert-manager.io', 'certificaterequests.cert-manager.io'],
        storageLocation: 'default',
        volumeSnapshotLocations: ['default'],
        labelSelector: { matchExpressions: [{ key: 'velero.io/exclude-from-backups', operator: 'NotIn', values: ['true'] }] },
      },
    });
    const r = Object.values<any>(out.manifestResources).find((x) => x.manifest.kind === 'Schedule');
    expect(r.depends_on.some((d: string) => d.startsWith('helm_release.'))).toBe(true);
  });

  test('PDB lets one pod be evicted (seed 000; Panfactum\'s 0 would block every drain, GP-REL-011); VPA floor 256Mi', () => {
    const { values } = release(out, 'velero');
    expectPdbAndVpa(out, 'velero', 'velero', 'velero', '256Mi', values.podLabels.id, 1);
  });

  test('schedule, retention, encryption, KMS key, expiry and prefix are props', () => {
    const s = stackWithProviders();
    new KubeVelero(s, 'velero', {
      oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABC',
      backupSchedule: '0 */6 * * *', backupTtl: '168h', backupScheduleName: 'six-hourly', bucketNamePrefix: 'my-backups-',
      kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/abc', noncurrentVersionExpirationDays: 30, logLevel: 'info', controllerNodesRequired: false,
    });
    const o = synth(s);
    const sched = manifest(o, 'Schedule', 'six-hourly');
    expect(sched.spec.schedule).toBe('0 */6 * * *');
    expect(sched.spec.template.ttl).toBe('168h');
    expect(Object.values<any>(o.json.resource.aws_s3_bucket)[0].bucket_prefix).toBe('my-backups-');
    expect(Object.values<any>(o.json.resource.aws_s3_bucket_server_side_encryption_configuration)[0].rule[0].apply_server_side_encryption_by_default)
      .toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: 'arn:aws:kms:us-east-2:123456789012:key/abc' });
    const policy = JSON.parse(Object.values<any>(o.json.resource.aws_iam_policy)[0].policy);
    expect(policy.Statement[6]).toEqual({ Sid: 'BackupEncryptionKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: ['arn:aws:kms:us-east-2:123456789012:key/abc'] });
    expect(Object.values<any>(o.json.resource.aws_s3_bucket_lifecycle_configuration)[0].rule[0].noncurrent_version_expiration).toEqual([{ noncurrent_days: 30 }]);
    const v = release(o, 'velero').values;
    expect(v.configuration.logLevel).toBe('info');
    expect(v.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(manifest(o, 'PodDisruptionBudget', 'velero').spec.maxUnavailable).toBe(1);
  });

  test('AES256 encryption (SSE-S3) without a bucket key', () => {
    const s = stackWithProviders();
    new KubeVelero(s, 'velero', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABC', bucketEncryption: 'AES256' });
    const enc = Object.values<any>(synth(s).json.resource.aws_s3_bucket_server_side_encryption_configuration)[0];
    expect(enc.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false }]);
  });
});

describe('invalid props are rejected with a ValidationError naming the prop', () => {
  const VELERO_OIDC = { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABC' };
  const cases: Array<[string, (s: TerraformStack) => void, string]> = [
    ['reloader chart version "latest"', (s) => new KubeReloader(s, 'x', { reloaderHelmVersion: 'latest' }), 'reloaderHelmVersion'],
    ['reloader chart version range', (s) => new KubeReloader(s, 'x', { reloaderHelmVersion: '^2.2.9' }), 'reloaderHelmVersion'],
    ['descheduler chart version "0.35"', (s) => new KubeDescheduler(s, 'x', { deschedulerHelmVersion: '0.35' }), 'deschedulerHelmVersion'],
    ['pvc-autoresizer chart version', (s) => new KubePvcAutoresizer(s, 'x', { pvcAutoresizerHelmVersion: '0.13.x' }), 'pvcAutoresizerHelmVersion'],
    ['snapshotter chart version', (s) => new KubeExternalSnapshotter(s, 'x', { externalSnapshotterHelmVersion: 'v4' }), 'externalSnapshotterHelmVersion'],
    ['kube-fledged chart version', (s) => new KubeNodeImageCacheController(s, 'x', { kubeFledgedHelmVersion: 'main' }), 'kubeFledgedHelmVersion'],
    ['velero chart version', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, veleroHelmVersion: '9.1' }), 'veleroHelmVersion'],
    ['velero plugin version', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, awsPluginVersion: 'latest' }), 'awsPluginVersion'],
    ['chart repository over http', (s) => new KubeReloader(s, 'x', { chartRepository: 'http://charts.example.com' }), 'chartRepository'],
    ['lifetime below a minute', (s) => new KubeDescheduler(s, 'x', { maxPodLifetimeSeconds: 59 }), 'maxPodLifetimeSeconds'],
    ['fractional lifetime', (s) => new KubeDescheduler(s, 'x', { maxPodLifetimeSeconds: 3600.5 }), 'maxPodLifetimeSeconds'],
    ['pending timeout below a minute', (s) => new KubeDescheduler(s, 'x', { pendingPodTimeoutSeconds: 30 }), 'pendingPodTimeoutSeconds'],
    ['log verbosity 0', (s) => new KubeDescheduler(s, 'x', { logVerbosity: 0 }), 'logVerbosity'],
    ['descheduling interval', (s) => new KubeDescheduler(s, 'x', { deschedulingInterval: 'often' }), 'deschedulingInterval'],
    ['retention shorter than hourly schedule', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupTtl: '30m' }), 'backupTtl'],
    ['retention shorter than a 6-hour schedule', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupSchedule: '0 */6 * * *', backupTtl: '5h' }), 'backupTtl'],
    ['retention shorter than a daily schedule', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupSchedule: '30 2 * * *', backupTtl: '12h' }), 'backupTtl'],
    ['retention shorter than every 15 minutes', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupSchedule: '*/15 * * * *', backupTtl: '10m' }), 'backupTtl'],
    ['retention not a duration', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupTtl: '90 minutes' }), 'backupTtl'],
    ['schedule not a cron', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, backupSchedule: 'hourly' }), 'backupSchedule'],
    ['KMS key with AES256', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, bucketEncryption: 'AES256', kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/abc' }), 'kmsKeyArn'],
    ['unknown encryption', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, bucketEncryption: 'aws:kms:dsse' as any }), 'bucketEncryption'],
    ['bucket prefix too long', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, bucketNamePrefix: 'a'.repeat(38) }), 'bucketNamePrefix'],
    ['bucket prefix upper case', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, bucketNamePrefix: 'Backups-' }), 'bucketNamePrefix'],
    ['log level', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, logLevel: 'warn' as any }), 'logLevel'],
    ['noncurrent expiry 0 days', (s) => new KubeVelero(s, 'x', { ...VELERO_OIDC, noncurrentVersionExpirationDays: 0 }), 'noncurrentVersionExpirationDays'],
    ['namespace kube-system-like name invalid', (s) => new KubeReloader(s, 'x', { namespace: 'Reloader' }), 'namespace'],
    ['snapshot deletion policy', (s) => new KubeExternalSnapshotter(s, 'x', { snapshotDeletionPolicy: 'Keep' as any }), 'snapshotDeletionPolicy'],
    ['refresh frequency under a minute', (s) => new KubeNodeImageCacheController(s, 'x', { imageCacheRefreshFrequency: '30s' }), 'imageCacheRefreshFrequency'],
    ['prometheus URL', (s) => new KubePvcAutoresizer(s, 'x', { prometheusUrl: 'thanos:9090' }), 'prometheusUrl'],
  ];

  test.each(cases)('%s', (_name, build, field) => {
    const stack = stackWithProviders();
    const error = errorOf(() => build(stack));
    expect(error.field).toBe(field);
    expect(error.path).toMatch(/^test\/x/);
    expect(error.fix.length).toBeGreaterThan(10);
  });

  test('the error explains the interval', () => {
    expect(() => new KubeVelero(stackWithProviders(), 'x', { ...VELERO_OIDC, backupTtl: '30m' })).toThrow(/1h0m0s for "0 \* \* \* \*"/);
  });

  test('tokens do not throw', () => {
    const stack = stackWithProviders();
    const str = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    const num = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    expect(() => new KubeDescheduler(stack, 'd', { deschedulerHelmVersion: str, maxPodLifetimeSeconds: num })).not.toThrow();
    expect(() => new KubeVelero(stack, 'v', { ...VELERO_OIDC, veleroHelmVersion: str, backupTtl: str, backupSchedule: str, bucketNamePrefix: str })).not.toThrow();
  });
});

describe('model: versions, durations and cron intervals', () => {
  test.each([['2.2.9', true], ['v0.10.0', true], ['1.0.0-rc.1+build.5', true], ['1.0', false], ['latest', false], ['~1.2.3', false], ['01.2.3', false]])('isSemver(%s) = %s', (v, ok) => {
    expect(isSemver(v)).toBe(ok);
  });

  test.each([['1h30m0s', 5400], ['90m', 5400], ['45s', 45], ['1.5h', 5400], ['720h', 2592000], ['1d', undefined], ['', undefined], ['h', undefined]])('parseGoDuration(%s) = %s', (text, seconds) => {
    expect(parseGoDuration(text)).toBe(seconds);
  });

  test('formatGoDuration', () => {
    expect(formatGoDuration(5400)).toBe('1h30m0s');
    expect(formatGoDuration(3600)).toBe('1h0m0s');
    expect(formatGoDuration(90)).toBe('1m30s');
    expect(formatGoDuration(5)).toBe('5s');
  });

  test.each([
    ['0 * * * *', 3600], ['15 * * * *', 3600], ['@hourly', 3600], ['*/10 * * * *', 600], ['* * * * *', 60],
    ['0 */4 * * *', 14400], ['30 2 * * *', 86400], ['@daily', 86400], ['@every 2h', 7200],
    ['0 9 * * 1-5', undefined], ['0,30 * * * *', undefined], ['0 0 1 * *', undefined],
  ])('cronIntervalSeconds(%s) = %s', (cron, seconds) => {
    expect(cronIntervalSeconds(cron)).toBe(seconds);
  });

  test('complex schedules are not checked against the retention', () => {
    expect(() => validateBackupSchedule(new PropValidator('<model>'), '0 9 * * 1-5', '1h')).not.toThrow();
    expect(() => validateBackupSchedule(new PropValidator('<model>'), '0 * * * *', '1h')).not.toThrow();
  });
});

describe('chart-rendered names: every VPA targets the Deployment and container the chart renders', () => {
  /** The scaffold fullname rule: fullnameOverride, else the release name if it contains the chart name, else `<release>-<chart>`. */
  const fullname = (override: string | undefined, release: string, chart: string) => override ?? (release.includes(chart) ? release : `${release}-${chart}`);
  const stack = stackWithProviders();
  new KubeReloader(stack, 'reloader');
  new KubeDescheduler(stack, 'descheduler');
  new KubePvcAutoresizer(stack, 'pvc');
  new KubeExternalSnapshotter(stack, 'snap');
  new KubeNodeImageCacheController(stack, 'fledged');
  new KubeVelero(stack, 'velero', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABC' });
  const out = synth(stack);
  const vpas = out.manifests.filter((m) => m.kind === 'VerticalPodAutoscaler');
  const vpaIn = (ns: string) => vpas.find((m) => m.metadata.namespace === ns);

  test.each([
    // chart, namespace, how the chart names its Deployment, its container
    ['reloader', 'reloader', (r: any, v: any): string => fullname(v.fullnameOverride, r.name, 'reloader'), 'reloader'],
    ['descheduler', 'descheduler', (r: any, v: any): string => fullname(v.fullnameOverride, r.name, 'descheduler'), 'descheduler'],
    ['pvc-autoresizer', 'pvc-autoresizer', (r: any, v: any): string => `${fullname(v.fullnameOverride, r.name, 'pvc-autoresizer')}-controller`, 'pvc-autoresizer'],
    ['snapshot-controller', 'external-snapshotter', (r: any, v: any): string => fullname(v.controller.fullnameOverride, r.name, 'snapshot-controller'), 'snapshot-controller'],
    ['kube-fledged', 'node-image-cache', (r: any, v: any): string => `${fullname(v.fullnameOverride, r.name, 'kube-fledged')}-controller`, 'kube-fledged'],
    ['velero', 'velero', (r: any, v: any): string => fullname(v.fullnameOverride, r.name, 'velero'), 'velero'],
  ] as const)('%s', (chart, ns, deployment, container) => {
    const { resource, values } = release(out, chart);
    const vpa = vpaIn(ns);
    expect(vpa.spec.targetRef.name).toBe(deployment(resource, values));
    expect(vpa.spec.resourcePolicy.containerPolicies.map((c: any) => c.containerName)).toEqual([container]);
  });
});

describe('model: chart scheduling and pod labels', () => {
  test('withoutChartLabels drops the keys the chart renders itself', () => {
    expect(withoutChartLabels({ a: '1', 'app.kubernetes.io/managed-by': 'x', id: 'y' }, [...HELM_STANDARD_LABEL_KEYS, 'id'])).toEqual({ a: '1' });
  });

  test('chartSchedulingWithoutSpread turns each spread constraint into a preferred anti-affinity term', () => {
    const selector = { matchLabels: { id: 'abc' } };
    const s = chartSchedulingWithoutSpread({
      matchLabels: { id: 'abc' }, podLabels: {}, objectLabels: {}, tolerations: [], priorityClassName: 'p',
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }] } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector }],
    });
    expect(s).toEqual({
      tolerations: [],
      priorityClassName: 'p',
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }],
          preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'topology.kubernetes.io/zone', labelSelector: selector } }],
        },
      },
    });
    expect(chartSchedulingWithoutSpread({ matchLabels: {}, podLabels: {}, objectLabels: {}, tolerations: [], priorityClassName: 'p' })).toEqual({ tolerations: [], priorityClassName: 'p', affinity: {} });
  });
});
