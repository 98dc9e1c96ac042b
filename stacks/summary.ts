import * as fs from 'fs';
import * as path from 'path';

/** Resources of one synthesized stack, by Terraform type. */
export interface StackSummary {
  readonly name: string;
  readonly file: string;
  readonly resources: Record<string, number>;
  readonly total: number;
}

/** Read `<outdir>/manifest.json` and every stack's cdk.tf.json and count resources by type. */
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

/** A short, readable table of the synthesized stacks. */
export function formatSummary(stacks: StackSummary[]): string {
  const lines = [`Synthesized ${stacks.length} stack(s):`];
  for (const s of stacks) {
    lines.push(`  ${s.name}: ${s.total} resources -> ${s.file}`);
    for (const [type, n] of Object.entries(s.resources).sort()) lines.push(`    ${String(n).padStart(4)}  ${type}`);
  }
  return lines.join('\n');
}
