import * as vm from 'vm';
import { errorOf } from './support/errors';
import {
  CLOUDFRONT_FUNCTION_MAX_BYTES,
  CdnCorsConfig,
  ViewerRequestFunctionOptions,
  corsOriginsForDomains,
  needsViewerRequestFunction,
  notFoundFunctionCode,
  viewerRequestFunctionCode,
  viewerResponseFunctionCode,
} from '../lib/aws/cdn-functions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
type Headers = Record<string, { value: string }>;

/** Load generated code in a fresh V8 context, as CloudFront would, and return its handler. */
function load(code: string): (event: Json) => Json {
  const context = vm.createContext({});
  vm.runInContext(code, context, { filename: 'cloudfront-function.js' });
  const handler = vm.runInContext('handler', context);
  expect(typeof handler).toBe('function');
  return handler;
}

function headers(map: Record<string, string>): Headers {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), { value: v }]));
}

/** A viewer-request event in the cloudfront-js-2.0 shape. */
function requestEvent(args: { method?: string; host?: string; uri: string; headers?: Record<string, string>; querystring?: Json }): Json {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'r' },
    viewer: { ip: '198.51.100.11' },
    request: {
      method: args.method ?? 'GET',
      uri: args.uri,
      querystring: args.querystring ?? {},
      headers: headers({ host: args.host ?? 'www.example.com', ...(args.headers ?? {}) }),
      cookies: {},
    },
  };
}

function responseEvent(requestHeaders: Record<string, string>, responseHeaders: Record<string, string> = {}): Json {
  return {
    version: '1.0',
    context: { eventType: 'viewer-response' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri: '/x', querystring: {}, headers: headers({ host: 'app.example.com', ...requestHeaders }), cookies: {} },
    response: { statusCode: 200, statusDescription: 'OK', headers: headers(responseHeaders), cookies: {} },
  };
}

const cors: CdnCorsConfig = {
  allowedOrigins: corsOriginsForDomains(['app.example.com'], ['https://admin.example.com']),
  allowedOriginPatterns: ['^https://[a-z0-9-]+\\.preview\\.example\\.com$'],
  allowedMethods: ['GET', 'HEAD', 'POST'],
  allowedHeaders: ['Content-Type', 'Authorization'],
  maxAgeSeconds: 600,
};

describe('viewer-request function', () => {
  const options: ViewerRequestFunctionOptions = {
    redirectRules: [
      { source: '^https://www\\.example\\.com/(.*)$', target: 'https://example.com/$1', permanent: true },
      { source: '^https://example\\.com/old/(.*)$', target: 'https://example.com/new/$1' },
    ],
    cors,
    pathPrefix: '/api/',
    rewriteRules: [{ match: 'v1/(.*)', rewrite: 'legacy/$1' }],
  };
  const handler = load(viewerRequestFunctionCode(options));

  test('permanent redirect with capture group and preserved query string', () => {
    const res = handler(requestEvent({ uri: '/docs/start', querystring: { a: { value: '1' }, tag: { value: 'x', multiValue: [{ value: 'x' }, { value: 'y' }] } } }));
    expect(res.statusCode).toBe(301);
    expect(res.statusDescription).toBe('Moved Permanently');
    expect(res.headers.location.value).toBe('https://example.com/docs/start?a=1&tag=x&tag=y');
  });

  test('temporary redirect', () => {
    const res = handler(requestEvent({ host: 'example.com', uri: '/old/page' }));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location.value).toBe('https://example.com/new/page');
  });

  test('redirect without preserving the query string', () => {
    const h = load(viewerRequestFunctionCode({ redirectRules: [{ source: '^https://a\\.com/x$', target: 'https://b.com/y', preserveQueryString: false }] }));
    const res = h(requestEvent({ host: 'a.com', uri: '/x', querystring: { q: { value: '1' } } }));
    expect(res.headers.location.value).toBe('https://b.com/y');
  });

  test('CORS preflight from an allowed origin is answered at the edge', () => {
    const res = handler(requestEvent({
      method: 'OPTIONS', host: 'app.example.com', uri: '/api/items',
      headers: { Origin: 'https://admin.example.com', 'Access-Control-Request-Method': 'POST' },
    }));
    expect(res.statusCode).toBe(204);
    expect(res.headers).toEqual({
      'access-control-allow-origin': { value: 'https://admin.example.com' },
      'access-control-allow-methods': { value: 'GET,HEAD,POST' },
      'access-control-allow-headers': { value: 'Content-Type,Authorization' },
      'access-control-max-age': { value: '600' },
      vary: { value: 'Origin' },
    });
  });

  test('CORS preflight from an origin matching a pattern is allowed', () => {
    const res = handler(requestEvent({
      method: 'OPTIONS', host: 'app.example.com', uri: '/api/items',
      headers: { Origin: 'https://pr-42.preview.example.com', 'Access-Control-Request-Method': 'GET' },
    }));
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin'].value).toBe('https://pr-42.preview.example.com');
  });

  test('CORS preflight from a refused origin gets 403 and no CORS headers', () => {
    const res = handler(requestEvent({
      method: 'OPTIONS', host: 'app.example.com', uri: '/api/items',
      headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' },
    }));
    expect(res.statusCode).toBe(403);
    expect(Object.keys(res.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
  });

  test('credentials are announced when enabled', () => {
    const h = load(viewerRequestFunctionCode({ cors: { allowedOrigins: ['https://app.example.com'], allowCredentials: true } }));
    const res = h(requestEvent({ method: 'OPTIONS', uri: '/', headers: { Origin: 'https://app.example.com', 'Access-Control-Request-Method': 'GET' } }));
    expect(res.headers['access-control-allow-credentials']).toEqual({ value: 'true' });
    expect(res.headers['access-control-allow-methods']).toEqual({ value: 'GET,HEAD' });
    expect(res.headers['access-control-allow-headers']).toEqual({ value: 'Content-Length' });
    expect(res.headers['access-control-max-age']).toEqual({ value: '3600' });
  });

  test('"*" allows any origin', () => {
    const h = load(viewerRequestFunctionCode({ cors: { allowedOrigins: ['*'] } }));
    const res = h(requestEvent({ method: 'OPTIONS', uri: '/', headers: { Origin: 'https://anything.test', 'Access-Control-Request-Method': 'GET' } }));
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin'].value).toBe('https://anything.test');
  });

  test('an OPTIONS request that is not a preflight passes through', () => {
    const res = handler(requestEvent({ method: 'OPTIONS', host: 'app.example.com', uri: '/api/items' }));
    expect(res.method).toBe('OPTIONS');
    expect(res.uri).toBe('/api/items');
  });

  test('rewrite keeps the prefix by default', () => {
    const res = handler(requestEvent({ host: 'app.example.com', uri: '/api/v1/users/7' }));
    expect(res.uri).toBe('/api/legacy/users/7');
  });

  test('rewrite with prefix removal', () => {
    const h = load(viewerRequestFunctionCode({ ...options, removePrefix: true }));
    expect(h(requestEvent({ host: 'app.example.com', uri: '/api/v1/users/7' })).uri).toBe('/legacy/users/7');
    // Paths no rule matches still lose the prefix.
    expect(h(requestEvent({ host: 'app.example.com', uri: '/api/health' })).uri).toBe('/health');
    expect(h(requestEvent({ host: 'app.example.com', uri: '/api/' })).uri).toBe('/');
  });

  test('the most specific rewrite wins regardless of order', () => {
    const h = load(viewerRequestFunctionCode({
      pathPrefix: '/',
      rewriteRules: [{ match: 'docs/(.*)', rewrite: 'd/$1' }, { match: 'docs/v2/(.*)', rewrite: 'docs2/$1' }],
    }));
    expect(h(requestEvent({ uri: '/docs/v2/a' })).uri).toBe('/docs2/a');
    expect(h(requestEvent({ uri: '/docs/a' })).uri).toBe('/d/a');
  });

  test('passthrough: a request no rule matches is returned unchanged', () => {
    const event = requestEvent({ host: 'app.example.com', uri: '/api/items', querystring: { page: { value: '2' } }, headers: { Origin: 'https://app.example.com' } });
    const before = JSON.parse(JSON.stringify(event.request));
    const res = handler(event);
    expect(res).toEqual(before);
  });

  test('passthrough with no rules at all', () => {
    const h = load(viewerRequestFunctionCode({}));
    const event = requestEvent({ uri: '/a//b' });
    expect(h(event).uri).toBe('/a//b');
  });

  test('needsViewerRequestFunction follows aws_cdn', () => {
    expect(needsViewerRequestFunction({})).toBe(false);
    expect(needsViewerRequestFunction({ pathPrefix: '/api/' })).toBe(false);
    expect(needsViewerRequestFunction({ removePrefix: true })).toBe(true);
    expect(needsViewerRequestFunction({ cors: { allowedOrigins: ['*'] } })).toBe(true);
    expect(needsViewerRequestFunction({ rewriteRules: [{ match: 'a', rewrite: 'b' }] })).toBe(true);
    expect(needsViewerRequestFunction({ redirectRules: [{ source: 'a', target: 'b' }] })).toBe(true);
  });
});

describe('viewer-response function', () => {
  const handler = load(viewerResponseFunctionCode({ ...cors, exposedHeaders: ['X-Request-Id'], allowCredentials: true }));

  test('allowed origin: origin echoed, credentials and exposed headers, Vary: Origin', () => {
    const res = handler(responseEvent({ Origin: 'https://app.example.com' }, { 'Content-Type': 'application/json' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers).toEqual({
      'content-type': { value: 'application/json' },
      'access-control-allow-origin': { value: 'https://app.example.com' },
      'access-control-allow-credentials': { value: 'true' },
      'access-control-expose-headers': { value: 'X-Request-Id' },
      vary: { value: 'Origin' },
    });
  });

  test('refused origin: no CORS headers, still Vary: Origin', () => {
    const res = handler(responseEvent({ Origin: 'https://evil.example.net' }));
    expect(Object.keys(res.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    expect(res.headers.vary).toEqual({ value: 'Origin' });
  });

  test('no Origin header: no CORS headers', () => {
    const res = handler(responseEvent({}));
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('Origin is appended to an existing Vary once', () => {
    const res = handler(responseEvent({ Origin: 'https://app.example.com' }, { Vary: 'Accept-Encoding' }));
    expect(res.headers.vary).toEqual({ value: 'Accept-Encoding, Origin' });
    const again = handler(responseEvent({ Origin: 'https://app.example.com' }, { Vary: 'accept-encoding, origin' }));
    expect(again.headers.vary).toEqual({ value: 'accept-encoding, origin' });
  });
});

describe('Terraform safety', () => {
  test('configuration containing ${ or %{ is embedded without Terraform template sequences and still works', () => {
    const code = viewerRequestFunctionCode({
      redirectRules: [{ source: '^https://a\\.com/\\$\\{(\\w+)\\}%\\{$', target: 'https://b.com/${x}/%{y}/$1' }],
    });
    expect(code).not.toContain('${');
    expect(code).not.toContain('%{');
    const res = load(code)(requestEvent({ host: 'a.com', uri: '/${name}%{' }));
    expect(res.statusCode).toBe(302);
    expect(res.headers.location.value).toBe('https://b.com/${x}/%{y}/name');
  });
});

describe('not-found function', () => {
  test('returns 404 with an HTML body', () => {
    const res = load(notFoundFunctionCode())(requestEvent({ uri: '/nowhere' }));
    expect(res.statusCode).toBe(404);
    expect(res.body.data).toContain('404');
  });
});

describe('size limit', () => {
  test('realistic functions stay well under 10 KB', () => {
    const request = viewerRequestFunctionCode({
      redirectRules: Array.from({ length: 10 }, (_, i) => ({ source: `^https://old${i}\\.example\\.com/(.*)$`, target: `https://new${i}.example.com/$1`, permanent: true })),
      cors, pathPrefix: '/api/', removePrefix: true,
      rewriteRules: Array.from({ length: 10 }, (_, i) => ({ match: `v${i}/(.*)`, rewrite: `version-${i}/$1` })),
    });
    expect(Buffer.byteLength(request)).toBeLessThan(CLOUDFRONT_FUNCTION_MAX_BYTES);
    expect(Buffer.byteLength(viewerResponseFunctionCode(cors))).toBeLessThan(CLOUDFRONT_FUNCTION_MAX_BYTES);
    expect(Buffer.byteLength(notFoundFunctionCode())).toBeLessThan(CLOUDFRONT_FUNCTION_MAX_BYTES);
  });

  test('too many rules throw instead of failing at apply time', () => {
    const redirectRules = Array.from({ length: 200 }, (_, i) => ({ source: `^https://host-number-${i}\\.example\\.com/(.*)$`, target: `https://target-number-${i}.example.com/$1` }));
    const err = errorOf(() => viewerRequestFunctionCode({ redirectRules }, 'cdn/api'));
    expect(err.field).toBe('viewerRequest');
    expect(err.path).toBe('cdn/api');
    expect(err.fix).toContain('10240');
  });
});

describe('validation', () => {
  test('redirect source that does not compile', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ redirectRules: [{ source: '^https://(a', target: 'x' }] })).field).toBe('viewerRequest.redirectRules[0].source');
  });

  test('empty redirect target', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ redirectRules: [{ source: 'a', target: '' }] })).field).toBe('viewerRequest.redirectRules[0].target');
  });

  test('rewrite match that does not compile', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ rewriteRules: [{ match: '(', rewrite: 'x' }] })).field).toBe('viewerRequest.rewriteRules[0].match');
  });

  test('relative path prefix', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ pathPrefix: 'api/' })).field).toBe('viewerRequest.pathPrefix');
  });

  test('CORS without any allowed origin', () => {
    expect(errorOf(() => viewerResponseFunctionCode({})).field).toBe('viewerResponse.cors.allowedOrigins');
  });

  test('origin with a path or trailing slash', () => {
    expect(errorOf(() => viewerResponseFunctionCode({ allowedOrigins: ['https://app.example.com/'] })).field).toBe('viewerResponse.cors.allowedOrigins[0]');
  });

  test('origin pattern that does not compile', () => {
    expect(errorOf(() => viewerResponseFunctionCode({ allowedOriginPatterns: ['[a-'] })).field).toBe('viewerResponse.cors.allowedOriginPatterns[0]');
  });

  test('credentials with any origin', () => {
    expect(errorOf(() => viewerResponseFunctionCode({ allowedOrigins: ['*'], allowCredentials: true })).field).toBe('viewerResponse.cors.allowCredentials');
  });

  test('lower-case method', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ cors: { allowedOrigins: ['*'], allowedMethods: ['get'] } })).field).toBe('viewerRequest.cors.allowedMethods[0]');
  });

  test('header name with a space', () => {
    expect(errorOf(() => viewerRequestFunctionCode({ cors: { allowedOrigins: ['*'], allowedHeaders: ['Content Type'] } })).field).toBe('viewerRequest.cors.allowedHeaders[0]');
  });

  test('exposed header name with a colon', () => {
    expect(errorOf(() => viewerResponseFunctionCode({ allowedOrigins: ['*'], exposedHeaders: ['X-Id:'] })).field).toBe('viewerResponse.cors.exposedHeaders[0]');
  });

  test('negative max age', () => {
    expect(errorOf(() => viewerResponseFunctionCode({ allowedOrigins: ['*'], maxAgeSeconds: -1 })).field).toBe('viewerResponse.cors.maxAgeSeconds');
  });
});

describe('corsOriginsForDomains', () => {
  test('https:// per domain plus additional origins, deduplicated', () => {
    expect(corsOriginsForDomains(['a.com', 'b.com'], ['https://a.com', 'https://c.com'])).toEqual(['https://a.com', 'https://b.com', 'https://c.com']);
  });
});
