import * as path from 'path';
import { Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { EnvironmentContext } from '../core/context';
import { KubeManifest } from '../constructs/kube-manifest';
import { AuditResult, evaluateAudit, formatFinding } from './engine';
import { AuditBundle, AwsItem, K8sItem, SeverityOverride } from './model';
import { formatTable, writeReports } from './report';
import { ruleById } from './rules';
import { AuditSuppression, collectSuppressions, validateSuppression } from './suppression';

/** An app-level waiver: the only way to accept a locked rule. Lives in the app code, where review sees it. */
export interface AuditWaiver {
  /** Rule id, e.g. GP-SEC-009. */
  readonly rule: string;
  /** Construct path (prefix; `*` matches one path segment), e.g. `production-us-east-2-app/legacy`. */
  readonly path: string;
  /** Why it is accepted (at least 10 characters). */
  readonly reason: string;
  /** YYYY-MM-DD after which the waiver stops working. @default - never */
  readonly expires?: string;
}

export interface GoldenPathAuditOptions {
  /**
   * Warnings fail synth too, and availability thresholds rise (3 replicas).
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Per-rule severity ('off' disables a rule). Locked rules cannot be lowered.
   * @default {}
   */
  readonly overrides?: Readonly<Record<string, SeverityOverride>>;
  /** App-level waivers (locked rules included). @default [] */
  readonly waivers?: readonly AuditWaiver[];
  /**
   * Directory for audit.json and audit.sarif, or false to write none.
   * @default - the app's outdir (cdktf.out)
   */
  readonly reportDir?: string | false;
  /**
   * Where the console table goes; false for none.
   * @default console.log
   */
  readonly log?: ((text: string) => void) | false;
  /** "Today" for expiry dates (tests). @default - the current date */
  readonly now?: Date;
}

interface Collected {
  readonly manifests: Set<KubeManifest>;
  readonly resources: Set<TerraformResource>;
}

const AWS_TYPES = new Set([
  'aws_iam_role', 'aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_user_policy', 'aws_iam_group_policy',
  'aws_iam_role_policy_attachments_exclusive', 'aws_iam_policy_attachment', 'aws_cloudfront_distribution',
]);
const OTHER_TYPES = new Set(['helm_release']);
const K8S_TYPED = new Set(['kubernetes_secret_v1', 'kubernetes_secret', 'kubernetes_config_map_v1', 'kubernetes_config_map']);

/** Reports per app root, so several stacks share one audit.json / audit.sarif. */
const APP_RESULTS = new WeakMap<IConstruct, Map<string, AuditResult>>();

/**
 * The golden-path audit as a CDKTF Aspect. It collects the Kubernetes objects (KubeManifest,
 * typed Secrets/ConfigMaps) and AWS IAM/CloudFront resources of each stack it visits, and a
 * stack validation then runs every rule over them (cross-object rules included), prints a
 * table, writes audit.json and audit.sarif, and fails synth on errors (and warnings when strict).
 *
 * ```ts
 * Aspects.of(stack).add(new GoldenPathAudit({ strict: true }));   // or enableAudit(stack)
 * ```
 */
export class GoldenPathAudit implements IAspect {
  public readonly options: GoldenPathAuditOptions;
  private readonly stacks = new Map<TerraformStack, Collected>();

  constructor(options: GoldenPathAuditOptions = {}) {
    const where = 'GoldenPathAudit';
    for (const [rule, level] of Object.entries(options.overrides ?? {})) {
      const def = ruleById(rule);
      if (!def) throw new ValidationError({ path: where, field: `overrides.${rule}`, value: rule, reason: 'is not a golden-path audit rule', fix: 'use a rule id from docs/audit.md' });
      if (!['off', 'info', 'warn', 'error'].includes(level)) throw new ValidationError({ path: where, field: `overrides.${rule}`, value: level, reason: 'is not a severity', fix: "use 'off', 'info', 'warn' or 'error'" });
      if (def.locked && level !== 'error') throw new ValidationError({ path: where, field: `overrides.${rule}`, value: level, reason: 'lowers a locked rule', fix: 'add a waiver for the specific construct path instead' });
    }
    (options.waivers ?? []).forEach((w, i) => {
      validateSuppression(where, `waivers[${i}]`, w.rule, w);
      if (typeof w.path !== 'string' || w.path.trim() === '') throw new ValidationError({ path: where, field: `waivers[${i}].path`, value: w.path, reason: 'is empty', fix: 'give the construct path the waiver covers, e.g. "production-us-east-2-app/legacy"' });
    });
    this.options = options;
  }

  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    let collected = this.stacks.get(stack);
    if (!collected) {
      collected = { manifests: new Set(), resources: new Set() };
      this.stacks.set(stack, collected);
      const c = collected;
      stack.node.addValidation({ validate: () => this.validateStack(stack, c) });
    }
    if (node instanceof KubeManifest) collected.manifests.add(node);
    else if (node instanceof TerraformResource && (AWS_TYPES.has(node.terraformResourceType) || K8S_TYPED.has(node.terraformResourceType) || OTHER_TYPES.has(node.terraformResourceType))) collected.resources.add(node);
  }

  /** The bundle of one stack (what the rules see). */
  public bundleOf(stack: TerraformStack): AuditBundle {
    const c = this.stacks.get(stack);
    if (!c) return { k8s: [], aws: [] };
    return collectBundle([...c.manifests], [...c.resources]);
  }

  /** Evaluate one stack (without failing or writing). */
  public evaluate(stack: TerraformStack): AuditResult {
    const waivers: AuditSuppression[] = (this.options.waivers ?? []).map((w) => ({ ...w, source: 'waiver' as const }));
    let slaTarget: 1 | 2 | 3 = 3;
    try { slaTarget = EnvironmentContext.of(stack).slaTarget; } catch { /* no context: production defaults */ }
    return evaluateAudit(this.bundleOf(stack), {
      context: { slaTarget, strict: this.options.strict ?? false },
      suppressions: [...collectSuppressions(stack), ...waivers],
      overrides: this.options.overrides,
      stack: stack.node.id,
      now: this.options.now,
    });
  }

  private validateStack(stack: TerraformStack, _c: Collected): string[] {
    const result = this.evaluate(stack);
    const log = this.options.log === undefined ? (t: string) => console.log(t) : this.options.log;
    if (log) log(formatTable(result));
    const root = stack.node.root;
    const all = APP_RESULTS.get(root) ?? new Map<string, AuditResult>();
    APP_RESULTS.set(root, all);
    all.set(result.stack, result);
    const outdir: string | undefined = (root as any).outdir;
    const dir = this.options.reportDir === false ? undefined : this.options.reportDir ?? outdir;
    if (dir) {
      const artifact = (name: string) => path.relative(process.cwd(), path.join(outdir ?? dir, 'stacks', name, 'cdk.tf.json')).split(path.sep).join('/');
      writeReports(dir, [...all.values()], artifact);
    }
    return result.failing.map(formatFinding);
  }
}

/**
 * Add the golden-path audit to a stack, or to every stack already under an app (CDKTF runs
 * aspects per stack, so an aspect on the App itself would never run). Returns the aspect.
 */
export function enableAudit(scope: IConstruct, options: GoldenPathAuditOptions = {}): GoldenPathAudit {
  const audit = new GoldenPathAudit(options);
  const inStack = scope.node.scopes.some((c) => TerraformStack.isStack(c));
  const targets = inStack ? [scope] : scope.node.findAll().filter((c) => TerraformStack.isStack(c));
  if (targets.length === 0) {
    throw new ValidationError({ path: scope.node.path || 'App', field: 'enableAudit.scope', value: scope.node.id, reason: 'contains no TerraformStack', fix: 'call enableAudit(stack) in the stack constructor, or enableAudit(app) after the stacks are created' });
  }
  for (const t of targets) Aspects.of(t).add(audit);
  return audit;
}

function resolveSafe(stack: TerraformStack, value: unknown): any {
  try { return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) }); } catch { return value; }
}

/** Terraform attributes (snake_case) of a resource, resolved to plain JSON where possible. */
export function terraformAttributes(resource: TerraformResource): any {
  const stack = TerraformStack.of(resource);
  const tf: any = resource.toTerraform();
  const byType = tf.resource?.[resource.terraformResourceType] ?? {};
  const attrs = Object.values(byType)[0] ?? {};
  return resolveSafe(stack, attrs);
}

function first(v: any): any {
  return Array.isArray(v) ? v[0] : v;
}

/** Build the audit bundle from collected constructs. */
export function collectBundle(manifests: KubeManifest[], resources: TerraformResource[]): AuditBundle {
  const k8s: K8sItem[] = manifests.map((m) => ({ object: m.object, path: m.node.path }));
  const aws: AwsItem[] = [];
  const opaqueNamespaces: string[] = [];
  for (const r of resources) {
    if (r.terraformResourceType === 'helm_release') {
      const ns = terraformAttributes(r).namespace;
      opaqueNamespaces.push(typeof ns === 'string' ? ns : 'default');
      continue;
    }
    const attributes = terraformAttributes(r);
    if (K8S_TYPED.has(r.terraformResourceType)) {
      const meta = first(attributes.metadata) ?? {};
      const kind = r.terraformResourceType.startsWith('kubernetes_secret') ? 'Secret' : 'ConfigMap';
      k8s.push({ path: r.node.path, object: { apiVersion: 'v1', kind, metadata: { name: meta.name ?? meta.generate_name, namespace: meta.namespace, labels: meta.labels, annotations: meta.annotations }, data: attributes.data, type: attributes.type } });
    } else {
      aws.push({ type: r.terraformResourceType, attributes, path: r.node.path });
    }
  }
  return { k8s, aws, opaqueNamespaces };
}

/** The audit bundle of every KubeManifest and audited resource under a scope (no aspect needed). */
export function bundleFromScope(scope: IConstruct): AuditBundle {
  const all = scope.node.findAll();
  return collectBundle(
    all.filter((c): c is KubeManifest => c instanceof KubeManifest),
    all.filter((c): c is TerraformResource => c instanceof TerraformResource && (AWS_TYPES.has(c.terraformResourceType) || K8S_TYPED.has(c.terraformResourceType) || OTHER_TYPES.has(c.terraformResourceType))),
  );
}
