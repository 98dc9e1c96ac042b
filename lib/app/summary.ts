import * as fs from 'fs';
import * as path from 'path';
import type { AuditResult } from '../audit/engine';
import type { Severity } from '../audit/model';
import { formatCounts, formatFindingRows, listedFindings } from '../audit/report';

/**
 * Resources of one synthesized stack, by Terraform type.
 *
 * @group App
 */
export interface StackSummary {
  /** The stack's name. */
  readonly name: string;
  /** Its cdk.tf.json, relative to the working directory. */
  readonly file: string;
  /** Resource count by Terraform type. */
  readonly resources: Record<string, number>;
  /** Every resource of the stack. */
  readonly total: number;
}

/**
 * Read `<outdir>/manifest.json` and every stack's cdk.tf.json (after `app.synth()`) and count
 * resources by type.
 *
 * @group App
 */
export function summarizeSynth(outdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).map(([name, s]) => {
    const file = path.join(outdir, s.synthesizedStackPath);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    const resources: Record<string, number> = {};
    for (const [type, byId] of Object.entries(json.resource ?? {})) resources[type] = Object.keys(byId).length;
    return { name, file: path.relative(process.cwd(), file), resources, total: Object.values(resources).reduce((a, b) => a + b, 0) };
  });
}

/**
 * Options of {@link formatSummary}.
 *
 * @group App
 */
export interface FormatSummaryOptions {
  /** Each stack's audit result (the audit's `log` callback gets it), for the counts and the listed findings. */
  readonly audits?: ReadonlyMap<string, AuditResult>;
  /**
   * The lowest severity of the findings listed under a stack; 'info' also lists every
   * resource type of each stack.
   * @default 'warn'
   */
  readonly level?: Severity;
  /** Resource types named on a stack's line (the rest are counted). @default 3 */
  readonly topTypes?: number;
}

/**
 * A short, readable summary of the synthesized stacks: one line per stack (resources,
 * the most common types, the audit counts), then the findings at or above `level`.
 *
 * @group App
 */
export function formatSummary(stacks: StackSummary[], options: FormatSummaryOptions = {}): string {
  const level = options.level ?? 'warn';
  const top = options.topTypes ?? 3;
  const dir = stacks.length > 0 ? path.dirname(path.dirname(stacks[0].file)) : '';
  const lines = [`Synthesized ${stacks.length} stack(s)${dir ? ` to ${dir}/<stack>/cdk.tf.json` : ''}:`];
  for (const s of stacks) {
    const byCount = Object.entries(s.resources).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const named = byCount.slice(0, top).map(([type, n]) => `${n} ${type}`);
    const rest = byCount.length - named.length;
    const types = `${named.join(', ')}${rest > 0 ? `, ${rest} more type(s)` : ''}`;
    const audit = options.audits?.get(s.name);
    lines.push(`  ${s.name}: ${s.total} resources (${types})${audit ? `; audit: ${formatCounts(audit)}` : ''}`);
    if (level === 'info') for (const [type, n] of Object.entries(s.resources).sort()) lines.push(`    ${String(n).padStart(4)}  ${type}`);
    if (audit) lines.push(...formatFindingRows(listedFindings(audit, level), '    '));
  }
  if (options.audits && options.audits.size > 0 && level !== 'info' && [...options.audits.values()].some((r) => r.findings.length > listedFindings(r, level).length)) {
    lines.push(`${level === 'error' ? 'Warning and info' : 'Info'} findings are not listed: GOLDEN_PATH_LOG=info npm run synth lists them (every finding is in audit.json and audit.sarif).`);
  }
  return lines.join('\n');
}
