import { createHash } from 'crypto';
import { Fn, Token } from 'cdktf';
import { functionArgument } from '../core/terraform-strings';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { CdnRewriteRule } from './cdn-functions';

/**
 * Pure model of a CloudFront distribution in front of ingress origins (Panfactum's aws_cdn
 * computations): cache behaviour defaults, origin configs, path behaviour ordering,
 * Route53 zone matching and the Origin Shield region table. No CDKTF resources here.
 */

/** HTTP methods CloudFront lets a behaviour allow. */
export const CDN_ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] as const;
/**
 * How CloudFront treats HTTP viewer requests.
 *
 * @group Edge & AWS
 */
export type CdnViewerProtocolPolicy = 'redirect-to-https' | 'https-only' | 'allow-all';
export const CDN_VIEWER_PROTOCOL_POLICIES: readonly CdnViewerProtocolPolicy[] = ['redirect-to-https', 'https-only', 'allow-all'];

/**
 * How CloudFront caches and forwards one path (Panfactum's cache behaviour object).
 *
 * @group Edge & AWS
 */
export interface CdnCacheBehavior {
  /** Cache responses at the edge. When false every TTL is 0 and nothing is in the cache key. @default true */
  readonly cachingEnabled?: boolean;
  /**
   * Methods CloudFront accepts: ["GET","HEAD"], ["GET","HEAD","OPTIONS"] or all seven.
   * @default ["DELETE","GET","HEAD","OPTIONS","PATCH","POST","PUT"]
   */
  readonly allowedMethods?: string[];
  /** Methods whose responses are cached: ["GET","HEAD"] or ["GET","HEAD","OPTIONS"]. @default ["GET","HEAD"] */
  readonly cachedMethods?: string[];
  /** Minimum TTL in seconds. @default 0 */
  readonly minTtl?: number;
  /** TTL when the origin sends no Cache-Control, in seconds. @default 86400 */
  readonly defaultTtl?: number;
  /** Maximum TTL in seconds. @default 31536000 */
  readonly maxTtl?: number;
  /** Cookies in the cache key (`*` = all). @default ["*"] */
  readonly cookiesInCacheKey?: string[];
  /**
   * Headers in the cache key.
   * @default ["Authorization","Origin","x-http-method-override","x-http-method","x-method-override","x-forwarded-host","x-host","x-original-url","x-rewrite-url","forwarded"]
   */
  readonly headersInCacheKey?: string[];
  /** Query strings in the cache key (`*` = all). @default ["*"] */
  readonly queryStringsInCacheKey?: string[];
  /** Cookies never forwarded to the origin. @default [] */
  readonly cookiesNotForwarded?: string[];
  /** Headers never forwarded to the origin. @default [] */
  readonly headersNotForwarded?: string[];
  /** Query strings never forwarded to the origin. @default [] */
  readonly queryStringsNotForwarded?: string[];
  /** Compress responses (gzip/brotli). @default true */
  readonly compressionEnabled?: boolean;
  /** Viewer protocol policy. @default "redirect-to-https" */
  readonly viewerProtocolPolicy?: CdnViewerProtocolPolicy;
}

/** A cache behaviour with every default applied. */
export type ResolvedCdnCacheBehavior = { readonly [K in keyof CdnCacheBehavior]-?: NonNullable<CdnCacheBehavior[K]> };

export const DEFAULT_HEADERS_IN_CACHE_KEY = [
  'Authorization', 'Origin', 'x-http-method-override', 'x-http-method', 'x-method-override',
  'x-forwarded-host', 'x-host', 'x-original-url', 'x-rewrite-url', 'forwarded',
];

/**
 * One origin of a CDN: what KubeIngress outputs as `cdnOriginConfigs` (Panfactum's cdn_origin_configs).
 *
 * @group Edge & AWS
 */
export interface CdnOriginConfig {
  /** Unique id of the origin in the distribution. @default - 12 hex of sha256(domains + pathPrefix) */
  readonly originId?: string;
  /** Host name CloudFront connects to (https only). */
  readonly originDomain: string;
  /** Viewer domains this origin serves (the distribution's aliases). */
  readonly domains: string[];
  /** Path prefix routed to this origin (`<pathPrefix>*`). @default "/" */
  readonly pathPrefix?: string;
  /** Headers CloudFront adds to requests to the origin. @default {} */
  readonly extraOriginHeaders?: Record<string, string>;
  /** Strip the path prefix at the edge before forwarding. @default false */
  readonly removePrefix?: boolean;
  /** Path rewrites done at the edge (below the prefix). @default [] */
  readonly rewriteRules?: CdnRewriteRule[];
  /** Behaviour of `<pathPrefix>*`. @default - every CdnCacheBehavior default */
  readonly defaultCacheBehavior?: CdnCacheBehavior;
  /** Behaviours for path patterns below the prefix (`"*.js"`, `"static/*"`), keyed by pattern. @default {} */
  readonly pathMatchBehavior?: Record<string, CdnCacheBehavior>;
}

/**
 * First `length` hex characters of sha256 of the parts joined. When a part is a deploy-time
 * token, Terraform computes the same hash at apply (`substr(sha256(...))`).
 */
export function cdnHash(parts: readonly string[], length = 12): string {
  if (parts.some((p) => isToken(p))) return Token.asString(Fn.substr(Fn.sha256(Fn.join('', parts.map(functionArgument))), 0, length));
  return createHash('sha256').update(parts.join('')).digest('hex').slice(0, length);
}

/**
 * A hash for ids that must be known at synth (construct ids, CloudFront origin ids): each token
 * in the parts counts as the same fixed text, so the id never depends on a deploy-time value or
 * on CDKTF's numbering of tokens.
 */
export function synthHash(parts: readonly string[], length = 12): string {
  return cdnHash(parts.map((p) => p.replace(/[$#&]\{TfToken\[[^\]]*\]\}/g, '<token>')), length);
}

/** A string or number prop as text: a number token becomes a string token (not its placeholder digits). */
export function textOf(value: string | number): string {
  return typeof value === 'number' ? (isToken(value) ? Token.asString(value) : String(value)) : value;
}

/** Apply the cache behaviour defaults and validate. */
export function resolveCacheBehavior(v: PropValidator, field: string, b: CdnCacheBehavior = {}): ResolvedCdnCacheBehavior {
  const cachingEnabled = v.knownAtSynth(`${field}.cachingEnabled`, b.cachingEnabled ?? true, 'it decides the cache key and the TTLs of the cache policy');
  // Each list decides a behaviour (none, all for "*", or the listed names): the list must be known; its names may be tokens.
  for (const k of ['cookiesInCacheKey', 'headersInCacheKey', 'queryStringsInCacheKey', 'cookiesNotForwarded', 'headersNotForwarded', 'queryStringsNotForwarded'] as const) {
    if (isListToken(b[k])) {
      v.knownAtSynth(`${field}.${k}`, b[k], 'it decides the policy\'s behaviour (none, all or the listed names)', 'give the names as a list in code; each name in it may be a token');
    }
  }
  const allowedMethods = [...(b.allowedMethods ?? CDN_ALL_METHODS)];
  const cachedMethods = [...(b.cachedMethods ?? ['GET', 'HEAD'])];
  const setKey = (list: string[]) => [...list].map((m) => m.toUpperCase()).sort().join(',');
  const allowedSets = ['GET,HEAD', 'GET,HEAD,OPTIONS', [...CDN_ALL_METHODS].sort().join(',')];
  if (!isToken(allowedMethods) && !allowedSets.includes(setKey(allowedMethods))) {
    v.fail(`${field}.allowedMethods`, allowedMethods, 'CloudFront accepts exactly ["GET","HEAD"], ["GET","HEAD","OPTIONS"] or all seven methods', 'is not a CloudFront method set');
  }
  if (!isToken(cachedMethods) && !allowedSets.slice(0, 2).includes(setKey(cachedMethods))) {
    v.fail(`${field}.cachedMethods`, cachedMethods, 'CloudFront caches ["GET","HEAD"] or ["GET","HEAD","OPTIONS"]', 'is not a CloudFront method set');
  }
  const minTtl = v.integer(`${field}.minTtl`, b.minTtl ?? 0, 0);
  const defaultTtl = v.integer(`${field}.defaultTtl`, b.defaultTtl ?? 86400, 0);
  const maxTtl = v.integer(`${field}.maxTtl`, b.maxTtl ?? 31536000, 0);
  if (!isToken(minTtl) && !isToken(defaultTtl) && !isToken(maxTtl) && !(minTtl <= defaultTtl && defaultTtl <= maxTtl)) {
    v.fail(`${field}.defaultTtl`, { minTtl, defaultTtl, maxTtl }, 'keep minTtl <= defaultTtl <= maxTtl', 'TTLs out of order');
  }
  const viewerProtocolPolicy = v.oneOf(`${field}.viewerProtocolPolicy`, b.viewerProtocolPolicy ?? 'redirect-to-https', CDN_VIEWER_PROTOCOL_POLICIES);
  return {
    cachingEnabled,
    allowedMethods,
    cachedMethods,
    minTtl: cachingEnabled ? minTtl : 0,
    defaultTtl: cachingEnabled ? defaultTtl : 0,
    maxTtl: cachingEnabled ? maxTtl : 0,
    cookiesInCacheKey: [...(b.cookiesInCacheKey ?? ['*'])],
    headersInCacheKey: [...(b.headersInCacheKey ?? DEFAULT_HEADERS_IN_CACHE_KEY)],
    queryStringsInCacheKey: [...(b.queryStringsInCacheKey ?? ['*'])],
    cookiesNotForwarded: [...(b.cookiesNotForwarded ?? [])],
    headersNotForwarded: [...(b.headersNotForwarded ?? [])],
    queryStringsNotForwarded: [...(b.queryStringsNotForwarded ?? [])],
    compressionEnabled: b.compressionEnabled ?? true,
    viewerProtocolPolicy,
  };
}

/** Cache-key part of a cache policy: `none` / `all` / `whitelist` as aws_cdn computes it. */
export function cacheKeyConfig(enabled: boolean, list: string[], starMeansAll: boolean): { behavior: string; items?: string[] } {
  if (!enabled || list.length === 0) return { behavior: 'none' };
  if (starMeansAll && list.includes('*')) return { behavior: 'all' };
  return { behavior: 'whitelist', items: [...list].sort() };
}

/** Forwarding part of an origin request policy: all (or allExcept) of what the viewer sent. */
export function forwardConfig(allBehavior: 'all' | 'allViewer', except: string[]): { behavior: string; items?: string[] } {
  return except.length === 0 ? { behavior: allBehavior } : { behavior: 'allExcept', items: [...except].sort() };
}

/** `/a//b` -> `/a/b`. */
export function collapseSlashes(path: string): string {
  return path.replace(/\/{2,}/g, '/');
}

/** Normalize a path prefix to `/x/` form (`/` stays `/`). */
export function normalizePathPrefix(prefix: string): string {
  return collapseSlashes(`/${prefix}/`);
}

/**
 * Specificity order of CloudFront path patterns (CloudFront uses the first match): the
 * longer literal head (text before the first `*` or `?`) first, then the longer pattern,
 * then lexical order, so `/api/v1/*` precedes `/api/*` precedes `/*` whatever the input order.
 */
export function comparePathPatterns(a: string, b: string): number {
  const head = (p: string) => p.split(/[*?]/)[0].length;
  return head(b) - head(a) || b.length - a.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * The hosted zone of a domain: the longest zone name that equals the domain or is a parent
 * of it at a dot boundary (`example.com` matches `api.example.com`, not `badexample.com`).
 */
export function matchHostedZone(domain: string, zoneNames: readonly string[]): string | undefined {
  const d = domain.toLowerCase().replace(/\.$/, '');
  let best: string | undefined;
  for (const raw of zoneNames) {
    const z = raw.toLowerCase().replace(/\.$/, '');
    if ((d === z || d.endsWith(`.${z}`)) && (best === undefined || z.length > best.replace(/\.$/, '').length)) best = raw;
  }
  return best;
}

/** Origin Shield region for each AWS region (the region itself when it hosts Origin Shield). */
export const ORIGIN_SHIELD_REGIONS: Readonly<Record<string, string>> = {
  'us-east-1': 'us-east-1', 'us-east-2': 'us-east-2', 'us-west-2': 'us-west-2', 'ap-south-1': 'ap-south-1',
  'ap-northeast-1': 'ap-northeast-1', 'ap-northeast-2': 'ap-northeast-2', 'ap-southeast-1': 'ap-southeast-1',
  'ap-southeast-2': 'ap-southeast-2', 'eu-central-1': 'eu-central-1', 'eu-west-1': 'eu-west-1', 'eu-west-2': 'eu-west-2',
  'sa-east-1': 'sa-east-1', 'us-west-1': 'us-west-2', 'af-south-1': 'eu-west-1', 'ap-east-1': 'ap-southeast-1',
  'ca-central-1': 'us-east-1', 'eu-south-1': 'eu-central-1', 'eu-west-3': 'eu-west-2', 'eu-north-1': 'eu-west-2',
  'me-south-1': 'ap-south-1',
};
