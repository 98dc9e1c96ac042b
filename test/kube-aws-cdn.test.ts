import { TerraformStack, TerraformVariable } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubeAwsCdn, KubeAwsCdnProps } from '../lib/constructs/kube-aws-cdn';
import { CdnOriginConfig, comparePathPatterns, matchHostedZone } from '../lib/aws/cdn';
import { newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const ORIGIN: CdnOriginConfig = { originId: 'web', originDomain: 'abc.app.example.com', domains: ['app.example.com'] };

function stackWithProviders(globalRegion = 'us-east-1') {
  const { stack } = newStack();
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const global = new AwsProvider(stack, 'global', { alias: 'global', region: globalRegion });
  return { stack, global };
}

function base(global: AwsProvider): KubeAwsCdnProps {
  return { name: 'web', originConfigs: [ORIGIN], globalProvider: global, hostedZoneIds: { 'example.com': 'Z123' } };
}

function build(props: Partial<KubeAwsCdnProps> = {}) {
  const { stack, global } = stackWithProviders();
  const cdn = new KubeAwsCdn(stack, 'cdn', { ...base(global), ...props });
  const json = synth(stack as TerraformStack).json;
  const r = json.resource;
  const one = (type: string) => {
    const values = Object.values(r[type] ?? {});
    if (values.length !== 1) throw new Error(`expected one ${type}, found ${values.length}`);
    return values[0] as any;
  };
  return { cdn, json, r, one, dist: one('aws_cloudfront_distribution') };
}

describe('KubeAwsCdn defaults', () => {
  const { cdn, r, one, dist } = build();

  test('ACM certificate in us-east-1 (global provider), DNS validated, first domain primary', () => {
    const cert = one('aws_acm_certificate');
    expect(cert.provider).toBe('aws.global');
    expect(cert.domain_name).toBe('app.example.com');
    expect(cert.subject_alternative_names).toEqual([]);
    expect(cert.validation_method).toBe('DNS');
    expect(cert.lifecycle.create_before_destroy).toBe(true);
    const validation = one('aws_acm_certificate_validation');
    expect(validation.provider).toBe('aws.global');
    expect(validation.validation_record_fqdns).toMatch(/aws_route53_record\.cdn_CertificateValidationRecord_\w+: val\.fqdn/);
  });

  test('validation records per domain in the matching zone, keyed by the configured domains', () => {
    const rec: any = Object.entries(r.aws_route53_record).find(([k]) => k.includes('CertificateValidationRecord'))![1];
    // Keys from the certificate's domain_validation_options are unknown at plan once there are
    // several domains ("Invalid for_each argument" in the e2e apply): the keys are the domains.
    expect(rec.for_each).not.toContain('domain_validation_options');
    expect(rec.for_each).toMatch(/^\$\{toset\(\[/);
    expect(rec.name).toMatch(/local\.cdn_ValidationOptions_\w+\[each\.value\]\.resource_record_name/);
    expect(rec.zone_id).toMatch(/local\.cdn_ValidationZoneIds_\w+\[each\.value\]/);
    expect(rec.ttl).toBe(60);
    expect(rec.allow_overwrite).toBe(true);
  });

  test('A and AAAA alias records per domain', () => {
    const aliases = Object.entries(r.aws_route53_record).filter(([k]) => k.includes('Alias')).map(([, v]) => v as any);
    expect(aliases.map((a) => a.type).sort()).toEqual(['A', 'AAAA']);
    for (const a of aliases) {
      expect(a.zone_id).toBe('Z123');
      expect(a.name).toBe('app.example.com');
      expect(a.alias.evaluate_target_health).toBe(false);
      expect(a.alias.name).toMatch(/aws_cloudfront_distribution\.\w+\.domain_name/);
    }
  });

  test('distribution: enabled, IPv6, aliases, PriceClass_100, no geo restriction, no WAF, no logging', () => {
    expect(dist.enabled).toBe(true);
    expect(dist.is_ipv6_enabled).toBe(true);
    expect(dist.aliases).toEqual(['app.example.com']);
    expect(dist.price_class).toBe('PriceClass_100');
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: 'none', locations: [] });
    expect(dist.web_acl_id).toBeUndefined();
    expect(dist.logging_config).toBeUndefined();
    expect(dist.wait_for_deployment).toBe(false);
    expect(dist.comment).toBe('web');
    expect(dist.tags).toEqual({ Name: 'web', description: 'web' });
  });

  test('viewer TLSv1.2_2021 with SNI and the validated certificate', () => {
    expect(dist.viewer_certificate).toEqual({
      acm_certificate_arn: expect.stringMatching(/aws_acm_certificate_validation\.\w+\.certificate_arn/),
      minimum_protocol_version: 'TLSv1.2_2021',
      ssl_support_method: 'sni-only',
    });
  });

  test('https-only origin with TLSv1.2, no Origin Shield', () => {
    expect(dist.origin).toEqual([{
      origin_id: 'web',
      domain_name: 'abc.app.example.com',
      custom_origin_config: { origin_protocol_policy: 'https-only', http_port: 80, https_port: 443, origin_ssl_protocols: ['TLSv1.2'], origin_keepalive_timeout: 60, origin_read_timeout: 60 },
      custom_header: [],
    }]);
  });

  test('catch-all default behaviour answers 404 through the error function', () => {
    const fn = Object.entries(r.aws_cloudfront_function).find(([k]) => k.includes('ErrorFunction'))!;
    expect(dist.default_cache_behavior.viewer_protocol_policy).toBe('redirect-to-https');
    expect(dist.default_cache_behavior.function_association).toEqual([{ event_type: 'viewer-request', function_arn: `\${aws_cloudfront_function.${fn[0]}.arn}` }]);
    expect((fn[1] as any).runtime).toBe('cloudfront-js-2.0');
    expect((fn[1] as any).provider).toBe('aws.global');
    expect((fn[1] as any).publish).toBe(true);
  });

  test('one ordered behaviour per origin with its own cache and origin-request policies, no edge functions', () => {
    expect(dist.ordered_cache_behavior).toHaveLength(1);
    const b = dist.ordered_cache_behavior[0];
    expect(b.path_pattern).toBe('/*');
    expect(b.target_origin_id).toBe('web');
    expect(b.allowed_methods).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
    expect(b.cached_methods).toEqual(['GET', 'HEAD']);
    expect(b.compress).toBe(true);
    expect(b.function_association).toEqual([]);
    const cp = one('aws_cloudfront_cache_policy');
    expect([cp.min_ttl, cp.default_ttl, cp.max_ttl]).toEqual([0, 86400, 31536000]);
    const keys = cp.parameters_in_cache_key_and_forwarded_to_origin;
    expect(keys.cookies_config).toEqual({ cookie_behavior: 'all' });
    expect(keys.query_strings_config).toEqual({ query_string_behavior: 'all' });
    expect(keys.headers_config.header_behavior).toBe('whitelist');
    expect(keys.headers_config.headers.items).toContain('Authorization');
    expect(keys.enable_accept_encoding_gzip).toBe(true);
    const orp = one('aws_cloudfront_origin_request_policy');
    expect(orp.cookies_config).toEqual({ cookie_behavior: 'all' });
    expect(orp.headers_config).toEqual({ header_behavior: 'allViewer' });
    expect(orp.query_strings_config).toEqual({ query_string_behavior: 'all' });
    expect(b.cache_policy_id).toMatch(/aws_cloudfront_cache_policy/);
    expect(b.origin_request_policy_id).toMatch(/aws_cloudfront_origin_request_policy/);
  });

  test('a security response headers policy (HSTS overrides, the origin wins for the rest)', () => {
    const p = one('aws_cloudfront_response_headers_policy');
    expect(p.security_headers_config.strict_transport_security).toEqual({ access_control_max_age_sec: 31536000, include_subdomains: true, preload: false, override: true });
    expect(p.security_headers_config.frame_options).toEqual({ frame_option: 'SAMEORIGIN', override: false });
    expect(dist.ordered_cache_behavior[0].response_headers_policy_id).toMatch(/aws_cloudfront_response_headers_policy/);
    expect(dist.default_cache_behavior.response_headers_policy_id).toBe(dist.ordered_cache_behavior[0].response_headers_policy_id);
  });

  test('outputs', () => {
    expect(cdn.domains).toEqual(['app.example.com']);
    expect(cdn.pathPatterns).toEqual(['/*']);
    expect(cdn.loggingBucketName).toBeUndefined();
    expect(cdn.distributionId).toMatch(/TOKEN/);
  });
});

describe('KubeAwsCdn props', () => {
  test('path behaviours ordered by specificity, not input order', () => {
    const { dist, cdn } = build({
      originConfigs: [
        { originId: 'root', originDomain: 'o.app.example.com', domains: ['app.example.com'], pathMatchBehavior: { '*.js': {}, 'static/*': { defaultTtl: 60 } } },
        { originId: 'api', originDomain: 'o.app.example.com', domains: ['app.example.com'], pathPrefix: '/api', pathMatchBehavior: { 'v1/docs/*': { cachingEnabled: false } } },
      ],
    });
    expect(cdn.pathPatterns).toEqual(['/api/v1/docs/*', '/static/*', '/api/*', '/*.js', '/*']);
    expect(dist.ordered_cache_behavior.map((b: any) => [b.path_pattern, b.target_origin_id])).toEqual([
      ['/api/v1/docs/*', 'api'], ['/static/*', 'root'], ['/api/*', 'api'], ['/*.js', 'root'], ['/*', 'root'],
    ]);
    // Origins in reverse lexical prefix order (as aws_cdn): the never-matching catch-all targets the first.
    expect(dist.origin.map((o: any) => o.origin_id)).toEqual(['api', 'root']);
    expect(dist.default_cache_behavior.target_origin_id).toBe('api');
  });

  test('a path behaviour with caching disabled: TTLs 0 and nothing in the key; it keeps its origin request policy', () => {
    const { r, dist } = build({ originConfigs: [{ ...ORIGIN, pathMatchBehavior: { 'live/*': { cachingEnabled: false, headersNotForwarded: ['x-a'] } } }] });
    const policies = Object.values(r.aws_cloudfront_cache_policy) as any[];
    const off = policies.find((p) => p.default_ttl === 0)!;
    expect([off.min_ttl, off.max_ttl]).toEqual([0, 0]);
    expect(off.parameters_in_cache_key_and_forwarded_to_origin.cookies_config).toEqual({ cookie_behavior: 'none' });
    expect(off.parameters_in_cache_key_and_forwarded_to_origin.enable_accept_encoding_brotli).toBe(false);
    const [live, root] = dist.ordered_cache_behavior;
    expect(live.path_pattern).toBe('/live/*');
    expect(live.origin_request_policy_id).toBe(root.origin_request_policy_id);
  });

  test('not-forwarded lists become allExcept', () => {
    const { one } = build({ originConfigs: [{ ...ORIGIN, defaultCacheBehavior: { cookiesNotForwarded: ['session'], headersNotForwarded: ['x-b', 'x-a'] } }] });
    const orp = one('aws_cloudfront_origin_request_policy');
    expect(orp.cookies_config).toEqual({ cookie_behavior: 'allExcept', cookies: { items: ['session'] } });
    expect(orp.headers_config).toEqual({ header_behavior: 'allExcept', headers: { items: ['x-a', 'x-b'] } });
  });

  test('redirects, CORS and rewrites through CloudFront functions (request per origin, response everywhere)', () => {
    const { r, dist } = build({
      redirectRules: [{ source: '^https://www\\.example\\.com/(.*)$', target: 'https://app.example.com/$1', permanent: true }],
      corsEnabled: true,
      corsAdditionalAllowedOrigins: ['https://partner.example.org'],
      originConfigs: [{ ...ORIGIN, pathPrefix: '/api', removePrefix: true, rewriteRules: [{ match: 'v1/(.*)', rewrite: '$1' }] }],
    });
    const fns = Object.entries(r.aws_cloudfront_function) as [string, any][];
    const request = fns.find(([k]) => k.includes('RequestFunction'))!;
    const response = fns.find(([k]) => k.includes('ResponseFunction'))!;
    expect(request[1].code).toContain('www\\\\.example\\\\.com');
    expect(request[1].code).toContain('https://partner.example.org');
    expect(request[1].code).toContain('const STRIP = true');
    expect(request[1].name).toMatch(/^web-request-web-[0-9a-f]{8}$/);
    expect(response[1].code).toContain('access-control-allow-origin');
    expect(dist.ordered_cache_behavior[0].function_association).toEqual([
      { event_type: 'viewer-request', function_arn: `\${aws_cloudfront_function.${request[0]}.arn}` },
      { event_type: 'viewer-response', function_arn: `\${aws_cloudfront_function.${response[0]}.arn}` },
    ]);
    // No Terraform interpolation can sneak into function code.
    for (const [, f] of fns) expect(f.code).not.toMatch(/\$\{|%\{/);
  });

  test('the synthesized request function runs: redirect, refused preflight, rewrite with prefix removal', () => {
    const { r } = build({
      redirectRules: [{ source: '^https://old\\.example\\.com/(.*)$', target: 'https://app.example.com/$1', permanent: true }],
      corsEnabled: true,
      originConfigs: [{ ...ORIGIN, pathPrefix: '/api', removePrefix: true, rewriteRules: [{ match: 'v1/(.*)', rewrite: 'v2/$1' }] }],
    });
    const code = (Object.entries(r.aws_cloudfront_function) as [string, any][]).find(([k]) => k.includes('RequestFunction'))![1].code;
    const handler = new Function(`${code}; return handler;`)();
    const event = (host: string, uri: string, method = 'GET', headers: Record<string, string> = {}) => ({
      request: { method, uri, querystring: {}, headers: Object.fromEntries(Object.entries({ host, ...headers }).map(([k, val]) => [k, { value: val }])) },
    });
    const redirect = handler(event('old.example.com', '/a/b'));
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location.value).toBe('https://app.example.com/a/b');
    const refused = handler(event('app.example.com', '/api/x', 'OPTIONS', { origin: 'https://evil.example.org', 'access-control-request-method': 'POST' }));
    expect(refused.statusCode).toBe(403);
    const allowed = handler(event('app.example.com', '/api/x', 'OPTIONS', { origin: 'https://app.example.com', 'access-control-request-method': 'GET' }));
    expect(allowed.statusCode).toBe(204);
    expect(handler(event('app.example.com', '/api/v1/users')).uri).toBe('/v2/users');
    expect(handler(event('app.example.com', '/api/other')).uri).toBe('/other');
  });

  test('logging bucket: private, encrypted, ACL-capable, expiring; distribution logs to it', () => {
    const { r, dist, one, cdn } = build({ loggingEnabled: true, loggingCookiesEnabled: true, loggingExpireAfterDays: 30 });
    const bucket = one('aws_s3_bucket');
    expect(bucket.bucket_prefix).toBe('web-logs-');
    expect(one('aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerPreferred');
    expect(one('aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(one('aws_s3_bucket_server_side_encryption_configuration').rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
    expect(one('aws_s3_bucket_lifecycle_configuration').rule[0].expiration[0].days).toBe(30);
    expect(dist.logging_config).toEqual({ bucket: expect.stringMatching(/aws_s3_bucket\.\w+\.bucket_domain_name/), include_cookies: true });
    expect(dist.depends_on.some((d: string) => d.includes('aws_s3_bucket_ownership_controls'))).toBe(true);
    expect(cdn.loggingBucketName).toMatch(/TOKEN/);
    expect(r.aws_s3_bucket_lifecycle_configuration).toBeDefined();
  });

  test('no lifecycle rule when logs are kept forever', () => {
    const { r } = build({ loggingEnabled: true });
    expect(r.aws_s3_bucket_lifecycle_configuration).toBeUndefined();
  });

  test('Origin Shield: given region, or mapped from the looked-up region', () => {
    expect(build({ originShieldEnabled: true, originShieldRegion: 'eu-west-2' }).dist.origin[0].origin_shield).toEqual({ enabled: true, origin_shield_region: 'eu-west-2' });
    const looked = build({ originShieldEnabled: true });
    expect(looked.dist.origin[0].origin_shield.origin_shield_region).toMatch(/lookup\(.*"us-west-1" = "us-west-2".*data\.aws_region\.\w+\.region/);
  });

  test('geo restriction, custom errors, price class, TLS policy, WAF, headers, tags, description', () => {
    const waf = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0123abcd-0123-0123-0123-0123456789ab';
    const { dist, one } = build({
      geoRestrictionType: 'whitelist', geoRestrictionList: ['US', 'CA'],
      customErrorResponses: [{ errorCode: 503, errorCachingMinTtl: 10 }, { errorCode: 404, responseCode: 200, responsePagePath: '/index.html' }],
      priceClass: 'PriceClass_All', minimumProtocolVersion: 'TLSv1.3_2025', webAclArn: waf,
      originConfigs: [{ ...ORIGIN, extraOriginHeaders: { 'X-Origin-Verify': 'secret' } }],
      hstsPreload: true, hstsMaxAgeSeconds: 63072000, tags: { team: 'web' }, description: 'Example',
    });
    expect(dist.restrictions.geo_restriction).toEqual({ restriction_type: 'whitelist', locations: ['US', 'CA'] });
    expect(dist.custom_error_response).toEqual([
      { error_code: 503, error_caching_min_ttl: 10 },
      { error_code: 404, response_code: 200, response_page_path: '/index.html', error_caching_min_ttl: 3600 },
    ]);
    expect(dist.price_class).toBe('PriceClass_All');
    expect(dist.viewer_certificate.minimum_protocol_version).toBe('TLSv1.3_2025');
    expect(dist.web_acl_id).toBe(waf);
    expect(dist.origin[0].custom_header).toEqual([{ name: 'X-Origin-Verify', value: 'secret' }]);
    expect(one('aws_cloudfront_response_headers_policy').security_headers_config.strict_transport_security).toMatchObject({ preload: true, access_control_max_age_sec: 63072000 });
    expect(dist.tags).toEqual({ team: 'web', Name: 'web', description: 'Example' });
  });

  test('an existing response headers policy is used as is', () => {
    const { r, dist } = build({ responseHeadersPolicyId: '67f7725c-6f97-4210-82d7-5512b31e9d03' });
    expect(r.aws_cloudfront_response_headers_policy).toBeUndefined();
    expect(dist.ordered_cache_behavior[0].response_headers_policy_id).toBe('67f7725c-6f97-4210-82d7-5512b31e9d03');
  });

  test('domains: explicit list, several domains as SANs, zones by longest dot-boundary suffix, lookups by name', () => {
    const { one, r } = build({
      domains: ['app.example.com', 'app.eu.example.com', 'badexample.com'],
      hostedZoneIds: { 'example.com': 'Z1', 'eu.example.com': 'Z2' },
      hostedZoneNames: ['badexample.com'],
    });
    expect(one('aws_acm_certificate').subject_alternative_names).toEqual(['app.eu.example.com', 'badexample.com']);
    const zoneOf = (name: string) => (Object.values(r.aws_route53_record) as any[]).find((x) => x.name === name && x.type === 'A').zone_id;
    expect(zoneOf('app.example.com')).toBe('Z1');
    expect(zoneOf('app.eu.example.com')).toBe('Z2');
    expect(zoneOf('badexample.com')).toMatch(/data\.aws_route53_zone\.[\w-]+\.zone_id/);
    expect(Object.values(r.aws_route53_record).length).toBe(7);
  });

  test('matchHostedZone and comparePathPatterns', () => {
    expect(matchHostedZone('a.b.example.com', ['example.com', 'b.example.com', 'le.com'])).toBe('b.example.com');
    expect(matchHostedZone('badexample.com', ['example.com'])).toBeUndefined();
    expect(matchHostedZone('example.com', ['example.com.'])).toBe('example.com.');
    expect(['/*', '/a/*', '/a/b*', '/*.js'].sort(comparePathPatterns)).toEqual(['/a/b*', '/a/*', '/*.js', '/*']);
  });

  test('tokens do not throw', () => {
    const { stack, global } = stackWithProviders();
    const acl = new TerraformVariable(stack, 'acl', { type: 'string' });
    const ttl = new TerraformVariable(stack, 'ttl', { type: 'number' });
    expect(() => new KubeAwsCdn(stack, 'cdn', { ...base(global), webAclArn: acl.stringValue, originConfigs: [{ ...ORIGIN, defaultCacheBehavior: { defaultTtl: ttl.numberValue } }] })).not.toThrow();
  });

  test('a global provider whose region is not a literal is accepted', () => {
    const { stack } = newStack();
    const region = new TerraformVariable(stack, 'region', { type: 'string' });
    const global = new AwsProvider(stack, 'global', { alias: 'global', region: region.stringValue });
    expect(() => new KubeAwsCdn(stack, 'cdn', base(global))).not.toThrow();
  });
});

describe('KubeAwsCdn errors', () => {
  const cases: [string, (g: AwsProvider) => Partial<KubeAwsCdnProps>, string, string?][] = [
    ['a CDN without domains', () => ({ originConfigs: [{ originDomain: 'o.example.com', domains: [] }] }), 'domains'],
    ['an empty domains list', () => ({ domains: [] }), 'domains'],
    ['no origins', () => ({ originConfigs: [] }), 'originConfigs'],
    ['duplicate path patterns', () => ({ originConfigs: [{ ...ORIGIN, pathMatchBehavior: { 'api/*': {} } }, { ...ORIGIN, originId: 'api', pathPrefix: '/api/' }] }), 'originConfigs[0].pathMatchBehavior["api/*"]'],
    ['duplicate origin ids', () => ({ originConfigs: [ORIGIN, { ...ORIGIN, pathPrefix: '/x' }] }), 'originConfigs[1].originId'],
    ['a geo restriction list without a type', () => ({ geoRestrictionList: ['US'] }), 'geoRestrictionType'],
    ['a geo restriction type without a list', () => ({ geoRestrictionType: 'blacklist' }), 'geoRestrictionList'],
    ['a lower-case country code', () => ({ geoRestrictionType: 'blacklist', geoRestrictionList: ['us'] }), 'geoRestrictionList[0]'],
    ['an unknown price class', () => ({ priceClass: 'PriceClass_50' as any }), 'priceClass'],
    ['a TLS policy below TLSv1.2_2021', () => ({ minimumProtocolVersion: 'TLSv1.2_2019' as any }), 'minimumProtocolVersion'],
    ['a regional WAF ACL', () => ({ webAclArn: 'arn:aws:wafv2:us-east-2:123456789012:regional/webacl/x/y' }), 'webAclArn'],
    ['a 3xx custom error code', () => ({ customErrorResponses: [{ errorCode: 302 }] }), 'customErrorResponses[0].errorCode'],
    ['a duplicate custom error code', () => ({ customErrorResponses: [{ errorCode: 404 }, { errorCode: 404 }] }), 'customErrorResponses[1].errorCode'],
    ['a response code without a page', () => ({ customErrorResponses: [{ errorCode: 404, responseCode: 200 }] }), 'customErrorResponses[0]'],
    ['a relative error page', () => ({ customErrorResponses: [{ errorCode: 404, responseCode: 200, responsePagePath: 'x.html' }] }), 'customErrorResponses[0].responsePagePath'],
    ['no hosted zone', () => ({ hostedZoneIds: undefined }), 'hostedZoneIds'],
    ['a domain outside every zone', () => ({ hostedZoneIds: { 'example.org': 'Z1' } }), 'domains[0]'],
    ['a name with spaces', () => ({ name: 'my cdn' }), 'name'],
    ['an origin without a scheme-less host', () => ({ originConfigs: [{ ...ORIGIN, originDomain: 'https://o.example.com' }] }), 'originConfigs[0].originDomain'],
    ['a relative path prefix', () => ({ originConfigs: [{ ...ORIGIN, pathPrefix: 'api' }] }), 'originConfigs[0].pathPrefix'],
    ['TTLs out of order', () => ({ originConfigs: [{ ...ORIGIN, defaultCacheBehavior: { defaultTtl: 10, maxTtl: 5 } }] }), 'originConfigs[0].defaultCacheBehavior.defaultTtl'],
    ['an unknown viewer protocol policy', () => ({ originConfigs: [{ ...ORIGIN, defaultCacheBehavior: { viewerProtocolPolicy: 'http-only' as any } }] }), 'originConfigs[0].defaultCacheBehavior.viewerProtocolPolicy'],
    ['an unknown Origin Shield region', () => ({ originShieldEnabled: true, originShieldRegion: 'us-west-1' }), 'originShieldRegion'],
    ['a redirect regex that does not compile', () => ({ redirectRules: [{ source: '(', target: '/' }] }), 'originConfigs[0].viewerRequest.redirectRules[0].source'],
    ['CORS credentials with any origin', () => ({ corsEnabled: true, corsAllowCredentials: true, corsAdditionalAllowedOrigins: ['*'] }), 'corsAllowCredentials'],
  ];
  test.each(cases)('%s', (_label, props, field) => {
    const { stack, global } = stackWithProviders();
    const error = errorOf(() => new KubeAwsCdn(stack, 'cdn', { ...base(global), ...props(global) }));
    expect(error.field).toBe(field);
    expect(error.path).toBe('test/cdn');
    expect(error.fix.length).toBeGreaterThan(10);
  });

  test('a certificate outside us-east-1 (global provider in another region)', () => {
    const { stack, global } = stackWithProviders('eu-west-1');
    const error = errorOf(() => new KubeAwsCdn(stack, 'cdn', base(global)));
    expect(error.field).toBe('globalProvider');
    expect(error.value).toBe('eu-west-1');
    expect(error.fix).toContain('us-east-1');
  });
});
