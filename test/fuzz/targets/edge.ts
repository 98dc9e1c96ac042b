/** Targets: KubeIngress, KubeAwsCdn, KubeSaAuthAws. */
import * as fc from 'fast-check';
import { KubeAwsCdn } from '../../../lib/constructs/kube-aws-cdn';
import { KubeIngress } from '../../../lib/constructs/kube-ingress';
import { KubeSaAuthAws } from '../../../lib/constructs/kube-sa-auth-aws';
import { FuzzRef } from '../model';
import { asMap, caseArbitrary, mapOf } from '../mutate';
import { FuzzTarget } from '../run-case';
import { cidr, dns1035Label, dnsLabel, freeText, labels, portNumber } from '../values';
import { clusterContext, context, iamPolicy, namespaceRef } from './common';

const zone = fc.constantFrom('example.com', 'example.org');
const host = fc.tuple(fc.constantFrom('www', 'api', 'app', 'a-b', 'static'), zone).map(([h, z]) => `${h}.${z}`);

const cacheBehavior = fc.record(
  {
    cachingEnabled: fc.boolean(),
    minTtl: fc.integer({ min: 0, max: 60 }),
    defaultTtl: fc.integer({ min: 60, max: 86400 }),
    maxTtl: fc.integer({ min: 86400, max: 31536000 }),
    cookiesInCacheKey: fc.subarray(['session', 'lang']),
    headersInCacheKey: fc.subarray(['Accept-Encoding', 'Origin']),
    queryStringsInCacheKey: fc.subarray(['v', 'page']),
    cookiesNotForwarded: fc.subarray(['tracking']),
    headersNotForwarded: fc.subarray(['X-Debug']),
    queryStringsNotForwarded: fc.subarray(['utm_source']),
    compressionEnabled: fc.boolean(),
    viewerProtocolPolicy: fc.constantFrom('redirect-to-https', 'https-only', 'allow-all'),
    methods: fc.constantFrom('read', 'options', 'all'),
  },
  { requiredKeys: [] },
).map(({ methods, ...b }: Record<string, any>) => ({
  ...b,
  ...(methods === 'read' ? { allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'] } : methods === 'options' ? { allowedMethods: ['GET', 'HEAD', 'OPTIONS'], cachedMethods: ['GET', 'HEAD', 'OPTIONS'] } : {}),
}));

const rewriteRule = fc.constantFrom({ match: 'v1/(.*)', rewrite: 'v2/$1' }, { match: 'legacy/(.*)/items', rewrite: 'items/$1' }, { match: 'img/(.*)\\.png', rewrite: 'images/$1.webp' });

const ingressConfig = fc.record(
  {
    pathPrefix: fc.constantFrom('/', '/api/', '/static/', '/v1'),
    removePrefix: fc.boolean(),
    service: dns1035Label(30),
    servicePort: portNumber,
    rewriteRules: fc.uniqueArray(rewriteRule, { maxLength: 2, selector: (r) => r.match }),
    tlsSecretName: dnsLabel(30),
    extraAnnotations: mapOf(fc.constantFrom('nginx.ingress.kubernetes.io/proxy-buffering', 'example.com/note'), fc.constantFrom('off', 'on', 'a note', '$x'), 1),
    cdn: fc.record(
      { extraOriginHeaders: mapOf(fc.constantFrom('X-Origin', 'X-Verify'), freeText, 2), defaultCacheBehavior: cacheBehavior, pathMatchBehavior: mapOf(fc.constantFrom('static/*', '*.js', 'img/*.png'), cacheBehavior, 2) },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['service', 'servicePort'] },
);

const ingressProps = fc
  .record(
    {
      namespace: namespaceRef,
      name: dnsLabel(40),
      domains: fc.uniqueArray(host, { minLength: 1, maxLength: 3 }),
      ingressConfigs: fc.uniqueArray(ingressConfig, { minLength: 1, maxLength: 2, selector: (c: any) => c.pathPrefix ?? '/' }),
      cdnModeEnabled: fc.boolean(),
      extraAnnotations: mapOf(fc.constantFrom('nginx.ingress.kubernetes.io/upstream-vhost', 'nginx.ingress.kubernetes.io/proxy-connect-timeout', 'example.com/owner'), fc.constantFrom('$host', '10', 'team a', 'api.example.com'), 2),
      rateLimitingEnabled: fc.boolean(),
      rateLimitConnections: fc.integer({ min: 1, max: 1000 }),
      rateLimitRps: fc.integer({ min: 1, max: 1000 }),
      rateLimitRpm: fc.integer({ min: 1, max: 100000 }),
      rateLimitBurstMultiplier: fc.integer({ min: 1, max: 10 }),
      idleTimeoutSeconds: fc.integer({ min: 1, max: 3600 }),
      bodySizeLimitMb: fc.integer({ min: 0, max: 1024 }),
      generateCertEnabled: fc.boolean(),
      certIssuerName: fc.constantFrom('public', 'internal', 'letsencrypt-prod'),
      certIssuerKind: fc.constantFrom('ClusterIssuer', 'Issuer'),
      redirectRules: fc.uniqueArray(
        fc.record({ path: fc.constantFrom('/old/(.*)', '/promo', '/a\\x20b'), target: fc.constantFrom('https://www.example.com/new/$1', '/campaigns/current'), permanent: fc.boolean() }),
        { maxLength: 2, selector: (r) => r.path },
      ),
      sslRedirectEnabled: fc.boolean(),
      stickySessionsEnabled: fc.boolean(),
      stickySessionMaxAgeSeconds: fc.integer({ min: 1, max: 86400 }),
      responseHeadersEnabled: fc.boolean(),
      extraResponseHeaders: mapOf(fc.constantFrom('X-Corp', 'Server-Timing'), fc.constantFrom('edge', 'miss', 'a "quoted" value', '$host'), 2),
      hstsEnabled: fc.boolean(),
      hstsMaxAgeSeconds: fc.integer({ min: 0, max: 63072000 }),
      hstsIncludeSubdomains: fc.boolean(),
      crossOriginIsolationEnabled: fc.boolean(),
      crossOriginOpenerPolicy: fc.constantFrom('same-origin', 'same-origin-allow-popups', 'unsafe-none'),
      crossOriginEmbedderPolicy: fc.constantFrom('require-corp', 'credentialless', 'unsafe-none'),
      crossOriginResourcePolicy: fc.constantFrom('same-site', 'same-origin', 'cross-origin'),
      referrerPolicy: fc.constantFrom('no-referrer', 'strict-origin-when-cross-origin'),
      xFrameOptions: fc.constantFrom('DENY', 'SAMEORIGIN'),
      xXssProtection: fc.constantFrom('0', '1', '1; mode=block'),
      xContentTypeOptionsEnabled: fc.boolean(),
      permissionsPolicyEnabled: fc.boolean(),
      permissionsPolicyDirectives: mapOf(fc.constantFrom('camera', 'geolocation', 'usb'), fc.constantFrom<string | null>('(self)', '()', '(self "https://maps.example.com")', null), 2),
      cspEnabled: fc.boolean(),
      cspDefaultSrc: fc.constantFrom("'self'", "'none'", null),
      cspScriptSrc: fc.constantFrom("'self' 'nonce-abc'", "'self' https://cdn.example.com"),
      cspImgSrc: fc.constantFrom("'self' data: https:"),
      cspReportUri: fc.constantFrom('https://csp.example.com/report'),
      corsEnabled: fc.boolean(),
      corsAllowedMethods: fc.subarray(['GET', 'HEAD', 'POST', 'OPTIONS'], { minLength: 1 }),
      corsMaxAgeSeconds: fc.integer({ min: 0, max: 86400 }),
      corsExtraAllowedOrigins: fc.subarray(['https://partner.example.org', 'https://*.example.net']),
      corsAllowedHeaders: fc.subarray(['Content-Type', 'Authorization', 'X-Request-Id'], { minLength: 1 }),
      corsAllowCredentials: fc.boolean(),
    },
    { requiredKeys: ['namespace', 'name', 'domains', 'ingressConfigs'] },
  )
  .map((p: Record<string, any>) => {
    if (p.hstsPreload) p.hstsIncludeSubdomains = true;
    return p;
  });

const originConfig = fc.record(
  {
    originId: dnsLabel(20),
    originDomain: fc.tuple(fc.constantFrom('origin', 'assets-origin', 'lb'), zone).map(([h, z]) => `${h}.${z}`),
    domains: fc.uniqueArray(host, { minLength: 1, maxLength: 2 }),
    pathPrefix: fc.constantFrom('/', '/assets/', '/api/'),
    extraOriginHeaders: mapOf(fc.constantFrom('X-Origin', 'X-Verify'), freeText, 2),
    removePrefix: fc.boolean(),
    rewriteRules: fc.uniqueArray(rewriteRule, { maxLength: 2, selector: (r) => r.match }),
    defaultCacheBehavior: cacheBehavior,
    pathMatchBehavior: mapOf(fc.constantFrom('fonts/*', '*.js', 'static/*'), cacheBehavior, 2),
  },
  { requiredKeys: ['originDomain', 'domains'] },
);

const cdnProps = fc
  .record(
    {
      name: fc.constantFrom('corp-web', 'web', 'a_b-1'),
      description: freeText,
      originConfigs: fc.uniqueArray(originConfig, { minLength: 1, maxLength: 2, selector: (o: any) => o.pathPrefix ?? '/' }),
      globalProvider: fc.constant(new FuzzRef('awsGlobal')),
      zones: fc.constantFrom('names', 'names', 'ids'),
      redirectRules: fc.array(fc.record({ source: fc.constantFrom('^https://example\\.com/(.*)$', '^https://[^/]+/docs$'), target: fc.constantFrom('https://www.example.com/$1', 'https://docs.example.com/'), permanent: fc.boolean(), preserveQueryString: fc.boolean() }), { maxLength: 2 }),
      corsEnabled: fc.boolean(),
      corsMaxAgeSeconds: fc.integer({ min: 0, max: 86400 }),
      corsAllowedHeaders: fc.subarray(['Content-Length', 'Content-Type', 'Authorization'], { minLength: 1 }),
      corsAllowedMethods: fc.subarray(['GET', 'HEAD', 'OPTIONS', 'POST'], { minLength: 1 }),
      corsAdditionalAllowedOrigins: fc.subarray(['https://partner.example.org']),
      corsAllowCredentials: fc.boolean(),
      priceClass: fc.constantFrom('PriceClass_100', 'PriceClass_200', 'PriceClass_All'),
      geoRestrictionType: fc.constantFrom('none', 'whitelist', 'blacklist'),
      geoRestrictionList: fc.subarray(['US', 'CA', 'DE', 'GB'], { minLength: 1 }),
      originShieldEnabled: fc.boolean(),
      originShieldRegion: fc.constantFrom('eu-central-1', 'us-east-1'),
      loggingEnabled: fc.boolean(),
      loggingCookiesEnabled: fc.boolean(),
      loggingExpireAfterDays: fc.integer({ min: 0, max: 3650 }),
      customErrorResponses: fc.uniqueArray(
        fc.oneof(
          fc.record({ errorCode: fc.constantFrom(404, 500, 503), responseCode: fc.constantFrom(200, 404), responsePagePath: fc.constantFrom('/errors/404.html', '/maintenance.html'), errorCachingMinTtl: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: ['errorCode', 'responseCode', 'responsePagePath'] }),
          fc.record({ errorCode: fc.constantFrom(404, 500, 503), errorCachingMinTtl: fc.integer({ min: 0, max: 3600 }) }, { requiredKeys: ['errorCode'] }),
        ),
        { maxLength: 2, selector: (r) => r.errorCode },
      ),
      minimumProtocolVersion: fc.constantFrom('TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'),
      webAclArn: fc.constant('arn:aws:wafv2:us-east-1:123456789012:global/webacl/corp/11111111-2222-3333-4444-555555555555'),
      responseHeadersPolicyId: fc.constant('67f7725c-6f97-4210-82d7-5512b31e9d03'),
      hstsMaxAgeSeconds: fc.integer({ min: 0, max: 63072000 }),
      tags: labels(2),
    },
    { requiredKeys: ['name', 'originConfigs', 'globalProvider', 'zones'] },
  )
  .map(({ zones, ...p }: Record<string, any>) => {
    if (zones === 'ids') p.hostedZoneIds = asMap({ 'example.com': 'Z0123456789ABC', 'example.org': 'Z3P5QSUBK4POTI' });
    else p.hostedZoneNames = ['example.com', 'example.org'];
    if ((p.geoRestrictionType ?? 'none') === 'none') delete p.geoRestrictionList;
    else if (!p.geoRestrictionList) p.geoRestrictionList = ['US'];
    if (!p.originShieldEnabled) delete p.originShieldRegion;
    if (!p.loggingEnabled) {
      delete p.loggingCookiesEnabled;
      delete p.loggingExpireAfterDays;
    }
    return p;
  });

const saAuthProps = fc
  .record(
    {
      serviceAccount: dnsLabel(30),
      serviceAccountNamespace: dnsLabel(20),
      iamPolicyJson: iamPolicy,
      annotateServiceAccount: fc.boolean(),
      ipAllowList: fc.array(cidr, { maxLength: 3 }),
      allowPublicS3PresignedUrls: fc.boolean(),
      maxSessionDurationSeconds: fc.integer({ min: 3600, max: 43200 }),
      tags: labels(2),
      description: freeText,
      issuer: fc.constantFrom('context', 'url', 'arn', 'cluster'),
      audience: fc.constantFrom('sts.amazonaws.com', 'custom-aud'),
    },
    { requiredKeys: ['serviceAccount', 'serviceAccountNamespace', 'iamPolicyJson', 'issuer'] },
  )
  .map(({ issuer, ...p }: Record<string, any>) => {
    if (issuer === 'url') p.oidcIssuerUrl = 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    if (issuer === 'arn') p.oidcProviderArn = 'arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
    if (issuer === 'cluster') p.eksClusterName = 'corp-other';
    if (!p.ipAllowList || p.ipAllowList.length === 0) delete p.allowPublicS3PresignedUrls;
    return p;
  });

export const EDGE_TARGETS: FuzzTarget[] = [
  { name: 'KubeIngress', providers: { aws: true }, cases: caseArbitrary(ingressProps, context), build: (scope, props, env) => new KubeIngress(scope, env.id('subject'), props) },
  { name: 'KubeAwsCdn', providers: { aws: true }, cases: caseArbitrary(cdnProps, context), build: (scope, props, env) => new KubeAwsCdn(scope, env.id('subject'), props) },
  { name: 'KubeSaAuthAws', providers: { aws: true }, cases: caseArbitrary(saAuthProps, clusterContext), build: (scope, props, env) => new KubeSaAuthAws(scope, env.id('subject'), props) },
];
