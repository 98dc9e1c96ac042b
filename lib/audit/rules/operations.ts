import { AuditBundle, RawFinding, RuleDefinition, finding, isTokenString, ofKind } from '../model';
import { CLUSTER_SCOPED_KINDS } from '../../k8s/object';

/** Kinds that live outside namespaces (lib/k8s/object.ts). Everything else must name a namespace. */
export { CLUSTER_SCOPED_KINDS };

/** GP-OPS-001: explicit, non-default namespaces with Pod Security labels. */
function namespaces(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of bundle.k8s) {
    const o = item.object;
    if (CLUSTER_SCOPED_KINDS.has(o?.kind)) continue;
    const ns = o?.metadata?.namespace;
    if (ns === undefined || ns === '') out.push(finding('GP-OPS-001', item, 'has no namespace (it would land in default); set namespace (metadata.namespace) to the app\'s own namespace (a KubeNamespace)', 'error'));
    else if (ns === 'default') out.push(finding('GP-OPS-001', item, 'is in the default namespace; give the app its own namespace: set namespace to a KubeNamespace', 'error'));
    else if (typeof ns === 'string' && ns.startsWith('kube-')) out.push(finding('GP-OPS-001', item, `is in the system namespace ${ns}; give the app its own namespace: set namespace to a KubeNamespace`, 'error'));
  }
  for (const n of ofKind(bundle, 'Namespace')) {
    if (!n.object.metadata?.labels?.['pod-security.kubernetes.io/enforce']) out.push(finding('GP-OPS-001', n, 'has no pod-security.kubernetes.io/enforce label; set the Pod Security level (KubeNamespace sets it: podSecurityStandard)', 'warn'));
  }
  return out;
}

/** apiVersion/kind pairs removed from Kubernetes (and the replacement). */
const REMOVED: Array<[RegExp, string]> = [
  [/^extensions\/v1beta1$/, 'apps/v1 or networking.k8s.io/v1'],
  [/^apps\/v1beta[12]$/, 'apps/v1'],
  [/^policy\/v1beta1$/, 'policy/v1'],
  [/^batch\/v1beta1$/, 'batch/v1'],
  [/^batch\/v2alpha1$/, 'batch/v1'],
  [/^autoscaling\/v2beta[12]$/, 'autoscaling/v2'],
  [/^networking\.k8s\.io\/v1beta1$/, 'networking.k8s.io/v1'],
  [/^rbac\.authorization\.k8s\.io\/v1(alpha1|beta1)$/, 'rbac.authorization.k8s.io/v1'],
  [/^scheduling\.k8s\.io\/v1(alpha1|beta1)$/, 'scheduling.k8s.io/v1'],
  [/^storage\.k8s\.io\/v1beta1$/, 'storage.k8s.io/v1'],
  [/^admissionregistration\.k8s\.io\/v1beta1$/, 'admissionregistration.k8s.io/v1'],
  [/^apiextensions\.k8s\.io\/v1beta1$/, 'apiextensions.k8s.io/v1'],
  [/^discovery\.k8s\.io\/v1beta1$/, 'discovery.k8s.io/v1'],
  [/^flowcontrol\.apiserver\.k8s\.io\/v1beta[123]$/, 'flowcontrol.apiserver.k8s.io/v1'],
  [/^keda\.k8s\.io\/v1alpha1$/, 'keda.sh/v1alpha1'],
];

/** GP-OPS-003: removed or deprecated API versions. */
function apiVersions(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of bundle.k8s) {
    const v = item.object?.apiVersion;
    const hit = REMOVED.find(([re]) => typeof v === 'string' && re.test(v));
    if (hit) out.push(finding('GP-OPS-003', item, `apiVersion ${v} is removed from current Kubernetes; use ${hit[1]}`));
  }
  return out;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PATH_SEGMENT_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);
const LABEL_NAME_KINDS = new Set(['Namespace', 'Service']);

/** Problems with a name for a kind (exported for tests). */
export function nameProblem(kind: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || isTokenString(name)) return undefined;
  if (PATH_SEGMENT_KINDS.has(kind)) return name === '' || name === '.' || name === '..' || /[/%]/.test(name) ? 'may not be empty, "." or "..", or contain "/" or "%"' : undefined;
  if (LABEL_NAME_KINDS.has(kind)) return name.length > 63 || !DNS_LABEL.test(name) ? 'must be a DNS-1123 label (lowercase letters, digits, "-", at most 63 characters)' : undefined;
  return name.length > 253 || !DNS_SUBDOMAIN.test(name) ? 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)' : undefined;
}

/** A label key/value problem (exported for tests). */
export function labelProblem(key: string, value: unknown): string | undefined {
  if (isTokenString(key) || isTokenString(value)) return undefined;
  const parts = key.split('/');
  const name = parts.pop()!;
  const prefix = parts.join('/');
  if (parts.length > 1 || (prefix && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) || name.length > 63 || !LABEL_NAME.test(name)) return `label key ${key} is not a valid qualified name`;
  if (typeof value !== 'string' || value.length > 63 || !LABEL_VALUE.test(value)) return `label ${key} value ${JSON.stringify(value)} is not a valid label value (at most 63 alphanumerics, "-", "_", ".")`;
  return undefined;
}

/** GP-OPS-004: names, labels and annotation sizes the API server would reject. */
function metadataValidity(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of bundle.k8s) {
    const m = item.object?.metadata ?? {};
    const np = nameProblem(item.object?.kind, m.name);
    if (np) out.push(finding('GP-OPS-004', item, `name ${JSON.stringify(m.name)} ${np}; rename it (name)`));
    const labelSets = [m.labels, item.object?.spec?.template?.metadata?.labels];
    for (const labels of labelSets) for (const [k, v] of Object.entries(labels ?? {})) {
      const lp = labelProblem(k, v);
      if (lp) out.push(finding('GP-OPS-004', item, `${lp}; fix it (extraLabels / extraPodLabels)`));
    }
    const size = Object.entries(m.annotations ?? {}).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
    if (size > 256 * 1024) out.push(finding('GP-OPS-004', item, `annotations total ${size} bytes, over the 256 KiB limit; move the data from extraAnnotations to a ConfigMap (KubeConfigMap)`));
  }
  return out;
}

export const OPERATIONS_RULES: RuleDefinition[] = [
  { id: 'GP-OPS-001', title: 'Own namespace', category: 'operations', severity: 'error', check: namespaces,
    help: 'Namespaced objects name a namespace that is not default or kube-*; namespaces carry Pod Security labels.' },
  { id: 'GP-OPS-003', title: 'Current API versions', category: 'operations', severity: 'error', check: apiVersions,
    help: 'No removed API versions (extensions/v1beta1, policy/v1beta1, autoscaling/v2beta2, ...).' },
  { id: 'GP-OPS-004', title: 'Valid metadata', category: 'operations', severity: 'error', check: metadataValidity,
    help: 'Names, label keys/values and annotation sizes the API server accepts. (Schema and unknown fields are checked by KubeManifest itself.)' },
];
