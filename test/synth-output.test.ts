/**
 * Quiet, useful synth output (issue 16): by default one line per stack plus every audit error
 * and warning; info findings only at GOLDEN_PATH_LOG=info (or the audit's `logLevel`); an audit
 * failure says how to fix or waive the finding, never to set `skipValidation`.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { EnvironmentContext } from '../lib/core/context';
import { ValidationError } from '../lib/core/errors';
import { AuditResult, GoldenPathAudit, enableAudit, formatTable, resolveAuditLogLevel } from '../lib/audit';
import { buildApp } from '../stacks/app';
import { formatSummary, summarizeSynth } from '../lib';

const ROOT = path.resolve(__dirname, '..');
const INFO_ROW = /^\s+info\s+GP-[A-Z]+-\d{3}\s/m;

/** Run with GOLDEN_PATH_LOG set (or unset) for the duration of `fn`. */
function withLogEnv<T>(value: string | undefined, fn: () => T): T {
  const before = process.env.GOLDEN_PATH_LOG;
  if (value === undefined) delete process.env.GOLDEN_PATH_LOG; else process.env.GOLDEN_PATH_LOG = value;
  try { return fn(); } finally { if (before === undefined) delete process.env.GOLDEN_PATH_LOG; else process.env.GOLDEN_PATH_LOG = before; }
}

/** The development environment of the example app, synthesized with the audit's table captured. */
function synthDevelopment(logLevel?: 'info' | 'warn' | 'error') {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-output-'));
  const app = new App({ outdir });
  const tables: string[] = [];
  const audits = new Map<string, AuditResult>();
  buildApp(app, { only: ['development'], audit: { logLevel, log: (text, result) => { tables.push(text); audits.set(result.stack, result); } } });
  app.synth();
  return { outdir, tables: tables.join('\n'), audits, summary: summarizeSynth(outdir) };
}

describe('the audit console table', () => {
  const quiet = withLogEnv(undefined, () => synthDevelopment());
  const loud = synthDevelopment('info');

  test('by default it lists no info finding, but counts them and says how to list them', () => {
    expect(quiet.tables).toMatch(/Golden-path audit development-us-east-2-app: 0 error\(s\), 0 warning\(s\), \d+ info/);
    expect(quiet.tables).not.toMatch(INFO_ROW);
    expect(quiet.tables).toMatch(/not listed: GOLDEN_PATH_LOG=info lists them/);
  });

  test("logLevel 'info' lists them", () => {
    expect(loud.tables).toMatch(INFO_ROW);
    expect(loud.tables).toMatch(/info\s+GP-SEC-006/);
  });

  test('the reports keep every finding, whatever the console lists', () => {
    const report = JSON.parse(fs.readFileSync(path.join(quiet.outdir, 'audit.json'), 'utf8'));
    const app = report.stacks.find((s: any) => s.stack === 'development-us-east-2-app');
    expect(app.findings.filter((f: any) => f.severity === 'info').length).toBe(app.summary.info);
    expect(app.summary.info).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(quiet.outdir, 'audit.sarif'))).toBe(true);
  });

  test('GOLDEN_PATH_LOG sets the default level; the option wins; a typo is refused', () => {
    expect(withLogEnv(undefined, () => new GoldenPathAudit().logLevel)).toBe('warn');
    expect(withLogEnv('info', () => new GoldenPathAudit().logLevel)).toBe('info');
    expect(withLogEnv('ERROR', () => new GoldenPathAudit().logLevel)).toBe('error');
    expect(withLogEnv('info', () => new GoldenPathAudit({ logLevel: 'warn' }).logLevel)).toBe('warn');
    expect(() => withLogEnv('verbose', () => new GoldenPathAudit())).toThrow(ValidationError);
    expect(() => resolveAuditLogLevel(undefined, 'verbose')).toThrow(/GOLDEN_PATH_LOG.*error, warn or info/);
  });

  test('formatTable lists everything unless told otherwise (its callers keep their output)', () => {
    const result = quiet.audits.get('development-us-east-2-app')!;
    expect(formatTable(result)).toMatch(INFO_ROW);
    expect(formatTable(result, { minimumSeverity: 'warn' })).not.toMatch(INFO_ROW);
  });

  test('the example summary: one line per stack with resources and audit counts; info findings only at info', () => {
    const text = formatSummary(quiet.summary, { audits: quiet.audits, level: 'warn' });
    expect(text).not.toMatch(INFO_ROW);
    expect(text).toMatch(/^ {2}development-us-east-2-app: \d+ resources \(\d+ kubernetes_manifest, .*\); audit: 0 error\(s\), 0 warning\(s\), \d+ info, 0 suppressed$/m);
    expect(text.split('\n').length).toBe(quiet.summary.length + 2); // title, one line per stack, the GOLDEN_PATH_LOG hint
    expect(formatSummary(quiet.summary, { audits: quiet.audits, level: 'error' })).toMatch(/^Warning and info findings are not listed: GOLDEN_PATH_LOG=info/m);
    const verbose = formatSummary(quiet.summary, { audits: quiet.audits, level: 'info' });
    expect(verbose).toMatch(INFO_ROW);
    expect(verbose).toMatch(/^\s+\d+\s+kubernetes_manifest$/m);
  });
});

describe('npm run synth (main.ts)', () => {
  const run = (env: Record<string, string>) => execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, GOLDEN_PATH_LOG: '', GOLDEN_PATH_QUIET: '', CDKTF_OUTDIR: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-main-')), ...env },
    encoding: 'utf8',
  });

  test('prints one line per stack and no info finding by default, with the audit on', () => {
    const out = run({ GOLDEN_PATH_ENV: 'development' });
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(out).not.toMatch(INFO_ROW);
    expect(out).toMatch(/development-us-east-2-app: \d+ resources .*; audit: 0 error\(s\), 0 warning\(s\), \d+ info/);
    expect(out).toMatch(/GOLDEN_PATH_LOG=info/);
  }, 120_000);
});

describe('an audit failure', () => {
  function failingStack(options: Parameters<typeof enableAudit>[1] = {}) {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'shop');
    new KubernetesProvider(stack, 'kubernetes', {});
    EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 3 });
    new KubeManifest(stack, 'legacy', {
      object: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'default' },
        spec: { selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { hostNetwork: true, containers: [{ name: 'app', image: 'nginx:1.27.1', env: [{ name: 'DB_PASSWORD', value: 'hunter22' }] }] } } },
      } as any,
    });
    enableAudit(stack, { log: false, reportDir: false, ...options });
    return stack;
  }
  const message = (stack: TerraformStack) => { try { Testing.synth(stack, true); return ''; } catch (e: any) { return String(e.message); } };

  test('lists every failing finding, names the fix and the waiver route, and never advises skipValidation', () => {
    const text = message(failingStack({ strict: true }));
    expect(text).toMatch(/^\s*\[shop\] GP-SEC-007 error: Deployment default\/legacy \(shop\/legacy\): .*literal secret/m);
    expect(text).toMatch(/^\s*\[shop\] GP-NET-001 warn: /m);
    expect(text).not.toMatch(/skipValidation/);
    expect(text).toMatch(/The golden-path audit failed stack shop: \d+ finding\(s\) \(strict mode: warnings fail too\)/);
    expect(text).toMatch(/suppressAudit\(construct, '<rule>'/);
    expect(text).toMatch(/waivers: \[\{ rule: '<rule>', path: '<construct path>', reason: /);
    // every line that names a rule is a finding (CI logs grep for them)
    for (const l of text.split('\n').filter((x) => /GP-[A-Z]+-\d{3}/.test(x))) expect(l).toMatch(/^\s*\[shop\] GP-[A-Z]+-\d{3} (error|warn): /);
    expect(text).toMatch(/Suppressing a finding" in docs\/audit\.md/);
  });

  test('with app.synth() too, as `npm run synth` runs it', () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'synth-fail-')) });
    const stack = new TerraformStack(app, 'shop');
    new KubernetesProvider(stack, 'kubernetes', {});
    new KubeManifest(stack, 'legacy', { object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'token', namespace: 'web' }, stringData: { token: 'hunter22-hunter22' } } as any });
    enableAudit(app, { log: false, reportDir: false });
    let text = '';
    try { app.synth(); } catch (e: any) { text = String(e.message); }
    expect(text).toMatch(/GP-SEC-007 error/);
    expect(text).not.toMatch(/skipValidation/);
    expect(text).toMatch(/waivers: \[/);
  });

  test('a passing audit leaves other validation failures as CDKTF words them', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'clean');
    stack.node.addValidation({ validate: () => ['something else is wrong'] });
    enableAudit(stack, { log: false, reportDir: false });
    const text = message(stack);
    expect(text).toMatch(/something else is wrong/);
    expect(text).not.toMatch(/golden-path audit failed/);
  });
});
