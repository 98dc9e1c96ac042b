import { TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubeIngress, KubeIngressProps } from '../lib/constructs/kube-ingress';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { buildCsp, buildPermissionsPolicy, cdnOriginHost, corsOrigins } from '../lib/k8s/ingress';
import { cdnHash } from '../lib/aws/cdn';
import { manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const N = 'nginx.ingress.kubernetes.io';
const BASE: KubeIngressProps = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] };

function build(props: Partial<KubeIngressProps> = {}) {
  const { stack } = newStack({ environment: 'production', region: 'us-east-2' });
  // CDN mode reads CloudFront's origin-facing ranges with the stack's AWS provider (origin protection).
  if (props.cdnModeEnabled) new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const ingress = new KubeIngress(stack, 'ing', { ...BASE, ...props });
  const out = synth(stack);
  const ingresses = out.manifests.filter((m) => m.kind === 'Ingress');
  return { stack, ingress, out, ingresses, first: ingresses[0] };
}

describe('KubeIngress defaults', () => {
  const { ingress, out, ingresses, first } = build();

  test('one Ingress for one entry without rewrites: hashed name, class nginx, regex path, backend', () => {
    expect(ingresses).toHaveLength(1);
    const hash = cdnHash(['/', 'app.example.com', 'web', '80', '(.*)']);
    expect(first.metadata.name).toBe(`web-${hash}`);
    expect(first.metadata.namespace).toBe('web');
    expect(first.spec.ingressClassName).toBe('nginx');
    expect(first.spec.rules).toEqual([
      { host: 'app.example.com', http: { paths: [{ path: '/(.*)$', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } }] } },
    ]);
    expect(ingress.ingressNames).toEqual([first.metadata.name]);
  });

  test('TLS for every host with the controller default certificate (no secretName, no Certificate)', () => {
    expect(first.spec.tls).toEqual([{ hosts: ['app.example.com'] }]);
    expect(out.manifests.some((m) => m.kind === 'Certificate')).toBe(false);
    expect(ingress.certificateSecretName).toBeUndefined();
  });

  test('standard annotations: regex, ssl-redirect, rewrite-target, rate limits, external-dns', () => {
    const a = first.metadata.annotations;
    expect(a[`${N}/use-regex`]).toBe('true');
    expect(a[`${N}/ssl-redirect`]).toBe('true');
    expect(a[`${N}/rewrite-target`]).toBe('/$1');
    expect(a[`${N}/limit-connections`]).toBe('60');
    expect(a[`${N}/limit-rps`]).toBe('60');
    expect(a[`${N}/limit-rpm`]).toBe('1000');
    expect(a[`${N}/limit-burst-multiplier`]).toBe('3');
    expect(a['external-dns.alpha.kubernetes.io/hostname']).toBe('app.example.com');
    expect(a['external-dns.alpha.kubernetes.io/ingress-hostname-source']).toBe('annotation-only');
    expect(a[`${N}/proxy-read-timeout`]).toBeUndefined();
    expect(a[`${N}/proxy-body-size`]).toBeUndefined();
    expect(a[`${N}/enable-cors`]).toBeUndefined();
  });

  test('no snippet annotation anywhere (CKV_K8S_152-154, GP-NET-003)', () => {
    for (const m of ingresses) for (const k of Object.keys(m.metadata.annotations)) expect(k).not.toMatch(/snippet/);
  });

  test('cookie affinity by default, named after the Ingress, Secure and SameSite=Strict', () => {
    const a = first.metadata.annotations;
    expect(a[`${N}/affinity`]).toBe('cookie');
    expect(a[`${N}/affinity-mode`]).toBe('balanced');
    expect(a[`${N}/session-cookie-name`]).toBe(first.metadata.name);
    expect(a[`${N}/session-cookie-path`]).toBe('/');
    expect(a[`${N}/session-cookie-secure`]).toBe('true');
    expect(a[`${N}/session-cookie-max-age`]).toBe('3600');
    expect(a[`${N}/session-cookie-change-on-failure`]).toBe('true');
    expect(a[`${N}/session-cookie-samesite`]).toBe('Strict');
  });

  test('security headers in a ConfigMap referenced by custom-headers', () => {
    const cm = manifest(out, 'ConfigMap', 'web-response-headers');
    expect(cm.data).toEqual({
      'Cross-Origin-Resource-Policy': 'same-site',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'SAMEORIGIN',
      'Referrer-Policy': 'no-referrer',
      'X-XSS-Protection': '1; mode=block',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
    });
    expect(first.metadata.annotations[`${N}/custom-headers`]).toBe('web/web-response-headers');
    expect(ingress.responseHeaders).toEqual(cm.data);
  });

  test('labels carry the module and environment; no CDN origins outside CDN mode', () => {
    expect(first.metadata.labels['panfactum.com/module']).toBe('kube_ingress');
    expect(first.metadata.labels['panfactum.com/environment']).toBe('production');
    expect(ingress.cdnOriginConfigs).toEqual([]);
  });
});

describe('KubeIngress props', () => {
  test('rewrite rules fan out, one Ingress each plus the default, with rewrite targets', () => {
    const { ingresses } = build({ ingressConfigs: [{ service: 'api', servicePort: 8080, pathPrefix: '/api/', rewriteRules: [{ match: '^v1/(.*)$', rewrite: 'v2/$1' }] }] });
    expect(ingresses.map((i) => i.spec.rules[0].http.paths[0].path)).toEqual(['/api/v1/(.*)$', '/api/(.*)$']);
    expect(ingresses.map((i) => i.metadata.annotations[`${N}/rewrite-target`])).toEqual(['/api/v2/$1', '/api/$1']);
    expect(ingresses[0].metadata.annotations[`${N}/session-cookie-path`]).toBe('/api/');
  });

  test('removePrefix rewrites to the bare rewrite', () => {
    const { first } = build({ ingressConfigs: [{ service: 'api', servicePort: 8080, pathPrefix: '/api/', removePrefix: true }] });
    expect(first.metadata.annotations[`${N}/rewrite-target`]).toBe('/$1');
  });

  test('generateCertEnabled: cert-manager Certificate <name>, <name>-tls, ClusterIssuer public, 90 d / 30 d, waits for Ready', () => {
    const { out, first, ingress } = build({ generateCertEnabled: true });
    const cert = manifest(out, 'Certificate', 'web');
    expect(cert.apiVersion).toBe('cert-manager.io/v1');
    expect(cert.spec).toEqual({
      secretName: 'web-tls',
      dnsNames: ['app.example.com'],
      duration: '2160h0m0s',
      renewBefore: '720h0m0s',
      privateKey: { rotationPolicy: 'Always' },
      issuerRef: { name: 'public', kind: 'ClusterIssuer', group: 'cert-manager.io' },
    });
    expect(first.spec.tls).toEqual([{ hosts: ['app.example.com'], secretName: 'web-tls' }]);
    expect(ingress.certificateSecretName).toBe('web-tls');
    const res: any = Object.values(out.manifestResources).find((r: any) => r.manifest.kind === 'Certificate');
    expect(res.wait).toEqual({ fields: { 'status.conditions[0].status': 'True' } });
  });

  test('certIssuerName/Kind and tlsSecretName', () => {
    const { out, first } = build({ generateCertEnabled: true, certIssuerName: 'internal', certIssuerKind: 'Issuer', ingressConfigs: [{ service: 'web', servicePort: 80, tlsSecretName: 'byo-tls' }] });
    expect(manifest(out, 'Certificate').spec.issuerRef).toEqual({ name: 'internal', kind: 'Issuer', group: 'cert-manager.io' });
    expect(first.spec.tls[0].secretName).toBe('byo-tls');
  });

  test('domains are deduplicated and sorted; every host gets a rule and TLS', () => {
    const { first, ingress } = build({ domains: ['b.example.com', 'a.example.com', 'b.example.com'] });
    expect(first.spec.rules.map((r: any) => r.host)).toEqual(['a.example.com', 'b.example.com']);
    expect(first.spec.tls[0].hosts).toEqual(['a.example.com', 'b.example.com']);
    expect(ingress.domains).toEqual(['a.example.com', 'b.example.com']);
  });

  test('timeouts, body size, rate limits, extra annotations (per entry wins)', () => {
    const { first } = build({
      idleTimeoutSeconds: 120, bodySizeLimitMb: 25, rateLimitRps: 10, rateLimitConnections: 5, rateLimitRpm: 100, rateLimitBurstMultiplier: 2,
      extraAnnotations: { 'example.com/a': '1', 'example.com/b': '1' },
      ingressConfigs: [{ service: 'web', servicePort: 80, extraAnnotations: { 'example.com/b': '2' } }],
    });
    const a = first.metadata.annotations;
    expect([a[`${N}/proxy-read-timeout`], a[`${N}/proxy-send-timeout`], a[`${N}/proxy-body-size`]]).toEqual(['120', '120', '25m']);
    expect([a[`${N}/limit-rps`], a[`${N}/limit-connections`], a[`${N}/limit-rpm`], a[`${N}/limit-burst-multiplier`]]).toEqual(['10', '5', '100', '2']);
    expect([a['example.com/a'], a['example.com/b']]).toEqual(['1', '2']);
  });

  test('opt-outs: rate limits, sticky sessions, ssl-redirect, response headers', () => {
    const { first, out } = build({ rateLimitingEnabled: false, stickySessionsEnabled: false, sslRedirectEnabled: false, responseHeadersEnabled: false });
    const a = first.metadata.annotations;
    expect(a[`${N}/limit-rps`]).toBeUndefined();
    expect(a[`${N}/affinity`]).toBeUndefined();
    expect(a[`${N}/ssl-redirect`]).toBe('false');
    expect(a[`${N}/custom-headers`]).toBeUndefined();
    expect(out.manifests.some((m) => m.kind === 'ConfigMap')).toBe(false);
  });

  test('CORS through ingress-nginx annotations: origins from self/subdomains/siblings/extras, sorted lists', () => {
    const { first } = build({ corsEnabled: true, corsExtraAllowedOrigins: ['https://partner.example.org'], corsAllowedMethods: ['post', 'GET'], corsMaxAgeSeconds: 600 });
    const a = first.metadata.annotations;
    expect(a[`${N}/enable-cors`]).toBe('true');
    expect(a[`${N}/cors-allow-origin`]).toBe('https://*.app.example.com, https://*.example.com, https://app.example.com, https://partner.example.org');
    expect(a[`${N}/cors-allow-methods`]).toBe('GET, POST');
    expect(a[`${N}/cors-max-age`]).toBe('600');
    expect(a[`${N}/cors-allow-credentials`]).toBe('true');
    expect(a[`${N}/cors-expose-headers`].split(', ')).toContain('Content-Security-Policy');
    expect(a[`${N}/cors-allow-headers`].split(', ')).toContain('Authorization');
  });

  test('corsOrigins: no sibling wildcard over a bare apex (never https://*.com), any => *', () => {
    expect(corsOrigins(['example.com'], { ...BASE, namespace: 'web' })).toEqual(['https://*.example.com', 'https://example.com']);
    expect(corsOrigins(['example.com'], { ...BASE, namespace: 'web', corsAllowedOriginsAny: true })).toEqual(['*']);
    expect(corsOrigins(['a.example.com'], { ...BASE, namespace: 'web', corsAllowedOriginsSubdomains: false, corsAllowedOriginsSiblingDomains: false })).toEqual(['https://a.example.com']);
  });

  test('any origin without credentials', () => {
    const { first } = build({ corsEnabled: true, corsAllowedOriginsAny: true, corsAllowCredentials: false });
    expect(first.metadata.annotations[`${N}/cors-allow-origin`]).toBe('*');
    expect(first.metadata.annotations[`${N}/cors-allow-credentials`]).toBe('false');
  });

  test('CSP, COOP/COEP, Permissions-Policy, HSTS preload and extra headers', () => {
    const { out } = build({
      cspEnabled: true, cspScriptSrc: "'self' https://cdn.example.com", cspImgSrc: null,
      crossOriginIsolationEnabled: true, permissionsPolicyEnabled: true, permissionsPolicyDirectives: { camera: '(self)', usb: null },
      hstsPreload: true, xFrameOptions: 'DENY', referrerPolicy: 'strict-origin-when-cross-origin', xXssProtection: '0',
      extraResponseHeaders: { 'X-Team': 'web' },
    });
    const h = manifest(out, 'ConfigMap').data;
    expect(h['Content-Security-Policy']).toBe("connect-src 'self' ws:; default-src 'self'; font-src 'self' https: data:; object-src 'none'; script-src 'self' https://cdn.example.com; style-src 'self'; upgrade-insecure-requests");
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    expect(h['Permissions-Policy']).toContain('camera=(self)');
    expect(h['Permissions-Policy']).not.toContain('usb=');
    expect(h['Strict-Transport-Security']).toBe('max-age=31536000; includeSubDomains; preload');
    expect([h['X-Frame-Options'], h['Referrer-Policy'], h['X-XSS-Protection'], h['X-Team']]).toEqual(['DENY', 'strict-origin-when-cross-origin', '0', 'web']);
  });

  test('buildCsp default equals Panfactum default string; buildPermissionsPolicy is sorted', () => {
    expect(buildCsp({})).toBe("connect-src 'self' ws:; default-src 'self'; font-src 'self' https: data:; img-src 'self' data:; object-src 'none'; style-src 'self'; upgrade-insecure-requests");
    const pp = buildPermissionsPolicy().split(', ');
    expect(pp).toHaveLength(35);
    expect([...pp].sort()).toEqual(pp);
    expect(pp).toContain('gamepad=(self)');
    expect(pp).toContain('camera=()');
  });

  test('redirect rules: one Ingress each with permanent/temporal redirect', () => {
    const { ingresses } = build({ redirectRules: [{ path: '/old/(.*)', target: 'https://app.example.com/new/$1', permanent: true }, { path: '/tmp', target: '/elsewhere' }] });
    const redirects = ingresses.filter((i) => i.metadata.name.startsWith('web-redirect-'));
    expect(redirects).toHaveLength(2);
    expect(redirects[0].metadata.annotations[`${N}/permanent-redirect`]).toBe('https://app.example.com/new/$1');
    expect(redirects[1].metadata.annotations[`${N}/temporal-redirect`]).toBe('/elsewhere');
    expect(redirects[0].spec.rules[0].http.paths[0].path).toBe('/old/(.*)');
    expect(redirects[0].spec.tls).toEqual([{ hosts: ['app.example.com'] }]);
  });

  test('a redirect for some domains has TLS for exactly those hosts (every TLS host has a rule)', () => {
    const { ingresses } = build({ domains: ['a.example.com', 'b.example.com'], generateCertEnabled: true, cdnModeEnabled: true, redirectRules: [{ path: '/x', target: '/y', domains: ['b.example.com'] }] });
    const redirect = ingresses.find((i) => i.metadata.name.startsWith('web-redirect-'))!;
    expect(redirect.spec.tls).toEqual([{ hosts: ['b.example.com'], secretName: 'web-tls' }]);
    expect(redirect.spec.rules.map((r: any) => r.host)).toEqual(['b.example.com']);
    for (const ing of ingresses) {
      const ruleHosts = ing.spec.rules.map((r: any) => r.host);
      for (const h of ing.spec.tls[0].hosts) expect(ruleHosts).toContain(h);
    }
  });

  test('CDN mode: hashed origin hosts served with TLS, external-dns on origin hosts, cdnOriginConfigs', () => {
    const { first, ingress, out } = build({
      cdnModeEnabled: true, generateCertEnabled: true, domains: ['b.example.com', 'a.example.com'],
      ingressConfigs: [{ service: 'web', servicePort: 80, pathPrefix: '/app', cdn: { extraOriginHeaders: { 'X-Origin-Verify': 'x' }, pathMatchBehavior: { 'static/*': { defaultTtl: 60 } } } }],
    });
    const oa = cdnOriginHost('a.example.com');
    const ob = cdnOriginHost('b.example.com');
    expect(oa).toBe(`${cdnHash(['a.example.com'])}.a.example.com`);
    expect(first.spec.rules.map((r: any) => r.host)).toEqual(['a.example.com', 'b.example.com', oa, ob]);
    expect(first.spec.tls[0].hosts).toEqual(['a.example.com', 'b.example.com', oa, ob]);
    expect(first.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe(`${oa},${ob}`);
    expect(manifest(out, 'Certificate').spec.dnsNames).toEqual(['a.example.com', 'b.example.com', oa, ob]);
    expect(ingress.originHosts).toEqual({ 'a.example.com': oa, 'b.example.com': ob });
    expect(ingress.cdnOriginConfigs).toEqual([{
      originId: cdnHash(['a.example.comb.example.com', 'web', '80', '/app']),
      originDomain: oa,
      domains: ['a.example.com', 'b.example.com'],
      pathPrefix: '/app',
      extraOriginHeaders: { 'X-Origin-Verify': 'x' },
      removePrefix: false,
      rewriteRules: [],
      defaultCacheBehavior: undefined,
      pathMatchBehavior: { 'static/*': { defaultTtl: 60 } },
    }]);
  });

  test('KubeNamespace orders every object after the namespace', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    new KubeIngress(stack, 'ing', { ...BASE, namespace: ns, generateCertEnabled: true });
    const out = synth(stack);
    const ingressRes: any = Object.values(out.manifestResources).find((r: any) => r.manifest.kind === 'Ingress');
    expect(ingressRes.depends_on.some((d: string) => d.includes('Certificate'))).toBe(true);
    expect(ingressRes.depends_on.some((d: string) => d.includes('ns'))).toBe(true);
    expect(ingressRes.manifest.metadata.namespace).toBe('web');
  });

  test('tokens do not throw', () => {
    const { stack } = newStack();
    const port = new TerraformVariable(stack, 'port', { type: 'number' });
    const svc = new TerraformVariable(stack, 'svc', { type: 'string' });
    expect(() => new KubeIngress(stack, 'ing', { ...BASE, ingressConfigs: [{ service: svc.stringValue, servicePort: port.numberValue }], idleTimeoutSeconds: port.numberValue })).not.toThrow();
  });
});

describe('KubeIngress errors', () => {
  const cases: [string, Partial<KubeIngressProps>, string][] = [
    ['no domains', { domains: [] }, 'domains'],
    ['a domain that is not a host name', { domains: ['App.Example.com'] }, 'domains[0]'],
    ['a single-label domain', { domains: ['localhost'] }, 'domains[0]'],
    ['no ingress configs', { ingressConfigs: [] }, 'ingressConfigs'],
    ['a relative path prefix', { ingressConfigs: [{ service: 'web', servicePort: 80, pathPrefix: 'api' }] }, 'ingressConfigs[0].pathPrefix'],
    ['a bad service port', { ingressConfigs: [{ service: 'web', servicePort: 70000 }] }, 'ingressConfigs[0].servicePort'],
    ['a bad service name', { ingressConfigs: [{ service: 'Web_1', servicePort: 80 }] }, 'ingressConfigs[0].service'],
    ['a rewrite regex that does not compile', { ingressConfigs: [{ service: 'web', servicePort: 80, rewriteRules: [{ match: '(', rewrite: '$1' }] }] }, 'ingressConfigs[0].rewriteRules[0].match'],
    ['two entries with the same path', { ingressConfigs: [{ service: 'web', servicePort: 80 }, { service: 'api', servicePort: 80 }] }, 'ingressConfigs[1].rewriteRules[0].match'],
    ['a name too long for the hash suffix', { name: 'a'.repeat(51) }, 'name'],
    ['any origin with credentials', { corsEnabled: true, corsAllowedOriginsAny: true }, 'corsAllowedOriginsAny'],
    ['an extra origin with a path', { corsEnabled: true, corsExtraAllowedOrigins: ['https://x.example.com/app'] }, 'corsExtraAllowedOrigins[0]'],
    ['a CORS method with a space', { corsEnabled: true, corsAllowedMethods: ['GET POST'] }, 'corsAllowedMethods[0]'],
    ['an X-Frame-Options outside DENY/SAMEORIGIN', { xFrameOptions: 'ALLOW-FROM x' }, 'xFrameOptions'],
    ['an unknown Referrer-Policy', { referrerPolicy: 'unsafe-url' }, 'referrerPolicy'],
    ['an unknown X-XSS-Protection', { xXssProtection: '2' }, 'xXssProtection'],
    ['an unknown CORP', { crossOriginResourcePolicy: 'anyone' }, 'crossOriginResourcePolicy'],
    ['an unknown COOP', { crossOriginIsolationEnabled: true, crossOriginOpenerPolicy: 'open' }, 'crossOriginOpenerPolicy'],
    ['HSTS preload without subdomains', { hstsPreload: true, hstsIncludeSubdomains: false }, 'hstsPreload'],
    ['a header name with a space', { extraResponseHeaders: { 'X Team': 'a' } }, 'extraResponseHeaders.X Team'],
    ['a header value with a newline', { extraResponseHeaders: { 'X-Team': 'a\nb' } }, 'extraResponseHeaders["X-Team"]'],
    ['a permissions directive in camelCase', { permissionsPolicyEnabled: true, permissionsPolicyDirectives: { displayCapture: '()' } }, 'permissionsPolicyDirectives.displayCapture'],
    ['a redirect path without a slash', { redirectRules: [{ path: 'old', target: '/new' }] }, 'redirectRules[0].path'],
    ['a redirect target that is not a URL', { redirectRules: [{ path: '/old', target: 'new page' }] }, 'redirectRules[0].target'],
    ['a redirect for a foreign host', { redirectRules: [{ path: '/old', target: '/new', domains: ['other.example.org'] }] }, 'redirectRules[0].domains[0]'],
    ['an idle timeout of 0', { idleTimeoutSeconds: 0 }, 'idleTimeoutSeconds'],
    ['a fractional body size', { bodySizeLimitMb: 1.5 }, 'bodySizeLimitMb'],
    ['an unknown issuer kind', { generateCertEnabled: true, certIssuerKind: 'Foo' as any }, 'certIssuerKind'],
    ['bad cache behaviour methods in CDN mode', { cdnModeEnabled: true, ingressConfigs: [{ service: 'web', servicePort: 80, cdn: { defaultCacheBehavior: { allowedMethods: ['GET'] } } }] }, 'ingressConfigs[0].cdn.defaultCacheBehavior.allowedMethods'],
  ];
  test.each(cases)('%s', (_label, props, field) => {
    const { stack } = newStack();
    const error = errorOf(() => new KubeIngress(stack, 'ing', { ...BASE, ...props }));
    expect(error.field).toBe(field);
    expect(error.path).toBe('test/ing');
    expect(error.fix.length).toBeGreaterThan(10);
  });

});
