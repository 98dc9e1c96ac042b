/**
 * Checks that the Kubernetes OpenAPI schemas (and so kubernetes-models) leave out:
 * object names, namespaces, and label / annotation keys and values.
 */
import type { NameRule } from './kinds';
import type { SchemaProblem } from './problem';
import { escapePointer } from './problem';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** Kubernetes caps the total size of an object's annotations (keys and values) at 256 KiB. */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;

const RULES: Record<NameRule, { max: number; test: (v: string) => boolean; describe: string }> = {
  'dns1123-subdomain': {
    max: 253,
    test: (v) => DNS1123_SUBDOMAIN.test(v),
    describe: "an RFC 1123 subdomain: lower-case letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit",
  },
  'dns1123-label': {
    max: 63,
    test: (v) => DNS1123_LABEL.test(v),
    describe: "an RFC 1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit",
  },
  'dns1035-label': {
    max: 63,
    test: (v) => DNS1035_LABEL.test(v),
    describe: "an RFC 1035 label: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit",
  },
  'path-segment': {
    max: 253,
    test: (v) => v !== '.' && v !== '..' && !/[/%]/.test(v),
    describe: "a path segment: any characters but '/' and '%', and not '.' or '..'",
  },
};

/** Why `name` breaks `rule`, or undefined when it is valid. */
export function nameProblem(name: string, rule: NameRule, maxLength?: number): string | undefined {
  const r = RULES[rule];
  const max = Math.min(r.max, maxLength ?? r.max);
  if (name.length === 0) return `invalid name "": must be ${r.describe}`;
  if (name.length > max) return `invalid name "${name}": must be at most ${max} characters (it has ${name.length})`;
  if (!r.test(name)) return `invalid name "${name}": must be ${r.describe}`;
  return undefined;
}

/** Why a label or annotation key is invalid, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
    return `invalid key "${key}": the prefix before '/' must be a lower-case DNS subdomain (at most 253 characters) such as example.com`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) {
    return `invalid key "${key}": the name${prefix !== undefined ? " after '/'" : ''} must be 1-63 characters of letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why a label value is invalid, or undefined. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined; // a wrong type is reported by the shape check
  if (value.length > 63) return `invalid label value "${value}": must be at most 63 characters (it has ${value.length})`;
  if (value.length > 0 && !QUALIFIED_NAME.test(value)) {
    return `invalid label value "${value}": must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Token test injected by the caller (kept out of this module so it stays dependency-free). */
export type TokenTest = (value: unknown) => boolean;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Checks every key and value of a label map (metadata.labels, selector.matchLabels...). */
export function checkLabelMap(labels: unknown, path: string, isToken: TokenTest, out: SchemaProblem[]): void {
  if (!isPlainObject(labels) || isToken(labels)) return;
  for (const key of Object.keys(labels)) {
    const value = labels[key];
    if (value === undefined) continue;
    if (!isToken(key)) {
      const kp = labelKeyProblem(key);
      if (kp) out.push({ path: `${path}/${escapePointer(key)}`, message: kp.replace(/^invalid key/, 'invalid label key'), value: key });
    }
    if (!isToken(value)) {
      const vp = labelValueProblem(value);
      if (vp) out.push({ path: `${path}/${escapePointer(key)}`, message: vp, value });
    }
  }
}

/** Checks annotation keys and the annotations' total size. */
function checkAnnotationMap(annotations: unknown, path: string, isToken: TokenTest, out: SchemaProblem[]): void {
  if (!isPlainObject(annotations) || isToken(annotations)) return;
  let size = 0;
  for (const key of Object.keys(annotations)) {
    const value = annotations[key];
    if (value === undefined) continue;
    size += key.length + (typeof value === 'string' ? value.length : 0);
    if (isToken(key)) continue;
    const kp = labelKeyProblem(key);
    if (kp) out.push({ path: `${path}/${escapePointer(key)}`, message: kp.replace(/^invalid key/, 'invalid annotation key'), value: key });
  }
  if (size > ANNOTATIONS_MAX_BYTES) {
    out.push({ path, message: `annotations are too large: ${size} bytes, at most ${ANNOTATIONS_MAX_BYTES} allowed`, value: `${size} bytes` });
  }
}

/** Labels and annotations of any ObjectMeta (the object's own or a pod / job / claim template's). */
export function checkMetaMaps(meta: unknown, path: string, isToken: TokenTest, out: SchemaProblem[]): void {
  if (!isPlainObject(meta) || isToken(meta)) return;
  if (meta.labels !== undefined) checkLabelMap(meta.labels, `${path}/labels`, isToken, out);
  if (meta.annotations !== undefined) checkAnnotationMap(meta.annotations, `${path}/annotations`, isToken, out);
}

/**
 * The object's own metadata: present, a valid name (or generateName), a valid namespace,
 * valid labels and annotations.
 */
export function checkRootMetadata(
  obj: Record<string, unknown>,
  rule: NameRule,
  maxLength: number | undefined,
  isToken: TokenTest,
  out: SchemaProblem[],
): void {
  const meta = obj.metadata;
  if (meta === undefined || meta === null) {
    out.push({ path: '/metadata', message: 'missing required field "metadata"', value: meta });
    return;
  }
  if (!isPlainObject(meta) || isToken(meta)) return; // a wrong type is reported by the shape check
  const name = meta.name;
  if (name === undefined || name === '') {
    if (meta.generateName === undefined) out.push({ path: '/metadata/name', message: 'missing required field "name"', value: name });
  } else if (typeof name === 'string' && !isToken(name)) {
    const np = nameProblem(name, rule, maxLength);
    if (np) out.push({ path: '/metadata/name', message: np, value: name });
  }
  const ns = meta.namespace;
  if (typeof ns === 'string' && !isToken(ns)) {
    const np = nameProblem(ns, 'dns1123-label');
    if (np) out.push({ path: '/metadata/namespace', message: np.replace(/^invalid name/, 'invalid namespace'), value: ns });
  }
  checkMetaMaps(meta, '/metadata', isToken, out);
}

/** An IANA service name (a named port): 1-15 of [a-z0-9-], at least one letter, no '-' at either end, no '--'. */
const IANA_SVC_NAME = /^(?=.{1,15}$)(?=.*[a-z])(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Keys of ConfigMap and Secret data: letters, digits, '-', '_' and '.' (not "." or ".."), at most 253. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The API-server rules below the object's own metadata that the schemas leave out and the
 * known-fields walk (nested ObjectMeta, matchLabels) does not cover, found by the fuzz suite in
 * objects handed to KubeManifest: a Service's `selector`, its port names (DNS-1123 labels, unique,
 * required when there are several ports), ports and target ports, and the keys of ConfigMap and
 * Secret data.
 */
export function checkNestedRules(obj: Record<string, unknown>, isToken: TokenTest, out: SchemaProblem[]): void {
  const spec = isPlainObject(obj.spec) ? obj.spec : undefined;
  if (obj.apiVersion === 'v1' && obj.kind === 'Service' && spec && !isToken(spec)) {
    if (spec.selector !== undefined) checkLabelMap(spec.selector, '/spec/selector', isToken, out);
    const ports = Array.isArray(spec.ports) ? spec.ports : [];
    const names = new Set<string>();
    ports.forEach((p, i) => {
      if (!isPlainObject(p) || isToken(p)) return;
      const at = `/spec/ports/${i}/name`;
      if (typeof p.name === 'string' && !isToken(p.name)) {
        if (p.name.length > 63 || !DNS1123_LABEL.test(p.name)) out.push({ path: at, message: `invalid port name "${p.name}": must be an RFC 1123 label (lower-case letters, digits and '-', at most 63)`, value: p.name });
        else if (names.has(p.name)) out.push({ path: at, message: `duplicate port name "${p.name}"`, value: p.name });
        names.add(p.name);
      } else if (p.name === undefined && ports.length > 1) {
        out.push({ path: at, message: 'a Service with several ports needs a name for each', value: undefined });
      }
      if (typeof p.port === 'number' && !isToken(p.port) && (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535)) {
        out.push({ path: `/spec/ports/${i}/port`, message: `invalid port ${p.port}: must be from 1 to 65535`, value: p.port });
      }
      // targetPort 0 (or "") is defaulted to the port by the API server
      if (typeof p.targetPort === 'number' && !isToken(p.targetPort) && (!Number.isInteger(p.targetPort) || p.targetPort < 0 || p.targetPort > 65535)) {
        out.push({ path: `/spec/ports/${i}/targetPort`, message: `invalid targetPort ${p.targetPort}: must be from 1 to 65535`, value: p.targetPort });
      }
      if (typeof p.targetPort === 'string' && p.targetPort !== '' && !isToken(p.targetPort) && !IANA_SVC_NAME.test(p.targetPort)) {
        out.push({ path: `/spec/ports/${i}/targetPort`, message: `invalid targetPort "${p.targetPort}": a port name is 1-15 lower-case letters, digits and '-' with at least one letter (IANA_SVC_NAME)`, value: p.targetPort });
      }
    });
  }
  if (obj.apiVersion === 'v1' && (obj.kind === 'ConfigMap' || obj.kind === 'Secret')) {
    for (const field of ['data', 'binaryData', 'stringData']) {
      const data = obj[field];
      if (!isPlainObject(data) || isToken(data)) continue;
      for (const key of Object.keys(data)) {
        if (isToken(key)) continue;
        if (key.length > 253 || !DATA_KEY.test(key) || key === '.' || key === '..') {
          out.push({ path: `/${field}/${escapePointer(key)}`, message: `invalid data key "${key}": use letters, digits, '-', '_' and '.' (at most 253 characters)`, value: key });
        }
      }
    }
  }
}
