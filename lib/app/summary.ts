import * as fs from 'fs';
import * as path from 'path';
import type { AuditResult } from '../audit/engine';
import type { Severity } from '../audit/model';
import { formatCounts, formatFindingRows, listedFindings } from '../audit/report';
import { REQUIREMENTS_FILE, StackRequirements, requirementsOfStacks } from './requirements';

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
  /** What the stack needs from its cluster: custom kinds (CRDs), Helm releases, capabilities (see `synthRequirements`). */
  readonly requirements: StackRequirements;
}

/**
 * Read `<outdir>/manifest.json` and every stack's cdk.tf.json (after `app.synth()`), count
 * resources by type and work out what each stack needs from its cluster.
 *
 * @group App
 */
export function summarizeSynth(outdir: string): StackSummary[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }> };
  const stacks = Object.entries(manifest.stacks).map(([name, s]) => {
    const file = path.join(outdir, s.synthesizedStackPath);
    const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, unknown>> };
    return { name, file, json, dependencies: s.dependencies ?? [] };
  });
  const requirements = requirementsOfStacks(stacks);
  return stacks.map(({ name, file, json }, i) => {
    const resources: Record<string, number> = {};
    for (const [type, byId] of Object.entries(json.resource ?? {})) resources[type] = Object.keys(byId).length;
    return { name, file: path.relative(process.cwd(), file), resources, total: Object.values(resources).reduce((a, b) => a + b, 0), requirements: requirements[i] };
  });
}

/**
 * A stack's custom kinds in a few words: `needs 3 CRDs (VerticalPodAutoscaler; installed by
 * its own charts: Schedule, VolumeSnapshotClass)`; kinds named without group and version
 * (requirements.json and {@link formatSummary} at level 'info' have those).
 */
function requirementsPhrase(r: StackRequirements): string {
  if (r.crds.length === 0) return 'needs no CRD';
  const groups = new Map<string, string[]>();
  for (const c of r.crds) {
    const by = c.installedBy ? (c.installedBy.stack === r.stack ? 'installed by its own charts' : `installed by ${c.installedBy.stack}`) : '';
    groups.set(by, [...(groups.get(by) ?? []), c.kind]);
  }
  const parts = [...groups.entries()].sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))).map(([by, kinds]) => `${by ? `${by}: ` : ''}${kinds.join(', ')}`);
  return `needs ${r.crds.length} CRD${r.crds.length === 1 ? '' : 's'} (${parts.join('; ')})`;
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
  /**
   * Add what each stack needs from its cluster: the custom kinds (CRDs) at the end of its line,
   * and one line saying where requirements.json is and how to check a cluster. At level 'info'
   * every CRD (group/version, kind, what installs it) and Helm release is listed under the stack.
   * @default false
   */
  readonly requirements?: boolean;
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
    const needs = options.requirements ? `; ${requirementsPhrase(s.requirements)}` : '';
    lines.push(`  ${s.name}: ${s.total} resources (${types})${audit ? `; audit: ${formatCounts(audit)}` : ''}${needs}`);
    if (level === 'info') for (const [type, n] of Object.entries(s.resources).sort()) lines.push(`    ${String(n).padStart(4)}  ${type}`);
    if (level === 'info' && options.requirements) {
      for (const c of s.requirements.crds) {
        const by = c.installedBy ? `, installed by ${c.installedBy.stack === s.name ? '' : `${c.installedBy.stack} `}${c.installedBy.resource}` : '';
        lines.push(`    CRD ${c.apiVersion} ${c.kind}${c.crd ? ` (${c.crd})` : ''}: ${c.resources.length} object(s)${by}`);
      }
      for (const h of s.requirements.helmReleases) lines.push(`    Helm ${h.chart ?? h.resource} ${h.version ?? ''}${h.crds.length > 0 ? ` (brings ${h.crds.length} CRDs)` : ''}`.trimEnd());
    }
    if (audit) lines.push(...formatFindingRows(listedFindings(audit, level), '    '));
  }
  if (options.audits && options.audits.size > 0 && level !== 'info' && [...options.audits.values()].some((r) => r.findings.length > listedFindings(r, level).length)) {
    lines.push(`${level === 'error' ? 'Warning and info' : 'Info'} findings are not listed: GOLDEN_PATH_LOG=info npm run synth lists them (every finding is in audit.json and audit.sarif).`);
  }
  if (options.requirements && stacks.length > 0) {
    lines.push(`What each stack needs from its cluster: ${dir ? `${dir}/<stack>/` : ''}${REQUIREMENTS_FILE}; check a cluster before deploying: npx cdktf-golden-path preflight (docs/preflight.md).`);
  }
  return lines.join('\n');
}
