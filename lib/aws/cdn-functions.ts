import { Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { PropValidator, isListToken, isToken } from '../core/validation';

/**
 * Source code of the CloudFront Functions (runtime `cloudfront-js-2.0`) that sit in front
 * of an ingress, the port of Panfactum aws_cdn's edge functions:
 *
 * - viewer-request: redirects, CORS preflight answers, path rewrites (per origin);
 * - viewer-response: CORS headers on normal responses;
 * - a 404 function for the catch-all behaviour that should never match.
 *
 * Configuration is checked here (regexes compile, origins and methods are well formed) and
 * embedded in the code as JSON, so the function does no parsing work per request beyond
 * building its RegExp objects once per cold start. The code never contains `${` or `%{`,
 * so it can be given to `aws_cloudfront_function.code` as is (no Terraform interpolation). Every generated function must stay
 * under CloudFront's 10 KB code limit; the generators throw when it would not.
 */

/** CloudFront Functions code size limit (bytes). */
export const CLOUDFRONT_FUNCTION_MAX_BYTES = 10 * 1024;
/** The runtime the generated code targets. */
export const CLOUDFRONT_FUNCTION_RUNTIME = 'cloudfront-js-2.0';

/**
 * An edge redirect.
 *
 * @group Edge & AWS
 */
export interface CdnRedirectRule {
  /**
   * Regular expression tested against the full request URL `https://<host><path>` (no query
   * string), e.g. `^https://www\\.example\\.com/(.*)$`.
   */
  readonly source: string;
  /** Where to send the viewer. `$1`..`$9` are replaced by the source's capture groups. */
  readonly target: string;
  /** 301 (Moved Permanently) when true, 302 (Found) otherwise. @default false */
  readonly permanent?: boolean;
  /** Append the request's query string to the target when the target has none. @default true */
  readonly preserveQueryString?: boolean;
}

/**
 * A path rewrite, evaluated below the origin's path prefix.
 *
 * @group Edge & AWS
 */
export interface CdnRewriteRule {
  /**
   * Regular expression for the path after the prefix, without anchors (they are added),
   * e.g. `v1/(.*)` under prefix `/api/`.
   */
  readonly match: string;
  /** Replacement path (below the prefix unless removePrefix); `$1`..`$9` are the match's groups. */
  readonly rewrite: string;
}

/**
 * CORS handled at the edge.
 *
 * @group Edge & AWS
 */
export interface CdnCorsConfig {
  /**
   * Origins allowed exactly (`https://app.example.com`), or `*` for any origin.
   * @default []
   */
  readonly allowedOrigins?: string[];
  /**
   * Regular expressions an origin may match instead (full match, e.g. `^https://[a-z0-9-]+\\.example\\.com$`).
   * @default []
   */
  readonly allowedOriginPatterns?: string[];
  /** Methods announced in preflight answers. @default ["GET","HEAD"] */
  readonly allowedMethods?: string[];
  /** Request headers announced in preflight answers. @default ["Content-Length"] */
  readonly allowedHeaders?: string[];
  /** Response headers the browser may expose to scripts. @default [] */
  readonly exposedHeaders?: string[];
  /** How long browsers may cache a preflight answer, in seconds. @default 3600 */
  readonly maxAgeSeconds?: number;
  /** Send `access-control-allow-credentials: true` (never combined with `*`). @default false */
  readonly allowCredentials?: boolean;
}

/** Inputs of the viewer-request function of one origin. */
export interface ViewerRequestFunctionOptions {
  /** Redirects, tried in order; the first match wins. @default [] */
  readonly redirectRules?: CdnRedirectRule[];
  /** CORS preflight handling. @default - none (OPTIONS requests pass through to the origin) */
  readonly cors?: CdnCorsConfig;
  /** The origin's path prefix (the behaviour's path pattern without `*`). @default "/" */
  readonly pathPrefix?: string;
  /** Strip the path prefix before forwarding to the origin. @default false */
  readonly removePrefix?: boolean;
  /** Path rewrites; the longest pattern is tried first. @default [] */
  readonly rewriteRules?: CdnRewriteRule[];
}

/** Whether an origin needs a viewer-request function at all (as aws_cdn decides). */
export function needsViewerRequestFunction(options: ViewerRequestFunctionOptions): boolean {
  return (options.redirectRules ?? []).length > 0 || options.cors !== undefined || (options.rewriteRules ?? []).length > 0 || options.removePrefix === true;
}

/** `https://<domain>` for each domain plus the extra origins: Panfactum's allowed-origin list. */
export function corsOriginsForDomains(domains: string[], additionalOrigins: string[] = []): string[] {
  return [...new Set([...domains.map((d) => `https://${d}`), ...additionalOrigins])];
}

const METHOD = /^[A-Z]+$/;
const HEADER = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i;

interface ResolvedCors {
  o: string[];
  p: string[];
  any: boolean;
  m: string;
  h: string;
  e: string;
  a: number;
  c: boolean;
}

function resolveCors(v: PropValidator, field: string, cors: CdnCorsConfig): ResolvedCors {
  const origins = cors.allowedOrigins ?? [];
  const patterns = cors.allowedOriginPatterns ?? [];
  if (origins.length === 0 && patterns.length === 0) {
    v.fail(`${field}.allowedOrigins`, [], 'list at least one origin ("https://app.example.com"), an origin pattern, or "*"', 'is empty');
  }
  origins.forEach((o, i) => {
    if (isToken(o) || o === '*') return;
    if (!ORIGIN.test(o)) {
      v.fail(`${field}.allowedOrigins[${i}]`, o, 'an origin is scheme://host[:port] with no path or trailing slash, e.g. "https://app.example.com"', 'is not an origin');
    }
  });
  patterns.forEach((p, i) => checkRegex(v, `${field}.allowedOriginPatterns[${i}]`, p));
  const any = origins.includes('*');
  if (any && cors.allowCredentials) {
    v.fail(`${field}.allowCredentials`, true, 'list the trusted origins instead of "*": allowing credentials from any origin lets every site act as the signed-in user', 'cannot be combined with "*"');
  }
  const methods = cors.allowedMethods ?? ['GET', 'HEAD'];
  methods.forEach((m, i) => {
    if (!isToken(m) && !METHOD.test(m)) v.fail(`${field}.allowedMethods[${i}]`, m, 'use upper-case HTTP methods such as "GET", "POST"', 'is not an HTTP method');
  });
  const headerList = (name: string, list: string[]) => list.forEach((h, i) => {
    if (!isToken(h) && !HEADER.test(h)) v.fail(`${field}.${name}[${i}]`, h, 'use a header name such as "Content-Type" (letters, digits and - only)', 'is not a header name');
  });
  const headers = cors.allowedHeaders ?? ['Content-Length'];
  const exposed = cors.exposedHeaders ?? [];
  headerList('allowedHeaders', headers);
  headerList('exposedHeaders', exposed);
  const maxAge = v.integer(`${field}.maxAgeSeconds`, cors.maxAgeSeconds ?? 3600, 0, 86400, 'use a whole number of seconds from 0 to 86400 (browsers cap it lower)');
  return {
    o: origins.filter((o) => o !== '*'),
    p: patterns,
    any,
    m: methods.join(','),
    h: headers.join(','),
    e: exposed.join(','),
    a: maxAge,
    c: cors.allowCredentials ?? false,
  };
}

function checkRegex(v: PropValidator, field: string, source: string): void {
  if (isToken(source)) return;
  if (typeof source !== 'string' || source.length === 0) v.fail(field, source, 'give a non-empty regular expression', 'is empty');
  try {
    new RegExp(source);
  } catch (e) {
    v.fail(field, source, 'give a valid JavaScript regular expression (escape "." and "/" as needed)', `does not compile (${(e as Error).message})`);
  }
}

/**
 * JSON for embedding in the generated code. Terraform reads `\${` and `%{` in any string
 * (including `aws_cloudfront_function.code`) as template syntax, so inside string literals
 * they are written as `$\u007b` / `%\u007b`: identical for JavaScript, inert for Terraform.
 */
function embed(value: unknown): string {
  return JSON.stringify(value).replace(/\$\{/g, '$\\u007b').replace(/%\{/g, '%\\u007b');
}

/**
 * Function code is fixed at synth (and the function is named after a hash of it), so no part of
 * its configuration can be a deploy-time token: each one is refused, naming the prop.
 */
export function refuseTokensInCode(v: PropValidator, field: string, value: unknown): void {
  if (Array.isArray(value) && !isListToken(value)) {
    value.forEach((x, i) => refuseTokensInCode(v, `${field}[${i}]`, x));
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Tokenization.isResolvable(value)) {
    for (const [k, x] of Object.entries(value)) refuseTokensInCode(v, `${field}.${k}`, x);
  } else {
    v.knownAtSynth(field, value, 'it is written into CloudFront Function code, which is fixed at synth (the function is named after a hash of its code)',
      'give a literal value: an edge function cannot read a value that is only known at apply');
  }
}

function checkSize(v: PropValidator, field: string, code: string): string {
  const bytes = Buffer.byteLength(code, 'utf8');
  if (bytes > CLOUDFRONT_FUNCTION_MAX_BYTES) {
    v.fail(field, `${bytes} bytes`, `CloudFront Functions hold at most ${CLOUDFRONT_FUNCTION_MAX_BYTES} bytes of code: use fewer redirect/rewrite rules or origins, or combine them into one regex`, 'is too large');
  }
  return code;
}

function normalizePrefix(prefix: string): string {
  const withSlashes = `/${prefix}/`.replace(/\/{2,}/g, '/');
  return withSlashes;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Runtime helpers shared by both functions. Kept terse: every byte counts against 10 KB.
const CORS_RUNTIME = `
function allowed(origin) {
  if (!origin) return false;
  if (C.any || C.o.indexOf(origin) >= 0) return true;
  for (let i = 0; i < P.length; i++) if (P[i].test(origin)) return true;
  return false;
}
function hv(h, n) { return h[n] ? h[n].value : undefined; }`;

/**
 * Code of the viewer-request function: redirects first, then CORS preflight (OPTIONS with an
 * Origin and Access-Control-Request-Method header), then path rewrites; anything else is
 * passed to the origin unchanged. A preflight from an origin that is not allowed gets 403
 * with no CORS headers, so the browser blocks the real request.
 *
 * `scope` (a construct or path) and `field` name the origin of errors.
 */
export function viewerRequestFunctionCode(options: ViewerRequestFunctionOptions, scope?: IConstruct | string, field = 'viewerRequest'): string {
  const v = new PropValidator(scope);
  refuseTokensInCode(v, field, options);
  const redirects = (options.redirectRules ?? []).map((r, i) => {
    checkRegex(v, `${field}.redirectRules[${i}].source`, r.source);
    if (!isToken(r.target) && (typeof r.target !== 'string' || r.target.length === 0)) {
      v.fail(`${field}.redirectRules[${i}].target`, r.target, 'give the URL to redirect to, e.g. "https://example.com/$1"', 'is empty');
    }
    return [r.source, r.target, r.permanent ? 1 : 0, r.preserveQueryString === false ? 0 : 1];
  });
  const cors = options.cors ? resolveCors(v, `${field}.cors`, options.cors) : undefined;
  const prefix = options.pathPrefix ?? '/';
  if (!isToken(prefix) && !prefix.startsWith('/')) {
    v.fail(`${field}.pathPrefix`, prefix, 'start the path prefix with "/" (e.g. "/api/")', 'is not an absolute path');
  }
  const normPrefix = isToken(prefix) ? prefix : normalizePrefix(prefix);
  const removePrefix = options.removePrefix ?? false;
  const userRewrites = options.rewriteRules ?? [];
  let rewrites: [string, string][] = [];
  if (userRewrites.length > 0 || removePrefix) {
    rewrites = userRewrites.map((r, i) => {
      checkRegex(v, `${field}.rewriteRules[${i}].match`, r.match);
      const body = r.match.replace(/^\^/, '').replace(/\$$/, '').replace(/^\/+/, '');
      const source = `^${escapeRegex(normPrefix)}${body}$`;
      checkRegex(v, `${field}.rewriteRules[${i}].match`, source);
      return [source, r.rewrite] as [string, string];
    });
    // Longest (most specific) pattern first, then the catch-all that keeps the path.
    rewrites.sort((a, b) => b[0].length - a[0].length);
    rewrites.push([`^${escapeRegex(normPrefix)}(.*)$`, '$1']);
  }

  const code = `// Generated by cdktf-golden-path: viewer-request (${CLOUDFRONT_FUNCTION_RUNTIME}).
const R = ${embed(redirects)}.map(function (r) { return [new RegExp(r[0]), r[1], r[2], r[3]]; });
const W = ${embed(rewrites)}.map(function (r) { return [new RegExp(r[0]), r[1]]; });
const C = ${embed(cors ?? null)};
const P = C ? C.p.map(function (p) { return new RegExp(p); }) : [];
const PREFIX = ${embed(normPrefix)};
const STRIP = ${removePrefix ? 'true' : 'false'};
${CORS_RUNTIME}
function expand(t, m) { return t.replace(/\\$(\\d)/g, function (_, n) { return m[n] || ''; }); }
function qs(q) {
  const parts = [];
  for (const k in q) {
    const e = q[k];
    const vals = e.multiValue ? e.multiValue : [e];
    for (let i = 0; i < vals.length; i++) parts.push(vals[i].value === '' ? k : k + '=' + vals[i].value);
  }
  return parts.join('&');
}
function handler(event) {
  const req = event.request;
  const h = req.headers;
  const url = 'https://' + hv(h, 'host') + req.uri;
  for (let i = 0; i < R.length; i++) {
    const m = url.match(R[i][0]);
    if (m) {
      let loc = expand(R[i][1], m);
      const q = qs(req.querystring || {});
      if (R[i][3] && q && loc.indexOf('?') < 0) loc += '?' + q;
      return { statusCode: R[i][2] ? 301 : 302, statusDescription: R[i][2] ? 'Moved Permanently' : 'Found', headers: { location: { value: loc } } };
    }
  }
  if (C && req.method === 'OPTIONS' && h.origin && h['access-control-request-method']) {
    const origin = hv(h, 'origin');
    if (!allowed(origin)) return { statusCode: 403, statusDescription: 'Forbidden', headers: { vary: { value: 'Origin' } } };
    const out = {
      'access-control-allow-origin': { value: origin },
      'access-control-allow-methods': { value: C.m },
      'access-control-allow-headers': { value: C.h },
      'access-control-max-age': { value: String(C.a) },
      vary: { value: 'Origin' }
    };
    if (C.c) out['access-control-allow-credentials'] = { value: 'true' };
    return { statusCode: 204, statusDescription: 'No Content', headers: out };
  }
  for (let i = 0; i < W.length; i++) {
    const m = req.uri.match(W[i][0]);
    if (m) {
      let uri = (STRIP ? '' : PREFIX) + expand(W[i][1], m);
      uri = uri.replace(/\\/{2,}/g, '/');
      req.uri = uri.charAt(0) === '/' ? uri : '/' + uri;
      break;
    }
  }
  return req;
}
`;
  return checkSize(v, field, code);
}

/**
 * Code of the viewer-response function: for a request whose Origin is allowed, add
 * `access-control-allow-origin` (the origin echoed), `-allow-credentials` and
 * `-expose-headers` when configured; always add `Origin` to `vary` so shared caches keep
 * per-origin variants apart.
 */
export function viewerResponseFunctionCode(cors: CdnCorsConfig, scope?: IConstruct | string, field = 'viewerResponse'): string {
  const v = new PropValidator(scope);
  refuseTokensInCode(v, `${field}.cors`, cors);
  const resolved = resolveCors(v, `${field}.cors`, cors);
  const code = `// Generated by cdktf-golden-path: viewer-response (${CLOUDFRONT_FUNCTION_RUNTIME}).
const C = ${embed(resolved)};
const P = C.p.map(function (p) { return new RegExp(p); });
${CORS_RUNTIME}
function handler(event) {
  const res = event.response;
  const rh = res.headers;
  const origin = hv(event.request.headers, 'origin');
  const vary = hv(rh, 'vary');
  if (!vary) rh.vary = { value: 'Origin' };
  else if (!/(^|,)\\s*(origin|\\*)\\s*(,|$)/i.test(vary)) rh.vary = { value: vary + ', Origin' };
  if (allowed(origin)) {
    rh['access-control-allow-origin'] = { value: origin };
    if (C.c) rh['access-control-allow-credentials'] = { value: 'true' };
    if (C.e) rh['access-control-expose-headers'] = { value: C.e };
  }
  return res;
}
`;
  return checkSize(v, field, code);
}

/**
 * Code of the 404 function for the distribution's catch-all behaviour (a request that
 * matched no origin path).
 */
export function notFoundFunctionCode(): string {
  return `// Generated by cdktf-golden-path: not-found (${CLOUDFRONT_FUNCTION_RUNTIME}).
function handler(event) {
  return {
    statusCode: 404,
    statusDescription: 'Not Found',
    headers: { 'content-type': { value: 'text/html; charset=utf-8' }, 'cache-control': { value: 'no-store' } },
    body: { encoding: 'text', data: '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>' }
  };
}
`;
}
