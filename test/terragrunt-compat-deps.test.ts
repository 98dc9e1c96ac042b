import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import {
  PanfactumImportError,
  convertPanfactumTree,
  formatMigrationPlan,
  migrationPlan,
  parseTerragruntHcl,
  HclRef,
  type PanfactumConversion,
} from '../terragrunt-compat';
import { main } from '../terragrunt-compat/cli';

const REPO = path.join(__dirname, 'fixtures', 'terragrunt', 'repo');
const ENVS = path.join(REPO, 'environments');
const ROOT = path.join(__dirname, '..');
const D = 'test/fixtures/terragrunt/repo/environments';
const EAST = 'production-us-east-2-workloads';
const WEST = 'production-us-west-2-workloads';

function tmpCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-deps-'));
  fs.cpSync(REPO, dir, { recursive: true });
  return path.join(dir, 'environments');
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof PanfactumImportError) return e.problems.map((p) => `${p.where}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`);
    throw e;
  }
  throw new Error('expected a PanfactumImportError');
}

const resources = (json: any, type: string): Record<string, any> => json.resource?.[type] ?? {};
const manifestOf = (json: any, kind: string, name: string): { key: string; value: any } => {
  const hit = Object.entries(resources(json, 'kubernetes_manifest')).find(([, r]: [string, any]) => r.manifest.kind === kind && r.manifest.metadata.name === name);
  if (!hit) throw new Error(`no ${kind} ${name}`);
  return { key: hit[0], value: hit[1] };
};

describe('parseTerragruntHcl: locals, include, dependency', () => {
  test('blocks are read; references stay HclRef; unknown top-level keys are listed', () => {
    const f = parseTerragruntHcl(
      [
        'include "root" {',
        '  path   = find_in_parent_folders("root.hcl")',
        '  expose = true',
        '  merge_strategy = "deep"',
        '}',
        'include {',
        '  path = "../common.hcl"',
        '}',
        'dependency "ns" {',
        '  config_path  = "../kube_namespace"',
        '  mock_outputs = { namespace = "mock" }',
        '  mock_outputs_allowed_terraform_commands = ["validate"]',
        '}',
        'dependencies {',
        '  paths = ["../aws_eks"]',
        '}',
        'locals {',
        '  a = "x"',
        '  b = local.a',
        '  c = run_cmd("pf")',
        '}',
        'prevent_destroy = true',
        'generate "p" {',
        '  path = "p.tf"',
        '}',
        'inputs = {',
        '  namespace = dependency.ns.outputs.namespace',
        '  tag       = local.b',
        '}',
      ].join('\n'),
      'm/terragrunt.hcl',
    );
    expect(f.includes).toEqual([
      { label: 'root', line: 1, path: { find: 'root.hcl' }, expose: true, mergeStrategy: 'deep' },
      { label: '', line: 6, path: { literal: '../common.hcl' }, expose: false, mergeStrategy: 'shallow' },
    ]);
    expect(f.dependencies.ns).toEqual({ name: 'ns', line: 9, configPath: '../kube_namespace', mockOutputs: { namespace: 'mock' }, skipOutputs: false });
    expect(f.dependencyPaths).toEqual(['../aws_eks']);
    expect(f.locals.a).toEqual({ line: 18, value: 'x' });
    expect(f.locals.b.value).toBeInstanceOf(HclRef);
    expect(String(f.locals.b.value)).toBe('local.a');
    expect(f.locals.c.error?.message).toMatch(/^m\/terragrunt.hcl:20: locals\.c: function call run_cmd\(\.\.\.\) is not supported/);
    expect(f.ignored).toEqual([
      { key: 'prevent_destroy', line: 22, kind: 'attribute' },
      { key: 'generate', line: 23, kind: 'block' },
    ]);
    expect(String(f.inputs!.namespace)).toBe('dependency.ns.outputs.namespace');
    expect((f.inputs!.namespace as HclRef).line).toBe(27);
  });

  test.each([
    ['a dependency without config_path', 'dependency "x" {\n}', 1, /dependency "x": config_path is missing/],
    ['a computed config_path', 'dependency "x" {\n  config_path = "${get_terragrunt_dir()}/../x"\n}', 2, /dependency\.x\.config_path: expected a literal path/],
    ['an include without path', 'include "root" {\n}', 1, /include "root": path is missing/],
    ['an unknown include attribute', 'include "root" {\n  path = "x"\n  foo = 1\n}', 3, /include\.root\.foo: not understood/],
    ['a bad merge_strategy', 'include "root" {\n  path = "x"\n  merge_strategy = "wide"\n}', 3, /expected "shallow", "deep" or "no_merge"/],
    ['a local set twice', 'locals {\n  a = 1\n}\nlocals {\n  a = 2\n}', 5, /local\.a: set twice \(first on line 2\)/],
  ])('refuses %s', (_what, src, line, message) => {
    let error: any;
    try {
      parseTerragruntHcl(src, 'm/terragrunt.hcl');
    } catch (e) {
      error = e;
    }
    expect(error?.line).toBe(line);
    expect(error?.message).toMatch(message);
  });
});

describe('a Panfactum repository with include, locals, dependency and pf_stack_version', () => {
  const app = Testing.app();
  const conversion: PanfactumConversion = convertPanfactumTree(app, ENVS, { displayRoot: ROOT, unsupportedModules: 'skip' });
  const stack = (name: string) => conversion.stacks.find((s) => s.name === name)!;
  // app.synth, not Testing.synth per stack: the cross-stack outputs are added while the app synthesizes
  app.synth();
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
  const east = read(EAST);
  const west = read(WEST);

  test('converts: one stack per region, aws_eks skipped, repo_name from panfactum.yaml', () => {
    expect(conversion.repoName).toBe('acme-infra');
    expect(conversion.stacks.map((s) => [s.name, s.modules.map((m) => m.construct.node.id)])).toEqual([
      [EAST, ['kube_namespace', 'kube_sa_auth_aws', 'kube_deployment']],
      [WEST, ['kube_namespace', 'replica']],
    ]);
    expect(stack(EAST).skipped.map((s) => s.directory)).toEqual([`${D}/production/us-east-2/aws_eks`]);
    // the YAML was loaded from a copy without the Panfactum keys; the configs name the original directories
    expect(stack(EAST).region.dir).toBe(path.join(ENVS, 'production', 'us-east-2'));
    expect(stack(EAST).environment.dir).toBe(path.join(ENVS, 'production'));
    expect(stack(EAST).modules.map((m) => m.oldStateKey)).toEqual([
      'acme-infra/production/us-east-2/kube_namespace/terraform.tfstate',
      'acme-infra/production/us-east-2/kube_sa_auth_aws/terraform.tfstate',
      'acme-infra/production/us-east-2/kube_deployment/terraform.tfstate',
    ]);
  });

  test('every dependency reference is resolved, each to what the referenced directory is', () => {
    const refs = conversion.stacks.flatMap((s) => s.modules.flatMap((m) => m.references.map((r) => `${m.construct.node.id}: ${r.input} = ${r.reference} -> ${r.kind} ${r.target}`)));
    expect(refs).toEqual([
      `kube_sa_auth_aws: serviceAccountNamespace = dependency.namespace.outputs.namespace -> attribute ${EAST}/kube_namespace.namespaceName`,
      `kube_sa_auth_aws: eksClusterName = dependency.eks.outputs.cluster_name -> remote-state s3://acme-production-tf-state/acme-infra/production/us-east-2/aws_eks/terraform.tfstate -> cluster_name`,
      `kube_deployment: namespace = dependency.namespace.outputs.namespace -> attribute ${EAST}/kube_namespace`,
      `kube_deployment: extraPodAnnotations.example.com/aws-role = dependency.sa.outputs.role_arn -> attribute ${EAST}/kube_sa_auth_aws.roleArn`,
      `replica: extraPodAnnotations.example.com/aws-role = dependency.sa.outputs.role_arn -> cross-stack ${EAST}/kube_sa_auth_aws.roleArn`,
      `replica: extraPodAnnotations.example.com/home-cluster = dependency.eks.outputs.cluster_name -> remote-state s3://acme-production-tf-state/acme-infra/production/us-east-2/aws_eks/terraform.tfstate -> cluster_name`,
    ]);
    const web = stack(EAST).modules.find((m) => m.construct.node.id === 'kube_deployment')!;
    expect(web.props.namespace).toBeInstanceOf(KubeNamespace); // a construct reference: the workload is applied after its namespace
  });

  test('same stack: the attribute itself (a resource reference for a token)', () => {
    const [roleKey] = Object.keys(resources(east, 'aws_iam_role'));
    const deployment = manifestOf(east, 'Deployment', 'web').value;
    expect(deployment.manifest.spec.template.metadata.annotations['example.com/aws-role']).toBe(`\${aws_iam_role.${roleKey}.arn}`);
    expect(JSON.stringify(deployment.depends_on)).toMatch(/kube_namespace/);
    const sa = Object.values(resources(east, 'kubernetes_annotations'))[0] as any;
    expect(sa.metadata).toEqual({ name: 'web', namespace: 'web' }); // serviceAccountNamespace = the namespace module's attribute
  });

  test('not converted: a terraform_remote_state read of the Panfactum state, typed by mock_outputs', () => {
    const remote = east.data.terraform_remote_state['remote-state-production-us-east-2-aws_eks'];
    expect(remote).toEqual(
      expect.objectContaining({
        backend: 's3',
        config: { bucket: 'acme-production-tf-state', key: 'acme-infra/production/us-east-2/aws_eks/terraform.tfstate', region: 'us-east-2' },
      }),
    );
    const clusters = Object.entries(east.data.aws_eks_cluster as Record<string, any>).filter(([k]) => k.startsWith('kube_sa_auth_aws_'));
    expect(clusters.map(([, v]) => v.name)).toEqual(['${data.terraform_remote_state.remote-state-production-us-east-2-aws_eks.outputs.cluster_name}']);
    const replica = manifestOf(west, 'Deployment', 'web-replica').value;
    expect(replica.manifest.spec.template.metadata.annotations['example.com/home-cluster']).toBe(
      '${data.terraform_remote_state.remote-state-production-us-east-2-aws_eks.outputs.cluster_name}',
    );
  });

  test('another stack: a CDKTF cross-stack output and remote-state read', () => {
    const outputs = Object.entries(east.output ?? {}) as Array<[string, any]>;
    const [roleKey] = Object.keys(resources(east, 'aws_iam_role'));
    const out = outputs.find(([, o]) => o.value === `\${aws_iam_role.${roleKey}.arn}`);
    expect(out).toBeDefined();
    const annotation: string = manifestOf(west, 'Deployment', 'web-replica').value.manifest.spec.template.metadata.annotations['example.com/aws-role'];
    const m = /^\$\{data\.terraform_remote_state\.([^.]+)\.outputs\.([^}]+)\}$/.exec(annotation);
    expect(m).not.toBeNull();
    expect(m![2]).toBe(out![0]);
    expect(west.data.terraform_remote_state[m![1]].config).toMatchObject({ bucket: 'acme-production-tf-state', key: `${EAST}/terraform.tfstate` });
  });

  test('locals, include locals and the root inputs are resolved as terragrunt does', () => {
    const deployment = manifestOf(east, 'Deployment', 'web').value.manifest;
    expect(deployment.spec.template.spec.containers[0].image).toBe('docker.io/nginxinc/nginx-unprivileged:1.27.1'); // local -> include.root.locals
    expect(deployment.spec.template.metadata.labels.team).toBe('web'); // include.root.locals.team
    const web = stack(EAST).modules.find((m) => m.construct.node.id === 'kube_deployment')!;
    expect(web.props.pullThroughCacheEnabled).toBe(true); // root.hcl inputs
    const ns = stack(WEST).modules.find((m) => m.construct.node.id === 'kube_namespace')!;
    expect(ns.ignoredInputs).toEqual(['pull_through_cache_enabled']); // a root input the module has no prop for
    const eastNs = stack(EAST).modules.find((m) => m.construct.node.id === 'kube_namespace')!;
    expect(eastNs.props).toEqual({ namespace: 'web', adminGroups: ['platform-admins'] }); // local.groups.admins
    expect(manifestOf(east, 'RoleBinding', 'namespace:admins').value.manifest.subjects).toEqual([expect.objectContaining({ name: 'platform-admins' })]);
  });

  test('Panfactum keys and inputs are warnings, each with its file and line', () => {
    expect(conversion.warnings.map((w) => `${w.where}${w.line !== undefined ? `:${w.line}` : ''}: ${w.message.split(':')[0]}`)).toEqual([
      `${D}/global.yaml:1: pf_stack_version is not used`,
      `${D}/global.yaml:2: pf_stack_edition is not used`,
      `${D}/global.yaml:3: kube_domain is not used`,
      `${D}/production/environment.yaml:7: tf_state_profile is not used`,
      `${D}/production/us-east-2/region.yaml:2: kube_name (Panfactum) is read as kube_cluster_name`,
      `${D}/production/us-west-2/region.yaml:2: aws_secondary_region is not used`,
      `${D}/panfactum.hcl: the Panfactum root file is not evaluated`,
      `${D}/production/us-east-2/kube_deployment/terragrunt.hcl:22: prevent_destroy is not used`,
      `${D}/root.hcl:7: remote_state is not used`,
      `${D}/production/us-east-2/kube_deployment: input pf_stack_edition is not used`,
      `${D}/production/us-east-2/kube_namespace: input pf_stack_version is not used`,
    ]);
    expect(east.data.aws_eks_cluster.cluster.name).toBe('production-primary'); // kube_name was read
  });

  test('migration plan: old Panfactum addresses, new addresses of the synthesized stack, commands in order', () => {
    const plans = migrationPlan(conversion);
    const web = plans.find((p) => p.directory === `${D}/production/us-east-2/kube_deployment`)!;
    expect(web.oldState).toBe('s3://acme-production-tf-state/acme-infra/production/us-east-2/kube_deployment/terraform.tfstate');
    expect(web.oldResources.map((r) => [r.address, r.object, r.name, r.adoptedBy !== undefined])).toEqual([
      ['random_id.deployment_id', 'random_id', undefined, false],
      ['module.pod_template.module.util.random_id.match_id', 'random_id', undefined, false],
      ['module.pod_template.kubernetes_role.pod_reader[0]', 'Role', undefined, false],
      ['module.pod_template.kubernetes_role_binding.pod_reader[0]', 'RoleBinding', undefined, false],
      ['kubernetes_service_account.service_account', 'ServiceAccount', undefined, false],
      ['kubectl_manifest.deployment', 'Deployment', 'web', true],
      ['module.service[0].kubectl_manifest.service', 'Service', 'web', true],
      ['kubectl_manifest.vpa[0]', 'VerticalPodAutoscaler', 'web', true],
      ['kubectl_manifest.pdb', 'PodDisruptionBudget', 'web-pdb', true],
    ]);
    // every new address is a resource of the synthesized stack, and each import id names the object that resource applies
    for (const n of web.newResources) {
      const [type, name] = n.address.split('.');
      expect(east.resource[type][name]).toBeDefined();
      if (n.importId) {
        const o = east.resource[type][name].manifest;
        expect(n.importId).toBe(`apiVersion=${o.apiVersion},kind=${o.kind},namespace=${o.metadata.namespace},name=${o.metadata.name}`);
      }
    }
    const deploymentKey = manifestOf(east, 'Deployment', 'web').key;
    expect(web.newResources.find((n) => n.adopts === 'kubectl_manifest.deployment')!.address).toBe(`kubernetes_manifest.${deploymentKey}`);
    const dir = `${D}/production/us-east-2/kube_deployment`;
    // the order of docs/migration.md: adopt in two applies (a plain terraform import of a kubernetes_manifest
    // breaks its first update), then empty the old state (never terragrunt destroy), then delete leftovers
    expect(web.commands).toEqual([
      '# 1. adopt the live Kubernetes objects in two applies (docs/migration.md, "The cdktf-golden-path adopt command"): synthesize with adoption (adopt_existing: true), which writes these import blocks',
      ...['Deployment', 'Service', 'VerticalPodAutoscaler', 'PodDisruptionBudget'].map((k) => expect.stringMatching(new RegExp(`^# {4}import \\{ to = kubernetes_manifest\\.kube_deployment_${k}_[0-9A-F]{8}  id = "apiVersion=`))),
      'npx cdktf synth',
      `npx cdktf-golden-path adopt --stack ${EAST}`,
      `(cd cdktf.out/stacks/${EAST} && terraform init && terraform plan -out=import.plan && terraform apply import.plan)`,
      `npx cdktf-golden-path adopt --stack ${EAST} --after-import`,
      'npx cdktf synth',
      '# 2. plan and apply the new stack: 4 adopted, 3 to add, 0 to destroy (stop on any replacement)',
      `npx cdktf deploy ${EAST}`,
      '# 3. note the live names of what is not adopted, to delete once nothing uses it (step 5)',
      `(cd ${dir} && terragrunt state show 'module.pod_template.kubernetes_role.pod_reader[0]')`,
      `(cd ${dir} && terragrunt state show 'module.pod_template.kubernetes_role_binding.pod_reader[0]')`,
      `(cd ${dir} && terragrunt state show 'kubernetes_service_account.service_account')`,
      '# 4. take every resource of the module out of its old state; never terragrunt destroy (it would delete the adopted objects)',
      ...web.oldResources.map((r) => `(cd ${dir} && terragrunt state rm '${r.address}')`),
      `# 5. after verifying (docs/migration.md step 7), delete the objects noted in step 3 (kubectl delete / aws iam) and retire ${dir}`,
    ]);
    expect(web.newResources.filter((n) => !n.adopts).map((n) => n.object)).toEqual(['ServiceAccount', 'Role', 'RoleBinding']);
    expect(web.newResources.find((n) => n.object === 'ServiceAccount')!.note).toMatch(/^kubernetes_service_account\.service_account has a random or computed name: if terragrunt state show there shows web\/web-[0-9a-f]{8}, import it instead/);

    const sa = plans.find((p) => p.directory.endsWith('us-east-2/kube_sa_auth_aws'))!;
    expect(sa.oldResources.map((r) => r.address)).toEqual([
      'aws_iam_policy.service_account',
      'aws_iam_role.service_account',
      'aws_iam_policy_attachment.service_account',
      'aws_iam_policy.ip_blocks',
      'aws_iam_policy_attachment.ip_blocks',
      'kubernetes_annotations.service_account[0]',
    ]);
    expect(sa.newResources.every((n) => !n.adopts)).toBe(true); // Panfactum's role uses name_prefix: nothing is adopted blindly
    const ns = plans.find((p) => p.directory.endsWith('us-east-2/kube_namespace'))!;
    expect(ns.oldResources.filter((r) => r.adoptedBy).map((r) => r.address)).toEqual([
      'kubernetes_namespace.main',
      'kubernetes_role.admins',
      'kubernetes_role_binding.admins[0]',
      'kubernetes_role.readers',
      'kubernetes_role_binding.readers[0]',
    ]);
    const text = formatMigrationPlan(plans);
    expect(text).toContain(`${dir} (kube_deployment -> stack ${EAST})\n  old state: s3://acme-production-tf-state/acme-infra/production/us-east-2/kube_deployment/terraform.tfstate\n  old addresses:\n    random_id.deployment_id  [random_id]  -> state only (no live object)`);
    expect(text).toContain('    kubernetes_service_account.service_account  [ServiceAccount]  -> not adopted: delete it after the migration');
    expect(text).toContain(`    kubectl_manifest.deployment  [Deployment web]  -> adopted by kubernetes_manifest.${deploymentKey}`);
    expect(text).toContain('#    import { to = kubernetes_manifest.');
  });
});

describe('migration plan with the Panfactum names read from the old state', () => {
  test('panfactum_names in module.yaml: the ServiceAccount and pod-reader RBAC are adopted too', () => {
    const root = tmpCopy();
    fs.writeFileSync(
      path.join(root, 'production', 'us-east-2', 'kube_deployment', 'module.yaml'),
      'inputs:\n  panfactum_names:\n    id: 0123456789abcdef\n    role_name: web-x7k2p\n    role_binding_name: web-q9m4t\n',
    );
    const conversion = convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip' });
    const web = migrationPlan(conversion).find((p) => p.directory.endsWith('us-east-2/kube_deployment'))!;
    expect(web.oldResources.filter((r) => !r.adoptedBy).map((r) => r.address)).toEqual(['random_id.deployment_id', 'module.pod_template.module.util.random_id.match_id']);
    expect(web.newResources.filter((n) => n.adopts).map((n) => [n.object, n.name])).toEqual([
      ['ServiceAccount', 'web/0123456789abcdef'],
      ['Role', 'web/web-x7k2p'],
      ['RoleBinding', 'web/web-q9m4t'],
      ['Deployment', 'web/web'],
      ['PodDisruptionBudget', 'web/web-pdb'],
      ['VerticalPodAutoscaler', 'web/web'],
      ['Service', 'web/web'],
    ]);
    expect(web.commands).not.toContainEqual(expect.stringMatching(/terragrunt state show/)); // nothing left to delete
  });
});

describe('references that cannot be resolved are refused, never dropped', () => {
  const write = (root: string, rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const nsHcl = (inputs: string, extra = '') => `${extra}\ndependency "ns" {\n  config_path = "../kube_namespace"\n}\ninputs = {\n${inputs}\n}\n`;

  test.each([
    ['an output the module does not declare', nsHcl('  namespace = dependency.ns.outputs.labels\n  name = "w"\n  containers = []'), /kube_deployment\/terragrunt.hcl:6: namespace: dependency\.ns\.outputs\.labels: kube_namespace has no output labels \(its outputs: namespace\)/],
    ['an undeclared dependency', 'inputs = {\n  namespace = dependency.nope.outputs.namespace\n}', /terragrunt.hcl:2: inputs\.namespace: dependency\.nope\.outputs\.namespace: no dependency "nope" block in this file/],
    ['reading inside an output', nsHcl('  namespace = dependency.ns.outputs.namespace.name'), /reading inside an output \(\.<attribute>\) is not supported/],
    ['skip_outputs', 'dependency "ns" {\n  config_path = "../kube_namespace"\n  skip_outputs = true\n}\ninputs = {\n  namespace = dependency.ns.outputs.namespace\n}', /has skip_outputs = true/],
    ['an undefined local', 'inputs = {\n  namespace = local.nope\n}', /terragrunt.hcl:2: inputs\.namespace: local\.nope: no local "nope"/],
    ['a local that calls a function', 'locals {\n  ns = get_env("NS")\n}\ninputs = {\n  namespace = local.ns\n}', /terragrunt.hcl:2: locals\.ns: function call get_env\(\.\.\.\) is not supported; .* \(needed by local\.ns at .*terragrunt.hcl:5\)/],
    ['a cycle of locals', 'locals {\n  a = local.b\n  b = local.a\n}\ninputs = {\n  namespace = local.a\n}', /locals refer to each other in a cycle \(a -> b -> a\)/],
    ['dependency outputs in locals', nsHcl('  namespace = local.ns', 'locals {\n  ns = dependency.ns.outputs.namespace\n}'), /dependency outputs can only be used in inputs/],
    ['include locals without expose', 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\ninputs = {\n  namespace = include.root.locals.team\n}', /include "root" needs expose = true/],
    ['a panfactum.hcl local (not evaluated)', 'include "panfactum" {\n  path = find_in_parent_folders("panfactum.hcl")\n  expose = true\n}\ninputs = {\n  namespace = include.panfactum.locals.module\n}', /panfactum.hcl:7: locals\.module: function call basename\(\.\.\.\) is not supported/],
    ['an include that is not found', 'include "root" {\n  path = find_in_parent_folders("nope.hcl")\n}\ninputs = {}', /terragrunt.hcl:1: include: find_in_parent_folders\("nope.hcl"\) finds no nope.hcl in the directories above/],
  ])('%s', (_what, hcl, message) => {
    const root = tmpCopy();
    write(root, 'production/us-east-2/kube_deployment/terragrunt.hcl', hcl);
    expect(problems(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip', displayRoot: root })).join('\n')).toMatch(message);
  });

  test('a declared output without a construct attribute (kube_ingress cdn_origin_configs)', () => {
    const root = tmpCopy();
    write(root, 'production/us-east-2/kube_ingress/terragrunt.hcl', 'inputs = {\n  namespace = "web"\n  name = "web"\n  domains = ["web.acme.example.com"]\n  ingress_configs = [{ path_prefix = "/", service = "web", service_port = 80 }]\n}\n');
    write(root, 'production/us-east-2/kube_deployment/terragrunt.hcl', 'dependency "ing" {\n  config_path = "../kube_ingress"\n}\ninputs = {\n  namespace = "web"\n  name = "web"\n  containers = []\n  extra_pod_annotations = { x = dependency.ing.outputs.cdn_origin_configs }\n}\n');
    expect(problems(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip', displayRoot: root })).join('\n')).toMatch(
      /kube_ingress declares output cdn_origin_configs but KubeIngress has no attribute with the same value; its Panfactum state goes away with the migration/,
    );
  });

  test('a remote-state read needs the repo_name of the state keys', () => {
    const root = tmpCopy();
    fs.rmSync(path.join(root, '..', 'panfactum.yaml'));
    const lines = problems(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip', displayRoot: root }));
    expect(lines).toEqual([
      expect.stringMatching(/^production\/us-east-2\/kube_sa_auth_aws\/terragrunt.hcl:19: eksClusterName: dependency\.eks\.outputs\.cluster_name: production\/us-east-2\/aws_eks is not converted, .*pass repoName/),
      expect.stringMatching(/^production\/us-west-2\/replica\/terragrunt.hcl:24: extraPodAnnotations\.example\.com\/home-cluster: /),
    ]);
    expect(convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip', repoName: 'other' }).stacks[0].modules[1].oldStateKey).toBe('other/production/us-east-2/kube_sa_auth_aws/terraform.tfstate');
  });

  test('a dependency cycle between converted modules', () => {
    const root = tmpCopy();
    write(root, 'production/us-east-2/kube_namespace/terragrunt.hcl', 'dependency "d" {\n  config_path = "../kube_deployment"\n}\ninputs = {\n  namespace = "web"\n}\n');
    expect(problems(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip' })).join('\n')).toMatch(/dependency cycle: .*kube_namespace -> .*kube_deployment -> .*kube_namespace/);
  });

  test('an unknown input is still refused; a YAML key Panfactum does not have either', () => {
    const root = tmpCopy();
    write(root, 'production/us-west-2/kube_namespace/terragrunt.hcl', 'inputs = {\n  namespace = "web"\n  pf_stack_versoin = "x"\n}\n');
    expect(problems(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip' })).join('\n')).toMatch(/unknown input pf_stack_versoin of kube_namespace/);
    fs.appendFileSync(path.join(root, 'global.yaml'), 'kube_clustr_name: x\n');
    expect(() => convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip', displayRoot: root })).toThrow(/^global.yaml: kube_clustr_name = "x": unknown key/m);
  });

  test('merge_strategy deep merges the root inputs into the module inputs', () => {
    const root = tmpCopy();
    write(root, 'root.hcl', 'locals {\n  registry = "docker.io"\n  team = "web"\n}\ninputs = {\n  extra_pod_labels = { team = "web" }\n}\n');
    write(
      root,
      'production/us-west-2/replica/terragrunt.hcl',
      'terraform {\n  source = "github.com/Panfactum/stack.git//packages/infrastructure/kube_deployment"\n}\ninclude "root" {\n  path = find_in_parent_folders("root.hcl")\n  merge_strategy = "deep"\n}\ninputs = {\n  namespace = "web"\n  name = "r"\n  containers = [{ name = "c", image_registry = "docker.io", image_repository = "a/b", image_tag = "1" }]\n  extra_pod_labels = { tier = "api" }\n}\n',
    );
    const c = convertPanfactumTree(Testing.app(), root, { unsupportedModules: 'skip' });
    expect(c.stacks[1].modules.find((m) => m.construct.node.id === 'replica')!.props.extraPodLabels).toEqual({ team: 'web', tier: 'api' });
  });
});

describe('cli plan', () => {
  test('prints the warnings, the references and the migration plan', () => {
    const log: string[] = [];
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-plan-'));
    expect(main(['plan', '--skip-unsupported', ENVS, outdir], (l) => log.push(l), (l) => log.push(l))).toBe(0);
    const text = log.join('\n');
    expect(text).toMatch(/^warning: .*global.yaml:1: pf_stack_version is not used/m);
    expect(text).toMatch(/replica: extraPodAnnotations\.example\.com\/aws-role = dependency\.sa\.outputs\.role_arn -> cross-stack/);
    expect(text).toContain('Migration plan (docs/terragrunt.md, docs/migration.md):');
    expect(text).toMatch(/terragrunt state rm 'kubernetes_namespace\.main'/);
    expect(fs.existsSync(path.join(outdir, 'stacks', WEST, 'cdk.tf.json'))).toBe(true);
    const err: string[] = [];
    expect(main(['plan', ENVS, outdir], () => undefined, (l) => err.push(l))).toBe(1); // aws_eks without --skip-unsupported
    expect(err.join('\n')).toMatch(/aws_eks: not a module terragrunt-compat can build/);
  });
});
