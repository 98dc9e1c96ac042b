import { TerraformOutput, TerraformStack, Testing, TerraformVariable } from 'cdktf';
import { errorOf } from './support/errors';
import {
  MANAGED_POLICY_MAX_CHARS,
  PolicyDocument,
  PolicyStatement,
  parsePolicyJson,
  policySize,
  validatePolicyJson,
} from '../lib/aws/policy-document';

const read: PolicyStatement = { Sid: 'ReadUploads', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::uploads/*' };
const trust: PolicyStatement = {
  Effect: 'Allow',
  Principal: { Service: 'ec2.amazonaws.com' },
  Action: 'sts:AssumeRole',
};

describe('PolicyDocument serialization', () => {
  test('compact literal JSON with Version 2012-10-17 and list-valued Action/Resource', () => {
    const json = new PolicyDocument({ statements: [read] }).toJson();
    expect(json).not.toMatch(/\s/);
    expect(JSON.parse(json)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReadUploads', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::uploads/*'] }],
    });
  });

  test('NotAction, NotResource, Condition and Id are kept; empty Sid and empty Condition are dropped', () => {
    const doc = new PolicyDocument({ id: 'Guard', statements: [] }).addStatements({
      Sid: '',
      Effect: 'Deny',
      NotAction: ['iam:*'],
      NotResource: 'arn:aws:s3:::public/*',
      Condition: {},
    }, {
      Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } },
    });
    const parsed = parsePolicyJson(doc.toJson());
    expect(parsed.Id).toBe('Guard');
    expect(parsed.Statement[0]).toEqual({ Effect: 'Deny', NotAction: ['iam:*'], NotResource: ['arn:aws:s3:::public/*'] });
    expect(parsed.Statement[1].Condition).toEqual({ Bool: { 'aws:SecureTransport': false } });
  });

  test('trust policy keeps Principal and needs no Resource', () => {
    const parsed = parsePolicyJson(new PolicyDocument({ kind: 'trust', statements: [trust] }).toJson());
    expect(parsed.Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    expect(parsed.Statement[0].Action).toEqual(['sts:AssumeRole']);
  });

  test('fromJson round-trips and accepts a single statement object', () => {
    const doc = PolicyDocument.fromJson(JSON.stringify({ Version: '2012-10-17', Statement: read }));
    expect(doc.statementList).toHaveLength(1);
    expect(parsePolicyJson(doc.toJson()).Statement[0].Action).toEqual(['s3:GetObject']);
  });

  test('tokens inside values are allowed and resolve in place', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const bucket = new TerraformVariable(stack, 'bucket_arn', { type: 'string' }).stringValue;
    const json = new PolicyDocument({ statements: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucket }] }).toJson(stack);
    new TerraformOutput(stack, 'policy', { value: json });
    expect(JSON.parse(Testing.synth(stack)).output.policy.value).toBe('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":["${var.bucket_arn}"]}]}');
  });

  test('policySize ignores whitespace outside strings only', () => {
    expect(policySize('{ "a" : "b c" }')).toBe('{"a":"b c"}'.length);
  });
});

describe('PolicyDocument validation errors', () => {
  test('no statements', () => {
    expect(errorOf(() => new PolicyDocument().toJson('x')).field).toBe('policy.Statement');
  });

  test('bad Effect', () => {
    const err = errorOf(() => new PolicyDocument({ statements: [{ ...read, Effect: 'allow' as 'Allow' }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Effect');
    expect(err.fix).toContain('"Allow"');
  });

  test('empty Action', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, Action: [] }] }).toJson('x')).field).toBe('policy.Statement[0].Action');
  });

  test('missing Action and NotAction', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ Effect: 'Allow', Resource: '*' }] }).toJson('x')).field).toBe('policy.Statement[0].Action');
  });

  test('both Action and NotAction', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, NotAction: 's3:PutObject' }] }).toJson('x')).field).toBe('policy.Statement[0].Action/NotAction');
  });

  test('malformed action', () => {
    const err = errorOf(() => new PolicyDocument({ statements: [{ ...read, Action: ['s3 GetObject'] }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Action[0]');
  });

  test('Sid with punctuation', () => {
    const err = errorOf(() => new PolicyDocument({ statements: [{ ...read, Sid: 'read-uploads' }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Sid');
    expect(err.fix).toContain('"readuploads"');
  });

  test('duplicate Sid', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [read, read] }).toJson('x')).field).toBe('policy.Statement[1].Sid');
  });

  test('both Resource and NotResource', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, NotResource: '*' }] }).toJson('x')).field).toBe('policy.Statement[0].Resource/NotResource');
  });

  test('empty Resource', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, Resource: [] }] }).toJson('x')).field).toBe('policy.Statement[0].Resource');
  });

  test('identity policy without Resource', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ Effect: 'Allow', Action: 's3:GetObject' }] }).toJson('x')).field).toBe('policy.Statement[0].Resource');
  });

  test('identity policy with a Principal', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, Principal: '*' }] }).toJson('x')).field).toBe('policy.Statement[0].Principal');
  });

  test('trust policy without a Principal', () => {
    const err = errorOf(() => new PolicyDocument({ kind: 'trust', statements: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Principal');
  });

  test('trust policy with a Resource', () => {
    expect(errorOf(() => new PolicyDocument({ kind: 'trust', statements: [{ ...trust, Resource: '*' }] }).toJson('x')).field).toBe('policy.Statement[0].Resource');
  });

  test('unknown condition operator', () => {
    const err = errorOf(() => new PolicyDocument({ statements: [{ ...read, Condition: { StringEqual: { 'aws:username': 'x' } } }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Condition.StringEqual');
  });

  test('empty condition block', () => {
    expect(errorOf(() => new PolicyDocument({ statements: [{ ...read, Condition: { StringEquals: {} } }] }).toJson('x')).field).toBe('policy.Statement[0].Condition.StringEquals');
  });

  test('condition key with https:// left in it', () => {
    const err = errorOf(() => new PolicyDocument({ kind: 'trust', statements: [{
      ...trust,
      Condition: { StringEquals: { 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:a:b' } },
    }] }).toJson('x'));
    expect(err.field).toBe('policy.Statement[0].Condition.StringEquals["https://oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"]');
  });

  test('managed policy over 6144 characters', () => {
    const resources = Array.from({ length: 200 }, (_, i) => `arn:aws:s3:::bucket-number-${i}/*`);
    const err = errorOf(() => new PolicyDocument({ statements: [{ ...read, Resource: resources }] }).toJson('x', 'iamPolicyJson'));
    expect(err.field).toBe('iamPolicyJson');
    expect(err.fix).toContain(String(MANAGED_POLICY_MAX_CHARS));
  });

  test('trust policy over the 4096 hard limit', () => {
    const subs = Array.from({ length: 120 }, (_, i) => `system:serviceaccount:namespace-${i}:service-account-${i}`);
    const err = errorOf(() => new PolicyDocument({ kind: 'trust', statements: [{ ...trust, Condition: { StringEquals: { 'aws:sub': subs } } }] }).toJson('x', 'trust'));
    expect(err.field).toBe('trust');
  });

  test('trust policy over 2048 characters warns on the construct but does not throw', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const subs = Array.from({ length: 40 }, (_, i) => `system:serviceaccount:namespace-${i}:service-account-${i}`);
    const json = new PolicyDocument({ kind: 'trust', statements: [{ ...trust, Condition: { StringEquals: { 'aws:sub': subs } } }] }).toJson(stack, 'trust');
    expect(policySize(json)).toBeGreaterThan(2048);
    const warnings = stack.node.metadata.filter((m) => m.type === '@cdktf/warn');
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0].data)).toContain('2048');
  });

  test('errors name the construct path', () => {
    const stack = new TerraformStack(Testing.app(), 'prod');
    expect(errorOf(() => new PolicyDocument().toJson(stack)).path).toBe('prod');
  });
});

describe('validatePolicyJson', () => {
  test('accepts a literal policy and returns it unchanged', () => {
    const json = JSON.stringify({ Version: '2012-10-17', Statement: [read] });
    expect(validatePolicyJson('x', 'iamPolicyJson', json)).toBe(json);
  });

  test('rejects text that is not JSON', () => {
    const err = errorOf(() => validatePolicyJson('x', 'iamPolicyJson', 'not json'));
    expect(err.field).toBe('iamPolicyJson');
    expect(err.message).toContain('not valid JSON');
  });

  test('rejects a JSON document without statements', () => {
    expect(errorOf(() => validatePolicyJson('x', 'iamPolicyJson', '{"Version":"2012-10-17"}')).field).toBe('iamPolicyJson.Statement');
  });

  test('a whole-token policy passes untouched', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const token = new TerraformVariable(stack, 'policy', { type: 'string' }).stringValue;
    expect(validatePolicyJson(stack, 'iamPolicyJson', token)).toBe(token);
  });

  test('a partly literal policy with tokens is still checked', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const arn = new TerraformVariable(stack, 'arn', { type: 'string' }).stringValue;
    const bad = `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"s3:GetObject","Resource":"${arn}"}]}`;
    expect(errorOf(() => validatePolicyJson(stack, 'iamPolicyJson', bad)).field).toBe('iamPolicyJson.Statement[0].Effect');
  });
});
