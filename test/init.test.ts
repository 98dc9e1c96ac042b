import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, installTarball, linkRepositoryModules, packLibrary } from './support/pack';
import { main } from '../lib/cli/init';

/**
 * `npx cdktf-golden-path init [dir]` (issue 16), from the packed tarball: install it offline into a
 * temporary directory (the other packages come from this repository's node_modules, the registry
 * cannot be assumed), run the package's bin to write a project, then type-check and synthesize
 * that project as a new user would (`npm test`, `npm run synth`).
 */
describe('cdktf-golden-path init', () => {
  const { tmp, tarball } = packLibrary('golden-path-init-');
  const tool = path.join(tmp, 'tool');
  const installed = installTarball(tarball, tool);
  const pkg = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const bin = path.join(installed, pkg.bin['cdktf-golden-path']);
  const project = path.join(tmp, 'my-platform');

  test('the package has a bin with a node shebang, and init writes the project', () => {
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const out = execFileSync(process.execPath, [bin, 'init', project], { cwd: tmp, encoding: 'utf8' });
    expect(out).toContain('npm run synth');
    for (const f of ['package.json', 'cdktf.json', 'tsconfig.json', 'main.ts', '.gitignore', 'README.md', 'environments/global.yaml', 'environments/development/environment.yaml', 'environments/production/us-east-2/region.yaml', '.github/workflows/plan.yml', '.github/workflows/deploy.yml', 'scripts/ci/stack-order.js']) {
      expect([f, fs.existsSync(path.join(project, f))]).toEqual([f, true]);
    }
    // The workflows are this repository's own, and everything they call is in the project.
    expect(fs.readFileSync(path.join(project, '.github/workflows/plan.yml'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, '.github/workflows/plan.yml'), 'utf8'));
    const generated = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    expect(generated.name).toBe('my-platform');
    expect(generated.dependencies['cdktf-golden-path']).toBe(`^${pkg.version}`);
    expect(Object.keys(generated.dependencies)).toEqual(expect.arrayContaining(Object.keys(pkg.peerDependencies)));
    expect(Object.keys(generated.scripts)).toEqual(expect.arrayContaining(['synth', 'test']));
    expect(fs.readFileSync(path.join(project, 'README.md'), 'utf8')).toMatch(/npm install[\s\S]*npm run synth/);
  });

  test('refuses to overwrite the project without --force', () => {
    expect(() => execFileSync(process.execPath, [bin, 'init', project], { cwd: tmp, stdio: 'pipe' })).toThrow(/already exist/);
    expect(main(['nope'], () => undefined)).toBe(2);
  });

  test('the project type-checks and synthesizes one stack per environment out of the box', () => {
    installTarball(tarball, project);
    linkRepositoryModules(project);
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', GOLDEN_PATH_ENV: '', GOLDEN_PATH_QUIET: '' };
    execFileSync(process.execPath, [path.join(project, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], { cwd: project, env, stdio: 'pipe' });
    const out = execFileSync(process.execPath, [path.join(project, 'node_modules', 'tsx', 'dist', 'cli.mjs'), 'main.ts'], { cwd: project, env, encoding: 'utf8' });
    expect(out).toMatch(/development-us-east-2-web: \d+ resources/);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['development-us-east-2-web', 'production-us-east-2-web']);
    const json = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'production-us-east-2-web', 'cdk.tf.json'), 'utf8'));
    const kinds = Object.values<any>(json.resource.kubernetes_manifest).map((r) => r.manifest.kind);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'Service', 'PodDisruptionBudget']));
    expect(Object.keys(json.provider)).toEqual(expect.arrayContaining(['aws', 'kubernetes', 'helm']));
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'audit.sarif'))).toBe(true);
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', 'production-us-east-2-web', 'requirements.json'))).toBe(true);
    // The starter is clean: no audit finding above info, no synth warning.
    expect(out).not.toMatch(/WARN|warning\(s\): [1-9]|error\(s\), [1-9]/);
  });

  test('`npx cdktf synth` (the CDKTF CLI, through cdktf.json\'s app) synthesizes the same stacks, with no reference to this repository', () => {
    const bin = linkRepositoryModules(project);
    fs.rmSync(path.join(project, 'cdktf.out'), { recursive: true, force: true });
    const env = { ...process.env, CHECKPOINT_DISABLE: '1', GOLDEN_PATH_ENV: '', GOLDEN_PATH_QUIET: '', PATH: `${bin}${path.delimiter}${process.env.PATH}` };
    const out = execFileSync(path.join(bin, 'cdktf'), ['synth'], { cwd: project, env, encoding: 'utf8', stdio: 'pipe' });
    expect(out).toMatch(/Generated Terraform code for the stacks: development-us-east-2-web,\s+production-us-east-2-web/);
    expect(out).not.toMatch(/WARN \[/);
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.stacks).sort()).toEqual(['development-us-east-2-web', 'production-us-east-2-web']);
    // Nothing synthesized points back into this repository (its path or its package files).
    for (const name of Object.keys(manifest.stacks)) {
      const text = fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8');
      expect(text).not.toContain(ROOT);
      expect(JSON.parse(text).terraform.backend.local.path).toBe(`terraform.${name}.tfstate`);
    }
  });
});
