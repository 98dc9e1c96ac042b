/**
 * A compact checker of the API-server rules that the OpenAPI schemas leave out, applied by the
 * fuzz suite to every Kubernetes object a case emits (after `validateKubernetesObject`, which
 * checks the shape, unknown fields, the object's own name and its root labels/annotations).
 *
 * It reads the object as the API server would receive it (`apiView` in checks.ts: template
 * escapes decoded, Terraform expressions replaced by token markers) and skips every value that
 * is a token. Rules (from k8s.io/apimachinery validation and the core validators):
 * - every ObjectMeta (pod, job and claim templates too): label keys/values, annotation keys, the
 *   annotations' total size (256 KiB);
 * - every label selector (`matchLabels`, a Service's `selector`);
 * - containers: names DNS-1123 labels and unique in the pod, port names IANA_SVC_NAME and
 *   unique, port numbers 1-65535, env var names, volume mount names that name a volume, subPath
 *   relative without `..`, resource quantities well-formed and requests <= limits;
 * - pod volumes: names DNS-1123 labels, unique;
 * - Service ports: names DNS-1123 labels, unique, required with several ports; ports 1-65535;
 *   targetPort a port number or an IANA_SVC_NAME;
 * - Ingress hosts (DNS subdomains, a leading `*.` allowed) and paths (start with `/`);
 * - ConfigMap / Secret data keys, ConfigMap size (1 MiB);
 * - numbers: finite, integral, int32 fields within int32.
 */
import { isToken } from '../../lib/core/validation';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const ANNOTATIONS_MAX = 256 * 1024;
const CONFIG_MAP_MAX = 1024 * 1024;
const INT32_MAX = 2 ** 31 - 1;

/** Fields the Kubernetes API types as int32 (a larger value is refused when decoded). */
const INT32_FIELDS = new Set([
  'replicas', 'minReplicas', 'maxReplicas', 'containerPort', 'hostPort', 'port', 'targetPort', 'nodePort', 'endPort',
  'failureThreshold', 'successThreshold', 'periodSeconds', 'timeoutSeconds', 'initialDelaySeconds', 'parallelism', 'completions',
  'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit', 'ttlSecondsAfterFinished',
  'minReadySeconds', 'revisionHistoryLimit', 'progressDeadlineSeconds', 'averageUtilization', 'stabilizationWindowSeconds', 'periodSeconds',
  'weight', 'maxSkew', 'minDomains', 'defaultMode', 'mode', 'minReplicaCount', 'maxReplicaCount', 'idleReplicaCount', 'pollingInterval',
  'cooldownPeriod', 'value',
]);

/** True when `name` is an IANA_SVC_NAME: 1-15 of [a-z0-9-], at least one letter, no leading/trailing or double '-'. */
export function isIanaSvcName(name: string): boolean {
  return name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

function labelKeyOk(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) return false;
  return name.length > 0 && name.length <= 63 && QUALIFIED_NAME.test(name);
}

function labelValueOk(value: string): boolean {
  return value.length <= 63 && (value === '' || QUALIFIED_NAME.test(value));
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): v is string => typeof v === 'string' && !isToken(v);

/** Bytes of a quantity, or undefined when it is not one. */
export function parseQuantity(q: string): number | undefined {
  if (!QUANTITY.test(q)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)$/.exec(q)!;
  const n = Number(m[1]);
  const suffix = m[2];
  const bin: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
  const dec: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
  if (suffix in bin) return n * bin[suffix];
  if (suffix in dec) return n * dec[suffix];
  if (/^[eE]/.test(suffix)) return n * 10 ** Number(suffix.slice(1));
  return undefined;
}

/** Problems the API server would report for the object (empty when none), each `path: message`. */
export function apiServerProblems(obj: Obj): string[] {
  const out: string[] = [];
  const problem = (path: string, message: string) => out.push(`${path || '/'}: ${message}`);
  // Volumes a pod gets from outside its pod spec: a StatefulSet's claim templates, an Argo
  // WorkflowTemplate's workflow-level volumes and claim templates.
  const spec = isObj(obj.spec) ? obj.spec : {};
  const outer = new Set<string>();
  for (const t of Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : []) if (isObj(t) && isObj(t.metadata) && typeof t.metadata.name === 'string') outer.add(t.metadata.name);
  if (obj.kind === 'WorkflowTemplate') for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) if (isObj(v) && typeof v.name === 'string') outer.add(v.name);
  outerVolumes = outer;
  walk(obj, '', problem);
  checkKind(obj, problem);
  return out;
}

function checkMeta(meta: unknown, path: string, problem: (p: string, m: string) => void): void {
  if (!isObj(meta)) return;
  if (isObj(meta.labels)) checkLabels(meta.labels, `${path}/labels`, problem);
  if (isObj(meta.annotations)) {
    let size = 0;
    for (const [k, v] of Object.entries(meta.annotations)) {
      size += k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
      if (str(k) && !labelKeyOk(k)) problem(`${path}/annotations`, `invalid annotation key ${JSON.stringify(k)}`);
      if (v !== undefined && typeof v !== 'string') problem(`${path}/annotations/${k}`, `annotation value is not a string: ${JSON.stringify(v)}`);
    }
    if (size > ANNOTATIONS_MAX) problem(`${path}/annotations`, `annotations total ${size} bytes, more than 256 KiB`);
  }
}

function checkLabels(labels: Obj, path: string, problem: (p: string, m: string) => void): void {
  for (const [k, v] of Object.entries(labels)) {
    if (str(k) && !labelKeyOk(k)) problem(path, `invalid label key ${JSON.stringify(k)}`);
    if (typeof v !== 'string') problem(`${path}/${k}`, `label value is not a string: ${JSON.stringify(v)}`);
    else if (str(v) && !labelValueOk(v)) problem(`${path}/${k}`, `invalid label value ${JSON.stringify(v)}`);
  }
}

function walk(value: unknown, path: string, problem: (p: string, m: string) => void): void {
  if (typeof value === 'number') {
    const field = path.slice(path.lastIndexOf('/') + 1);
    if (!Number.isFinite(value)) problem(path, `number ${value} is not finite`);
    else if (!Number.isInteger(value)) problem(path, `number ${value} is not an integer (Kubernetes API numbers here are integers)`);
    else if (!Number.isSafeInteger(value)) problem(path, `number ${value} is beyond 2^53 (precision lost)`);
    else if (INT32_FIELDS.has(field) && (value > INT32_MAX || value < -INT32_MAX - 1)) problem(path, `${field} ${value} is beyond int32`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}/${i}`, problem));
    return;
  }
  if (!isObj(value)) return;
  if (isObj(value.metadata)) checkMeta(value.metadata, `${path}/metadata`, problem);
  if (isObj(value.matchLabels)) checkLabels(value.matchLabels, `${path}/matchLabels`, problem);
  if (Array.isArray(value.containers) || Array.isArray(value.initContainers) || (isObj(value.container) && 'image' in value.container)) checkPodSpec(value, path, problem);
  for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`, problem);
}

function checkContainer(c: Obj, path: string, problem: (p: string, m: string) => void, volumeNames: Set<string> | undefined): void {
  if (str(c.name) && (c.name.length > 63 || !DNS1123_LABEL.test(c.name))) problem(`${path}/name`, `container name ${JSON.stringify(c.name)} is not a DNS-1123 label`);
  const portNames = new Set<string>();
  for (const [i, p] of (Array.isArray(c.ports) ? c.ports : []).entries()) {
    if (!isObj(p)) continue;
    if (str(p.name)) {
      if (!isIanaSvcName(p.name)) problem(`${path}/ports/${i}/name`, `port name ${JSON.stringify(p.name)} is not an IANA_SVC_NAME`);
      if (portNames.has(p.name)) problem(`${path}/ports/${i}/name`, `duplicate port name ${JSON.stringify(p.name)}`);
      portNames.add(p.name);
    }
    if (typeof p.containerPort === 'number' && (p.containerPort < 1 || p.containerPort > 65535)) problem(`${path}/ports/${i}/containerPort`, `port ${p.containerPort} out of 1-65535`);
  }
  for (const [i, e] of (Array.isArray(c.env) ? c.env : []).entries()) {
    if (isObj(e) && str(e.name) && !ENV_VAR_NAME.test(e.name)) problem(`${path}/env/${i}/name`, `env var name ${JSON.stringify(e.name)} is invalid`);
  }
  for (const [i, m] of (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).entries()) {
    if (!isObj(m)) continue;
    if (str(m.name) && volumeNames && !volumeNames.has(m.name)) problem(`${path}/volumeMounts/${i}/name`, `volume mount ${JSON.stringify(m.name)} names no volume of the pod`);
    if (str(m.mountPath) && m.mountPath.length === 0) problem(`${path}/volumeMounts/${i}/mountPath`, 'empty mountPath');
    if (str(m.subPath) && (m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) problem(`${path}/volumeMounts/${i}/subPath`, `subPath ${JSON.stringify(m.subPath)} must be relative without '..'`);
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const pr = c[probe];
    if (!isObj(pr)) continue;
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const h = pr[handler];
      if (!isObj(h)) continue;
      const port = h.port;
      if (typeof port === 'number' && (port < 1 || port > 65535)) problem(`${path}/${probe}/${handler}/port`, `probe port ${port} out of 1-65535`);
      if (str(port) && !isIanaSvcName(port)) problem(`${path}/${probe}/${handler}/port`, `probe port ${JSON.stringify(port)} is not an IANA_SVC_NAME`);
      if (handler === 'httpGet' && str(h.path) && !h.path.startsWith('/')) problem(`${path}/${probe}/httpGet/path`, 'path must start with /');
    }
  }
  const res = c.resources;
  if (isObj(res)) {
    const requests = isObj(res.requests) ? res.requests : {};
    const limits = isObj(res.limits) ? res.limits : {};
    for (const [group, values] of [['requests', requests], ['limits', limits]] as const) {
      for (const [k, q] of Object.entries(values)) {
        if (str(q) && parseQuantity(q) === undefined) problem(`${path}/resources/${group}/${k}`, `quantity ${JSON.stringify(q)} is invalid`);
        if (typeof q === 'number' && !(Number.isFinite(q) && q >= 0)) problem(`${path}/resources/${group}/${k}`, `quantity ${q} is invalid`);
      }
    }
    for (const [k, r] of Object.entries(requests)) {
      const l = limits[k];
      const rq = typeof r === 'number' ? r : str(r) ? parseQuantity(r) : undefined;
      const lq = typeof l === 'number' ? l : str(l) ? parseQuantity(l) : undefined;
      if (rq !== undefined && lq !== undefined && rq > lq * (1 + 1e-12)) problem(`${path}/resources/requests/${k}`, `request ${String(r)} is above the limit ${String(l)}`);
    }
  }
}

/** Volume names of the object being checked that pods get from outside their own spec. */
let outerVolumes = new Set<string>();

function checkPodSpec(spec: Obj, path: string, problem: (p: string, m: string) => void): void {
  const volumes = Array.isArray(spec.volumes) ? spec.volumes.filter(isObj) : [];
  const volumeNames = new Set<string>(outerVolumes);
  let tokenVolume = false;
  for (const [i, v] of volumes.entries()) {
    if (!str(v.name)) {
      tokenVolume = true;
      continue;
    }
    if (v.name.length > 63 || !DNS1123_LABEL.test(v.name)) problem(`${path}/volumes/${i}/name`, `volume name ${JSON.stringify(v.name)} is not a DNS-1123 label`);
    if (volumeNames.has(v.name)) problem(`${path}/volumes/${i}/name`, `duplicate volume name ${JSON.stringify(v.name)}`);
    volumeNames.add(v.name);
  }
  const names = new Set<string>();
  // an Argo template has one `container` (and init containers, sidecars)
  const lists: Record<string, unknown> = { initContainers: spec.initContainers, containers: spec.containers ?? (isObj(spec.container) ? [spec.container] : undefined), sidecars: spec.sidecars, ephemeralContainers: spec.ephemeralContainers };
  for (const list of Object.keys(lists)) {
    const cs = lists[list];
    if (!Array.isArray(cs)) continue;
    for (const [i, c] of cs.entries()) {
      if (!isObj(c)) continue;
      if (str(c.name)) {
        if (names.has(c.name)) problem(`${path}/${list}/${i}/name`, `duplicate container name ${JSON.stringify(c.name)}`);
        names.add(c.name);
      }
      checkContainer(c, `${path}/${list}/${i}`, problem, tokenVolume ? undefined : volumeNames);
    }
  }
}

/** Rules of one kind of object. */
function checkKind(obj: Obj, problem: (p: string, m: string) => void): void {
  const spec = isObj(obj.spec) ? obj.spec : {};
  switch (obj.kind) {
    case 'Service': {
      const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObj) : [];
      const names = new Set<string>();
      for (const [i, p] of ports.entries()) {
        if (str(p.name)) {
          if (p.name.length > 63 || !DNS1123_LABEL.test(p.name)) problem(`/spec/ports/${i}/name`, `Service port name ${JSON.stringify(p.name)} is not a DNS-1123 label`);
          if (names.has(p.name)) problem(`/spec/ports/${i}/name`, `duplicate Service port name ${JSON.stringify(p.name)}`);
          names.add(p.name);
        } else if (p.name === undefined && ports.length > 1) {
          problem(`/spec/ports/${i}/name`, 'a Service with several ports needs a name for each');
        }
        if (typeof p.port === 'number' && (p.port < 1 || p.port > 65535)) problem(`/spec/ports/${i}/port`, `port ${p.port} out of 1-65535`);
        // 0 (or "") is defaulted to the port by the API server
        if (typeof p.targetPort === 'number' && (p.targetPort < 0 || p.targetPort > 65535)) problem(`/spec/ports/${i}/targetPort`, `targetPort ${p.targetPort} out of 1-65535`);
        if (str(p.targetPort) && p.targetPort !== '' && !isIanaSvcName(p.targetPort)) problem(`/spec/ports/${i}/targetPort`, `targetPort ${JSON.stringify(p.targetPort)} is not an IANA_SVC_NAME`);
      }
      if (isObj(spec.selector)) checkLabels(spec.selector, '/spec/selector', problem);
      break;
    }
    case 'Ingress': {
      for (const [i, rule] of (Array.isArray(spec.rules) ? spec.rules : []).entries()) {
        if (!isObj(rule)) continue;
        if (str(rule.host)) {
          const host = rule.host.startsWith('*.') ? rule.host.slice(2) : rule.host;
          if (host.length > 253 || !DNS1123_SUBDOMAIN.test(host)) problem(`/spec/rules/${i}/host`, `host ${JSON.stringify(rule.host)} is not a DNS subdomain`);
        }
        const paths = isObj(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
        for (const [j, p] of paths.entries()) {
          if (isObj(p) && str(p.path) && !p.path.startsWith('/')) problem(`/spec/rules/${i}/http/paths/${j}/path`, `path ${JSON.stringify(p.path)} must start with /`);
        }
      }
      for (const [i, tls] of (Array.isArray(spec.tls) ? spec.tls : []).entries()) {
        if (isObj(tls) && str(tls.secretName) && !DNS1123_SUBDOMAIN.test(tls.secretName)) problem(`/spec/tls/${i}/secretName`, `secretName ${JSON.stringify(tls.secretName)} is not a DNS subdomain`);
      }
      break;
    }
    case 'ConfigMap':
    case 'Secret': {
      let size = 0;
      for (const field of ['data', 'binaryData', 'stringData']) {
        const data = obj[field];
        if (!isObj(data)) continue;
        for (const [k, v] of Object.entries(data)) {
          if (str(k) && (k.length > 253 || !DATA_KEY.test(k) || k === '.' || k === '..')) problem(`/${field}`, `invalid data key ${JSON.stringify(k)}`);
          size += k.length + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
        }
      }
      if (obj.kind === 'ConfigMap' && size > CONFIG_MAP_MAX) problem('/data', `ConfigMap data ${size} bytes, more than 1 MiB`);
      break;
    }
    default:
      break;
  }
}
