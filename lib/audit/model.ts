/**
 * What the audit looks at: plain Kubernetes objects and AWS resource attributes, each with
 * the construct path that produced it. Pure data, so rules are testable without CDKTF.
 *
 * @group Audit
 */

export type Severity = 'error' | 'warn' | 'info';
/**
 * A rule severity override; `off` disables the rule.
 *
 * @group Audit
 */
export type SeverityOverride = Severity | 'off';

/**
 * A Kubernetes object in the bundle: a `kubernetes_manifest` body, or the object a typed `kubernetes_*` resource manages.
 *
 * @group Audit
 */
export interface K8sItem {
  readonly object: any;
  /** Construct path of the emitting construct (the KubeManifest, or the resource). */
  readonly path: string;
}

/**
 * A Terraform resource (AWS, Helm): its type and its attributes in Terraform (snake_case) form.
 *
 * @group Audit
 */
export interface AwsItem {
  readonly type: string;
  readonly attributes: any;
  readonly path: string;
}

/**
 * The Kubernetes objects and AWS resources of a stack, as the audit rules read them.
 *
 * @group Audit
 */
export interface AuditBundle {
  readonly k8s: readonly K8sItem[];
  readonly aws: readonly AwsItem[];
  /**
   * Namespaces where objects the audit cannot see are installed (Helm releases). Selectors
   * there may match chart workloads, so "matches nothing" is not reported for them.
   */
  readonly opaqueNamespaces?: readonly string[];
  /** Helm releases (`helm_release` attributes): their `set` values are checked for literal secrets. */
  readonly helmReleases?: readonly AwsItem[];
}

export function isOpaque(bundle: AuditBundle, namespace: string | undefined): boolean {
  return namespace !== undefined && (bundle.opaqueNamespaces ?? []).includes(namespace);
}

/**
 * Facts about where the bundle is deployed that change how strict a rule is.
 *
 * @group Audit
 */
export interface AuditContext {
  /** The environment's SLA target (1 = single AZ / dev). @default 3 */
  readonly slaTarget: 1 | 2 | 3;
  /** Strict mode: warnings fail synth too (the thresholds are the same). */
  readonly strict: boolean;
}

/** What a rule reports, before severities and suppressions are applied. */
export interface RawFinding {
  readonly rule: string;
  readonly path: string;
  /** `Deployment web/web`, `aws_iam_role`. */
  readonly resource: string;
  /** The one-line message: what is wrong and what to change. */
  readonly message: string;
  /** Severity when the rule has several levels (default: the rule's). */
  readonly severity?: Severity;
}

export interface RuleDefinition {
  /** Stable id, `GP-SEC-007`. */
  readonly id: string;
  readonly title: string;
  readonly category: 'security' | 'network' | 'reliability' | 'resources' | 'operations' | 'irsa' | 'iam' | 'cloudfront';
  /** Default severity (findings may carry their own). */
  readonly severity: Severity;
  /** Locked rules can only be waived in the app's audit options, never per construct. */
  readonly locked?: boolean;
  /** Longer help for SARIF and docs. */
  readonly help: string;
  readonly check: (bundle: AuditBundle, ctx: AuditContext) => RawFinding[];
}

// ---------------------------------------------------------------- helpers for rules

/**
 * Is this a deploy-time value: a CDKTF token marker (`${TfToken[...]}`), or a string of the
 * synthesized JSON with a Terraform interpolation or directive (`${var.x}`, `%{ if }`)?
 * Escaped text (`$${HOME}`, `%%{`) is literal and is not a token.
 */
export function isTokenString(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('${TfToken[') || v.includes('#{TfToken') || hasInterpolation(v));
}

/**
 * Does a Terraform template string contain an interpolation `${` or a directive `%{` that is not
 * escaped (`$${`, `%%{`)? Read left to right as Terraform does: `$$${x}` is `$` and a literal `${x}`.
 */
export function hasInterpolation(text: string): boolean {
  if (text.indexOf('{') === -1) return false;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text[i];
    if (c !== '$' && c !== '%') continue;
    if (text[i + 1] === c && text[i + 2] === '{') { i += 2; continue; } // escaped opener
    if (text[i + 1] === '{') return true;
  }
  return false;
}

/** The literal text of a Terraform template without interpolations: `$${` -> `${`, `%%{` -> `%{`. */
export function decodeTemplate(text: string): string {
  if (text.indexOf('{') === -1) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if ((c === '$' || c === '%') && text[i + 1] === c && text[i + 2] === '{') { out += `${c}{`; i += 2; continue; }
    out += c;
  }
  return out;
}

export function describe(obj: any): string {
  const m = obj?.metadata ?? {};
  return `${obj?.kind ?? '?'} ${m.namespace ? `${m.namespace}/` : ''}${m.name ?? '?'}`;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod'] as const;
export const LONG_RUNNING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'];

/** A workload with its pod template, found in the bundle. */
export interface PodView {
  readonly item: K8sItem;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Pod template metadata (labels, annotations). */
  readonly podMeta: any;
  readonly spec: any;
  readonly containers: any[];
  readonly initContainers: any[];
  readonly longRunning: boolean;
}

export function podOf(item: K8sItem): PodView | undefined {
  const o = item.object;
  if (!o || !WORKLOAD_KINDS.includes(o.kind)) return undefined;
  let template: any;
  if (o.kind === 'Pod') template = { metadata: o.metadata, spec: o.spec };
  else if (o.kind === 'CronJob') template = o.spec?.jobTemplate?.spec?.template;
  else template = o.spec?.template;
  if (!template?.spec) return undefined;
  return {
    item,
    kind: o.kind,
    name: o.metadata?.name,
    namespace: o.metadata?.namespace,
    podMeta: template.metadata ?? {},
    spec: template.spec,
    containers: Array.isArray(template.spec.containers) ? template.spec.containers : [],
    initContainers: Array.isArray(template.spec.initContainers) ? template.spec.initContainers : [],
    longRunning: LONG_RUNNING_KINDS.includes(o.kind),
  };
}

export function pods(bundle: AuditBundle): PodView[] {
  return bundle.k8s.map(podOf).filter((p): p is PodView => p !== undefined);
}

export function ofKind(bundle: AuditBundle, ...kinds: string[]): K8sItem[] {
  return bundle.k8s.filter((i) => kinds.includes(i.object?.kind));
}

/** Does a label selector (matchLabels / matchExpressions, or a Service's plain map) select these labels? */
export function selects(selector: any, labels: Record<string, string> | undefined, plainMap = false): boolean {
  if (!selector) return false;
  const l = labels ?? {};
  const matchLabels: Record<string, string> = plainMap ? selector : selector.matchLabels ?? {};
  const exprs: any[] = plainMap ? [] : selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length === 0 && exprs.length === 0) return !plainMap; // {} selects everything (not for Services)
  for (const [k, v] of Object.entries(matchLabels)) if (l[k] !== v) return false;
  for (const e of exprs) {
    const has = e.key in l;
    const values: string[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Pods (workloads) in the same namespace whose template a selector matches. */
export function podsSelectedBy(bundle: AuditBundle, namespace: string | undefined, selector: any, plainMap = false): PodView[] {
  return pods(bundle).filter((p) => p.namespace === namespace && selects(selector, p.podMeta.labels, plainMap));
}

/** Pod labels of pods created at runtime by Argo workflows (spec.podMetadata), per namespace. */
export function runtimePodLabels(bundle: AuditBundle, namespace: string | undefined): Array<Record<string, string>> {
  return bundle.k8s
    .filter((i) => ['WorkflowTemplate', 'Workflow', 'CronWorkflow'].includes(i.object?.kind) && i.object.metadata?.namespace === namespace)
    .map((i) => (i.object.kind === 'CronWorkflow' ? i.object.spec?.workflowSpec?.podMetadata?.labels : i.object.spec?.podMetadata?.labels))
    .filter((l): l is Record<string, string> => typeof l === 'object' && l !== null);
}

/** Does a selector match any pod in the namespace, including pods Argo workflows create? */
export function selectsAnything(bundle: AuditBundle, namespace: string | undefined, selector: any, plainMap = false): boolean {
  return podsSelectedBy(bundle, namespace, selector, plainMap).length > 0 || runtimePodLabels(bundle, namespace).some((l) => selects(selector, l, plainMap));
}

/** Services in the bundle that select this pod. */
export function servicesFor(bundle: AuditBundle, pod: PodView): K8sItem[] {
  return ofKind(bundle, 'Service').filter((s) => s.object.metadata?.namespace === pod.namespace && s.object.spec?.selector && selects(s.object.spec.selector, pod.podMeta.labels, true));
}

/** HPAs and KEDA ScaledObjects targeting a workload. */
export function scalersFor(bundle: AuditBundle, pod: PodView): { hpa: K8sItem[]; keda: K8sItem[] } {
  const targets = (i: K8sItem) => {
    const ref = i.object.spec?.scaleTargetRef ?? {};
    return i.object.metadata?.namespace === pod.namespace && ref.name === pod.name && (ref.kind ?? 'Deployment') === pod.kind;
  };
  return {
    hpa: ofKind(bundle, 'HorizontalPodAutoscaler').filter(targets),
    keda: ofKind(bundle, 'ScaledObject').filter(targets),
  };
}

/** The least number of replicas a workload can run with (HPA/KEDA min, else spec.replicas ?? 1). */
export function minReplicas(bundle: AuditBundle, pod: PodView): number | undefined {
  if (!['Deployment', 'StatefulSet', 'ReplicaSet'].includes(pod.kind)) return undefined;
  const { hpa, keda } = scalersFor(bundle, pod);
  const mins = [...hpa.map((h) => h.object.spec?.minReplicas ?? 1), ...keda.map((k) => k.object.spec?.minReplicaCount ?? 0)].filter((n) => typeof n === 'number');
  if (mins.length > 0) return Math.min(...mins);
  const r = pod.item.object.spec?.replicas;
  return typeof r === 'number' ? r : isTokenString(r) ? undefined : 1;
}

export function finding(rule: string, item: { path: string; object?: any; type?: string }, message: string, severity?: Severity): RawFinding {
  const resource = item.object ? describe(item.object) : item.type ?? '?';
  return { rule, path: item.path, resource, message, severity };
}

export function asArray<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
