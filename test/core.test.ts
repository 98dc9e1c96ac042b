import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { PropValidator, isToken, suggestDnsLabel } from '../lib/core/validation';
import { bytesQuantity, cpuQuantity, mbQuantity, memoryLimitBytes } from '../lib/core/units';
import { camelToSnake, childName, fitName, selectorId, shortHash, snakeToCamel } from '../lib/core/naming';
import { moduleLabels, sanitizeLabelValue } from '../lib/core/labels';
import { EnvironmentContext, ENVIRONMENT_CONTEXT_KEY } from '../lib/core/context';
import { CLUSTER_PROFILES } from '../lib/core/cluster-profile';
import { errorOf } from './support/errors';

const v = new PropValidator('stack/web');

describe('ValidationError', () => {
  test('carries path, field, value and fix, and says all four', () => {
    const e = errorOf(() => v.dnsLabel('name', 'Web_App'));
    expect(e.path).toBe('stack/web');
    expect(e.field).toBe('name');
    expect(e.value).toBe('Web_App');
    expect(e.fix).toMatch(/lower-case/);
    expect(e.message).toBe(`[stack/web] name = "Web_App": is not a valid RFC 1123 label. Fix: ${e.fix}`);
    expect(e.fix).toContain('"web-app"');
  });
});

describe('validators', () => {
  test.each([
    ['dnsLabel', () => v.dnsLabel('f', 'ok-name-1'), () => v.dnsLabel('f', '-bad')],
    ['dnsLabel length', () => v.dnsLabel('f', 'a'.repeat(63)), () => v.dnsLabel('f', 'a'.repeat(64))],
    ['dnsSubdomain', () => v.dnsSubdomain('f', 'a.b-c.d'), () => v.dnsSubdomain('f', 'a..b')],
    ['labelKey', () => v.labelKey('f', 'example.com/my_key.1'), () => v.labelKey('f', 'Example.com/key')],
    ['labelKey name', () => v.labelKey('f', 'key'), () => v.labelKey('f', 'key-')],
    ['labelValue', () => v.labelValue('f', ''), () => v.labelValue('f', 'bad value')],
    ['quantity', () => v.quantity('f', '128Mi'), () => v.quantity('f', 'lots')],
    ['port', () => v.port('f', 65535), () => v.port('f', 0)],
    ['integer', () => v.integer('f', 3, 1, 3), () => v.integer('f', 1.5, 1, 3)],
    ['number', () => v.number('f', 1.3, 1), () => v.number('f', 0.5, 1)],
    ['envVarName', () => v.envVarName('f', 'DB_URL'), () => v.envVarName('f', '1DB')],
    ['absolutePath', () => v.absolutePath('f', '/tmp/x'), () => v.absolutePath('f', 'tmp/../x')],
    ['nonEmpty', () => v.nonEmpty('f', [1], 'fix'), () => v.nonEmpty('f', [], 'fix')],
    ['required', () => v.required('f', 'x'), () => v.required('f', '')],
    ['exclusive', () => v.exclusive('a', true, 'b', false, 'fix'), () => v.exclusive('a', true, 'b', true, 'fix')],
  ])('%s accepts good input and rejects bad input', (_name, good, bad) => {
    expect(good).not.toThrow();
    expect(errorOf(bad).field.length).toBeGreaterThan(0);
  });

  test('oneOf suggests the right casing', () => {
    expect(errorOf(() => v.oneOf('livenessProbeType', 'http' as 'HTTP', ['exec', 'HTTP', 'TCP'])).fix).toContain('did you mean "HTTP"');
  });

  test('deploy-time tokens never throw', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const s = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    const n = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const l = new TerraformVariable(stack, 'l', { type: 'list(string)' }).listValue;
    expect(isToken(s) && isToken(n) && isToken(l)).toBe(true);
    expect(() => {
      v.dnsLabel('f', s);
      v.dnsSubdomain('f', s);
      v.labelKey('f', s);
      v.labelValue('f', s);
      v.quantity('f', s);
      v.port('f', n);
      v.integer('f', n, 1, 2);
      v.number('f', n, 1, 2);
      v.envVarName('f', s);
      v.absolutePath('f', s);
      v.nonEmpty('f', l, 'fix');
      v.oneOf('f', s as 'a', ['a']);
    }).not.toThrow();
    expect(isToken('plain')).toBe(false);
  });

  test('suggestDnsLabel makes a valid label', () => {
    expect(suggestDnsLabel('My_Web App')).toBe('my-web-app');
    expect(suggestDnsLabel('___')).toBe('name');
  });
});

describe('units', () => {
  test('quantities are canonical, as the API server returns them', () => {
    expect(cpuQuantity(10)).toBe('10m');
    expect(cpuQuantity(1000)).toBe('1');
    expect(cpuQuantity(1500)).toBe('1500m');
    expect(mbQuantity(100)).toBe('100Mi');
    expect(mbQuantity(1024)).toBe('1Gi');
    expect(bytesQuantity(memoryLimitBytes(100, 1.3))).toBe('130Mi');
    expect(bytesQuantity(memoryLimitBytes(100, 1.333))).toBe('139775180');
    expect(bytesQuantity(3000)).toBe('3k');
    expect(bytesQuantity(0)).toBe('0');
  });
  test('memory limit is floor(request bytes x multiplier)', () => {
    expect(memoryLimitBytes(100, 1.3)).toBe(Math.floor(100 * 1024 * 1024 * 1.3));
  });
});

describe('naming', () => {
  test('selector ids are deterministic, 16 hex, and differ by kind, namespace and name', () => {
    const id = selectorId('Deployment', 'web', 'api');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(selectorId('Deployment', 'web', 'api')).toBe(id);
    expect(new Set([id, selectorId('StatefulSet', 'web', 'api'), selectorId('Deployment', 'web2', 'api'), selectorId('Deployment', 'web', 'api2')]).size).toBe(4);
    expect(shortHash(['a'], 8)).toHaveLength(8);
  });
  test('fitName keeps short names and shortens long ones uniquely', () => {
    expect(fitName('short', 10)).toBe('short');
    const a = fitName('a'.repeat(70), 63);
    const b = fitName(`${'a'.repeat(69)}b`, 63);
    expect(a).toHaveLength(63);
    expect(a).not.toBe(b);
    expect(childName('web', 'pdb')).toBe('web-pdb');
  });
});

describe('labels', () => {
  test('sanitizeLabelValue follows the pf provider rules', () => {
    expect(sanitizeLabelValue('us east/2!')).toBe('us.east.2');
    expect(sanitizeLabelValue('--x--')).toBe('x');
  });
  test('moduleLabels layer extra labels, environment, region, module and managed-by', () => {
    expect(moduleLabels({ environment: 'prod', region: 'us-east-2', extraLabels: { team: 'a b' } }, 'kube_deployment')).toEqual({
      team: 'a.b',
      'panfactum.com/environment': 'prod',
      'panfactum.com/region': 'us-east-2',
      'panfactum.com/module': 'kube_deployment',
      'app.kubernetes.io/managed-by': 'cdktf-golden-path',
    });
  });
});

describe('EnvironmentContext', () => {
  test('defaults apply without a context', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(EnvironmentContext.of(stack)).toEqual({ slaTarget: 3, extraLabels: {}, environment: undefined, region: undefined, clusterName: undefined, cluster: CLUSTER_PROFILES.panfactum });
  });
  test('the nearest scope wins and labels merge; app context is the base', () => {
    const app = Testing.app({ context: { [ENVIRONMENT_CONTEXT_KEY]: { environment: 'base', extraLabels: { a: '1' } } } });
    const stack = new TerraformStack(app, 's');
    EnvironmentContext.set(stack, { slaTarget: 1, extraLabels: { b: '2' } });
    const ctx = EnvironmentContext.of(stack);
    expect(ctx.environment).toBe('base');
    expect(ctx.slaTarget).toBe(1);
    expect(ctx.extraLabels).toEqual({ a: '1', b: '2' });
  });
  test('invalid values are refused', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(errorOf(() => EnvironmentContext.set(stack, { slaTarget: 4 as 3 })).field).toBe('environmentContext.slaTarget');
    expect(errorOf(() => EnvironmentContext.set(stack, { extraLabels: { 'bad key!': 'x' } })).field).toBe('environmentContext.extraLabels["bad key!"]');
  });
});

describe('key styles', () => {
  test('camelCase props and Panfactum snake_case inputs convert both ways', () => {
    expect(camelToSnake('ingressNginxClass')).toBe('ingress_nginx_class');
    expect(snakeToCamel('ingress_nginx_class')).toBe('ingressNginxClass');
    expect(snakeToCamel('vpa_enabled_2x')).toBe('vpaEnabled2x');
    expect(snakeToCamel('alreadyCamel')).toBe('alreadyCamel');
    for (const k of ['binPackingScheduler', 'externalSecretsApiVersion', 'vpa']) expect(snakeToCamel(camelToSnake(k))).toBe(k);
  });
});
