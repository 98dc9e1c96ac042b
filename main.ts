/**
 * The CDKTF app (cdktf.json runs it): one stack per environment and region, from the
 * YAML under environments/. `GOLDEN_PATH_ENV=production npm run synth` (or
 * `npx cdktf synth --context env=production`) synthesizes only that environment.
 */
import { App } from 'cdktf';
import { buildApp } from './stacks/app';
import { formatSummary, summarizeSynth } from './stacks/summary';

const app = new App();
buildApp(app);
app.synth();
if (process.env.GOLDEN_PATH_QUIET !== '1') console.log(formatSummary(summarizeSynth(app.outdir)));
