import { Construct } from 'constructs';
import { EnvironmentContext, KubeNamespace, KubeNetworkPolicy, KubeNodeImageCache, KubeWorkflowTemplate } from '../lib';

/**
 * Examples of the node image cache, a workload network policy and an Argo
 * WorkflowTemplate, each where the cluster profile declares its add-on. The image cache is the stack's only one: every workload of the stack
 * (before or after this call) adds its pinned / pre-pulled images to it.
 */
export function addClusterExtrasExamples(stack: Construct, namespace: KubeNamespace): void {
  // What the cluster runs (its cluster profile): each example needs its add-on.
  const cluster = EnvironmentContext.of(stack).cluster;
  if (cluster.imageCache) {
    const cache = KubeNodeImageCache.of(stack) ?? new KubeNodeImageCache(stack, 'node-image-cache');
    // A tool image no workload declares, wanted on every node before it is needed.
    cache.addImages({ registry: 'docker.io', repository: 'library/busybox', tag: '1.36.1', pinEnabled: false });
  }
  if (!cluster.argoWorkflows) return;

  const report = new KubeWorkflowTemplate(stack, 'nightly-report', {
    namespace,
    name: 'nightly-report',
    arguments: [{ name: 'date', default: 'yesterday', description: 'Day to report on' }],
    commonEnv: { LOG_LEVEL: 'info' },
    tmpDirectories: { scratch: { mountPath: '/tmp' } },
    templates: [
      {
        name: 'pipeline',
        dag: [
          { name: 'extract', template: 'run', arguments: { step: 'extract' } },
          { name: 'publish', template: 'run', arguments: { step: 'publish' }, dependencies: ['extract'] },
        ],
      },
      {
        name: 'run',
        inputs: [{ name: 'step' }],
        containers: [
          {
            name: 'report',
            imageRegistry: 'docker.io',
            imageRepository: 'library/busybox',
            imageTag: '1.36.1',
            command: ['sh', '-c', 'echo "{{inputs.parameters.step}} for {{workflow.parameters.date}}"'],
            minimumMemory: 64,
          },
        ],
      },
    ],
  });

  // The workflow pods may only resolve names and call HTTPS endpoints.
  new KubeNetworkPolicy(stack, 'nightly-report-network-policy', {
    workload: report,
    allowedEgress: [{ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'], ports: [{ port: 443 }] }],
    dependsOn: [namespace.namespace.resource],
  });
}
