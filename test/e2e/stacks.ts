/**
 * What the end-to-end tier judges: every example environment's stacks and the corpus
 * (test/corpus), synthesized into one directory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { buildStacks } from '../../stacks/app';
import { buildCorpusApp } from '../corpus';

export interface SynthesizedStack {
  readonly name: string;
  /** The directory holding its cdk.tf.json. */
  readonly dir: string;
  readonly json: any;
  /** `example` (an environment of the example app) or `corpus`. */
  readonly kind: 'example' | 'corpus';
}

/** Synthesizes the example app (every environment) and the corpus into `outdir`. */
export function synthesizeAll(outdir: string): SynthesizedStack[] {
  const app = new App({ outdir, skipValidation: false });
  const { appStacks, maintenanceStacks } = buildStacks(app, { only: undefined, audit: false });
  const examples = new Set([...appStacks, ...maintenanceStacks].map((s) => s.node.id));
  const corpus = buildCorpusApp(app).map((s) => s.node.id);
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  // In the order they were built: the apply goes stack by stack (the corpus's namespaces first).
  const order = [...examples, ...corpus];
  const entries = Object.entries<any>(manifest.stacks).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  return entries.map(([name, stack]) => {
    const file = path.join(outdir, stack.synthesizedStackPath);
    return { name, dir: path.dirname(file), json: JSON.parse(fs.readFileSync(file, 'utf8')), kind: examples.has(name) ? 'example' : 'corpus' };
  });
}
