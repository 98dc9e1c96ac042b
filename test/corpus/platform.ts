import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { KubeDeployment, KubeNamespace, KubeNetworkPolicy, KubeNodeImageCache, KubePriorityClasses, KubeWorkflowTemplate } from '../../lib';
import { corpusStack, image } from './stack';

export const PLATFORM_STACK = 'corpus-platform';

/**
 * `corpus-platform`: the cluster-level building blocks a platform team adds next to workloads.
 *
 * - KubePriorityClasses with the Panfactum classes off and three own classes (a global
 *   default, a non-preempting one, a negative one).
 * - KubeNodeImageCache in its own KubeNamespace with pull secrets and a node selector, images
 *   added directly (amd64-only, arm64-only, pre-pull only) and registered by workloads created
 *   before and after it (pinned, pre-pulled, neither).
 * - KubeWorkflowTemplate with a DAG, a steps template with `when`, two container templates (init
 *   container and native sidecar, per-template deadline and retries), workflow arguments with
 *   enum and description, parallelism, pod GC with a delay, TTLs, and its own NetworkPolicy prop.
 * - KubeNetworkPolicy for two Deployments (one with explicit ports, the ingress controller, DNS
 *   and Linkerd off; one with a CIDR source), both ordered after the namespace.
 */
export function buildPlatformStack(app: App): TerraformStack {
  const { stack } = corpusStack(app, PLATFORM_STACK, { context: { slaTarget: 2 } });

  const priorities = new KubePriorityClasses(stack, 'priorities', {
    panfactumClassesEnabled: false,
    priorityClasses: {
      'corpus-default': { value: 1000, description: 'Default priority of corpus pods', globalDefault: true },
      'corpus-batch': { value: 100, description: 'Batch work that never preempts', preemptionPolicy: 'Never' },
      'corpus-best-effort': { value: -10, preemptionPolicy: 'PreemptLowerPriority' },
    },
  });

  const ns = new KubeNamespace(stack, 'ns-platform', { namespace: 'corpus-platform', podSecurityStandard: 'baseline', podSecurityAuditStandard: 'baseline' });
  const cacheNs = new KubeNamespace(stack, 'ns-image-cache', { namespace: 'corpus-image-cache', podSecurityStandard: 'privileged', linkerdInject: false });

  // Registered before the cache exists: its images wait and join the cache when it is created.
  const early = new KubeDeployment(stack, 'early', {
    namespace: ns,
    name: 'early-web',
    replicas: 2,
    containers: [
      { name: 'web', ...image('docker.io', 'nginxinc/nginx-unprivileged', '1.27.1'), ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080 },
      { name: 'helper', ...image('docker.io', 'library/debian', 'bookworm-slim'), command: ['sleep', 'infinity'], imagePinEnabled: false, imagePrepullEnabled: true },
      { name: 'uncached', ...image('docker.io', 'library/alpine', '3.20.3'), command: ['sleep', 'infinity'], imagePinEnabled: false, imagePrepullEnabled: false },
    ],
    priorityClassName: 'corpus-default',
  });

  const cache = new KubeNodeImageCache(stack, 'image-cache', {
    namespace: cacheNs,
    name: 'corpus-images',
    imagePullSecrets: ['ecr-pull', 'ghcr-pull'],
    nodeSelector: { 'corpus.example.com/image-cache': 'enabled' },
    images: [
      { registry: 'docker.io', repository: 'library/postgres', tag: '16.4', amdNodesEnabled: true, armNodesEnabled: false },
      { registry: 'public.ecr.aws', repository: 'aws-cli/aws-cli', tag: '2.17.0', pinEnabled: false, prepullEnabled: true },
    ],
  });
  cache.addImages({ registry: '123456789012.dkr.ecr.us-east-2.amazonaws.com', repository: 'corpus/tools', tag: 'sha256:' + 'b'.repeat(64), armNodesEnabled: true, amdNodesEnabled: false });

  const pipeline = new KubeWorkflowTemplate(stack, 'pipeline', {
    namespace: ns,
    name: 'data-pipeline',
    entrypoint: 'main',
    arguments: [
      { name: 'date', default: 'yesterday', description: 'Day to process' },
      { name: 'mode', default: 'incremental', enum: ['incremental', 'full'] },
    ],
    activeDeadlineSeconds: 7200,
    retryLimit: 2,
    parallelism: 4,
    podGc: { strategy: 'OnWorkflowSuccess', deleteDelayDuration: '30s' },
    ttlStrategy: { secondsAfterSuccess: 300, secondsAfterFailure: 172800 },
    commonEnv: { PIPELINE: 'corpus', HOME_HINT: '${HOME}/pipeline' },
    tmpDirectories: { work: { mountPath: '/tmp/work', sizeMb: 1024 } },
    priorityClassName: 'corpus-batch',
    spotNodesEnabled: true,
    nodeRequirements: { 'kubernetes.io/arch': ['arm64', 'amd64'] },
    networkPolicy: { allowedEgress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] },
    templates: [
      {
        name: 'main',
        steps: [
          [{ name: 'prepare', template: 'run', arguments: { step: 'prepare' } }],
          [
            { name: 'full', template: 'fan-out', when: "'{{workflow.parameters.mode}}' == 'full'" },
            { name: 'incremental', template: 'run', arguments: { step: 'incremental' }, when: "'{{workflow.parameters.mode}}' == 'incremental'" },
          ],
        ],
      },
      {
        name: 'fan-out',
        dag: [
          { name: 'extract', template: 'run', arguments: { step: 'extract' } },
          { name: 'transform', template: 'run', arguments: { step: 'transform' }, dependencies: ['extract'] },
          { name: 'load', template: 'load', dependencies: ['transform'], when: '{{tasks.transform.status}} == Succeeded' },
        ],
      },
      {
        name: 'run',
        inputs: [{ name: 'step', enum: ['prepare', 'incremental', 'extract', 'transform'], description: 'What to run' }],
        activeDeadlineSeconds: 1800,
        retryLimit: 5,
        containers: [
          { name: 'fetch-config', init: true, ...image('docker.io', 'library/busybox', '1.37.0'), command: ['sh', '-c', 'echo fetch > /tmp/work/config'] },
          {
            name: 'step',
            ...image('ghcr.io', 'corpus/pipeline', '0.9.2'),
            command: ['sh', '-c', 'echo "{{inputs.parameters.step}} for {{workflow.parameters.date}} in ${HOME}"'],
            minimumMemory: 512,
            maximumMemory: 4096,
          },
        ],
      },
      {
        name: 'load',
        containers: [
          {
            name: 'proxy',
            init: true,
            restartPolicy: 'Always',
            ...image('docker.io', 'library/haproxy', '3.0.5'),
            ports: { proxy: { port: 8404 } },
            livenessProbeType: 'TCP',
            livenessProbePort: 8404,
          },
          { name: 'load', ...image('ghcr.io', 'corpus/pipeline', '0.9.2'), command: ['/app/load'] },
        ],
      },
    ],
  });

  new KubeNetworkPolicy(stack, 'early-web-policy', {
    workload: early,
    ports: [{ port: 8080 }, { port: 8081, protocol: 'TCP' }],
    allowIngressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/component': 'controller' } },
    allowedIngress: [{ podLabels: { 'corpus.example.com/tier': 'frontend' } }],
    allowedEgress: [{ namespace: 'corpus-data', podLabels: { 'app.kubernetes.io/name': 'postgres' }, ports: [{ port: 5432 }] }],
    allowDns: false,
    allowLinkerd: false,
    dependsOn: [ns.namespace.resource],
  });

  // Registered after the cache exists: added to it directly.
  const late = new KubeDeployment(stack, 'late', {
    namespace: ns,
    name: 'late-web',
    containers: [{ name: 'web', ...image('docker.io', 'library/caddy', '2.8.4'), ports: { http: { port: 8080 } } }],
    priorityClassName: 'corpus-best-effort',
  });
  new KubeNetworkPolicy(stack, 'late-web-policy', {
    workload: late,
    allowedIngress: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }],
    allowedEgress: [{ namespace: 'corpus-platform' }],
    dependsOn: [ns.namespace.resource],
  });

  new TerraformOutput(stack, 'priority_classes', { value: priorities.priorityClassNames });
  new TerraformOutput(stack, 'pinned_images', { value: cache.pinnedImages });
  new TerraformOutput(stack, 'prepulled_images', { value: cache.prepulledImages });
  new TerraformOutput(stack, 'pipeline_service_account', { value: pipeline.serviceAccountName });
  return stack;
}
