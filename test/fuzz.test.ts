import * as fc from 'fast-check';
import { Testing } from 'cdktf';
import { BAD_OUTCOMES, describeCase } from './fuzz/model';
import { DEFAULT_SEED } from './fuzz/property';
import { runCase } from './fuzz/run-case';
import { TARGETS } from './fuzz/targets';

/**
 * Issue 14, deliverable 9: the property-based fuzz suite in `npm test` (docs/testing.md "Fuzz").
 * A few cases per target from a fixed seed: every construct that takes props and the
 * environments loader; each case must end in a synthesized stack whose objects, strings and
 * tokens pass the checks of test/fuzz/run-case.ts, or in a ValidationError / ConfigError. A
 * failure prints the minimal counterexample fast-check shrank to. `npm run fuzz` runs 4000 cases
 * per target.
 *
 * The real-CLI parse (test/support/cli-parse-hook.ts collects every stack synthesized through
 * `Testing.synth` / `App.synth` and has Terraform and OpenTofu parse them after the file) would be
 * slow for every fuzz stack: the runner synthesizes through `stack.toTerraform()`, which the hook
 * does not see, and this file passes one stack per target (the first that synthesizes) through
 * `Testing.synth`, so the CLIs parse a bounded sample of about two dozen stacks.
 */

const CASES_PER_TARGET = 16;

describe('fuzz (fixed seed, a few cases per target)', () => {
  test.each(TARGETS.map((t) => [t.name, t] as const))('%s', (_name, target) => {
    let sampled = false;
    fc.assert(
      fc.property(target.cases, (c) => {
        const result = runCase(target, c);
        if ((BAD_OUTCOMES as readonly string[]).includes(result.outcome)) {
          throw new Error(`${result.outcome}: ${result.detail ?? ''}\n${result.stack ?? ''}\ncase: ${describeCase(c)}`);
        }
        if (!sampled && result.outcome === 'ok-synth' && !target.run) {
          sampled = true;
          // the sample the real CLIs parse after the file (see the comment above)
          runCase(target, c, { synth: (stack) => JSON.parse(Testing.synth(stack, true)) });
        }
      }),
      { seed: DEFAULT_SEED, numRuns: CASES_PER_TARGET },
    );
  }, 30_000);
});
