/**
 * `npm run render [outdir]`: synthesize the example app and write each stack's Kubernetes
 * objects as plain YAML, one file per namespace, for kube-score, Polaris, kube-linter and
 * Checkov. Default output: cdktf.out/manifests/<stack>/<namespace>.yaml.
 *
 *   kube-score score --ignore-container-cpu-limit cdktf.out/manifests/production-us-east-2-app/*.yaml
 *   polaris audit --audit-path cdktf.out/manifests/production-us-east-2-app --format pretty
 *   kube-linter lint cdktf.out/manifests/production-us-east-2-app
 *   checkov -d cdktf.out/manifests --framework kubernetes
 */
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { buildApp } from '../stacks/app';
import { bundleFromScope, renderBundle, writeRendered } from '../lib/audit';

const outdir = path.resolve(process.argv[2] ?? path.join('cdktf.out', 'manifests'));
const app = new App({ outdir: path.resolve('cdktf.out') });
buildApp(app);
app.synth(); // runs aspects and validations first, so the objects are final
const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
const files = renderBundle(stacks.map((s) => ({ stack: s.node.id, bundle: bundleFromScope(s) })));
for (const written of writeRendered(outdir, files)) console.log(`wrote ${path.relative(process.cwd(), written)}`);
