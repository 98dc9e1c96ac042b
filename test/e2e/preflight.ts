/**
 * The `preflight` phase of `npm run e2e` (`npm run e2e -- --phase preflight`): the cluster
 * preflight (lib/app/preflight.ts, `cdktf-golden-path preflight`) against a real local
 * kube-apiserver (test/e2e/control-plane.ts):
 *
 *   missing   on a cluster without the CRDs, every custom kind of every example and corpus stack
 *             is reported missing, except those a stack deployed first installs (kube-fledged's
 *             ImageCache for the app stacks); the CLI exits 1 and lists them
 *   served    after the e2e CRDs (test/e2e/crds.ts) are installed, everything is served; the CLI exits 0
 *   versions  a version the cluster does not serve, and a kind its group/version does not list,
 *             are reported with the versions the cluster serves instead
 *   auth      the same answers with a bearer token (a ServiceAccount token) and with an `exec`
 *             credential plugin, instead of the admin client certificate
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PreflightResult, StackRequirements, formatPreflight, preflightCluster, synthRequirements } from '../../lib';
import { installCrds } from './apply';
import { ControlPlane, findControlPlaneBinary, startControlPlane, SETUP_COMMAND as CONTROL_PLANE_SETUP } from './control-plane';
import { Report } from './report';

const ROOT = path.resolve(__dirname, '..', '..');
const STEP = 'preflight';

export interface PreflightPhaseContext {
  readonly work: string;
  /** The synthesized app (manifest.json and stacks/) of every example and corpus stack. */
  readonly outdir: string;
  readonly report: Report;
  readonly only?: string;
}

/** The custom kinds a stack should be reported missing on an empty cluster: `<stack> <apiVersion> <kind>`. */
function expectedMissing(stacks: readonly StackRequirements[]): string[] {
  const checked = new Set(stacks.map((s) => s.stack));
  return stacks.flatMap((s) => s.crds
    .filter((c) => !(c.installedBy && c.installedBy.stack !== s.stack && checked.has(c.installedBy.stack)))
    .map((c) => `${s.stack} ${c.apiVersion} ${c.kind}`)).sort();
}

const missingOf = (r: PreflightResult) => r.missing.map((c) => `${c.stack} ${c.apiVersion} ${c.kind}`).sort();

/** `cdktf-golden-path preflight ...` as a user runs it (the bin's source, through tsx). */
function cli(args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'lib', 'cli', 'init.ts'), 'preflight', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

function check(report: Report, name: string, ok: boolean, figure: string, problem: string): void {
  if (ok) report.pass(name, '-', STEP, figure);
  else report.fail(name, '-', STEP, problem);
}

/** A kubeconfig for the same cluster with another user (CA file instead of data). */
function kubeconfigWith(file: string, cp: ControlPlane, user: string): string {
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: other',
    `clusters: [{ name: c, cluster: { server: "${cp.server}", certificate-authority: ${JSON.stringify(cp.caFile)} } }]`,
    'contexts: [{ name: other, context: { cluster: c, user: u } }]',
    `users: [{ name: u, user: ${user} }]`, '',
  ].join('\n'), { mode: 0o600 });
  return file;
}

/** Create the StorageClasses, IngressClasses and PriorityClasses named by `capabilities`; returns how many. */
async function createClusterObjects(cp: ControlPlane, capabilities: readonly string[]): Promise<number> {
  const bodies: Record<string, (name: string) => [string, object]> = {
    storageClass: (name) => ['/apis/storage.k8s.io/v1/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'ebs.csi.aws.com', allowVolumeExpansion: true }],
    ingressClass: (name) => ['/apis/networking.k8s.io/v1/ingressclasses', { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name }, spec: { controller: 'k8s.io/ingress-nginx' } }],
    priorityClass: (name) => ['/apis/scheduling.k8s.io/v1/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000 }],
  };
  let n = 0;
  for (const capability of new Set(capabilities)) {
    const [type, name] = [capability.slice(0, capability.indexOf(':')), capability.slice(capability.indexOf(':') + 1)];
    const body = bodies[type];
    if (!body) throw new Error(`no way to create ${capability} in the test cluster`);
    const [url, object] = body(name);
    const res = await cp.request('POST', url, object);
    if (res.status >= 300) throw new Error(`${capability} refused (${res.status}): ${JSON.stringify(res.body).slice(0, 400)}`);
    n++;
  }
  return n;
}

export async function runPreflightPhase(ctx: PreflightPhaseContext): Promise<void> {
  const { report } = ctx;
  const binary = findControlPlaneBinary();
  if (!binary) {
    report.fail('setup', 'control-plane', 'find the control plane', `kube-apiserver is not built: run \`npm run e2e:setup\` (or ${CONTROL_PLANE_SETUP})`);
    return;
  }
  const work = path.join(ctx.work, 'preflight');
  fs.mkdirSync(work, { recursive: true });
  const all = synthRequirements(ctx.outdir);
  const stacks = ctx.only ? all.filter((s) => s.stack.includes(ctx.only as string)) : all;
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane({ workDir: path.join(work, 'control-plane'), controllerManager: false, timeoutMs: 20 * 60_000, binary });
    console.log(`preflight: control plane ${cp.server} ready in ${(cp.timings.totalMs / 1000).toFixed(1)} s`);
    const kubeconfig = cp.kubeconfigPath;

    // 1. No CRDs yet: each custom kind is missing, unless a stack deployed first installs it.
    const expected = expectedMissing(stacks);
    const before = await preflightCluster({ requirements: stacks, kubeconfig });
    const deferred = before.checks.filter((c) => c.status === 'installed-by-dependency').map((c) => `${c.stack} ${c.kind}`);
    check(report, 'missing CRDs reported', !before.ok && JSON.stringify(missingOf(before)) === JSON.stringify(expected) && before.checks.every((c) => c.status !== 'served'),
      `${before.missing.length} missing in ${stacks.length} stacks; ${deferred.length} installed by a stack deployed first`,
      `expected missing:\n${expected.join('\n')}\ngot:\n${formatPreflight(before)}`);
    const appStack = stacks.find((s) => /-app$/.test(s.stack) && s.crds.some((c) => c.kind === 'ImageCache'));
    if (appStack) {
      const maintenanceChecked = before.checks.find((c) => c.stack === appStack.stack && c.kind === 'ImageCache');
      check(report, 'ImageCache deferred to the maintenance stack', maintenanceChecked?.status === 'installed-by-dependency',
        `${appStack.stack}: ${maintenanceChecked?.detail}`, `${appStack.stack} ImageCache: ${JSON.stringify(maintenanceChecked)}`);
      // Checked alone, nothing deploys the maintenance stack first: then it is missing too.
      const alone = await preflightCluster({ requirements: appStack, kubeconfig });
      check(report, 'a stack checked alone', alone.missing.some((c) => c.kind === 'ImageCache' && /deploy stack \S+-maintenance first/.test(c.detail)),
        `${alone.missing.length} missing in ${appStack.stack}`, formatPreflight(alone));
    }
    // The cluster objects the stacks name (StorageClasses, IngressClasses, PriorityClasses) are missing too.
    const namedObjects = before.capabilityChecks.filter((c) => /^(storageClass|ingressClass|priorityClass):/.test(c.capability) && !/^priorityClass:system-/.test(c.capability));
    check(report, 'missing cluster objects reported', namedObjects.length > 0 && namedObjects.every((c) => c.status === 'missing') && before.missingCapabilities.length === namedObjects.length,
      `${before.missingCapabilities.length} missing: ${[...new Set(before.missingCapabilities.map((c) => c.capability))].join(', ')}`,
      formatPreflight(before));
    const failing = cli(['--out', ctx.outdir, '--kubeconfig', kubeconfig]);
    const lines = failing.out.split('\n').filter((l) => /^\s+MISSING [^\s:]+\/\S+ /.test(l)).length;
    check(report, 'cli: missing CRDs exit 1', failing.status === 1 && lines === (ctx.only ? lines : expected.length) && /^FAILED: \d+ missing custom kind/m.test(failing.out),
      `exit ${failing.status}, ${lines} MISSING lines`, `exit ${failing.status}:\n${failing.out}`);

    // 2. The CRDs the apply phase installs: everything is served.
    await installCrds(cp, report);
    // ... and the cluster objects they name, as the cluster's add-ons would create them.
    const created = await createClusterObjects(cp, before.missingCapabilities.map((c) => c.capability));
    const after = await preflightCluster({ requirements: stacks, kubeconfig });
    check(report, 'all CRDs served', after.ok && after.checks.length > 0 && after.checks.every((c) => c.status === 'served'),
      `${after.checks.length} custom kinds of ${stacks.length} stacks served`, formatPreflight(after));
    check(report, 'all cluster objects present', after.missingCapabilities.length === 0 && after.capabilityChecks.filter((c) => c.status === 'present').length >= namedObjects.length,
      `${created} created; ${after.capabilityChecks.filter((c) => c.status === 'present').length} present, not checked: ${[...new Set(after.capabilityChecks.filter((c) => c.status === 'not-checked').map((c) => c.capability.split(':')[0]))].join(', ')}`,
      formatPreflight(after));
    // With --only, the cluster holds only what the selected stacks need: the CLI checks those stacks.
    const selected = ctx.only ? stacks.flatMap((s) => ['--stack', s.stack]) : [];
    const passing = cli(['--out', ctx.outdir, '--kubeconfig', kubeconfig, '--context', 'e2e', ...selected]);
    check(report, 'cli: all served exit 0', passing.status === 0 && /^OK: every custom kind/m.test(passing.out), `exit ${passing.status}`, `exit ${passing.status}:\n${passing.out}`);

    // 3. Versions and kinds the cluster does not serve.
    const requirement = (apiVersion: string, kind: string): StackRequirements => {
      const [group, version] = [apiVersion.slice(0, apiVersion.lastIndexOf('/')), apiVersion.slice(apiVersion.lastIndexOf('/') + 1)];
      return { stack: 'versions', dependencies: [], capabilities: [], helmReleases: [], crds: [{ group, version, kind, apiVersion, resources: ['kubernetes_manifest.x'] }] };
    };
    const oldEso = await preflightCluster({ requirements: requirement('external-secrets.io/v1beta1', 'ExternalSecret'), kubeconfig });
    check(report, 'an unserved version', !oldEso.ok && /external-secrets\.io is served only in v1, not v1beta1/.test(oldEso.missing[0]?.detail ?? ''),
      oldEso.missing[0]?.detail ?? '', formatPreflight(oldEso));
    const job = await preflightCluster({ requirements: requirement('keda.sh/v1alpha1', 'ScaledJob'), kubeconfig });
    check(report, 'a kind its group/version does not list', !job.ok && /keda\.sh\/v1alpha1 is served without ScaledJob/.test(job.missing[0]?.detail ?? ''),
      job.missing[0]?.detail ?? '', formatPreflight(job));

    // 4. Other ways to authenticate: a bearer token, an exec credential plugin.
    const sa = await cp.request('POST', '/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'preflight' } });
    if (sa.status >= 300 && sa.status !== 409) throw new Error(`ServiceAccount refused (${sa.status}): ${JSON.stringify(sa.body).slice(0, 400)}`);
    const tr = await cp.request('POST', '/api/v1/namespaces/default/serviceaccounts/preflight/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } });
    const token = tr.body?.status?.token;
    if (typeof token !== 'string') throw new Error(`TokenRequest refused (${tr.status}): ${JSON.stringify(tr.body).slice(0, 400)}`);
    const byToken = await preflightCluster({ requirements: stacks, kubeconfig: kubeconfigWith(path.join(work, 'token.yaml'), cp, `{ token: ${JSON.stringify(token)} }`) });
    check(report, 'auth: bearer token', byToken.ok && byToken.checks.length === after.checks.length, `${byToken.checks.length} served`, formatPreflight(byToken));
    const plugin = path.join(work, 'credential-plugin.js');
    fs.writeFileSync(plugin, `const fs = require('fs');
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { clientCertificateData: fs.readFileSync(${JSON.stringify(cp.clientCertFile)}, 'utf8'), clientKeyData: fs.readFileSync(${JSON.stringify(cp.clientKeyFile)}, 'utf8') } }));
`);
    const execUser = `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}], interactiveMode: Never } }`;
    const byExec = await preflightCluster({ requirements: stacks, kubeconfig: kubeconfigWith(path.join(work, 'exec.yaml'), cp, execUser) });
    check(report, 'auth: exec credential plugin', byExec.ok && byExec.checks.length === after.checks.length, `${byExec.checks.length} served`, formatPreflight(byExec));
    // The judge can fail: a token the API server does not know is refused, and said so.
    let refused = '';
    try {
      await preflightCluster({ requirements: stacks, kubeconfig: kubeconfigWith(path.join(work, 'bad.yaml'), cp, '{ token: not-a-token }') });
    } catch (e) {
      refused = (e as Error).message;
    }
    check(report, 'auth: a bad token is refused', /refused the discovery request .*\(401/.test(refused), refused.slice(0, 120), `no refusal: ${refused}`);
  } catch (error) {
    report.fail('preflight', '-', 'preflight phase', error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await cp?.stop();
    if (cp && !cp.processesGone()) report.fail('preflight', '-', 'stop the control plane', 'a control-plane process is still running after stop()');
  }
}
