/**
 * The form in which the API server stores and returns an object, for the fields where it
 * differs from what was sent: Kubernetes' Go types drop a zero value of an `omitempty` field
 * that is not a pointer (`publishNotReadyAddresses: false`, `minReadySeconds: 0`) and every
 * empty list. `kubernetes_manifest` compares what it sent with what came back, so such a
 * value fails the apply ("Provider produced inconsistent result after apply"), or, where it
 * does not, shows as a change on every plan. Seen on a real kube-apiserver (docs/testing.md).
 *
 * Dropping them changes no meaning: each is the field's default.
 */

/**
 * Fields whose Go type is a non-pointer `bool` or integer with `omitempty`, so `false` or `0`
 * is not stored. Keyed by field name; the listed kinds of object are where the library (or a
 * user's raw manifest) can write them. A pointer field (`automountServiceAccountToken`,
 * `readOnlyRootFilesystem`, `optional`, `immutable`) keeps its `false` and is not listed.
 */
const OMITTED_ZERO_FIELDS: ReadonlySet<string> = new Set([
  // ServiceSpec
  'publishNotReadyAddresses',
  // PodSpec
  'hostNetwork',
  'hostPID',
  'hostIPC',
  // Container
  'stdin',
  'stdinOnce',
  'tty',
  // VolumeMount and volume sources
  'readOnly',
  // DeploymentSpec, StatefulSetSpec, DaemonSetSpec
  'minReadySeconds',
  'paused',
  // PriorityClass
  'globalDefault',
  // Probe, ContainerPort, ServicePort
  'initialDelaySeconds',
  'hostPort',
  'nodePort',
]);

/** The API groups served by kube-apiserver itself (stored as protobuf through the Go types). */
const BUILT_IN_GROUPS: ReadonlySet<string> = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'certificates.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
]);

function isBuiltIn(apiVersion: unknown): boolean {
  if (typeof apiVersion !== 'string') return false;
  return BUILT_IN_GROUPS.has(apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
}

/**
 * Whether `toServerForm(object)` returns a new object tree (for the built-in kinds) rather than
 * `object` itself (custom resources, stored as sent).
 */
export function isServerFormCopy(object: unknown): boolean {
  return !!object && typeof object === 'object' && isBuiltIn((object as { apiVersion?: unknown }).apiVersion);
}

/**
 * A copy of the object without the values the API server would not store: empty lists
 * anywhere in a built-in object, and `false`/`0` in the fields listed above. Custom resources
 * are stored as sent (after their CRD's pruning), so they are returned unchanged. Fields set
 * to `undefined` are left out of the copy (no JSON holds them). Token strings and every other
 * value are kept as they are.
 */
export function toServerForm<T>(object: T): T {
  if (!object || typeof object !== 'object' || !isBuiltIn((object as { apiVersion?: unknown }).apiVersion)) return object;
  return normalize(object) as T;
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (!value || typeof value !== 'object') return value;
  // A token object (a boolean TerraformVariable, Fn.*, a Lazy) is a value, not a part of the
  // object: copying its fields into a plain object would write them out instead of resolving it.
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const child = source[key];
    // an unset field (`undefined`) is left out, as JSON and CDKTF's resolver leave it out
    if (child === undefined || (Array.isArray(child) && child.length === 0)) continue;
    if (OMITTED_ZERO_FIELDS.has(key) && (child === false || child === 0)) continue;
    out[key] = normalize(child);
  }
  return out;
}
