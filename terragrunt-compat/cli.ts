/**
 * terragrunt-compat command line.
 *
 *     npx tsx terragrunt-compat/cli.ts write <outdir> <target>
 *         After `npm run synth`: write <target>/<stack>/terragrunt.hcl for every stack in
 *         <outdir>/manifest.json (usually cdktf.out), then `cd <target> && terragrunt run-all plan`.
 *
 *     npx tsx terragrunt-compat/cli.ts synth [options] <panfactum-environments-dir> [outdir]
 *         Build stacks from a Panfactum environments tree and synthesize them to [outdir]
 *         (default cdktf.out); warnings are listed; problems are listed, one per line, and the
 *         exit code is 1.
 *
 *     npx tsx terragrunt-compat/cli.ts plan [options] <panfactum-environments-dir> [outdir]
 *         As synth, then print the migration plan of every module directory.
 *
 *     npx tsx terragrunt-compat/cli.ts convert [options] [--library-import <module>] <panfactum-environments-dir> <target>
 *         Write the converted stacks as code a team owns: <target>/panfactum-stacks.ts (exports
 *         buildPanfactumStacks(scope, environmentsDir)), the environments tree it loads
 *         (<target>/environments/), and <target>/migration-plan.txt.
 *
 *     options: --repo-name <name> (the Panfactum repo_name of the state keys; default: from
 *     panfactum.yaml), --skip-unsupported (skip module directories terragrunt-compat cannot build).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { convertPanfactumTree, PanfactumImportError } from './build';
import { generateStacksCode, writeEnvironmentsYaml } from './codegen';
import { formatMigrationPlan, migrationPlan } from './migrate';
import { writeTerragruntTree } from './write';

const USAGE = [
  'usage:',
  '  npx tsx terragrunt-compat/cli.ts write <outdir> <target>',
  '  npx tsx terragrunt-compat/cli.ts synth [--repo-name <name>] [--skip-unsupported] <panfactum-environments-dir> [outdir]',
  '  npx tsx terragrunt-compat/cli.ts plan [--repo-name <name>] [--skip-unsupported] <panfactum-environments-dir> [outdir]',
  '  npx tsx terragrunt-compat/cli.ts convert [--repo-name <name>] [--skip-unsupported] [--library-import <module>] <panfactum-environments-dir> <target>',
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
    if (command === 'synth' || command === 'plan' || command === 'convert') {
      const positional: string[] = [];
      let repoName: string | undefined;
      let libraryImport: string | undefined;
      let skip = false;
      for (let i = 0; i < args.length; i++) {
        if (args[i] === '--repo-name' && i + 1 < args.length) repoName = args[++i];
        else if (command === 'convert' && args[i] === '--library-import' && i + 1 < args.length) libraryImport = args[++i];
        else if (args[i] === '--skip-unsupported') skip = true;
        else if (args[i].startsWith('--')) positional.push('', '', '');
        else positional.push(args[i]);
      }
      if (command === 'convert' ? positional.length === 2 : positional.length === 1 || positional.length === 2) {
        const [root, outdirArg = 'cdktf.out'] = positional;
        const outdir = command === 'convert' ? fs.mkdtempSync(path.join(os.tmpdir(), 'tg-convert-')) : outdirArg;
        const app = new App({ outdir });
        let conversion;
        try {
          conversion = convertPanfactumTree(app, root, { repoName, unsupportedModules: skip ? 'skip' : 'error' });
        } catch (e) {
          if (e instanceof PanfactumImportError) for (const w of e.warnings) err(`warning: ${w.where}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`);
          throw e;
        }
        for (const w of conversion.warnings) log(`warning: ${w.where}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message}`);
        if (command === 'convert') {
          const target = outdirArg;
          fs.mkdirSync(target, { recursive: true });
          const code = path.join(target, 'panfactum-stacks.ts');
          fs.writeFileSync(code, generateStacksCode(conversion, libraryImport ? { libraryImport } : {}));
          const yamls = writeEnvironmentsYaml(conversion, path.join(target, 'environments'));
          const planFile = path.join(target, 'migration-plan.txt');
          fs.writeFileSync(planFile, formatMigrationPlan(migrationPlan(conversion)));
          fs.rmSync(outdir, { recursive: true, force: true });
          for (const f of [code, ...yamls, planFile]) log(`wrote ${path.relative(process.cwd(), f)}`);
          log(`next: call buildPanfactumStacks(app, '<path to ${path.join(target, 'environments')}>') from your main.ts, npx cdktf synth, then follow ${planFile}`);
          return 0;
        }
        app.synth();
        for (const s of conversion.stacks) {
          log(`${s.name}: ${s.modules.map((m) => `${m.construct.node.id} (${m.module})`).join(', ') || '(no modules)'}`);
          for (const m of s.modules) {
            if (m.ignoredInputs.length > 0) log(`  ${m.directory}: ignored extra_inputs ${m.ignoredInputs.join(', ')}`);
            for (const r of m.references) log(`  ${m.directory}: ${r.input} = ${r.reference} -> ${r.kind} ${r.target}`);
          }
          for (const k of s.skipped) log(`  skipped ${k.directory}`);
        }
        if (command === 'plan') {
          log('');
          log('Migration plan (docs/terragrunt.md, docs/migration.md):');
          log(formatMigrationPlan(migrationPlan(conversion, outdir)));
        }
        log(`synthesized to ${outdir}; next: npx tsx terragrunt-compat/cli.ts write ${outdir} <target>`);
        return 0;
      }
    }
    err(USAGE);
    return 2;
  } catch (e) {
    err(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
