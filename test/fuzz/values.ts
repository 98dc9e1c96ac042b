/**
 * Value generators shared by the construct arbitraries: realistic valid values (names, labels,
 * images, free text) and the adversarial pools the mutator draws from.
 */
import * as fc from 'fast-check';

// ---------------------------------------------------------------- realistic, valid values

/** An RFC 1123 label, usually short and realistic. */
export const dnsLabel = (max = 20): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('api', 'web', 'worker', 'db', 'cache', 'app-1', 'queue-consumer', 'a') },
    { weight: 2, arbitrary: fc.stringMatching(new RegExp(`^[a-z]([-a-z0-9]{0,${Math.max(0, max - 2)}}[a-z0-9])?$`)) },
  ).filter((s) => s.length <= max && !s.includes('--'));

/** A DNS-1035 label (starts with a letter). */
export const dns1035Label = (max = 20): fc.Arbitrary<string> => dnsLabel(max).filter((s) => /^[a-z]/.test(s));

/** A DNS subdomain such as `api.example.com`. */
export const domainName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('example.com', 'www.example.com', 'api.example.com', 'a.b.example.org', 'corp.example.net'),
  fc.tuple(dnsLabel(12), fc.constantFrom('example.com', 'example.org')).map(([a, b]) => `${a}.${b}`),
);

/** A label key: `[prefix/]name`. */
export const labelKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('team', 'tier', 'app.kubernetes.io/part-of', 'example.com/owner', 'cost-center', 'Version_2', 'a.b'),
  fc.stringMatching(/^([a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?\.[a-z]{2,4}\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,12}[A-Za-z0-9])?$/),
);

/** A label value (may be empty). */
export const labelValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('platform', 'backend', 'v1.2.3', 'true', '', 'A_b-c.d'),
  fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/),
);

/** A small label map. */
export const labels = (maxKeys = 3): fc.Arbitrary<Record<string, string>> => fc.dictionary(labelKey, labelValue, { maxKeys });

/**
 * Free text as users write it in commands, annotations, env values, config data: plain words,
 * shell and nginx variables (`${HOME}`), Terraform-looking text, quotes and backslashes, unicode.
 * All of it is valid (free text) and must reach the API server as written.
 */
export const freeText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('debug', 'json', 'https://example.com/path?a=1&b=2', '/app/server', '--verbose', 'hello world', 'true', '0', '') },
  { weight: 3, arbitrary: fc.constantFrom('echo ${HOME}', 'proxy_set_header Host ${host};', '%{ if x }on%{ endif }', '$${already}', '%%{x}', '${"$"}', '$', 'a$', '%', 'cost 5$', '${aws:username}', 'say "hi"', 'C:\\path\\to', 'line1\nline2', 'cr\r\nlf', 'tab\there', 'ünïcödé 日本語 😀', '${TfToken[TOKEN.999999991]}', '#{TfToken[TOKEN.999999992]}', '{{ .Values.x }}', '${var.secret}', '%{for x in y}${x}%{endfor}') },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  { weight: 2, arbitrary: templateSoup() },
);

/** Strings assembled from template-syntax fragments, to stress the escaping path. */
export function templateSoup(): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom('${', '%{', '$${', '%%{', '$', '%', '{', '}', '"', '\\', '\n', 'var.x', 'a', ' ', 'TfToken[', 'TOKEN.999999996]', '#{', '"$"', 'env'), { minLength: 1, maxLength: 10 })
    .map((parts) => parts.join(''));
}

/** An environment variable name. */
export const envName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('LOG_LEVEL', 'DATABASE_URL', 'HOME_DIR', 'a.b', '_X', 'my-var'),
  fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,14}$/),
);

/** An env map of free-text values. */
export const envMap = (maxKeys = 3): fc.Arbitrary<Record<string, string>> => fc.dictionary(envName, freeText, { maxKeys });

/** An IANA service name for a port. */
export const portName: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('http', 'https', 'grpc', 'metrics', 'redis', 'admin-api', 'p8080'),
  fc.stringMatching(/^[a-z]([a-z0-9]{0,6}(-[a-z0-9]{1,5})?)$/),
);

/** A port number. */
export const portNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(80, 443, 8080, 9090, 5432, 6379, 3000), fc.integer({ min: 1, max: 65535 }));

/** An absolute path without `..` or `:`. */
export const absPath: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('/tmp/cache', '/var/lib/data', '/etc/app', '/srv/static', '/data'),
  fc.array(dnsLabel(8), { minLength: 1, maxLength: 3 }).map((p) => `/${p.join('/')}`),
);

/** An image split as the container props want it. */
export const image = fc.record({
  imageRegistry: fc.constantFrom('docker.io', 'ghcr.io', 'quay.io', '123456789012.dkr.ecr.us-east-2.amazonaws.com', 'registry.local:5000'),
  imageRepository: fc.constantFrom('library/nginx', 'corp/api', 'prometheuscommunity/postgres-exporter', 'a/b/c', 'busybox'),
  imageTag: fc.oneof(fc.constantFrom('1.27.1', 'latest', 'v0.15.0', `sha256:${'a'.repeat(64)}`, '3.1.9-debian_12'), fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,12}$/)),
});

/** A CIDR block or address. */
export const cidr: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '10.10.0.0/16', '192.168.1.0/24', '203.0.113.7/32', 'fd00::/8', '2001:db8::/32'),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(8, 16, 24, 32)).map(([a, b, m]) => (m === 8 ? `${a}.0.0.0/8` : `${a}.${b}.0.0/${m}`)),
);

/** A Go / Terraform duration. */
export const duration: fc.Arbitrary<string> = fc.constantFrom('10m', '90s', '1h30m', '30s', '2h', '15m');

// ---------------------------------------------------------------- adversarial values

const LONG = (n: number, unit = 'a') => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

/** Strings of the right JS type that no valid prop should accept blindly (category "value"). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '', ' ', '  padded  ', 'UPPER', 'Mixed-Case', 'with space', 'a_b', 'a--b', '-a', 'a-', '.', '..', '/', '../etc', '/abs/path', 'a/b', 'a:b', '@', '*', '0', '-1', '007',
      '1e309', 'null', 'undefined', 'true', 'NaN', '\u0000', 'nul\u0000byte', '\u202eltr', 'tab\t', 'a\nb', 'a\r\nb', '\r', '\n', 'ünïcödé', '日本語', '😀', 'e\u0301',
      '${var.secret}', '${HOME}', '${', '%{', '}', '$${x}', '%%{x}', '${"$"}', '$', '%', 'a$', 'a%', '$$', '${}', '%{ if true }x%{ endif }', '${aws_s3_bucket.b.arn}', '${local.x}', '${data.aws_region.r.name}',
      '${TfToken[TOKEN.999999993]}', '${TfToken[TOKEN.999999994]}x', '#{TfToken[TOKEN.999999995]}', '"', "'", '\\', '\\"', '"quoted"', '<script>', '{{ x }}',
      LONG(63), LONG(64), LONG(253), LONG(254), LONG(5000),
    ),
  },
  { weight: 2, arbitrary: templateSoup() },
  { weight: 1, arbitrary: fc.integer({ min: 60, max: 5000 }).chain((n) => fc.constantFrom(LONG(n), LONG(n, 'ab-'), LONG(n, '${x}'), LONG(n, 'é'))) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
);

/** Numbers of the right JS type that are out of range, fractional or extreme (category "value"; NaN is a shape mistake). */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(0, -0, -1, 0.5, 1.5, 0.1, -1e9, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, Infinity, -Infinity, Number.MIN_VALUE, 65535, 65536, 99999999999, 1e-7),
  },
  { weight: 1, arbitrary: fc.integer({ min: -1000, max: 100000 }) },
  { weight: 1, arbitrary: fc.double({ noNaN: true }) },
);

/** A plain JS type or shape mistake (category "shape"): the wrong JS type, null, undefined, NaN. */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  null, undefined, NaN, true, false, 0, 1, -3, '', 'text', [], [null], ['a', 1], {}, { a: 1 }, { length: 2 }, 1n, new Date(0), () => 1,
);

/** Keys a props object does not have (category "shape"). */
export const unknownKey: fc.Arbitrary<string> = fc.constantFrom('unknownProp', 'Name', 'containerz', 'constructor', 'toString', 'hasOwnProperty', '__proto__', 'prototype', 'valueOf');
