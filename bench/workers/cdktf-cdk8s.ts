/**
 * Worker (d): cdktf-cdk8s, the direct alternative for Kubernetes objects in CDKTF from
 * TypeScript. The cdk8s-plus-32 charts of worker (b) (bench/workers/cdk8s-objects.ts), one
 * cdk8s App per environment, handed to a `CDK8sProvider` in a `TerraformStack` per
 * environment: at synth it renders the charts to YAML, parses them back and adds one
 * `kubernetes_manifest` resource per object. app.synth() of the CDKTF app writes the stacks.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { buildChart, CDK8S_NOTE } from './cdk8s-objects';
import { ENVIRONMENTS, cpuMs, liveHeapMb, now, peakRssMb, readTask, report, tempOutdir, runResult } from './common';

const task = readTask();
const t0 = now();
const u0 = cpuMs();
/* eslint-disable @typescript-eslint/no-require-imports */
// Its package root (it imports the root of @cdktf/provider-kubernetes itself), and what its
// users' code imports with it.
const { CDK8sProvider } = require('cdktf-cdk8s') as typeof import('cdktf-cdk8s');
const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
const constructs = require('constructs') as typeof import('constructs');
const cdk8s = require('cdk8s') as typeof import('cdk8s');
const kplus = require('cdk8s-plus-32') as typeof import('cdk8s-plus-32');
const importMs = now() - t0;
const importCpuMs = cpuMs() - u0;
const k8s = require('cdk8s-plus-32/lib/imports/k8s') as typeof import('cdk8s-plus-32/lib/imports/k8s');
/* eslint-enable @typescript-eslint/no-require-imports */

const out = tempOutdir('cdktf-cdk8s');
const c0 = now();
const cpu0 = cpuMs();
const app = new App({ outdir: out.dir });
for (const env of ENVIRONMENTS) {
  const stack = new TerraformStack(app, env.environment);
  const cdk8sApp = new cdk8s.App(); // synthesized in memory by the provider (synthYaml)
  buildChart({ constructs, cdk8s, kplus, k8s }, cdk8sApp, env, task.n, !!task.hpa);
  new CDK8sProvider(stack, 'kubernetes', { cdk8sApp });
}
const c1 = now();
app.synth();
const c2 = now();
const cpu2 = cpuMs();
const rss = peakRssMb();
const live = liveHeapMb();

// Untimed: count what was emitted.
const kinds: string[] = [];
for (const env of ENVIRONMENTS) {
  const json = JSON.parse(readFileSync(join(out.dir, 'stacks', env.environment, 'cdk.tf.json'), 'utf8'));
  for (const r of Object.values(json.resource?.kubernetes_manifest ?? {})) kinds.push((r as { manifest: { kind: string } }).manifest.kind);
}
out.cleanup();

const marks = { importMs, importCpuMs, c0, c1, c2, cpu0, cpu2, peakRssMb: rss, liveHeapMb: live };
report(runResult('cdktf-cdk8s', task.n, marks, kinds, [`${CDK8S_NOTE}; objects pass cdk8s YAML and become kubernetes_manifest resources through CDK8sProvider`]));
