import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, installTarball, packLibrary } from './support/pack';
import { typeCheckDocsAgainst } from './support/doc-typecheck';

/**
 * A consumer's view: pack the library as npm would publish it, install the tarball into a
 * fresh CDKTF project (its peer dependencies come from this repository's node_modules, as
 * they would from the consumer's own), create a KubeDeployment in the consumer's stack and
 * synthesize.
 */
describe('the packed package', () => {
  const { tmp, tarball } = packLibrary('golden-path-consumer-');
  const project = path.join(tmp, 'consumer');
  const installed = installTarball(tarball, project);

  test('every documentation block and examples/*.ts type-checks against the packed declarations, imports as written', () => {
    const { problems, files, ms } = typeCheckDocsAgainst(project, ROOT, path.join(ROOT, 'node_modules'));
    console.log(`type-checked ${files} doc blocks and examples against the packed package in ${ms} ms`);
    expect(files).toBeGreaterThanOrEqual(25);
    expect(problems).toEqual([]);
  });

  test('ships compiled JavaScript and type declarations of the library only', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    expect(fs.existsSync(path.join(installed, pkg.main))).toBe(true);
    expect(fs.existsSync(path.join(installed, pkg.types))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'dist/lib/constructs/kube-deployment.d.ts'))).toBe(true);
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    expect(fs.existsSync(path.join(installed, 'test'))).toBe(false);
    expect(Object.keys(pkg.peerDependencies)).toEqual(expect.arrayContaining(['cdktf', 'constructs', '@cdktf/provider-kubernetes', '@cdktf/provider-aws', '@cdktf/provider-helm']));
  });

  test('a consumer stack creates a KubeDeployment and synthesizes', () => {
    fs.writeFileSync(
      path.join(project, 'main.js'),
      `
const { App, TerraformStack } = require('cdktf');
const { KubernetesProvider } = require('@cdktf/provider-kubernetes/lib/provider');
const { KubeDeployment, KubeNamespace, EnvironmentContext } = require('cdktf-golden-path');
const app = new App({ outdir: ${JSON.stringify(path.join(project, 'out'))} });
const stack = new TerraformStack(app, 'consumer');
new KubernetesProvider(stack, 'kubernetes', {});
EnvironmentContext.set(stack, { environment: 'staging', slaTarget: 2 });
const ns = new KubeNamespace(stack, 'ns', { namespace: 'shop' });
new KubeDeployment(stack, 'api', {
  namespace: ns, name: 'api',
  containers: [{ name: 'api', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1', ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080 }],
});
app.synth();
`,
    );
    execFileSync(process.execPath, ['main.js'], { cwd: project, env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
    const json = JSON.parse(fs.readFileSync(path.join(project, 'out', 'stacks', 'consumer', 'cdk.tf.json'), 'utf8'));
    const kinds = Object.values(json.resource.kubernetes_manifest).map((r: any) => r.manifest.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'Service', 'PodDisruptionBudget', 'VerticalPodAutoscaler']));
    const dep = (Object.values(json.resource.kubernetes_manifest) as any[]).find((r) => r.manifest.kind === 'Deployment').manifest;
    expect(dep.metadata.labels['panfactum.com/environment']).toBe('staging');
  });

  test('the package exports its sub-entry points, and a consumer builds the per-environment app from one', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
    for (const [entry, target] of Object.entries<any>(pkg.exports)) {
      if (entry.includes('*') || typeof target === 'string') continue;
      expect([entry, fs.existsSync(path.join(installed, target.default)), fs.existsSync(path.join(installed, target.types))]).toEqual([entry, true, true]);
    }
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './app', './audit', './aws', './config', './constructs']));
    fs.writeFileSync(
      path.join(project, 'app.js'),
      `
const { App } = require('cdktf');
const { buildEnvironmentApp, EnvironmentStack } = require('cdktf-golden-path/app');
const { KubeNamespace } = require('cdktf-golden-path/constructs');
const { PolicyDocument } = require('cdktf-golden-path/aws');
const { loadEnvironments } = require('cdktf-golden-path/config');
const { enableAudit } = require('cdktf-golden-path/audit');
const root = require('cdktf-golden-path');
if (root.buildEnvironmentApp !== buildEnvironmentApp || typeof PolicyDocument !== 'function' || typeof enableAudit !== 'function') throw new Error('sub-entry points differ from the root');
class ShopStack extends EnvironmentStack {
  constructor(scope, id, props) { super(scope, id, props); new KubeNamespace(this, 'ns', { namespace: 'shop' }); }
}
const environmentsDir = ${JSON.stringify(path.join(ROOT, 'environments'))};
const app = new App({ outdir: ${JSON.stringify(path.join(project, 'out-app'))} });
const built = buildEnvironmentApp(app, { environmentsDir, only: ['development'], audit: { log: false, reportDir: false }, stacks: (scope, ctx) => [new ShopStack(scope, ctx.stackName('shop'), ctx)] });
app.synth();
console.log(JSON.stringify({ names: built.stacks.map((s) => s.node.id), environments: loadEnvironments(environmentsDir, { only: ['development'] }).length, summary: built.summary('warn') }));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['app.js'], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules'), GOLDEN_PATH_ENV: '' } }));
    expect(out.environments).toBe(1);
    expect(out.names).toEqual(['development-us-east-2-shop']);
    expect(out.summary).toMatch(/development-us-east-2-shop: \d+ resources/);
    const json = JSON.parse(fs.readFileSync(path.join(project, 'out-app', 'stacks', 'development-us-east-2-shop', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(json.provider)).toEqual(expect.arrayContaining(['aws', 'kubernetes', 'helm']));
    expect(json.terraform.backend).toBeDefined();
  });
});
