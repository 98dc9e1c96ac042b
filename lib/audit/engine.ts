import { AuditBundle, AuditContext, RawFinding, RuleDefinition, Severity, SeverityOverride } from './model';
import { ALL_RULES } from './rules';
import { AuditSuppression, covers, isExpired, isSingleConstructPath } from './suppression';

/**
 * One problem the audit found: rule, severity, resource path and message.
 *
 * @group Audit
 */
export interface AuditFinding extends RawFinding {
  readonly severity: Severity;
  readonly title: string;
  readonly locked: boolean;
  /** Set when a suppression or waiver hides the finding (it is still reported). */
  readonly suppressedBy?: AuditSuppression;
}

/**
 * A suppression or waiver that applied to a finding, as listed in an `AuditResult`.
 *
 * @group Audit
 */
export interface SuppressionRecord extends AuditSuppression {
  /** Findings it suppressed in this run. */
  readonly matched: number;
  readonly expired: boolean;
}

/**
 * The outcome of an audit run: the findings, the suppressed ones and whether the stack fails.
 *
 * @group Audit
 */
export interface AuditResult {
  readonly stack: string;
  readonly findings: AuditFinding[];
  readonly suppressions: SuppressionRecord[];
  /** Findings that fail synth (errors; warnings too in strict mode), not suppressed. */
  readonly failing: AuditFinding[];
}

/**
 * Options of `evaluateAudit`.
 *
 * @group Audit
 */
export interface EvaluateOptions {
  readonly context: AuditContext;
  readonly suppressions?: readonly AuditSuppression[];
  /** Per-rule severity overrides ('off' disables). Locked rules cannot be lowered. */
  readonly overrides?: Readonly<Record<string, SeverityOverride>>;
  /**
   * The rules to run; the repository's tests pass a subset.
   *
   * @internal
   */
  readonly rules?: readonly RuleDefinition[];
  readonly stack?: string;
  /** "Today" for expiry checks. @default new Date() */
  readonly now?: Date;
}

const RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

/**
 * Run every rule over the bundle, apply overrides and suppressions. Pure.
 *
 * @group Audit
 */
export function evaluateAudit(bundle: AuditBundle, options: EvaluateOptions): AuditResult {
  const now = options.now ?? new Date();
  const rules = options.rules ?? ALL_RULES;
  const suppressions = options.suppressions ?? [];
  const matched = new Map<AuditSuppression, number>();
  const findings: AuditFinding[] = [];
  for (const rule of rules) {
    const override = options.overrides?.[rule.id];
    if (override === 'off') continue;
    for (const raw of rule.check(bundle, options.context)) {
      let severity: Severity = raw.severity ?? rule.severity;
      if (override) severity = override;
      // A locked rule yields only to an app-level waiver that names one construct (no wildcard).
      const candidates = suppressions.filter((s) => s.rule === rule.id && covers(s.path, raw.path) && (!rule.locked || (s.source === 'waiver' && isSingleConstructPath(s.path))));
      const active = candidates.find((s) => !isExpired(s, now));
      for (const s of candidates) matched.set(s, (matched.get(s) ?? 0) + 1);
      findings.push({ ...raw, severity, title: rule.title, locked: rule.locked === true, suppressedBy: active });
    }
  }
  // An expired suppression no longer hides anything and is reported itself.
  const records: SuppressionRecord[] = suppressions.map((s) => ({ ...s, matched: matched.get(s) ?? 0, expired: isExpired(s, now) }));
  for (const r of records.filter((x) => x.expired)) {
    findings.push({
      rule: 'GP-OPS-005', title: 'Suppression record', locked: false, severity: 'warn', path: r.path, resource: r.path,
      message: `the ${r.source} for ${r.rule} expired on ${r.expires} and no longer applies; fix the findings or renew it with a new date (reason was: ${r.reason})`,
    });
  }
  findings.sort((a, b) => RANK[b.severity] - RANK[a.severity] || a.rule.localeCompare(b.rule) || a.path.localeCompare(b.path));
  const failing = findings.filter((f) => !f.suppressedBy && (f.severity === 'error' || (options.context.strict && f.severity === 'warn')));
  return { stack: options.stack ?? '', findings, suppressions: records, failing };
}

/** The one-line form used in synth errors and the console. */
export function formatFinding(f: AuditFinding): string {
  return `${f.rule} ${f.severity}: ${f.resource} (${f.path}): ${f.message}`;
}
