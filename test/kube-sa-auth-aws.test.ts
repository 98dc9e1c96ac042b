import { Testing, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EnvironmentContext } from '../lib/core/context';
import { ValidationError } from '../lib/core/errors';
import { PolicyDocument, parsePolicyJson } from '../lib/aws/policy-document';
import {
  KubeSaAuthAws,
  KubeSaAuthAwsProps,
  S3_OBJECT_ACTIONS,
  S3_VPC_ENDPOINT_ACTIONS,
  isCidrOrIp,
} from '../lib/constructs/kube-sa-auth-aws';
import { errorOf } from './support/errors';

const ISSUER = 'https://oidc.eks.us-east-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const HOST = 'oidc.eks.us-east-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const PROVIDER_ARN = `arn:aws:iam::123456789012:oidc-provider/${HOST}`;
const READ_BUCKET = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::uploads/*'] }],
});

function makeStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}

function base(overrides: Partial<KubeSaAuthAwsProps> = {}): KubeSaAuthAwsProps {
  return { serviceAccount: 'api', serviceAccountNamespace: 'shop', iamPolicyJson: READ_BUCKET, oidcIssuerUrl: ISSUER, ...overrides };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
function synth(props: Partial<KubeSaAuthAwsProps> = {}, setup?: (s: TerraformStack) => void): Json {
  const stack = makeStack();
  setup?.(stack);
  new KubeSaAuthAws(stack, 'irsa', base(props));
  return JSON.parse(Testing.synth(stack, true));
}

function only<T>(map: Record<string, T> | undefined, what: string): T {
  const values = Object.values(map ?? {});
  if (values.length !== 1) throw new Error(`expected exactly one ${what}, got ${values.length}`);
  return values[0];
}

function trustStatement(out: Json): Json {
  const role = only(out.resource.aws_iam_role, 'aws_iam_role') as Json;
  const doc = parsePolicyJson(role.assume_role_policy);
  expect(doc.Version).toBe('2012-10-17');
  expect(doc.Statement).toHaveLength(1);
  return doc.Statement[0];
}

function expectError(props: Partial<KubeSaAuthAwsProps>, field: string, setup?: (s: TerraformStack) => void): ValidationError {
  const err = errorOf(() => synth(props, setup));
  expect(err.path).toBe('test/irsa');
  expect(err.field).toBe(field);
  expect(err.fix.length).toBeGreaterThan(10);
  return err;
}

describe('KubeSaAuthAws trust policy', () => {
  test('literal issuer URL: Federated principal from account + partition, sub and aud pinned with StringEquals', () => {
    const out = synth();
    const s = trustStatement(out);
    expect(s.Effect).toBe('Allow');
    expect(s.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    const [partitionId] = Object.keys(out.data.aws_partition);
    const [callerId] = Object.keys(out.data.aws_caller_identity);
    expect(s.Principal).toEqual({
      Federated: `arn:\${data.aws_partition.${partitionId}.partition}:iam::\${data.aws_caller_identity.${callerId}.account_id}:oidc-provider/${HOST}`,
    });
    expect(s.Condition).toEqual({
      StringEquals: {
        [`${HOST}:sub`]: 'system:serviceaccount:shop:api',
        [`${HOST}:aud`]: 'sts.amazonaws.com',
      },
    });
    expect(out.data.aws_partition).toBeDefined();
    expect(out.data.aws_caller_identity).toBeDefined();
    expect(out.data.aws_eks_cluster).toBeUndefined();
  });

  test('provider ARN: used as principal, condition keys are the part after oidc-provider/, no lookups', () => {
    const out = synth({ oidcIssuerUrl: undefined, oidcProviderArn: PROVIDER_ARN });
    const s = trustStatement(out);
    expect(s.Principal).toEqual({ Federated: PROVIDER_ARN });
    expect(Object.keys(s.Condition.StringEquals).sort()).toEqual([`${HOST}:aud`, `${HOST}:sub`]);
    expect(s.Condition.StringEquals[`${HOST}:sub`]).toBe('system:serviceaccount:shop:api');
    expect(out.data).toBeUndefined();
  });

  test('China partition ARN defaults the audience to sts.amazonaws.com.cn', () => {
    const host = 'oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC';
    const s = trustStatement(synth({ oidcIssuerUrl: undefined, oidcProviderArn: `arn:aws-cn:iam::123456789012:oidc-provider/${host}` }));
    expect(s.Condition.StringEquals[`${host}:aud`]).toBe('sts.amazonaws.com.cn');
  });

  test('an explicit audience replaces the default', () => {
    const s = trustStatement(synth({ audience: 'my-audience' }));
    expect(s.Condition.StringEquals[`${HOST}:aud`]).toBe('my-audience');
  });

  test('lookup by cluster name: issuer is a token, yet the sub and aud keys are rendered correctly', () => {
    const out = synth({ oidcIssuerUrl: undefined, eksClusterName: 'main' });
    const cluster = only(out.data.aws_eks_cluster, 'aws_eks_cluster') as Json;
    expect(cluster.name).toBe('main');
    const [oidcName, oidc] = Object.entries(out.data.aws_iam_openid_connect_provider)[0] as [string, Json];
    const [clusterName] = Object.keys(out.data.aws_eks_cluster);
    expect(oidc.url).toBe(`\${data.aws_eks_cluster.${clusterName}.identity[0].oidc[0].issuer}`);
    // The issuer host is computed once, into a local, and referenced from the key position.
    const [localName, localExpr] = Object.entries(out.locals)[0] as [string, string];
    expect(localExpr).toBe(`\${replace(data.aws_eks_cluster.${clusterName}.identity[0].oidc[0].issuer, "https://", "")}`);
    const s = trustStatement(out);
    expect(s.Principal).toEqual({ Federated: `\${data.aws_iam_openid_connect_provider.${oidcName}.arn}` });
    expect(s.Condition).toEqual({
      StringEquals: {
        [`\${local.${localName}}:sub`]: 'system:serviceaccount:shop:api',
        [`\${local.${localName}}:aud`]: 'sts.amazonaws.com',
      },
    });
  });

  test('cluster name defaults to EnvironmentContext.clusterName', () => {
    const out = synth({ oidcIssuerUrl: undefined }, (stack) => EnvironmentContext.set(stack, { clusterName: 'production-primary' }));
    expect((only(out.data.aws_eks_cluster, 'aws_eks_cluster') as Json).name).toBe('production-primary');
    const s = trustStatement(out);
    const keys = Object.keys(s.Condition.StringEquals);
    expect(keys.filter((k) => k.endsWith(':sub'))).toHaveLength(1);
    expect(keys.filter((k) => k.endsWith(':aud'))).toHaveLength(1);
  });
});

describe('KubeSaAuthAws resources', () => {
  test('role, policy and attachment with Panfactum naming and defaults', () => {
    const out = synth();
    const role = only(out.resource.aws_iam_role, 'role') as Json;
    expect(role.name_prefix).toBe('api-');
    expect(role.max_session_duration).toBe(43200);
    const policy = only(out.resource.aws_iam_policy, 'policy') as Json;
    expect(policy.name_prefix).toBe('api-');
    expect(parsePolicyJson(policy.policy)).toEqual(parsePolicyJson(READ_BUCKET));
    const [roleId] = Object.keys(out.resource.aws_iam_role);
    const [policyId] = Object.keys(out.resource.aws_iam_policy);
    const attachment = only(out.resource.aws_iam_role_policy_attachment, 'attachment') as Json;
    expect(attachment.role).toBe(`\${aws_iam_role.${roleId}.name}`);
    expect(attachment.policy_arn).toBe(`\${aws_iam_policy.${policyId}.arn}`);
  });

  test('annotates the existing ServiceAccount with the role ARN through kubernetes_annotations', () => {
    const out = synth();
    const [roleId] = Object.keys(out.resource.aws_iam_role);
    const annotation = only(out.resource.kubernetes_annotations, 'kubernetes_annotations') as Json;
    expect(annotation).toMatchObject({
      api_version: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'api', namespace: 'shop' },
      annotations: { 'eks.amazonaws.com/role-arn': `\${aws_iam_role.${roleId}.arn}` },
      field_manager: 'terraform-aws',
      force: true,
    });
  });

  test('annotateServiceAccount=false emits no annotation and exposes serviceAccountAnnotations', () => {
    const stack = makeStack();
    const irsa = new KubeSaAuthAws(stack, 'irsa', base({ annotateServiceAccount: false }));
    new TerraformOutput(stack, 'annotation', { value: irsa.serviceAccountAnnotations['eks.amazonaws.com/role-arn'] });
    new TerraformOutput(stack, 'role_arn', { value: irsa.roleArn });
    new TerraformOutput(stack, 'role_name', { value: irsa.roleName });
    new TerraformOutput(stack, 'policy_arn', { value: irsa.policyArn });
    const out = JSON.parse(Testing.synth(stack, true));
    expect(out.resource.kubernetes_annotations).toBeUndefined();
    expect(Object.keys(irsa.serviceAccountAnnotations)).toEqual(['eks.amazonaws.com/role-arn']);
    const [roleId] = Object.keys(out.resource.aws_iam_role);
    const [policyId] = Object.keys(out.resource.aws_iam_policy);
    expect(out.output.annotation.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(out.output.role_arn.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(out.output.role_name.value).toBe(`\${aws_iam_role.${roleId}.name}`);
    expect(out.output.policy_arn.value).toBe(`\${aws_iam_policy.${policyId}.arn}`);
  });

  test('long ServiceAccount names are cut to a 37-character prefix plus "-"', () => {
    const sa = 'a-very-long-service-account-name-for-the-reporting-worker';
    const out = synth({ serviceAccount: sa });
    const role = only(out.resource.aws_iam_role, 'role') as Json;
    expect(role.name_prefix).toBe(`${sa.slice(0, 37)}-`);
    expect(role.name_prefix.length).toBe(38);
  });

  test('a PolicyDocument is accepted as iamPolicyJson and serialized once', () => {
    const doc = new PolicyDocument({ statements: [{ Sid: 'Queue', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-2:123456789012:jobs' }] });
    const out = synth({ iamPolicyJson: doc });
    const policy = only(out.resource.aws_iam_policy, 'policy') as Json;
    expect(parsePolicyJson(policy.policy).Statement).toEqual([
      { Sid: 'Queue', Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: ['arn:aws:sqs:us-east-2:123456789012:jobs'] },
    ]);
  });

  test('tags and session duration are passed through', () => {
    const out = synth({ tags: { team: 'payments' }, maxSessionDurationSeconds: 3600 });
    const role = only(out.resource.aws_iam_role, 'role') as Json;
    expect(role.tags).toEqual({ team: 'payments' });
    expect(role.max_session_duration).toBe(3600);
    expect((only(out.resource.aws_iam_policy, 'policy') as Json).tags).toEqual({ team: 'payments' });
  });

  test('no IP allow list: no ip-blocks policy', () => {
    const out = synth();
    expect(Object.keys(out.resource.aws_iam_policy)).toHaveLength(1);
  });
});

describe('KubeSaAuthAws IP allow list', () => {
  const allow = ['10.0.0.0/16', '203.0.113.7', '2001:db8::/32'];

  function ipBlocks(out: Json) {
    const entries = Object.entries(out.resource.aws_iam_policy) as [string, Json][];
    const found = entries.filter(([, p]) => String(p.name_prefix).includes('-ip-blocks-'));
    expect(found).toHaveLength(1);
    return { id: found[0][0], policy: found[0][1], doc: parsePolicyJson(found[0][1].policy) };
  }

  test('deny policy: SourceIp for non-S3, VpcSourceIp for S3, both gated by aws:ViaAWSService', () => {
    const out = synth({ ipAllowList: allow });
    const { id, policy, doc } = ipBlocks(out);
    expect(policy.name_prefix).toBe('api-ip-blocks-');
    expect(doc.Statement).toHaveLength(2);
    const [nonS3, s3] = doc.Statement;
    expect(nonS3).toMatchObject({ Effect: 'Deny', NotAction: ['s3:*'], Resource: ['*'] });
    expect(nonS3.Condition).toEqual({ NotIpAddress: { 'aws:SourceIp': allow }, BoolIfExists: { 'aws:ViaAWSService': 'false' } });
    expect(s3).toMatchObject({ Effect: 'Deny', Resource: ['*'] });
    expect(s3.Condition).toEqual({ NotIpAddress: { 'aws:VpcSourceIp': allow }, BoolIfExists: { 'aws:ViaAWSService': 'false' } });
    expect(s3.Action).toEqual([...S3_VPC_ENDPOINT_ACTIONS, ...S3_OBJECT_ACTIONS]);
    const attachments = Object.values(out.resource.aws_iam_role_policy_attachment) as Json[];
    expect(attachments.map((a) => a.policy_arn)).toContain(`\${aws_iam_policy.${id}.arn}`);
    expect(attachments).toHaveLength(2);
  });

  test('allowPublicS3PresignedUrls drops s3:GetObject*/PutObject* from the restriction', () => {
    const { doc } = ipBlocks(synth({ ipAllowList: allow, allowPublicS3PresignedUrls: true }));
    expect(doc.Statement[1].Action).toEqual([...S3_VPC_ENDPOINT_ACTIONS]);
    expect(doc.Statement[1].Action).not.toContain('s3:GetObject*');
  });

  test('a token allow list is spliced in with jsonencode', () => {
    const stack = makeStack();
    const list = new TerraformVariable(stack, 'allow', { type: 'list(string)' }).listValue;
    new KubeSaAuthAws(stack, 'irsa', base({ ipAllowList: list }));
    const synthed = JSON.parse(Testing.synth(stack, true));
    const policies = Object.values(synthed.resource.aws_iam_policy) as Json[];
    const policy = policies.find((p) => String(p.name_prefix).includes('-ip-blocks-'));
    expect(policy.policy).toMatch(/^\$\{replace\(".*IPALLOWLISTPLACEHOLDER.*", .*, jsonencode\(var\.allow\)\)\}$/s);
  });
});

describe('KubeSaAuthAws validation', () => {
  test('wildcard in the ServiceAccount name', () => {
    const err = expectError({ serviceAccount: 'api-*' }, 'serviceAccount');
    expect(err.message).toContain('wildcard');
  });

  test('wildcard in the namespace', () => {
    expectError({ serviceAccountNamespace: 'sh?p' }, 'serviceAccountNamespace');
  });

  test('invalid ServiceAccount name', () => {
    expectError({ serviceAccount: 'Api_Worker' }, 'serviceAccount');
  });

  test('invalid namespace', () => {
    expectError({ serviceAccountNamespace: 'Shop' }, 'serviceAccountNamespace');
  });

  test('issuer URL without https://', () => {
    const err = expectError({ oidcIssuerUrl: HOST }, 'oidcIssuerUrl');
    expect(err.fix).toContain('https://');
  });

  test('malformed issuer URL', () => {
    expectError({ oidcIssuerUrl: 'https://oidc eks/id' }, 'oidcIssuerUrl');
  });

  test('provider ARN with https:// left in it', () => {
    expectError({ oidcIssuerUrl: undefined, oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/https://${HOST}` }, 'oidcProviderArn');
  });

  test('not an OIDC provider ARN', () => {
    expectError({ oidcIssuerUrl: undefined, oidcProviderArn: 'arn:aws:iam::123456789012:role/foo' }, 'oidcProviderArn');
  });

  // Issue 14, D7: IRSA trusts exactly one issuer and one audience.
  test.each([
    ['a provider ARN ending in /*', { oidcIssuerUrl: undefined, oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/*' }, 'oidcProviderArn'],
    ['a provider ARN with a wildcard in the issuer id', { oidcIssuerUrl: undefined, oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/*` }, 'oidcProviderArn'],
    ['an issuer URL ending in /*', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/*' }, 'oidcIssuerUrl'],
    ['an issuer URL with ?', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/EXAMPLE?' }, 'oidcIssuerUrl'],
    ['audience *', { audience: '*' }, 'audience'],
    ['an audience pattern', { audience: 'sts.*.com' }, 'audience'],
  ] as Array<[string, Partial<KubeSaAuthAwsProps>, string]>)('wildcards are refused: %s', (_name, props, field) => {
    const err = expectError(props, field);
    expect(err.message).toContain('contains a wildcard');
    expect(err.fix).toMatch(/exact/);
  });

  test('more than one issuer source', () => {
    expectError({ oidcProviderArn: PROVIDER_ARN }, 'oidcIssuerUrl/oidcProviderArn');
  });

  test('no issuer source and no cluster in the context', () => {
    const err = expectError({ oidcIssuerUrl: undefined }, 'oidcIssuerUrl');
    expect(err.fix).toContain('EnvironmentContext');
  });

  test('bad CIDR in ipAllowList', () => {
    const err = expectError({ ipAllowList: ['10.0.0.0/16', '10.0.0.300/8'] }, 'ipAllowList[1]');
    expect(err.value).toBe('10.0.0.300/8');
  });

  test('session duration below 3600', () => {
    expectError({ maxSessionDurationSeconds: 900 }, 'maxSessionDurationSeconds');
  });

  test('session duration above 43200', () => {
    expectError({ maxSessionDurationSeconds: 86400 }, 'maxSessionDurationSeconds');
  });

  test('audience with a URL scheme', () => {
    expectError({ audience: 'https://sts.amazonaws.com' }, 'audience');
  });

  test('iamPolicyJson that is not JSON', () => {
    expectError({ iamPolicyJson: '{"Version": "2012-10-17", Statement: []' }, 'iamPolicyJson');
  });

  test('iamPolicyJson with an invalid statement', () => {
    const bad = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 's3:GetObject', Resource: '*' }] });
    expectError({ iamPolicyJson: bad }, 'iamPolicyJson.Statement[0].Effect');
  });

  test('missing serviceAccount', () => {
    expectError({ serviceAccount: '' }, 'serviceAccount');
  });
});

describe('KubeSaAuthAws with deploy-time tokens', () => {
  test('token names, issuer, ARN, policy, allow list and duration do not throw', () => {
    const stack = makeStack();
    const v = (name: string, type = 'string') => new TerraformVariable(stack, name, { type });
    expect(() => new KubeSaAuthAws(stack, 'a', {
      serviceAccount: v('sa').stringValue,
      serviceAccountNamespace: v('ns').stringValue,
      iamPolicyJson: v('policy').stringValue,
      oidcIssuerUrl: v('issuer').stringValue,
      maxSessionDurationSeconds: v('duration', 'number').numberValue,
      ipAllowList: [v('cidr').stringValue],
      audience: v('aud').stringValue,
    })).not.toThrow();
    expect(() => new KubeSaAuthAws(stack, 'b', {
      serviceAccount: 'api',
      serviceAccountNamespace: 'shop',
      iamPolicyJson: READ_BUCKET,
      oidcProviderArn: v('arn').stringValue,
    })).not.toThrow();
    expect(() => new KubeSaAuthAws(stack, 'c', {
      serviceAccount: 'api',
      serviceAccountNamespace: 'shop',
      iamPolicyJson: READ_BUCKET,
      eksClusterName: v('cluster').stringValue,
    })).not.toThrow();
    const out = JSON.parse(Testing.synth(stack, true));
    const roles = out.resource.aws_iam_role as Record<string, Json>;
    const roleA = Object.entries(roles).find(([k]) => k.startsWith('a_'))![1];
    expect(roleA.name_prefix).toBe('${substr(var.sa, 0, 37)}-');
    expect(roleA.max_session_duration).toBe('${var.duration}');
    const sA = parsePolicyJson(roleA.assume_role_policy).Statement[0];
    const keys = Object.keys(sA.Condition!.StringEquals);
    expect(keys.some((k) => /^\$\{local\.[^}]+\}:sub$/.test(k))).toBe(true);
    expect(sA.Condition!.StringEquals[keys.find((k) => k.endsWith(':sub'))!]).toBe('system:serviceaccount:${var.ns}:${var.sa}');
    expect(sA.Condition!.StringEquals[keys.find((k) => k.endsWith(':aud'))!]).toBe('${var.aud}');
    const roleB = Object.entries(roles).find(([k]) => k.startsWith('b_'))![1];
    const sB = parsePolicyJson(roleB.assume_role_policy).Statement[0];
    expect(sB.Principal).toEqual({ Federated: '${var.arn}' });
    expect(Object.values(out.locals as Record<string, string>)).toContain('${element(split("oidc-provider/", var.arn), 1)}');
  });
});

describe('isCidrOrIp', () => {
  test.each([
    ['10.0.0.0/16', true], ['203.0.113.7', true], ['0.0.0.0/0', true], ['2001:db8::/32', true], ['::1', true],
    ['10.0.0.0/33', false], ['256.1.1.1', false], ['10.0.0', false], ['2001:db8::/129', false], ['example.com', false], ['', false],
  ])('%s -> %s', (value, expected) => {
    expect(isCidrOrIp(value)).toBe(expected);
  });
});
