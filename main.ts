/**
 * The CDKTF app (cdktf.json runs it): one stack per environment and region, from the
 * YAML under environments/. `GOLDEN_PATH_ENV=production npm run synth` (or
 * `npx cdktf synth --context env=production`) synthesizes only that environment.
 *
 * Output: one line per stack (resources, audit counts) and every audit error or warning;
 * `GOLDEN_PATH_LOG=info` also lists the info findings and every resource type,
 * `GOLDEN_PATH_QUIET=1` prints nothing. The full audit is in cdktf.out/audit.json and audit.sarif.
 */
import { App } from 'cdktf';
import { AuditResult, resolveAuditLogLevel } from './lib/audit';
import { buildApp } from './stacks/app';
import { formatSummary, summarizeSynth } from './stacks/summary';

const app = new App();
const audits = new Map<string, AuditResult>();
// The audit's own table is folded into the summary below; a failing audit stops synth with its findings and the fix.
buildApp(app, { audit: { log: (_table, result) => audits.set(result.stack, result) } });
app.synth();
if (process.env.GOLDEN_PATH_QUIET !== '1') console.log(formatSummary(summarizeSynth(app.outdir), { audits, level: resolveAuditLogLevel() }));
