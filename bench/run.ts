/**
 * `npm run bench`: synth benchmark of this library side by side with cdktf-cdk8s (cdk8s-plus-32
 * charts turned into `kubernetes_manifest` resources), cdk8s-plus-32 (YAML) and raw CDKTF
 * `Manifest` resources. Compiles the library (bench/tsconfig.json -> bench/out), then
 * forks one fresh Node process per measurement so import time and peak RSS belong to one
 * implementation. Writes bench/results.json and bench/chart.svg and prints the tables.
 *
 *   npx tsx bench/run.ts                 # N = 10, 100, 1000
 *   npx tsx bench/run.ts --ns=10,100     # quicker
 *   npx tsx bench/run.ts --profile       # also write .cpuprofile files to bench/profiles/<impl>-<n>
 *   npx tsx bench/run.ts --no-write      # print only
 *   npx tsx bench/run.ts --no-test-loop  # skip timing the type-check and `npm test`
 */
import { fork, spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { cpus, loadavg, tmpdir } from 'os';
import { join, resolve } from 'path';
import { TestLoop, evaluateTargets, renderChart, resultsTable, summarize, targetsTable } from './report';
import type { WorkerResult, WorkerTask } from './workers/common';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, 'bench', 'out');
const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const NS = (opt('ns') ?? '10,100,1000').split(',').map(Number);
const PROFILE = args.includes('--profile');
const WRITE = !args.includes('--no-write');
const TEST_LOOP = !args.includes('--no-test-loop');
/** Repetitions per N (the lowest CPU time is kept): small N are noisy. */
const reps = (n: number) => (n <= 100 ? 3 : 1);

function compile(): void {
  const t = Date.now();
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'bench', 'tsconfig.json')], { encoding: 'utf8' });
  // Type errors in files being edited do not stop the emit (noEmitOnError: false).
  if (r.status !== 0) console.warn(`tsc reported problems (emitted anyway):\n${(r.stdout ?? '').split('\n').slice(0, 10).join('\n')}`);
  console.log(`compiled lib/ and the workers into bench/out in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function runWorker(impl: string, task: WorkerTask): Promise<WorkerResult> {
  const script = join(OUT, 'bench', 'workers', `${impl}.js`);
  const execArgv = ['--expose-gc', ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench', 'profiles', `${impl}-${task.n}`)}`] : [])];
  return new Promise((resolvePromise, reject) => {
    // execArgv set explicitly: the child must not inherit tsx's loader.
    const child = fork(script, [JSON.stringify(task)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: WorkerResult | undefined;
    child.on('message', (m) => (result = m as WorkerResult));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolvePromise(result) : reject(new Error(`${impl} worker (N=${task.n}) exited with ${code} and no result`))));
  });
}

/**
 * Times the developer loop the way a fresh clone (CI) runs it: the type-check without
 * TypeScript's incremental build info, then `npm test` with that build info removed and
 * jest's transform cache bypassed. Run after the synth workers, alone on the machine.
 */
function timeTestLoop(): TestLoop {
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  let t = Date.now();
  const check = spawnSync(process.execPath, [tsc, '--noEmit', '-p', join(ROOT, 'tsconfig.json'), '--incremental', 'false'], { cwd: ROOT, encoding: 'utf8' });
  const typecheckMs = Date.now() - t;
  if (check.status !== 0) console.warn(`type-check failed:\n${(check.stdout ?? '').split('\n').slice(0, 10).join('\n')}`);
  console.log(`  type-check (cold) ${(typecheckMs / 1000).toFixed(1)} s`);
  rmSync(join(ROOT, '.cache', 'tsconfig.tsbuildinfo'), { force: true });
  t = Date.now();
  const test = spawnSync('npm', ['test', '--', '--no-cache'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const npmTestMs = Date.now() - t;
  const npmTestPassed = test.status === 0 && check.status === 0;
  if (test.status !== 0) console.warn(`npm test failed:\n${`${test.stdout ?? ''}${test.stderr ?? ''}`.split('\n').slice(-25).join('\n')}`);
  console.log(`  npm test (cold) ${(npmTestMs / 1000).toFixed(1)} s, ${npmTestPassed ? 'passed' : 'FAILED'}`);
  return { typecheckMs, npmTestMs, npmTestPassed };
}

async function main(): Promise<void> {
  const started = Date.now();
  const load0 = loadavg()[0];
  compile();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-objects-'));
  const results: WorkerResult[] = [];
  try {
    for (const n of NS) {
      for (let rep = 0; rep < reps(n); rep++) {
        const objectsFile = join(tmp, `objects-${n}.json`);
        // Interleaved so load changes on a shared machine hit all four alike.
        const ours = await runWorker('ours', { n, input: join(OUT, 'lib', 'index.js'), output: objectsFile });
        const hpa = (ours.kinds.HorizontalPodAutoscaler ?? 0) > 0;
        const raw = await runWorker('raw', { n, input: objectsFile });
        const cc = await runWorker('cdktf-cdk8s', { n, hpa });
        const plus = await runWorker('cdk8s-plus', { n, hpa });
        results.push(ours, raw, cc, plus);
        for (const r of [ours, cc, plus, raw]) {
          console.log(`  N=${String(n).padStart(4)} ${r.impl.padEnd(11)} ${String(r.objects).padStart(6)} objects  synth ${r.synthMs.toFixed(0).padStart(6)} ms wall, ${r.synthCpuMs.toFixed(0).padStart(6)} ms CPU  RSS ${r.peakRssMb.toFixed(0)} MB`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const loop = TEST_LOOP ? timeTestLoop() : undefined;
  const summaries = summarize(results);
  const targets = evaluateTargets(summaries, loop);
  const notes = [...new Set(results.flatMap((r) => r.notes.map((x) => `${r.impl}: ${x}`)))];
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load avg ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)}`;
  console.log(`\n${resultsTable(summaries)}\n\n${targetsTable(targets)}\n`);
  for (const note of notes) console.log(`note: ${note}`);
  console.log(`\n${machine}; bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (WRITE) {
    writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, ns: NS, summaries, testLoop: loop ?? null, targets, notes, results }, null, 2)}\n`);
    writeFileSync(join(ROOT, 'bench', 'chart.svg'), renderChart(summaries, `${machine.split(', load')[0]}; lower is better`));
    console.log('wrote bench/results.json and bench/chart.svg');
  }
  if (PROFILE) mkdirSync(join(ROOT, 'bench', 'profiles'), { recursive: true });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
