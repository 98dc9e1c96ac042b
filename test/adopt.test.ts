import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { buildEnvironmentApp } from '../lib/app/app';
import { EnvironmentStack } from '../lib/app/environment-stack';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { adopt, adoptionReport } from '../lib/app/adopt';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeAwsCdn } from '../lib/constructs/kube-aws-cdn';
import { KubeVelero } from '../lib/constructs/kube-velero';
import { EnvironmentContext } from '../lib/core/context';
import { selectorId } from '../lib/core/naming';
import { PolicyDocument } from '../lib/aws/policy-document';
import { NGINX, manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const WEB = { ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP' as const, livenessProbePort: 8080 };
const PF_ID = '9f2c4e1ab3d07765';
const READ = new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::shop/*'] }] });

function awsStack(): { app: App; stack: TerraformStack; aws: AwsProvider } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new KubernetesProvider(stack, 'kubernetes', {});
  const aws = new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', clusterName: 'prod-primary' });
  return { app, stack, aws };
}

/** The import blocks of a synthesized stack, by target address. */
function imports(json: any): Record<string, { id: string; provider?: string }> {
  const out: Record<string, { id: string; provider?: string }> = {};
  for (const block of json.import ?? []) out[block.to] = { id: block.id, ...(block.provider ? { provider: block.provider } : {}) };
  return out;
}

/** The address of the kubernetes_manifest holding the object of this kind (and name). */
function addressOf(json: any, kind: string, name?: string): string {
  const found = Object.entries<any>(json.resource.kubernetes_manifest).filter(([, r]) => r.manifest.kind === kind && (name === undefined || r.manifest.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return `kubernetes_manifest.${found[0][0]}`;
}

const DEPLOYMENT: KubeDeploymentProps = { namespace: 'web', name: 'api', containers: [WEB] };

describe('without adopt', () => {
  test('no import block is written', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', DEPLOYMENT);
    const out = synth(stack);
    expect(out.json.import).toBeUndefined();
    expect(adoptionReport(stack).imported).toEqual([]);
  });
});

describe('adopt(workload): every Kubernetes object gets an import block in the kubernetes_manifest id format', () => {
  const { stack } = newStack();
  const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
  const api = new KubeDeployment(stack, 'api', { ...DEPLOYMENT, namespace: ns, commonSecrets: { TOKEN: 'x' } });
  adopt(api);
  const out = synth(stack);
  const blocks = imports(out.json);
  const sa = api.serviceAccountName;

  test.each([
    ['Deployment', 'apiVersion=apps/v1,kind=Deployment,namespace=web,name=api'],
    ['ServiceAccount', `apiVersion=v1,kind=ServiceAccount,namespace=web,name=${sa}`],
    ['Role', `apiVersion=rbac.authorization.k8s.io/v1,kind=Role,namespace=web,name=${sa}`],
    ['RoleBinding', `apiVersion=rbac.authorization.k8s.io/v1,kind=RoleBinding,namespace=web,name=${sa}`],
    ['PodDisruptionBudget', 'apiVersion=policy/v1,kind=PodDisruptionBudget,namespace=web,name=api-pdb'],
    ['VerticalPodAutoscaler', 'apiVersion=autoscaling.k8s.io/v1,kind=VerticalPodAutoscaler,namespace=web,name=api'],
    ['Service', 'apiVersion=v1,kind=Service,namespace=web,name=api'],
  ])('%s: %s', (kind, id) => {
    expect(blocks[addressOf(out.json, kind, kind === 'Role' || kind === 'RoleBinding' ? sa : undefined)]).toEqual({ id });
  });

  test('the typed Secret is imported as <namespace>/<name>', () => {
    const [name] = Object.keys(out.json.resource.kubernetes_secret_v1);
    expect(blocks[`kubernetes_secret_v1.${name}`]).toEqual({ id: `web/${sa}` });
  });

  test('only what the adopted construct manages: the namespace (another construct) has no import', () => {
    expect(Object.keys(blocks)).toHaveLength(8);
    expect(blocks[addressOf(out.json, 'Namespace')]).toBeUndefined();
  });

  test('the report lists each import with its construct path', () => {
    const report = adoptionReport(stack);
    expect(report.imported.map((e) => e.address).sort()).toEqual(Object.keys(blocks).sort());
    expect(report.imported.find((e) => e.id === 'apiVersion=apps/v1,kind=Deployment,namespace=web,name=api')?.path).toBe('test/api/Deployment/Resource');
    expect(report.notAdoptable).toEqual([]);
  });
});

describe('adopt(stack) with exceptions, only and cluster-scoped objects', () => {
  const { stack } = newStack();
  const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
  new KubeDeployment(stack, 'api', { ...DEPLOYMENT, namespace: ns });
  const worker = new KubeDeployment(stack, 'worker', { ...DEPLOYMENT, namespace: ns, name: 'worker' });
  const db = new KubeStatefulSet(stack, 'db', { namespace: ns, name: 'db', containers: [{ ...WEB, name: 'db' }] });
  adopt(stack);
  adopt(worker, false);
  adopt(db, { only: ['StatefulSet', 'ServiceAccount'] });
  const out = synth(stack);
  const blocks = imports(out.json);

  test('a cluster-scoped object (Namespace) has no namespace in its id', () => {
    expect(blocks[addressOf(out.json, 'Namespace')]).toEqual({ id: 'apiVersion=v1,kind=Namespace,name=web' });
  });

  test('the nearest setting wins: adopt(worker, false) keeps the worker out', () => {
    expect(blocks[addressOf(out.json, 'Deployment', 'worker')]).toBeUndefined();
    expect(blocks[addressOf(out.json, 'Deployment', 'api')]).toEqual({ id: 'apiVersion=apps/v1,kind=Deployment,namespace=web,name=api' });
  });

  test('only: kinds select the StatefulSet and its ServiceAccount, nothing else of it', () => {
    expect(blocks[addressOf(out.json, 'StatefulSet')]).toEqual({ id: 'apiVersion=apps/v1,kind=StatefulSet,namespace=web,name=db' });
    expect(blocks[addressOf(out.json, 'ServiceAccount', db.serviceAccountName)]).toBeDefined();
    expect(blocks[addressOf(out.json, 'PodDisruptionBudget', 'db-pdb')]).toBeUndefined();
    expect(blocks[addressOf(out.json, 'Service', 'db-headless')]).toBeUndefined();
  });

  test('only: a relative construct path selects that resource', () => {
    const s = newStack().stack;
    const api = new KubeDeployment(s, 'api', DEPLOYMENT);
    adopt(api, { only: ['PodDisruptionBudget'] });
    adopt(new KubeDeployment(s, 'b', { ...DEPLOYMENT, name: 'b' }), { only: ['Deployment'] });
    const json = synth(s).json;
    expect(Object.values(imports(json)).map((b) => b.id).sort()).toEqual([
      'apiVersion=apps/v1,kind=Deployment,namespace=web,name=b',
      'apiVersion=policy/v1,kind=PodDisruptionBudget,namespace=web,name=api-pdb',
    ]);
  });
});

describe('ids known only at apply are never turned into text', () => {
  test('a KubeManifest whose name is a token is listed as not adoptable, with the reason', () => {
    const { stack } = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' }).stringValue;
    const m = new KubeManifest(stack, 'cm', { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'web' }, data: { a: 'b' } } as any });
    adopt(m);
    const out = synth(stack);
    expect(out.json.import).toBeUndefined();
    const report = adoptionReport(stack);
    expect(report.notAdoptable).toHaveLength(1);
    expect(report.notAdoptable[0].reason).toBe('its name is only known at apply');
  });
});

describe('IRSA role: name_prefix names are adoptable only with the live ids', () => {
  test('without ids the role, policy and attachment are listed as not adoptable', () => {
    const { stack } = awsStack();
    const api = new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: READ });
    adopt(api);
    const out = synth(stack);
    const report = adoptionReport(stack);
    expect(report.notAdoptable.map((e) => e.description).sort()).toEqual(['aws_iam_policy', 'aws_iam_role', 'aws_iam_role_policy_attachment']);
    expect(report.notAdoptable.find((e) => e.description === 'aws_iam_role')?.reason).toMatch(/name_prefix/);
    expect(Object.keys(imports(out.json)).every((a) => a.startsWith('kubernetes_manifest.'))).toBe(true);
  });

  test('with the role name and policy ARN, the attachment id <role>/<policy arn> is derived', () => {
    const { stack } = awsStack();
    const api = new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: READ });
    const role = 'api-9f2c4e1a-20240101120000000000000001';
    const arn = 'arn:aws:iam::123456789012:policy/api-9f2c4e1a-20240101120000000000000002';
    adopt(api, { ids: { 'AwsRole/Role': role, 'AwsRole/Policy': arn } });
    const out = synth(stack);
    const blocks = imports(out.json);
    const one = (type: string) => `${type}.${Object.keys(out.json.resource[type])[0]}`;
    expect(blocks[one('aws_iam_role')]).toEqual({ id: role });
    expect(blocks[one('aws_iam_policy')]).toEqual({ id: arn });
    expect(blocks[one('aws_iam_role_policy_attachment')]).toEqual({ id: `${role}/${arn}` });
    expect(adoptionReport(stack).notAdoptable).toEqual([]);
  });
});

describe('CloudFront and S3', () => {
  test('AWS-made ids (distribution, policies, certificate) are not adoptable; named ones (functions, literal buckets) are', () => {
    const { stack, aws } = awsStack();
    const global = new AwsProvider(stack, 'aws-global', { region: 'us-east-1', alias: 'global' });
    const cdn = new KubeAwsCdn(stack, 'cdn', {
      name: 'web', originConfigs: [{ originDomain: 'origin.example.com', domains: ['www.example.com'] }], globalProvider: global, awsProvider: aws,
      hostedZoneIds: { 'example.com': 'Z0123456789ABC' }, webAclArn: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/web-cdn/0123',
    });
    adopt(cdn);
    const out = synth(stack);
    const report = adoptionReport(stack);
    const reasons = new Map(report.notAdoptable.map((e) => [e.description, e.reason]));
    expect(reasons.get('aws_cloudfront_distribution')).toMatch(/distribution id/);
    expect(reasons.get('aws_acm_certificate')).toMatch(/certificate ARN/);
    const blocks = imports(out.json);
    for (const [name, fn] of Object.entries<any>(out.json.resource.aws_cloudfront_function ?? {})) {
      expect(blocks[`aws_cloudfront_function.${name}`]).toEqual({ id: fn.name, provider: 'aws.global' });
    }
    expect(report.nothingToImport.map((e) => e.description)).toContain('aws_acm_certificate_validation');
  });

  test('a bucket made with bucket_prefix (Velero) is not adoptable without its name; given it, its settings import by bucket name', () => {
    const build = (setting: Parameters<typeof adopt>[1]) => {
      const { stack, aws } = awsStack();
      new HelmProvider(stack, 'helm', {});
      const velero = new KubeVelero(stack, 'velero', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789', awsProvider: aws });
      adopt(velero, setting);
      return { stack, json: synth(stack).json };
    };
    const only = ['aws_s3_bucket', 'aws_s3_bucket_versioning', 'aws_s3_bucket_public_access_block'];
    const without = build({ only });
    expect(without.json.import).toBeUndefined();
    const reasons = adoptionReport(without.stack).notAdoptable.map((e) => `${e.description}: ${e.reason}`).sort();
    expect(reasons).toEqual([
      'aws_s3_bucket: its bucket is made by AWS from bucket_prefix (a generated suffix), so it is only known after the create',
      'aws_s3_bucket_public_access_block: its bucket is only known at apply',
      'aws_s3_bucket_versioning: its bucket is only known at apply',
    ]);
    const given = build({ only, ids: { Bucket: 'velero-20240101120000000000000001' } });
    const blocks = imports(given.json);
    const one = (type: string) => `${type}.${Object.keys(given.json.resource[type])[0]}`;
    for (const type of only) expect(blocks[one(type)]).toEqual({ id: 'velero-20240101120000000000000001', provider: 'aws' });
  });
});

describe('adopt setting validation', () => {
  test('an unknown option is refused with the fix', () => {
    const { stack } = newStack();
    expect(() => adopt(stack, { ony: ['Deployment'] } as any)).toThrow(/unknown option "ony".*Fix: pass true, false/);
    expect(() => adopt(stack, { only: 'Deployment' } as any)).toThrow(/only must be a list/);
  });
});

describe('panfactumNames: the names Panfactum modules gave the objects', () => {
  const pf = { id: PF_ID, roleName: 'api-x7k2p', roleBindingName: 'api-q9z4m', secretName: 'api-b5n8d' };
  const { stack } = newStack();
  const api = new KubeDeployment(stack, 'api', { ...DEPLOYMENT, commonSecrets: { TOKEN: 'x' }, panfactumNames: pf });
  const sts = new KubeStatefulSet(stack, 'db', { namespace: 'web', name: 'db', containers: [{ ...WEB, name: 'db' }], panfactumNames: { id: '0011223344556677' } });
  const out = synth(stack);

  test('the selector id and the ServiceAccount are the module random_id hex', () => {
    expect(manifest(out, 'Deployment').spec.selector.matchLabels).toEqual({ id: PF_ID });
    expect(manifest(out, 'Deployment').spec.template.metadata.labels.id).toBe(PF_ID);
    expect(api.serviceAccountName).toBe(PF_ID);
    expect(manifest(out, 'ServiceAccount', PF_ID).metadata.namespace).toBe('web');
    expect(manifest(out, 'Deployment').spec.template.spec.serviceAccountName).toBe(PF_ID);
  });

  test('Role, RoleBinding and Secret take the given generate_name names; the binding refers to the Role and the ServiceAccount', () => {
    const binding = manifest(out, 'RoleBinding', 'api-q9z4m');
    expect(binding.roleRef.name).toBe('api-x7k2p');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: PF_ID, namespace: 'web' }]);
    expect(manifest(out, 'Role', 'api-x7k2p')).toBeDefined();
    const secret = Object.values<any>(out.json.resource.kubernetes_secret_v1)[0];
    expect(secret.metadata.name).toBe('api-b5n8d');
    const env = manifest(out, 'Deployment').spec.template.spec.containers[0].env.find((e: any) => e.name === 'TOKEN');
    expect(env.valueFrom.secretKeyRef.name).toBe('api-b5n8d');
  });

  test('PDB, VPA and Service names are the same in both libraries; the StatefulSet keeps <name>-headless', () => {
    expect(manifest(out, 'PodDisruptionBudget', 'api-pdb')).toBeDefined();
    expect(manifest(out, 'VerticalPodAutoscaler', 'api')).toBeDefined();
    expect(manifest(out, 'Service', 'api')).toBeDefined();
    expect(manifest(out, 'Service', 'db-headless')).toBeDefined();
    expect(sts.serviceAccountName).toBe('0011223344556677');
    expect(manifest(out, 'Role', '0011223344556677')).toBeDefined();
  });

  test('without the generate_name names, Role and RoleBinding are named like the ServiceAccount', () => {
    expect(manifest(out, 'RoleBinding', '0011223344556677').roleRef.name).toBe('0011223344556677');
  });

  test('default naming is unchanged', () => {
    const s = newStack().stack;
    const d = new KubeDeployment(s, 'api', DEPLOYMENT);
    const o = synth(s);
    const id = selectorId('Deployment', 'web', 'api');
    expect(manifest(o, 'Deployment').spec.selector.matchLabels).toEqual({ id });
    expect(d.serviceAccountName).toBe(`api-${id.slice(0, 8)}`);
  });

  test.each([
    [{ id: 'ABC' }, 'panfactumNames.id', /not lowercase hex/],
    [{ id: '' }, 'panfactumNames.id', /./],
    [{ id: PF_ID, roleName: 'Api_Role' }, 'panfactumNames.roleName', /RFC 1123/],
  ])('%j is refused at %s', (names, field, reason) => {
    const s = newStack().stack;
    const e = errorOf(() => new KubeDeployment(s, 'api', { ...DEPLOYMENT, panfactumNames: names as any }));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(reason);
  });

  test('a token id is refused: it names objects that exist', () => {
    const s = newStack().stack;
    const id = new TerraformVariable(s, 'id', { type: 'string' }).stringValue;
    const e = errorOf(() => new KubeDeployment(s, 'api', { ...DEPLOYMENT, panfactumNames: { id } }));
    expect(e.field).toBe('panfactumNames.id');
    expect(e.message).toMatch(/known at synth/);
  });
});

describe('app level: buildEnvironmentApp adopt and adopt_existing in the environments tree', () => {
  const tree = (regionExtra: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-adopt-env-'));
    fs.mkdirSync(path.join(dir, 'production', 'us-east-2'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'staging', 'us-east-2'), { recursive: true });
    for (const env of ['production', 'staging']) {
      fs.writeFileSync(path.join(dir, env, 'environment.yaml'), `environment: ${env}\n`);
      fs.writeFileSync(path.join(dir, env, 'us-east-2', 'region.yaml'), `aws_region: us-east-2\nkube_cluster_name: ${env}-primary\n${env === 'production' ? regionExtra : ''}`);
    }
    return dir;
  };
  const build = (environmentsDir: string, adoptOption?: Parameters<typeof adopt>[1]) => {
    const app = Testing.app();
    const built = buildEnvironmentApp(app, {
      environmentsDir,
      audit: false,
      ...(adoptOption !== undefined ? { adopt: adoptOption } : {}),
      stacks: (scope, ctx) => {
        const stack = new EnvironmentStack(scope, ctx.stackName('web'), ctx);
        new KubeDeployment(stack, 'api', DEPLOYMENT);
        return [stack];
      },
    });
    return Object.fromEntries(built.stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))]));
  };

  test('adopt_existing: true in region.yaml adopts the stacks of that region only', () => {
    const out = build(tree('adopt_existing: true\n'));
    expect(Object.keys(imports(out['production-us-east-2-web']))).toHaveLength(7);
    expect(out['staging-us-east-2-web'].import).toBeUndefined();
  });

  test('the app-level option adopts every stack, with its only filter', () => {
    const out = build(tree(''), { only: ['Deployment'] });
    for (const json of Object.values(out)) expect(Object.values(imports(json)).map((b) => b.id)).toEqual(['apiVersion=apps/v1,kind=Deployment,namespace=web,name=api']);
  });

  test('adopt_existing must be a boolean', () => {
    expect(() => build(tree('adopt_existing: yes please\n'))).toThrow(/adopt_existing[\s\S]*true or false/);
  });
});
