/**
 * The audit's view of a stack: the synthesized Terraform JSON (what `cdk.tf.json` holds),
 * turned into the plain objects the rules read. Everything that reaches Terraform is seen,
 * whoever wrote it: KubeManifest, a raw `Manifest`, typed `kubernetes_*` resources
 * (`DeploymentV1`, `SecretV1`, ...), `addOverride` on a resource, `TerraformStack.addOverride`,
 * and IAM policies built with `DataAwsIamPolicyDocument`.
 *
 * Strings are kept as Terraform templates (the text in `cdk.tf.json`): `${...}` is a
 * deploy-time value (`isTokenString`), `$${` is a literal `${`.
 */
import { AuditBundle, AwsItem, K8sItem, decodeTemplate, hasInterpolation } from './model';
import { TYPED_KINDS, typedKindBase } from '../k8s/typed-kinds';
import { snakeToCamel as camel } from '../core/naming';

/**
 * Options of `bundleFromTerraform`.
 *
 * @group Audit
 */
export interface TerraformViewOptions {
  /**
   * The construct path a finding on this resource reports, from the resource's own path
   * (`//.metadata.path`). @default - the resource path
   */
  readonly findingPath?: (resourcePath: string) => string;
}

/** Terraform meta-arguments and provider-only switches: not part of the Kubernetes object. */
const NOT_OBJECT = new Set(['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'timeouts', 'connection', 'provisioner',
  'wait_for_rollout', 'wait_for_load_balancer', 'wait_for_default_service_account', 'wait_for_completion', 'wait_for_service_account_token',
  'field_manager', 'force']);

/** Singular Terraform block names whose Kubernetes field is a plural list. */
const RENAMES: Record<string, string> = {
  container: 'containers', init_container: 'initContainers', ephemeral_container: 'ephemeralContainers', volume: 'volumes',
  volume_mount: 'volumeMounts', volume_device: 'volumeDevices', toleration: 'tolerations', topology_spread_constraint: 'topologySpreadConstraints',
  readiness_gate: 'readinessGates', sysctl: 'sysctls', rule: 'rules', subject: 'subjects', metric: 'metrics', node_selector_term: 'nodeSelectorTerms',
  http_header: 'httpHeaders', option: 'options', volume_claim_template: 'volumeClaimTemplates', host_aliases: 'hostAliases',
};

/** Kubernetes fields that are lists of objects (a one-element list of any other field is a single nested block). */
const LIST_FIELDS = new Set(['containers', 'initContainers', 'ephemeralContainers', 'volumes', 'volumeMounts', 'volumeDevices', 'ports', 'env', 'envFrom',
  'tolerations', 'topologySpreadConstraints', 'hostAliases', 'imagePullSecrets', 'readinessGates', 'sysctls', 'rules', 'subjects', 'metrics',
  'nodeSelectorTerms', 'matchExpressions', 'matchFields', 'ingress', 'egress', 'from', 'to', 'tls', 'paths', 'items', 'sources', 'secrets',
  'volumeClaimTemplates', 'httpHeaders', 'options', 'policies', 'preferredDuringSchedulingIgnoredDuringExecution', 'ownerReferences']);

/** Fields whose keys are user data (label keys, data keys, resource names): copied as they are. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'data', 'binary_data', 'string_data', 'match_labels', 'node_selector', 'limits', 'requests', 'selector', 'overhead']);

/** The Kubernetes field name of a Terraform attribute or block, where names depend on the place. */
function fieldName(key: string, value: unknown, parentKey: string): string {
  const block = isObject(value) || (Array.isArray(value) && value.some(isObject));
  switch (key) {
    // container and Service ports are a list; an Ingress backend's or a probe's port is one value
    case 'port': return Array.isArray(value) && value.some((p) => isObject(p) && ('container_port' in p || 'target_port' in p || 'port' in p || 'node_port' in p)) ? 'ports' : 'port';
    case 'path': return block ? 'paths' : 'path'; // Ingress http.path blocks; hostPath.path, httpGet.path
    case 'policy': return parentKey === 'scale_up' || parentKey === 'scale_down' ? 'policies' : 'policy';
    // a ServiceAccount's secret/image_pull_secret blocks; `secret` is a volume source elsewhere
    case 'secret': return parentKey === '' && block && !('secret_name' in (Array.isArray(value) ? value[0] ?? {} : value as object)) ? 'secrets' : 'secret';
    case 'image_pull_secret': return 'imagePullSecrets';
    default: return RENAMES[key] ?? camel(key);
  }
}

/** Integer (or int-or-string) fields the typed provider may write as strings; the rules compare numbers. */
const NUMERIC_FIELDS = new Set(['replicas', 'runAsUser', 'runAsGroup', 'fsGroup', 'containerPort', 'hostPort', 'port', 'targetPort', 'nodePort',
  'maxUnavailable', 'minAvailable', 'maxSurge', 'minReplicas', 'maxReplicas', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'backoffLimit',
  'startingDeadlineSeconds', 'periodSeconds', 'failureThreshold', 'initialDelaySeconds', 'timeoutSeconds', 'successThreshold', 'seconds']);

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A typed resource's attributes (snake_case blocks) in Kubernetes object form (camelCase fields). */
function toKubernetesShape(value: any, parentKey = ''): any {
  if (Array.isArray(value)) return value.map((v) => toKubernetesShape(v, parentKey));
  if (!isObject(value)) return value;
  const out: Record<string, any> = {};
  for (const [key, v] of Object.entries(withDynamicBlocks(value))) {
    if (MAP_FIELDS.has(key) && isObject(v) && Object.values(v).every((x) => typeof x !== 'object' || x === null)) {
      out[camel(key)] = { ...v };
      continue;
    }
    const field = fieldName(key, v, parentKey);
    let converted = toKubernetesShape(v, key);
    const requiredNodeSelector = field === 'requiredDuringSchedulingIgnoredDuringExecution' && parentKey === 'node_affinity';
    if (Array.isArray(converted) && converted.length > 0 && converted.every(isObject) && (!LIST_FIELDS.has(field) && (field !== 'requiredDuringSchedulingIgnoredDuringExecution' || requiredNodeSelector))) {
      converted = converted[0];
    } else if (isObject(converted) && (LIST_FIELDS.has(field) || (field === 'requiredDuringSchedulingIgnoredDuringExecution' && !requiredNodeSelector))) {
      converted = [converted]; // one block written as an object
    }
    // The provider types some integers as strings (replicas, run_as_user, fs_group, max_unavailable).
    if (NUMERIC_FIELDS.has(field) && typeof converted === 'string' && /^-?\d+$/.test(converted)) converted = Number(converted);
    out[field] = converted;
  }
  return out;
}

/**
 * `dynamic "container" { for_each, content }` (a CDKTF iterator) read as one more `container` block
 * with the content: its per-item values are deploy-time, its literal parts are audited like any block.
 */
function withDynamicBlocks(value: Record<string, any>): Record<string, any> {
  if (!isObject(value.dynamic)) return value;
  const out: Record<string, any> = { ...value };
  delete out.dynamic;
  for (const [block, spec] of Object.entries<any>(value.dynamic)) {
    if (!isObject(spec?.content)) continue;
    const existing = out[block];
    out[block] = [...(Array.isArray(existing) ? existing : existing !== undefined ? [existing] : []), spec.content];
  }
  return out;
}

/** The Kubernetes object a typed `kubernetes_*` resource manages. */
export function typedResourceObject(type: string, attributes: any): any | undefined {
  const base = typedKindBase(type);
  if (!base || !isObject(attributes)) return undefined;
  const [apiVersion, kind] = TYPED_KINDS[base];
  const body: Record<string, any> = {};
  for (const [k, v] of Object.entries(attributes)) if (!NOT_OBJECT.has(k)) body[k] = v;
  const object = { apiVersion, kind, ...toKubernetesShape(body) };
  if (!isObject(object.metadata)) object.metadata = {};
  if (object.metadata.name === undefined && object.metadata.generateName !== undefined) object.metadata = { ...object.metadata, name: object.metadata.generateName };
  // The typed Secret takes plain values; the `_v1_data` patches name their target in metadata.
  return object;
}

// ---------------------------------------------------------------- IAM policy documents

const POLICY_DOC_REF = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.(json|minified_json)\}$/;

function list<T = any>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v as T];
}

function readJsonDoc(v: unknown): any | undefined {
  if (typeof v !== 'string' || !v.trim().startsWith('{')) return undefined;
  try { return JSON.parse(v); } catch { return undefined; }
}

/** `data.aws_iam_policy_document` as the JSON policy it renders (statements whose parts are tokens stay tokens). */
export function policyDocumentFromData(data: any): any {
  const attributes = isObject(data) ? withDynamicBlocks(data) : data;
  const statements: any[] = [];
  for (const src of list(attributes?.source_policy_documents)) statements.push(...list(readJsonDoc(src)?.Statement));
  for (const s of list<any>(attributes?.statement)) {
    const st: Record<string, any> = { Effect: s.effect ?? 'Allow' };
    if (s.sid !== undefined) st.Sid = s.sid;
    if (s.actions !== undefined) st.Action = s.actions;
    if (s.not_actions !== undefined) st.NotAction = s.not_actions;
    if (s.resources !== undefined) st.Resource = s.resources;
    if (s.not_resources !== undefined) st.NotResource = s.not_resources;
    const principals = (key: string) => {
      const p: Record<string, any[]> = {};
      for (const x of list<any>(s[key])) p[x.type] = [...(p[x.type] ?? []), ...list(x.identifiers)];
      return p;
    };
    if (s.principals !== undefined) { const p = principals('principals'); st.Principal = p['*'] && Object.keys(p).length === 1 ? '*' : p; }
    if (s.not_principals !== undefined) st.NotPrincipal = principals('not_principals');
    if (s.condition !== undefined) {
      const cond: Record<string, Record<string, any[]>> = {};
      for (const c of list<any>(s.condition)) cond[c.test] = { ...(cond[c.test] ?? {}), [c.variable]: [...(cond[c.test]?.[c.variable] ?? []), ...list(c.values)] };
      st.Condition = cond;
    }
    statements.push(st);
  }
  for (const ov of list(attributes?.override_policy_documents)) statements.push(...list(readJsonDoc(ov)?.Statement));
  return { Version: attributes?.version ?? '2012-10-17', Statement: statements };
}

/** A policy attribute that is a reference to a policy document data source: the document it renders. */
function resolvePolicy(value: unknown, documents: Map<string, any>): unknown {
  if (typeof value !== 'string') return value;
  const m = POLICY_DOC_REF.exec(value.trim());
  const doc = m ? documents.get(m[1]) : undefined;
  return doc ? JSON.stringify(doc) : value;
}

// ---------------------------------------------------------------- the view

/**
 * The audit bundle of a synthesized stack (the object `TerraformStack.toTerraform()` returns,
 * i.e. `cdk.tf.json`): every `kubernetes_manifest` body, every typed `kubernetes_*` object,
 * the AWS resources, and the namespaces Helm releases install into.
 *
 * @group Audit
 */
export function bundleFromTerraform(tf: any, options: TerraformViewOptions = {}): AuditBundle {
  const k8s: K8sItem[] = [];
  const aws: AwsItem[] = [];
  const opaqueNamespaces: string[] = [];
  const helmReleases: AwsItem[] = [];
  const mapPath = options.findingPath ?? ((p: string) => p);
  const documents = new Map<string, any>();
  for (const [name, attrs] of Object.entries<any>(tf?.data?.aws_iam_policy_document ?? {})) documents.set(name, policyDocumentFromData(attrs));
  for (const [type, byName] of Object.entries<any>(tf?.resource ?? {})) {
    if (!isObject(byName)) continue;
    for (const [name, attrs] of Object.entries<any>(byName)) {
      if (!isObject(attrs)) continue;
      const resourcePath = typeof attrs['//']?.metadata?.path === 'string' ? attrs['//'].metadata.path : `${type}.${name}`;
      const path = mapPath(resourcePath);
      if (type === 'kubernetes_manifest') {
        // A body that is itself an interpolation (`${yamldecode(...)}`) is not readable at synth.
        if (isObject(attrs.manifest)) k8s.push({ object: attrs.manifest, path });
      } else if (type === 'helm_release') {
        const ns = attrs.namespace;
        opaqueNamespaces.push(typeof ns === 'string' ? ns : 'default');
        helmReleases.push({ type, attributes: attrs, path });
      } else if (type.startsWith('kubernetes_')) {
        const object = typedResourceObject(type, attrs);
        if (object) k8s.push({ object, path });
      } else if (type.startsWith('aws_')) {
        const attributes: Record<string, any> = {};
        for (const [k, v] of Object.entries(attrs)) if (k !== '//') attributes[k] = v;
        for (const key of ['policy', 'assume_role_policy']) if (key in attributes) attributes[key] = resolvePolicy(attributes[key], documents);
        if (Array.isArray(attributes.inline_policy)) attributes.inline_policy = attributes.inline_policy.map((p: any) => (isObject(p) ? { ...p, policy: resolvePolicy(p.policy, documents) } : p));
        aws.push({ type, attributes, path });
      }
    }
  }
  return { k8s, aws, opaqueNamespaces, helmReleases };
}

/** A copy of a value with the Terraform escapes of literal strings undone (`$${` -> `${`); interpolations are kept. */
export function decodeTemplates<T>(value: T): T {
  if (typeof value === 'string') return (hasInterpolation(value) ? value : decodeTemplate(value)) as unknown as T;
  if (Array.isArray(value)) return value.map((v) => decodeTemplates(v)) as unknown as T;
  if (isObject(value)) {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(value)) out[decodeTemplates(k)] = decodeTemplates(v);
    return out as T;
  }
  return value;
}
