import { Fn, TerraformIterator, TerraformLocal, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import type { CloudfrontDistributionOrderedCacheBehavior } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { PropValidator, isListToken, isToken } from '../core/validation';
import {
  CdnOriginConfig, ORIGIN_SHIELD_REGIONS, ResolvedCdnCacheBehavior, cacheKeyConfig, cdnHash, collapseSlashes,
  comparePathPatterns, forwardConfig, matchHostedZone, normalizePathPrefix, resolveCacheBehavior, synthHash,
} from '../aws/cdn';
import {
  CLOUDFRONT_FUNCTION_RUNTIME, CdnCorsConfig, CdnRedirectRule, corsOriginsForDomains, needsViewerRequestFunction,
  notFoundFunctionCode, refuseTokensInCode, viewerRequestFunctionCode, viewerResponseFunctionCode,
} from '../aws/cdn-functions';
import { checkConstructProps } from './construct-props';
import { enableCollisionCheck } from './collisions';
// AWS provider classes, loaded on first use (aws-classes.ts).
import { AcmCertificate, AcmCertificateValidation, CloudfrontCachePolicy, CloudfrontDistribution, CloudfrontFunction, CloudfrontOriginRequestPolicy, CloudfrontResponseHeadersPolicy, DataAwsRegion, DataAwsRoute53Zone, Route53Record, S3Bucket, S3BucketLifecycleConfiguration, S3BucketOwnershipControls, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA } from './aws-classes';


/**
 * The CloudFront price class (which edge locations serve the distribution).
 *
 * @group Edge & AWS
 */
export type CdnPriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
/**
 * How a CloudFront distribution restricts viewers by country.
 *
 * @group Edge & AWS
 */
export type CdnGeoRestrictionType = 'none' | 'whitelist' | 'blacklist';
/**
 * The minimum TLS version CloudFront accepts from viewers.
 *
 * @group Edge & AWS
 */
export type CdnMinimumProtocolVersion = 'TLSv1.2_2021' | 'TLSv1.2_2025' | 'TLSv1.3_2025';

/**
 * A custom error response (Panfactum's custom_error_responses element).
 *
 * @group Edge & AWS
 */
export interface CdnCustomErrorResponse {
  /** HTTP status from the origin, 4xx or 5xx (e.g. 404). */
  readonly errorCode: number;
  /** Status sent to the viewer instead. @default - the error code */
  readonly responseCode?: number;
  /** Page served instead (a path on the distribution, e.g. "/404.html"). @default - the origin's body */
  readonly responsePagePath?: string;
  /** Seconds CloudFront caches the error. @default 3600 */
  readonly errorCachingMinTtl?: number;
}

/**
 * Props of `KubeAwsCdn`: the origins, domains, certificate and cache behaviours of a CloudFront distribution.
 *
 * @group Edge & AWS
 */
export interface KubeAwsCdnProps {
  /** Name of the CDN: comment, tags and the prefix of policy and function names. */
  readonly name: string;
  /** Description tag. @default - the name */
  readonly description?: string;
  /** Origins, normally the `cdnOriginConfigs` of one or more KubeIngress in CDN mode. */
  readonly originConfigs: CdnOriginConfig[];
  /** Viewer domains (aliases); the first is the certificate's primary name. @default - union of the origins' domains */
  readonly domains?: string[];
  /**
   * AWS provider in us-east-1 for the ACM certificate and the CloudFront functions (CloudFront
   * only uses certificates from us-east-1). Required: constructs never create providers.
   */
  readonly globalProvider: TerraformProvider;
  /** AWS provider for Route53, policies, the distribution and the log bucket. @default - the stack's default aws provider */
  readonly awsProvider?: TerraformProvider;
  /** Route53 hosted zones by name (`{ "example.com": "Z123..." }`); each domain uses its longest matching zone. @default {} */
  readonly hostedZoneIds?: Record<string, string>;
  /** Route53 public hosted zones looked up by name at plan time (`["example.com"]`). @default [] */
  readonly hostedZoneNames?: string[];
  /** Edge redirects (regex on `https://<host><path>`), tried in order. @default [] */
  readonly redirectRules?: CdnRedirectRule[];
  /** Answer CORS at the edge (CloudFront functions). @default false */
  readonly corsEnabled?: boolean;
  /** Preflight cache time in seconds. @default 3600 */
  readonly corsMaxAgeSeconds?: number;
  /** Access-Control-Allow-Headers. @default ["Content-Length"] */
  readonly corsAllowedHeaders?: string[];
  /** Access-Control-Allow-Methods. @default ["GET","HEAD"] */
  readonly corsAllowedMethods?: string[];
  /** Origins allowed besides `https://<domain>`; `*` allows any. @default [] */
  readonly corsAdditionalAllowedOrigins?: string[];
  /** Access-Control-Allow-Credentials. @default false */
  readonly corsAllowCredentials?: boolean;
  /** Price class. @default "PriceClass_100" */
  readonly priceClass?: CdnPriceClass;
  /** Geo restriction type. @default "none" */
  readonly geoRestrictionType?: CdnGeoRestrictionType;
  /** ISO 3166-1 alpha-2 country codes for the restriction. @default [] */
  readonly geoRestrictionList?: string[];
  /** Enable Origin Shield. @default false */
  readonly originShieldEnabled?: boolean;
  /** Origin Shield region. @default - the closest Origin Shield region to the awsProvider's region (looked up) */
  readonly originShieldRegion?: string;
  /** Write access logs to a private S3 bucket created here. @default false */
  readonly loggingEnabled?: boolean;
  /** Include cookies in access logs. @default false */
  readonly loggingCookiesEnabled?: boolean;
  /** Delete logs after this many days (0 keeps them). @default 0 */
  readonly loggingExpireAfterDays?: number;
  /** Custom error responses. @default [] */
  readonly customErrorResponses?: CdnCustomErrorResponse[];
  /** Minimum viewer TLS policy (SNI only). @default "TLSv1.2_2021" */
  readonly minimumProtocolVersion?: CdnMinimumProtocolVersion;
  /** ARN of a WAFv2 web ACL (scope CLOUDFRONT, us-east-1) to attach. @default - none */
  readonly webAclArn?: string;
  /** Use this response headers policy instead of the one created here. @default - a policy created here */
  readonly responseHeadersPolicyId?: string;
  /** HSTS max-age of the created response headers policy. @default 31536000 */
  readonly hstsMaxAgeSeconds?: number;
  /** HSTS preload in the created policy (CKV_AWS_259 wants it; submit the domain to the preload list first). @default false */
  readonly hstsPreload?: boolean;
  /** Tags for every AWS resource. @default {} */
  readonly tags?: Record<string, string>;
}

const PRICE_CLASSES: readonly CdnPriceClass[] = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];
const GEO_TYPES: readonly CdnGeoRestrictionType[] = ['none', 'whitelist', 'blacklist'];
const TLS_POLICIES: readonly CdnMinimumProtocolVersion[] = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];
/**
 * CloudFront's default quota "Cache behaviors per distribution" (AWS General Reference, Amazon
 * CloudFront endpoints and quotas; adjustable on request).
 */
export const MAX_CACHE_BEHAVIORS = 25;
/** CloudFront quota: custom headers CloudFront adds to the requests to one origin. */
export const MAX_ORIGIN_CUSTOM_HEADERS = 10;
const WAF_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[^/]+$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** A policy/function name of allowed characters within `max`. */
function awsName(parts: string[], max: number): string {
  const joined = parts.join('-').replace(/[^A-Za-z0-9_-]/g, '-');
  return joined.length <= max ? joined : `${joined.slice(0, max - 9)}-${cdnHash([joined], 8)}`;
}

interface Behavior {
  readonly pattern: string;
  readonly originId: string;
  readonly behavior: ResolvedCdnCacheBehavior;
  readonly cachePolicy: CloudfrontCachePolicy;
  readonly originRequestPolicy: CloudfrontOriginRequestPolicy;
  readonly requestFunction?: CloudfrontFunction;
}

/**
 * A CloudFront distribution in front of KubeIngress origins (Panfactum's kube_aws_cdn +
 * aws_cdn): an ACM certificate in us-east-1 validated by DNS in each domain's longest
 * matching Route53 zone, A and AAAA alias records, per-origin cache and origin-request
 * policies, path behaviours ordered by specificity, a security response headers policy,
 * CloudFront functions for redirects, CORS and rewrites, optional access logging, Origin
 * Shield, geo restriction, custom error responses, TLSv1.2_2021+ with SNI for viewers,
 * https-only TLSv1.2 to origins, and an optional WAFv2 web ACL.
 *
 * Children (ids are stable): `Certificate`, `CertificateValidationRecord`,
 * `CertificateValidation`, `Zone-<zone>`, `CachePolicy-<origin>`, `OriginRequestPolicy-<origin>`,
 * `PathCachePolicy-<hash>`, `ErrorFunction`, `RequestFunction-<origin>`, `ResponseFunction`,
 * `ResponseHeadersPolicy`, `LogBucket*`, `Distribution`, `AliasA-<domain>`, `AliasAAAA-<domain>`.
 *
 * @group Edge & AWS
 */
export class KubeAwsCdn extends Construct {
  public readonly distributionId: string;
  public readonly distributionArn: string;
  /** `dxxxx.cloudfront.net`. */
  public readonly distributionDomainName: string;
  public readonly certificateArn: string;
  public readonly loggingBucketName?: string;
  /** The aliases (first = certificate primary name). */
  public readonly domains: string[];
  /** Path patterns of the ordered behaviours, in CloudFront evaluation order. */
  public readonly pathPatterns: string[];
  /** Escape hatches. */
  public readonly distribution: CloudfrontDistribution;
  public readonly certificate: AcmCertificate;
  public readonly responseHeadersPolicy?: CloudfrontResponseHeadersPolicy;
  public readonly logBucket?: S3Bucket;

  constructor(scope: Construct, id: string, props: KubeAwsCdnProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeAwsCdn', props);
    enableCollisionCheck(this); // its AWS names must be unique in the account (lib/constructs/collisions.ts)
    const v = new PropValidator(this);
    const name = v.knownAtSynth('name', v.required('name', props.name),
      'it prefixes the names of the cache, origin request and response headers policies, the CloudFront functions and the log bucket');
    // Switches that decide which resources exist cannot wait for apply.
    const shape = 'it decides which resources are created';
    for (const k of ['corsEnabled', 'loggingEnabled', 'originShieldEnabled'] as const) v.knownAtSynth(k, props[k], shape);
    v.knownAtSynth('loggingExpireAfterDays', props.loggingExpireAfterDays, 'it decides whether the log bucket gets a lifecycle rule');
    if (!isToken(name) && (!NAME.test(name) || name.length > 40)) {
      v.fail('name', name, 'use at most 40 letters, digits, "-" or "_" (it prefixes policy and function names)', 'is not a valid CDN name');
    }
    const global = v.required('globalProvider', props.globalProvider);
    const globalRegion = (global as { region?: string }).region;
    if (globalRegion !== undefined && !isToken(globalRegion) && globalRegion !== 'us-east-1') {
      v.fail('globalProvider', globalRegion, 'pass an AWS provider configured with region "us-east-1" (new AwsProvider(stack, "global", { alias: "global", region: "us-east-1" })): CloudFront only accepts ACM certificates from us-east-1', 'puts the certificate outside us-east-1');
    }
    const aws = props.awsProvider;
    v.knownAtSynth('tags', props.tags, 'the Name and description tags are added to the map at synth', 'give the tags as an object in code; each value in it may be a token');
    const tags = { ...(props.tags ?? {}), Name: name, description: props.description ?? name };

    // ---- origins ----
    v.nonEmpty('originConfigs', v.required('originConfigs', props.originConfigs), 'give at least one origin, e.g. the cdnOriginConfigs of a KubeIngress with cdnModeEnabled: true');
    const aliases = 'each domain gets its certificate name, its validation zone and its DNS records at synth';
    const listInCode = 'give the domains as a list in code; each domain in it may be a token ([domain.stringValue])';
    if (isListToken(props.domains)) v.knownAtSynth('domains', props.domains, aliases, listInCode);
    props.originConfigs.forEach((o, i) => {
      if (o && isListToken(o.domains)) v.knownAtSynth(`originConfigs[${i}].domains`, o.domains, `${aliases}, and they name the origin`, listInCode);
    });
    const domains = [...new Set(props.domains ?? props.originConfigs.flatMap((o) => o.domains ?? []))];
    if (domains.length === 0) {
      v.fail('domains', domains, 'give the viewer domains (domains: ["app.example.com"]) or origins that carry domains (KubeIngress cdnOriginConfigs)', 'a CDN needs at least one domain');
    }
    domains.forEach((d, i) => v.dnsSubdomain(`domains[${i}]`, d));
    this.domains = domains;
    const origins = props.originConfigs.map((o, i) => {
      const f = `originConfigs[${i}]`;
      v.required(`${f}.originDomain`, o.originDomain);
      v.dnsSubdomain(`${f}.originDomain`, o.originDomain);
      const prefix = v.knownAtSynth(`${f}.pathPrefix`, o.pathPrefix ?? '/', 'it orders the cache behaviours and goes into the CloudFront function code');
      if (!isToken(prefix) && !prefix.startsWith('/')) v.fail(`${f}.pathPrefix`, prefix, 'start the prefix with "/", e.g. "/api/"', 'is not an absolute path');
      v.knownAtSynth(`${f}.originId`, o.originId, 'it names the origin\'s policies and function (construct ids)');
      // Known at synth even when the domains are tokens: each token counts as the same text.
      const originId = o.originId ?? synthHash([(o.domains ?? []).join(''), name, prefix]);
      return { ...o, index: i, field: f, originId, prefix: normalizePathPrefix(prefix), behavior: resolveCacheBehavior(v, `${f}.defaultCacheBehavior`, o.defaultCacheBehavior) };
    });
    const ids = new Map<string, { field: string; originId: string }>();
    origins.forEach((o) => {
      // The id names construct ids and AWS policy/function names, which keep only letters, digits,
      // '-' and '_': ids equal in that form would name the same things.
      const key = o.originId.replace(/[^A-Za-z0-9_-]/g, '-');
      const other = ids.get(key);
      if (other && other.originId === o.originId) v.fail(`${o.field}.originId`, o.originId, `origin ids must be unique (also used by ${other.field}); give each origin its own pathPrefix or originId`, 'is a duplicate');
      if (other) {
        v.fail(`${o.field}.originId`, o.originId, `give origin ids that differ in their letters, digits, "-" and "_": ${JSON.stringify(o.originId)} and ${JSON.stringify(other.originId)} (${other.field}) both become ${JSON.stringify(key)} in the names of the origin's policies and function`,
          `names the same policies as ${other.field}.originId`);
      }
      ids.set(key, { field: o.field, originId: o.originId });
    });
    // CloudFront quotas, checked before any policy is made (a huge map would otherwise cost minutes of synth).
    let behaviourCount = 0;
    origins.forEach((o) => {
      v.knownAtSynth(`${o.field}.pathMatchBehavior`, o.pathMatchBehavior, 'each pattern becomes a cache behaviour with its own cache policy',
        'give the patterns as an object literal; the values inside may hold tokens where a field accepts one');
      v.knownAtSynth(`${o.field}.extraOriginHeaders`, o.extraOriginHeaders, 'each header becomes a custom_header block of the origin',
        'give the headers as an object literal; each header value may be a token');
      const headers = Object.keys(o.extraOriginHeaders ?? {}).length;
      if (headers > MAX_ORIGIN_CUSTOM_HEADERS) {
        v.fail(`${o.field}.extraOriginHeaders`, Object.keys(o.extraOriginHeaders ?? {}),
          `give at most ${MAX_ORIGIN_CUSTOM_HEADERS} headers: CloudFront adds at most ${MAX_ORIGIN_CUSTOM_HEADERS} custom headers to the requests of one origin (quota "Custom headers: maximum number of custom headers that you can configure CloudFront to add to origin requests")`,
          `has ${headers} headers`);
      }
      behaviourCount += Object.keys(o.pathMatchBehavior ?? {}).length + 1;
    });
    if (behaviourCount > MAX_CACHE_BEHAVIORS) {
      const field = origins.length === 1 ? `${origins[0].field}.pathMatchBehavior` : 'originConfigs';
      v.fail(field, `<${behaviourCount} cache behaviours>`,
        `use at most ${MAX_CACHE_BEHAVIORS} cache behaviours in one distribution (each origin has one for its pathPrefix, plus one per pathMatchBehavior pattern): CloudFront's default quota "Cache behaviors per distribution" is ${MAX_CACHE_BEHAVIORS}; merge patterns (e.g. one "static/*" instead of one per file type), or split the origins over several distributions`,
        `makes ${behaviourCount} cache behaviours`);
    }
    // Reverse lexical order of prefixes: the first origin is the catch-all's target.
    origins.sort((a, b) => (a.prefix < b.prefix ? 1 : a.prefix > b.prefix ? -1 : 0));

    // ---- validation of the other inputs ----
    const priceClass = v.oneOf('priceClass', props.priceClass ?? 'PriceClass_100', PRICE_CLASSES);
    const geoType = v.oneOf('geoRestrictionType', props.geoRestrictionType ?? 'none', GEO_TYPES);
    const geoList = props.geoRestrictionList ?? [];
    if (!isToken(geoList)) {
      if (geoType === 'none' && geoList.length > 0) {
        v.fail('geoRestrictionType', geoType, 'set geoRestrictionType to "whitelist" (serve only these countries) or "blacklist" (block them), or remove geoRestrictionList', 'a geo restriction list needs a type');
      }
      // a type only known at apply may be "none" (found by the fuzz suite: a token type was refused)
      if (geoType !== 'none' && !isToken(geoType) && geoList.length === 0) {
        v.fail('geoRestrictionList', geoList, 'list ISO 3166-1 alpha-2 country codes such as ["US", "CA"]', `is empty for a ${geoType}`);
      }
      geoList.forEach((c, i) => {
        if (!isToken(c) && !/^[A-Z]{2}$/.test(c)) v.fail(`geoRestrictionList[${i}]`, c, 'use an upper-case ISO 3166-1 alpha-2 code such as "US"', 'is not a country code');
      });
    }
    const tlsPolicy = v.oneOf('minimumProtocolVersion', props.minimumProtocolVersion ?? 'TLSv1.2_2021', TLS_POLICIES);
    if (props.webAclArn !== undefined && !isToken(props.webAclArn) && !WAF_ARN.test(props.webAclArn)) {
      v.fail('webAclArn', props.webAclArn, 'give the ARN of a WAFv2 web ACL with scope CLOUDFRONT: arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>', 'is not a CloudFront WAFv2 web ACL ARN');
    }
    const errors = (props.customErrorResponses ?? []).map((e, i) => {
      const code = v.integer(`customErrorResponses[${i}].errorCode`, e.errorCode, 400, 599, 'use a 4xx or 5xx status code such as 404 or 503');
      if (e.responseCode !== undefined) v.integer(`customErrorResponses[${i}].responseCode`, e.responseCode, 200, 599, 'use an HTTP status code such as 200 or 404');
      if (e.responsePagePath !== undefined && !isToken(e.responsePagePath) && !e.responsePagePath.startsWith('/')) {
        v.fail(`customErrorResponses[${i}].responsePagePath`, e.responsePagePath, 'give a path starting with "/", e.g. "/404.html"', 'is not a path');
      }
      if ((e.responseCode === undefined) !== (e.responsePagePath === undefined)) {
        v.fail(`customErrorResponses[${i}]`, e, 'give both responseCode and responsePagePath, or neither', 'is incomplete');
      }
      return {
        errorCode: code,
        responseCode: e.responseCode,
        responsePagePath: e.responsePagePath,
        errorCachingMinTtl: v.integer(`customErrorResponses[${i}].errorCachingMinTtl`, e.errorCachingMinTtl ?? 3600, 0),
      };
    });
    const seenCodes = new Set<number>();
    errors.forEach((e, i) => {
      if (seenCodes.has(e.errorCode)) v.fail(`customErrorResponses[${i}].errorCode`, e.errorCode, 'give each error code once', 'is a duplicate');
      seenCodes.add(e.errorCode);
    });
    const expireDays = v.integer('loggingExpireAfterDays', props.loggingExpireAfterDays ?? 0, 0);

    // ---- Route53 zones: longest dot-boundary suffix ----
    const zoneIds: Record<string, string> = { ...(props.hostedZoneIds ?? {}) };
    const lookups = props.hostedZoneNames ?? [];
    const zoneNames = [...Object.keys(zoneIds), ...lookups];
    if (zoneNames.length === 0) {
      v.fail('hostedZoneIds', undefined, 'give the Route53 zones of the domains: hostedZoneIds ({ "example.com": "Z0123..." }) or hostedZoneNames (["example.com"], looked up at plan time)', 'no hosted zone');
    }
    if (isListToken(lookups)) {
      v.knownAtSynth('hostedZoneNames', lookups, 'each zone is looked up and matched to the domains at synth', 'give the zone names as a list of literal names, or the zone ids in hostedZoneIds (an id may be a token)');
    }
    lookups.forEach((zone, i) => v.knownAtSynth(`hostedZoneNames[${i}]`, zone, 'zones are matched to the domains at synth',
      'give the literal zone name, or the zone in hostedZoneIds ({ "example.com": zoneId }: the id may be a token)'));
    const zoneIdOf = new Map<string, string>();
    const lookupIds = new Map<string, { zone: string; index: number }>();
    lookups.forEach((zone, i) => {
      if (zoneIds[zone] !== undefined || zoneIdOf.has(zone)) return; // given by id, or listed twice
      // The construct id keeps letters, digits and '-': two names equal in that form would collide.
      const lookupId = `Zone-${zone.replace(/[^A-Za-z0-9-]/g, '_')}`;
      const other = lookupIds.get(lookupId);
      if (other) {
        v.fail(`hostedZoneNames[${i}]`, zone, `give each zone once, by its DNS name (e.g. "example.com"): ${JSON.stringify(zone)} and ${JSON.stringify(other.zone)} (hostedZoneNames[${other.index}]) name the same zone look-up`,
          `collides with hostedZoneNames[${other.index}]`);
      }
      lookupIds.set(lookupId, { zone, index: i });
      const data = new DataAwsRoute53Zone(this, lookupId, { name: zone, privateZone: false, provider: aws });
      zoneIdOf.set(zone, data.zoneId);
    });
    for (const [zone, zid] of Object.entries(zoneIds)) zoneIdOf.set(zone, zid);
    const domainZone: Record<string, string> = {};
    const distinctZones = [...new Set(zoneNames)];
    domains.forEach((d, i) => {
      if (isToken(d)) {
        // Which zone holds a domain known only at apply cannot be decided here, unless there is one.
        if (distinctZones.length !== 1) {
          v.fail(`domains[${i}]`, d, `give exactly one hosted zone (hostedZoneIds or hostedZoneNames) for a domain only known at apply, or a literal domain (zones given: ${distinctZones.join(', ')})`,
            'is a deploy-time token, so its hosted zone cannot be chosen at synth');
        }
        domainZone[d] = zoneIdOf.get(distinctZones[0])!;
        return;
      }
      const zone = matchHostedZone(d, zoneNames);
      if (zone === undefined) v.fail(`domains[${i}]`, d, `add the Route53 zone that holds ${d} to hostedZoneIds or hostedZoneNames (given: ${zoneNames.join(', ')})`, 'has no hosted zone');
      domainZone[d] = zoneIdOf.get(zone!)!;
    });

    // ---- ACM certificate in us-east-1, validated by DNS ----
    this.certificate = new AcmCertificate(this, 'Certificate', {
      domainName: domains[0],
      subjectAlternativeNames: domains.slice(1),
      validationMethod: 'DNS',
      keyAlgorithm: 'EC_prime256v1',
      tags,
      lifecycle: { createBeforeDestroy: true },
      provider: global,
    });
    const zonesLocal = new TerraformLocal(this, 'ValidationZoneIds', domainZone);
    // One record per configured domain. The for_each keys are the domains as configured (known
    // at plan), never values read from the certificate: with more than one domain, the elements
    // of domain_validation_options hold values known only after apply, so keys taken from them
    // are refused at plan ("Invalid for_each argument", found by the e2e apply). The options are
    // looked up by domain in the values instead.
    const options = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, 'domain_name');
    const optionsByDomain = new TerraformLocal(this, 'ValidationOptions', options.forExpressionForMap('key', 'val'));
    const domain = TerraformIterator.fromList(domains);
    const option = (attribute: string) => Token.asString(Fn.lookupNested(optionsByDomain.asAnyMap, [domain.value, attribute]));
    const validationRecords = new Route53Record(this, 'CertificateValidationRecord', {
      forEach: domain,
      zoneId: Token.asString(Fn.lookup(zonesLocal.asAnyMap, domain.value)),
      name: option('resource_record_name'),
      type: option('resource_record_type'),
      records: [option('resource_record_value')],
      ttl: 60,
      allowOverwrite: true,
      provider: aws,
    });
    const validation = new AcmCertificateValidation(this, 'CertificateValidation', {
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(validationRecords).pluckProperty('fqdn')),
      provider: global,
    });
    this.certificateArn = validation.certificateArn;

    // ---- CloudFront functions ----
    if (props.corsEnabled) {
      // The CORS settings and the origins made from the domains are written into function code.
      refuseTokensInCode(v, 'corsAllowedMethods', props.corsAllowedMethods);
      refuseTokensInCode(v, 'corsAllowedHeaders', props.corsAllowedHeaders);
      refuseTokensInCode(v, 'corsAdditionalAllowedOrigins', props.corsAdditionalAllowedOrigins);
      refuseTokensInCode(v, 'corsMaxAgeSeconds', props.corsMaxAgeSeconds);
      refuseTokensInCode(v, 'corsAllowCredentials', props.corsAllowCredentials);
      refuseTokensInCode(v, 'domains', domains);
    }
    refuseTokensInCode(v, 'redirectRules', props.redirectRules);
    origins.forEach((o) => {
      refuseTokensInCode(v, `${o.field}.removePrefix`, o.removePrefix);
      refuseTokensInCode(v, `${o.field}.rewriteRules`, o.rewriteRules);
    });
    const cors: CdnCorsConfig | undefined = props.corsEnabled
      ? {
        allowedOrigins: corsOriginsForDomains(domains, props.corsAdditionalAllowedOrigins ?? []),
        allowedMethods: props.corsAllowedMethods ?? ['GET', 'HEAD'],
        allowedHeaders: props.corsAllowedHeaders ?? ['Content-Length'],
        maxAgeSeconds: props.corsMaxAgeSeconds ?? 3600,
        allowCredentials: props.corsAllowCredentials ?? false,
      }
      : undefined;
    if (cors?.allowCredentials && (props.corsAdditionalAllowedOrigins ?? []).includes('*')) {
      v.fail('corsAllowCredentials', true, 'list the trusted origins in corsAdditionalAllowedOrigins instead of "*", or set corsAllowCredentials: false: credentials from any origin let every site act as the signed-in user', 'cannot be combined with "*"');
    }
    const fn = (fid: string, kind: string, code: string, comment: string) => new CloudfrontFunction(this, fid, {
      // The name carries a hash of the code: a change creates the new function before the old one goes.
      name: awsName([name, kind, cdnHash([code], 8)], 64),
      runtime: CLOUDFRONT_FUNCTION_RUNTIME,
      code,
      comment,
      publish: true,
      lifecycle: { createBeforeDestroy: true },
      provider: global,
    });
    const errorFunction = fn('ErrorFunction', 'error', notFoundFunctionCode(), `${name}: 404 for paths no origin serves`);
    const responseFunction = cors ? fn('ResponseFunction', 'response', viewerResponseFunctionCode(cors, this, 'viewerResponse'), `${name}: CORS response headers`) : undefined;

    // ---- response headers policy ----
    let responseHeadersPolicyId = props.responseHeadersPolicyId;
    if (responseHeadersPolicyId === undefined) {
      const maxAge = v.integer('hstsMaxAgeSeconds', props.hstsMaxAgeSeconds ?? 31536000, 0);
      this.responseHeadersPolicy = new CloudfrontResponseHeadersPolicy(this, 'ResponseHeadersPolicy', {
        name: awsName([name, 'security-headers'], 128),
        comment: `${name}: security headers (origin values win except HSTS)`,
        securityHeadersConfig: {
          strictTransportSecurity: { accessControlMaxAgeSec: maxAge, includeSubdomains: true, preload: props.hstsPreload ?? false, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: 'SAMEORIGIN', override: false },
          referrerPolicy: { referrerPolicy: 'no-referrer', override: false },
          xssProtection: { protection: true, modeBlock: true, override: false },
        },
        provider: aws,
      });
      responseHeadersPolicyId = this.responseHeadersPolicy.id;
    }

    // ---- policies and behaviours ----
    const cachePolicy = (pid: string, policyName: string, b: ResolvedCdnCacheBehavior) => {
      const cookies = cacheKeyConfig(b.cachingEnabled, b.cookiesInCacheKey, true);
      const headers = cacheKeyConfig(b.cachingEnabled, b.headersInCacheKey, false);
      const queries = cacheKeyConfig(b.cachingEnabled, b.queryStringsInCacheKey, true);
      return new CloudfrontCachePolicy(this, pid, {
        name: policyName,
        minTtl: b.minTtl,
        defaultTtl: b.defaultTtl,
        maxTtl: b.maxTtl,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: cookies.behavior, ...(cookies.items ? { cookies: { items: cookies.items } } : {}) },
          headersConfig: { headerBehavior: headers.behavior, ...(headers.items ? { headers: { items: headers.items } } : {}) },
          queryStringsConfig: { queryStringBehavior: queries.behavior, ...(queries.items ? { queryStrings: { items: queries.items } } : {}) },
          enableAcceptEncodingBrotli: b.cachingEnabled,
          enableAcceptEncodingGzip: b.cachingEnabled,
        },
        provider: aws,
      });
    };
    const behaviors: Behavior[] = [];
    const patternOwner = new Map<string, string>();
    const addPattern = (pattern: string, field: string) => {
      const owner = patternOwner.get(pattern);
      if (owner) v.fail(field, pattern, `the path pattern is already used by ${owner}; give every behaviour a distinct pattern`, 'duplicates a path pattern');
      patternOwner.set(pattern, field);
    };
    for (const o of origins) {
      const cookies = forwardConfig('all', o.behavior.cookiesNotForwarded);
      const headers = forwardConfig('allViewer', o.behavior.headersNotForwarded);
      const queries = forwardConfig('all', o.behavior.queryStringsNotForwarded);
      const originRequestPolicy = new CloudfrontOriginRequestPolicy(this, `OriginRequestPolicy-${o.originId}`, {
        name: awsName([name, o.originId], 128),
        comment: `${name}: forwarding to ${o.originDomain}${o.prefix}`,
        cookiesConfig: { cookieBehavior: cookies.behavior, ...(cookies.items ? { cookies: { items: cookies.items } } : {}) },
        headersConfig: { headerBehavior: headers.behavior, ...(headers.items ? { headers: { items: headers.items } } : {}) },
        queryStringsConfig: { queryStringBehavior: queries.behavior, ...(queries.items ? { queryStrings: { items: queries.items } } : {}) },
        provider: aws,
      });
      const requestOptions = {
        redirectRules: props.redirectRules ?? [],
        cors,
        pathPrefix: o.prefix,
        removePrefix: o.removePrefix ?? false,
        rewriteRules: o.rewriteRules ?? [],
      };
      const requestFunction = needsViewerRequestFunction(requestOptions)
        ? fn(`RequestFunction-${o.originId}`, `request-${o.originId}`, viewerRequestFunctionCode(requestOptions, this, `${o.field}.viewerRequest`), `${name}: redirects, CORS preflight and rewrites for ${o.prefix}`)
        : undefined;
      for (const [pattern, pb] of Object.entries(o.pathMatchBehavior ?? {})) {
        const field = `${o.field}.pathMatchBehavior["${pattern}"]`;
        const full = collapseSlashes(`${o.prefix}${pattern}`);
        addPattern(full, field);
        const resolved = resolveCacheBehavior(v, field, pb);
        const hash = cdnHash([o.originId, full]);
        behaviors.push({ pattern: full, originId: o.originId, behavior: resolved, cachePolicy: cachePolicy(`PathCachePolicy-${hash}`, awsName([name, 'path', hash], 128), resolved), originRequestPolicy, requestFunction });
      }
      const pattern = `${o.prefix}*`;
      addPattern(pattern, `${o.field}.pathPrefix`);
      behaviors.push({ pattern, originId: o.originId, behavior: o.behavior, cachePolicy: cachePolicy(`CachePolicy-${o.originId}`, awsName([name, o.originId], 128), o.behavior), originRequestPolicy, requestFunction });
    }
    behaviors.sort((a, b) => comparePathPatterns(a.pattern, b.pattern));
    this.pathPatterns = behaviors.map((b) => b.pattern);

    // ---- logging bucket ----
    let loggingConfig: { bucket: string; includeCookies: boolean } | undefined;
    const distributionDependsOn = [];
    if (props.loggingEnabled) {
      this.logBucket = new S3Bucket(this, 'LogBucket', {
        bucketPrefix: `${name.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-logs-`,
        tags,
        provider: aws,
      });
      const ownership = new S3BucketOwnershipControls(this, 'LogBucketOwnership', {
        bucket: this.logBucket.id,
        // CloudFront standard logs are delivered with an ACL: the bucket must accept ACLs.
        rule: { objectOwnership: 'BucketOwnerPreferred' },
        provider: aws,
      });
      new S3BucketPublicAccessBlock(this, 'LogBucketPublicAccessBlock', {
        bucket: this.logBucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
        provider: aws,
      });
      new S3BucketServerSideEncryptionConfigurationA(this, 'LogBucketEncryption', {
        bucket: this.logBucket.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } }],
        provider: aws,
      });
      if (expireDays > 0) {
        new S3BucketLifecycleConfiguration(this, 'LogBucketLifecycle', {
          bucket: this.logBucket.id,
          rule: [{ id: 'expire-logs', status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: expireDays }] }],
          provider: aws,
        });
      }
      loggingConfig = { bucket: this.logBucket.bucketDomainName, includeCookies: props.loggingCookiesEnabled ?? false };
      distributionDependsOn.push(ownership);
      this.loggingBucketName = this.logBucket.bucket;
    }

    // ---- Origin Shield ----
    let shieldRegion: string | undefined;
    if (props.originShieldEnabled) {
      if (props.originShieldRegion !== undefined) {
        shieldRegion = v.oneOf('originShieldRegion', props.originShieldRegion, [...new Set(Object.values(ORIGIN_SHIELD_REGIONS))]);
      } else {
        const region = new DataAwsRegion(this, 'Region', { provider: aws });
        shieldRegion = Token.asString(Fn.lookup(ORIGIN_SHIELD_REGIONS, region.region, region.region));
      }
    }

    // ---- the distribution ----
    const functionAssociations = (request?: CloudfrontFunction) => [
      ...(request ? [{ eventType: 'viewer-request', functionArn: request.arn }] : []),
      ...(responseFunction ? [{ eventType: 'viewer-response', functionArn: responseFunction.arn }] : []),
    ];
    const first = behaviors.find((b) => b.originId === origins[0].originId && b.pattern === `${origins[0].prefix}*`)!;
    const ordered: CloudfrontDistributionOrderedCacheBehavior[] = behaviors.map((b) => ({
      pathPattern: b.pattern,
      targetOriginId: b.originId,
      allowedMethods: b.behavior.allowedMethods,
      cachedMethods: b.behavior.cachedMethods,
      compress: b.behavior.compressionEnabled,
      viewerProtocolPolicy: b.behavior.viewerProtocolPolicy,
      cachePolicyId: b.cachePolicy.id,
      originRequestPolicyId: b.originRequestPolicy.id,
      responseHeadersPolicyId,
      functionAssociation: functionAssociations(b.requestFunction),
    }));
    this.distribution = new CloudfrontDistribution(this, 'Distribution', {
      enabled: true,
      isIpv6Enabled: true,
      httpVersion: 'http2and3',
      comment: name,
      priceClass,
      aliases: domains,
      waitForDeployment: false,
      webAclId: props.webAclArn,
      origin: origins.map((o) => ({
        originId: o.originId,
        domainName: o.originDomain,
        customOriginConfig: {
          originProtocolPolicy: 'https-only',
          httpPort: 80,
          httpsPort: 443,
          originSslProtocols: ['TLSv1.2'],
          originKeepaliveTimeout: 60,
          originReadTimeout: 60,
        },
        customHeader: Object.entries(o.extraOriginHeaders ?? {}).map(([hn, hv]) => ({ name: hn, value: hv })),
        ...(shieldRegion ? { originShield: { enabled: true, originShieldRegion: shieldRegion } } : {}),
      })),
      // Catch-all that should never match (every origin has its own `<prefix>*`): answers 404.
      defaultCacheBehavior: {
        targetOriginId: origins[0].originId,
        allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
        cachedMethods: ['GET', 'HEAD'],
        viewerProtocolPolicy: 'redirect-to-https',
        compress: true,
        cachePolicyId: first.cachePolicy.id,
        originRequestPolicyId: first.originRequestPolicy.id,
        responseHeadersPolicyId,
        functionAssociation: [{ eventType: 'viewer-request', functionArn: errorFunction.arn }],
      },
      orderedCacheBehavior: ordered,
      customErrorResponse: errors,
      restrictions: { geoRestriction: { restrictionType: geoType, locations: geoList } },
      viewerCertificate: { acmCertificateArn: validation.certificateArn, minimumProtocolVersion: tlsPolicy, sslSupportMethod: 'sni-only' },
      loggingConfig,
      tags,
      lifecycle: { createBeforeDestroy: true },
      dependsOn: distributionDependsOn,
      provider: aws,
    });
    this.distributionId = this.distribution.id;
    this.distributionArn = this.distribution.arn;
    this.distributionDomainName = this.distribution.domainName;

    // ---- DNS: A and AAAA aliases per domain ----
    domains.forEach((d, i) => {
      for (const type of ['A', 'AAAA']) {
        // A construct id must be known at synth: a domain that is a token is named by its position.
        new Route53Record(this, `Alias${type}-${isToken(d) ? `domains${i}` : d}`, {
          zoneId: domainZone[d],
          name: d,
          type,
          alias: { name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false },
          provider: aws,
        });
      }
    });
  }
}
