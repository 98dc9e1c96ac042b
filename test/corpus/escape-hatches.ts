import { App, Fn, TerraformOutput, TerraformStack, TerraformVariable, dependable } from 'cdktf';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ILimitRange } from 'kubernetes-models/v1/LimitRange';
import type { IResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import {
  KubeConfigMap, KubeDeployment, KubeJob, KubeManifest, KubeNamespace, KubeNetworkPolicy, KubeSaAuthAws, KubeStatefulSet, PolicyDocument,
  registerKind,
} from '../../lib';
import { corpusStack, image } from './stack';

export const ESCAPE_HATCHES_STACK = 'corpus-escape-hatches';

/**
 * `corpus-escape-hatches`: what users reach for when the props are not enough, and deploy-time
 * values flowing through props.
 *
 * - TerraformVariables as tokens: a string (image tag), numbers (replicas, volume size, Job
 *   completions), a list (IRSA IP allow list) and a sensitive string (commonSecrets).
 * - Raw KubeManifest objects (ResourceQuota and LimitRange, registered with `registerKind`; a
 *   ConfigMap with `%{`/`${` text) with computed fields, field waits and timeouts.
 * - `resource.addOverride(...)` on emitted manifests, an edit of `.object` after construction,
 *   `dependsOn` between constructs (Deployment after the quota, a ConfigMap and a Job; a
 *   KubeNetworkPolicy after the namespace), and `dependable(...)` on a resource's depends_on.
 * - TerraformOutputs, one sensitive, one computed with Fn.
 */
export function buildEscapeHatchesStack(app: App): TerraformStack {
  const { stack, aws } = corpusStack(app, ESCAPE_HATCHES_STACK, { aws: true, context: { slaTarget: 1, extraLabels: { 'corpus.example.com/hatch': 'true' } } });

  const imageTag = new TerraformVariable(stack, 'image_tag', { type: 'string', default: '1.27.1', description: 'Tag of the web image' });
  const replicas = new TerraformVariable(stack, 'replicas', { type: 'number', default: 2, description: 'Replicas of the web Deployment' });
  const volumeGb = new TerraformVariable(stack, 'volume_size_gb', { type: 'number', default: 4, description: 'Initial size of the cache volume in GB' });
  const completions = new TerraformVariable(stack, 'job_completions', { type: 'number', default: 2, description: 'Completions of the warm-up Job' });
  const allowedCidrs = new TerraformVariable(stack, 'allowed_cidrs', { type: 'list(string)', default: ['10.0.0.0/16'], description: 'Where the IRSA credentials may be used from' });
  const apiKey = new TerraformVariable(stack, 'api_key', { type: 'string', sensitive: true, default: 'corpus-only', description: 'Secret handed to the web pods' });

  const ns = new KubeNamespace(stack, 'ns-hatches', { namespace: 'corpus-hatches' });

  // A raw object of a kind the library never emits must be registered first (KubeManifest
  // refuses unknown kinds so nothing goes out unvalidated). The known-fields graph does not
  // cover these kinds, so only their shape is checked.
  registerKind({ apiVersion: 'v1', kind: 'ResourceQuota', module: 'kubernetes-models/v1/ResourceQuota' }, { checkUnknownFields: false });
  registerKind({ apiVersion: 'v1', kind: 'LimitRange', module: 'kubernetes-models/v1/LimitRange' }, { checkUnknownFields: false });

  // Typed with the kubernetes-models interfaces, as a user writing a raw object would.
  const quotaObject: IResourceQuota & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: { name: 'corpus-quota', namespace: ns.namespaceName },
    spec: { hard: { 'requests.cpu': '20', 'requests.memory': '64Gi', pods: '100', persistentvolumeclaims: '20' } },
  };
  const limitObject: ILimitRange & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'corpus-limits', namespace: ns.namespaceName, labels: { 'corpus.example.com/raw': 'true' } },
    spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, max: { memory: '8Gi' } }] },
  };
  const configObject: IConfigMap & { metadata: { name: string } } = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'raw-templates', namespace: ns.namespaceName },
    data: { 'greeting.tmpl': 'Hello %{ if name }${name}%{ else }stranger%{ endif }', 'tag.txt': imageTag.stringValue },
  };
  const quota = new KubeManifest(stack, 'quota', {
    object: quotaObject,
    computedFields: ['metadata.labels', 'metadata.annotations', 'status'],
    timeouts: { create: '2m', update: '2m', delete: '5m' },
    dependsOn: [ns.namespace.resource],
  });
  const limits = new KubeManifest(stack, 'limits', {
    object: limitObject,
    dependsOn: [ns.namespace.resource],
  });
  const rawConfig = new KubeManifest(stack, 'raw-config', {
    object: configObject,
    waitForFields: { 'metadata.resourceVersion': '^\\d+$' },
    dependsOn: [ns.namespace.resource],
  });
  // Editing the object after construction is supported until synth.
  rawConfig.object.metadata.annotations = { 'corpus.example.com/edited': 'after construction ${not_a_var}' };

  const settings = new KubeConfigMap(stack, 'web-settings', { namespace: ns, name: 'web-settings', data: { MODE: 'production' } });

  const warmup = new KubeJob(stack, 'warmup', {
    namespace: ns,
    name: 'cache-warmup',
    podCompletions: completions.numberValue,
    podParallelism: 1,
    containers: [{ name: 'warmup', ...image('docker.io', 'library/busybox', '1.37.0'), command: ['sh', '-c', 'echo warm $HOSTNAME'] }],
  });

  const web = new KubeDeployment(stack, 'web', {
    namespace: ns,
    name: 'web',
    replicas: replicas.numberValue,
    containers: [
      {
        name: 'web',
        imageRegistry: 'docker.io',
        imageRepository: 'nginxinc/nginx-unprivileged',
        imageTag: imageTag.stringValue,
        command: ['sh', '-c', 'echo "${HOME} %{x}" && exec nginx -g "daemon off;"'],
        ports: { http: { port: 8080 } },
        livenessProbeType: 'HTTP',
        livenessProbePort: 8080,
      },
    ],
    commonSecrets: { API_KEY: apiKey.stringValue },
    commonEnv: { IMAGE_TAG: imageTag.stringValue },
    commonEnvFromConfigMaps: { MODE: { configMapName: settings.configMapName, key: 'MODE' } },
    dependsOn: [quota.resource, limits.resource, settings.configMap.resource, warmup.job.resource],
  });
  web.deployment.resource.addOverride('manifest.spec.revisionHistoryLimit', 5);
  web.deployment.resource.addOverride('timeouts.delete', '10m');
  web.deployment.resource.addOverride('computed_fields', ['metadata.labels', 'metadata.annotations', 'spec.replicas']);
  web.service!.resource.addOverride('manifest.spec.sessionAffinity', 'ClientIP');
  web.podDisruptionBudget.resource.dependsOn = [...(web.podDisruptionBudget.resource.dependsOn ?? []), dependable(web.deployment.resource)];

  const cache = new KubeStatefulSet(stack, 'cache', {
    namespace: ns,
    name: 'cache',
    containers: [{ name: 'cache', ...image('docker.io', 'library/redis', '7.4.1'), ports: { redis: { port: 6379 } }, livenessProbeType: 'TCP', livenessProbePort: 6379 }],
    volumeMounts: { data: { mountPath: '/data', initialSizeGb: volumeGb.numberValue, increaseGb: 2 } },
  });

  new KubeNetworkPolicy(stack, 'web-policy', {
    workload: web,
    allowIngressController: {},
    allowedEgress: [{ namespace: ns.namespaceName, podLabels: cache.matchLabels, ports: [{ port: 6379 }] }],
    dependsOn: [ns.namespace.resource, web.deployment.resource],
  });

  const role = new KubeSaAuthAws(stack, 'web-role', {
    serviceAccount: web.serviceAccountName,
    serviceAccountNamespace: ns.namespaceName,
    iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::corpus-assets/${imageTag.stringValue}/*`] }] }),
    ipAllowList: allowedCidrs.listValue,
    awsProvider: aws,
  });
  role.annotation!.dependsOn = [dependable(web.serviceAccount.resource)];

  new TerraformOutput(stack, 'web_name', { value: web.name });
  new TerraformOutput(stack, 'web_image', { value: `docker.io/nginxinc/nginx-unprivileged:${imageTag.stringValue}` });
  new TerraformOutput(stack, 'web_role_arn', { value: role.roleArn, description: 'IRSA role of the web pods' });
  new TerraformOutput(stack, 'cache_claim_hash', { value: cache.volumeClaimTemplatesHash ?? 'unpinned (token size)' });
  new TerraformOutput(stack, 'api_key_sha256', { value: Fn.sha256(apiKey.stringValue), sensitive: true });
  return stack;
}
