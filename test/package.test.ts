import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/**
 * A consumer's view: pack the library as npm would publish it, install the tarball into a
 * fresh CDKTF project (its peer dependencies come from this repository's node_modules, as
 * they would from the consumer's own), create a KubeDeployment in the consumer's stack and
 * synthesize.
 */
describe('the packed package', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-consumer-'));
  const tarball = execFileSync('npm', ['pack', '--pack-destination', tmp, '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } })
    .trim()
    .split('\n')
    .pop() as string;
  const project = path.join(tmp, 'consumer');
  const installed = path.join(project, 'node_modules', 'cdktf-golden-path');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(tmp, tarball), '-C', installed, '--strip-components=1']);

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
});
