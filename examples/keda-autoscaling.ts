import { App, TerraformStack } from 'cdktf';
import { EnvironmentContext, KubeDeployment, KubeNamespace, KubeScaledObject } from 'cdktf-golden-path';
import { addProviders } from './providers';

/**
 * Event-driven scaling with KEDA: a consumer Deployment scaled on the length of an SQS queue,
 * from 1 to 20 pods. KEDA owns the replica count, so the Deployment gives none.
 */
export function kedaAutoscalingStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'example-keda-autoscaling');
  addProviders(stack);
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 2 });

  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'events' });
  const consumer = new KubeDeployment(stack, 'consumer', {
    namespace,
    name: 'events-consumer',
    containers: [{
      name: 'consumer',
      imageRegistry: 'ghcr.io',
      imageRepository: 'acme/events-consumer',
      imageTag: '1.8.0',
      minimumMemory: 192,
      minimumCpu: 100,
      ports: { metrics: { port: 9090 } },
      livenessProbeType: 'HTTP',
      livenessProbePort: 9090,
      livenessProbeRoute: '/healthz',
    }],
  });

  new KubeScaledObject(stack, 'consumer-scaling', {
    target: consumer,
    minReplicaCount: 1,
    maxReplicaCount: 20,
    triggers: [{
      type: 'aws-sqs-queue',
      metadata: { queueURL: 'https://sqs.us-east-2.amazonaws.com/123456789012/events', queueLength: '50', awsRegion: 'us-east-2' },
      authenticationRef: { name: 'keda-aws' }, // a TriggerAuthentication with the queue's read access
    }],
    fallback: { failureThreshold: 3, replicas: 4 }, // if SQS cannot be read, run 4 pods
  });
  return stack;
}
