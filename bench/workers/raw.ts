/**
 * Worker (c): the CDKTF floor. The very objects this library emitted (precomputed by the
 * ours worker, loaded outside the timed region) as plain `kubernetes_manifest` resources
 * (deep import of Manifest), same field manager, no validation, in 3 stacks.
 */
import { readFileSync } from 'fs';
import { cpuMs, liveHeapMb, now, peakRssMb, readTask, report, tempOutdir, runResult } from './common';

const task = readTask();
const t0 = now();
const u0 = cpuMs();
/* eslint-disable @typescript-eslint/no-require-imports */
const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
const { Manifest } = require('@cdktf/provider-kubernetes/lib/manifest') as typeof import('@cdktf/provider-kubernetes/lib/manifest');
const importMs = now() - t0;
const importCpuMs = cpuMs() - u0;
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider') as typeof import('@cdktf/provider-kubernetes/lib/provider');
/* eslint-enable @typescript-eslint/no-require-imports */

type Obj = { kind: string; metadata: { name: string; namespace?: string } };
const perEnv = JSON.parse(readFileSync(task.input!, 'utf8')) as { environment: string; objects: Obj[] }[];
const out = tempOutdir('raw');

const c0 = now();
const cpu0 = cpuMs();
const app = new App({ outdir: out.dir });
const kinds: string[] = [];
for (const env of perEnv) {
  const stack = new TerraformStack(app, env.environment);
  new KubernetesProvider(stack, 'kubernetes', {});
  for (const o of env.objects) {
    new Manifest(stack, `${o.kind}-${o.metadata.namespace ?? ''}-${o.metadata.name}`, {
      manifest: o as unknown as Record<string, unknown>,
      fieldManager: { name: 'cdktf-golden-path', forceConflicts: true },
    });
    kinds.push(o.kind);
  }
}
const c1 = now();
app.synth();
const c2 = now();
const cpu2 = cpuMs();
const rss = peakRssMb();
const live = liveHeapMb();
out.cleanup();

const marks = { importMs, importCpuMs, c0, c1, c2, cpu0, cpu2, peakRssMb: rss, liveHeapMb: live };
report(runResult('raw', task.n, marks, kinds, []));
