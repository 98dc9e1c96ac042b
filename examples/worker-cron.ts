import { App, TerraformStack } from 'cdktf';
import { EnvironmentContext, KubeCronJob, KubeDeployment, KubeNamespace } from 'cdktf-golden-path';
import { addProviders } from './providers';

/**
 * Background work: a queue worker Deployment (no ports, so no Service) and a nightly CronJob
 * in the same namespace, sharing their settings through commonEnv.
 */
export function workerCronStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'example-worker-cron');
  addProviders(stack);
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 2 });

  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'jobs' });
  const env = { QUEUE_URL: 'https://sqs.us-east-2.amazonaws.com/123456789012/orders', LOG_LEVEL: 'info' };

  new KubeDeployment(stack, 'worker', {
    namespace,
    name: 'orders-worker',
    replicas: 2,
    containers: [{
      name: 'worker',
      imageRegistry: 'ghcr.io',
      imageRepository: 'acme/orders-worker',
      imageTag: '2.3.1',
      command: ['/app/worker', '--queue', '$(QUEUE_URL)'],
      minimumMemory: 256,
      minimumCpu: 100,
      // No port to probe: the worker touches a file each loop and the exec probe checks its age.
      livenessProbeType: 'exec',
      livenessProbeCommand: ['/bin/sh', '-c', 'test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 300'],
    }],
    commonEnv: env,
    tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 100 } }, // the root filesystem is read-only
  });

  new KubeCronJob(stack, 'report', {
    namespace,
    name: 'nightly-report',
    cronSchedule: '15 2 * * *',
    timeZone: 'UTC',
    concurrencyPolicy: 'Forbid', // never two reports at once
    containers: [{
      name: 'report',
      imageRegistry: 'ghcr.io',
      imageRepository: 'acme/orders-worker',
      imageTag: '2.3.1',
      command: ['/app/report', '--since', '24h'],
      minimumMemory: 128,
    }],
    commonEnv: env,
  });
  return stack;
}
