/**
 * Worker (a): this library. N KubeDeployments (a port, liveness and readiness probes, an
 * HPA when KubeDeployment supports `horizontalAutoscaling`) in each of 3 TerraformStacks
 * carrying an EnvironmentContext, synthesized with app.synth() (validations included).
 * Writes the emitted objects for the raw-CDKTF worker.
 */
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import type * as Lib from '../../lib';
import { ENVIRONMENTS, HPA, IMAGE, NAMESPACE, PORT, cpuMs, liveHeapMb, now, peakRssMb, readTask, report, tempOutdir, workloadName, runResult } from './common';

const task = readTask();
const t0 = now();
const u0 = cpuMs();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(task.input!) as typeof Lib;
const importMs = now() - t0;
const importCpuMs = cpuMs() - u0;

// Not part of the package root: what every consumer's stack file imports besides it.
/* eslint-disable @typescript-eslint/no-require-imports */
const { App, TerraformStack } = require('cdktf') as typeof import('cdktf');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider') as typeof import('@cdktf/provider-kubernetes/lib/provider');
/* eslint-enable @typescript-eslint/no-require-imports */

function props(i: number, hpa: boolean): Lib.KubeDeploymentProps {
  const p = {
    namespace: NAMESPACE,
    name: workloadName(i),
    containers: [
      {
        name: 'app',
        imageRegistry: IMAGE.registry,
        imageRepository: IMAGE.repository,
        imageTag: IMAGE.tag,
        ports: { http: { port: PORT } },
        livenessProbeType: 'HTTP' as const,
        livenessProbePort: PORT,
        livenessProbeRoute: '/healthz',
        readinessProbeType: 'HTTP' as const,
        readinessProbePort: PORT,
        readinessProbeRoute: '/ready',
      },
    ],
    ...(hpa ? { horizontalAutoscaling: HPA } : {}),
  };
  return p as Lib.KubeDeploymentProps;
}

/** Does this build of KubeDeployment emit an HPA for `horizontalAutoscaling`? (untimed probe) */
function hpaSupported(): { ok: boolean; note?: string } {
  const probeApp = new App({ outdir: tempOutdir('probe').dir });
  const stack = new TerraformStack(probeApp, 'probe');
  try {
    const d = new lib.KubeDeployment(stack, 'probe', props(0, true));
    const kinds = d.node.findAll().map((c) => (c as { object?: { kind?: string } }).object?.kind);
    if (kinds.includes('HorizontalPodAutoscaler')) return { ok: true };
    return { ok: false, note: 'KubeDeployment has no horizontalAutoscaling yet: no HPA emitted (7 objects per workload)' };
  } catch (e) {
    return { ok: false, note: `horizontalAutoscaling rejected (${(e as Error).message.split('\n')[0]}): no HPA emitted` };
  }
}

const hpa = hpaSupported();
const out = tempOutdir('ours');

const c0 = now();
const cpu0 = cpuMs();
const app = new App({ outdir: out.dir });
for (const env of ENVIRONMENTS) {
  const stack = new TerraformStack(app, env.environment);
  new KubernetesProvider(stack, 'kubernetes', {});
  lib.EnvironmentContext.set(stack, env);
  for (let i = 0; i < task.n; i++) new lib.KubeDeployment(stack, workloadName(i), props(i, hpa.ok));
}
const c1 = now();
app.synth();
const c2 = now();
const cpu2 = cpuMs();
const rss = peakRssMb();
const live = liveHeapMb();

// Untimed: collect what was emitted.
const perEnv: { environment: string; objects: unknown[] }[] = [];
const kinds: string[] = [];
let typedSecrets = 0;
for (const env of ENVIRONMENTS) {
  const json = JSON.parse(readFileSync(join(out.dir, 'stacks', env.environment, 'cdk.tf.json'), 'utf8'));
  const manifests = Object.values(json.resource?.kubernetes_manifest ?? {}).map((r) => (r as { manifest: { kind: string } }).manifest);
  typedSecrets += Object.keys(json.resource?.kubernetes_secret_v1 ?? {}).length;
  for (const m of manifests) kinds.push(m.kind);
  perEnv.push({ environment: env.environment, objects: manifests });
}
for (let i = 0; i < typedSecrets; i++) kinds.push('Secret');
if (task.output) writeFileSync(task.output, JSON.stringify(perEnv));
out.cleanup();

const marks = { importMs, importCpuMs, c0, c1, c2, cpu0, cpu2, peakRssMb: rss, liveHeapMb: live };
report(runResult('ours', task.n, marks, kinds, hpa.note ? [hpa.note] : []));
