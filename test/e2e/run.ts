/**
 * `npm run e2e`: the real-tool tier (docs/testing.md).
 *
 *   validate  every example stack and corpus stack, `terraform validate` and `tofu validate`
 *             with the real kubernetes, helm and aws providers
 *   apply     the example environments applied to a local kube-apiserver (and the AWS side to
 *             the moto emulator): second plan empty, a changed input plans the expected update,
 *             destroy clean (test/e2e/apply.ts)
 *   adopt     objects deployed the Panfactum way adopted with import blocks and Panfactum names:
 *             plan of imports and in-place updates only, no replacement, second plan empty
 *             (test/e2e/adopt.ts, docs/migration.md)
 *   preflight the cluster preflight (`cdktf-golden-path preflight`) against a local kube-apiserver:
 *             missing CRDs reported, then all served once the CRDs are installed (test/e2e/preflight.ts)
 *
 * Options: --phase validate|apply|adopt|preflight|all (default all), --cli terraform|tofu (default both),
 * --only <substring of stack or environment names>, --keep (leave the work directory for inspection). Needs `npm run e2e:setup` first; fails (never skips)
 * when something it needs is not built. Ends with `N passed, M failed`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_NAMES, Cli, CliName, cacheDir, findCli, providerRequirements } from '../support/terraform-cli';
import { BuiltProvider, findProviders, realProviderMirror } from './providers';
import { synthesizeAll } from './stacks';
import { Report } from './report';
import { prepareStackDir, validateStack } from './validate';

interface Options {
  phases: Set<string>;
  clis: CliName[];
  only?: string;
  keep: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { phases: new Set(['validate', 'apply', 'adopt', 'preflight']), clis: [...CLI_NAMES], keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--phase') {
      const v = value();
      options.phases = new Set(v === 'all' ? ['validate', 'apply', 'adopt', 'preflight'] : v.split(','));
    } else if (arg === '--cli') options.clis = value().split(',') as CliName[];
    else if (arg === '--only') options.only = value();
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown option ${arg} (--phase, --cli, --only, --keep)`);
  }
  return options;
}

/** Runs `tasks` with at most `limit` at once. */
export async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * The judge must be able to fail: a stack with an attribute the kubernetes provider does not
 * have must be refused by `validate`, or every "ok" below means nothing.
 */
async function judgeSelfCheck(cli: Cli, dir: string, config: string, providers: BuiltProvider[], report: Report): Promise<void> {
  const json = {
    terraform: { required_providers: { kubernetes: { source: 'kubernetes', version: '2.38.0' } } },
    resource: { kubernetes_manifest: { bad: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } }, not_an_attribute: true } } },
  };
  const src = path.join(dir, 'src');
  fs.mkdirSync(src, { recursive: true });
  fs.writeFileSync(path.join(src, 'cdk.tf.json'), JSON.stringify(json));
  const stack = { name: 'self-check', dir: src, json, kind: 'corpus' as const };
  prepareStackDir(stack, path.join(dir, 'run'), providers);
  const result = await validateStack(cli, stack, path.join(dir, 'run'), config);
  const refused = !result.ok && result.diagnostics.some((d) => /not_an_attribute|Unsupported argument/.test(`${d.summary} ${d.detail ?? ''}`));
  if (refused) report.pass('judge self-check', cli.name, 'validate refuses', 'an unknown attribute is refused');
  else report.fail('judge self-check', cli.name, 'validate refuses', `validate did not refuse an unknown attribute: ${JSON.stringify(result.diagnostics).slice(0, 500)}`);
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const report = new Report();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-e2e-'));
  const cleanup = () => {
    if (!options.keep) fs.rmSync(work, { recursive: true, force: true });
  };
  process.on('exit', cleanup);
  try {
    const clis: Cli[] = [];
    for (const name of options.clis) {
      const cli = findCli(name);
      if (cli) clis.push(cli);
      else report.fail('setup', name, 'find the CLI', `${name} is not installed: run \`npm run e2e:setup\``);
    }
    const { found: providers, missing } = findProviders();
    for (const type of missing) report.fail('setup', type, 'find the provider', `the ${type} provider is not built: run \`npm run e2e:setup\` (cache ${path.join(cacheDir(), 'providers')})`);
    console.log(`CLIs: ${clis.map((c) => `${c.name} ${c.version}`).join(', ') || 'none'}`);
    console.log(`providers: ${providers.map((p) => `hashicorp/${p.type} ${p.version} (commit ${p.commit})`).join(', ') || 'none'}`);

    const started = Date.now();
    // The adopt phase synthesizes its own fixture stack.
    const allStacks = options.phases.has('validate') || options.phases.has('apply') || options.phases.has('preflight') ? synthesizeAll(path.join(work, 'cdktf.out')) : [];
    let stacks = allStacks;
    if (options.only) stacks = stacks.filter((s) => s.name.includes(options.only as string));
    console.log(`synthesized ${stacks.length} stacks in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    if (options.phases.has('validate')) {
      for (const cli of clis) {
        const config = realProviderMirror(path.join(work, 'mirror'), providers);
        if (providers.some((p) => p.type === 'kubernetes')) await judgeSelfCheck(cli, path.join(work, 'self-check', cli.name), config, providers, report);
        await pool(
          2,
          stacks.map((stack) => async () => {
            const lacking = providerRequirements([stack]).map((p) => p.type).filter((t) => !providers.some((b) => b.type === t));
            if (lacking.length > 0) {
              report.fail(stack.name, cli.name, 'validate', `not validated: the ${lacking.join(', ')} provider is not built (npm run e2e:setup)`);
              return;
            }
            const dir = path.join(work, 'validate', cli.name, stack.name);
            prepareStackDir(stack, dir, providers);
            const result = await validateStack(cli, stack, dir, config);
            report.step(stack.name, cli.name, 'validate', result);
          }),
        );
      }
    }
    if (options.phases.has('apply')) {
      const { runApplyPhase } = await import('./apply');
      await runApplyPhase({ work, stacks: allStacks, clis, providers, missingProviders: missing, report, only: options.only });
    }
    if (options.phases.has('preflight')) {
      const { runPreflightPhase } = await import('./preflight');
      await runPreflightPhase({ work, outdir: path.join(work, 'cdktf.out'), report, only: options.only });
    }
    if (options.phases.has('adopt')) {
      const { runAdoptPhase } = await import('./adopt');
      await runAdoptPhase({ work, clis, providers, report });
    }
  } catch (error) {
    report.fail('run', '-', 'e2e', error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  report.print();
  cleanup();
  return report.failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
