import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { CdnOriginConfig, KubeAwsCdn, KubeDeployment, KubeIngress, KubeNamespace } from '../../lib';
import { corpusStack, image } from './stack';

export const EDGE_STACK = 'corpus-edge';

/** The Route53 zone every corpus domain lives in. */
export const CORPUS_ZONE = 'corpus.example.com';
/** AWS's managed SecurityHeadersPolicy (an existing response headers policy id). */
const MANAGED_SECURITY_HEADERS_POLICY_ID = '67f7725c-6f97-4210-82d7-5512b31e9d03';

/**
 * `corpus-edge`: public HTTP routing, in-cluster and at the edge.
 *
 * - KubeIngress `web` in CDN mode with two domains and two routing entries (one stripping its
 *   prefix, with rewrite rules, per-entry annotations and CDN cache settings: path behaviours,
 *   extra origin headers), a cert-manager Certificate from a namespaced Issuer, permanent and
 *   temporary redirects (one limited to a domain), every CSP directive, Permissions-Policy
 *   overrides, CORS with every knob, rate limits, timeouts, body size, cookie affinity, HSTS
 *   with preload, cross-origin isolation, extra response headers, an nginx `$host` value and
 *   literal `${host}` text in an annotation.
 * - KubeIngress `admin`: no CDN, an existing TLS secret, headers / rate limits / affinity / TLS
 *   redirect off, CORS for any origin without credentials.
 * - A WAFv2 web ACL (scope CLOUDFRONT, us-east-1 provider).
 * - KubeAwsCdn `corpus-web`: the ingress origins plus a hand-written origin (edge prefix removal
 *   and rewrites), hosted zones by id and by name, edge redirects and CORS (CloudFront
 *   functions), all price classes, geo allow-list, Origin Shield looked up, access logs with
 *   cookies and expiry, custom error responses, TLSv1.2_2025, the WAF by its ARN attribute,
 *   HSTS preload, tags.
 * - KubeAwsCdn `corpus-admin`: a literal WAF ARN, geo block-list, explicit Origin Shield region,
 *   an existing response headers policy, PriceClass_200.
 */
export function buildEdgeStack(app: App): TerraformStack {
  const { stack, aws, awsGlobal } = corpusStack(app, EDGE_STACK, { aws: true, awsGlobal: true });
  const ns = new KubeNamespace(stack, 'ns-edge', { namespace: 'corpus-edge', loadbalancerEnabled: true });

  const web = new KubeDeployment(stack, 'web', {
    namespace: ns,
    name: 'web',
    containers: [{ name: 'web', ...image('docker.io', 'nginxinc/nginx-unprivileged', '1.27.1'), ports: { http: { port: 8080, servicePort: 80 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080 }],
    tmpDirectories: { nginx: { mountPath: '/tmp', nodeLocal: true } },
  });
  const api = new KubeDeployment(stack, 'api', {
    namespace: ns,
    name: 'api',
    containers: [{ name: 'api', ...image('ghcr.io', 'corpus/api', '1.4.0'), ports: { http: { port: 8080 } }, livenessProbeType: 'TCP', livenessProbePort: 8080 }],
  });

  const webIngress = new KubeIngress(stack, 'web-ingress', {
    namespace: ns,
    name: 'web',
    domains: [`www.${CORPUS_ZONE}`, CORPUS_ZONE, `www.${CORPUS_ZONE}`],
    cdnModeEnabled: true,
    ingressConfigs: [
      {
        pathPrefix: '/',
        service: web.serviceName!,
        servicePort: 80,
        cdn: {
          extraOriginHeaders: { 'X-Corpus-Origin': 'web', 'X-Origin-Verify': 'corpus-shared-secret' },
          defaultCacheBehavior: { defaultTtl: 3600, maxTtl: 86400, compressionEnabled: true, viewerProtocolPolicy: 'redirect-to-https' },
          pathMatchBehavior: {
            'static/*': { defaultTtl: 604800, maxTtl: 31536000, cookiesInCacheKey: [], headersInCacheKey: [], queryStringsInCacheKey: ['v'], allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'] },
            '*.js': { defaultTtl: 86400, headersInCacheKey: ['Accept-Encoding'], cookiesNotForwarded: ['session'], allowedMethods: ['GET', 'HEAD', 'OPTIONS'], cachedMethods: ['GET', 'HEAD', 'OPTIONS'] },
          },
        },
      },
      {
        pathPrefix: '/api/',
        removePrefix: true,
        service: api.serviceName!,
        servicePort: 8080,
        rewriteRules: [
          { match: 'v1/(.*)', rewrite: 'v2/$1' },
          { match: 'legacy/(.*)/items', rewrite: 'items/$1' },
        ],
        extraAnnotations: { 'nginx.ingress.kubernetes.io/proxy-buffering': 'off' },
        cdn: {
          defaultCacheBehavior: { cachingEnabled: false, headersNotForwarded: ['X-Debug'], queryStringsNotForwarded: ['utm_source'], viewerProtocolPolicy: 'https-only' },
        },
      },
    ],
    generateCertEnabled: true,
    certIssuerName: 'corpus-issuer',
    certIssuerKind: 'Issuer',
    waitForCertificate: false,
    redirectRules: [
      { path: '/old/(.*)', target: `https://www.${CORPUS_ZONE}/new/$1`, permanent: true },
      { path: '/promo', target: '/campaigns/current', permanent: false, domains: [CORPUS_ZONE] },
    ],
    extraAnnotations: {
      // An nginx variable (nginx.conf values refuse braces: written without them).
      'nginx.ingress.kubernetes.io/upstream-vhost': '$host',
      // Template text meant literally in an annotation: must not become a Terraform interpolation.
      'corpus.example.com/upstream-template': '${host}',
      'nginx.ingress.kubernetes.io/proxy-connect-timeout': '10',
    },
    rateLimitingEnabled: true,
    rateLimitConnections: 100,
    rateLimitRps: 50,
    rateLimitRpm: 2000,
    rateLimitBurstMultiplier: 5,
    idleTimeoutSeconds: 120,
    bodySizeLimitMb: 25,
    sslRedirectEnabled: true,
    stickySessionsEnabled: true,
    stickySessionMaxAgeSeconds: 7200,
    responseHeadersEnabled: true,
    extraResponseHeaders: { 'X-Corpus': 'edge', 'Server-Timing': 'miss' },
    hstsEnabled: true,
    hstsMaxAgeSeconds: 63072000,
    hstsIncludeSubdomains: true,
    hstsPreload: true,
    crossOriginIsolationEnabled: true,
    crossOriginOpenerPolicy: 'same-origin-allow-popups',
    crossOriginEmbedderPolicy: 'credentialless',
    crossOriginResourcePolicy: 'same-origin',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    xXssProtection: '0',
    xContentTypeOptionsEnabled: true,
    permissionsPolicyEnabled: true,
    permissionsPolicyDirectives: { camera: '(self)', geolocation: '(self "https://maps.example.com")', usb: null },
    cspEnabled: true,
    cspConnectSrc: "'self' wss://ws.corpus.example.com",
    cspDefaultSrc: "'self'",
    cspFencedFrameSrc: "'none'",
    cspFontSrc: "'self' https://fonts.gstatic.com",
    cspFrameSrc: 'https://www.youtube-nocookie.com',
    cspImgSrc: "'self' data: https:",
    cspManifestSrc: "'self'",
    cspMediaSrc: "'self'",
    cspObjectSrc: "'none'",
    cspScriptSrc: "'self' 'nonce-corpus'",
    cspScriptSrcElem: "'self'",
    cspStyleSrc: "'self' 'unsafe-inline'",
    cspStyleSrcElem: "'self'",
    cspStyleSrcAttr: null,
    cspWorkerSrc: "'self' blob:",
    cspBaseUri: "'self'",
    cspSandbox: 'allow-scripts allow-same-origin',
    cspFormAction: "'self'",
    cspFrameAncestors: "'none'",
    cspReportUri: 'https://csp.corpus.example.com/report',
    cspReportTo: 'csp-endpoint',
    corsEnabled: true,
    corsAllowedMethods: ['get', 'POST', 'OPTIONS'],
    corsAllowedHeaders: ['Content-Type', 'Authorization', 'X-Requested-With'],
    corsExposedHeaders: ['X-Request-Id', 'Content-Length'],
    corsMaxAgeSeconds: 600,
    corsAllowedOriginsSelf: true,
    corsAllowedOriginsSubdomains: true,
    corsAllowedOriginsSiblingDomains: false,
    corsExtraAllowedOrigins: ['https://partner.example.org', 'https://*.trusted.example.net'],
    corsAllowCredentials: true,
  });

  new KubeIngress(stack, 'admin-ingress', {
    namespace: ns,
    name: 'admin',
    domains: [`admin.${CORPUS_ZONE}`],
    ingressConfigs: [{ pathPrefix: '/admin/', service: api.serviceName!, servicePort: 8080, tlsSecretName: 'corpus-wildcard-tls' }],
    cdnModeEnabled: false,
    generateCertEnabled: false,
    responseHeadersEnabled: false,
    rateLimitingEnabled: false,
    stickySessionsEnabled: false,
    sslRedirectEnabled: false,
    corsEnabled: true,
    corsAllowedOriginsAny: true,
    corsAllowCredentials: false,
  });

  const waf = new Wafv2WebAcl(stack, 'cdn-waf', {
    name: 'corpus-cdn',
    description: 'Corpus CloudFront protection',
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'corpus-cdn', sampledRequestsEnabled: true },
    ruleJson: JSON.stringify([
      {
        Name: 'aws-common',
        Priority: 1,
        OverrideAction: { None: {} },
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'aws-common', SampledRequestsEnabled: true },
      },
      {
        Name: 'rate-limit',
        Priority: 2,
        Action: { Block: {} },
        Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP' } },
        VisibilityConfig: { CloudWatchMetricsEnabled: true, MetricName: 'rate-limit', SampledRequestsEnabled: true },
      },
    ]),
    provider: awsGlobal,
  });

  // An origin not served by a KubeIngress: the edge strips its prefix and rewrites paths.
  const assetsOrigin: CdnOriginConfig = {
    originId: 'assets',
    originDomain: `assets-origin.${CORPUS_ZONE}`,
    domains: [`assets.${CORPUS_ZONE}`],
    pathPrefix: '/assets/',
    removePrefix: true,
    rewriteRules: [{ match: 'img/(.*)\\.png', rewrite: 'images/$1.webp' }],
    extraOriginHeaders: { 'X-Assets-Key': 'corpus' },
    defaultCacheBehavior: { defaultTtl: 86400, cookiesInCacheKey: [], queryStringsInCacheKey: [] },
    pathMatchBehavior: { 'fonts/*': { defaultTtl: 31536000, minTtl: 86400, headersInCacheKey: ['Origin'] } },
  };
  const cdn = new KubeAwsCdn(stack, 'web-cdn', {
    name: 'corpus-web',
    description: 'Corpus web distribution',
    originConfigs: [...webIngress.cdnOriginConfigs, assetsOrigin],
    domains: [`www.${CORPUS_ZONE}`, CORPUS_ZONE, `assets.${CORPUS_ZONE}`],
    globalProvider: awsGlobal!,
    awsProvider: aws,
    hostedZoneIds: { [CORPUS_ZONE]: 'Z0123456789CORPUS' },
    hostedZoneNames: ['example.com'],
    redirectRules: [
      { source: `^https://${CORPUS_ZONE.replace(/\./g, '\\.')}/(.*)$`, target: `https://www.${CORPUS_ZONE}/$1`, permanent: true, preserveQueryString: true },
      { source: '^https://[^/]+/docs$', target: 'https://docs.example.com/', permanent: false, preserveQueryString: false },
    ],
    corsEnabled: true,
    corsMaxAgeSeconds: 7200,
    corsAllowedHeaders: ['Content-Length', 'Content-Type', 'Authorization'],
    corsAllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'POST'],
    corsAdditionalAllowedOrigins: ['https://partner.example.org'],
    corsAllowCredentials: true,
    priceClass: 'PriceClass_All',
    geoRestrictionType: 'whitelist',
    geoRestrictionList: ['US', 'CA', 'DE', 'GB'],
    originShieldEnabled: true,
    loggingEnabled: true,
    loggingCookiesEnabled: true,
    loggingExpireAfterDays: 90,
    customErrorResponses: [
      { errorCode: 404, responseCode: 404, responsePagePath: '/errors/404.html', errorCachingMinTtl: 60 },
      { errorCode: 503, errorCachingMinTtl: 5 },
      { errorCode: 500, responseCode: 200, responsePagePath: '/errors/maintenance.html' },
    ],
    minimumProtocolVersion: 'TLSv1.2_2025',
    webAclArn: waf.arn,
    hstsMaxAgeSeconds: 63072000,
    hstsPreload: true,
    tags: { team: 'platform', 'cost-center': 'cc-1234' },
  });

  const adminCdn = new KubeAwsCdn(stack, 'admin-cdn', {
    name: 'corpus-admin',
    originConfigs: [{ originDomain: `admin-origin.${CORPUS_ZONE}`, domains: [`admin-edge.${CORPUS_ZONE}`], pathPrefix: '/' }],
    globalProvider: awsGlobal!,
    awsProvider: aws,
    hostedZoneNames: [CORPUS_ZONE],
    priceClass: 'PriceClass_200',
    geoRestrictionType: 'blacklist',
    geoRestrictionList: ['KP', 'IR'],
    originShieldEnabled: true,
    originShieldRegion: 'eu-central-1',
    minimumProtocolVersion: 'TLSv1.3_2025',
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/corpus-admin/11111111-2222-3333-4444-555555555555',
    responseHeadersPolicyId: MANAGED_SECURITY_HEADERS_POLICY_ID,
  });

  new TerraformOutput(stack, 'web_distribution_id', { value: cdn.distributionId });
  new TerraformOutput(stack, 'web_distribution_domain', { value: cdn.distributionDomainName });
  new TerraformOutput(stack, 'web_log_bucket', { value: cdn.loggingBucketName! });
  new TerraformOutput(stack, 'web_certificate_arn', { value: cdn.certificateArn });
  new TerraformOutput(stack, 'admin_distribution_arn', { value: adminCdn.distributionArn });
  new TerraformOutput(stack, 'web_path_patterns', { value: cdn.pathPatterns });
  return stack;
}
