import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { buildApp } from '../stacks/app';
import { formatSummary, summarizeSynth } from '../lib';
import { ConfigError } from '../lib/config';

function synthApp(only?: string[]) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-'));
  const app = new App({ outdir });
  const stacks = buildApp(app, { only });
  app.synth();
  return { outdir, stacks, summary: summarizeSynth(outdir) };
}

describe('example app', () => {
  const { outdir, summary } = synthApp();
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  test('one app stack per example environment, with stable names', () => {
    expect(summary.map((s) => s.name).filter((n) => n.endsWith('-app')).sort()).toEqual(['development-us-east-2-app', 'production-us-east-2-app', 'sandbox-us-east-2-app', 'staging-us-east-2-app']);
  });

  test('each app stack has its providers, a local backend and the web workload', () => {
    const prod = read('production-us-east-2-app');
    expect(Object.keys(prod.provider).sort()).toEqual(expect.arrayContaining(['aws', 'helm', 'kubernetes']));
    expect(prod.provider.aws).toHaveLength(2);
    expect(prod.provider.aws.map((p: any) => p.region).sort()).toEqual(['us-east-1', 'us-east-2']);
    expect(prod.terraform.backend.local.path).toBe('terraform.production-us-east-2-app.tfstate');
    const kinds = Object.values(prod.resource.kubernetes_manifest).map((r: any) => `${r.manifest.kind}/${r.manifest.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace/web', 'Deployment/web', 'Service/web', 'PodDisruptionBudget/web-pdb', 'VerticalPodAutoscaler/web']));
  });

  test('SLA drives availability: production spreads and replicates, development does not', () => {
    const dep = (name: string) => (Object.values(read(name).resource.kubernetes_manifest) as any[]).find((r) => r.manifest.kind === 'Deployment' && r.manifest.metadata.name === 'web').manifest;
    const prod = dep('production-us-east-2-app');
    const dev = dep('development-us-east-2-app');
    expect(prod.spec.replicas).toBe(3);
    expect(dev.spec.replicas).toBe(1);
    expect(prod.spec.template.spec.topologySpreadConstraints).toHaveLength(1);
    expect(dev.spec.template.spec.topologySpreadConstraints).toBeUndefined();
    expect(prod.metadata.labels['panfactum.com/environment']).toBe('production');
  });

  test('the summary: one line per stack with its resources by type, and where the JSON is', () => {
    const text = formatSummary(summary);
    expect(text).toMatch(/^Synthesized \d+ stack\(s\) to .*<stack>\/cdk\.tf\.json:/);
    expect(text).toMatch(/^ {2}production-us-east-2-app: \d+ resources \(\d+ kubernetes_manifest, /m);
    expect(text.split('\n')).toHaveLength(summary.length + 1);
    expect(formatSummary(summary, { level: 'info' })).toMatch(/^\s+\d+\s+kubernetes_manifest$/m);
  });

  test('the production web workload, for review', () => {
    const prod = read('production-us-east-2-app');
    const web = (Object.values(prod.resource.kubernetes_manifest) as any[]).filter((r) => ['Deployment', 'Service'].includes(r.manifest.kind) && r.manifest.metadata.name === 'web').map((r) => r.manifest);
    expect(web).toMatchSnapshot();
  });

  test('environment selection synthesizes only the chosen environment, and refuses unknown names', () => {
    expect(synthApp(['staging']).summary.map((s) => s.name).every((n) => n.startsWith('staging-'))).toBe(true);
    expect(() => buildApp(Testing.app(), { only: ['nope'] })).toThrow(ConfigError);
  });
});
