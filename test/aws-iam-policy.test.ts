import { App, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EnvironmentContext } from '../lib/core/context';
import { ValidationError } from '../lib/core/errors';
import { PolicyDocument, parsePolicyJson } from '../lib/aws/policy-document';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { addEdgeExamples } from '../stacks/example-edge';
import { NGINX, manifest, synth } from './support/synth';
import { errorOf } from './support/errors';

const READ = new PolicyDocument({
  statements: [
    { Sid: 'List', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::assets'] },
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::assets/*'] },
  ],
});

function newAwsStack(): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new KubernetesProvider(stack, 'kubernetes', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', clusterName: 'prod-primary' });
  return { app, stack };
}

const DEPLOYMENT: KubeDeploymentProps = { namespace: 'web', name: 'api', containers: [{ ...NGINX }] };
const only = (r: Record<string, any> | undefined) => {
  const values = Object.values(r ?? {});
  if (values.length !== 1) throw new Error(`expected one, found ${values.length}`);
  return values[0] as any;
};

describe('awsIamPolicy on a controller', () => {
  const { stack } = newAwsStack();
  const api = new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: READ });
  const out = synth(stack);
  const r = out.json.resource;

  test('creates one IRSA role for the workload ServiceAccount, exposed as awsRole', () => {
    expect(api.awsRole).toBeDefined();
    expect(Object.keys(r.aws_iam_role)).toHaveLength(1);
    expect(api.awsRole!.node.path).toBe('test/api/AwsRole');
  });

  test('the trust policy pins sub to the workload ServiceAccount and aud to STS (parsed, compared semantically)', () => {
    const trust = parsePolicyJson(only(r.aws_iam_role).assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    const s = trust.Statement[0];
    expect(s.Effect).toBe('Allow');
    expect([s.Action].flat()).toEqual(['sts:AssumeRoleWithWebIdentity']);
    const eq = s.Condition!.StringEquals as Record<string, string>;
    const keys = Object.keys(eq).sort();
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/:aud$/);
    expect(keys[1]).toMatch(/:sub$/);
    expect(eq[keys[0]]).toBe('sts.amazonaws.com');
    expect(eq[keys[1]]).toBe(`system:serviceaccount:web:${api.serviceAccountName}`);
    expect(keys[0]).not.toContain('https://');
  });

  test('the permissions policy is the given document (parsed, compared semantically)', () => {
    const doc = parsePolicyJson(only(r.aws_iam_policy).policy);
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(['List', 'Read']);
    expect(bySid.Read.Effect).toBe('Allow');
    expect([bySid.Read.Action].flat()).toEqual(['s3:GetObject']);
    expect([bySid.Read.Resource].flat()).toEqual(['arn:aws:s3:::assets/*']);
    expect([bySid.List.Action].flat()).toEqual(['s3:ListBucket']);
    expect([bySid.List.Resource].flat()).toEqual(['arn:aws:s3:::assets']);
  });

  test('the ServiceAccount manifest carries the role ARN; no separate annotation resource', () => {
    const sa = manifest(out, 'ServiceAccount');
    expect(sa.metadata.name).toBe(api.serviceAccountName);
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/\$\{aws_iam_role\.\w+\.arn\}/);
    expect(r.kubernetes_annotations).toBeUndefined();
  });

  test('the issuer is looked up from the context cluster', () => {
    expect(only(out.json.data.aws_eks_cluster).name).toBe('prod-primary');
  });
});

describe('awsIamPolicy options', () => {
  test('no policy: no role, no annotation', () => {
    const { stack } = newAwsStack();
    const api = new KubeDeployment(stack, 'api', DEPLOYMENT);
    const out = synth(stack);
    expect(api.awsRole).toBeUndefined();
    expect(out.json.resource.aws_iam_role).toBeUndefined();
    expect(manifest(out, 'ServiceAccount').metadata.annotations?.['eks.amazonaws.com/role-arn']).toBeUndefined();
  });

  test('policy JSON string and IP allow list: deny outside the list (parsed)', () => {
    const { stack } = newAwsStack();
    new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: READ.toJson(), awsIpAllowList: ['203.0.113.0/24'] });
    const r = synth(stack).json.resource;
    const policies = Object.values(r.aws_iam_policy).map((p: any) => parsePolicyJson(p.policy));
    const deny = policies.find((d) => d.Statement.every((s) => s.Effect === 'Deny'))!;
    expect(deny).toBeDefined();
    const cond = deny.Statement.find((s) => s.Sid === 'DenyNonS3OutsideAllowList')!.Condition!;
    expect([(cond.NotIpAddress as any)['aws:SourceIp']].flat()).toEqual(['203.0.113.0/24']);
    expect(Object.keys(r.aws_iam_role_policy_attachment)).toHaveLength(2);
  });

  test('every controller that emits workload support gets it (StatefulSet)', () => {
    const { stack } = newAwsStack();
    new KubeStatefulSet(stack, 'db', { namespace: 'web', name: 'db', containers: [{ ...NGINX }], awsIamPolicy: READ });
    const out = synth(stack);
    expect(manifest(out, 'ServiceAccount').metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/aws_iam_role/);
  });

  test.each([
    ['an invalid policy document', () => new PolicyDocument({ statements: [] }), 'iamPolicyJson.Statement'],
    ['malformed JSON', () => '{"Version":', 'iamPolicyJson'],
  ])('%s is a ValidationError', (_label, policy, field) => {
    const { stack } = newAwsStack();
    const error = errorOf(() => new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: policy() }));
    expect(error.field).toBe(field);
  });

  test('a bad IP in the allow list is a ValidationError', () => {
    const { stack } = newAwsStack();
    expect(() => new KubeDeployment(stack, 'api', { ...DEPLOYMENT, awsIamPolicy: READ, awsIpAllowList: ['not-an-ip'] })).toThrow(ValidationError);
  });
});

describe('example: edge', () => {
  const { stack } = newAwsStack();
  const global = new AwsProvider(stack, 'aws-global', { alias: 'global', region: 'us-east-1' });
  const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
  const web = new KubeDeployment(stack, 'web', {
    namespace: ns, name: 'web',
    containers: [{ ...NGINX, ports: { http: { port: 8080, servicePort: 80 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/' }],
  });
  const edge = addEdgeExamples(stack, { web, globalProvider: global, namespace: ns });
  const out = synth(stack);
  const r = out.json.resource;

  test('the web Service is served through KubeIngress in CDN mode', () => {
    const ing = out.manifests.filter((m) => m.kind === 'Ingress');
    expect(ing).toHaveLength(1);
    expect(ing[0].spec.rules[0].http.paths[0].backend.service).toEqual({ name: web.serviceName, port: { number: 80 } });
    expect(ing[0].spec.tls[0].secretName).toBe('web-tls');
    expect(manifest(out, 'Certificate').spec.issuerRef.name).toBe('public');
    expect(edge.ingress.cdnOriginConfigs).toHaveLength(1);
  });

  test('CloudFront fronts the ingress origin with the us-east-1 certificate', () => {
    const dist = only(r.aws_cloudfront_distribution);
    expect(dist.origin[0].domain_name).toBe(edge.ingress.cdnOriginConfigs[0].originDomain);
    expect(dist.aliases).toEqual(['app.example.com']);
    expect(dist.ordered_cache_behavior.map((b: any) => b.path_pattern)).toEqual(['/assets/*', '/*']);
    expect(only(r.aws_acm_certificate).provider).toBe('aws.global');
    expect(dist.logging_config).toBeDefined();
  });

  test('the assets-sync workload reads S3 through IRSA', () => {
    const doc = parsePolicyJson((Object.values(r.aws_iam_policy)[0] as any).policy);
    expect(doc.Statement.flatMap((s) => [s.Action].flat()).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    expect(doc.Statement.every((s) => s.Effect === 'Allow')).toBe(true);
    const sa = out.manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.name === edge.assetsSync.serviceAccountName);
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toMatch(/aws_iam_role/);
    expect(out.json.output.assets_sync_role_arn).toBeDefined();
  });
});
