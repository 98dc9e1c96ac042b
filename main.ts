/**
 * The CDKTF app (cdktf.json runs it): one stack per environment and region, from the
 * YAML under environments/. `GOLDEN_PATH_ENV=production npm run synth` (or
 * `npx cdktf synth --context env=production`) synthesizes only that environment.
 *
 * Output: one line per stack (resources, audit counts, the CRDs it needs from its cluster) and
 * every audit error or warning; `GOLDEN_PATH_LOG=info` also lists the info findings, every
 * resource type and every CRD and Helm release, `GOLDEN_PATH_QUIET=1` prints nothing. The full
 * audit is in cdktf.out/audit.json and audit.sarif; each stack's cluster requirements in
 * cdktf.out/stacks/<stack>/requirements.json (read by `npx cdktf-golden-path preflight`).
 */
import { App } from 'cdktf';
import { buildStacks } from './stacks/app';

const app = new App();
// The audit's own table is folded into the summary below (log: false); a failing audit stops synth with its findings and the fix.
const { environmentApp } = buildStacks(app, { audit: { log: false } });
app.synth();
environmentApp.writeRequirements();
if (process.env.GOLDEN_PATH_QUIET !== '1') console.log(environmentApp.summary());
