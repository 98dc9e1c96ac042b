import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { Release } from '@cdktf/provider-helm/lib/release';
import { KubernetesProvider, KubernetesProviderConfig } from '@cdktf/provider-kubernetes/lib/provider';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PriorityClassV1 } from '@cdktf/provider-kubernetes/lib/priority-class-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { KubeAwsCdn } from '../lib/constructs/kube-aws-cdn';
import { collectEmittedIdentities, enableCollisionCheck } from '../lib/constructs/collisions';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeIngress } from '../lib/constructs/kube-ingress';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeNetworkPolicy } from '../lib/constructs/kube-network-policy';
import { KubeNodeImageCache, defaultImageCacheName } from '../lib/constructs/kube-node-image-cache';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeWorkflowTemplate } from '../lib/constructs/kube-workflow-template';
import { EnvironmentContext, EnvironmentContextProps } from '../lib/core/context';
import { NGINX, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const WEB = { ...NGINX, ports: { http: { port: 8080 } } };
const DEV: EnvironmentContextProps = { environment: 'development', region: 'us-east-2' };
const PROD: EnvironmentContextProps = { environment: 'production', region: 'us-east-2' };

/** A stack of `app` with a Kubernetes provider (and an EnvironmentContext when given). */
function stackIn(app: App, id: string, context?: EnvironmentContextProps, kubernetes: KubernetesProviderConfig = {}): TerraformStack {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, 'kubernetes', kubernetes);
  if (context) EnvironmentContext.set(stack, context);
  return stack;
}

function configMap(scope: TerraformStack, id: string, name: string, namespace = 'web'): KubeManifest {
  return new KubeManifest(scope, id, { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } } });
}

/** Synthesize with validations; the parse by the real CLIs (test/support/cli-parse-hook.ts) sees only stacks that synthesized. */
const synthOf = (stack: TerraformStack) => () => Testing.synth(stack, true);

describe('one stack', () => {
  test('two workloads of one name in a namespace: every shared object collides, both paths named', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'first', { namespace: 'web', name: 'api', containers: [WEB] });
    new KubeDeployment(stack, 'second', { namespace: 'web', name: 'api', containers: [WEB] });
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/second/ServiceAccount');
    expect(e.message).toContain('also emitted by test/first/ServiceAccount');
    expect(e.message).toMatch(/6 more collisions: .*Deployment\.apps web\/api.*PodDisruptionBudget\.policy web\/api-pdb/);
    expect(e.message).toContain('Service web/api');
    expect(e.fix).toContain('KubeDeployment test/first or KubeDeployment test/second');
  });

  test('a Deployment and a StatefulSet of one name share the ServiceAccount, Service, PDB, ... (not the controller object)', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'deployment', { namespace: 'data', name: 'db', containers: [WEB] });
    new KubeStatefulSet(stack, 'stateful', { namespace: 'data', name: 'db', containers: [WEB] });
    const e = errorOf(() => synth(stack));
    expect(e.message).toMatch(/\[test\/stateful\/\w+\]/);
    expect(e.message).toContain('test/deployment/');
    expect(e.message).not.toMatch(/Deployment\.apps data\/db|StatefulSet\.apps data\/db\b/);
  });

  test("StatefulSet db beside Deployment db-headless: the StatefulSet's headless Service is db-headless", () => {
    const { stack } = newStack();
    new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [{ ...NGINX, ports: { tcp: { port: 5432 } } }] });
    new KubeDeployment(stack, 'proxy', { namespace: 'data', name: 'db-headless', containers: [WEB] });
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/proxy/Service');
    expect(e.field).toBe('Service.metadata.name');
    expect(e.value).toBe('db-headless');
    expect(e.message).toContain('Service data/db-headless is also emitted by test/db/HeadlessService');
  });

  test('two Ingresses of one name', () => {
    const { stack } = newStack();
    const props = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] };
    new KubeIngress(stack, 'ingress-a', props);
    new KubeIngress(stack, 'ingress-b', props);
    const e = errorOf(() => synth(stack));
    expect(e.path).toMatch(/^test\/ingress-b\//);
    expect(e.message).toContain('is also emitted by test/ingress-a/');
    expect(e.message).toMatch(/more collision.*Ingress\.networking\.k8s\.io web\/web/);
  });

  test('two CDNs of one name: a ValidationError at synth instead of a 409 at apply', () => {
    const { stack } = newStack();
    new AwsProvider(stack, 'aws', { region: 'us-east-2' });
    const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
    const origin = (domain: string) => ({ originDomain: `origin.${domain}`, domains: [domain] });
    new KubeAwsCdn(stack, 'cdn-a', { name: 'web', originConfigs: [origin('a.example.com')], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } });
    new KubeAwsCdn(stack, 'cdn-b', { name: 'web', originConfigs: [origin('b.example.com')], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } });
    const e = errorOf(() => synth(stack));
    expect(e.message).toMatch(/CloudFront .* "web-[^"]+" is also emitted by test\/cdn-a\//);
    expect(e.path).toMatch(/^test\/cdn-b\//);
    expect(e.message).toContain('AWS refuses the second one at apply');
    expect(e.fix).toContain('KubeAwsCdn test/cdn-a or KubeAwsCdn test/cdn-b');
  });

  test('a workflow template with networkPolicy plus a KubeNetworkPolicy of it: the message says which to drop', () => {
    const { stack } = newStack();
    const report = new KubeWorkflowTemplate(stack, 'report', {
      namespace: 'web',
      name: 'report',
      templates: [{ name: 'main', containers: [{ ...NGINX, name: 'main' }] }],
      networkPolicy: { allowedEgress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] },
    });
    new KubeNetworkPolicy(stack, 'report-policy', { workload: report, allowedEgress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] });
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/report-policy/NetworkPolicy');
    expect(e.message).toContain('NetworkPolicy.networking.k8s.io web/report-network-policy is also emitted by test/report/NetworkPolicy');
    expect(e.fix).toBe('keep one of the two, they write the same policy for the same pods: remove the networkPolicy prop of KubeWorkflowTemplate test/report, or remove KubeNetworkPolicy test/report-policy');
  });

  test('the typed kubernetes_secret_v1 and a raw kubernetes_manifest of one Secret', () => {
    const { stack } = newStack();
    new SecretV1(stack, 'typed', { metadata: { name: 'creds', namespace: 'web' }, data: { a: 'b' } });
    new Manifest(stack, 'raw', { manifest: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'web' } } });
    enableCollisionCheck(stack); // a stack of raw resources only: nothing of the library hooked it
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/raw');
    expect(e.message).toContain('Secret web/creds is also emitted by test/typed');
  });

  test('identity is the API group, not the version; cluster-scoped kinds have no namespace; unset namespace is default', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
    new Manifest(stack, 'old', { manifest: { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'api', namespace: 'web' } } });
    new Manifest(stack, 'pc', { manifest: { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high', namespace: 'ignored' }, value: 10 } });
    new Manifest(stack, 'nons', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } });
    const keys = collectEmittedIdentities(stack).map((i) => i.key);
    expect(keys).toEqual(expect.arrayContaining(['apps/Deployment/web/api', 'scheduling.k8s.io/PriorityClass//high', '/ConfigMap/default/x']));
    expect(keys.filter((k) => k === 'apps/Deployment/web/api')).toHaveLength(2);
    const e = errorOf(() => synth(stack));
    expect(e.path).toBe('test/old');
    expect(e.message).toContain('Deployment.apps web/api is also emitted by test/api/Deployment');
  });

  test('typed resources: generate_name is no name (never a clash); a typed PriorityClass is cluster-scoped', () => {
    const { stack } = newStack();
    new SecretV1(stack, 'ga', { metadata: { generateName: 'tmp-', namespace: 'web' } });
    new SecretV1(stack, 'gb', { metadata: { generateName: 'tmp-', namespace: 'web' } });
    new PriorityClassV1(stack, 'pc', { metadata: { name: 'high' }, value: 10 });
    enableCollisionCheck(stack);
    expect(collectEmittedIdentities(stack).map((i) => i.key)).toEqual(['scheduling.k8s.io/PriorityClass//high']);
    expect(() => synth(stack)).not.toThrow();
  });

  test('names that hold a token are never rejected, even when they are the same token', () => {
    const { stack } = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    configMap(stack, 'a', name);
    configMap(stack, 'b', name);
    new SecretV1(stack, 'sa', { metadata: { name, namespace: 'web' } });
    new SecretV1(stack, 'sb', { metadata: { name, namespace: 'web' } });
    expect(collectEmittedIdentities(stack).filter((i) => i.key.includes('ConfigMap') || i.key.includes('Secret'))).toEqual([]);
    expect(() => synth(stack)).not.toThrow();
  });

  test('an addOverride rename that creates a clash is caught (resource and stack overrides)', () => {
    const one = newStack().stack;
    configMap(one, 'a', 'settings');
    const b = configMap(one, 'b', 'other');
    expect(() => Testing.synth(one, true)).not.toThrow();
    b.resource.addOverride('manifest.metadata.name', 'settings');
    expect(errorOf(synthOf(one)).message).toContain('ConfigMap web/settings is also emitted by test/a');

    const two = newStack().stack;
    configMap(two, 'a', 'settings');
    const c = configMap(two, 'c', 'other');
    two.addOverride(`resource.kubernetes_manifest.${c.resource.friendlyUniqueId}.manifest.metadata.name`, 'settings');
    expect(errorOf(synthOf(two)).path).toBe('test/c');
  });

  test('an addOverride rename that removes a clash passes', () => {
    const { stack } = newStack();
    configMap(stack, 'a', 'settings');
    configMap(stack, 'b', 'settings').resource.addOverride('manifest.metadata.name', 'settings-b');
    expect(() => synth(stack)).not.toThrow();
  });

  test('an object written only as a stack override is seen', () => {
    const { stack } = newStack();
    configMap(stack, 'a', 'settings');
    stack.addOverride('resource.kubernetes_manifest.extra', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' } } });
    expect(errorOf(() => synth(stack)).message).toContain('test (stack override resource.kubernetes_manifest.extra)');
  });
});

describe('across the stacks of an app', () => {
  test('two stacks of one environment and region (app and maintenance) are one cluster', () => {
    const app = Testing.app();
    const maintenance = stackIn(app, 'development-us-east-2-maintenance', DEV);
    const appStack = stackIn(app, 'development-us-east-2-app', DEV);
    configMap(maintenance, 'settings', 'settings');
    configMap(appStack, 'settings', 'settings');
    const e = errorOf(synthOf(appStack));
    expect(e.path).toBe('development-us-east-2-app/settings');
    expect(e.message).toContain('also emitted by development-us-east-2-maintenance/settings (stack development-us-east-2-maintenance)');
    expect(e.message).toContain('the cluster of environment development, region us-east-2 (EnvironmentContext)');
    // The check runs from either side.
    expect(errorOf(synthOf(maintenance)).path).toBe('development-us-east-2-app/settings');
  });

  test('stacks of different environments deploy to different clusters and accounts: the same names pass', () => {
    const app = Testing.app();
    for (const context of [DEV, PROD]) {
      const stack = stackIn(app, `${context.environment}-app`, context);
      new AwsProvider(stack, 'aws', { region: 'us-east-2' });
      const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
      new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
      const domain = `${context.environment}.example.com`;
      new KubeAwsCdn(stack, 'cdn', { name: 'web', originConfigs: [{ originDomain: `origin.${domain}`, domains: [domain] }], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } });
      new IamRole(stack, 'role', { name: 'deployer', assumeRolePolicy: '{}' });
    }
    for (const stack of app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c))) expect(synthOf(stack)).not.toThrow();
  });

  test('stacks without an EnvironmentContext only check themselves', () => {
    const app = Testing.app();
    configMap(stackIn(app, 'a'), 'settings', 'settings');
    const b = stackIn(app, 'b');
    configMap(b, 'settings', 'settings');
    expect(synthOf(b)).not.toThrow();
  });

  test("a literal kubeconfig context or host is the better key: one context is one cluster whatever the environment", () => {
    const app = Testing.app();
    const a = stackIn(app, 'a', DEV, { configContext: 'shared' });
    const b = stackIn(app, 'b', PROD, { configContext: 'shared' });
    configMap(a, 'settings', 'settings');
    configMap(b, 'settings', 'settings');
    expect(errorOf(synthOf(b)).message).toContain('the cluster of kubeconfig context "shared"');

    const other = Testing.app();
    const c = stackIn(other, 'c', DEV, { host: 'https://one.example.com' });
    const d = stackIn(other, 'd', DEV, { host: 'https://two.example.com' });
    configMap(c, 'settings', 'settings');
    configMap(d, 'settings', 'settings');
    expect(synthOf(d)).not.toThrow();
  });

  test('an aliased provider configured differently is a place of its own; one configured like the default is the same place', () => {
    const { stack } = newStack(DEV);
    const elsewhere = new KubernetesProvider(stack, 'elsewhere', { alias: 'elsewhere', configPath: '/other/kubeconfig' });
    const same = new KubernetesProvider(stack, 'same', { alias: 'same' });
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' } };
    new KubeManifest(stack, 'default', { object: { ...object } });
    new KubeManifest(stack, 'other-cluster', { object: { ...object }, provider: elsewhere });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    new KubeManifest(stack, 'same-cluster', { object: { ...object }, provider: same });
    expect(errorOf(synthOf(stack)).path).toBe('test/same-cluster');
  });

  test('helm releases: namespace and name in one cluster', () => {
    const app = Testing.app();
    const a = stackIn(app, 'a', DEV);
    const b = stackIn(app, 'b', DEV);
    new Release(a, 'reloader', { name: 'reloader', namespace: 'reloader', chart: 'reloader' });
    new Release(b, 'reloader', { name: 'reloader', namespace: 'reloader', chart: 'reloader' });
    enableCollisionCheck(app);
    const e = errorOf(synthOf(b));
    expect(e.message).toContain('Helm release reloader/reloader is also emitted by a/reloader');
    expect(e.field).toBe('helm_release.name');
  });

  test('AWS: IAM role names per account (case-insensitive), S3 bucket names across all of AWS, name prefixes never', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    new AwsProvider(a, 'aws', { region: 'us-east-2', allowedAccountIds: ['111111111111'] });
    new AwsProvider(b, 'aws', { region: 'us-west-2', allowedAccountIds: ['111111111111'] });
    EnvironmentContext.set(a, DEV);
    EnvironmentContext.set(b, PROD);
    new IamRole(a, 'role', { name: 'Deployer', assumeRolePolicy: '{}' });
    new IamRole(a, 'prefixed', { namePrefix: 'deployer-', assumeRolePolicy: '{}' });
    new IamRole(b, 'prefixed', { namePrefix: 'deployer-', assumeRolePolicy: '{}' });
    new IamRole(b, 'role', { name: 'deployer', assumeRolePolicy: '{}' });
    enableCollisionCheck(app);
    const e = errorOf(synthOf(b));
    expect(e.message).toContain('IAM role "deployer" is also emitted by a/role (stack a) into the same place (AWS account 111111111111)');

    const other = Testing.app();
    const dev = new TerraformStack(other, 'dev');
    const prod = new TerraformStack(other, 'prod');
    EnvironmentContext.set(dev, DEV);
    EnvironmentContext.set(prod, PROD);
    new S3Bucket(dev, 'bucket', { bucket: 'example-assets' });
    new S3Bucket(prod, 'bucket', { bucket: 'example-assets' });
    enableCollisionCheck(other);
    expect(errorOf(synthOf(prod)).message).toContain('S3 bucket "example-assets" is also emitted by dev/bucket (stack dev) into the same place (all of AWS: the name is global)');
  });
});

describe('node image cache', () => {
  function appStack(app: App, id: string, props: { name?: string } = {}): TerraformStack {
    const stack = stackIn(app, id, DEV);
    new KubeNodeImageCache(stack, 'image-cache', props);
    new KubeDeployment(stack, 'api', { namespace: `${id}-ns`, name: 'api', containers: [NGINX] });
    return stack;
  }

  test('the default objects are per stack: two app stacks in one cluster never write the same ImageCache', () => {
    const app = Testing.app();
    const one = appStack(app, 'development-us-east-2-app');
    const two = appStack(app, 'development-us-east-2-app2');
    const names = (stack: TerraformStack) => synth(stack).manifests.filter((m) => m.kind === 'ImageCache').map((m) => `${m.metadata.namespace}/${m.metadata.name}`);
    expect(names(one)).toEqual(['node-image-cache/workload-images-development-us-east-2-app-pinned']);
    expect(names(two)).toEqual(['node-image-cache/workload-images-development-us-east-2-app2-pinned']);
  });

  test('the default name: the stack path as a DNS label, hashed when it had to change, at most 53 characters', () => {
    const app = Testing.app();
    expect(defaultImageCacheName(new TerraformStack(app, 'production-us-east-2-app'))).toBe('workload-images-production-us-east-2-app');
    const upper = defaultImageCacheName(new TerraformStack(app, 'Shop_App'));
    expect(upper).toMatch(/^workload-images-shop-app-[0-9a-f]{6}$/);
    expect(upper).not.toBe(defaultImageCacheName(new TerraformStack(app, 'shop-app')));
    const long = defaultImageCacheName(new TerraformStack(app, 'a-very-long-stack-name-for-a-region-and-an-environment'));
    expect(long.length).toBeLessThanOrEqual(53);
    expect(long).toMatch(/^workload-images-a-very-long-.*-[0-9a-f]{8}$/);
  });

  test('one name given to the caches of two stacks of one cluster collides', () => {
    const app = Testing.app();
    appStack(app, 'a', { name: 'shared' });
    const b = appStack(app, 'b', { name: 'shared' });
    expect(errorOf(synthOf(b)).message).toContain('ImageCache.kubefledged.io node-image-cache/shared-pinned is also emitted by a/image-cache/Pinned');
  });
});
