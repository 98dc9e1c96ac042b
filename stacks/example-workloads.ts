import { Construct } from 'constructs';
import { EnvironmentContext, KubeCronJob, KubeJob, KubeNamespace, KubeStatefulSet } from '../lib';

/** What addWorkloadExamples creates. */
export interface WorkloadExamples {
  readonly redis: KubeStatefulSet;
  readonly cleanup: KubeCronJob;
  readonly migration: KubeJob;
}

/**
 * The example app's stateful and batch workloads: a single-replica Redis StatefulSet with
 * a 1 GB autoresized volume (pinned claim templates), a nightly CronJob and a database
 * migration Job that the app's Deployment can wait for (`dependsOn: [migration.job.resource]`).
 */
/** The pinned claim-template hash of the Redis example, by the cluster's retained StorageClass. */
const CLAIM_TEMPLATE_HASHES: Record<string, string> = { 'ebs-standard-retained': '6aa010b8576b', gp3: 'a6fcbed0790e' };

export function addWorkloadExamples(stack: Construct, namespace: KubeNamespace): WorkloadExamples {
  const redis = new KubeStatefulSet(stack, 'redis', {
    namespace,
    name: 'redis',
    containers: [
      {
        name: 'redis',
        imageRegistry: 'docker.io',
        imageRepository: 'library/redis',
        imageTag: '7.4.1',
        command: ['redis-server', '--dir', '/data', '--appendonly', 'yes'],
        minimumMemory: 100,
        minimumCpu: 50,
        ports: { redis: { port: 6379 } },
        livenessProbeType: 'TCP',
        livenessProbePort: 6379,
      },
    ],
    volumeMounts: { data: { mountPath: '/data', initialSizeGb: 1, sizeLimitGb: 10 } },
    // Pinned: a change to the claim templates now fails at synth instead of at apply. The
    // templates name the cluster's StorageClass, so each kind of cluster has its own hash.
    volumeClaimTemplatesHash: CLAIM_TEMPLATE_HASHES[EnvironmentContext.of(stack).cluster.retainedStorageClass],
    // A cache: losing its volume on scale-down is fine; keep it when the StatefulSet is deleted.
    volumeRetentionPolicy: { whenScaled: 'Delete' },
  });

  const cleanup = new KubeCronJob(stack, 'cleanup', {
    namespace,
    name: 'nightly-cleanup',
    cronSchedule: '30 3 * * *',
    timeZone: 'UTC',
    containers: [
      {
        name: 'cleanup',
        imageRegistry: 'docker.io',
        imageRepository: 'library/busybox',
        imageTag: '1.37.0',
        command: ['sh', '-c', 'echo "removing expired sessions"'],
      },
    ],
  });

  const migration = new KubeJob(stack, 'migration', {
    namespace,
    name: 'db-migrate',
    containers: [
      {
        name: 'migrate',
        imageRegistry: 'docker.io',
        imageRepository: 'library/busybox',
        imageTag: '1.37.0',
        command: ['sh', '-c', 'echo "applying migrations"'],
      },
    ],
    commonEnv: { REDIS_HOST: `${redis.serviceName}.${redis.namespaceName}.svc.cluster.local` },
    extraPodFailurePolicyRules: [{ action: 'FailJob', onExitCodes: { containerName: 'migrate', values: [42] } }],
  });
  return { redis, cleanup, migration };
}
