import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeAwsCdn, KubeAwsCdnProps } from '../lib/constructs/kube-aws-cdn';
import { KubeConfigMap } from '../lib/constructs/kube-config-map';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeIngress, KubeIngressProps } from '../lib/constructs/kube-ingress';
import { KubeSaAuthAws } from '../lib/constructs/kube-sa-auth-aws';
import { cdnOriginHost } from '../lib/k8s/ingress';
import { ValidationError } from '../lib/core/errors';
import { errorOf } from './support/errors';
import { requireClis } from './support/terraform-cli';
import { applyOutputs } from './support/terraform-apply';

/**
 * D2 of issue 14: a prop accepts a deploy-time token of its own type (string, number, list,
 * boolean) and the token reaches Terraform as an expression: never rejected by a check meant for
 * literals, upper-cased, hashed or pasted as placeholder text into names or code. Where a token
 * cannot work (it decides which objects exist, names things at synth, or is CloudFront Function
 * code) a ValidationError says so, names the prop and says what to give instead.
 */

type Json = any;
type Kind = 'string' | 'number' | 'bool' | 'list';
const TYPES: Record<Kind, string> = { string: 'string', number: 'number', bool: 'bool', list: 'list(string)' };

function newStack() {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'tokens');
  new KubernetesProvider(stack, 'kubernetes', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
  const token = (name: string, kind: Kind): any => {
    const v = new TerraformVariable(stack, name, { type: TYPES[kind] });
    return kind === 'string' ? v.stringValue : kind === 'number' ? v.numberValue : kind === 'bool' ? v.booleanValue : v.listValue;
  };
  return { stack, global, token };
}

const synth = (stack: TerraformStack): Json => JSON.parse(Testing.synth(stack, true));
const manifests = (json: Json): Json[] => Object.values(json.resource.kubernetes_manifest ?? {}).map((r: Json) => r.manifest);
const kind = (json: Json, k: string): Json[] => manifests(json).filter((m) => m.kind === k);
/** No placeholder text of a token (a marker, a list marker, an escaped marker, a number placeholder) anywhere. */
const literalized = (json: Json): string[] => JSON.stringify(json).match(/TfToken|#\{|u007b|TOKEN|-?\d\.\d+e\+\d{3}/g) ?? [];

const C = { name: 'app', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1' };
const WEB = { ...C, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP' as const, livenessProbePort: 8080 };

/** The error must say the prop is a deploy-time token that must be known at synth, and why. */
function expectKnownAtSynth(fn: () => unknown, field: string, why: RegExp): ValidationError {
  const err = errorOf(fn);
  expect(err.field).toBe(field);
  expect(err.message).toContain('is a deploy-time token, but it must be known at synth: ');
  expect(err.message).toMatch(why);
  expect(err.fix.length).toBeGreaterThan(20);
  return err;
}

describe('containers', () => {
  test('a list token of linuxCapabilities is written as the list; escalation follows CAP_SYS_ADMIN in it', () => {
    const { stack, token } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, linuxCapabilities: token('caps', 'list') }] });
    const json = synth(stack);
    const sc = kind(json, 'Deployment')[0].spec.template.spec.containers[0].securityContext;
    expect(sc.capabilities).toEqual({ add: '${var.caps}', drop: ['ALL'] });
    expect(sc.allowPrivilegeEscalation).toBe('${contains(var.caps, "SYS_ADMIN")}');
    expect(literalized(json)).toEqual([]);
  });

  test('a token in a literal capability list is kept, and escalation is decided by Terraform', () => {
    const { stack, token } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, linuxCapabilities: ['NET_BIND_SERVICE', token('cap', 'string')] }] });
    const sc = kind(synth(stack), 'Deployment')[0].spec.template.spec.containers[0].securityContext;
    expect(sc.capabilities.add).toEqual(['NET_BIND_SERVICE', '${var.cap}']);
    expect(sc.allowPrivilegeEscalation).toBe('${contains(["NET_BIND_SERVICE", var.cap], "SYS_ADMIN")}');
  });

  test('a token livenessProbeType is refused (it picks the probe handler) instead of emitting a probe with none', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, livenessProbeType: token('probe', 'string') }] }),
      'containers[0].livenessProbeType', /probe handler/);
  });

  test.each([
    ['init', { init: true }, /init container/],
    ['runAsRoot', { runAsRoot: true }, /security context/],
    ['privileged', { privileged: true }, /security context/],
    ['imagePinEnabled', { imagePinEnabled: true }, /image cache/],
    ['imagePrepullEnabled', { imagePrepullEnabled: true }, /image cache/],
  ] as const)('a boolean token for %s is refused, not read as true', (prop, _literal, why) => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, [prop]: token('flag', 'bool') }] }),
      `containers[0].${prop}`, why);
  });

  test('subPaths: a list token is refused (one mount per key); tokens inside a literal list are mounted', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDeployment(stack, 'a', { namespace: 'web', name: 'a', containers: [WEB], secretMounts: { creds: { mountPath: '/creds', subPaths: token('keys', 'list') } } }),
      'secretMounts.creds.subPaths', /each key may be a token/);
    new KubeDeployment(stack, 'b', { namespace: 'web', name: 'b', containers: [WEB], secretMounts: { creds: { mountPath: '/creds', subPaths: [token('key', 'string')] } } });
    const mounts = kind(synth(stack), 'Deployment')[0].spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual(expect.objectContaining({ mountPath: '/creds/${var.key}', subPath: '${var.key}' }));
  });
});

describe('image tag', () => {
  test('a token imageTag is joined with the separator Terraform picks: "@" for a digest, ":" for a tag (real CLIs)', async () => {
    const { stack, token } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...C, imageTag: token('tag', 'string') }] });
    const json = synth(stack);
    const image: string = kind(json, 'Deployment')[0].spec.template.spec.containers[0].image;
    expect(image).toContain('startswith(var.tag, "sha256:")');
    expect(literalized(json)).toEqual([]);
    const digest = `sha256:${'a'.repeat(64)}`;
    const config = { variable: { tag: { type: 'string' } }, output: { image: { value: image } } };
    for (const cli of requireClis()) {
      for (const [tag, expected] of [[digest, `docker.io/library/nginx@${digest}`], ['1.27.1', 'docker.io/library/nginx:1.27.1']]) {
        const outputs = await applyOutputs(cli, config, { tag });
        expect({ cli: cli.name, image: outputs.image }).toEqual({ cli: cli.name, image: expected });
      }
    }
  }, 120_000);
});

describe('workloads', () => {
  test('servicePublicDomainNames: a list token is joined by Terraform for external-dns', () => {
    const { stack, token } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], servicePublicDomainNames: token('hosts', 'list') });
    const svc = kind(synth(stack), 'Service')[0];
    expect(svc.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('${join(",", var.hosts)}');
  });

  test.each(['vpaEnabled', 'voluntaryDisruptionsEnabled', 'spotNodesEnabled', 'azSpreadRequired', 'linkerdEnabled', 'hostNetwork', 'defaultEnvEnabled', 'waitForRollout'])(
    'a boolean token for the workload switch %s is refused, not read as true', (prop) => {
      const { stack, token } = newStack();
      expectKnownAtSynth(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], [prop]: token('flag', 'bool') }), prop, /emitted/);
    });

  test('an immutable ConfigMap holding a token is named by Terraform, and a workload mounts it by that name', () => {
    const { stack, token } = newStack();
    const config = new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'settings', immutable: true, data: { level: token('level', 'string') } });
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], configMapMounts: { [config.configMapName]: { mountPath: '/config' } } });
    const json = synth(stack);
    expect(kind(json, 'ConfigMap')[0].metadata.name).toMatch(/^settings-\$\{substr\(sha256\(/);
    const volume = kind(json, 'Deployment')[0].spec.template.spec.volumes.find((v: Json) => v.configMap);
    expect(volume.configMap.name).toMatch(/^settings-\$\{substr\(sha256\(/);
    expect(volume.name).toMatch(/replace\(/);
    expect(literalized(json)).toEqual([]);
  });

  test('a CronJob suspend token is written as given', () => {
    const { stack, token } = newStack();
    new KubeCronJob(stack, 'job', { namespace: 'web', name: 'job', containers: [C], cronSchedule: '0 * * * *', suspend: token('off', 'bool') });
    expect(kind(synth(stack), 'CronJob')[0].spec.suspend).toBe('${var.off}');
  });

  test('the workload name and namespace must be known: the selector id and object names are derived from them', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDeployment(stack, 'a', { namespace: 'web', name: token('n', 'string'), containers: [WEB] }), 'name', /selector id/);
    expectKnownAtSynth(() => new KubeDeployment(stack, 'b', { namespace: token('ns', 'string'), name: 'b', containers: [WEB] }), 'namespace', /selector id/);
  });

  test('tmpDirectories nodeLocal and serviceType tokens are refused (volume kind, load balancer annotations)', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeDeployment(stack, 'a', { namespace: 'web', name: 'a', containers: [WEB], tmpDirectories: { t: { mountPath: '/t', nodeLocal: token('l', 'bool') } } }),
      'tmpDirectories.t.nodeLocal', /volume/);
    expectKnownAtSynth(() => new KubeDeployment(stack, 'b', { namespace: 'web', name: 'b', containers: [WEB], serviceType: token('t', 'string') }), 'serviceType', /load balancer/);
  });
});

const INGRESS: KubeIngressProps = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] };

describe('KubeIngress', () => {
  test('a token name is refused (it names the Ingresses and the affinity cookie) instead of becoming cookie text', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeIngress(stack, 'i', { ...INGRESS, name: token('n', 'string') }), 'name', /cookie/);
  });

  test('domains: a list token is refused (one rule per domain); a token domain is served, with a Terraform-computed CDN origin host', () => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeIngress(stack, 'a', { ...INGRESS, domains: token('ds', 'list') }), 'domains', /each domain in it may be a token/);
    const ingress = new KubeIngress(stack, 'b', { ...INGRESS, domains: [token('d', 'string')], cdnModeEnabled: true,
      redirectRules: [{ path: '/old', target: 'https://example.com/' }] });
    const json = synth(stack);
    const [main] = kind(json, 'Ingress');
    expect(main.spec.rules.map((r: Json) => r.host)).toEqual(['${var.d}', '${substr(sha256(join("", [var.d])), 0, 12)}.${var.d}']);
    expect(ingress.cdnOriginConfigs[0].originId).toMatch(/^[0-9a-f]{12}$/);
    expect(literalized(json)).toEqual([]);
  });

  test('CORS lists: list tokens are joined by Terraform, a token method is upper-cased by Terraform (not as text)', () => {
    const { stack, token } = newStack();
    new KubeIngress(stack, 'a', { ...INGRESS, name: 'a', corsEnabled: true, corsAllowedMethods: token('methods', 'list'), corsAllowedHeaders: token('headers', 'list'),
      corsExposedHeaders: token('exposed', 'list'), corsExtraAllowedOrigins: token('origins', 'list') });
    new KubeIngress(stack, 'b', { ...INGRESS, name: 'b', corsEnabled: true, corsAllowedMethods: ['get', token('method', 'string')] });
    const json = synth(stack);
    const [a, b] = ['a', 'b'].map((n) => kind(json, 'Ingress').find((i) => i.metadata.name.startsWith(`${n}-`)).metadata.annotations);
    const cors = 'nginx.ingress.kubernetes.io/cors-';
    expect(a[`${cors}allow-methods`]).toBe('${upper(join(", ", var.methods))}');
    expect(a[`${cors}allow-headers`]).toBe('${join(", ", var.headers)}');
    expect(a[`${cors}expose-headers`]).toBe('${join(", ", var.exposed)}');
    expect(a[`${cors}allow-origin`]).toBe('${join(", ", sort(distinct(compact(concat(["https://*.app.example.com", "https://*.example.com", "https://app.example.com"], var.origins)))))}');
    expect(b[`${cors}allow-methods`]).toBe('${upper(var.method)}, GET');
    expect(literalized(json)).toEqual([]);
  });

  test('hstsPreload and hstsIncludeSubdomains tokens are decided by Terraform, not read as true', () => {
    const { stack, token } = newStack();
    new KubeIngress(stack, 'i', { ...INGRESS, hstsPreload: token('preload', 'bool'), hstsIncludeSubdomains: token('sub', 'bool'), hstsMaxAgeSeconds: token('age', 'number') });
    const headers = kind(synth(stack), 'ConfigMap')[0].data;
    expect(headers['Strict-Transport-Security']).toBe('max-age=${var.age}${var.sub ? "; includeSubDomains" : ""}${var.preload ? "; preload" : ""}');
  });

  test.each(['cdnModeEnabled', 'corsEnabled', 'generateCertEnabled', 'stickySessionsEnabled', 'cspEnabled'])('a boolean token for %s is refused', (prop) => {
    const { stack, token } = newStack();
    expectKnownAtSynth(() => new KubeIngress(stack, 'i', { ...INGRESS, [prop]: token('flag', 'bool') }), prop, /emitted/);
  });
});

function cdnBase(global: AwsProvider): KubeAwsCdnProps {
  return { name: 'web', originConfigs: [{ originId: 'web', originDomain: 'origin.app.example.com', domains: ['app.example.com'] }], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } };
}

describe('KubeAwsCdn', () => {
  test('a token name is refused instead of pasting placeholder text into policy and function names', () => {
    const { stack, global, token } = newStack();
    expectKnownAtSynth(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), name: token('n', 'string') }), 'name', /prefixes the names/);
  });

  test('domains: a list token is refused; a token domain gets the one hosted zone and position-named DNS records', () => {
    const { stack, global, token } = newStack();
    expectKnownAtSynth(() => new KubeAwsCdn(stack, 'a', { ...cdnBase(global), domains: token('ds', 'list') }), 'domains', /each domain in it may be a token/);
    new KubeAwsCdn(stack, 'b', { ...cdnBase(global), domains: [token('d', 'string'), 'www.example.com'] });
    const json = synth(stack);
    expect(Object.values(json.resource.aws_cloudfront_distribution)[0]).toMatchObject({ aliases: ['${var.d}', 'www.example.com'] });
    expect(Object.entries(json.locals).find(([k]) => k.includes('ValidationZoneIds'))![1]).toEqual({ '${var.d}': 'Z123', 'www.example.com': 'Z123' });
    const records = Object.keys(json.resource.aws_route53_record);
    expect(records.filter((r) => r.includes('Alias')).length).toBe(4);
    expect(literalized(json)).toEqual([]);
  });

  test('a token domain with several hosted zones is refused: its zone cannot be chosen at synth', () => {
    const { stack, global, token } = newStack();
    const err = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), domains: [token('d', 'string')], hostedZoneIds: { 'example.com': 'Z1', 'example.org': 'Z2' } }));
    expect(err.field).toBe('domains[0]');
    expect(err.fix).toMatch(/exactly one hosted zone/);
  });

  test.each([
    ['redirectRules[0].target', (t: any) => ({ redirectRules: [{ source: '^https://a\\.example\\.com/(.*)$', target: t('s', 'string') }] })],
    ['originConfigs[0].rewriteRules[0].match', (t: any) => ({ originConfigs: [{ originId: 'web', originDomain: 'o.example.com', domains: ['app.example.com'], rewriteRules: [{ match: t('s', 'string'), rewrite: '$1' }] }] })],
    ['corsAllowedMethods', (t: any) => ({ corsEnabled: true, corsAllowedMethods: t('l', 'list') })],
    ['corsAllowedHeaders[0]', (t: any) => ({ corsEnabled: true, corsAllowedHeaders: [t('s', 'string')] })],
    ['corsMaxAgeSeconds', (t: any) => ({ corsEnabled: true, corsMaxAgeSeconds: t('n', 'number') })],
    ['domains[0]', (t: any) => ({ corsEnabled: true, domains: [t('s', 'string')] })],
  ])('a token in CloudFront Function code is refused, naming the prop: %s', (field, props) => {
    const { stack, global, token } = newStack();
    const err = expectKnownAtSynth(() => new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), ...props(token) }), field, /edge function/);
    expect(err.message).toContain('CloudFront Function code');
  });

  test('hstsPreload token goes to the response headers policy as is; loggingEnabled and the origin id must be known', () => {
    const { stack, global, token } = newStack();
    new KubeAwsCdn(stack, 'cdn', { ...cdnBase(global), hstsPreload: token('preload', 'bool') });
    const policy = Object.values(synth(stack).resource.aws_cloudfront_response_headers_policy)[0] as Json;
    expect(policy.security_headers_config.strict_transport_security.preload).toBe('${var.preload}');
    const other = newStack();
    expectKnownAtSynth(() => new KubeAwsCdn(other.stack, 'a', { ...cdnBase(other.global), loggingEnabled: other.token('log', 'bool') }), 'loggingEnabled', /resources/);
    expectKnownAtSynth(() => new KubeAwsCdn(other.stack, 'b', { ...cdnBase(other.global), originConfigs: [{ originId: other.token('id', 'string'), originDomain: 'o.example.com', domains: ['app.example.com'] }] }),
      'originConfigs[0].originId', /construct ids/);
  });
});

describe('KubeSaAuthAws', () => {
  test('annotateServiceAccount and allowPublicS3PresignedUrls tokens are refused, not read as true', () => {
    const { stack, token } = newStack();
    const base = { serviceAccount: 'api', serviceAccountNamespace: 'web', iamPolicyJson: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]}]}', oidcIssuerUrl: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC' };
    expectKnownAtSynth(() => new KubeSaAuthAws(stack, 'a', { ...base, annotateServiceAccount: token('annotate', 'bool') }), 'annotateServiceAccount', /annotation/);
    expectKnownAtSynth(() => new KubeSaAuthAws(stack, 'b', { ...base, serviceAccount: 'b', ipAllowList: ['10.0.0.0/8'], allowPublicS3PresignedUrls: token('presigned', 'bool') }), 'allowPublicS3PresignedUrls', /actions/);
  });
});

describe('names derived from a token are computed by Terraform, to the value a literal would give', () => {
  test('Ingress name (token port), CDN origin host (token domain), immutable ConfigMap name (token value): real CLIs agree with the literal synth', async () => {
    const literal = newStack();
    // A rewrite whose text needs HCL escapes inside the hash expression (quote, backslash).
    const rewriteRules = [{ match: 'v"1/(\\d+)', rewrite: '$1' }];
    new KubeIngress(literal.stack, 'i', { ...INGRESS, ingressConfigs: [{ service: 'web', servicePort: 8443, rewriteRules }] });
    new KubeConfigMap(literal.stack, 'c', { namespace: 'web', name: 'settings', immutable: true, data: { level: 'debug' } });
    const lit = synth(literal.stack);

    const tokens = newStack();
    new KubeIngress(tokens.stack, 'i', { ...INGRESS, ingressConfigs: [{ service: 'web', servicePort: tokens.token('port', 'number'), rewriteRules }] });
    new KubeConfigMap(tokens.stack, 'c', { namespace: 'web', name: 'settings', immutable: true, data: { level: tokens.token('level', 'string') } });
    new KubeIngress(tokens.stack, 'o', { ...INGRESS, name: 'origin', domains: [tokens.token('domain', 'string')], cdnModeEnabled: true });
    const tok = synth(tokens.stack);
    // The entry's first Ingress: the one for the rewrite rule.
    const ingressName = (json: Json, prefix: string) => kind(json, 'Ingress')
      .find((i) => (i.metadata.name.startsWith(prefix) || i.metadata.name.includes('length')) && i.spec.rules[0].http.paths[0].path.includes('v"1'))!.metadata;
    const tokMeta = ingressName(tok, 'web');
    expect(tokMeta.name).toMatch(/^\$\{.*sha256/);

    const config = {
      variable: { port: { type: 'number' }, level: { type: 'string' }, domain: { type: 'string' } },
      output: {
        ingress: { value: tokMeta.name },
        cookie: { value: tokMeta.annotations['nginx.ingress.kubernetes.io/session-cookie-name'] },
        configMap: { value: kind(tok, 'ConfigMap').find((c) => c.data?.level)!.metadata.name },
        originHost: { value: kind(tok, 'Ingress').find((i) => i.spec.rules.length === 2)!.spec.rules[1].host },
      },
    };
    const litMeta = ingressName(lit, 'web');
    const expected = {
      ingress: litMeta.name,
      cookie: litMeta.annotations['nginx.ingress.kubernetes.io/session-cookie-name'],
      configMap: kind(lit, 'ConfigMap').find((c) => c.data?.level)!.metadata.name,
      originHost: cdnOriginHost('app.example.com'),
    };
    for (const cli of requireClis()) {
      const out = await applyOutputs(cli, config, { port: '8443', level: 'debug', domain: 'app.example.com' });
      expect({ cli: cli.name, ...out }).toEqual({ cli: cli.name, ...expected });
    }
  }, 180_000);
});
