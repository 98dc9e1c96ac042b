/**
 * The adopt phase of `npm run e2e` (docs/migration.md, issue 18): a namespace and a workload
 * deployed "the Panfactum way" are adopted by this library without being replaced.
 *
 *   1. the local kube-apiserver gets the objects Panfactum's kube_namespace and kube_deployment
 *      create for a small fixture, made the way those modules make them: typed resources of the
 *      kubernetes provider (plain creates; the pod-reader Role, RoleBinding and Secret with
 *      `generate_name`, so their names are random, as in a real cluster) and kubectl
 *      server-side apply (field manager `kubectl`) for the Deployment, PDB and Service;
 *   2. a fixture stack (KubeNamespace + KubeDeployment with `panfactumNames`, and one ConfigMap
 *      that does not exist yet) is synthesized with `adopt(stack)`;
 *   3. `cdktf-golden-path adopt` (lib/cli/adopt.ts) asks the cluster which imported objects
 *      exist, removes the import of the one that does not, and writes the import step (imported
 *      objects applied as they are live);
 *   4. import step: plan (only imports, in-place updates and the create of the missing ConfigMap;
 *      no create of an object that exists, no destroy, no replacement), apply, uids unchanged;
 *   5. `cdktf-golden-path adopt --after-import`: the library's field manager owns the objects
 *      alone, and the state is prepared for the update (docs/migration.md says why);
 *   6. update step (the synthesized stack again): plan (in-place updates only), apply, uids
 *      unchanged;
 *   7. the last plan is empty.
 *
 * Run for Terraform and OpenTofu, each in its own namespace. Prints the plan counts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { adopt, adoptionReport } from '../../lib/app/adopt';
import { adoptCommand } from '../../lib/cli/adopt';
import { KubeConfigMap } from '../../lib/constructs/kube-config-map';
import { KubeDeployment } from '../../lib/constructs/kube-deployment';
import { KubeNamespace } from '../../lib/constructs/kube-namespace';
import { EnvironmentContext } from '../../lib/core/context';
import { Cli, runCli } from '../support/terraform-cli';
import { CONTEXT, LOCAL_BACKEND, installCrds, writeHome } from './apply';
import { ControlPlane, findControlPlaneBinary, startControlPlane, SETUP_COMMAND as CONTROL_PLANE_SETUP } from './control-plane';
import { BuiltProvider, realProviderMirror } from './providers';
import { Report } from './report';
import { SynthesizedStack } from './stacks';
import { failureText, prepareStackDir } from './validate';

export interface AdoptPhaseContext {
  readonly work: string;
  readonly clis: readonly Cli[];
  readonly providers: readonly BuiltProvider[];
  readonly report: Report;
}

/** The random_id hex Panfactum's kube_deployment drew for the fixture workload. */
export const FIXTURE_ID = '9f2c4e1ab3d07765';
const WORKLOAD = 'web';
const IMAGE = { registry: 'docker.io', repository: 'nginxinc/nginx-unprivileged', tag: '1.27.1' };

export async function runAdoptPhase(ctx: AdoptPhaseContext): Promise<void> {
  const { report } = ctx;
  const binary = findControlPlaneBinary();
  if (!binary) {
    report.fail('adopt', '-', 'find the control plane', `kube-apiserver is not built: run \`npm run e2e:setup\` (or ${CONTROL_PLANE_SETUP})`);
    return;
  }
  if (!ctx.providers.some((p) => p.type === 'kubernetes') || ctx.clis.length === 0) {
    report.fail('adopt', '-', 'adopt phase', 'the adopt phase did not run: the kubernetes provider or a CLI is missing (npm run e2e:setup)');
    return;
  }
  const work = path.join(ctx.work, 'adopt');
  fs.mkdirSync(work, { recursive: true });
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane({ workDir: path.join(work, 'control-plane'), controllerManager: true, timeoutMs: 30 * 60_000, binary, extraApiserverArgs: ['--service-cluster-ip-range=172.20.0.0/16'] });
    console.log(`adopt: control plane ${cp.server} ready in ${(cp.timings.totalMs / 1000).toFixed(1)} s`);
    await installCrds(cp, report);
    const home = writeHome(path.join(work, 'home'), cp);
    const cliConfig = realProviderMirror(path.join(work, 'mirror'), ctx.providers);
    const env = { HOME: home, KUBE_CONFIG_PATH: path.join(home, '.kube', 'config'), TF_CLI_CONFIG_FILE: cliConfig };
    for (const cli of ctx.clis) await adoptWithCli(cli, cp, path.join(work, cli.name), home, env, ctx.providers, report);
  } catch (error) {
    report.fail('adopt', '-', 'adopt phase', error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await cp?.stop();
    if (cp && !cp.processesGone()) report.fail('adopt', '-', 'stop the control plane', 'a control-plane process is still running after stop()');
  }
}

// ---------------------------------------------------------------------------------------------
// 1. The objects as Panfactum's modules create them

/** pf_kube_labels for a module (the provider config of a typical environment). */
function pfLabels(module: string): Record<string, string> {
  return {
    'panfactum.com/local': 'false',
    'panfactum.com/environment': 'production',
    'panfactum.com/region': 'us-east-2',
    'panfactum.com/root-module': module,
    'panfactum.com/stack-version': 'edge.25-04-03',
    'panfactum.com/stack-commit': 'local',
    'panfactum.com/module': module,
  };
}

/** What kube_pod / kube_workload_utility put on the pods and the workload's objects. */
function podLabels(): Record<string, string> {
  return {
    ...pfLabels('kube_deployment'),
    'panfactum.com/workload': WORKLOAD,
    'panfactum.com/prevent-lifetime-eviction': 'false',
    'panfactum.com/scheduler-enabled': 'false',
    'panfactum.com/pull-through-cache-enabled': 'false',
    'panfactum.com/arm64-enabled': 'false',
    id: FIXTURE_ID,
  };
}

/** The fixture's objects, in the order the modules create them; `names` receives the generated names. */
async function deployThePanfactumWay(cp: ControlPlane, ns: string, report: Report, cli: string): Promise<{ roleName: string; roleBindingName: string; secretName: string }> {
  const create = async (urlPath: string, body: any, fieldManager = 'HashiCorp') => {
    const res = await cp.request('POST', `${urlPath}?fieldManager=${fieldManager}`, body);
    if (res.status >= 300) throw new Error(`create ${body.kind} ${body.metadata.name ?? body.metadata.generateName}: ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`);
    return res.body;
  };
  // kubectl_manifest with server_side_apply = true, force_conflicts = true
  const serverSideApply = async (urlPath: string, body: any) => {
    const res = await cp.request('PATCH', `${urlPath}/${body.metadata.name}?fieldManager=kubectl&force=true`, body, { 'Content-Type': 'application/apply-patch+yaml' });
    if (res.status >= 300) throw new Error(`apply ${body.kind} ${body.metadata.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 600)}`);
    return res.body;
  };
  const nsLabels = pfLabels('kube_namespace');
  // kube_namespace: kubernetes_namespace, two Roles and two RoleBindings (typed resources)
  await create('/api/v1/namespaces', {
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: ns, labels: { ...nsLabels, 'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled', 'loadbalancer/enabled': 'false', name: ns, 'monitoring/enabled': 'true' }, annotations: { 'linkerd.io/inject': 'enabled' } },
  });
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  await create(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'namespace:admin', namespace: ns, labels: nsLabels }, rules: [{ apiGroups: ['', '*'], resources: ['*'], verbs: ['*'] }] });
  await create(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'namespace:reader', namespace: ns, labels: nsLabels }, rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }] });
  for (const [binding, role, group] of [['namespace:admins', 'namespace:admin', 'system:admins'], ['namespace:readers', 'namespace:reader', 'system:readers']]) {
    await create(`${rbac}/rolebindings`, {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: binding, namespace: ns, labels: nsLabels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: group }],
    });
  }
  // kube_deployment: random_id, the ServiceAccount <hex>, kube_pod's Secret / Role / RoleBinding
  // (generate_name "<name>-"), then the Deployment, Service, VPA and PDB.
  const labels = podLabels();
  const utilLabels = { ...pfLabels('kube_pod'), 'panfactum.com/workload': WORKLOAD, id: FIXTURE_ID };
  await create(`/api/v1/namespaces/${ns}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: FIXTURE_ID, namespace: ns, labels } });
  const secret = await create(`/api/v1/namespaces/${ns}/secrets`, { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { generateName: `${WORKLOAD}-`, namespace: ns, labels: utilLabels }, data: { TOKEN: Buffer.from('s3cr3t').toString('base64') } });
  const role = await create(`${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { generateName: `${WORKLOAD}-`, namespace: ns, labels: utilLabels }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'get'] }] });
  const roleBinding = await create(`${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { generateName: `${WORKLOAD}-`, namespace: ns, labels: utilLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name }, subjects: [{ kind: 'ServiceAccount', name: FIXTURE_ID, namespace: ns }],
  });
  const image = `${IMAGE.registry}/${IMAGE.repository}:${IMAGE.tag}`;
  await serverSideApply(`/apis/apps/v1/namespaces/${ns}/deployments`, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: WORKLOAD, namespace: ns, labels, annotations: { 'reloader.stakater.com/auto': 'true' } },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      selector: { matchLabels: { id: FIXTURE_ID } },
      template: {
        metadata: { labels },
        spec: {
          serviceAccountName: FIXTURE_ID,
          securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app', image, imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
            env: [{ name: 'TOKEN', valueFrom: { secretKeyRef: { name: secret.metadata.name, key: 'TOKEN', optional: false } } }],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] } },
            resources: { requests: { memory: '128Mi', cpu: '10m' }, limits: { memory: '167Mi' } },
          }],
        },
      },
    },
  });
  await serverSideApply(`/api/v1/namespaces/${ns}/services`, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: WORKLOAD, namespace: ns, labels },
    spec: { type: 'ClusterIP', selector: { id: FIXTURE_ID }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] },
  });
  // kubectl_manifest.vpa has no server_side_apply: a client-side create by kubectl
  await create(`/apis/autoscaling.k8s.io/v1/namespaces/${ns}/verticalpodautoscalers`, {
    apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: WORKLOAD, namespace: ns, labels },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: WORKLOAD }, updatePolicy: { updateMode: 'Auto' }, resourcePolicy: { containerPolicies: [{ containerName: 'app', minAllowed: { memory: '128Mi', cpu: '10m' } }] } },
  }, 'kubectl');
  await serverSideApply(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, {
    apiVersion: 'policy/v1', kind: 'PodDisruptionBudget',
    metadata: {
      name: `${WORKLOAD}-pdb`, namespace: ns, labels: { ...labels, 'panfactum.com/voluntary-disruption-window-id': 'false' },
      annotations: { 'panfactum.com/voluntary-disruption-window-max-unavailable': '1', 'panfactum.com/voluntary-disruption-window-seconds': '3600' },
    },
    spec: { selector: { matchLabels: { id: FIXTURE_ID } }, maxUnavailable: 1 },
  });
  report.pass(`adopt ${ns}`, cli, 'deploy the Panfactum way', `Namespace + 4 RBAC, ServiceAccount ${FIXTURE_ID}, Secret ${secret.metadata.name}, Role ${role.metadata.name}, RoleBinding ${roleBinding.metadata.name}, Deployment, Service, VPA, PDB`);
  return { roleName: role.metadata.name, roleBindingName: roleBinding.metadata.name, secretName: secret.metadata.name };
}

// ---------------------------------------------------------------------------------------------
// 2. The fixture stack, adopted

function synthesizeFixture(outdir: string, ns: string, names: { roleName: string; roleBindingName: string; secretName: string }): { stack: SynthesizedStack; imported: number; notAdoptable: string[] } {
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir, skipValidation: false });
  const stack = new TerraformStack(app, `adopt-${ns}`);
  new KubernetesProvider(stack, 'kubernetes', { configContext: CONTEXT });
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 1 });
  const namespace = new KubeNamespace(stack, 'namespace', { namespace: ns });
  new KubeDeployment(stack, WORKLOAD, {
    namespace,
    name: WORKLOAD,
    replicas: 2,
    panfactumNames: { id: FIXTURE_ID, ...names },
    commonSecrets: { TOKEN: 's3cr3t' },
    containers: [{
      name: 'app', imageRegistry: IMAGE.registry, imageRepository: IMAGE.repository, imageTag: IMAGE.tag, minimumMemory: 128,
      ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/healthz',
    }],
  });
  // New with the migration: not in the cluster yet, so its import is removed by `adopt` (step 3).
  new KubeConfigMap(stack, 'settings', { namespace, name: `${WORKLOAD}-settings`, data: { LOG_LEVEL: 'info' } });
  adopt(stack);
  app.synth();
  const report = adoptionReport(stack);
  const dir = path.join(outdir, 'stacks', stack.node.id);
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  return { stack: { name: stack.node.id, dir, json, kind: 'corpus' }, imported: report.imported.length, notAdoptable: report.notAdoptable.map((e) => `${e.address}: ${e.reason}`) };
}

// ---------------------------------------------------------------------------------------------
// 3-6. Filter, plan, apply, replan

interface PlanCounts {
  imports: number;
  importsUnchanged: number;
  updates: number;
  updated: string[];
  creates: string[];
  deletes: string[];
  replaces: string[];
}

async function planCounts(cli: Cli, dir: string, env: Record<string, string>): Promise<{ counts?: PlanCounts; code: number; error?: string }> {
  const plan = await runCli(cli, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=adopt.plan'], { cwd: dir, env, timeoutMs: 900_000 });
  if (plan.code === 1) return { code: 1, error: failureText(plan.stderr + plan.stdout, 60) };
  const show = await runCli(cli, ['show', '-json', 'adopt.plan'], { cwd: dir, env, timeoutMs: 300_000 });
  const parsed = JSON.parse(show.stdout);
  const counts: PlanCounts = { imports: 0, importsUnchanged: 0, updates: 0, updated: [], creates: [], deletes: [], replaces: [] };
  for (const rc of parsed.resource_changes ?? []) {
    const actions: string[] = rc.change.actions;
    if (rc.change.importing) {
      counts.imports++;
      if (actions.length === 1 && actions[0] === 'no-op') counts.importsUnchanged++;
    }
    if (actions.includes('delete') && actions.includes('create')) counts.replaces.push(rc.address);
    else if (actions.includes('delete')) counts.deletes.push(rc.address);
    else if (actions.includes('create')) counts.creates.push(rc.address);
    else if (actions.includes('update')) {
      counts.updates++;
      counts.updated.push(rc.address);
    }
  }
  return { counts, code: plan.code };
}

/** uid of every object the stack imports, read from the API server. */
async function liveUids(cp: ControlPlane, json: any): Promise<Map<string, string>> {
  const uids = new Map<string, string>();
  for (const [name, r] of Object.entries<any>(json.resource?.kubernetes_manifest ?? {})) {
    const m = r.manifest;
    const plural = PLURALS[m.kind];
    if (!plural) continue;
    const base = m.apiVersion.includes('/') ? `/apis/${m.apiVersion}` : `/api/${m.apiVersion}`;
    const res = await cp.request('GET', `${base}${m.metadata.namespace ? `/namespaces/${m.metadata.namespace}` : ''}/${plural}/${m.metadata.name}`);
    if (res.status === 200) uids.set(`kubernetes_manifest.${name}`, res.body.metadata.uid);
  }
  return uids;
}

const PLURALS: Record<string, string> = {
  Namespace: 'namespaces', Role: 'roles', RoleBinding: 'rolebindings', ServiceAccount: 'serviceaccounts', Deployment: 'deployments',
  Service: 'services', VerticalPodAutoscaler: 'verticalpodautoscalers', PodDisruptionBudget: 'poddisruptionbudgets', ConfigMap: 'configmaps',
};

async function adoptWithCli(cli: Cli, cp: ControlPlane, dir: string, home: string, env: Record<string, string>, providers: readonly BuiltProvider[], report: Report): Promise<void> {
  const ns = `pf-shop-${cli.name}`;
  const label = `adopt ${ns}`;
  const names = await deployThePanfactumWay(cp, ns, report, cli.name);
  const outdir = path.join(dir, 'cdktf.out');
  const fixture = synthesizeFixture(outdir, ns, names);
  report.pass(label, cli.name, 'synth with adoption', `${fixture.imported} import block(s)${fixture.notAdoptable.length > 0 ? `, not adoptable: ${fixture.notAdoptable.join('; ')}` : ''}`);

  // 3. Only the imports of objects that exist (the kubeconfig of the local cluster).
  const lines: string[] = [];
  const code = await adoptCommand(['--stack', fixture.stack.name, '--out', outdir, '--kubeconfig', path.join(home, '.kube', 'config'), '--context', CONTEXT], (l) => lines.push(l));
  const filtered = JSON.parse(fs.readFileSync(path.join(fixture.stack.dir, 'cdk.tf.json'), 'utf8'));
  const missing = lines.filter((l) => l.startsWith('missing')).map((l) => l.split(/\s+/)[1]);
  const configMapAddress = Object.entries<any>(filtered.resource.kubernetes_manifest).find(([, r]) => r.manifest.kind === 'ConfigMap')?.[0];
  const summary = lines.find((l) => l.includes(' exist (imported)')) ?? lines.join(' | ');
  if (code !== 0 || missing.length !== 1 || missing[0] !== `kubernetes_manifest.${configMapAddress}`) {
    report.fail(label, cli.name, 'adopt --kubeconfig', `expected exactly the ConfigMap to be missing (kubernetes_manifest.${configMapAddress}); got exit ${code}:\n${lines.join('\n')}`);
    return;
  }
  report.pass(label, cli.name, 'adopt --kubeconfig', summary.replace(/^.*?: /, ''));

  const stackDir = path.join(dir, 'run');
  prepareStackDir({ ...fixture.stack, json: filtered }, stackDir, providers, LOCAL_BACKEND);
  const init = await runCli(cli, ['init', '-input=false', '-no-color'], { cwd: stackDir, env, timeoutMs: 300_000 });
  if (init.code !== 0) {
    report.fail(label, cli.name, 'init', failureText(init.stderr + init.stdout));
    return;
  }
  const before = await liveUids(cp, filtered);
  const configMap = `kubernetes_manifest.${configMapAddress}`;

  // 4. The import step: imports only; the one create is the ConfigMap that does not exist.
  const step1 = await planApplyStep(cli, stackDir, env, label, 'import step', report, (c) => [
    ...(c.imports !== before.size + 1 ? [`expected ${before.size + 1} imports (${before.size} manifests + the Secret), the plan has ${c.imports}`] : []),
    ...c.creates.filter((a) => a !== configMap).map((a) => `create of ${before.has(a) ? 'an object that exists' : 'something unexpected'}: ${a}`),
  ]);
  if (!step1 || !(await uidsKept(cp, filtered, before, label, cli.name, 'import step', report))) return;

  // 5. The state made ready for the library's manifests (lib/cli/adopt.ts prepareStateForUpdate).
  const prepLines: string[] = [];
  const prep = await adoptCommand(['--stack', fixture.stack.name, '--after-import', '--dir', stackDir, '--cli', cli.path, '--kubeconfig', path.join(home, '.kube', 'config'), '--context', CONTEXT], (l) => prepLines.push(l), { ...process.env, ...env });
  if (prep !== 0 || !prepLines.some((l) => /prepared \d+ imported object/.test(l))) {
    report.fail(label, cli.name, 'adopt --after-import', `exit ${prep}: ${prepLines.join('\n')}`);
    return;
  }
  report.pass(label, cli.name, 'adopt --after-import', prepLines.filter((l) => !l.startsWith('ownership ')).join('; ').replace(new RegExp(stackDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + ': ', 'g'), ''));

  // 6. The library's objects: synthesized again (import blocks included: no-ops now), in-place updates only.
  fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(fixture.stack.json, null, 2));
  const step2 = await planApplyStep(cli, stackDir, env, label, 'update step', report, (c) => [
    ...c.creates.map((a) => `create: ${a}`),
    ...(c.imports > 0 ? [`${c.imports} import(s) left: the import step should have taken them`] : []),
    ...(c.updates === 0 ? ['no in-place update: the library\'s manifests were not applied'] : []),
  ]);
  if (!step2 || !(await uidsKept(cp, filtered, before, label, cli.name, 'update step', report))) return;

  // 7. The second plan is empty.
  const replan = await planCounts(cli, stackDir, env);
  if (!replan.counts) report.fail(label, cli.name, 'replan', replan.error ?? 'plan failed');
  else if (replan.code !== 0) {
    const r = replan.counts;
    report.fail(label, cli.name, 'replan', `the second plan is not empty: ${r.updates} update(s) (${r.updated.join(', ')}), ${r.creates.length} create(s), ${r.deletes.length} destroy(s), ${r.replaces.length} replacement(s), ${r.imports} import(s)`);
  } else report.pass(label, cli.name, 'replan', '0 changes');
}

/** Plan (saved), check: no destroy, no replacement, plus `check`; apply the saved plan. */
async function planApplyStep(cli: Cli, dir: string, env: Record<string, string>, label: string, step: string, report: Report, check: (c: PlanCounts) => string[]): Promise<PlanCounts | undefined> {
  const plan = await planCounts(cli, dir, env);
  if (!plan.counts) {
    report.fail(label, cli.name, `${step} plan`, plan.error ?? 'plan failed');
    return undefined;
  }
  const c = plan.counts;
  const figure = `${c.imports} import(s), ${c.updates} in-place update(s), ${c.creates.length} create(s), ${c.deletes.length} destroy(s), ${c.replaces.length} replacement(s)`;
  const problems = [...c.replaces.map((a) => `replacement: ${a}`), ...c.deletes.map((a) => `destroy: ${a}`), ...check(c)];
  if (problems.length > 0) {
    report.fail(label, cli.name, `${step} plan`, `${figure}\n${problems.join('\n')}`);
    return undefined;
  }
  report.pass(label, cli.name, `${step} plan`, figure);
  const apply = await runCli(cli, ['apply', '-auto-approve', '-input=false', '-no-color', 'adopt.plan'], { cwd: dir, env, timeoutMs: 900_000 });
  if (apply.code !== 0) {
    report.fail(label, cli.name, `${step} apply`, failureText(apply.stderr + apply.stdout, 60));
    return undefined;
  }
  return c;
}

/** Nothing adopted was recreated: every uid is the one the object had before the migration. */
async function uidsKept(cp: ControlPlane, json: any, before: Map<string, string>, label: string, cli: string, step: string, report: Report): Promise<boolean> {
  const after = await liveUids(cp, json);
  const recreated = [...before].filter(([a, uid]) => after.get(a) !== uid).map(([a]) => a);
  if (recreated.length > 0) {
    report.fail(label, cli, `${step} apply`, `recreated (uid changed): ${recreated.join(', ')}`);
    return false;
  }
  report.pass(label, cli, `${step} apply`, `${before.size} adopted object(s) kept their uid`);
  return true;
}
