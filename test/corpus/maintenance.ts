import { App, TerraformOutput, TerraformStack } from 'cdktf';
import {
  KubeDescheduler, KubeExternalSnapshotter, KubeNodeImageCacheController, KubePriorityClasses, KubePvcAutoresizer,
  KubeReloader, KubeVelero,
} from '../../lib';
import { corpusStack } from './stack';

export const MAINTENANCE_STACK = 'corpus-maintenance';

/**
 * `corpus-maintenance`: the six Helm-installed cluster maintenance controllers with non-default
 * settings, after the Panfactum PriorityClasses they run at. Built directly (not through
 * ClusterMaintenanceStack) so the stack uses the corpus providers and no S3 backend.
 *
 * - KubeReloader: reload everything, own namespace, monitoring on, no wait.
 * - KubeNodeImageCacheController: refresh and pull deadlines, no Spot nodes.
 * - KubePvcAutoresizer: Prometheus metrics and the webhook with a cert-manager issuer.
 * - KubeDescheduler: every policy knob, default scheduler, no VPA.
 * - KubeExternalSnapshotter: named, non-default, Delete snapshot class, verbose logs.
 * - KubeVelero: six-hourly schedule and TTL, excluded resources, bucket prefix, customer KMS key,
 *   version expiry, IP allow list, not pinned to controller nodes, issuer given as a URL.
 */
export function buildMaintenanceStack(app: App): TerraformStack {
  const { stack, aws, helm, kubernetes } = corpusStack(app, MAINTENANCE_STACK, { aws: true, helm: true, context: { slaTarget: 2 } });

  const priorities = new KubePriorityClasses(stack, 'priority-classes', { provider: kubernetes });
  const dependsOn = Object.values(priorities.priorityClasses).map((p) => p.resource);
  const common = { helmProvider: helm, kubernetesProvider: kubernetes, dependsOn };

  new KubeReloader(stack, 'reloader', {
    ...common,
    namespace: 'corpus-reloader',
    reloaderHelmVersion: '2.2.9',
    autoReloadAll: true,
    monitoringEnabled: true,
    wait: false,
    priorityClassName: 'cluster-important',
  });
  new KubeNodeImageCacheController(stack, 'node-image-cache-controller', {
    ...common,
    namespace: 'corpus-node-image-cache',
    kubeFledgedHelmVersion: 'v0.10.0',
    imageCacheRefreshFrequency: '30m',
    imagePullDeadlineDuration: '10m',
    spotNodesEnabled: false,
    burstableNodesEnabled: false,
  });
  new KubePvcAutoresizer(stack, 'pvc-autoresizer', {
    ...common,
    namespace: 'corpus-pvc-autoresizer',
    prometheusUrl: 'http://prometheus-operated.monitoring.svc:9090',
    webhookClusterIssuer: 'internal',
    pullThroughCacheEnabled: false,
    controllerNodesEnabled: false,
  });
  new KubeDescheduler(stack, 'descheduler', {
    ...common,
    namespace: 'corpus-descheduler',
    logVerbosity: 3,
    maxPodLifetimeSeconds: 28800,
    pendingPodTimeoutSeconds: 600,
    podRestartThreshold: 5,
    maxEvictions: 20,
    deschedulingInterval: '10m',
    panfactumSchedulerEnabled: false,
    vpaEnabled: false,
  });
  const snapshotter = new KubeExternalSnapshotter(stack, 'external-snapshotter', {
    ...common,
    namespace: 'corpus-external-snapshotter',
    logVerbosity: 2,
    volumeSnapshotClassEnabled: true,
    volumeSnapshotClassName: 'ebs-corpus',
    snapshotDeletionPolicy: 'Delete',
    volumeSnapshotClassDefault: false,
  });
  const velero = new KubeVelero(stack, 'velero', {
    ...common,
    dependsOn: [...dependsOn, snapshotter.release, ...(snapshotter.volumeSnapshotClass ? [snapshotter.volumeSnapshotClass.resource] : [])],
    awsProvider: aws,
    namespace: 'corpus-velero',
    logLevel: 'info',
    backupSchedule: '0 */6 * * *',
    backupTtl: '12h0m0s',
    backupScheduleName: 'six-hourly',
    excludedResources: ['events', 'events.events.k8s.io', 'challenges.acme.cert-manager.io'],
    bucketNamePrefix: 'corpus-backups-',
    bucketEncryption: 'aws:kms',
    kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555',
    noncurrentVersionExpirationDays: 14,
    awsIamIpAllowList: ['10.0.0.0/16'],
    controllerNodesRequired: false,
    oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/CORPUSCLUSTER000000000000000000',
    monitoringEnabled: false,
  });

  new TerraformOutput(stack, 'backup_bucket', { value: velero.bucketName });
  new TerraformOutput(stack, 'velero_role_arn', { value: velero.iamRole.roleArn });
  return stack;
}
