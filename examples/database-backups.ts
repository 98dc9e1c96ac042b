import { App, TerraformStack } from 'cdktf';
import { EnvironmentContext, KubeNamespace, KubeStatefulSet, KubeVelero } from 'cdktf-golden-path';
import { addProviders } from './providers';

/**
 * A PostgreSQL StatefulSet whose data volume is backed up by Velero. Velero (KubeVelero) is a
 * cluster controller: usually it lives in a separate maintenance stack, one per cluster; it is in
 * the same stack here to keep the example whole. Its hourly Schedule snapshots every
 * PersistentVolume that is not labelled out; `backupsEnabled` on a volume decides that
 * (docs/backups.md).
 */
export function databaseBackupsStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'example-database-backups');
  const { aws } = addProviders(stack, { helm: true });
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 2, clusterName: 'production-primary' });

  // The backup bucket, Velero's IRSA role and the Helm release with its hourly Schedule.
  new KubeVelero(stack, 'velero', { awsProvider: aws, backupSchedule: '0 * * * *', backupTtl: '24h' });

  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'db' });
  new KubeStatefulSet(stack, 'postgres', {
    namespace,
    name: 'postgres',
    replicas: 1,
    containers: [{
      name: 'postgres',
      imageRegistry: 'docker.io',
      imageRepository: 'library/postgres',
      imageTag: '16.4',
      minimumMemory: 512,
      minimumCpu: 250,
      ports: { postgres: { port: 5432 } },
      livenessProbeType: 'TCP',
      livenessProbePort: 5432,
    }],
    commonEnv: { PGDATA: '/var/lib/postgresql/data/pgdata' },
    tmpDirectories: { run: { mountPath: '/var/run/postgresql', sizeMb: 16 } },
    volumeMounts: {
      // Backed up (the default); grown by the PVC autoresizer from 10 GB up to 100 GB.
      data: { mountPath: '/var/lib/postgresql/data', initialSizeGb: 10, sizeLimitGb: 100, backupsEnabled: true },
      // Scratch space for sorts and dumps: labelled out of every backup.
      scratch: { mountPath: '/scratch', initialSizeGb: 5, backupsEnabled: false },
    },
    volumeRetentionPolicy: { whenDeleted: 'Retain' }, // deleting the StatefulSet keeps the data
  });
  return stack;
}
