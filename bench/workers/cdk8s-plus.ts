/**
 * Worker (b): cdk8s-plus-32. Per workload the same Kubernetes objects as far as it can
 * express them (bench/workers/cdk8s-objects.ts). One Chart per environment, app.synth() to
 * YAML files.
 */
import { buildChart, CDK8S_NOTE } from './cdk8s-objects';
import { ENVIRONMENTS, cpuMs, liveHeapMb, now, peakRssMb, readTask, report, tempOutdir, runResult } from './common';

const task = readTask();
const t0 = now();
const u0 = cpuMs();
/* eslint-disable @typescript-eslint/no-require-imports */
const constructs = require('constructs') as typeof import('constructs');
const cdk8s = require('cdk8s') as typeof import('cdk8s');
const kplus = require('cdk8s-plus-32') as typeof import('cdk8s-plus-32');
const importMs = now() - t0;
const importCpuMs = cpuMs() - u0;
const k8s = require('cdk8s-plus-32/lib/imports/k8s') as typeof import('cdk8s-plus-32/lib/imports/k8s');
/* eslint-enable @typescript-eslint/no-require-imports */

const out = tempOutdir('cdk8s-plus');
const c0 = now();
const cpu0 = cpuMs();
const app = new cdk8s.App({ outdir: out.dir });
for (const env of ENVIRONMENTS) buildChart({ constructs, cdk8s, kplus, k8s }, app, env, task.n, !!task.hpa);
const c1 = now();
app.synth();
const c2 = now();
const cpu2 = cpuMs();
const rss = peakRssMb();
const live = liveHeapMb();
const kinds = app.charts.flatMap((c) => c.node.findAll().filter((x): x is InstanceType<typeof cdk8s.ApiObject> => x instanceof cdk8s.ApiObject).map((o) => o.kind));
out.cleanup();

const marks = { importMs, importCpuMs, c0, c1, c2, cpu0, cpu2, peakRssMb: rss, liveHeapMb: live };
report(runResult('cdk8s-plus', task.n, marks, kinds, [CDK8S_NOTE]));
