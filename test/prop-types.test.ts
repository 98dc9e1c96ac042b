import { TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import * as lib from '../lib';
import { KubeAwsCdn, KubeAwsCdnProps, MAX_CACHE_BEHAVIORS, MAX_ORIGIN_CUSTOM_HEADERS } from '../lib/constructs/kube-aws-cdn';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeIngress, KubeIngressProps } from '../lib/constructs/kube-ingress';
import { KubeScaledObject } from '../lib/constructs/kube-scaled-object';
import { KubeService } from '../lib/constructs/kube-service';
import { CONSTRUCT_PROP_TYPES } from '../lib/constructs/prop-types.generated';
import { EnvironmentContext } from '../lib/core/context';
import { ValidationError, describeValue } from '../lib/core/errors';
import { MAX_ENTRIES, MAX_STRING_LENGTH, PropType, checkPropTypes, nearest } from '../lib/core/prop-types';
import { PropValidator } from '../lib/core/validation';
import { errorOf } from './support/errors';
import { NGINX, newStack } from './support/synth';

/**
 * Issue 14, deliverable 3 ("no other exception"): any JavaScript value in any prop gives a
 * ValidationError naming the prop path, never a TypeError, a plain Error, a constructs error or
 * silently wrong output. The props of every construct are checked against a description
 * generated from their TypeScript types (lib/constructs/prop-types.generated.ts).
 */

const any = (x: unknown) => x as any;
const WEB = { ...NGINX, ports: { http: { port: 8080 } } };
const DEPLOYMENT: KubeDeploymentProps = { namespace: 'web', name: 'api', containers: [WEB] };

function deploymentFails(props: unknown): ValidationError {
  const { stack } = newStack();
  return errorOf(() => new KubeDeployment(stack, 'api', props as KubeDeploymentProps));
}

/** Classes that extend Construct without taking props of their own (abstract bases). */
const ABSTRACT_BASES = ['KubeWorkload'];

describe('every exported construct checks its props first', () => {
  const constructClasses = Object.entries(lib as Record<string, unknown>)
    .filter((e): e is [string, new (scope: Construct, id: string, props: unknown) => Construct] =>
      typeof e[1] === 'function' && (e[1] as { prototype?: unknown }).prototype instanceof Construct)
    .filter(([name]) => !ABSTRACT_BASES.includes(name))
    // Stack base classes (EnvironmentStack) take the loader's output, checked by hand below.
    .filter(([, cls]) => !(cls.prototype instanceof TerraformStack));

  test('the package exports the constructs, and each has a generated props description', () => {
    expect(constructClasses.length).toBeGreaterThanOrEqual(20);
    expect(constructClasses.map(([name]) => name).filter((name) => !(name in CONSTRUCT_PROP_TYPES))).toEqual([]);
  });

  // A construct that forgets `checkConstructProps(this, ...)` accepts the unknown key (or fails
  // with something else than this ValidationError), so this test fails for it.
  test.each(constructClasses.map(([name, cls]) => [name, cls] as const))('%s refuses an unknown prop', (name, cls) => {
    const { stack } = newStack();
    const e = errorOf(() => new cls(stack, 'x', { notAProp: 1 }));
    expect(e.path).toBe('test/x');
    expect(e.field).toBe('notAProp');
    expect(e.message).toContain(`is not a prop of ${name}`);
  });

  test.each(constructClasses.map(([name, cls]) => [name, cls] as const))('%s refuses a props value that is not an object', (_name, cls) => {
    const { stack } = newStack();
    const e = errorOf(() => new cls(stack, 'x', 'props'));
    expect(e.field).toBe('props');
  });

  test('EnvironmentStack refuses props that are not the loader\'s environment and region', () => {
    expect(errorOf(() => new lib.EnvironmentStack(Testing.app(), 's', any('props'))).field).toBe('props');
    expect(errorOf(() => new lib.EnvironmentStack(Testing.app(), 's', any({ region: { awsRegion: 'us-east-2' } }))).field).toBe('environment');
    expect(errorOf(() => new lib.EnvironmentStack(Testing.app(), 's', any({ environment: { name: 'dev' }, region: 'us-east-2' }))).field).toBe('region');
  });
});

describe('fuzzer findings: each is a ValidationError naming the prop path', () => {
  test('containers: [null]', () => {
    const e = deploymentFails({ ...DEPLOYMENT, containers: [null] });
    expect(e.field).toBe('containers[0]');
    expect(e.message).toContain('is null');
  });

  test('imageTag: 5 (a number)', () => {
    const e = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, imageTag: 5 }] });
    expect(e.field).toBe('containers[0].imageTag');
    expect(e.message).toBe('[test/api] containers[0].imageTag = 5: is a number, not a string. Fix: give a string, e.g. "5" (quoted)');
  });

  test('a KubeIngress rewrite rule without `match`', () => {
    const { stack } = newStack();
    const props = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80, rewriteRules: [{ rewrite: '/x' }] }] };
    const e = errorOf(() => new KubeIngress(stack, 'ing', props as unknown as KubeIngressProps));
    expect(e.field).toBe('ingressConfigs[0].rewriteRules[0].match');
    expect(e.message).toContain('is missing');
  });

  test('undefined props, null props and missing required props', () => {
    const { stack } = newStack();
    const undef = errorOf(() => new KubeDeployment(stack, 'a', undefined as unknown as KubeDeploymentProps));
    expect(undef.field).toBe('props');
    expect(undef.fix).toContain('`containers`, `name`, `namespace`');
    expect(errorOf(() => new KubeDeployment(stack, 'b', null as unknown as KubeDeploymentProps)).message).toContain('is null');
    const missing = errorOf(() => new KubeDeployment(stack, 'c', { namespace: 'web', containers: [WEB] } as unknown as KubeDeploymentProps));
    expect(missing.field).toBe('name');
    expect(missing.message).toContain('is missing');
  });

  test('a string where a list is expected', () => {
    const e = deploymentFails({ ...DEPLOYMENT, containers: 'nginx' });
    expect(e.field).toBe('containers');
    expect(e.message).toContain('is a string, not a list of ContainerProps objects');
  });

  test('null entries in ingressConfigs, originConfigs and customErrorResponses', () => {
    const { stack } = newStack();
    const ing = errorOf(() => new KubeIngress(stack, 'ing', { namespace: 'web', name: 'web', domains: ['a.example.com'], ingressConfigs: [null] } as unknown as KubeIngressProps));
    expect(ing.field).toBe('ingressConfigs[0]');
    const { stack: s2, global } = cdnStack();
    expect(errorOf(() => new KubeAwsCdn(s2, 'a', { ...cdnBase(global), originConfigs: [ORIGIN, null] } as unknown as KubeAwsCdnProps)).field).toBe('originConfigs[1]');
    expect(errorOf(() => new KubeAwsCdn(s2, 'b', { ...cdnBase(global), customErrorResponses: [null] } as unknown as KubeAwsCdnProps)).field).toBe('customErrorResponses[0]');
  });

  test("command: 'sh -c x' is refused with the list to write, not split into characters", () => {
    const e = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, command: 'sh -c x' }] });
    expect(e.field).toBe('containers[0].command');
    expect(e.fix).toBe('give a list of strings, e.g. ["sh", "-c", "x"]');
  });

  test("subPaths: 'abc' is refused, not mounted three times", () => {
    const e = deploymentFails({ ...DEPLOYMENT, secretMounts: { creds: { mountPath: '/creds', subPaths: 'abc' } } });
    expect(e.field).toBe('secretMounts.creds.subPaths');
    expect(e.fix).toContain('["abc"]');
  });

  test("pathMatchBehavior: 'static/*' is refused as a non-object, even 5,000 characters long, at once", () => {
    const { stack, global } = cdnStack();
    const started = Date.now();
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, pathMatchBehavior: 'static/*'.repeat(625) }] } as unknown as KubeAwsCdnProps));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(e.field).toBe('originConfigs[0].pathMatchBehavior');
    expect(e.message).toContain('is a string, not an object of CdnCacheBehavior objects keyed by name');
  });

  test('commonSecrets: { A: { x: 1 } } does not reach the Secret', () => {
    const e = deploymentFails({ ...DEPLOYMENT, commonSecrets: { A: { x: 1 } } });
    expect(e.field).toBe('commonSecrets.A');
    expect(e.message).toContain('is an object, not a string');
  });

  test('a plain object where a construct instance is expected (namespace: {}) is refused, not read as a KubeNamespace', () => {
    const e = deploymentFails({ ...DEPLOYMENT, namespace: {} });
    expect(e.field).toBe('namespace');
    const { stack } = newStack();
    const cache = errorOf(() => new lib.KubeNodeImageCache(stack, 'c', any({ namespace: {}, images: [{ registry: 'docker.io', repository: 'library/postgres', tag: '16.4' }] })));
    expect(cache.field).toBe('namespace');
    // A real KubeNamespace (a subclass instance found by class name) is accepted.
    expect(() => new KubeDeployment(stack, 'ok', { ...DEPLOYMENT, namespace: new lib.KubeNamespace(stack, 'ns', { namespace: 'web' }) })).not.toThrow();
  });

  test('__proto__ keys: an own key (JSON.parse) and a literal that replaces the prototype', () => {
    const own = deploymentFails({ ...DEPLOYMENT, extraLabels: JSON.parse('{"team":"a","__proto__":{"x":"y"}}') });
    expect(own.field).toBe('extraLabels.__proto__');
    expect(own.message).toContain('reserved key "__proto__"');
    const literal = deploymentFails({ ...DEPLOYMENT, extraLabels: { __proto__: { team: 'a' } } });
    expect(literal.field).toBe('extraLabels');
    expect(literal.message).toContain('prototype was replaced');
    const atTop = deploymentFails(Object.assign(JSON.parse('{"__proto__":1}'), DEPLOYMENT));
    expect(atTop.field).toBe('__proto__');
  });

  test('a misspelled prop is refused with the nearest known name', () => {
    const e = deploymentFails({ ...DEPLOYMENT, replicass: 2 });
    expect(e.field).toBe('replicass');
    expect(e.fix).toBe('remove `replicass`; did you mean `replicas`?');
    const nested = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, imageTga: '1' }] });
    expect(nested.field).toBe('containers[0].imageTga');
    expect(nested.fix).toBe('remove `imageTga`; did you mean `imageTag`?');
    const far = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, zzz: 1 }] });
    expect(far.fix).toMatch(/^remove `zzz`; the accepted keys are `args`, `command`/);
  });

  test("EnvironmentContext.set refuses an unknown key such as clusterProfle, and a profile that does not exist", () => {
    const { stack } = newStack();
    const e = errorOf(() => EnvironmentContext.set(stack, { clusterProfle: 'eks' } as never));
    expect(e.field).toBe('environmentContext.clusterProfle');
    expect(e.fix).toContain('did you mean `clusterProfile`?');
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterProfile: 'gke' } as never)).field).toBe('environmentContext.clusterProfile');
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterProfile: { base: 'eks', vpa: 'yes' } } as never)).field).toBe('environmentContext.clusterProfile.vpa');
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterNmae: 'prod' } as never)).fix).toContain('did you mean `clusterName`?');
    expect(errorOf(() => EnvironmentContext.set(stack, { slaTarget: 4 } as never)).field).toBe('environmentContext.slaTarget');
    expect(errorOf(() => EnvironmentContext.set(stack, null as never)).field).toBe('environmentContext');
  });

  test('NaN, Infinity, sparse lists, Maps, Dates, functions and circular values', () => {
    expect(deploymentFails({ ...DEPLOYMENT, replicas: NaN }).message).toContain('replicas = NaN: is not a finite number');
    expect(deploymentFails({ ...DEPLOYMENT, replicas: -Infinity }).message).toContain('replicas = -Infinity: is not a finite number');
    // eslint-disable-next-line no-sparse-arrays
    expect(deploymentFails({ ...DEPLOYMENT, containers: [WEB, , WEB] }).field).toBe('containers[1]');
    const map = deploymentFails({ ...DEPLOYMENT, commonEnv: new Map([['A', 'b']]) });
    expect(map.fix).toContain('Object.fromEntries(map)');
    expect(deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, imageTag: new Date(0) }] }).message).toContain('is a Date, not a string');
    expect(deploymentFails({ ...DEPLOYMENT, name: () => 'api' }).message).toContain('name = [function name]: is a function, not a string');
    const loop: any = { mountPath: '/x' };
    loop.subPaths = [loop];
    expect(deploymentFails({ ...DEPLOYMENT, secretMounts: { s: loop } }).field).toBe('secretMounts.s.subPaths[0]');
  });

  test('huge strings and lists are refused without walking them', () => {
    const long = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, args: ['x'.repeat(MAX_STRING_LENGTH + 1)] }] });
    expect(long.field).toBe('containers[0].args[0]');
    expect(long.message.length).toBeLessThan(600);
    const many = deploymentFails({ ...DEPLOYMENT, containers: [{ ...WEB, args: new Array(MAX_ENTRIES + 1).fill('a') }] });
    expect(many.message).toContain(`has ${(MAX_ENTRIES + 1).toLocaleString('en-US')} entries`);
  });

  test('a number token where a string is expected says how to convert it', () => {
    const { stack } = newStack();
    const n = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const e = errorOf(() => new KubeDeployment(stack, 'api', { ...DEPLOYMENT, containers: [{ ...WEB, imageTag: n as unknown as string }] }));
    expect(e.message).toContain('is a number token, not a string');
    expect(e.fix).toContain('Token.asString');
  });

  test('a construct implementing an interface is accepted as it is (IPodSelector, IScalableWorkload)', () => {
    const { stack } = newStack();
    const api = new KubeDeployment(stack, 'api', DEPLOYMENT);
    new KubeService(stack, 'svc', { namespace: 'web', name: 'api-public', selector: api, ports: { http: { podPort: 8080 } } });
    new KubeScaledObject(stack, 'scale', { target: api, maxReplicaCount: 3, triggers: [{ type: 'cpu', metadata: { value: '50' }, metricType: 'Utilization' }] });
    // ... but a plain object standing for one is checked field by field.
    expect(errorOf(() => new KubeService(stack, 'svc2', { namespace: 'web', name: 'b', selector: { matchLabels: { id: 1 } } as never, ports: { http: { podPort: 80 } } })).field)
      .toBe('selector.matchLabels.id');
  });
});

describe('deploy-time tokens are never refused by the type check', () => {
  const v = new PropValidator('<test>');
  const check = <T>(type: PropType, value: T, named: Record<string, PropType> = {}): T => checkPropTypes(v, type, value, { named });
  const fails = (type: PropType, value: unknown) => errorOf(() => check(type, value));

  test('string, number, list and IResolvable tokens where a value of their kind is expected', () => {
    const stack = new TerraformStack(Testing.app(), 'tokens');
    const s = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    const n = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const l = new TerraformVariable(stack, 'l', { type: 'list(string)' }).listValue;
    const b = new TerraformVariable(stack, 'b', { type: 'bool' }).booleanValue;
    const anyToken = Token.asAny('x');
    check('string', s);
    check({ enum: ['a', 'b'] }, s);
    check('number', n);
    check({ enum: [1, 2] }, n);
    check({ list: 'string' }, l);
    check({ list: 'number' }, l);
    check('boolean', b);
    for (const t of ['string', 'number', 'boolean', { list: 'string' }, { map: 'string' }, { enum: ['a'] }] as PropType[]) check(t, anyToken);
    check({ map: 'string' }, Token.asStringMap(anyToken));
    check({ fields: { a: 'string', 'b?': { list: 'number' } } }, { a: s, b: [n, n] });
  });

  test('an IResolvable given for a string, number or list comes back encoded as one; the input is not changed', () => {
    const anyToken = Token.asAny('x');
    const input = { a: anyToken, b: [anyToken], c: anyToken, d: { e: anyToken }, keep: { f: 'same' } };
    const type: PropType = { fields: { a: 'string', b: { list: 'number' }, c: { list: 'string' }, d: { map: 'string' }, keep: { map: 'string' } } };
    const out = check(type, input);
    expect(typeof out.a).toBe('string');
    expect(Token.isUnresolved(out.a)).toBe(true);
    expect(typeof out.b[0]).toBe('number');
    expect(Array.isArray(out.c) && Token.isUnresolved(out.c)).toBe(true);
    expect(Token.isUnresolved(out.d.e)).toBe(true);
    expect(out.keep).toBe(input.keep); // untouched branches are shared, not copied
    expect(input.a).toBe(anyToken);
    expect(input.b[0]).toBe(anyToken);
    // No replacement: the very same object.
    const plain = { a: 'x' };
    expect(check({ fields: { a: 'string' } }, plain)).toBe(plain);
  });

  test('a token for a list or map of objects is refused with the reason (the entries are read at synth)', () => {
    const { stack } = newStack();
    const list = new TerraformVariable(stack, 'containers', { type: 'list(string)' }).listValue;
    const e = errorOf(() => new KubeDeployment(stack, 'api', { ...DEPLOYMENT, containers: list as never }));
    expect(e.field).toBe('containers');
    expect(e.message).toContain('is a deploy-time token, but it must be known at synth: the construct reads the fields of each entry');
    const map = Token.asAny({});
    expect(errorOf(() => new KubeDeployment(stack, 'b', { ...DEPLOYMENT, secretMounts: map as never })).field).toBe('secretMounts');
  });

  test('a label map given as a token is refused (CDKTF cannot merge a map token with the library labels)', () => {
    const { stack } = newStack();
    const labels = Token.asStringMap(new TerraformVariable(stack, 'labels', { type: 'map(string)' }).value);
    const e = errorOf(() => new KubeService(stack, 'svc', { namespace: 'web', name: 'svc', matchLabels: { id: 'x' }, ports: { http: { podPort: 80 } }, extraLabels: labels }));
    expect(e.field).toBe('extraLabels');
    expect(e.message).toContain('must be known at synth: its keys are checked and merged');
  });

  test('a whole object given as a token is refused with the reason (its fields are read at synth)', () => {
    const e = fails({ fields: { a: 'string' } }, Token.asAny({ a: 'x' }));
    expect(e.message).toContain('is a deploy-time token, but it must be known at synth');
  });

  test('these checks can fail: the wrong kind of value is refused', () => {
    expect(fails('string', 1).message).toContain('is a number, not a string');
    expect(fails('number', '8080').fix).toBe('give a number, e.g. 8080 (not quoted)');
    expect(fails('boolean', 'true').fix).toBe('give true or false, e.g. true (not quoted)');
    expect(fails({ enum: ['HTTP', 'TCP'] }, 'http').fix).toBe('use one of "HTTP", "TCP" (did you mean "HTTP"?)');
    expect(fails({ list: 'string' }, [1]).field).toBe('props[0]');
    expect(fails({ union: ['string', { instance: 'PolicyDocument' }] }, 5).message).toContain('is a number, not a string or a PolicyDocument');
    expect(fails({ fields: { a: 'string' } }, { a: null }).message).toContain('a = null: is null');
  });

  test('a circular value of a recursive type ends with an error', () => {
    const named: Record<string, PropType> = { Node: { fields: { 'child?': { ref: 'Node' } } } };
    const node: any = {};
    node.child = node;
    expect(errorOf(() => check({ ref: 'Node' }, node, named)).message).toContain('circular');
  });

  test('nearest known name', () => {
    expect(nearest('replicass', ['replicas', 'name'])).toBe('replicas');
    expect(nearest('ImageTag', ['imageTag'])).toBe('imageTag');
    expect(nearest('zzz', ['replicas'])).toBeUndefined();
  });
});

describe('describeValue', () => {
  test.each([
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [BigInt(5), '5n'],
    [Symbol('x'), 'Symbol(x)'],
    [function handler() {}, '[function handler]'],
    [new Map([['a', 1]]), 'Map(1) {"a" => 1}'],
    [new Set([1, 2]), 'Set(2) {1, 2}'],
    [new Date(0), 'Date 1970-01-01T00:00:00.000Z'],
    [{ a: NaN, b: [1, 'x'] }, '{"a":NaN,"b":[1,"x"]}'],
    ['text', '"text"'],
    [null, 'null'],
    [undefined, 'undefined'],
  ])('%p', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  test('circular objects, class instances and huge values', () => {
    const loop: any = { a: 1 };
    loop.self = loop;
    expect(describeValue(loop)).toBe('{"a":1,"self":[Circular]}');
    class Foo { x = 1; }
    expect(describeValue(new Foo())).toBe('Foo {"x":1}');
    const started = Date.now();
    expect(describeValue(new Array(1_000_000).fill('abc')).length).toBe(120);
    expect(describeValue('x'.repeat(5_000_000)).length).toBe(120);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

// ---- KubeAwsCdn: derived construct ids and CloudFront quotas ----

const ORIGIN = { originId: 'web', originDomain: 'abc.app.example.com', domains: ['app.example.com'] };

function cdnStack() {
  const { stack } = newStack();
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
  return { stack, global };
}

function cdnBase(global: AwsProvider): KubeAwsCdnProps {
  return { name: 'web', originConfigs: [ORIGIN], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } };
}

describe('KubeAwsCdn', () => {
  test('a token originId is a ValidationError (it names construct ids)', () => {
    const { stack, global } = cdnStack();
    const id = new TerraformVariable(stack, 'origin', { type: 'string' }).stringValue;
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, originId: id }] }));
    expect(e.field).toBe('originConfigs[0].originId');
    expect(e.message).toContain('must be known at synth');
  });

  test('hosted zone names that would make the same construct id name both values', () => {
    const { stack, global } = cdnStack();
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), hostedZoneIds: undefined, hostedZoneNames: ['example.com', 'example_com'] }));
    expect(e.field).toBe('hostedZoneNames[1]');
    expect(e.fix).toContain('"example_com" and "example.com" (hostedZoneNames[0])');
    // The same name twice is one look-up.
    new KubeAwsCdn(stack, 'twice', { ...cdnBase(global), hostedZoneIds: undefined, hostedZoneNames: ['example.com', 'example.com'] });
  });

  test('origin ids that name the same policies are refused, naming both', () => {
    const { stack, global } = cdnStack();
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', {
      ...cdnBase(global),
      originConfigs: [{ ...ORIGIN, originId: 'a.b' }, { ...ORIGIN, originId: 'a/b', pathPrefix: '/api/' }],
    }));
    expect(e.field).toBe('originConfigs[1].originId');
    expect(e.fix).toContain('"a/b" and "a.b" (originConfigs[0]) both become "a-b"');
  });

  test(`at most ${MAX_CACHE_BEHAVIORS} cache behaviours, refused before any policy is made`, () => {
    const { stack, global } = cdnStack();
    const patterns = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}/*`, {}]));
    new KubeAwsCdn(stack, 'ok', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, pathMatchBehavior: patterns(MAX_CACHE_BEHAVIORS - 1) }] });
    const started = Date.now();
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, pathMatchBehavior: patterns(5000) }] }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.field).toBe('originConfigs[0].pathMatchBehavior');
    expect(e.message).toContain('makes 5001 cache behaviours');
    expect(e.fix).toContain('"Cache behaviors per distribution" is 25');
    expect(errorOf(() => new KubeAwsCdn(stack, 'cdn2', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, pathMatchBehavior: patterns(MAX_CACHE_BEHAVIORS) }] })).field)
      .toBe('originConfigs[0].pathMatchBehavior');
  });

  test(`at most ${MAX_ORIGIN_CUSTOM_HEADERS} custom headers per origin`, () => {
    const { stack, global } = cdnStack();
    const headers = Object.fromEntries(Array.from({ length: MAX_ORIGIN_CUSTOM_HEADERS + 1 }, (_, i) => [`x-h${i}`, 'v']));
    const e = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), originConfigs: [{ ...ORIGIN, extraOriginHeaders: headers }] }));
    expect(e.field).toBe('originConfigs[0].extraOriginHeaders');
    expect(e.message).toContain(`has ${MAX_ORIGIN_CUSTOM_HEADERS + 1} headers`);
  });
});

test('the checks leave valid props alone (one stack is synthesized and parsed by the CLIs)', () => {
  const { stack } = newStack();
  new KubeDeployment(stack, 'api', { ...DEPLOYMENT, commonEnv: { A: 'b' }, replicas: 2, containers: [{ ...WEB, command: ['sh', '-c', 'x'] }] });
  expect(() => Testing.synth(stack, true)).not.toThrow();
  expect(any(lib).KubeDeployment).toBe(KubeDeployment);
});
