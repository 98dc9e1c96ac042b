import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { ConfigError } from '../lib/config';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeSaAuthAws } from '../lib/constructs/kube-sa-auth-aws';
import {
  GENERATED_HEADER,
  HclError,
  PANFACTUM_MODULES,
  PROP_SHAPES,
  PanfactumImportError,
  buildStacksFromPanfactumTree,
  parseTerragruntHcl,
  snakeToCamel,
  writeTerragruntTree,
} from '../terragrunt-compat';
import { main } from '../terragrunt-compat/cli';

const FIXTURES = path.join(__dirname, 'fixtures', 'terragrunt');
const ROOT = path.join(__dirname, '..');

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tg-compat-'));
}

function hclError(src: string): HclError {
  try {
    parseTerragruntHcl(src, 'mod/terragrunt.hcl');
  } catch (e) {
    if (e instanceof HclError) return e;
    throw e;
  }
  throw new Error('expected an HclError');
}

describe('parseTerragruntHcl', () => {
  test('literals: strings, numbers, bools, null, lists, maps, nested objects, comments, heredocs', () => {
    const src = [
      '# comment',
      'include "root" { path = find_in_parent_folders() }',
      'locals { x = "${get_env("A", "}")}" }',
      'inputs = {',
      '  s = "a\\"b\\n\\u00e9 $${literal}" // comment',
      '  n = 42, f = 1.5, neg = -3, e = 1e3',
      '  yes = true',
      '  no = false',
      '  nothing = null',
      '  list = [1, "two", [3],',
      '  ]',
      '  "quoted.key" = { inner = { deep: "x" } }',
      '  /* block',
      '     comment */',
      '  doc = <<-EOT',
      '    indented',
      '      more',
      '    EOT',
      '  raw = <<EOT',
      '  kept',
      'EOT',
      '}',
      'terraform {',
      '  source = "git::https://example.com/stack.git//kube_deployment?ref=v1"',
      '}',
    ].join('\n');
    const parsed = parseTerragruntHcl(src, 'x.hcl');
    expect(parsed.inputs).toEqual({
      s: 'a"b\né ${literal}',
      n: 42,
      f: 1.5,
      neg: -3,
      e: 1000,
      yes: true,
      no: false,
      nothing: null,
      list: [1, 'two', [3]],
      'quoted.key': { inner: { deep: 'x' } },
      doc: 'indented\n  more\n',
      raw: '  kept\n',
    });
    expect(parsed.inputsLine).toBe(4);
    expect(parsed.terraformSource).toBe('git::https://example.com/stack.git//kube_deployment?ref=v1');
  });

  test('a file without inputs and with a non-literal source', () => {
    expect(parseTerragruntHcl('terraform {\n  source = include.root.locals.source\n}\n', 'x.hcl')).toEqual({
      inputs: undefined,
      inputsLine: undefined,
      terraformSource: undefined,
      locals: {},
      includes: [],
      dependencies: {},
      dependencyPaths: [],
      ignored: [],
    });
  });

  test.each([
    ['a function call', 'inputs = {\n  tags = merge(local.a, local.b)\n}', 2, /inputs\.tags: function call merge\(\.\.\.\) is not supported/],
    ['a reference other than local/dependency/include', 'inputs = {\n  ns = module.namespace.namespace\n}', 2, /inputs\.ns: reference module\.namespace\.namespace is an expression; terragrunt-compat reads literal values and the references local\.<name>, dependency/],
    ['an indexed reference', 'inputs = {\n  ns = local.names[0]\n}', 2, /inputs\.ns: reference local\.names\[\.\.\.\] is an expression/],
    ['a template', 'inputs = {\n\n  name = "web-${local.env}"\n}', 3, /inputs\.name: string template/],
    ['a template heredoc', 'inputs = {\n  doc = <<EOT\n${x}\nEOT\n}', 2, /inputs\.doc: string template/],
    ['an operator', 'inputs = {\n  n = 1 + 2\n}', 2, /inputs\.n: "\+" after a value makes an expression/],
    ['a conditional', 'inputs = {\n  n = true ? 1 : 2\n}', 2, /inputs\.n: "\?" after a value/],
    ['an operator in a list', 'inputs = {\n  l = [1 + 2]\n}', 2, /inputs\.l\[0\]: expected "," or "\]", found "\+"/],
    ['a for expression', 'inputs = {\n  l = [for x in local.xs : x]\n}', 2, /inputs\.l: a for expression is not supported/],
    ['a computed key', 'inputs = {\n  (local.k) = 1\n}', 2, /a computed key/],
    ['an expression as the whole inputs', 'inputs = merge(local.a, {})', 1, /inputs: function call merge/],
    ['inputs that are not an object', 'inputs = [1]', 1, /inputs: expected an object/],
    ['inputs set twice', 'inputs = {}\ninputs = {}', 2, /inputs: set twice \(first on line 1\)/],
    ['inputs as a block', 'inputs {\n}', 1, /write it as an attribute/],
    ['a duplicate key', 'inputs = {\n  a = 1\n  a = 2\n}', 3, /inputs\.a: duplicate key \(first set on line 2\)/],
    ['an unterminated string', 'inputs = {\n  a = "x\n}', 2, /newline in a quoted string/],
    ['an unterminated heredoc', 'inputs = {\n  a = <<EOT\nx\n}', 2, /unterminated heredoc \(no closing EOT\)/],
    ['an unclosed object', 'inputs = {\n  a = 1\n', 1, /object is not closed/],
    ['an unclosed block', 'locals {\n  a = 1\n', 3, /block is not closed/],
    ['an unknown escape', 'inputs = {\n  a = "\\q"\n}', 2, /unknown escape \\q/],
    ['a stray character', 'inputs = {\n  a = @\n}', 2, /unexpected character "@"/],
  ])('refuses %s with the file and line', (_what, src, line, message) => {
    const e = hclError(src);
    expect(e.file).toBe('mod/terragrunt.hcl');
    expect(e.line).toBe(line);
    expect(e.message).toMatch(message);
    expect(e.message.startsWith(`mod/terragrunt.hcl:${line}: `)).toBe(true);
  });
});

describe('snakeToCamel and the generated prop shapes', () => {
  test.each([
    ['image_registry', 'imageRegistry'],
    ['az_spread_preferred', 'azSpreadPreferred'],
    ['ip_allow_list', 'ipAllowList'],
    ['ports', 'ports'],
    ['imageTag', 'imageTag'],
    ['linkerd_proxy_cpu_request', 'linkerdProxyCpuRequest'],
  ])('%s -> %s', (snake, camel) => expect(snakeToCamel(snake)).toBe(camel));

  test('one shape per registered module, from the props types', () => {
    expect(Object.keys(PROP_SHAPES).sort()).toEqual(Object.keys(PANFACTUM_MODULES).sort());
    const deployment = PROP_SHAPES.kube_deployment as any;
    expect(deployment.object.namespace).toBe('value');
    expect(deployment.object.provider).toBeUndefined(); // providers cannot come from YAML/HCL
    expect(deployment.object.containers.list.object.imageRegistry).toBe('value');
    expect(deployment.object.containers.list.object.ports).toEqual({
      map: { object: { exposeOnService: 'value', port: 'value', protocol: 'value', servicePort: 'value' } },
    });
    expect(deployment.object.extraPodLabels).toEqual({ map: 'value' });
    expect((PROP_SHAPES.kube_sa_auth_aws as any).object.iamPolicyJson).toBe('value');
  });
});

describe('buildStacksFromPanfactumTree', () => {
  const built = (() => {
    const app = Testing.app();
    const stacks = buildStacksFromPanfactumTree(app, path.join(FIXTURES, 'good'), { displayRoot: ROOT });
    return { app, stacks };
  })();
  const byName = (name: string) => built.stacks.find((s) => s.name === name)!;

  test('one stack per environment and region, with stable names', () => {
    expect(built.stacks.map((s) => s.name)).toEqual(['development-us-east-2-workloads', 'production-us-east-2-workloads', 'staging-us-east-2-workloads']);
    expect(byName('development-us-east-2-workloads').modules).toEqual([]);
  });

  test('module directories become constructs, namespaces first, ids = directory names', () => {
    const prod = byName('production-us-east-2-workloads');
    expect(prod.modules.map((m) => [m.construct.node.id, m.module])).toEqual([
      ['kube_namespace', 'kube_namespace'],
      ['kube_sa_auth_aws', 'kube_sa_auth_aws'],
      ['kube_cron_job', 'kube_cron_job'],
      ['kube_deployment', 'kube_deployment'],
      ['worker', 'kube_deployment'], // identified by its literal terraform.source
    ]);
    expect(prod.modules[0].construct).toBeInstanceOf(KubeNamespace);
    expect(prod.modules[1].construct).toBeInstanceOf(KubeSaAuthAws);
    expect(prod.modules[2].construct).toBeInstanceOf(KubeCronJob);
    expect(prod.modules[3].construct).toBeInstanceOf(KubeDeployment);
    expect(prod.modules[0].directory).toBe('test/fixtures/terragrunt/good/production/us-east-2/kube_namespace');
  });

  test('inputs are mapped mechanically, recursively; map keys are kept; precedence extra_inputs < module.yaml < terragrunt.hcl', () => {
    const web = byName('production-us-east-2-workloads').modules.find((m) => m.construct.node.id === 'kube_deployment')!;
    const { namespace, ...props } = web.props as Record<string, unknown>;
    expect(namespace).toBeInstanceOf(KubeNamespace); // the namespace module of the region, so the workload depends on it
    expect(props).toEqual({
      pullThroughCacheEnabled: true, // global.yaml extra_inputs
      replicas: 2, // module.yaml
      name: 'web', // terragrunt.hcl wins over module.yaml
      containers: [
        {
          name: 'nginx',
          imageRegistry: 'docker.io',
          imageRepository: 'nginxinc/nginx-unprivileged',
          imageTag: '1.27.1',
          minimumMemory: 64,
          minimumCpu: 50,
          ports: { http: { port: 8080, servicePort: 80 } },
          env: { LOG_FORMAT: 'json', 'app.mode': 'web' },
          livenessProbeType: 'HTTP',
          livenessProbePort: 8080,
          livenessProbeRoute: '/',
        },
      ],
      extraPodLabels: { 'example.com/owner_team': 'web' },
      tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64, nodeLocal: true } },
      extraPodAnnotations: { 'example.com/notes': 'line one\nline two\n' },
    });
    const ns = byName('production-us-east-2-workloads').modules[0];
    expect(ns.props).toEqual({ namespace: 'web', adminGroups: ['platform-admins'] });
    expect(ns.ignoredInputs).toEqual(['pull_through_cache_enabled']); // extra_inputs the module has no prop for
  });

  test('synthesizes: backend and providers from the YAML, objects from the constructs', () => {
    const prod = JSON.parse(Testing.synth(byName('production-us-east-2-workloads').stack, true));
    expect(prod.terraform.backend.s3).toMatchObject({
      bucket: 'acme-production-tf-state',
      key: 'production-us-east-2-workloads/terraform.tfstate',
      region: 'us-east-2',
      encrypt: true,
      dynamodb_table: 'acme-production-tf-locks',
    });
    expect(prod.provider.aws[0]).toMatchObject({ region: 'us-east-2', allowed_account_ids: ['333333333333'] });
    const manifests = Object.values(prod.resource.kubernetes_manifest as Record<string, any>).map((r) => r.manifest);
    const deployments = manifests.filter((m) => m.kind === 'Deployment').map((m) => m.metadata.name).sort();
    expect(deployments).toEqual(['web', 'worker']);
    const web = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'web');
    expect(web.spec.replicas).toBe(2);
    expect(web.spec.template.metadata.labels['example.com/owner_team']).toBe('web');
    expect(manifests.some((m) => m.kind === 'Namespace' && m.metadata.name === 'web')).toBe(true);
    const cron = manifests.find((m) => m.kind === 'CronJob');
    expect(cron.metadata.name).toBe('nightly-report');
    expect(cron.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid' });
    expect(Object.keys(prod.resource.aws_iam_role ?? {})).toHaveLength(1);
    const webResource = Object.entries(prod.resource.kubernetes_manifest as Record<string, any>).find(([, r]) => r.manifest.kind === 'Deployment' && r.manifest.metadata.name === 'web')![1];
    expect(JSON.stringify(webResource.depends_on)).toMatch(/kube_namespace/);
  });

  test('only: one environment', () => {
    const stacks = buildStacksFromPanfactumTree(Testing.app(), path.join(FIXTURES, 'good'), { only: ['staging'], stackName: (e, r) => `${e.name}-${r.name}` });
    expect(stacks.map((s) => s.name)).toEqual(['staging-us-east-2']);
  });

  test('every problem of a tree in one error, each with its module path', () => {
    let error: PanfactumImportError | undefined;
    try {
      buildStacksFromPanfactumTree(Testing.app(), path.join(FIXTURES, 'bad'), { displayRoot: ROOT });
    } catch (e) {
      error = e as PanfactumImportError;
    }
    expect(error).toBeInstanceOf(PanfactumImportError);
    const dir = 'test/fixtures/terragrunt/bad/production/us-east-2';
    const lines = error!.problems.map((p) => `${p.where}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^${dir}/aws_eks: not a module terragrunt-compat can build \\(supported: kube_namespace, `)),
        expect.stringMatching(new RegExp(`^${dir}/kube_cron_jobs: not a module`)),
        expect.stringMatching(new RegExp(`^${dir}/kube_deployment: unknown input replcas of kube_deployment \\(did you mean replicas\\?\\)`)),
        expect.stringMatching(new RegExp(`^${dir}/kube_deployment: unknown input containers\\[0\\]\\.image_registri \\(did you mean image_registry\\?\\)`)),
        expect.stringMatching(
          new RegExp(`^${dir}/kube_namespace/terragrunt.hcl:7: extraLabels: dependency\\.vault\\.outputs\\.vault_labels: ${dir}/vault is not a module directory of the loaded environments \\(no such directory\\)`),
        ),
      ]),
    );
    expect(lines.filter((l) => l.includes('; allowed: '))).toEqual([]); // a suggestion replaces the list
    expect(error!.message).toMatch(/^5 problem\(s\) in the Panfactum tree:\n {2}test\/fixtures/);
  });

  test("unsupportedModules: 'skip' records what was left out", () => {
    const root = tmpDir();
    fs.cpSync(path.join(FIXTURES, 'good'), root, { recursive: true });
    fs.mkdirSync(path.join(root, 'development', 'us-east-2', 'aws_eks'));
    fs.writeFileSync(path.join(root, 'development', 'us-east-2', 'aws_eks', 'terragrunt.hcl'), 'inputs = { cluster_name = "x" }\n');
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { only: ['development'] })).toThrow(/aws_eks: not a module/);
    const [dev] = buildStacksFromPanfactumTree(Testing.app(), root, { only: ['development'], unsupportedModules: 'skip', displayRoot: root });
    expect(dev.skipped).toEqual([{ directory: 'development/us-east-2/aws_eks', reason: expect.stringMatching(/^not a module/) }]);
  });

  test('construct validation errors are reported with the module path', () => {
    const root = tmpDir();
    fs.cpSync(path.join(FIXTURES, 'good'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'staging', 'us-east-2', 'kube_namespace', 'terragrunt.hcl'), 'inputs = {\n  namespace = "kube-system"\n}\n');
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { only: ['staging'], displayRoot: root })).toThrow(
      /staging\/us-east-2\/kube_namespace: kube_namespace: .*kube-system/,
    );
  });

  test('an unknown input without a close match lists the allowed inputs', () => {
    const root = tmpDir();
    fs.cpSync(path.join(FIXTURES, 'good'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'staging', 'us-east-2', 'kube_namespace', 'terragrunt.hcl'), 'inputs = {\n  namespace = "web"\n  vault_address = "https://vault"\n}\n');
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { only: ['staging'] })).toThrow(
      /kube_namespace: unknown input vault_address of kube_namespace; allowed: admin_groups, extra_labels, .*reader_groups/,
    );
  });

  test('the same input given as snake_case and camelCase is refused', () => {
    const root = tmpDir();
    fs.cpSync(path.join(FIXTURES, 'good'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'staging', 'us-east-2', 'kube_namespace', 'terragrunt.hcl'), 'inputs = {\n  namespace = "web"\n  admin_groups = []\n  adminGroups = []\n}\n');
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { only: ['staging'] })).toThrow(/inputs admin_groups and adminGroups are the same prop adminGroups/);
  });

  test('a bad YAML file is the environment loader error (file and key)', () => {
    const root = tmpDir();
    fs.cpSync(path.join(FIXTURES, 'good'), root, { recursive: true });
    fs.writeFileSync(path.join(root, 'staging', 'environment.yaml'), 'environment: staging\nsla_target: high\n');
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { displayRoot: root })).toThrow(ConfigError);
    expect(() => buildStacksFromPanfactumTree(Testing.app(), root, { displayRoot: root })).toThrow(/staging\/environment.yaml: sla_target = "high"/);
  });
});

describe('writeTerragruntTree', () => {
  const outdir = tmpDir();
  const target = path.join(tmpDir(), 'terragrunt');
  const written = (() => {
    const app = new App({ outdir, skipValidation: true });
    const stacks = buildStacksFromPanfactumTree(app, path.join(FIXTURES, 'good'));
    const dev = stacks.find((s) => s.name.startsWith('development'))!;
    const prod = stacks.find((s) => s.name.startsWith('production'))!;
    const staging = stacks.find((s) => s.name.startsWith('staging'))!;
    prod.stack.addDependency(staging.stack);
    prod.stack.addDependency(dev.stack);
    app.synth();
    return writeTerragruntTree(outdir, target);
  })();
  const read = (stack: string) => fs.readFileSync(path.join(target, stack, 'terragrunt.hcl'), 'utf8');

  test('one directory per stack, terraform.source relative to the stack output', () => {
    expect(written.map((w) => w.stack)).toEqual(['development-us-east-2-workloads', 'production-us-east-2-workloads', 'staging-us-east-2-workloads']);
    for (const w of written) {
      const hcl = read(w.stack);
      expect(hcl.startsWith(GENERATED_HEADER)).toBe(true);
      const source = /source = "([^"]+)"/.exec(hcl)![1];
      expect(path.isAbsolute(source)).toBe(false);
      expect(fs.existsSync(path.join(path.resolve(target, w.stack, source), 'cdk.tf.json'))).toBe(true);
      expect(parseTerragruntHcl(hcl, w.file).inputs).toBeUndefined(); // well-formed HCL
    }
  });

  test('remote_state from the S3 backend: DynamoDB lock table, or S3 lock files', () => {
    expect(read('production-us-east-2-workloads')).toContain(
      [
        'remote_state {',
        '  backend = "s3"',
        '  config = {',
        '    bucket         = "acme-production-tf-state"',
        '    key            = "production-us-east-2-workloads/terraform.tfstate"',
        '    region         = "us-east-2"',
        '    encrypt        = true',
        '    dynamodb_table = "acme-production-tf-locks"',
        '  }',
        '}',
      ].join('\n'),
    );
    const staging = read('staging-us-east-2-workloads');
    expect(staging).toMatch(/region {7}= "us-west-2"/);
    expect(staging).toMatch(/use_lockfile = true/);
    expect(staging).not.toMatch(/dynamodb_table/);
    expect(read('development-us-east-2-workloads')).not.toMatch(/remote_state/); // local backend
  });

  test('dependency blocks from manifest.json', () => {
    const prod = read('production-us-east-2-workloads');
    expect(prod).toContain('dependency "development-us-east-2-workloads" {\n  config_path  = "../development-us-east-2-workloads"\n  skip_outputs = true\n}');
    expect(prod).toContain('dependency "staging-us-east-2-workloads" {');
    expect(read('staging-us-east-2-workloads')).not.toMatch(/dependency/);
    expect(written.find((w) => w.stack.startsWith('production'))!.dependencies).toEqual(['development-us-east-2-workloads', 'staging-us-east-2-workloads']);
  });

  test('remoteState option overrides; stale generated directories are pruned, others kept', () => {
    const t = tmpDir();
    fs.mkdirSync(path.join(t, 'old-stack'));
    fs.writeFileSync(path.join(t, 'old-stack', 'terragrunt.hcl'), `${GENERATED_HEADER}\n`);
    fs.mkdirSync(path.join(t, 'hand-written'));
    fs.writeFileSync(path.join(t, 'hand-written', 'terragrunt.hcl'), 'inputs = {}\n');
    const out = writeTerragruntTree(outdir, t, { remoteState: (stack) => ({ bucket: 'b-1', region: 'eu-west-1', profile: 'ops', key: `x/${stack}` }) });
    expect(out.every((w) => w.remoteState?.bucket === 'b-1')).toBe(true);
    expect(fs.readFileSync(path.join(t, 'development-us-east-2-workloads', 'terragrunt.hcl'), 'utf8')).toMatch(/profile {6}= "ops"/);
    expect(fs.existsSync(path.join(t, 'old-stack'))).toBe(false);
    expect(fs.existsSync(path.join(t, 'hand-written'))).toBe(true);
  });

  test.each([
    ['no manifest', () => tmpDir(), /manifest.json not found: run the synth first/],
    ['invalid manifest', (d: string) => fs.writeFileSync(path.join(d, 'manifest.json'), '{'), /manifest.json: not valid JSON/],
    ['no stacks', (d: string) => fs.writeFileSync(path.join(d, 'manifest.json'), '{"stacks":{}}'), /manifest.json: no stacks/],
    [
      'unknown dependency',
      (d: string) => fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ stacks: { a: { name: 'a', dependencies: ['b'], synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: 'stacks/a' } } })),
      /stack a depends on b, which is not in the manifest/,
    ],
    [
      'missing cdk.tf.json',
      (d: string) => fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ stacks: { a: { name: 'a', synthesizedStackPath: 'stacks/a/cdk.tf.json', workingDirectory: 'stacks/a' } } })),
      /stacks\/a\/cdk.tf.json not found \(stack a is in the manifest but was not synthesized\)/,
    ],
    [
      'a stack name that is not a directory name',
      (d: string) => fs.writeFileSync(path.join(d, 'manifest.json'), JSON.stringify({ stacks: { a: { name: '../a', synthesizedStackPath: 'x', workingDirectory: 'x' } } })),
      /stack name "\.\.\/a" is not usable as a directory name/,
    ],
  ])('error: %s', (_what, setup, message) => {
    const d = tmpDir();
    const dir = (setup as (d: string) => unknown)(d);
    const out = typeof dir === 'string' ? dir : d;
    expect(() => writeTerragruntTree(out, path.join(tmpDir(), 't'))).toThrow(message);
  });
});

describe('cli', () => {
  test('write: prints each file and the next step; errors exit 1; bad usage exits 2', () => {
    const outdir = tmpDir();
    const app = new App({ outdir, skipValidation: true });
    buildStacksFromPanfactumTree(app, path.join(FIXTURES, 'good'), { only: ['staging'] });
    app.synth();
    const log: string[] = [];
    const target = path.join(tmpDir(), 'tg');
    expect(main(['write', outdir, target], (l) => log.push(l), (l) => log.push(l))).toBe(0);
    expect(log.join('\n')).toMatch(/staging-us-east-2-workloads\/terragrunt.hcl {2}\(s3:\/\/acme-staging-tf-state\/staging-us-east-2-workloads\/terraform.tfstate\)/);
    expect(log.at(-1)).toBe(`next: cd ${target} && terragrunt run-all plan`);
    const err: string[] = [];
    expect(main(['write', tmpDir(), target], () => undefined, (l) => err.push(l))).toBe(1);
    expect(err[0]).toMatch(/manifest.json not found/);
    expect(main(['frobnicate'], () => undefined, (l) => err.push(l))).toBe(2);
    expect(err.at(-1)).toMatch(/^usage:/);
  });

  test('synth: builds, synthesizes and lists the modules of each stack', () => {
    const outdir = tmpDir();
    const log: string[] = [];
    expect(main(['synth', path.join(FIXTURES, 'good'), outdir], (l) => log.push(l), (l) => log.push(l))).toBe(0);
    expect(log).toContain('production-us-east-2-workloads: kube_namespace (kube_namespace), kube_sa_auth_aws (kube_sa_auth_aws), kube_cron_job (kube_cron_job), kube_deployment (kube_deployment), worker (kube_deployment)');
    expect(fs.existsSync(path.join(outdir, 'stacks', 'production-us-east-2-workloads', 'cdk.tf.json'))).toBe(true);
    const err: string[] = [];
    expect(main(['synth', path.join(FIXTURES, 'bad'), tmpDir()], () => undefined, (l) => err.push(l))).toBe(1);
    expect(err[0]).toMatch(/^5 problem\(s\)/);
  });
});
