/**
 * terragrunt-compat command line.
 *
 *     npx tsx terragrunt-compat/cli.ts write <outdir> <target>
 *         After `npm run synth`: write <target>/<stack>/terragrunt.hcl for every stack in
 *         <outdir>/manifest.json (usually cdktf.out), then `cd <target> && terragrunt run-all plan`.
 *
 *     npx tsx terragrunt-compat/cli.ts synth <panfactum-environments-dir> [outdir]
 *         Build stacks from a Panfactum environments tree and synthesize them to [outdir]
 *         (default cdktf.out); problems are listed, one per line, and the exit code is 1.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { buildStacksFromPanfactumTree } from './build';
import { writeTerragruntTree } from './write';

const USAGE = [
  'usage:',
  '  npx tsx terragrunt-compat/cli.ts write <outdir> <target>',
  '  npx tsx terragrunt-compat/cli.ts synth <panfactum-environments-dir> [outdir]',
].join('\n');

/** Run the CLI; returns the exit code. */
export function main(argv: readonly string[], log: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  const [command, ...args] = argv;
  try {
    if (command === 'write' && args.length === 2) {
      const [outdir, target] = args;
      for (const w of writeTerragruntTree(outdir, target)) {
        const extra = [w.remoteState ? `s3://${w.remoteState.bucket}/${w.remoteState.key}` : 'local state', ...w.dependencies.map((d) => `after ${d}`)];
        log(`${path.relative(process.cwd(), w.file)}  (${extra.join(', ')})`);
      }
      log(`next: cd ${target} && terragrunt run-all plan`);
      return 0;
    }
    if (command === 'synth' && (args.length === 1 || args.length === 2)) {
      const [root, outdir = 'cdktf.out'] = args;
      const app = new App({ outdir });
      const stacks = buildStacksFromPanfactumTree(app, root);
      app.synth();
      for (const s of stacks) {
        log(`${s.name}: ${s.modules.map((m) => `${m.construct.node.id} (${m.module})`).join(', ') || '(no modules)'}`);
        for (const m of s.modules) if (m.ignoredInputs.length > 0) log(`  ${m.directory}: ignored extra_inputs ${m.ignoredInputs.join(', ')}`);
      }
      log(`synthesized to ${outdir}; next: npx tsx terragrunt-compat/cli.ts write ${outdir} <target>`);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
