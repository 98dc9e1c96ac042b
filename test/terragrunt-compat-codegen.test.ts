import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { convertPanfactumTree } from '../terragrunt-compat';
import { generateStacksCode, writeEnvironmentsYaml } from '../terragrunt-compat/codegen';
import { main } from '../terragrunt-compat/cli';
// The committed output of the generator for test/fixtures/terragrunt/repo (type-checked by `npm run typecheck`, which
// covers test/**; rewritten by UPDATE_TG_CODEGEN=1 npx jest test/terragrunt-compat-codegen.test.ts).
import { buildPanfactumStacks } from './fixtures/terragrunt/repo-converted/panfactum-stacks';

const ENVS = path.join(__dirname, 'fixtures', 'terragrunt', 'repo', 'environments');
const CONVERTED = path.join(__dirname, 'fixtures', 'terragrunt', 'repo-converted');
const LIBRARY_IMPORT = '../../../../lib';

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out[path.relative(dir, abs).split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

function synthAll(build: (app: ReturnType<typeof Testing.app>) => string[]): Record<string, unknown> {
  const app = Testing.app();
  const names = build(app);
  app.synth();
  return Object.fromEntries(names.map((n) => [n, JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', n, 'cdk.tf.json'), 'utf8'))]));
}

describe('generated code', () => {
  test('the committed fixture is exactly what the generator writes for the fixture tree', () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-codegen-'));
    const conversion = convertPanfactumTree(Testing.app(), ENVS, { unsupportedModules: 'skip' });
    fs.writeFileSync(path.join(target, 'panfactum-stacks.ts'), generateStacksCode(conversion, { libraryImport: LIBRARY_IMPORT }));
    writeEnvironmentsYaml(conversion, path.join(target, 'environments'));
    if (process.env.UPDATE_TG_CODEGEN === '1') {
      fs.rmSync(CONVERTED, { recursive: true, force: true });
      fs.cpSync(target, CONVERTED, { recursive: true });
    }
    expect(files(target)).toEqual(files(CONVERTED));
  });

  test('synthesizes the same Terraform as the converter (references, remote state, cross-stack output)', () => {
    const converted = synthAll((app) => convertPanfactumTree(app, ENVS, { unsupportedModules: 'skip' }).stacks.map((s) => s.name));
    const generated = synthAll((app) => Object.keys(buildPanfactumStacks(app, path.join(CONVERTED, 'environments'))));
    expect(Object.keys(generated)).toEqual(['production-us-east-2-workloads', 'production-us-west-2-workloads']);
    expect(generated).toEqual(converted);
    const east = generated['production-us-east-2-workloads'] as any;
    expect(Object.keys(east.output)).toHaveLength(1); // the role ARN read by the us-west-2 stack
    expect(Object.keys(east.data.terraform_remote_state)).toEqual(['remote-state-production-us-east-2-aws_eks']);
  });

  test('the written environments tree keeps the settings and drops Panfactum keys and module inputs', () => {
    const out = files(path.join(CONVERTED, 'environments'));
    expect(Object.keys(out).sort()).toEqual(['global.yaml', 'production/environment.yaml', 'production/us-east-2/region.yaml', 'production/us-west-2/region.yaml']);
    expect(out['global.yaml']).not.toMatch(/pf_stack_version|pf_stack_edition|kube_domain/);
    expect(out['production/environment.yaml']).toMatch(/tf_state_bucket: acme-production-tf-state/);
    expect(out['production/environment.yaml']).not.toMatch(/tf_state_profile/);
    expect(out['production/us-east-2/region.yaml']).toMatch(/kube_cluster_name: production-primary/);
    expect(out['production/us-east-2/region.yaml']).not.toMatch(/kube_name/);
  });

  test('cli convert writes the code, the environments tree and the migration plan', () => {
    const target = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-convert-cli-'));
    const log: string[] = [];
    expect(main(['convert', '--skip-unsupported', '--library-import', LIBRARY_IMPORT, ENVS, target], (l) => log.push(l), (l) => log.push(l))).toBe(0);
    expect(fs.readFileSync(path.join(target, 'panfactum-stacks.ts'), 'utf8')).toBe(fs.readFileSync(path.join(CONVERTED, 'panfactum-stacks.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(target, 'migration-plan.txt'), 'utf8')).toMatch(/^\s+old state: s3:\/\/acme-production-tf-state\/acme-infra\/production\/us-east-2\/kube_namespace\/terraform.tfstate$/m);
    expect(log.at(-1)).toMatch(/^next: call buildPanfactumStacks\(app/);
  });
});
