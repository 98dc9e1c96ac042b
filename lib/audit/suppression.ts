import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';
import { ruleById } from './rules';

/**
 * A per-construct suppression: applies to the construct and everything under it.
 *
 * @group Audit
 */
export interface AuditSuppressionOptions {
  /** Why the rule does not apply here (at least 10 characters). Shown in every report. */
  readonly reason: string;
  /**
   * Date (YYYY-MM-DD) after which the suppression stops working and is itself reported.
   * @default - never expires
   */
  readonly expires?: string;
}

/**
 * A suppression recorded on a construct by `suppressAudit`, with the rule and the construct path it applies to.
 *
 * @group Audit
 */
export interface AuditSuppression extends AuditSuppressionOptions {
  readonly rule: string;
  /** Construct path the suppression covers (the construct and its subtree). */
  readonly path: string;
  /** `construct` (suppressAudit) or `waiver` (app-level audit options). */
  readonly source: 'construct' | 'waiver';
}

const SUPPRESSIONS = Symbol.for('cdktf-golden-path.audit.suppressions');

/** Check a reason and an expiry date; throws ValidationError. */
export function validateSuppression(path: string, field: string, rule: string, options: Partial<AuditSuppressionOptions> | undefined): void {
  if (!ruleById(rule)) {
    throw new ValidationError({ path, field: `${field}.rule`, value: rule, reason: 'is not a golden-path audit rule', fix: 'use a rule id from the audit report, e.g. GP-REL-007' });
  }
  const reason = options?.reason;
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new ValidationError({ path, field: `${field}.reason`, value: reason, reason: 'is missing or shorter than 10 characters', fix: 'say why the rule does not apply here; the reason is shown in every audit report' });
  }
  if (options?.expires !== undefined && !isDate(options.expires)) {
    throw new ValidationError({ path, field: `${field}.expires`, value: options.expires, reason: 'is not a date', fix: 'use YYYY-MM-DD, e.g. "2027-01-31"' });
  }
}

/**
 * Check a waiver's path. Any rule: a non-empty construct path. A locked rule: one construct,
 * written out: no `*`, and a stack and a construct (`production-us-east-2-app/legacy-sync`), so a
 * waiver can never turn a locked rule off for a whole stack or the whole app.
 */
export function validateWaiverPath(where: string, field: string, waiver: { rule: string; path: unknown }): void {
  const p = waiver.path;
  if (typeof p !== 'string' || p.trim() === '') {
    throw new ValidationError({ path: where, field: `${field}.path`, value: p, reason: 'is empty', fix: 'give the construct path the waiver covers, e.g. "production-us-east-2-app/legacy"' });
  }
  if (!ruleById(waiver.rule)?.locked) return;
  if (p.includes('*')) {
    throw new ValidationError({
      path: where, field: `${field}.path`, value: p,
      reason: `contains a wildcard, which would waive the locked rule ${waiver.rule} for every construct it matches`,
      fix: 'name the one construct the waiver covers, e.g. "production-us-east-2-app/legacy-sync"; for several stacks, write one waiver per stack',
    });
  }
  if (!isSingleConstructPath(p)) {
    throw new ValidationError({
      path: where, field: `${field}.path`, value: p,
      reason: `does not name a construct inside a stack, so it would waive the locked rule ${waiver.rule} for a whole stack or app`,
      fix: 'use <stack>/<construct path>, e.g. "production-us-east-2-app/legacy-sync"',
    });
  }
}

/** `<stack>/<construct>...`: at least two segments, none empty, no wildcard. */
export function isSingleConstructPath(p: string): boolean {
  const segments = p.split('/');
  return !p.includes('*') && segments.length >= 2 && segments.every((s) => s.trim() !== '');
}

export function isDate(s: unknown): s is string {
  return typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

/** Has the suppression expired on `today` (it is valid through its expiry date)? */
export function isExpired(s: { expires?: string }, today: Date): boolean {
  return s.expires !== undefined && Date.parse(`${s.expires}T23:59:59Z`) < today.getTime();
}

/**
 * Suppress an audit rule for a construct and everything under it, with a reason and an
 * optional expiry date. Locked rules (static AWS keys, literal secrets, wildcard IRSA trust,
 * privilege escalation, ...) are refused: waive them in the app's audit options instead.
 *
 * ```ts
 * suppressAudit(worker, 'GP-REL-007', { reason: 'singleton leader; a second replica would double-process', expires: '2027-01-31' });
 * ```
 *
 * @group Audit
 */
export function suppressAudit(scope: IConstruct, rule: string, options: AuditSuppressionOptions): void {
  const path = scope.node.path;
  validateSuppression(path, 'suppressAudit', rule, options);
  if (ruleById(rule)!.locked) {
    throw new ValidationError({
      path, field: 'suppressAudit.rule', value: rule, reason: 'is a locked rule and cannot be suppressed per construct',
      fix: `add a waiver to the app's audit options: enableAudit(stack, { waivers: [{ rule: '${rule}', path: '${path}', reason: '...' }] }) so review sees it`,
    });
  }
  const list: AuditSuppression[] = ((scope as any)[SUPPRESSIONS] ??= []);
  list.push({ rule, path, reason: options.reason, expires: options.expires, source: 'construct' });
}

/** Every suppression attached to constructs in this tree. */
export function collectSuppressions(root: IConstruct): AuditSuppression[] {
  return root.node.findAll().flatMap((c) => ((c as any)[SUPPRESSIONS] as AuditSuppression[] | undefined) ?? []);
}

/** Does a suppression path cover a finding path? (`*` in a waiver path matches one segment.) */
export function covers(suppressionPath: string, findingPath: string): boolean {
  if (suppressionPath.includes('*')) {
    const re = new RegExp(`^${suppressionPath.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}(/.*)?$`);
    return re.test(findingPath);
  }
  return findingPath === suppressionPath || findingPath.startsWith(`${suppressionPath}/`);
}
