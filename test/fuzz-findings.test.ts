import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { loadEnvironments } from '../lib/config/loader';
import { KubeAwsCdn } from '../lib/constructs/kube-aws-cdn';
import { KubeConfigMap } from '../lib/constructs/kube-config-map';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDaemonSet } from '../lib/constructs/kube-daemon-set';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeDescheduler } from '../lib/constructs/kube-descheduler';
import { KubeExternalSecret } from '../lib/constructs/kube-external-secret';
import { KubeExternalSnapshotter } from '../lib/constructs/kube-external-snapshotter';
import { KubeIngress } from '../lib/constructs/kube-ingress';
import { KubeJob } from '../lib/constructs/kube-job';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeNetworkPolicy } from '../lib/constructs/kube-network-policy';
import { KubeNodeImageCache } from '../lib/constructs/kube-node-image-cache';
import { KubeNodeImageCacheController } from '../lib/constructs/kube-node-image-cache-controller';
import { KubePriorityClasses } from '../lib/constructs/kube-priority-classes';
import { KubePvcAutoresizer } from '../lib/constructs/kube-pvc-autoresizer';
import { KubeReloader } from '../lib/constructs/kube-reloader';
import { KubeScaledObject } from '../lib/constructs/kube-scaled-object';
import { KubeService } from '../lib/constructs/kube-service';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeVelero } from '../lib/constructs/kube-velero';
import { KubeWorkflowTemplate } from '../lib/constructs/kube-workflow-template';
import { ValidationError } from '../lib/core/errors';
import { isToken } from '../lib/core/validation';
import { CLAIM_TEMPLATES_HASH_ANNOTATION } from '../lib/k8s/stateful-set';
import { errorOf } from './support/errors';
import { templateValue, unescapedTemplates } from './support/terraform-templates';

/**
 * Regression tests for what the fuzz suite (test/fuzz/, `npm run fuzz`) found beyond plain JS
 * type mistakes, one `describe` per kind of finding. Each test is the shrunk counterexample, by hand.
 */

type Json = any;
type Kind = 'string' | 'number' | 'bool' | 'list';
const TYPES: Record<Kind, string> = { string: 'string', number: 'number', bool: 'bool', list: 'list(string)' };

function newStack() {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'findings');
  new KubernetesProvider(stack, 'kubernetes', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  new HelmProvider(stack, 'helm', {});
  const token = (name: string, kind: Kind): any => {
    const v = new TerraformVariable(stack, name, { type: TYPES[kind] });
    return kind === 'string' ? v.stringValue : kind === 'number' ? v.numberValue : kind === 'bool' ? v.booleanValue : v.listValue;
  };
  return { stack, token };
}

const synth = (stack: TerraformStack): Json => JSON.parse(Testing.synth(stack, true));
const manifests = (json: Json): Json[] => Object.values(json.resource.kubernetes_manifest ?? {}).map((r: Json) => r.manifest);
const kind = (json: Json, k: string): Json[] => manifests(json).filter((m) => m.kind === k);

const C = { name: 'app', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1' };
const WEB = { ...C, ports: { http: { port: 8080 } } };

/** The error must be a documented "must be known at synth" refusal of this prop. */
function expectKnownAtSynth(fn: () => unknown, field: string): ValidationError {
  const err = errorOf(fn);
  expect(err.field).toBe(field);
  expect(err.message).toContain('is a deploy-time token, but it must be known at synth: ');
  return err;
}

describe('text shaped like a CDKTF token marker is text', () => {
  // Found: `#{TfToken[X]}` (a list token marker) in a string or a list made CDKTF's resolver throw
  // ("encoded list token string in a scalar string context", "Cannot add elements to list token");
  // a `$` right before `${TfToken[X]}` formed the `$${` escape with the escaping's `${"$"}`.
  const texts = ['#{TfToken[TOKEN.999999992]}', 'a #{TfToken[X]} b', '&{TfToken[X]}', '$${TfToken[X]}', '$#{TfToken[X]}', '$$${TfToken[TOKEN.999999991]}'];

  test.each(texts)('%j reaches the API server as written (ConfigMap data, container args)', (text) => {
    const { stack } = newStack();
    new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'settings', data: { value: text } });
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...C, args: [text] }, { ...C, name: 'two', args: [text, 'b'] }] });
    const json = synth(stack);
    expect(unescapedTemplates(json)).toEqual([]);
    expect(templateValue(kind(json, 'ConfigMap')[0].data.value)).toBe(text);
    const containers = kind(json, 'Deployment')[0].spec.template.spec.containers;
    expect(containers[0].args.map(templateValue)).toEqual([text]);
    expect(containers[1].args.map(templateValue)).toEqual([text, 'b']);
  });

  test('a real list token stays a list token', () => {
    const { stack, token } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...C, args: token('args', 'list') }] });
    expect(kind(synth(stack), 'Deployment')[0].spec.template.spec.containers[0].args).toBe('${var.args}');
  });

  test('a name shaped like a marker that names no token is validated as text, not skipped as a token', () => {
    expect(isToken('${TfToken[TOKEN.999999999]}')).toBe(false);
    expect(isToken(['#{TfToken[TOKEN.999999999]}'])).toBe(false);
    const { stack, token } = newStack();
    expect(isToken(token('real', 'string'))).toBe(true);
    expect(errorOf(() => new KubePriorityClasses(stack, 'p', { priorityClasses: { '${TfToken[TOKEN.999999994]}x': { value: 10 } } })).field).toMatch(/^priorityClasses/);
  });
});

describe('boolean tokens are refused where they decide what is emitted, not read as true', () => {
  test.each([
    ['networkPolicy.allowLinkerd', () => ({ networkPolicy: { allowLinkerd: 'TOKEN' } })],
    ['networkPolicy.allowDns', () => ({ networkPolicy: { allowDns: 'TOKEN' } })],
  ])('workload %s', (field, props) => {
    const { stack, token } = newStack();
    const p = JSON.parse(JSON.stringify(props()), (_k, v) => (v === 'TOKEN' ? token('flag', 'bool') : v));
    expectKnownAtSynth(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], ...p }), field);
  });

  test('KubeNetworkPolicy allowDns and a token workload name (pasted into the workload label as placeholder text)', () => {
    const { stack, token } = newStack();
    const workload = { name: 'api', namespaceName: 'web', matchLabels: { id: 'api' } };
    expectKnownAtSynth(() => new KubeNetworkPolicy(stack, 'a', { workload, allowDns: token('dns', 'bool') }), 'allowDns');
    expectKnownAtSynth(() => new KubeNetworkPolicy(stack, 'b', { workload: { ...workload, name: token('name', 'string') } }), 'name');
  });

  test.each(['loadbalancerEnabled', 'monitoringEnabled', 'linkerdInject'])('KubeNamespace %s', (prop) => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeNamespace(stack, 'ns', { namespace: 'web', [prop]: token('flag', 'bool') }), prop);
  });

  test.each(['denyByDefault', 'allowDns', 'allowSameNamespace', 'allowLinkerd'])('KubeNamespace networkPolicy.%s', (prop) => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeNamespace(stack, 'ns', { namespace: 'web', networkPolicy: { [prop]: token('flag', 'bool') } }), `networkPolicy.${prop}`);
  });

  test('KubeConfigMap immutable (it decides the hashed name)', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeConfigMap(stack, 'c', { namespace: 'web', name: 'settings', data: { a: 'b' }, immutable: token('immutable', 'bool') }), 'immutable');
  });

  test.each(['pinEnabled', 'prepullEnabled', 'armNodesEnabled', 'amdNodesEnabled'])('KubeNodeImageCache images[0].%s', (prop) => {
    const { stack, token } = newStack();
    const image = { registry: 'docker.io', repository: 'library/postgres', tag: '16.4', [prop]: token('flag', 'bool') };
    expectKnownAtSynth(() => new KubeNodeImageCache(stack, 'cache', { images: [image] }), `images[0].${prop}`);
  });

  test('KubePriorityClasses panfactumClassesEnabled', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubePriorityClasses(stack, 'p', { panfactumClassesEnabled: token('flag', 'bool') }), 'panfactumClassesEnabled');
  });

  test.each(['vpaEnabled', 'panfactumSchedulerEnabled', 'pullThroughCacheEnabled', 'spotNodesEnabled', 'burstableNodesEnabled', 'controllerNodesEnabled', 'monitoringEnabled', 'autoReloadAll'])(
    'KubeReloader %s', (prop) => {
      const { stack, token } = newStack();
      expectKnownAtSynth(() => new KubeReloader(stack, 'r', { [prop]: token('flag', 'bool') }), prop);
    });

  test('KubeExternalSnapshotter volumeSnapshotClassEnabled and volumeSnapshotClassDefault, KubeVelero controllerNodesRequired', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeExternalSnapshotter(stack, 'a', { volumeSnapshotClassEnabled: token('enabled', 'bool') }), 'volumeSnapshotClassEnabled');
    expectKnownAtSynth(() => new KubeExternalSnapshotter(stack, 'b', { volumeSnapshotClassDefault: token('default', 'bool') }), 'volumeSnapshotClassDefault');
    expectKnownAtSynth(() => new KubeVelero(stack, 'c', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/X', controllerNodesRequired: token('required', 'bool') }), 'controllerNodesRequired');
  });

  test('KubeStatefulSet volumeMounts backupsEnabled (it decides the claim\'s backup labels)', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [C], volumeMounts: { data: { mountPath: '/data', backupsEnabled: token('backups', 'bool') } } }), 'volumeMounts.data.backupsEnabled');
  });

  test('KubeDaemonSet waitForRollout (kept out of the model props, it was read as true)', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDaemonSet(stack, 'd', { namespace: 'agents', name: 'agent', containers: [C], waitForRollout: token('wait', 'bool') }), 'waitForRollout');
  });
});

describe('tokens are not refused by checks meant for literals', () => {
  test('KubeNamespace podSecurityAuditStandard token is not "looser than" the enforced level', () => {
    const { stack, token } = newStack();
    new KubeNamespace(stack, 'ns', { namespace: 'web', podSecurityStandard: 'restricted', podSecurityAuditStandard: token('audit', 'string') });
    expect(kind(synth(stack), 'Namespace')[0].metadata.labels['pod-security.kubernetes.io/audit']).toBe('${var.audit}');
  });

  test('KubeExternalSecret creationPolicy token with deletionPolicy Delete', () => {
    const { stack, token } = newStack();
    new KubeExternalSecret(stack, 's', { namespace: 'web', name: 'db', secretStoreRef: { name: 'store' }, data: { password: { key: '/db' } }, target: { creationPolicy: token('policy', 'string'), deletionPolicy: 'Delete' } });
    expect(kind(synth(stack), 'ExternalSecret')[0].spec.target.creationPolicy).toBe('${var.policy}');
  });

  test('KubeScaledObject trigger type token with metricType Utilization', () => {
    const { stack, token } = newStack();
    const target = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
    new KubeScaledObject(stack, 'so', { target, maxReplicaCount: 5, triggers: [{ type: token('type', 'string'), metricType: 'Utilization', metadata: { value: '60' } }] });
    expect(kind(synth(stack), 'ScaledObject')[0].spec.triggers[0].type).toBe('${var.type}');
  });

  test('KubeService type token is refused as a type (it decides the annotations), not as externalTrafficPolicy "having no effect"', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeService(stack, 's', { namespace: 'web', name: 'api', matchLabels: { id: 'api' }, ports: { http: { podPort: 8080 } }, type: token('type', 'string'), externalTrafficPolicy: 'Local' }), 'type');
    expectKnownAtSynth(() => new KubeService(stack, 't', { namespace: 'web', name: 'lb', matchLabels: { id: 'api' }, ports: { http: { podPort: 8080 } }, type: 'LoadBalancer', loadBalancerClass: token('class', 'string') }), 'loadBalancerClass');
  });

  test('KubeVelero bucketEncryption token with a KMS key; durations and URLs of controllers given as tokens', () => {
    const { stack, token } = newStack();
    new KubeVelero(stack, 'v', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/X', bucketEncryption: token('enc', 'string'), kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/1' });
    new KubeDescheduler(stack, 'd', { deschedulingInterval: token('interval', 'string') });
    new KubeNodeImageCacheController(stack, 'n', { imageCacheRefreshFrequency: token('refresh', 'string'), imagePullDeadlineDuration: token('deadline', 'string') });
    new KubePvcAutoresizer(stack, 'p', { prometheusUrl: token('url', 'string') });
    const text = JSON.stringify(synth(stack));
    for (const v of ['enc', 'interval', 'refresh', 'deadline', 'url']) expect(text).toContain(`var.${v}`);
  });

  test('KubeAwsCdn geoRestrictionType token with no list (the type may be "none")', () => {
    const { stack, token } = newStack();
    const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
    new KubeAwsCdn(stack, 'cdn', { name: 'web', originConfigs: [{ originDomain: 'origin.example.com', domains: ['www.example.com'] }], globalProvider: global, hostedZoneNames: ['example.com'], geoRestrictionType: token('geo', 'string') });
    expect(JSON.stringify(synth(stack).resource.aws_cloudfront_distribution)).toContain('${var.geo}');
  });

  test('list and name tokens that cannot be expanded at synth are refused as such', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeNodeImageCache(stack, 'c', { imagePullSecrets: token('secrets', 'list'), images: [{ registry: 'docker.io', repository: 'library/postgres', tag: '16.4' }] }), 'imagePullSecrets');
    expectKnownAtSynth(() => new KubeWorkflowTemplate(stack, 'w', { namespace: 'jobs', name: 'flow', templates: [{ name: token('t', 'string'), containers: [C] }] }), 'templates[0].name');
    const dag = [{ name: 'a', template: 'run' }, { name: 'b', template: 'run', dependencies: token('deps', 'list') }];
    expectKnownAtSynth(() => new KubeWorkflowTemplate(stack, 'w2', { namespace: 'jobs', name: 'flow2', templates: [{ name: 'main', dag }, { name: 'run', containers: [C] }] }), 'templates[0].dag[1].dependencies');
    new KubeManifest(stack, 'm', { object: { apiVersion: token('v', 'string'), kind: 'ConfigMap', metadata: { name: 'a', namespace: 'web' } } });
    expectKnownAtSynth(() => synth(stack), 'object.apiVersion');
  });
});

describe('placeholder text is not hashed', () => {
  test('a StatefulSet whose claim templates hold a list token gets no claim-templates hash', () => {
    const { stack, token } = newStack();
    new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [C], volumeMounts: { data: { mountPath: '/data', accessModes: token('modes', 'list') } } });
    const sts = kind(synth(stack), 'StatefulSet')[0];
    expect(sts.metadata.annotations?.[CLAIM_TEMPLATES_HASH_ANNOTATION]).toBeUndefined();
    expect(sts.spec.volumeClaimTemplates[0].spec.accessModes).toBe('${var.modes}');
  });
});

describe('values the API server would refuse are refused at synth', () => {
  test('a tmpDirectories key longer than a volume name (63)', () => {
    const { stack } = newStack();
    expect(errorOf(() => new KubeJob(stack, 'j', { namespace: 'jobs', name: 'job', containers: [C], tmpDirectories: { ['ab'.repeat(40)]: { mountPath: '/tmp/x' } } })).field).toBe(`tmpDirectories.${'ab'.repeat(40)}`);
  });

  test('a commonSecrets name that is no Secret key (longer than 253, or ".")', () => {
    const { stack } = newStack();
    const name = `A${'a'.repeat(260)}`;
    expect(errorOf(() => new KubeDeployment(stack, 'd', { namespace: 'web', name: 'api', containers: [C], commonSecrets: { [name]: 'x' } })).message).toMatch(/at most 253 characters/);
    expect(errorOf(() => new KubeCronJob(stack, 'c', { namespace: 'web', name: 'job', cronSchedule: '@daily', containers: [C], commonSecrets: { '.': 'x' } })).field).toBe('commonSecrets["."]');
  });

  test('an extraResponseHeaders name longer than a ConfigMap key (253)', () => {
    const { stack } = newStack();
    const header = 'ab-'.repeat(90);
    const e = errorOf(() => new KubeIngress(stack, 'i', { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }], extraResponseHeaders: { [header]: 'x' } }));
    expect(e.message).toMatch(/at most 253 characters/);
  });

  test.each([
    ['a Service selector value (the schema leaves it out)', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'web' }, spec: { selector: { app: 'a b' }, ports: [{ name: 'http', port: 80 }] } }, /Service\.spec\.selector/],
    ['a Service port name (the schema leaves it out)', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'web' }, spec: { selector: { app: 'a' }, ports: [{ name: 'HTTP!', port: 80 }] } }, /Service\.spec\.ports\[0\]\.name/],
    ['a Service port out of range (the schema leaves it out)', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'web' }, spec: { selector: { app: 'a' }, ports: [{ name: 'http', port: 70000 }] } }, /Service\.spec\.ports\[0\]\.port/],
    ['a ConfigMap data key (the schema leaves it out)', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'web' }, data: { 'a%b': 'x' } }, /ConfigMap\.data/],
    ['an object of a blank kind, naming a field (it named none)', { apiVersion: 'a-', kind: ' ', metadata: { name: 'c', namespace: 'web' } }, /^object$/],
  ])('KubeManifest refuses %s', (_what, object, field) => {
    const { stack } = newStack();
    new KubeManifest(stack, 'm', { object: object as any });
    expect(errorOf(() => synth(stack)).field).toMatch(field);
  });
});

describe('environments loader', () => {
  test('YAML merge keys merge the aliased mapping (they were read as a key named "<<")', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-merge-'));
    try {
      fs.mkdirSync(path.join(root, 'dev', 'us-east-2'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dev', 'environment.yaml'), 'environment: dev\nextra_tags:\n  <<: &base\n    team: platform\n  owner: me\nextra_inputs:\n  <<: *base\n  size: 3\n');
      fs.writeFileSync(path.join(root, 'dev', 'us-east-2', 'region.yaml'), 'aws_region: us-east-2\nkube_cluster_name: primary\n');
      const [env] = loadEnvironments(root, { displayRoot: root });
      expect(env.regions[0].extraTags).toEqual({ team: 'platform', owner: 'me' });
      expect(env.regions[0].extraInputs).toEqual({ team: 'platform', size: 3 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
