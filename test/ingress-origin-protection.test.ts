import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, KubeIngress, KubeIngressProps } from '../lib/constructs/kube-ingress';
import { cdnOriginHost } from '../lib/k8s/ingress';
import { newStack, synth } from './support/synth';
import { errorOf } from './support/errors';
import { requireClis } from './support/terraform-cli';
import { applyOutputs } from './support/terraform-apply';

/**
 * Issue 14, deliverable 7: a CDN-mode KubeIngress only answers CloudFront (no bypass of the
 * distribution's WAF and geo restriction through the origin), every value written into
 * nginx.conf is refused with CR/LF, other control characters, braces or semicolons (and
 * whitespace where it means nothing), and `*-snippet` annotations need an explicit opt-in.
 */

const N = 'nginx.ingress.kubernetes.io';
const ALLOW = `${N}/whitelist-source-range`;
const BASE: KubeIngressProps = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] };
const CDN: KubeIngressProps = { ...BASE, cdnModeEnabled: true };

/** A stack with the kubernetes provider and (unless `aws: false`) a default AWS provider. */
function stackWith(aws = true): TerraformStack {
  const { stack } = newStack();
  if (aws) new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  return stack;
}

function build(props: Partial<KubeIngressProps>, aws = true) {
  const stack = stackWith(aws);
  const ingress = new KubeIngress(stack, 'ing', { ...BASE, ...props });
  const out = synth(stack);
  const ingresses = out.manifests.filter((m) => m.kind === 'Ingress');
  const lookups: Record<string, any> = out.json.data?.aws_ec2_managed_prefix_list ?? {};
  return { stack, ingress, out, ingresses, lookups };
}

/** The refusal of `props` (construction throws a ValidationError). */
function refusal(props: Partial<KubeIngressProps>) {
  return errorOf(() => new KubeIngress(stackWith(), 'ing', { ...BASE, ...props }));
}

describe('CDN mode: the origin only answers CloudFront (on by default)', () => {
  const { stack, ingress, ingresses, lookups } = build({
    ...CDN,
    domains: ['app.example.com', 'www.example.com'],
    ingressConfigs: [
      { service: 'web', servicePort: 80, rewriteRules: [{ match: 'v1/(.*)', rewrite: 'v2/$1' }] },
      { service: 'api', servicePort: 8080, pathPrefix: '/api/' },
    ],
    redirectRules: [{ path: '/old', target: '/new' }],
  });
  const [lookupId, lookup] = Object.entries(lookups)[0];
  const expression = `\${join(",", sort(distinct([ for key, val in toset(tolist(data.aws_ec2_managed_prefix_list.${lookupId}.entries)): val.cidr])))}`;
  const routes = ingresses.filter((i) => !i.metadata.name.startsWith('web-redirect-'));

  test('CloudFront\'s origin-facing ranges are read at plan time from the AWS managed prefix list, never copied into code', () => {
    expect(Object.keys(lookups)).toHaveLength(1);
    expect(lookup.name).toBe(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST);
    expect(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST).toBe('com.amazonaws.global.cloudfront.origin-facing');
    // An empty list would make the allow list hold no CloudFront address: the plan fails instead.
    expect(lookup.lifecycle.postcondition).toEqual([{ condition: '${length(self.entries) > 0}', error_message: expect.stringContaining('no entries') }]);
    expect(ingress.cloudFrontOriginFacing).toBeDefined();
  });

  test('every routing Ingress (all entries, all rewrite rules) carries whitelist-source-range = the prefix list\'s CIDRs, joined by Terraform', () => {
    expect(routes).toHaveLength(3); // entry 0: its rewrite rule and the default rule; entry 1: the default rule
    for (const i of routes) expect(i.metadata.annotations[ALLOW]).toBe(expression);
    new TerraformOutput(stack, 'ranges', { value: ingress.cdnOriginSourceRanges });
    expect(synth(stack).json.output.ranges.value).toBe(expression);
  });

  test('the allow list covers the real domains and the published hashed origin hosts alike: the same Ingresses route both', () => {
    const hosts = [cdnOriginHost('app.example.com'), cdnOriginHost('www.example.com'), 'app.example.com', 'www.example.com'];
    for (const i of routes) {
      expect(i.spec.rules.map((r: any) => r.host).sort()).toEqual(hosts.sort());
      expect(i.metadata.annotations[ALLOW]).toBe(expression);
    }
  });

  test('redirects are answered by the controller before any backend is reached and keep no allow list', () => {
    const redirect = ingresses.find((i) => i.metadata.name.startsWith('web-redirect-'))!;
    expect(redirect.metadata.annotations[ALLOW]).toBeUndefined();
    expect(redirect.metadata.annotations[`${N}/temporal-redirect`]).toBe('/new');
  });

  test('annotation values stay strings (the API server accepts only strings there)', () => {
    for (const i of ingresses) for (const value of Object.values(i.metadata.annotations)) expect(typeof value).toBe('string');
  });

  test('extra ranges (literal or token) are added, sorted and deduplicated by Terraform with CloudFront\'s', () => {
    const stack = stackWith();
    const vpn = new TerraformVariable(stack, 'vpn', { type: 'string' });
    const ing = new KubeIngress(stack, 'ing', { ...CDN, cdnOriginExtraSourceRanges: ['203.0.113.0/24', '2001:db8::/32', '198.51.100.7', vpn.stringValue] });
    const out = synth(stack);
    const id = Object.keys(out.json.data.aws_ec2_managed_prefix_list)[0];
    const value = `\${join(",", sort(distinct(concat([ for key, val in toset(tolist(data.aws_ec2_managed_prefix_list.${id}.entries)): val.cidr], ["203.0.113.0/24", "2001:db8::/32", "198.51.100.7", var.vpn]))))}`;
    for (const i of out.manifests.filter((m) => m.kind === 'Ingress')) expect(i.metadata.annotations[ALLOW]).toBe(value);
    new TerraformOutput(stack, 'ranges', { value: ing.cdnOriginSourceRanges });
    expect(synth(stack).json.output.ranges.value).toBe(value);
  });

  test('awsProvider reads the prefix list (any region: the list is global)', () => {
    const stack = stackWith(false);
    const edge = new AwsProvider(stack, 'edge', { alias: 'edge', region: 'eu-west-1' });
    new KubeIngress(stack, 'ing', { ...CDN, awsProvider: edge });
    const lookup = Object.values<any>(synth(stack).json.data.aws_ec2_managed_prefix_list)[0];
    expect(lookup.provider).toBe('aws.edge');
  });

  test('without an AWS provider the synth fails with the fix (add one, pass awsProvider, or turn the protection off)', () => {
    const stack = stackWith(false);
    new KubeIngress(stack, 'ing', CDN);
    expect(() => Testing.synth(stack, true)).toThrow(/no default aws provider.*add an AwsProvider to the stack, pass awsProvider, or set cdnOriginProtectionEnabled: false/s);
  });

  test('real Terraform and OpenTofu evaluate the allow list to the sorted, deduplicated CIDRs', async () => {
    const stack = stackWith();
    new KubeIngress(stack, 'ing', { ...CDN, cdnOriginExtraSourceRanges: ['203.0.113.0/24', '130.176.0.0/18'] });
    const out = synth(stack);
    const id = Object.keys(out.json.data.aws_ec2_managed_prefix_list)[0];
    const value: string = out.manifests.find((m) => m.kind === 'Ingress').metadata.annotations[ALLOW];
    // The data source stands in as a variable of its type (set of {cidr, description}): no provider needed.
    const config = {
      variable: { entries: { type: 'set(object({ cidr = string, description = string }))' } },
      output: { ranges: { value: value.split(`data.aws_ec2_managed_prefix_list.${id}.entries`).join('var.entries') } },
    };
    const entries = JSON.stringify([
      { cidr: '70.132.0.0/18', description: 'x' }, { cidr: '13.124.199.0/24', description: 'y' }, { cidr: '130.176.0.0/18', description: 'z' },
    ]);
    for (const cli of requireClis()) {
      const outputs = await applyOutputs(cli, config, { entries });
      expect({ cli: cli.name, ...outputs }).toEqual({ cli: cli.name, ranges: '13.124.199.0/24,130.176.0.0/18,203.0.113.0/24,70.132.0.0/18' });
    }
  }, 180_000);
});

describe('the way out: cdnOriginProtectionEnabled: false', () => {
  test('no prefix list look-up, no allow list, and no AWS provider needed; the origin hosts are still served', () => {
    const { ingress, ingresses, lookups } = build({ ...CDN, cdnOriginProtectionEnabled: false }, false);
    expect(lookups).toEqual({});
    for (const i of ingresses) expect(i.metadata.annotations[ALLOW]).toBeUndefined();
    expect(ingress.cdnOriginSourceRanges).toBeUndefined();
    expect(ingress.cloudFrontOriginFacing).toBeUndefined();
    expect(ingresses[0].spec.rules.map((r: any) => r.host)).toContain(cdnOriginHost('app.example.com'));
    expect(ingress.cdnOriginConfigs).toHaveLength(1);
  });

  test('then extraAnnotations may set a source range of their own', () => {
    const { ingresses } = build({ ...CDN, cdnOriginProtectionEnabled: false, extraAnnotations: { [ALLOW]: '10.0.0.0/8' } }, false);
    expect(ingresses[0].metadata.annotations[ALLOW]).toBe('10.0.0.0/8');
  });

  test('without CDN mode nothing is looked up or restricted', () => {
    const { ingresses, lookups } = build({}, false);
    expect(lookups).toEqual({});
    expect(ingresses[0].metadata.annotations[ALLOW]).toBeUndefined();
  });
});

describe('origin protection errors', () => {
  test.each([
    ['whitelist-source-range in extraAnnotations would replace the CloudFront list', { ...CDN, extraAnnotations: { [ALLOW]: '0.0.0.0/0' } }, `extraAnnotations["${ALLOW}"]`],
    ['so would its alias allowlist-source-range (it takes precedence in ingress-nginx)', { ...CDN, extraAnnotations: { [`${N}/allowlist-source-range`]: '0.0.0.0/0' } }, `extraAnnotations["${N}/allowlist-source-range"]`],
    ['also per entry', { ...CDN, ingressConfigs: [{ service: 'web', servicePort: 80, extraAnnotations: { [ALLOW]: '0.0.0.0/0' } }] }, `ingressConfigs[0].extraAnnotations["${ALLOW}"]`],
    ['an extra range that is not an address', { ...CDN, cdnOriginExtraSourceRanges: ['10.0.0.0/33'] }, 'cdnOriginExtraSourceRanges[0]'],
    ['an extra range with a semicolon', { ...CDN, cdnOriginExtraSourceRanges: ['10.0.0.0/8;'] }, 'cdnOriginExtraSourceRanges[0]'],
    ['extra ranges without the protection', { ...CDN, cdnOriginProtectionEnabled: false, cdnOriginExtraSourceRanges: ['10.0.0.0/8'] }, 'cdnOriginExtraSourceRanges'],
    ['extra ranges without CDN mode', { cdnOriginExtraSourceRanges: ['10.0.0.0/8'] }, 'cdnOriginExtraSourceRanges'],
  ])('%s', (_label, props, field) => {
    const error = refusal(props);
    expect(error.field).toBe(field);
    expect(error.fix.length).toBeGreaterThan(20);
  });

  test('a token for cdnOriginProtectionEnabled is refused: it decides whether the look-up and the annotation exist', () => {
    const stack = stackWith();
    const flag = new TerraformVariable(stack, 'flag', { type: 'bool' });
    const error = errorOf(() => new KubeIngress(stack, 'ing', { ...CDN, cdnOriginProtectionEnabled: flag.booleanValue as any }));
    expect(error.field).toBe('cdnOriginProtectionEnabled');
    expect(error.message).toMatch(/deploy-time token/);
  });
});

describe('nginx-bound values: CR/LF, other control characters, braces, semicolons (and whitespace where it means nothing) are refused', () => {
  const entry = (extra: object) => ({ ingressConfigs: [{ service: 'web', servicePort: 80, ...extra }] });
  const rewrite = (r: { match?: string; rewrite?: string }) => entry({ rewriteRules: [{ match: 'v1/(.*)', rewrite: 'v2/$1', ...r }] });
  const redirect = (r: { path?: string; target?: string }) => ({ redirectRules: [{ path: '/old/(.*)', target: '/new/$1', ...r }] });
  const cases: [string, Partial<KubeIngressProps>, string, unknown][] = [
    ['path prefix with ;', entry({ pathPrefix: '/api;/' }), 'ingressConfigs[0].pathPrefix', '/api;/'],
    ['path prefix with a brace', entry({ pathPrefix: '/api{/' }), 'ingressConfigs[0].pathPrefix', '/api{/'],
    ['path prefix with LF', entry({ pathPrefix: '/api\n/' }), 'ingressConfigs[0].pathPrefix', '/api\n/'],
    ['path prefix with a space', entry({ pathPrefix: '/my api/' }), 'ingressConfigs[0].pathPrefix', '/my api/'],
    ['rewrite match with ;', rewrite({ match: 'v1/(.*); return 200 x' }), 'ingressConfigs[0].rewriteRules[0].match', 'v1/(.*); return 200 x'],
    ['rewrite match with a repetition in braces', rewrite({ match: 'v1/([0-9]{2})' }), 'ingressConfigs[0].rewriteRules[0].match', 'v1/([0-9]{2})'],
    ['rewrite match with CR/LF', rewrite({ match: 'v1/(.*)\r\n' }), 'ingressConfigs[0].rewriteRules[0].match', 'v1/(.*)\r\n'],
    ['rewrite match with a tab', rewrite({ match: 'v1/\t(.*)' }), 'ingressConfigs[0].rewriteRules[0].match', 'v1/\t(.*)'],
    ['rewrite with ;', rewrite({ rewrite: 'v2/$1;' }), 'ingressConfigs[0].rewriteRules[0].rewrite', 'v2/$1;'],
    ['rewrite with braces', rewrite({ rewrite: 'v2/{$1}' }), 'ingressConfigs[0].rewriteRules[0].rewrite', 'v2/{$1}'],
    ['rewrite with LF', rewrite({ rewrite: 'v2/$1\nX' }), 'ingressConfigs[0].rewriteRules[0].rewrite', 'v2/$1\nX'],
    ['rewrite with a space', rewrite({ rewrite: 'v2 $1' }), 'ingressConfigs[0].rewriteRules[0].rewrite', 'v2 $1'],
    ['rewrite with a character ingress-nginx drops the rewrite-target for', rewrite({ rewrite: 'v2/$1?x=1' }), 'ingressConfigs[0].rewriteRules[0].rewrite', 'v2/$1?x=1'],
    ['a later rewrite rule', entry({ rewriteRules: [{ match: 'a/(.*)', rewrite: '$1' }, { match: 'b/(.*)', rewrite: '}$1' }] }), 'ingressConfigs[0].rewriteRules[1].rewrite', '}$1'],
    ['redirect path with ;', redirect({ path: '/old;' }), 'redirectRules[0].path', '/old;'],
    ['redirect path with LF', redirect({ path: '/old\n' }), 'redirectRules[0].path', '/old\n'],
    ['redirect target with ;', redirect({ target: 'https://example.com/;return 200 x' }), 'redirectRules[0].target', 'https://example.com/;return 200 x'],
    ['redirect target with CR/LF', redirect({ target: '/new\r\nSet-Cookie: a=b' }), 'redirectRules[0].target', '/new\r\nSet-Cookie: a=b'],
    ['redirect target with braces', redirect({ target: 'https://example.com/{x}' }), 'redirectRules[0].target', 'https://example.com/{x}'],
    ['CSP directive value with ; (a second directive)', { cspEnabled: true, cspScriptSrc: "'self'; script-src *" }, 'cspScriptSrc', "'self'; script-src *"],
    ['CSP directive value with LF', { cspEnabled: true, cspImgSrc: "'self'\ndata:" }, 'cspImgSrc', "'self'\ndata:"],
    ['CSP directive value with a brace', { cspEnabled: true, cspConnectSrc: "'self' {x}" }, 'cspConnectSrc', "'self' {x}"],
    ['CSP directive value with a tab', { cspEnabled: true, cspDefaultSrc: "'self'\thttps:" }, 'cspDefaultSrc', "'self'\thttps:"],
    ['Permissions-Policy value with ;', { permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: '(self); x' } }, 'permissionsPolicyDirectives["camera"]', '(self); x'],
    ['Permissions-Policy value with CR', { permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: '(self)\r' } }, 'permissionsPolicyDirectives["camera"]', '(self)\r'],
    ['Permissions-Policy value with braces', { permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: '{self}' } }, 'permissionsPolicyDirectives["camera"]', '{self}'],
    ['Referrer-Policy with ;', { referrerPolicy: 'no-referrer; x' }, 'referrerPolicy', 'no-referrer; x'],
    ['extra response header with ;', { extraResponseHeaders: { 'X-Team': 'a;b' } }, 'extraResponseHeaders["X-Team"]', 'a;b'],
    ['extra response header with a brace', { extraResponseHeaders: { 'X-Team': '{"a":1}' } }, 'extraResponseHeaders["X-Team"]', '{"a":1}'],
    ['extra response header with CR', { extraResponseHeaders: { 'X-Team': 'a\rb' } }, 'extraResponseHeaders["X-Team"]', 'a\rb'],
    ['extra response header with NUL', { extraResponseHeaders: { 'X-Team': 'a\u0000b' } }, 'extraResponseHeaders["X-Team"]', 'a\u0000b'],
    ['extra response header outside printable ASCII', { extraResponseHeaders: { 'X-Team': 'équipe' } }, 'extraResponseHeaders["X-Team"]', 'équipe'],
    ['extra response header left empty', { extraResponseHeaders: { 'X-Team': '' } }, 'extraResponseHeaders["X-Team"]', ''],
    ['CORS origin with ;', { corsEnabled: true, corsExtraAllowedOrigins: ['https://a.example.com;'] }, 'corsExtraAllowedOrigins[0]', 'https://a.example.com;'],
    ['CORS origin with LF', { corsEnabled: true, corsExtraAllowedOrigins: ['https://a.example.com\n'] }, 'corsExtraAllowedOrigins[0]', 'https://a.example.com\n'],
    ['CORS allowed header with a brace', { corsEnabled: true, corsAllowedHeaders: ['X-A}'] }, 'corsAllowedHeaders[0]', 'X-A}'],
    ['CORS method with CR', { corsEnabled: true, corsAllowedMethods: ['GET', 'POST\r'] }, 'corsAllowedMethods[1]', 'POST\r'],
    ['CORS exposed header with ;', { corsEnabled: true, corsExposedHeaders: ['X-B;'] }, 'corsExposedHeaders[0]', 'X-B;'],
    ['nginx annotation value with ;', { extraAnnotations: { [`${N}/proxy-buffering`]: 'off; allow all' } }, `extraAnnotations["${N}/proxy-buffering"]`, 'off; allow all'],
    ['nginx annotation value with LF', { extraAnnotations: { [`${N}/proxy-buffering`]: 'off\n' } }, `extraAnnotations["${N}/proxy-buffering"]`, 'off\n'],
    ['nginx annotation value with braces', { extraAnnotations: { [`${N}/upstream-hash-by`]: '${request_uri}' } }, `extraAnnotations["${N}/upstream-hash-by"]`, '${request_uri}'],
    ['per-entry nginx annotation value with ;', entry({ extraAnnotations: { [`${N}/proxy-body-size`]: '1m;' } }), `ingressConfigs[0].extraAnnotations["${N}/proxy-body-size"]`, '1m;'],
    ['Service name with ;', entry({ service: 'web;' }), 'ingressConfigs[0].service', 'web;'],
    ['TLS Secret name with LF', entry({ tlsSecretName: 'web-tls\n' }), 'ingressConfigs[0].tlsSecretName', 'web-tls\n'],
    ['domain with ;', { domains: ['app.example.com;'] }, 'domains[0]', 'app.example.com;'],
  ];

  test.each(cases)('%s', (_label, props, field, value) => {
    const error = refusal(props);
    expect(error.field).toBe(field);
    expect(error.value).toEqual(value);
    expect(error.path).toBe('test/ing');
    expect(error.fix.length).toBeGreaterThan(20);
  });

  test('the fix says why: the value is written into nginx.conf, where ; ends a directive', () => {
    const error = refusal(rewrite({ match: 'v1/(.*);' }));
    expect(error.message).toMatch(/contains ";", an nginx\.conf delimiter/);
    expect(error.fix).toMatch(/nginx\.conf/);
    expect(refusal(rewrite({ match: 'v1/([0-9]{2})' })).fix).toMatch(/\[0-9\]\[0-9\] instead of \[0-9\]\{2\}/);
    expect(refusal({ extraResponseHeaders: { 'X-Team': 'a\nb' } }).message).toMatch(/control character \("\\n"\)/);
  });

  test('spaces stay allowed where they mean something: header values, CSP and Permissions-Policy source lists, nginx annotation values', () => {
    const { out, ingresses } = build({
      cspEnabled: true, cspScriptSrc: "'self' https://cdn.example.com",
      permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: '(self "https://a.example.com")' },
      extraResponseHeaders: { 'Cache-Control': 'no-store, max-age=0' },
      extraAnnotations: { [`${N}/proxy-next-upstream`]: 'error timeout http_502' },
    });
    const headers = out.manifests.find((m) => m.kind === 'ConfigMap').data;
    expect(headers['Content-Security-Policy']).toContain("script-src 'self' https://cdn.example.com");
    expect(headers['Permissions-Policy']).toContain('camera=(self "https://a.example.com")');
    expect(headers['Cache-Control']).toBe('no-store, max-age=0');
    // The separators the construct writes itself are not user values.
    expect(headers['X-XSS-Protection']).toBe('1; mode=block');
    expect(ingresses[0].metadata.annotations[`${N}/proxy-next-upstream`]).toBe('error timeout http_502');
  });

  test('non-nginx annotations are not nginx.conf: their values are left to Kubernetes', () => {
    const { ingresses } = build({ extraAnnotations: { 'example.com/note': 'a; {b}' } });
    expect(ingresses[0].metadata.annotations['example.com/note']).toBe('a; {b}');
  });

  test('deploy-time tokens are never refused in any nginx-bound value', () => {
    const stack = stackWith();
    const t = (name: string) => new TerraformVariable(stack, name, { type: 'string' }).stringValue;
    const list = new TerraformVariable(stack, 'ranges', { type: 'list(string)' }).listValue;
    expect(() => new KubeIngress(stack, 'ing', {
      ...CDN,
      domains: [t('domain')],
      ingressConfigs: [{ service: t('svc'), servicePort: 80, pathPrefix: t('prefix'), tlsSecretName: t('secret'), rewriteRules: [{ match: t('match'), rewrite: t('rewrite') }],
        extraAnnotations: { [`${N}/proxy-buffering`]: t('buffering') } }],
      redirectRules: [{ path: t('rpath'), target: t('target') }],
      cspEnabled: true, cspScriptSrc: t('csp'),
      permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: t('camera') },
      extraResponseHeaders: { 'X-Team': t('team') },
      corsEnabled: true, corsExtraAllowedOrigins: [t('origin')], corsAllowedHeaders: [t('header')], corsAllowedMethods: [t('method')], corsExposedHeaders: [t('exposed')],
      extraAnnotations: { [`${N}/proxy-body-size`]: t('body') },
      cdnOriginExtraSourceRanges: list,
    })).not.toThrow();
    expect(() => synth(stack)).not.toThrow();
  });

  test('the literal text around a token is still checked', () => {
    const stack = stackWith();
    const version = new TerraformVariable(stack, 'version', { type: 'string' }).stringValue;
    const error = errorOf(() => new KubeIngress(stack, 'ing', { ...BASE, ingressConfigs: [{ service: 'web', servicePort: 80, rewriteRules: [{ match: `${version}/(.*)`, rewrite: `${version}/$1;` }] }] }));
    expect(error.field).toBe('ingressConfigs[0].rewriteRules[0].rewrite');
  });
});

describe('*-snippet annotations need the explicit opt-in', () => {
  const SNIPPET = 'more_set_headers "X-Debug: 1";\nlocation /admin { allow all; }';

  test('nothing the construct emits is a snippet', () => {
    const { ingresses } = build({ ...CDN, corsEnabled: true, cspEnabled: true, redirectRules: [{ path: '/old', target: '/new' }] });
    for (const i of ingresses) for (const k of Object.keys(i.metadata.annotations)) expect(k).not.toMatch(/-snippet$/);
  });

  test.each([
    ['configuration-snippet', { extraAnnotations: { [`${N}/configuration-snippet`]: SNIPPET } }, `extraAnnotations["${N}/configuration-snippet"]`],
    ['server-snippet', { extraAnnotations: { [`${N}/server-snippet`]: SNIPPET } }, `extraAnnotations["${N}/server-snippet"]`],
    ['auth-snippet', { extraAnnotations: { [`${N}/auth-snippet`]: SNIPPET } }, `extraAnnotations["${N}/auth-snippet"]`],
    ['stream-snippet', { extraAnnotations: { [`${N}/stream-snippet`]: SNIPPET } }, `extraAnnotations["${N}/stream-snippet"]`],
    ['modsecurity-snippet', { extraAnnotations: { [`${N}/modsecurity-snippet`]: 'SecRuleEngine Off' } }, `extraAnnotations["${N}/modsecurity-snippet"]`],
    ['a snippet per entry', { ingressConfigs: [{ service: 'web', servicePort: 80, extraAnnotations: { [`${N}/configuration-snippet`]: SNIPPET } }] }, `ingressConfigs[0].extraAnnotations["${N}/configuration-snippet"]`],
    ['a snippet under a custom annotations prefix (the controller refuses every key ending in -snippet)', { extraAnnotations: { 'custom.example.com/server-snippet': SNIPPET } }, 'extraAnnotations["custom.example.com/server-snippet"]'],
    ['a snippet with allowSnippetAnnotations: false', { allowSnippetAnnotations: false, extraAnnotations: { [`${N}/configuration-snippet`]: 'x' } }, `extraAnnotations["${N}/configuration-snippet"]`],
  ] as [string, Partial<KubeIngressProps>, string][])('refused by default: %s', (_label, props, field) => {
    const error = refusal(props);
    expect(error.field).toBe(field);
    expect(error.message).toMatch(/snippet annotation, refused unless allowSnippetAnnotations is true/);
    expect(error.fix).toMatch(/allowSnippetAnnotations: true/);
  });

  test('allowSnippetAnnotations: true passes snippets through as written (raw nginx.conf, lines and braces included)', () => {
    const { ingresses } = build({
      allowSnippetAnnotations: true,
      extraAnnotations: { [`${N}/configuration-snippet`]: SNIPPET },
      ingressConfigs: [{ service: 'web', servicePort: 80, extraAnnotations: { [`${N}/server-snippet`]: 'listen 8443;' } }],
    });
    expect(ingresses[0].metadata.annotations[`${N}/configuration-snippet`]).toBe(SNIPPET);
    expect(ingresses[0].metadata.annotations[`${N}/server-snippet`]).toBe('listen 8443;');
  });

  test('the opt-in covers snippets only: other nginx values are still checked', () => {
    const error = refusal({ allowSnippetAnnotations: true, extraAnnotations: { [`${N}/proxy-buffering`]: 'off;' } });
    expect(error.field).toBe(`extraAnnotations["${N}/proxy-buffering"]`);
  });

  test('a token for allowSnippetAnnotations is refused', () => {
    const stack = stackWith();
    const flag = new TerraformVariable(stack, 'flag', { type: 'bool' });
    const error = errorOf(() => new KubeIngress(stack, 'ing', { ...BASE, allowSnippetAnnotations: flag.booleanValue as any }));
    expect(error.field).toBe('allowSnippetAnnotations');
  });
});
