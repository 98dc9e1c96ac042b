/**
 * `npm run fuzz`: the long run of the property-based fuzz suite (docs/testing.md).
 *
 *   npm run fuzz                                  # 4000 cases per target, every target
 *   npm run fuzz -- --cases 500 --only KubeDeployment,KubeIngress --seed 7
 *
 * Options: `--cases N` (per target, default 4000), `--seed S` (default 20260514), `--only a,b`
 * (target names, see the table), `--jobs J` (worker processes, default 2), `--hang-ms T` (a case
 * slower than this is a hang, default 10000), `--out DIR` (counterexamples, default
 * .cache/fuzz/last-run), `--no-shrink`, `--case N` (replay case N of each target: with `--only`
 * and `--seed`, the index a counterexample reports).
 *
 * Each target runs in a worker process; a worker that reports no progress for 6 x the hang bound
 * (a real infinite loop) is killed, the case is recorded as a hang and the target runs again without it.
 * Prints one row per target with the count of every outcome and the wall time, writes the first
 * counterexample of each bad outcome (shrunk by fast-check: construct, props with tokens
 * described, error) to the out directory, and exits non-zero when any bad outcome occurred.
 */
import { ChildProcess, fork } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BAD_OUTCOMES, OUTCOMES, Outcome, describeCase } from './model';
import { DEFAULT_SEED, Tally, fuzzTarget, shrinkCase } from './property';
import { TARGETS } from './targets';

interface Options {
  cases: number;
  seed: number;
  only?: string[];
  jobs: number;
  hangMs: number;
  out: string;
  shrink: boolean;
  /** Run only this case (by index) of each target: a replay. */
  caseIndex?: number;
}

/** A counterexample as written to the out directory. */
interface Counterexample {
  readonly target: string;
  readonly outcome: Outcome;
  readonly seed: number;
  readonly index: number;
  readonly shrinks: number;
  readonly mode: string;
  readonly categories: readonly string[];
  readonly case: unknown;
  readonly detail?: string;
  readonly stack?: string;
}

interface TargetReport {
  target: string;
  cases: number;
  counts: Record<Outcome, number>;
  byMode: Tally['byMode'];
  knownAtSynth: number;
  unusedTokens: Record<string, number>;
  ms: number;
  slowestMs: number;
  counterexamples: Counterexample[];
}

type ToWorker = { type: 'run'; target: string; cases: number; seed: number; hangMs: number; shrink: boolean; only?: number; skip: number[] };
type FromWorker =
  | { type: 'progress'; index: number }
  | { type: 'done'; report: TargetReport };

function parseArgs(argv: string[]): Options {
  const o: Options = { cases: 4000, seed: DEFAULT_SEED, jobs: 2, hangMs: 10_000, out: path.join('.cache', 'fuzz', 'last-run'), shrink: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--cases') o.cases = Number(next());
    else if (a === '--seed') o.seed = Number(next());
    else if (a === '--only') o.only = next().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--jobs') o.jobs = Math.max(1, Number(next()));
    else if (a === '--hang-ms') o.hangMs = Number(next());
    else if (a === '--out') o.out = next();
    else if (a === '--no-shrink') o.shrink = false;
    else if (a === '--case') o.caseIndex = Number(next());
    else if (a === '--help' || a === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(o.cases) || o.cases < 1) throw new Error('--cases needs a whole number of at least 1');
  if (!Number.isInteger(o.seed)) throw new Error('--seed needs a whole number');
  if (o.caseIndex !== undefined && (!Number.isInteger(o.caseIndex) || o.caseIndex < 0)) throw new Error('--case needs a case index (0 or more)');
  const names = TARGETS.map((t) => t.name);
  for (const n of o.only ?? []) if (!names.includes(n)) throw new Error(`--only: unknown target ${n}; targets: ${names.join(', ')}`);
  return o;
}

// ---------------------------------------------------------------- worker

function runInWorker(msg: ToWorker): TargetReport {
  const target = TARGETS.find((t) => t.name === msg.target)!;
  const tally = fuzzTarget(target, {
    cases: msg.cases,
    seed: msg.seed,
    hangMs: msg.hangMs,
    run: (index) => (msg.only === undefined || index === msg.only) && !msg.skip.includes(index),
    beforeCase: (index) => process.send?.({ type: 'progress', index } satisfies FromWorker),
  });
  const counterexamples: Counterexample[] = [];
  for (const outcome of BAD_OUTCOMES) {
    const first = tally.first[outcome];
    if (!first) continue;
    const shrunk = msg.shrink && outcome !== 'hang' ? shrinkCase(target, msg.seed, first.index, outcome, { hangMs: msg.hangMs, timeLimitMs: 60_000 }) : undefined;
    const c = shrunk?.case ?? first.case;
    const r = shrunk?.result ?? first.result;
    counterexamples.push({
      target: target.name, outcome, seed: msg.seed, index: first.index, shrinks: shrunk?.shrinks ?? 0,
      mode: c.mode, categories: c.categories, case: JSON.parse(describeCase(c)), detail: r.detail, stack: r.stack,
    });
  }
  return {
    target: target.name, cases: tally.cases, counts: tally.counts, byMode: tally.byMode, knownAtSynth: tally.knownAtSynth,
    unusedTokens: tally.unusedTokens, ms: tally.ms, slowestMs: tally.slowestMs, counterexamples,
  };
}

if (process.argv.includes('--worker')) {
  process.on('message', (msg: ToWorker) => {
    if (msg.type !== 'run') return;
    const report = runInWorker(msg);
    process.send!({ type: 'done', report } satisfies FromWorker, () => undefined);
  });
} else {
  void main();
}

// ---------------------------------------------------------------- parent

function emptyCounts(): Record<Outcome, number> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;
}

/**
 * Run one target in a worker. A worker that makes no progress (a case that never returns) is
 * killed; the case is recorded as a hang and the target runs again without it (the cases are
 * the same: fixed seed).
 */
async function runTarget(name: string, o: Options, log: (s: string) => void): Promise<TargetReport> {
  const start = Date.now();
  const stuck: number[] = [];
  const cases = o.caseIndex !== undefined ? o.caseIndex + 1 : o.cases;
  for (;;) {
    const result = await new Promise<{ report?: TargetReport; stuckAt?: number }>((resolve) => {
      const child: ChildProcess = fork(__filename, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let current = -1;
      let last = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - last > o.hangMs * 6) {
          clearInterval(watchdog);
          child.kill('SIGKILL');
          resolve({ stuckAt: current });
        }
      }, 1000);
      child.on('message', (m: FromWorker) => {
        last = Date.now();
        if (m.type === 'progress') current = m.index;
        else if (m.type === 'done') {
          clearInterval(watchdog);
          child.kill();
          resolve({ report: m.report });
        }
      });
      child.on('exit', () => {
        clearInterval(watchdog);
        resolve({ stuckAt: current }); // no effect after 'done' (a promise resolves once)
      });
      child.send({ type: 'run', target: name, cases, seed: o.seed, hangMs: o.hangMs, shrink: o.shrink, only: o.caseIndex, skip: stuck } satisfies ToWorker);
    });
    if (result.report) {
      const r = result.report;
      r.counts.hang += stuck.length;
      r.cases += stuck.length;
      for (const at of stuck.slice(0, 1)) {
        r.counterexamples.push({ target: name, outcome: 'hang', seed: o.seed, index: at, shrinks: 0, mode: '?', categories: [], case: `replay: npm run fuzz -- --only ${name} --seed ${o.seed} --case ${at}`, detail: `the worker made no progress for ${(o.hangMs * 6) / 1000} s` });
      }
      r.ms = Date.now() - start;
      return r;
    }
    const at = result.stuckAt ?? -1;
    if (at < 0 || stuck.includes(at)) throw new Error(`fuzz: the worker for ${name} died before its first case`);
    log(`  ${name}: case ${at} did not finish (killed); recorded as a hang, running the target again without it`);
    stuck.push(at);
  }
}

function pad(s: string | number, n: number, left = false): string {
  const t = String(s);
  return left ? t.padEnd(n) : t.padStart(n);
}

function printTable(reports: TargetReport[], o: Options, wallMs: number): void {
  const cols: Array<[string, (r: TargetReport) => string | number]> = [
    ['cases', (r) => r.cases],
    ['ok-synth', (r) => `${r.counts['ok-synth']} (${Math.round((100 * r.counts['ok-synth']) / Math.max(1, r.cases))}%)`],
    ['validation-error', (r) => r.counts['validation-error']],
    ['(known-at-synth)', (r) => r.knownAtSynth],
    ...BAD_OUTCOMES.map((b) => [b, (r: TargetReport) => r.counts[b]] as [string, (r: TargetReport) => number]),
    ['wall s', (r) => (r.ms / 1000).toFixed(1)],
    ['slowest ms', (r) => r.slowestMs.toFixed(0)],
  ];
  const nameWidth = Math.max(6, ...reports.map((r) => r.target.length));
  const header = `${pad('target', nameWidth, true)} | ${cols.map(([h]) => h).join(' | ')}`;
  console.log(`\nfuzz: seed ${o.seed}, ${o.cases} cases per target, ${o.jobs} worker(s), hang bound ${o.hangMs} ms\n`);
  console.log(header);
  console.log(header.replace(/[^|]/g, '-'));
  const total: TargetReport = { target: 'total', cases: 0, counts: emptyCounts(), byMode: {}, knownAtSynth: 0, unusedTokens: {}, ms: wallMs, slowestMs: 0, counterexamples: [] };
  for (const r of reports) {
    console.log(`${pad(r.target, nameWidth, true)} | ${cols.map(([h, f]) => pad(f(r), h.length)).join(' | ')}`);
    total.cases += r.cases;
    for (const k of OUTCOMES) total.counts[k] += r.counts[k];
    total.knownAtSynth += r.knownAtSynth;
    total.slowestMs = Math.max(total.slowestMs, r.slowestMs);
  }
  console.log(`${pad('total', nameWidth, true)} | ${cols.map(([h, f]) => pad(f(total), h.length)).join(' | ')}`);
  // Which generation mode the bad outcomes came from: "shape" cases carry only plain JS type or
  // shape mistakes (the generic prop-type check's domain), "value" hostile values, "token" tokens.
  const lines: string[] = [];
  for (const r of reports) {
    for (const [mode, counts] of Object.entries(r.byMode)) {
      const bad = BAD_OUTCOMES.filter((b) => (counts[b] ?? 0) > 0).map((b) => `${b} ${counts[b]}`);
      if (bad.length) lines.push(`  ${r.target} [${mode}]: ${bad.join(', ')}`);
    }
  }
  const modes = reports.reduce((m, r) => {
    for (const [mode, counts] of Object.entries(r.byMode)) m[mode] = (m[mode] ?? 0) + Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
    return m;
  }, {} as Record<string, number>);
  console.log(`\ncases by mode: ${Object.entries(modes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (lines.length) console.log(`bad outcomes by mode:\n${lines.join('\n')}`);
}

async function main(): Promise<void> {
  let o: Options;
  try {
    o = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`fuzz: ${(e as Error).message}`);
    process.exit(2);
  }
  const names = TARGETS.map((t) => t.name).filter((n) => !o.only || o.only.includes(n));
  const start = Date.now();
  const reports: TargetReport[] = [];
  const queue = [...names];
  const log = (s: string) => console.log(s);
  await Promise.all(
    Array.from({ length: Math.min(o.jobs, queue.length) }, async () => {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const r = await runTarget(name, o, log);
        const bad = BAD_OUTCOMES.filter((b) => r.counts[b] > 0).map((b) => `${b} ${r.counts[b]}`);
        log(`  ${name}: ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s, ok-synth ${r.counts['ok-synth']}${bad.length ? `, ${bad.join(', ')}` : ''}`);
        reports.push(r);
      }
    }),
  );
  reports.sort((a, b) => names.indexOf(a.target) - names.indexOf(b.target));
  const wallMs = Date.now() - start;
  printTable(reports, o, wallMs);

  fs.rmSync(o.out, { recursive: true, force: true });
  fs.mkdirSync(o.out, { recursive: true });
  const counterexamples = reports.flatMap((r) => r.counterexamples);
  for (const c of counterexamples) fs.writeFileSync(path.join(o.out, `${c.target}.${c.outcome}.json`), `${JSON.stringify(c, null, 2)}\n`);
  fs.writeFileSync(path.join(o.out, 'summary.json'), `${JSON.stringify({ seed: o.seed, casesPerTarget: o.cases, wallMs, reports: reports.map(({ counterexamples: _c, ...r }) => r) }, null, 2)}\n`);

  const badTotal = reports.reduce((n, r) => n + BAD_OUTCOMES.reduce((m, b) => m + r.counts[b], 0), 0);
  console.log(`\nwall time ${(wallMs / 1000).toFixed(1)} s; report and counterexamples in ${o.out}/`);
  if (badTotal === 0) {
    console.log('fuzz: 0 bad outcomes');
    return;
  }
  console.log(`\nfuzz: ${badTotal} bad outcome(s); first counterexample of each (shrunk):`);
  for (const c of counterexamples) {
    console.log(`\n--- ${c.target} ${c.outcome} (mode ${c.mode}; replay: npm run fuzz -- --only ${c.target} --seed ${c.seed} --case ${c.index})\n${(c.detail ?? '').slice(0, 1500)}`);
    console.log(JSON.stringify(c.case, null, 2).slice(0, 2500));
  }
  process.exitCode = 1;
}
