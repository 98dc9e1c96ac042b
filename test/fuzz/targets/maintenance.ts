/**
 * Targets: the cluster maintenance controllers (Helm releases with their namespace, PDB, VPA and
 * extra objects): KubeReloader, KubeDescheduler, KubePvcAutoresizer, KubeExternalSnapshotter,
 * KubeNodeImageCacheController, KubeVelero.
 */
import * as fc from 'fast-check';
import { Construct } from 'constructs';
import { KubeDescheduler } from '../../../lib/constructs/kube-descheduler';
import { KubeExternalSnapshotter } from '../../../lib/constructs/kube-external-snapshotter';
import { KubeNodeImageCacheController } from '../../../lib/constructs/kube-node-image-cache-controller';
import { KubePvcAutoresizer } from '../../../lib/constructs/kube-pvc-autoresizer';
import { KubeReloader } from '../../../lib/constructs/kube-reloader';
import { KubeVelero } from '../../../lib/constructs/kube-velero';
import { FuzzRef } from '../model';
import { caseArbitrary } from '../mutate';
import { BuildEnv, FuzzTarget } from '../run-case';
import { cidr, dnsLabel, duration } from '../values';
import { clusterContext, context } from './common';

/** Props every maintenance controller takes. */
const common = {
  namespace: dnsLabel(30).filter((n) => n !== 'default' && !n.startsWith('kube-')),
  chartRepository: fc.constantFrom('https://charts.example.com/stable', 'oci://registry.example.com/charts'),
  vpaEnabled: fc.boolean(),
  panfactumSchedulerEnabled: fc.boolean(),
  pullThroughCacheEnabled: fc.boolean(),
  spotNodesEnabled: fc.boolean(),
  burstableNodesEnabled: fc.boolean(),
  controllerNodesEnabled: fc.boolean(),
  priorityClassName: fc.constantFrom('cluster-important', 'system-cluster-critical'),
  wait: fc.boolean(),
  monitoringEnabled: fc.boolean(),
  helmProvider: fc.constant(new FuzzRef('helm')),
  kubernetesProvider: fc.constant(new FuzzRef('kubernetes')),
};

const record = (model: Record<string, fc.Arbitrary<unknown>>) => fc.record(model, { requiredKeys: [] }).map((p: Record<string, any>) => {
  if (p.spotNodesEnabled === false) p.burstableNodesEnabled = false;
  return p;
});

const semver = fc.constantFrom('1.2.3', '2.2.9', '0.10.0');

const reloader = record({ ...common, reloaderHelmVersion: semver, autoReloadAll: fc.boolean() });
const descheduler = record({
  ...common,
  deschedulerHelmVersion: semver,
  logVerbosity: fc.integer({ min: 1, max: 9 }),
  maxPodLifetimeSeconds: fc.integer({ min: 60, max: 604800 }),
  pendingPodTimeoutSeconds: fc.integer({ min: 60, max: 86400 }),
  podRestartThreshold: fc.integer({ min: 1, max: 10000 }),
  maxEvictions: fc.integer({ min: 1, max: 100000 }),
  deschedulingInterval: fc.constantFrom('5m', '10m', '1h', '30s'),
});
const pvcAutoresizer = record({
  ...common,
  pvcAutoresizerHelmVersion: semver,
  prometheusUrl: fc.constantFrom('http://prometheus-operated.monitoring.svc:9090', 'https://thanos.example.com'),
  webhookClusterIssuer: fc.constantFrom('internal', 'self-signed'),
});
const snapshotter = record({
  ...common,
  externalSnapshotterHelmVersion: semver,
  logVerbosity: fc.integer({ min: 0, max: 9 }),
  volumeSnapshotClassEnabled: fc.boolean(),
  volumeSnapshotClassName: dnsLabel(30),
  snapshotDeletionPolicy: fc.constantFrom('Retain', 'Delete'),
  volumeSnapshotClassDefault: fc.boolean(),
});
const imageCacheController = record({
  ...common,
  kubeFledgedHelmVersion: fc.constantFrom('v0.10.0', '0.10.0'),
  imageCacheRefreshFrequency: fc.constantFrom('15m', '30m', '0s', '1h'),
  imagePullDeadlineDuration: duration,
}).map((p) => {
  delete p.priorityClassName; // the chart cannot render one (documented: refused)
  return p;
});
const velero = record({
  ...common,
  veleroHelmVersion: semver,
  awsPluginVersion: fc.constantFrom('v1.12.0', 'v1.11.1'),
  logLevel: fc.constantFrom('debug', 'info', 'warning', 'error'),
  backupSchedule: fc.constantFrom('0 * * * *', '0 */6 * * *', '@every 2h'),
  backupTtl: fc.constantFrom('12h0m0s', '72h0m0s', '720h'),
  backupScheduleName: dnsLabel(30),
  excludedResources: fc.subarray(['events', 'events.events.k8s.io', 'challenges.acme.cert-manager.io']),
  bucketNamePrefix: fc.constantFrom('corp-backups-', 'velero-', 'a.b-'),
  bucketEncryption: fc.constantFrom('aws:kms', 'AES256'),
  kmsKeyArn: fc.constant('arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555'),
  noncurrentVersionExpirationDays: fc.integer({ min: 1, max: 3650 }),
  awsIamIpAllowList: fc.array(cidr, { maxLength: 2 }),
  controllerNodesRequired: fc.boolean(),
  awsProvider: fc.constant(new FuzzRef('aws')),
  issuer: fc.constantFrom('context', 'url', 'arn', 'cluster'),
}).map(({ issuer, ...p }: Record<string, any>) => {
  if (p.bucketEncryption === 'AES256') delete p.kmsKeyArn;
  if (issuer === 'url') p.oidcIssuerUrl = 'https://oidc.eks.us-east-2.amazonaws.com/id/CORPUSCLUSTER000000000000000000';
  if (issuer === 'arn') p.oidcProviderArn = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/CORPUSCLUSTER000000000000000000';
  if (issuer === 'cluster') p.eksClusterName = 'corp-other';
  return p;
});

type Ctor = new (scope: Construct, id: string, props: any) => Construct;
const target = (name: string, ctor: Ctor, props: fc.Arbitrary<unknown>, ctx = context, aws = false): FuzzTarget => ({
  name,
  providers: { helm: true, aws },
  refs: { helm: (env: BuildEnv) => env.helm },
  cases: caseArbitrary(props, ctx),
  build: (scope, p, env) => new ctor(scope, env.id('subject'), p),
});

export const MAINTENANCE_TARGETS: FuzzTarget[] = [
  target('KubeReloader', KubeReloader, reloader),
  target('KubeDescheduler', KubeDescheduler, descheduler),
  target('KubePvcAutoresizer', KubePvcAutoresizer, pvcAutoresizer),
  target('KubeExternalSnapshotter', KubeExternalSnapshotter, snapshotter),
  target('KubeNodeImageCacheController', KubeNodeImageCacheController, imageCacheController),
  target('KubeVelero', KubeVelero, velero, clusterContext, true),
];
