import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { ICertificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { AnnotationKeys, ResolvedEnvironmentContext, moduleLabels } from '../core';
import { fitName } from '../core/naming';
import { Fn, Op, Token } from 'cdktf';
import { functionArgument } from '../core/terraform-strings';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { CdnRewriteRule } from '../aws/cdn-functions';
import { isIP } from 'net';
import { nginxValue } from './nginx-values';
import { CdnCacheBehavior, CdnOriginConfig, cdnHash, collapseSlashes, resolveCacheBehavior, synthHash, textOf } from '../aws/cdn';
import { Named } from './types';

/**
 * Pure model of Panfactum's kube_ingress for a stock ingress-nginx controller: Ingress
 * objects (one per routing entry and rewrite rule), an optional cert-manager Certificate,
 * a ConfigMap of response headers (served through the `custom-headers` annotation instead
 * of Panfactum's Lua plugin and configuration snippets) and the CDN origin configs.
 */

const NGINX = 'nginx.ingress.kubernetes.io';

/**
 * CDN settings of one routing entry (used by KubeAwsCdn through `cdnOriginConfigs`).
 *
 * @group Edge & AWS
 */
export interface IngressCdnConfig {
  /** Headers CloudFront adds to requests to this origin. @default {} */
  readonly extraOriginHeaders?: Record<string, string>;
  /** Cache behaviour of `<pathPrefix>*`. @default - every CdnCacheBehavior default */
  readonly defaultCacheBehavior?: CdnCacheBehavior;
  /** Cache behaviours for patterns below the prefix (`"static/*"`, `"*.js"`), keyed by pattern. @default {} */
  readonly pathMatchBehavior?: Record<string, CdnCacheBehavior>;
}

/**
 * One routing entry (Panfactum's `ingress_configs` element).
 *
 * @group Edge & AWS
 */
export interface IngressConfig {
  /** Path prefix this entry handles; starts with "/". @default "/" */
  readonly pathPrefix?: string;
  /** Strip the prefix before proxying to the Service. @default false */
  readonly removePrefix?: boolean;
  /** Backend Service name. */
  readonly service: string;
  /** Backend Service port number. */
  readonly servicePort: number;
  /**
   * Regex path rewrites of the part after the prefix, e.g. `{ match: "v1/(.*)", rewrite: "$1" }`.
   * Each becomes its own Ingress (`use-regex` + `rewrite-target`).
   * @default []
   */
  readonly rewriteRules?: CdnRewriteRule[];
  /** TLS secret to serve instead of the generated certificate. @default - `<name>-tls` with generateCertEnabled, else the controller's default certificate */
  readonly tlsSecretName?: string;
  /** Annotations for this entry's Ingresses only (win over everything else). @default {} */
  readonly extraAnnotations?: Record<string, string>;
  /** CDN settings (only used with cdnModeEnabled). @default - defaults */
  readonly cdn?: IngressCdnConfig;
}

/**
 * A redirect served by ingress-nginx (`permanent-redirect` / `temporal-redirect`): requests to
 * `domains` whose path matches `path` get a 301/302 to `target`.
 *
 * @group Edge & AWS
 */
export interface IngressRedirectRule {
  /** Path regular expression (starts with "/"), e.g. `/old/(.*)`; `$1`.. are usable in target. */
  readonly path: string;
  /** URL to redirect to, e.g. `https://example.com/new/$1`. */
  readonly target: string;
  /** 301 when true, 302 otherwise. @default false */
  readonly permanent?: boolean;
  /** Hosts the redirect applies to (a subset of domains). @default - every domain */
  readonly domains?: string[];
}

/**
 * Content-Security-Policy directive props (null/undefined omits the directive).
 *
 * @group Edge & AWS
 */
export interface IngressCspProps {
  /** Send Content-Security-Policy. @default false */
  readonly cspEnabled?: boolean;
  /** @default "'self' ws:" */ readonly cspConnectSrc?: string | null;
  /** @default "'self'" */ readonly cspDefaultSrc?: string | null;
  /** @default - omitted */ readonly cspFencedFrameSrc?: string | null;
  /** @default "'self' https: data:" */ readonly cspFontSrc?: string | null;
  /** @default - omitted */ readonly cspFrameSrc?: string | null;
  /** @default "'self' data:" */ readonly cspImgSrc?: string | null;
  /** @default - omitted */ readonly cspManifestSrc?: string | null;
  /** @default - omitted */ readonly cspMediaSrc?: string | null;
  /** @default "'none'" */ readonly cspObjectSrc?: string | null;
  /** @default - omitted */ readonly cspScriptSrc?: string | null;
  /** @default - omitted */ readonly cspScriptSrcElem?: string | null;
  /** @default "'self'" */ readonly cspStyleSrc?: string | null;
  /** @default - omitted */ readonly cspStyleSrcElem?: string | null;
  /** @default - omitted */ readonly cspStyleSrcAttr?: string | null;
  /** @default - omitted */ readonly cspWorkerSrc?: string | null;
  /** @default - omitted */ readonly cspBaseUri?: string | null;
  /** @default - omitted */ readonly cspSandbox?: string | null;
  /** @default - omitted */ readonly cspFormAction?: string | null;
  /** @default - omitted */ readonly cspFrameAncestors?: string | null;
  /** @default - omitted */ readonly cspReportUri?: string | null;
  /** @default - omitted */ readonly cspReportTo?: string | null;
}

const CSP_DIRECTIVES: [keyof IngressCspProps, string, string | null][] = [
  ['cspConnectSrc', 'connect-src', "'self' ws:"],
  ['cspDefaultSrc', 'default-src', "'self'"],
  ['cspFencedFrameSrc', 'fenced-frame-src', null],
  ['cspFontSrc', 'font-src', "'self' https: data:"],
  ['cspFrameSrc', 'frame-src', null],
  ['cspImgSrc', 'img-src', "'self' data:"],
  ['cspManifestSrc', 'manifest-src', null],
  ['cspMediaSrc', 'media-src', null],
  ['cspObjectSrc', 'object-src', "'none'"],
  ['cspScriptSrc', 'script-src', null],
  ['cspScriptSrcElem', 'script-src-elem', null],
  ['cspStyleSrc', 'style-src', "'self'"],
  ['cspStyleSrcElem', 'style-src-elem', null],
  ['cspStyleSrcAttr', 'style-src-attr', null],
  ['cspWorkerSrc', 'worker-src', null],
  ['cspBaseUri', 'base-uri', null],
  ['cspSandbox', 'sandbox', null],
  ['cspFormAction', 'form-action', null],
  ['cspFrameAncestors', 'frame-ancestors', null],
  ['cspReportUri', 'report-uri', null],
  ['cspReportTo', 'report-to', null],
];

/** Permissions-Policy defaults: `()` (off) except the `(self)` ones, as Panfactum. */
export const PERMISSIONS_POLICY_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries([
  'accelerometer', 'ambient-light-sensor', 'autoplay', 'battery', 'bluetooth', 'camera', 'display-capture', 'document-domain',
  'encrypted-media', 'execution-while-not-rendered', 'execution-while-out-of-viewport', 'fullscreen', 'gamepad', 'geolocation',
  'gyroscope', 'hid', 'identity-credentials-get', 'idle-detection', 'local-fonts', 'magnetometer', 'microphone', 'midi',
  'otp-credentials', 'payment', 'picture-in-picture', 'publickey-credentials-create', 'publickey-credentials-get',
  'screen-wake-lock', 'serial', 'speaker-selection', 'storage-access', 'usb', 'web-share', 'window-management', 'xr-spatial-tracking',
].map((d) => [d, ['document-domain', 'execution-while-not-rendered', 'execution-while-out-of-viewport', 'gamepad', 'hid', 'local-fonts', 'picture-in-picture'].includes(d) ? '(self)' : '()']));

export const DEFAULT_CORS_EXPOSED_HEADERS = ['Content-Encoding', 'Date', 'Location', 'X-Frame-Options', 'X-Content-Type-Options', 'Permissions-Policy', 'X-XSS-Protection', 'Vary', 'Cross-Origin-Response-Policy', 'Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy', 'Content-Security-Policy', 'Referrer-Policy'];
export const DEFAULT_CORS_ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
export const DEFAULT_CORS_ALLOWED_HEADERS = ['DNT', 'Keep-Alive', 'User-Agent', 'X-Requested-With', 'If-Modified-Since', 'Cache-Control', 'Content-Disposition', 'Content-Type', 'Range', 'Authorization', 'Cookies', 'Referrer', 'Accept', 'sec-ch-ua', 'sec-ch-ua-mobile', 'sec-ch-ua-platform', 'X-Suggested-File-Name', 'Cookie'];

/**
 * Inputs of an ingress: hosts, paths, TLS, redirects, CDN and security headers.
 *
 * @group Edge & AWS
 */
export interface IngressProps extends IngressCspProps {
  /** Namespace of the Ingresses, ConfigMap and Certificate. */
  readonly namespace: string;
  /** Base name: Certificate `<name>`, secret `<name>-tls`, Ingresses `<name>-<hash>`. */
  readonly name: string;
  /** Host names served (deduplicated and sorted). */
  readonly domains: string[];
  /** Routing entries. */
  readonly ingressConfigs: IngressConfig[];
  /** Front the Ingresses with CloudFront: serve hashed origin hosts and output `cdnOriginConfigs`. @default false */
  readonly cdnModeEnabled?: boolean;
  /**
   * In CDN mode, refuse every request that does not come from CloudFront, so that nobody can
   * reach the origin around the distribution's WAF and geo restriction (through the published
   * origin host, or through the load balancer with a forged Host header): each routing Ingress
   * gets `nginx.ingress.kubernetes.io/whitelist-source-range` with CloudFront's origin-facing
   * address ranges (the AWS managed prefix list `com.amazonaws.global.cloudfront.origin-facing`,
   * read at plan time with `awsProvider`) plus `cdnOriginExtraSourceRanges`; the controller
   * answers 403 to any other client address. It relies on the controller seeing the address of
   * the connection (the NLB preserves it or passes it with the PROXY protocol), not one taken
   * from `X-Forwarded-For` (see docs/cdn.md "Origin protection"). Set false only when the
   * controller cannot see that address, or when the origin must also answer other clients.
   * @default true
   */
  readonly cdnOriginProtectionEnabled?: boolean;
  /**
   * Address ranges (CIDRs or addresses, IPv4 or IPv6) allowed to reach the origin besides
   * CloudFront's, with cdnOriginProtectionEnabled, e.g. an office VPN for debugging.
   * @default []
   */
  readonly cdnOriginExtraSourceRanges?: string[];
  /**
   * Accept `*-snippet` annotations (`configuration-snippet`, `server-snippet`, `auth-snippet`,
   * `stream-snippet`, ...: every key ending in `-snippet`, as ingress-nginx counts them) in
   * `extraAnnotations` and `ingressConfigs[].extraAnnotations`. A snippet is raw nginx.conf
   * text run by the controller: whoever writes it can read the controller's service account
   * token and the Secrets of every namespace (CVE-2021-25742) and undo every other setting here,
   * the CDN origin protection included. The controller must allow them too
   * (`allow-snippet-annotations: "true"`, off by default since ingress-nginx 1.9, and
   * `annotations-risk-level: Critical`, "High" by default since 1.12), and the audit still
   * reports GP-NET-003 for them.
   * @default false
   */
  readonly allowSnippetAnnotations?: boolean;
  /** Annotations added to every Ingress. @default {} */
  readonly extraAnnotations?: Record<string, string>;
  /** Add ingress-nginx rate limits (limit-connections, limit-rps, limit-rpm, limit-burst-multiplier). @default true */
  readonly rateLimitingEnabled?: boolean;
  /** Concurrent connections per client IP. @default 60 */
  readonly rateLimitConnections?: number;
  /** Requests per second per client IP. @default 60 */
  readonly rateLimitRps?: number;
  /** Requests per minute per client IP. @default 1000 */
  readonly rateLimitRpm?: number;
  /** Burst size as a multiple of the rate. @default 3 */
  readonly rateLimitBurstMultiplier?: number;
  /** Proxy read/send timeout in seconds. @default - the controller's (60) */
  readonly idleTimeoutSeconds?: number;
  /** Request body limit in MB (proxy-body-size). @default - the controller's (1m) */
  readonly bodySizeLimitMb?: number;
  /** Create a cert-manager Certificate `<name>` (secret `<name>-tls`) for the domains. @default false (the controller's default certificate) */
  readonly generateCertEnabled?: boolean;
  /** cert-manager issuer of the Certificate. @default - the cluster profile's `certIssuerName` (panfactum: "public"; eks: none, so give one) */
  readonly certIssuerName?: string;
  /** Kind of that issuer. @default "ClusterIssuer" */
  readonly certIssuerKind?: 'ClusterIssuer' | 'Issuer';
  /** Redirects (one Ingress each). @default [] */
  readonly redirectRules?: IngressRedirectRule[];
  /** Redirect HTTP to HTTPS (`ssl-redirect`). @default true */
  readonly sslRedirectEnabled?: boolean;
  /** Cookie affinity: pin a client to one pod (`affinity: cookie`, balanced, Secure, SameSite=Strict). @default true (as Panfactum) */
  readonly stickySessionsEnabled?: boolean;
  /** Lifetime of the affinity cookie in seconds. @default 3600 */
  readonly stickySessionMaxAgeSeconds?: number;
  /**
   * Emit response headers through the `custom-headers` ConfigMap mechanism (see docs/ingress.md:
   * the controller must list the names in `global-allowed-response-headers`).
   * @default true
   */
  readonly responseHeadersEnabled?: boolean;
  /** Static headers added to every response. @default {} */
  readonly extraResponseHeaders?: Record<string, string>;
  /** Send Strict-Transport-Security. @default true */
  readonly hstsEnabled?: boolean;
  /** HSTS max-age in seconds. @default 31536000 */
  readonly hstsMaxAgeSeconds?: number;
  /** HSTS includeSubDomains. @default true */
  readonly hstsIncludeSubdomains?: boolean;
  /** HSTS preload (submit the domain to the preload list first). @default false */
  readonly hstsPreload?: boolean;
  /** Send COOP and COEP. @default false */
  readonly crossOriginIsolationEnabled?: boolean;
  /** Cross-Origin-Opener-Policy. @default "same-origin" */
  readonly crossOriginOpenerPolicy?: string;
  /** Cross-Origin-Embedder-Policy. @default "require-corp" */
  readonly crossOriginEmbedderPolicy?: string;
  /** Cross-Origin-Resource-Policy (always sent). @default "same-site" */
  readonly crossOriginResourcePolicy?: string;
  /** Referrer-Policy. @default "no-referrer" */
  readonly referrerPolicy?: string;
  /** X-Frame-Options (DENY or SAMEORIGIN). @default "SAMEORIGIN" */
  readonly xFrameOptions?: string;
  /** X-XSS-Protection ("0", "1" or "1; mode=block"). @default "1; mode=block" */
  readonly xXssProtection?: string;
  /** Send `X-Content-Type-Options: nosniff`. @default true */
  readonly xContentTypeOptionsEnabled?: boolean;
  /** Send Permissions-Policy. @default false */
  readonly permissionsPolicyEnabled?: boolean;
  /**
   * Permissions-Policy directives (hyphenated names, e.g. `{ camera: "(self)" }`) merged over
   * PERMISSIONS_POLICY_DEFAULTS; null removes a directive.
   * @default {}
   */
  readonly permissionsPolicyDirectives?: Record<string, string | null>;
  /** Answer CORS with ingress-nginx's built-in CORS (enable-cors). @default false */
  readonly corsEnabled?: boolean;
  /** Access-Control-Expose-Headers. @default - DEFAULT_CORS_EXPOSED_HEADERS */
  readonly corsExposedHeaders?: string[];
  /** Access-Control-Allow-Methods. @default ["GET","HEAD","POST","OPTIONS","PUT","PATCH","DELETE"] */
  readonly corsAllowedMethods?: string[];
  /** Access-Control-Max-Age in seconds. @default 86400 */
  readonly corsMaxAgeSeconds?: number;
  /** Allow `https://<domain>`. @default true */
  readonly corsAllowedOriginsSelf?: boolean;
  /** Allow `https://*.<domain>`. @default true */
  readonly corsAllowedOriginsSubdomains?: boolean;
  /** Allow `https://*.<parent of domain>` (only when the parent has two or more labels). @default true */
  readonly corsAllowedOriginsSiblingDomains?: boolean;
  /** Allow any origin (`*`; cannot be combined with credentials). @default false */
  readonly corsAllowedOriginsAny?: boolean;
  /** Extra origins (`https://app.example.com`, `https://*.example.org`). @default [] */
  readonly corsExtraAllowedOrigins?: string[];
  /** Access-Control-Allow-Headers. @default - DEFAULT_CORS_ALLOWED_HEADERS */
  readonly corsAllowedHeaders?: string[];
  /** Access-Control-Allow-Credentials. @default true */
  readonly corsAllowCredentials?: boolean;
}

/** What KubeIngress reads for the model (the model itself creates no Terraform elements). */
export interface IngressModelInputs {
  /** CloudFront's origin-facing address ranges (a list token: the managed prefix list's entries), for the CDN origin protection. */
  readonly cloudFrontOriginRanges?: string[];
}

export interface IngressModel {
  readonly ingresses: Named<IIngress>[];
  readonly certificate?: Named<ICertificate>;
  readonly headersConfigMap?: Named<IConfigMap>;
  readonly responseHeaders: Record<string, string>;
  readonly cdnOriginConfigs: CdnOriginConfig[];
  /** Hosts the Ingresses serve (domains, plus the origin hosts in CDN mode). */
  readonly hosts: string[];
  /** `<hash>.<domain>` per domain in CDN mode. */
  readonly originHosts: Record<string, string>;
  readonly certificateSecretName?: string;
  readonly corsAllowedOrigins: string[];
  /** The `whitelist-source-range` of the routing Ingresses with the CDN origin protection (comma-separated). */
  readonly cdnOriginSourceRanges?: string;
}

const ORIGIN = /^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/;
const HEADER_NAME = /^[A-Za-z0-9-]+$/;
/** What ingress-nginx admits in `rewrite-target` (its RegexPathWithCapture validator); it drops an invalid one. */
const REWRITE_CHARSET = {
  pattern: /^[-._~A-Za-z0-9/:$]*$/,
  fix: 'use only letters, digits, "-", ".", "_", "~", "/", ":" and "$" (capture references such as $1): ingress-nginx validates rewrite-target with this class and drops an invalid one, so requests would reach the Service unrewritten',
};
/** What ingress-nginx admits in a path it validates (rewrite-target without "$", session-cookie-path). */
const PREFIX_CHARSET = {
  pattern: /^[-._~A-Za-z0-9/:]*$/,
  fix: 'use a plain path of letters, digits, "-", ".", "_", "~", "/" and ":" such as "/api/": the prefix is also the head of the rewrite-target and the affinity cookie path, which ingress-nginx validates with this class (an invalid rewrite-target is dropped, so requests would reach the Service unrewritten)',
};

/** An IPv4 or IPv6 address or CIDR range for an ingress-nginx source range annotation. */
function sourceRange(v: PropValidator, field: string, value: string): void {
  nginxValue(v, field, value, { what: 'the address range' });
  if (isToken(value)) return;
  const [address, bits, ...rest] = typeof value === 'string' ? value.split('/') : [];
  const family = isIP(address ?? '');
  const valid = family !== 0 && rest.length === 0 && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128)));
  if (!valid) v.fail(field, value, 'give an IPv4 or IPv6 address or CIDR range, e.g. "203.0.113.0/24" or "2001:db8::/32"', 'is not an address range');
}

function sortedUnique(list: string[]): string[] {
  return [...new Set(list)].sort();
}

/** CSP header value: set directives in lexical order, then `upgrade-insecure-requests`. */
export function buildCsp(props: IngressCspProps): string {
  const parts = CSP_DIRECTIVES
    .map(([key, directive, dflt]) => [directive, props[key] === undefined ? dflt : props[key]] as [string, string | null])
    .filter(([, value]) => value !== null && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([d, value]) => `${d} ${value}`);
  return [...parts, 'upgrade-insecure-requests'].join('; ');
}

/** Permissions-Policy header value, directives in lexical order. */
export function buildPermissionsPolicy(overrides: Record<string, string | null> = {}): string {
  const merged: Record<string, string | null> = { ...PERMISSIONS_POLICY_DEFAULTS, ...overrides };
  return Object.keys(merged).sort().filter((k) => merged[k] !== null).map((k) => `${k}=${merged[k]}`).join(', ');
}

/** The CDN origin host of a domain: `<12 hex of sha256(domain)>.<domain>`. */
export function cdnOriginHost(domain: string): string {
  return `${cdnHash([domain])}.${domain}`;
}

/**
 * The origins ingress-nginx's `cors-allow-origin` gets (sorted, deduplicated). For a domain that
 * is a deploy-time token the sibling origin is computed by Terraform (an empty string when the
 * domain has no parent of two labels); a list token of extra origins is not in this list (see
 * `corsOriginsAnnotation`).
 */
export function corsOrigins(domains: string[], p: IngressProps): string[] {
  if (p.corsAllowedOriginsAny) return ['*'];
  const out: string[] = [];
  for (const d of domains) {
    if (p.corsAllowedOriginsSelf ?? true) out.push(`https://${d}`);
    if (p.corsAllowedOriginsSubdomains ?? true) out.push(`https://*.${d}`);
    if (!(p.corsAllowedOriginsSiblingDomains ?? true)) continue;
    if (isToken(d)) {
      const labels = Fn.split('.', d);
      const parent = Fn.join('.', Fn.slice(labels, 1, Fn.lengthOf(labels)));
      out.push(Token.asString(Fn.conditional(Op.gte(Fn.lengthOf(labels), 3), functionArgument(`https://*.${parent}`), '')));
      continue;
    }
    const parent = d.split('.').slice(1);
    if (parent.length >= 2) out.push(`https://*.${parent.join('.')}`);
  }
  const extra = p.corsExtraAllowedOrigins ?? [];
  return sortedUnique([...out, ...(isListToken(extra) ? [] : extra)]);
}

/** The `cors-allow-origin` value: the origins joined, by Terraform when some are only known at apply. */
function corsOriginsAnnotation(origins: string[], extra: string[] | undefined): string {
  if (!origins.some((o) => isToken(o)) && !isListToken(extra)) return origins.join(', ');
  return Fn.join(', ', Fn.sort(Fn.distinct(Fn.compact(Fn.concat([origins.map(functionArgument), isListToken(extra) ? extra : []])))));
}

/** A value for the custom-headers ConfigMap (`more_set_headers "<name>: <value>"`): spaces are meaningful, printable ASCII only. */
const HEADER_VALUE = (what: string) => ({ what, spaces: true, asciiOnly: true });

function checkOneOf(v: PropValidator, field: string, value: string, allowed: string[]): string {
  return v.oneOf(field, value, allowed);
}

/** Build every object of a KubeIngress. */
export function buildIngressModel(v: PropValidator, env: ResolvedEnvironmentContext, p: IngressProps, inputs: IngressModelInputs = {}): IngressModel {
  const ingressClass = env.cluster.ingressNginxClass;
  if (ingressClass === false) {
    v.capability('name', p.name, env.cluster, 'ingressNginxClass', 'the ingress-nginx controller (every routing rule is an ingress-nginx annotation)', "'nginx'",
      'expose the workload another way (a Service of type LoadBalancer: serviceType "LoadBalancer")');
  }
  const namespace = v.dnsLabel('namespace', v.required('namespace', p.namespace));
  const name = v.dnsSubdomain('name', v.knownAtSynth('name', v.required('name', p.name),
    'it names the Ingresses (with a hash suffix), the Certificate, the response headers ConfigMap and the affinity cookies'));
  // Switches that decide which objects, annotations and headers exist cannot wait for apply.
  const shape = 'it decides which objects, annotations or headers are emitted';
  for (const k of ['cdnModeEnabled', 'corsEnabled', 'generateCertEnabled', 'stickySessionsEnabled', 'responseHeadersEnabled', 'rateLimitingEnabled',
    'hstsEnabled', 'cspEnabled', 'crossOriginIsolationEnabled', 'permissionsPolicyEnabled', 'xContentTypeOptionsEnabled', 'corsAllowedOriginsSelf',
    'corsAllowedOriginsSubdomains', 'corsAllowedOriginsSiblingDomains', 'corsAllowedOriginsAny', 'cdnOriginProtectionEnabled'] as const) v.knownAtSynth(k, p[k], shape);
  v.knownAtSynth('allowSnippetAnnotations', p.allowSnippetAnnotations, 'it decides whether snippet annotations (raw nginx.conf) are accepted');
  if (isListToken(p.domains)) {
    v.knownAtSynth('domains', p.domains, 'each domain gets its own Ingress rule, TLS host and CORS origin',
      'give the domains as a list in code; each domain in it may be a token ([domain.stringValue, "www.example.com"])');
  }
  if (!isToken(name) && name.length > 50) v.fail('name', name, 'use at most 50 characters (Ingress names get a 13-character hash suffix)', 'is too long');
  v.nonEmpty('domains', v.required('domains', p.domains), 'list at least one host name, e.g. ["app.example.com"]');
  p.domains.forEach((d, i) => {
    nginxValue(v, `domains[${i}]`, d, { what: 'the host name' });
    v.dnsSubdomain(`domains[${i}]`, d);
    if (!isToken(d) && !d.includes('.')) v.fail(`domains[${i}]`, d, 'give a fully qualified host name such as "app.example.com"', 'is not a fully qualified domain');
  });
  const domains = sortedUnique(p.domains);
  v.nonEmpty('ingressConfigs', v.required('ingressConfigs', p.ingressConfigs), 'give at least one routing entry: [{ service: "web", servicePort: 80 }]');
  const labels = moduleLabels(env, 'kube_ingress');
  const cdnMode = p.cdnModeEnabled ?? false;
  const originHosts: Record<string, string> = cdnMode ? Object.fromEntries(domains.map((d) => [d, cdnOriginHost(d)])) : {};
  const hosts = cdnMode ? [...domains, ...domains.map((d) => originHosts[d])] : domains;
  const externalDnsHosts = cdnMode ? domains.map((d) => originHosts[d]) : domains;
  const originProtection = cdnMode && (p.cdnOriginProtectionEnabled ?? true);
  if (!originProtection && p.cdnOriginExtraSourceRanges !== undefined && (isListToken(p.cdnOriginExtraSourceRanges) || p.cdnOriginExtraSourceRanges.length > 0)) {
    v.fail('cdnOriginExtraSourceRanges', p.cdnOriginExtraSourceRanges, 'remove it, or set cdnModeEnabled: true (and leave cdnOriginProtectionEnabled on): the ranges only widen the CDN origin protection',
      'is set, but no CDN origin protection is emitted');
  }
  // The nginx-prefixed keys that would replace the origin allow list (whitelist- is the documented name, allowlist- its alias since 1.9).
  const sourceRangeKeys = [`${NGINX}/whitelist-source-range`, `${NGINX}/allowlist-source-range`];
  const allowSnippets = p.allowSnippetAnnotations ?? false;
  /** `extraAnnotations` (Ingress-wide or per entry): keys and values checked, snippets only by opt-in. */
  const extraAnnotations = (field: string, annotations: Record<string, string> | undefined): Record<string, string> => {
    const out = v.annotations(field, annotations);
    if (!annotations || isToken(annotations)) return out;
    for (const [k, value] of Object.entries(annotations)) {
      const f = `${field}["${k}"]`;
      // ingress-nginx counts every key ending in "-snippet" as a snippet (whatever its prefix).
      if (k.endsWith('-snippet')) {
        if (!allowSnippets) {
          v.fail(f, value, 'use first-class annotations (or the props of this construct) instead. A snippet is raw nginx.conf run by the controller; if you accept that, set allowSnippetAnnotations: true and allow snippets in the controller (allow-snippet-annotations, annotations-risk-level: Critical)',
            'is a snippet annotation, refused unless allowSnippetAnnotations is true');
        }
        continue; // raw nginx.conf by design: the opt-in takes it as is
      }
      if (originProtection && sourceRangeKeys.includes(k)) {
        v.fail(f, value, 'add addresses with cdnOriginExtraSourceRanges (CloudFront\'s ranges stay), or set cdnOriginProtectionEnabled: false to drop the protection',
          'would replace the CDN origin protection (the CloudFront address allow list)');
      }
      if (k.startsWith(`${NGINX}/`)) nginxValue(v, f, value, { what: `the ${k} annotation value`, spaces: true });
    }
    return out;
  };

  // ---- TLS ----
  const generateCert = p.generateCertEnabled ?? false;
  const certSecret = generateCert ? `${name}-tls` : undefined;
  let certificate: Named<ICertificate> | undefined;
  if (generateCert) {
    if (!env.cluster.certManager) {
      v.capability('generateCertEnabled', true, env.cluster, 'certManager', 'cert-manager (CRD certificates.cert-manager.io)', 'true', 'serve an existing certificate with tlsSecretName, or the controller\'s default one (generateCertEnabled: false)');
    }
    const issuer = p.certIssuerName ?? env.cluster.certIssuerName;
    if (issuer === undefined) {
      v.fail('certIssuerName', undefined, `name the cert-manager issuer to use (certIssuerName: "letsencrypt"), or declare the cluster's default one in the cluster profile (certIssuerName)`, 'is missing: the cluster profile names no default issuer');
    }
    const issuerName = v.dnsSubdomain('certIssuerName', issuer);
    const issuerKind = v.oneOf('certIssuerKind', p.certIssuerKind ?? 'ClusterIssuer', ['ClusterIssuer', 'Issuer'] as const);
    certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name, namespace, labels },
      spec: {
        secretName: certSecret!,
        dnsNames: hosts,
        duration: '2160h0m0s',
        renewBefore: '720h0m0s',
        privateKey: { rotationPolicy: 'Always' },
        issuerRef: { name: issuerName, kind: issuerKind, group: 'cert-manager.io' },
      },
    };
  }

  // ---- response headers (ConfigMap for the custom-headers annotation) ----
  const responseHeaders = buildResponseHeaders(v, p);
  const headersEnabled = (p.responseHeadersEnabled ?? true) && Object.keys(responseHeaders).length > 0;
  const headersConfigMapName = `${name}-response-headers`;
  const headersConfigMap: Named<IConfigMap> | undefined = headersEnabled
    ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: headersConfigMapName, namespace, labels }, data: responseHeaders }
    : undefined;

  // ---- annotations common to every Ingress ----
  const common: Record<string, string> = { [`${NGINX}/use-regex`]: 'true', [`${NGINX}/ssl-redirect`]: String(p.sslRedirectEnabled ?? true) };
  if (headersConfigMap) common[`${NGINX}/custom-headers`] = `${namespace}/${headersConfigMapName}`;
  let corsAllowedOrigins: string[] = [];
  if (p.corsEnabled) {
    corsAllowedOrigins = corsOrigins(domains, p);
    const credentials = p.corsAllowCredentials ?? true;
    if (corsAllowedOrigins.includes('*') && credentials) {
      v.fail('corsAllowedOriginsAny', true, 'list the trusted origins (corsExtraAllowedOrigins), or set corsAllowCredentials: false: credentials from any origin let every site act as the signed-in user', 'cannot be combined with corsAllowCredentials');
    }
    (isListToken(p.corsExtraAllowedOrigins) ? [] : p.corsExtraAllowedOrigins ?? []).forEach((o, i) => {
      nginxValue(v, `corsExtraAllowedOrigins[${i}]`, o, { what: 'the CORS origin' });
      if (!isToken(o) && o !== '*' && !ORIGIN.test(o)) v.fail(`corsExtraAllowedOrigins[${i}]`, o, 'an origin is scheme://host[:port] with no path, e.g. "https://app.example.com" or "https://*.example.com"', 'is not an origin');
    });
    const list = (field: string, l: string[], upper: boolean): string => {
      // A list token is joined (and upper-cased) by Terraform; so is each token in a literal list.
      if (isListToken(l)) return upper ? Fn.upper(Fn.join(', ', l)) : Fn.join(', ', l);
      l.forEach((h, i) => {
        nginxValue(v, `${field}[${i}]`, h, { what: 'the CORS list item' });
        if (!isToken(h) && !HEADER_NAME.test(h)) v.fail(`${field}[${i}]`, h, 'use a header or method name (letters, digits and -)', 'is not a valid name');
      });
      return sortedUnique(upper ? l.map((m) => (isToken(m) ? Fn.upper(m) : m.toUpperCase())) : l).join(', ');
    };
    Object.assign(common, {
      [`${NGINX}/enable-cors`]: 'true',
      [`${NGINX}/cors-allow-origin`]: corsOriginsAnnotation(corsAllowedOrigins, p.corsExtraAllowedOrigins),
      [`${NGINX}/cors-allow-methods`]: list('corsAllowedMethods', p.corsAllowedMethods ?? DEFAULT_CORS_ALLOWED_METHODS, true),
      [`${NGINX}/cors-allow-headers`]: list('corsAllowedHeaders', p.corsAllowedHeaders ?? DEFAULT_CORS_ALLOWED_HEADERS, false),
      [`${NGINX}/cors-expose-headers`]: list('corsExposedHeaders', p.corsExposedHeaders ?? DEFAULT_CORS_EXPOSED_HEADERS, false),
      [`${NGINX}/cors-max-age`]: String(v.integer('corsMaxAgeSeconds', p.corsMaxAgeSeconds ?? 86400, 0, 86400)),
      [`${NGINX}/cors-allow-credentials`]: String(credentials),
    });
  }
  if (p.rateLimitingEnabled ?? true) {
    Object.assign(common, {
      [`${NGINX}/limit-connections`]: String(v.integer('rateLimitConnections', p.rateLimitConnections ?? 60, 1)),
      [`${NGINX}/limit-rps`]: String(v.integer('rateLimitRps', p.rateLimitRps ?? 60, 1)),
      [`${NGINX}/limit-rpm`]: String(v.integer('rateLimitRpm', p.rateLimitRpm ?? 1000, 1)),
      [`${NGINX}/limit-burst-multiplier`]: String(v.integer('rateLimitBurstMultiplier', p.rateLimitBurstMultiplier ?? 3, 1)),
    });
  }
  if (p.idleTimeoutSeconds !== undefined) {
    const t = String(v.integer('idleTimeoutSeconds', p.idleTimeoutSeconds, 1, 3600, 'use whole seconds from 1 to 3600'));
    common[`${NGINX}/proxy-read-timeout`] = t;
    common[`${NGINX}/proxy-send-timeout`] = t;
  }
  if (p.bodySizeLimitMb !== undefined) {
    common[`${NGINX}/proxy-body-size`] = `${v.integer('bodySizeLimitMb', p.bodySizeLimitMb, 0, 1048576, 'use whole megabytes (0 = no limit)')}m`;
  }
  Object.assign(common, extraAnnotations('extraAnnotations', p.extraAnnotations));
  // ---- CDN origin protection: only CloudFront's origin-facing addresses (plus the extra ranges) reach the routes ----
  let cdnOriginSourceRanges: string | undefined;
  if (originProtection) {
    const extra = p.cdnOriginExtraSourceRanges ?? [];
    if (!isListToken(extra)) extra.forEach((r, i) => sourceRange(v, `cdnOriginExtraSourceRanges[${i}]`, r));
    const cloudFront = inputs.cloudFrontOriginRanges;
    if (cloudFront === undefined) throw new Error('buildIngressModel: the CDN origin protection needs inputs.cloudFrontOriginRanges (KubeIngress reads them from the managed prefix list)');
    // Sorted and deduplicated by Terraform when the list is only known at plan (the managed prefix list always is).
    cdnOriginSourceRanges = isToken(cloudFront) || isToken(extra)
      ? Fn.join(',', Fn.sort(Fn.distinct(isListToken(extra) || extra.length > 0 ? Fn.concat([cloudFront, extra]) : cloudFront)))
      : sortedUnique([...cloudFront, ...extra]).join(',');
    common[`${NGINX}/whitelist-source-range`] = cdnOriginSourceRanges;
  }
  const externalDns = {
    'external-dns.alpha.kubernetes.io/ingress-hostname-source': 'annotation-only',
    [AnnotationKeys.externalDnsHostname]: externalDnsHosts.join(','),
  };
  const stickyMaxAge = v.integer('stickySessionMaxAgeSeconds', p.stickySessionMaxAgeSeconds ?? 3600, 1);

  const tlsFor = (secret: string | undefined) => [{ hosts, ...(secret ? { secretName: secret } : {}) }];
  const ingresses: Named<IIngress>[] = [];
  const seenPaths = new Map<string, string>();
  const cdnOriginConfigs: CdnOriginConfig[] = [];

  p.ingressConfigs.forEach((c, i) => {
    const f = `ingressConfigs[${i}]`;
    const prefix = c.pathPrefix ?? '/';
    if (!isToken(prefix) && !prefix.startsWith('/')) v.fail(`${f}.pathPrefix`, prefix, 'start the prefix with "/", e.g. "/api/"', 'is not an absolute path');
    const removePrefix = v.knownAtSynth(`${f}.removePrefix`, c.removePrefix, 'it decides the rewrite target path');
    const sticky = p.stickySessionsEnabled ?? true;
    // The prefix is also the head of the rewrite target and the affinity cookie's path.
    nginxValue(v, `${f}.pathPrefix`, prefix, { what: 'the path prefix', regex: true, charset: !removePrefix || sticky ? PREFIX_CHARSET : undefined });
    // An Ingress backend names a Service, and Service names are DNS-1035 labels (no leading digit).
    nginxValue(v, `${f}.service`, c.service, { what: 'the Service name' });
    v.dns1035Label(`${f}.service`, v.required(`${f}.service`, c.service));
    v.port(`${f}.servicePort`, v.required(`${f}.servicePort`, c.servicePort));
    if (c.tlsSecretName !== undefined) nginxValue(v, `${f}.tlsSecretName`, c.tlsSecretName, { what: 'the TLS Secret name' });
    const secret = c.tlsSecretName !== undefined ? v.dnsSubdomain(`${f}.tlsSecretName`, c.tlsSecretName) : certSecret;
    const entryAnnotations = extraAnnotations(`${f}.extraAnnotations`, c.extraAnnotations);
    const rules = [...(c.rewriteRules ?? []), { match: '(.*)', rewrite: '$1' }];
    rules.forEach((r, j) => {
      const rf = `${f}.rewriteRules[${j}]`;
      nginxValue(v, `${rf}.match`, r.match, { what: 'the path regular expression', regex: true });
      nginxValue(v, `${rf}.rewrite`, r.rewrite, { what: 'the rewrite target', charset: REWRITE_CHARSET });
      const match = r.match.replace(/^\^/, '').replace(/\$$/, '');
      try {
        new RegExp(match);
      } catch (e) {
        v.fail(`${rf}.match`, r.match, 'give a valid regular expression for the path after the prefix, e.g. "v1/(.*)"', `does not compile (${(e as Error).message})`);
      }
      const path = collapseSlashes(`${prefix}${match}$`);
      const clash = seenPaths.get(path);
      if (clash) v.fail(`${rf}.match`, r.match, `the path "${path}" is already routed by ${clash}; give each prefix and rewrite a distinct path`, 'duplicates a path');
      seenPaths.set(path, rf);
      const ingressName = fitName(`${name}-${cdnHash([prefix, domains.join(''), c.service, textOf(c.servicePort), match])}`, 253);
      const annotations: Record<string, string> = {
        ...common,
        ...(sticky
          ? {
            [`${NGINX}/affinity`]: 'cookie',
            [`${NGINX}/affinity-mode`]: 'balanced',
            [`${NGINX}/session-cookie-name`]: isToken(ingressName) ? Fn.replace(ingressName, '/[^A-Za-z0-9_-]/', '_') : ingressName.replace(/[^A-Za-z0-9_-]/g, '_'),
            [`${NGINX}/session-cookie-path`]: prefix,
            [`${NGINX}/session-cookie-secure`]: 'true',
            [`${NGINX}/session-cookie-max-age`]: String(stickyMaxAge),
            [`${NGINX}/session-cookie-change-on-failure`]: 'true',
            [`${NGINX}/session-cookie-samesite`]: 'Strict',
          }
          : {}),
        ...externalDns,
        [`${NGINX}/rewrite-target`]: collapseSlashes(removePrefix ? `/${r.rewrite}` : `${prefix}${r.rewrite}`),
        ...entryAnnotations,
      };
      ingresses.push({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: ingressName, namespace, labels, annotations },
        spec: {
          ingressClassName: ingressClass,
          tls: tlsFor(secret),
          rules: hosts.map((host) => ({
            host,
            http: { paths: [{ path, pathType: 'ImplementationSpecific', backend: { service: { name: c.service, port: { number: c.servicePort } } } }] },
          })),
        },
      });
    });
    if (cdnMode) {
      const cdn = c.cdn ?? {};
      if (cdn.defaultCacheBehavior) resolveCacheBehavior(v, `${f}.cdn.defaultCacheBehavior`, cdn.defaultCacheBehavior);
      for (const [k, b] of Object.entries(cdn.pathMatchBehavior ?? {})) resolveCacheBehavior(v, `${f}.cdn.pathMatchBehavior["${k}"]`, b);
      cdnOriginConfigs.push({
        // An id known at synth (KubeAwsCdn names resources after it), whatever the tokens hold.
        originId: synthHash([domains.join(''), c.service, textOf(c.servicePort), prefix]),
        originDomain: originHosts[domains[0]],
        domains,
        pathPrefix: prefix,
        extraOriginHeaders: { ...(cdn.extraOriginHeaders ?? {}) },
        // The Ingress already strips prefixes and rewrites paths: doing it again at the edge would apply it twice.
        removePrefix: false,
        rewriteRules: [],
        defaultCacheBehavior: cdn.defaultCacheBehavior,
        pathMatchBehavior: { ...(cdn.pathMatchBehavior ?? {}) },
      });
    }
  });

  // ---- redirects: one Ingress each, answered by ingress-nginx before any proxying ----
  // host + path -> the rule that routes it: a second rule for the same path on a host would be a
  // second object (or the same object twice) answering the same requests.
  const redirectRoutes = new Map<string, string>();
  (p.redirectRules ?? []).forEach((r, i) => {
    const f = `redirectRules[${i}]`;
    nginxValue(v, `${f}.path`, r.path, { what: 'the redirect path regular expression', regex: true });
    nginxValue(v, `${f}.target`, r.target, { what: 'the redirect target URL' });
    if (!isToken(r.path) && (typeof r.path !== 'string' || !r.path.startsWith('/'))) v.fail(`${f}.path`, r.path, 'give a path regular expression starting with "/", e.g. "/old/(.*)"', 'is not a path');
    try {
      new RegExp(r.path);
    } catch (e) {
      v.fail(`${f}.path`, r.path, 'give a valid regular expression', `does not compile (${(e as Error).message})`);
    }
    if (!isToken(r.target) && !/^(https?:\/\/[^\s]+|\/[^\s]*)$/.test(r.target ?? '')) v.fail(`${f}.target`, r.target, 'give an absolute URL ("https://example.com/new/$1") or a path ("/new/$1")', 'is not a URL');
    if (isListToken(r.domains)) {
      v.knownAtSynth(`${f}.domains`, r.domains, 'each host gets its own rule and TLS host', 'give the hosts as a list in code; each may be a token');
    }
    v.knownAtSynth(`${f}.permanent`, r.permanent, 'it decides the redirect annotation (permanent-redirect or temporal-redirect)');
    const ruleHosts = r.domains ?? domains;
    // Membership can only be checked when every domain is known.
    if (!domains.some((d) => isToken(d))) {
      ruleHosts.forEach((h, j) => {
        if (!isToken(h) && !domains.includes(h)) v.fail(`${f}.domains[${j}]`, h, `use one of the ingress domains (${domains.join(', ')})`, 'is not served by this ingress');
      });
    }
    // Only literal paths and hosts can be compared; a token may hold anything.
    if (!isToken(r.path)) {
      ruleHosts.forEach((h) => {
        if (isToken(h)) return;
        const key = `${h} ${r.path}`;
        const other = redirectRoutes.get(key);
        if (other !== undefined) {
          v.fail(`${f}.path`, r.path, `${other} already redirects ${JSON.stringify(r.path)} on ${h}; remove the duplicate, or merge the two rules into one`, 'duplicates a redirect');
        }
        redirectRoutes.set(key, f);
      });
    }
    const c = p.ingressConfigs[0];
    const redirectName = fitName(`${name}-redirect-${cdnHash([r.path, ruleHosts.join(''), r.target])}`, 253);
    ingresses.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: redirectName,
        namespace,
        labels,
        annotations: {
          [`${NGINX}/use-regex`]: 'true',
          [`${NGINX}/ssl-redirect`]: String(p.sslRedirectEnabled ?? true),
          [r.permanent ? `${NGINX}/permanent-redirect` : `${NGINX}/temporal-redirect`]: r.target,
        },
      },
      spec: {
        ingressClassName: ingressClass,
        // TLS for exactly the hosts this Ingress routes (no TLS host without a rule).
        tls: [{ hosts: ruleHosts, ...(certSecret ? { secretName: certSecret } : {}) }],
        rules: ruleHosts.map((host) => ({
          host,
          // The backend is never reached (the redirect answers first) but an Ingress path needs one.
          http: { paths: [{ path: r.path, pathType: 'ImplementationSpecific', backend: { service: { name: c.service, port: { number: c.servicePort } } } }] },
        })),
      },
    });
  });

  return {
    ingresses,
    certificate,
    headersConfigMap,
    responseHeaders: headersEnabled ? responseHeaders : {},
    cdnOriginConfigs,
    hosts,
    originHosts,
    certificateSecretName: certSecret,
    corsAllowedOrigins,
    cdnOriginSourceRanges,
  };
}

/** The response headers of an ingress (header name -> value). */
export function buildResponseHeaders(v: PropValidator, p: IngressProps): Record<string, string> {
  const h: Record<string, string> = {};
  h['Cross-Origin-Resource-Policy'] = checkOneOf(v, 'crossOriginResourcePolicy', p.crossOriginResourcePolicy ?? 'same-site', ['same-site', 'same-origin', 'cross-origin']);
  if (p.xContentTypeOptionsEnabled ?? true) h['X-Content-Type-Options'] = 'nosniff';
  h['X-Frame-Options'] = checkOneOf(v, 'xFrameOptions', p.xFrameOptions ?? 'SAMEORIGIN', ['DENY', 'SAMEORIGIN']);
  h['Referrer-Policy'] = checkOneOf(v, 'referrerPolicy', p.referrerPolicy ?? 'no-referrer', ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']);
  h['X-XSS-Protection'] = checkOneOf(v, 'xXssProtection', p.xXssProtection ?? '1; mode=block', ['0', '1', '1; mode=block']);
  if (p.hstsEnabled ?? true) {
    const maxAge = v.integer('hstsMaxAgeSeconds', p.hstsMaxAgeSeconds ?? 31536000, 0);
    const preload = p.hstsPreload ?? false;
    const sub = p.hstsIncludeSubdomains ?? true;
    // A deploy-time flag (an IResolvable, always truthy in JavaScript) is decided by Terraform.
    const known = !isToken(preload) && !isToken(sub) && !isToken(maxAge);
    if (known && preload && (!sub || maxAge < 31536000)) {
      v.fail('hstsPreload', preload, 'the preload list requires hstsIncludeSubdomains: true and hstsMaxAgeSeconds >= 31536000', 'conflicts with the other HSTS settings');
    }
    const flag = (value: boolean, text: string): string =>
      (isToken(value) ? Token.asString(Fn.conditional(value, `; ${text}`, '')) : value ? `; ${text}` : '');
    h['Strict-Transport-Security'] = `max-age=${textOf(maxAge)}${flag(sub, 'includeSubDomains')}${flag(preload, 'preload')}`;
  }
  if (p.cspEnabled) {
    for (const [key] of CSP_DIRECTIVES) nginxValue(v, key, p[key], HEADER_VALUE('a Content-Security-Policy directive value'));
    h['Content-Security-Policy'] = buildCsp(p);
  }
  if (p.crossOriginIsolationEnabled) {
    h['Cross-Origin-Opener-Policy'] = checkOneOf(v, 'crossOriginOpenerPolicy', p.crossOriginOpenerPolicy ?? 'same-origin', ['same-origin', 'same-origin-allow-popups', 'noopener-allow-popups', 'unsafe-none']);
    h['Cross-Origin-Embedder-Policy'] = checkOneOf(v, 'crossOriginEmbedderPolicy', p.crossOriginEmbedderPolicy ?? 'require-corp', ['require-corp', 'credentialless', 'unsafe-none']);
  }
  if (p.permissionsPolicyEnabled) {
    for (const [k, value] of Object.entries(p.permissionsPolicyDirectives ?? {})) {
      if (!/^[a-z][a-z-]*$/.test(k)) v.fail(`permissionsPolicyDirectives.${k}`, k, 'use the hyphenated directive name, e.g. "camera" or "display-capture"', 'is not a directive name');
      nginxValue(v, `permissionsPolicyDirectives["${k}"]`, value, HEADER_VALUE('a Permissions-Policy allow list'));
    }
    h['Permissions-Policy'] = buildPermissionsPolicy(p.permissionsPolicyDirectives);
  }
  for (const [k, value] of Object.entries(p.extraResponseHeaders ?? {})) {
    if (!HEADER_NAME.test(k)) v.fail(`extraResponseHeaders.${k}`, k, 'use a header name of letters, digits and -', 'is not a header name');
    // Each header name is a key of the custom-headers ConfigMap: at most 253 characters (found by the fuzz suite).
    if (k.length > 253) v.fail(`extraResponseHeaders.${k.slice(0, 40)}...`, k, `use a header name of at most 253 characters (it has ${k.length})`, 'is too long');
    if (typeof value !== 'string') v.fail(`extraResponseHeaders["${k}"]`, value, 'give a single-line string value', 'is not a header value');
    if (value === '') v.fail(`extraResponseHeaders["${k}"]`, value, 'give a value, or remove the header: ingress-nginx denies the whole location for an empty custom header value', 'is empty');
    nginxValue(v, `extraResponseHeaders["${k}"]`, value, HEADER_VALUE('a response header value'));
    h[k] = value;
  }
  return h;
}
