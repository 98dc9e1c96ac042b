import * as path from 'path';
import { Aspects, IAspect, TerraformElement, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { EnvironmentContext } from '../core/context';
import { KubeManifest } from '../constructs/kube-manifest';
import { AuditFinding, AuditResult, evaluateAudit, formatFinding } from './engine';
import { AuditBundle, Severity, SeverityOverride } from './model';
import { formatTable, writeReports } from './report';
import { ruleById } from './rules';
import { AuditSuppression, collectSuppressions, validateSuppression, validateWaiverPath } from './suppression';
import { bundleFromTerraform } from './terraform-view';

/**
 * An app-level waiver: the only way to accept a locked rule. Lives in the app code, where review sees it.
 *
 * @group Audit
 */
export interface AuditWaiver {
  /** Rule id, e.g. GP-SEC-009. */
  readonly rule: string;
  /**
   * Construct path (prefix; `*` matches one path segment), e.g. `production-us-east-2-app/legacy`.
   * For a locked rule: one construct inside one stack, written out (no `*`, not a bare stack name).
   */
  readonly path: string;
  /** Why it is accepted (at least 10 characters). */
  readonly reason: string;
  /** YYYY-MM-DD after which the waiver stops working. @default - never */
  readonly expires?: string;
}

/**
 * Options of `enableAudit` and `GoldenPathAudit`: severity overrides, waivers, strictness, logging and reports.
 *
 * @group Audit
 */
export interface GoldenPathAuditOptions {
  /**
   * Warnings fail synth too (the thresholds stay: GP-REL-007 wants 2 replicas, seed 004).
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
   * Where the console table goes; false for none. The second argument is the stack's full
   * result (every finding, whatever `logLevel` lists), for an app that prints its own summary.
   * @default console.log
   */
  readonly log?: ((text: string, result: AuditResult) => void) | false;
  /**
   * The lowest severity the console table lists: 'warn' lists errors and warnings (and
   * suppressed errors and warnings), 'info' lists every finding. The counts line always counts
   * everything, and audit.json / audit.sarif always hold every finding.
   * @default - the GOLDEN_PATH_LOG environment variable (`error`, `warn` or `info`), else 'warn'
   */
  readonly logLevel?: Severity;
  /** "Today" for expiry dates (tests). @default - the current date */
  readonly now?: Date;
}

/**
 * The environment variable that sets the default `logLevel` of the audit's console output.
 *
 * @group Audit
 */
export const LOG_LEVEL_ENV_VAR = 'GOLDEN_PATH_LOG';

const LOG_LEVELS: Record<string, Severity> = { error: 'error', warn: 'warn', warning: 'warn', info: 'info', debug: 'info' };

/**
 * The console level in force: `explicit` when given, else GOLDEN_PATH_LOG (`error`, `warn`,
 * `info`; `warning` and `debug` are accepted), else 'warn'.
 */
export function resolveAuditLogLevel(explicit?: Severity, env: string | undefined = process.env[LOG_LEVEL_ENV_VAR]): Severity {
  if (explicit !== undefined) {
    if (!['error', 'warn', 'info'].includes(explicit)) throw new ValidationError({ path: 'GoldenPathAudit', field: 'logLevel', value: explicit, reason: 'is not a severity', fix: "use 'error', 'warn' or 'info'" });
    return explicit;
  }
  const raw = (env ?? '').trim().toLowerCase();
  if (raw === '') return 'warn';
  const level = LOG_LEVELS[raw];
  if (!level) throw new ValidationError({ path: 'GoldenPathAudit', field: LOG_LEVEL_ENV_VAR, value: env, reason: 'is not a log level', fix: `set ${LOG_LEVEL_ENV_VAR} to error, warn or info, or unset it` });
  return level;
}

/** What CDKTF appends to a failed stack validation; the audit replaces it with its own advice. */
const SKIP_VALIDATION_ADVICE = /\n*If you wish to ignore these validations, pass 'skipValidation: true' to your App configuration\.\n*/;

/**
 * How to fix or accept the failing findings of a stack: printed under them instead of CDKTF's
 * advice to skip validation. It names no rule id itself, so each `GP-...` line of the error is
 * one finding.
 */
export function auditFailureAdvice(stack: string, failing: readonly AuditFinding[], strict: boolean): string {
  return [
    `The golden-path audit failed stack ${stack}: ${failing.length} finding(s)${strict ? ' (strict mode: warnings fail too)' : ''}.`,
    'Fix each as its message says (docs/audit.md lists every rule), or accept one on purpose, with a reason review can see,',
    'using the rule id and the construct path (in parentheses) of its line above:',
    "  - on the construct: suppressAudit(construct, '<rule>', { reason: '...', expires: 'YYYY-MM-DD' }) (not for locked rules);",
    "  - an app-level waiver in the audit options (the only way to accept a locked rule): waivers: [{ rule: '<rule>', path: '<construct path>', reason: '...', expires: 'YYYY-MM-DD' }];",
    "  - for the whole app: overrides: { '<rule>': 'info' } in the audit options (not for locked rules).",
    'See "Suppressing a finding" in docs/audit.md. audit.json and audit.sarif in the outdir hold every finding.',
  ].join('\n');
}

/** Stacks whose runAllValidations the audit already wraps. */
const WRAPPED = new WeakSet<TerraformStack>();

/** Reports per app root, so several stacks share one audit.json / audit.sarif. */
const APP_RESULTS = new WeakMap<IConstruct, Map<string, AuditResult>>();

/**
 * The golden-path audit as a CDKTF Aspect. On the first visit of a stack it adds a stack
 * validation; CDKTF runs validations after every aspect, so the stack is final. The validation
 * reads the stack as it is synthesized (`stack.toTerraform()`, what `cdk.tf.json` will hold:
 * overrides and escape hatches included, whichever construct emitted each resource), runs
 * every rule over it (cross-object rules included), prints a table, writes audit.json and
 * audit.sarif, and fails synth on errors (and warnings when strict).
 *
 * ```ts
 * Aspects.of(stack).add(new GoldenPathAudit({ strict: true }));   // or enableAudit(stack)
 * ```
 *
 * @group Audit
 */
export class GoldenPathAudit implements IAspect {
  public readonly options: GoldenPathAuditOptions;
  private readonly stacks = new Set<TerraformStack>();

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
      validateWaiverPath(where, `waivers[${i}]`, w);
    });
    this.logLevel = resolveAuditLogLevel(options.logLevel);
    this.options = options;
  }

  /** The lowest severity the console table lists (the option, else GOLDEN_PATH_LOG, else 'warn'). */
  public readonly logLevel: Severity;
  /** Failing findings of the last validation, per stack (read when CDKTF's validation error is rephrased). */
  private readonly failures = new Map<TerraformStack, AuditFinding[]>();

  public visit(node: IConstruct): void {
    const stack = TerraformStack.of(node);
    if (this.stacks.has(stack)) return;
    this.stacks.add(stack);
    stack.node.addValidation({ validate: () => this.validateStack(stack) });
    this.rephraseValidationFailure(stack);
  }

  /**
   * CDKTF ends a failed stack validation with advice to set `skipValidation: true`, which would
   * switch the audit (and every other check) off. When the audit is among the failures, say how
   * to fix or accept the finding instead. Every validation error is still listed.
   */
  private rephraseValidationFailure(stack: TerraformStack): void {
    if (WRAPPED.has(stack)) return;
    WRAPPED.add(stack);
    const original = stack.runAllValidations.bind(stack);
    stack.runAllValidations = () => {
      this.failures.delete(stack);
      try {
        original();
      } catch (e) {
        const failing = this.failures.get(stack);
        if (!failing || failing.length === 0 || !(e instanceof Error)) throw e;
        const message = `${e.message.replace(SKIP_VALIDATION_ADVICE, '').trimEnd()}\n\n${auditFailureAdvice(stack.node.id, failing, this.options.strict ?? false)}\n`;
        // Not `cause`: Node would print the original message, skipValidation advice included.
        const rephrased = new Error(message);
        rephrased.name = 'GoldenPathAuditFailure';
        throw rephrased;
      }
    };
  }

  /** The bundle of one stack (what the rules see): the stack as synthesized. */
  public bundleOf(stack: TerraformStack): AuditBundle {
    return bundleFromStack(stack);
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

  private validateStack(stack: TerraformStack): string[] {
    let result: AuditResult;
    try {
      result = this.evaluate(stack);
    } catch (e) {
      if (e instanceof ValidationError) throw e;
      // The stack does not synthesize (a construct's own validation says why): synth fails anyway.
      return [`the golden-path audit could not read the synthesized stack: ${(e as Error).message}`];
    }
    const log = this.options.log === undefined ? (t: string) => console.log(t) : this.options.log;
    if (log) log(formatTable(result, { minimumSeverity: this.logLevel }), result);
    if (result.failing.length > 0) this.failures.set(stack, result.failing);
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
 *
 * @group Audit
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

/**
 * Where a finding on a resource is reported: the KubeManifest that owns a `kubernetes_manifest`
 * (`shop/api/Deployment`, not `shop/api/Deployment/Resource`), else the resource itself.
 */
function findingPaths(stack: TerraformStack): (resourcePath: string) => string {
  const owners = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (c instanceof TerraformElement && c.node.scope instanceof KubeManifest) owners.set(c.node.path, c.node.scope.node.path);
  }
  return (p) => owners.get(p) ?? p;
}

/** The audit bundle of a stack as it synthesizes (`stack.toTerraform()`, the content of cdk.tf.json). */
export function bundleFromStack(stack: TerraformStack): AuditBundle {
  return bundleFromTerraform(stack.toTerraform(), { findingPath: findingPaths(stack) });
}

/**
 * The audit bundle of everything under a scope (a stack, a construct in it, or an app), read
 * from the synthesized stacks. Run it after synth (or after `Testing.synth`) so aspects have run.
 */
export function bundleFromScope(scope: IConstruct): AuditBundle {
  const stacks = scope.node.scopes.some((c) => TerraformStack.isStack(c))
    ? [TerraformStack.of(scope)]
    : scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  const prefix = scope.node.path;
  const under = (p: string) => TerraformStack.isStack(scope) || !prefix || p === prefix || p.startsWith(`${prefix}/`);
  const bundles = stacks.map(bundleFromStack);
  return {
    k8s: bundles.flatMap((b) => b.k8s.filter((i) => under(i.path))),
    aws: bundles.flatMap((b) => b.aws.filter((i) => under(i.path))),
    opaqueNamespaces: bundles.flatMap((b) => b.opaqueNamespaces ?? []),
    helmReleases: bundles.flatMap((b) => (b.helmReleases ?? []).filter((i) => under(i.path))),
  };
}
