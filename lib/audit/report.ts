import * as fs from 'fs';
import * as path from 'path';
import { AuditFinding, AuditResult, formatFinding } from './engine';
import { RuleDefinition, Severity } from './model';
import { ALL_RULES } from './rules';

export const AUDIT_JSON = 'audit.json';
export const AUDIT_SARIF = 'audit.sarif';
export const TOOL_NAME = 'cdktf-golden-path-audit';

function counts(findings: AuditFinding[]) {
  const active = findings.filter((f) => !f.suppressedBy);
  return {
    error: active.filter((f) => f.severity === 'error').length,
    warn: active.filter((f) => f.severity === 'warn').length,
    info: active.filter((f) => f.severity === 'info').length,
    suppressed: findings.length - active.length,
  };
}

const RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

export interface FormatTableOptions {
  /**
   * The lowest severity listed (a suppressed finding counts at its own severity). The counts
   * line always counts every finding, and says how many it does not list.
   * @default 'info' (every finding)
   */
  readonly minimumSeverity?: Severity;
}

/** The findings of a result that a console at `minimumSeverity` lists. */
export function listedFindings(result: AuditResult, minimumSeverity: Severity = 'info'): AuditFinding[] {
  return result.findings.filter((f) => RANK[f.severity] >= RANK[minimumSeverity]);
}

/** The counts line of one stack: `0 error(s), 0 warning(s), 37 info, 0 suppressed`. */
export function formatCounts(result: AuditResult): string {
  const c = counts(result.findings);
  return `${c.error} error(s), ${c.warn} warning(s), ${c.info} info, ${c.suppressed} suppressed`;
}

/** The finding rows (fixed width, two-space indent, with a header row), or [] when none is listed. */
export function formatFindingRows(findings: readonly AuditFinding[], indent = '  '): string[] {
  const rows = findings.map((f) => [f.suppressedBy ? 'suppressed' : f.severity, f.rule, f.resource, f.message]);
  if (rows.length === 0) return [];
  const header = ['SEVERITY', 'RULE', 'RESOURCE', 'MESSAGE'];
  const w = [0, 1, 2].map((i) => Math.min(48, Math.max(header[i].length, ...rows.map((r) => r[i].length))));
  const fmt = (r: string[]) => `${indent}${r.slice(0, 3).map((cell, i) => cell.padEnd(w[i])).join('  ')}  ${r[3]}`;
  return [fmt(header), ...rows.map(fmt)];
}

/**
 * A fixed-width table for the console: the counts line, the findings at or above
 * `minimumSeverity` (all by default), and the suppressions.
 */
export function formatTable(result: AuditResult, options: FormatTableOptions = {}): string {
  const listed = listedFindings(result, options.minimumSeverity);
  const hidden = result.findings.length - listed.length;
  const note = hidden > 0 ? ` (${hidden} ${options.minimumSeverity === 'error' ? 'warning/info' : 'info'} finding(s) not listed: GOLDEN_PATH_LOG=info lists them)` : '';
  const lines = [`Golden-path audit ${result.stack}: ${formatCounts(result)}${note}`, ...formatFindingRows(listed)];
  if (result.suppressions.length > 0) {
    lines.push('  Suppressions:');
    for (const s of result.suppressions) {
      lines.push(`    ${s.rule} at ${s.path} (${s.source}${s.expires ? `, until ${s.expires}` : ''}${s.expired ? ', EXPIRED' : ''}, ${s.matched} finding(s)): ${s.reason}`);
    }
  }
  return lines.join('\n');
}

/** audit.json: every stack's findings and suppressions. */
export function toAuditJson(results: readonly AuditResult[]): unknown {
  return {
    tool: TOOL_NAME,
    stacks: results.map((r) => ({
      stack: r.stack,
      summary: counts(r.findings),
      passed: r.failing.length === 0,
      findings: r.findings.map((f) => ({
        rule: f.rule, title: f.title, severity: f.severity, locked: f.locked, resource: f.resource, path: f.path, message: f.message,
        suppressed: f.suppressedBy ? { source: f.suppressedBy.source, reason: f.suppressedBy.reason, expires: f.suppressedBy.expires, path: f.suppressedBy.path } : undefined,
      })),
      suppressions: r.suppressions.map((s) => ({ rule: s.rule, path: s.path, source: s.source, reason: s.reason, expires: s.expires, expired: s.expired, matched: s.matched })),
    })),
  };
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warn: 'warning', info: 'note' };

function sarifRule(r: RuleDefinition) {
  return {
    id: r.id,
    name: r.title.replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : '')),
    shortDescription: { text: r.title },
    fullDescription: { text: r.help },
    help: { text: `${r.help}${r.locked ? ' Locked: only an app-level waiver can accept it.' : ''}` },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: { tags: ['golden-path', r.category, ...(r.locked ? ['locked'] : [])] },
  };
}

/**
 * SARIF 2.1.0 for GitHub code scanning. Each result points at the stack's synthesized
 * `cdk.tf.json` (`artifactUri(stack)`) and names the construct path as a logical location.
 */
export function toSarif(results: readonly AuditResult[], artifactUri: (stack: string) => string): any {
  const rules = [...ALL_RULES];
  const ruleIndex = (id: string) => {
    let i = rules.findIndex((r) => r.id === id);
    if (i < 0) {
      rules.push({ id, title: 'Suppression record', category: 'operations', severity: 'warn', help: 'A suppression or waiver has expired.', check: () => [] });
      i = rules.length - 1;
    }
    return i;
  };
  const sarifResults = results.flatMap((r) => r.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ruleIndex(f.rule),
    level: LEVEL[f.severity],
    message: { text: `${f.resource}: ${f.message}` },
    locations: [{
      physicalLocation: { artifactLocation: { uri: artifactUri(r.stack) }, region: { startLine: 1 } },
      logicalLocations: [{ fullyQualifiedName: f.path, kind: 'resource' }],
    }],
    partialFingerprints: { goldenPathFinding: `${f.rule}|${f.path}|${f.message}` },
    ...(f.suppressedBy ? { suppressions: [{ kind: 'external', status: 'accepted', justification: `${f.suppressedBy.reason}${f.suppressedBy.expires ? ` (until ${f.suppressedBy.expires})` : ''}` }] } : {}),
  })));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: TOOL_NAME, version: '1.0.0', rules: rules.map(sarifRule) } },
      results: sarifResults,
      columnKind: 'utf16CodeUnits',
    }],
  };
}

/** Write audit.json and audit.sarif into a directory. Returns the two paths. */
export function writeReports(dir: string, results: readonly AuditResult[], artifactUri: (stack: string) => string): { json: string; sarif: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, AUDIT_JSON);
  const sarif = path.join(dir, AUDIT_SARIF);
  fs.writeFileSync(json, `${JSON.stringify(toAuditJson(results), null, 2)}\n`);
  fs.writeFileSync(sarif, `${JSON.stringify(toSarif(results, artifactUri), null, 2)}\n`);
  return { json, sarif };
}

export { formatFinding };
