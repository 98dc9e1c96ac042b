/**
 * Running a target's cases with fast-check: `fuzzTarget` runs N cases from a fixed seed and
 * tallies every outcome (no case stops the run); `shrinkCase` replays one case (by seed and run
 * index) and lets fast-check shrink it to a minimal counterexample of the same outcome.
 */
import * as fc from 'fast-check';
import { BAD_OUTCOMES, FuzzCase, OUTCOMES, Outcome } from './model';
import { CaseResult, FuzzTarget, RunOptions, runCase } from './run-case';

/** The seed of `npm run fuzz` and of test/fuzz.test.ts (fixed: every run draws the same cases). */
export const DEFAULT_SEED = 20260514;

export interface FirstCase {
  readonly index: number;
  readonly case: FuzzCase;
  readonly result: CaseResult;
}

export interface Tally {
  readonly target: string;
  readonly cases: number;
  readonly counts: Record<Outcome, number>;
  /** Cases per mode of generation that ended in each outcome. */
  readonly byMode: Record<string, Partial<Record<Outcome, number>>>;
  /** The first case of each outcome (bad ones are shrunk later). */
  readonly first: Partial<Record<Outcome, FirstCase>>;
  /** Tokens refused with a documented "must be known at synth" error. */
  knownAtSynth: number;
  /** Token prop paths the output did not use (not refused, not literalized), with counts. */
  readonly unusedTokens: Record<string, number>;
  /** Wall time of the whole run, ms. */
  ms: number;
  /** The slowest case, ms. */
  slowestMs: number;
}

export interface FuzzOptions extends RunOptions {
  readonly cases: number;
  readonly seed: number;
  /** Called after each case (progress, watchdog). */
  readonly onCase?: (index: number, c: FuzzCase, result: CaseResult) => void;
  /** Called before each case (the CLI's watchdog records which case is running). */
  readonly beforeCase?: (index: number) => void;
  /** Run only the cases whose index this accepts (the others are generated, not run or counted). */
  readonly run?: (index: number) => boolean;
}

/** Run `cases` cases of the target from `seed` and tally the outcomes. */
export function fuzzTarget(target: FuzzTarget, options: FuzzOptions): Tally {
  const tally: Tally = {
    target: target.name,
    cases: 0,
    counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
    byMode: {},
    first: {},
    knownAtSynth: 0,
    unusedTokens: {},
    ms: 0,
    slowestMs: 0,
  };
  const start = process.hrtime.bigint();
  let index = 0;
  fc.check(
    fc.property(target.cases, (c) => {
      if (options.run && !options.run(index)) {
        index += 1;
        return true;
      }
      options.beforeCase?.(index);
      const result = runCase(target, c, options);
      (tally as { cases: number }).cases += 1;
      tally.counts[result.outcome] += 1;
      const mode = (tally.byMode[c.mode] ??= {});
      mode[result.outcome] = (mode[result.outcome] ?? 0) + 1;
      if (!tally.first[result.outcome]) tally.first[result.outcome] = { index, case: c, result };
      if (result.knownAtSynth) tally.knownAtSynth += 1;
      for (const u of result.unusedTokens ?? []) {
        const key = u.replace(/\[\d+\]/g, '[]');
        tally.unusedTokens[key] = (tally.unusedTokens[key] ?? 0) + 1;
      }
      tally.slowestMs = Math.max(tally.slowestMs, result.ms);
      options.onCase?.(index, c, result);
      index += 1;
      return true;
    }),
    { seed: options.seed, numRuns: options.cases },
  );
  tally.ms = Number(process.hrtime.bigint() - start) / 1e6;
  return tally;
}

/** The bad outcomes of a tally with their counts. */
export function badCounts(tally: Tally): Array<[Outcome, number]> {
  return BAD_OUTCOMES.filter((o) => tally.counts[o] > 0).map((o) => [o, tally.counts[o]]);
}

/**
 * Replay case `index` of the run with `seed` and shrink it while it keeps the outcome `outcome`.
 * Returns the minimal case found (the original one when shrinking finds nothing smaller) and its result.
 */
export function shrinkCase(target: FuzzTarget, seed: number, index: number, outcome: Outcome, options: RunOptions & { timeLimitMs?: number } = {}): { case: FuzzCase; result: CaseResult; shrinks: number } | undefined {
  let last: { case: FuzzCase; result: CaseResult } | undefined;
  const details = fc.check(
    fc.property(target.cases, (c) => {
      const result = runCase(target, c, options);
      if (result.outcome === outcome) {
        last = { case: c, result };
        return false;
      }
      return true;
    }),
    { seed, path: String(index), numRuns: 1, interruptAfterTimeLimit: options.timeLimitMs ?? 60_000 },
  );
  if (!details.failed && !last) return undefined;
  const c = (details.counterexample?.[0] as FuzzCase | undefined) ?? last?.case;
  if (!c) return undefined;
  // the counterexample's own result (the last failing run may have been another candidate)
  const result = runCase(target, c, options);
  return { case: c, result: result.outcome === outcome ? result : last!.result, shrinks: details.numShrinks };
}
