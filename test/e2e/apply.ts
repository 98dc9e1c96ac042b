/**
 * The apply phase of `npm run e2e`: each example environment (maintenance stack, then app
 * stack) applied with the real providers to a local kube-apiserver + kube-controller-manager
 * (test/e2e/control-plane.ts) and to the moto AWS emulator, with Terraform and with OpenTofu:
 *
 *   apply    every object created; pods the controllers create pass the namespace's Pod Security
 *   replan   `plan -detailed-exitcode` reports no change (no perpetual diff)
 *   change   a new image tag, replica count and ConfigMap key plan exactly those updates
 *   destroy  clean, and the namespaces the stacks created are gone
 *
 * What cannot run here is taken out of the copy under test and listed in the summary, never
 * silently: `helm_release` (charts cannot be downloaded), the CloudFront resources moto does
 * not serve and everything that depends on them (planned, not applied), and `wait` blocks
 * (there are no nodes, so no pod ever runs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { buildStacks } from '../../stacks/app';
import { ENVIRONMENTS_DIR } from '../../stacks/app';
import { Cli, runCli } from '../support/terraform-cli';
import { ControlPlane, findControlPlaneBinary, startControlPlane, SETUP_COMMAND as CONTROL_PLANE_SETUP } from './control-plane';
import { customResourceDefinitions } from './crds';
import { MotoServer, findMoto, startMoto } from './moto';
import { BuiltProvider, ProviderType, realProviderMirror } from './providers';
import { Report } from './report';
import { SynthesizedStack } from './stacks';
import { CORPUS_KUBE_CONTEXT } from '../corpus/stack';
import { failureText, prepareStackDir } from './validate';

export interface ApplyContext {
  readonly work: string;
  readonly stacks: readonly SynthesizedStack[];
  readonly clis: readonly Cli[];
  readonly providers: readonly BuiltProvider[];
  readonly missingProviders: readonly ProviderType[];
  readonly report: Report;
  /** Only the environments (and corpus) whose name contains this. */
  readonly only?: string;
}

/** The kubeconfig context the e2e environments use (written into region.user.yaml). */
export const CONTEXT = 'golden-path-e2e';
/** The OIDC issuer the e2e environments use, so no EKS cluster is looked up. */
const OIDC_ISSUER = 'https://oidc.eks.us-east-2.amazonaws.com/id/E2E00000000000000000000000000000';
/** CloudFront resource types moto does not serve: planned, not applied. */
export const PLAN_ONLY_TYPES = ['aws_cloudfront_cache_policy', 'aws_cloudfront_origin_request_policy', 'aws_cloudfront_response_headers_policy', 'aws_cloudfront_function'];
/** Resource types that cannot run here at all: Helm charts come from a chart repository. */
export const EXCLUDED_TYPES = ['helm_release'];

export async function runApplyPhase(ctx: ApplyContext): Promise<void> {
  const { report } = ctx;
  const binary = findControlPlaneBinary();
  const moto = findMoto();
  if (!binary) report.fail('setup', 'control-plane', 'find the control plane', `kube-apiserver is not built: run \`npm run e2e:setup\` (or ${CONTROL_PLANE_SETUP})`);
  if (!moto) report.fail('setup', 'moto', 'find moto', 'the moto AWS emulator is not installed: run `npm run e2e:setup`');
  if (!binary || !moto || ctx.missingProviders.length > 0 || ctx.clis.length === 0) {
    report.fail('setup', '-', 'apply', 'the apply phase did not run: something it needs is missing (see above)');
    return;
  }
  const work = path.join(ctx.work, 'apply');
  fs.mkdirSync(work, { recursive: true });
  let cp: ControlPlane | undefined;
  let aws: MotoServer | undefined;
  try {
    [cp, aws] = await Promise.all([
      // EKS's default service range, so a Service with a static cluster IP from it is accepted.
      startControlPlane({ workDir: path.join(work, 'control-plane'), controllerManager: true, timeoutMs: 120 * 60_000, binary, extraApiserverArgs: ['--service-cluster-ip-range=172.20.0.0/16'] }),
      startMoto(moto, path.join(work, 'moto')),
    ]);
    console.log(`control plane ${cp.server} ready in ${(cp.timings.totalMs / 1000).toFixed(1)} s; moto ${aws.endpoint}`);
    await installCrds(cp, report);
    const home = writeHome(path.join(work, 'home'), cp);
    const environments = synthesizeE2eEnvironments(path.join(work, 'synth'));
    const cliConfig = realProviderMirror(path.join(work, 'mirror'), ctx.providers);
    const env = {
      HOME: home,
      KUBE_CONFIG_PATH: path.join(home, '.kube', 'config'),
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_EC2_METADATA_DISABLED: 'true',
      HTTP_PROXY: aws.proxy,
      http_proxy: aws.proxy,
      NO_PROXY: '',
      TF_CLI_CONFIG_FILE: cliConfig,
    };
    for (const cli of ctx.clis) {
      const zoneIds = await seedAws(cli, path.join(work, 'seed', cli.name), [...environments.flatMap((e) => e.stacks), ...ctx.stacks], ctx.providers, env, report);
      for (const environment of environments.filter((e) => !ctx.only || e.name.includes(ctx.only))) {
        await applyEnvironment(cli, environment, path.join(work, cli.name, environment.name), ctx.providers, env, cp, report, zoneIds);
      }
      // The corpus too (every construct with its richest options), as one more round.
      const corpus = !ctx.only || 'corpus'.includes(ctx.only) ? ctx.stacks.filter((s) => s.kind === 'corpus') : [];
      if (corpus.length > 0) await applyEnvironment(cli, { name: 'corpus', stacks: corpus }, path.join(work, cli.name, 'corpus'), ctx.providers, env, cp, report, zoneIds);
      await destroySeed(cli, path.join(work, 'seed', cli.name), env, report);
    }
  } catch (error) {
    report.fail('apply', '-', 'apply phase', error instanceof Error ? (error.stack ?? error.message) : String(error));
  } finally {
    await Promise.all([cp?.stop(), aws?.stop()]);
    if (cp && !cp.processesGone()) report.fail('apply', '-', 'stop the control plane', 'a control-plane process is still running after stop()');
  }
}

// ---------------------------------------------------------------------------------------------
// The example environments, pointed at the local cluster and emulator

interface E2eEnvironment {
  readonly name: string;
  /** Maintenance stack first, then the app stack. */
  readonly stacks: SynthesizedStack[];
}

/**
 * The example environments with a `region.user.yaml` beside each region (the documented way
 * to point a region at a kubeconfig context): the kubeconfig context of the local cluster and
 * a fixed OIDC issuer, so nothing looks up an EKS cluster.
 */
function synthesizeE2eEnvironments(outdir: string): E2eEnvironment[] {
  const envDir = path.join(outdir, 'environments');
  fs.cpSync(ENVIRONMENTS_DIR, envDir, { recursive: true, filter: (src) => !src.endsWith('.user.yaml') });
  for (const environment of fs.readdirSync(envDir)) {
    const dir = path.join(envDir, environment);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const region of fs.readdirSync(dir)) {
      if (!fs.statSync(path.join(dir, region)).isDirectory()) continue;
      fs.writeFileSync(path.join(dir, region, 'region.user.yaml'), `kube_config_context: ${CONTEXT}\nkube_oidc_issuer: ${OIDC_ISSUER}\n`);
    }
  }
  // One app per environment, as `GOLDEN_PATH_ENV=<env> cdktf deploy` runs them: every environment
  // is pointed at the one local cluster here, so an app holding all of them would (rightly) fail
  // synth with collisions between the environments' objects. They are applied one after another,
  // each destroyed before the next.
  const names = fs.readdirSync(envDir).filter((n) => fs.statSync(path.join(envDir, n)).isDirectory()).sort();
  return names.flatMap((environment) => {
    const appOut = path.join(outdir, environment, 'cdktf.out');
    fs.mkdirSync(appOut, { recursive: true });
    const app = new App({ outdir: appOut, skipValidation: false });
    const built = buildStacks(app, { environmentsDir: envDir, only: [environment], audit: false });
    app.synth();
    const read = (name: string): SynthesizedStack => {
      const dir = path.join(app.outdir, 'stacks', name);
      return { name, dir, json: JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')), kind: 'example' };
    };
    return built.appStacks.map((appStack, i) => {
      const maintenance = built.maintenanceStacks[i];
      return { name: appStack.node.id.replace(/-app$/, ''), stacks: [read(maintenance.node.id), read(appStack.node.id)] };
    });
  });
}

/** A HOME with the kubeconfig (context CONTEXT) the providers read as `~/.kube/config`. */
export function writeHome(home: string, cp: ControlPlane, contexts: readonly string[] = [CONTEXT, CORPUS_KUBE_CONTEXT]): string {
  fs.mkdirSync(path.join(home, '.kube'), { recursive: true });
  const b64 = (file: string) => fs.readFileSync(file).toString('base64');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CONTEXT}`,
    '  cluster:',
    `    server: ${cp.server}`,
    `    certificate-authority-data: ${b64(cp.caFile)}`,
    'users:',
    '- name: admin',
    '  user:',
    `    client-certificate-data: ${b64(cp.clientCertFile)}`,
    `    client-key-data: ${b64(cp.clientKeyFile)}`,
    'contexts:',
    ...contexts.flatMap((name) => [`- name: ${name}`, '  context:', `    cluster: ${CONTEXT}`, '    user: admin']),
    `current-context: ${CONTEXT}`,
    '',
  ].join('\n');
  fs.writeFileSync(path.join(home, '.kube', 'config'), kubeconfig, { mode: 0o600 });
  return home;
}

/** The CRDs of every custom kind the stacks emit (the charts that would install them do not run here). */
export async function installCrds(cp: ControlPlane, report: Report): Promise<void> {
  const crds = customResourceDefinitions() as any[];
  for (const crd of crds) {
    const res = await cp.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    if (res.status >= 300 && res.status !== 409) throw new Error(`CRD ${crd.metadata.name} refused (${res.status}): ${JSON.stringify(res.body).slice(0, 800)}`);
  }
  const deadline = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const res = await cp.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`);
      if ((res.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new Error(`CRD ${crd.metadata.name} not established after 60 s`);
      await sleep(250);
    }
  }
  report.pass('cluster', '-', 'install CRDs', `${crds.length} CRDs established`);
}

// ---------------------------------------------------------------------------------------------
// The copy under test

export interface Exclusions {
  /** Addresses removed because they cannot run here, with the reason. */
  readonly removed: Array<{ address: string; reason: string }>;
  /** kubernetes_manifest addresses whose `wait` was dropped. */
  readonly waitsDropped: string[];
  /** Resources whose `lifecycle.prevent_destroy` was lifted so the test can destroy them. */
  readonly preventDestroyLifted: string[];
}

/**
 * Removes what cannot run here (helm_release; the CloudFront resources moto lacks and every
 * resource that refers to one, directly or through another) and the `wait` blocks, in a deep
 * copy. Outputs that refer to a removed resource are removed too.
 */
export function applicableCopy(json: any): { json: any; exclusions: Exclusions } {
  const copy = JSON.parse(JSON.stringify(json));
  const removed: Array<{ address: string; reason: string }> = [];
  const resources: Array<{ type: string; name: string; body: any }> = [];
  for (const [type, byName] of Object.entries<any>(copy.resource ?? {})) for (const [name, body] of Object.entries<any>(byName)) resources.push({ type, name, body });
  const gone = new Set<string>();
  for (const r of resources) {
    if (EXCLUDED_TYPES.includes(r.type)) {
      gone.add(`${r.type}.${r.name}`);
      removed.push({ address: `${r.type}.${r.name}`, reason: 'Helm charts cannot be downloaded here' });
    } else if (PLAN_ONLY_TYPES.includes(r.type)) {
      gone.add(`${r.type}.${r.name}`);
      removed.push({ address: `${r.type}.${r.name}`, reason: 'moto does not serve it: planned only' });
    }
  }
  // Helm releases only order other objects (depends_on): an edge to a release is replaced by the
  // release's own edges (its namespace, its IAM role), so the order that remains is unchanged.
  const helm = new Set([...gone].filter((a) => a.startsWith('helm_release.')));
  const helmDeps = new Map(resources.filter((r) => helm.has(`${r.type}.${r.name}`)).map((r) => [`${r.type}.${r.name}`, (r.body.depends_on ?? []) as string[]]));
  const expand = (d: string, seen = new Set<string>()): string[] => {
    if (!helm.has(d)) return [d];
    if (seen.has(d)) return [];
    seen.add(d);
    return (helmDeps.get(d) ?? []).flatMap((x) => expand(x, seen));
  };
  for (const r of resources) if (Array.isArray(r.body.depends_on)) r.body.depends_on = [...new Set(r.body.depends_on.flatMap((d: string) => expand(d)))];
  // Anything that refers to a plan-only resource is plan-only too, transitively.
  for (let changed = true; changed; ) {
    changed = false;
    for (const r of resources) {
      const address = `${r.type}.${r.name}`;
      if (gone.has(address)) continue;
      const text = JSON.stringify(r.body);
      const via = [...gone].find((g) => !helm.has(g) && text.includes(g));
      if (via) {
        gone.add(address);
        removed.push({ address, reason: `refers to ${via}: planned only` });
        changed = true;
      }
    }
  }
  for (const address of gone) {
    const [type, name] = address.split('.');
    delete copy.resource[type][name];
    if (Object.keys(copy.resource[type]).length === 0) delete copy.resource[type];
  }
  for (const [name, output] of Object.entries<any>(copy.output ?? {})) {
    if ([...gone].some((g) => JSON.stringify(output).includes(g))) delete copy.output[name];
  }
  // A guard against losing data (the backup bucket) stops the destroy the test must do: lifted here only.
  const preventDestroyLifted: string[] = [];
  for (const [type, byName] of Object.entries<any>(copy.resource ?? {})) {
    for (const [name, body] of Object.entries<any>(byName)) {
      if (body.lifecycle?.prevent_destroy) {
        body.lifecycle.prevent_destroy = false;
        preventDestroyLifted.push(`${type}.${name}`);
      }
    }
  }
  const waitsDropped: string[] = [];
  for (const [name, body] of Object.entries<any>(copy.resource?.kubernetes_manifest ?? {})) {
    if (body.wait) {
      delete body.wait;
      waitsDropped.push(`kubernetes_manifest.${name}`);
    }
  }
  return { json: copy, exclusions: { removed, waitsDropped, preventDestroyLifted } };
}

/** The local backend in the stack's directory, whatever backend the stack configures. */
export const LOCAL_BACKEND = { backend: { local: { path: 'terraform.tfstate' } } };

/** Path-style S3 and no account look-ups outside the emulator, for every aws provider block. */
function awsProviderOverride(json: any): Record<string, unknown> {
  const blocks = ([] as any[]).concat(json?.provider?.aws ?? []);
  if (blocks.length === 0) return {};
  const settings = { s3_use_path_style: true, skip_credentials_validation: true, skip_metadata_api_check: 'true', skip_requesting_account_id: false };
  return { provider: { aws: blocks.map((b) => (b.alias ? { alias: b.alias, ...settings } : settings)) } };
}

// ---------------------------------------------------------------------------------------------
// One environment: apply, replan, change, destroy

async function applyEnvironment(cli: Cli, environment: E2eEnvironment, dir: string, providers: readonly BuiltProvider[], env: Record<string, string>, cp: ControlPlane, report: Report, zoneIds: Record<string, string> = {}): Promise<void> {
  const label = (stack: SynthesizedStack) => `${stack.name}`;
  const applied: Array<{ stack: SynthesizedStack; dir: string }> = [];
  for (const stack of environment.stacks) {
    const stackDir = path.join(dir, stack.name);
    let text = JSON.stringify(stack.json);
    const mapped = Object.keys(zoneIds).filter((id) => text.includes(`"${id}"`));
    for (const id of mapped) text = text.split(`"${id}"`).join(JSON.stringify(zoneIds[id]));
    const { json, exclusions } = applicableCopy(JSON.parse(text));
    const underTest: SynthesizedStack = { ...stack, dir: stackDir + '.src', json };
    fs.mkdirSync(underTest.dir, { recursive: true });
    fs.writeFileSync(path.join(underTest.dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    prepareStackDir(underTest, stackDir, providers, LOCAL_BACKEND, awsProviderOverride(json));
    const notes = [...summarizeExclusions(exclusions), ...mapped.map((id) => `hosted zone id ${id} given to the emulator's stand-in zone ${zoneIds[id]}`)];

    const init = await timed(() => runCli(cli, ['init', '-input=false', '-no-color'], { cwd: stackDir, env, timeoutMs: 300_000 }));
    if (init.result.code !== 0) {
      report.fail(label(stack), cli.name, 'init', failureText(init.result.stderr + init.result.stdout));
      break;
    }
    const apply = await timed(() => runCli(cli, ['apply', '-auto-approve', '-input=false', '-no-color', '-parallelism=8'], { cwd: stackDir, env, timeoutMs: 1_800_000 }));
    const counts = await stateCounts(cli, stackDir, env);
    if (apply.result.code !== 0) {
      report.fail(label(stack), cli.name, 'apply', `${failureText(apply.result.stderr + apply.result.stdout, 60)}\n(${counts.summary} in state)`);
      applied.push({ stack, dir: stackDir });
      break;
    }
    report.step(label(stack), cli.name, 'apply', { ok: true, seconds: apply.seconds, diagnostics: [], figure: counts.summary, notes });
    applied.push({ stack, dir: stackDir });

    const replan = await planChanges(cli, stackDir, env);
    const { real, emulator } = splitEmulatorDifferences(replan.changes);
    if (replan.error) report.fail(label(stack), cli.name, 'replan', replan.error);
    else if (real.length > 0) report.fail(label(stack), cli.name, 'replan', `the second plan is not empty (${real.length} change(s)):\n${real.map(describeChange).join('\n')}`);
    else report.step(label(stack), cli.name, 'replan', { ok: true, seconds: replan.seconds, diagnostics: [], figure: emulator.length > 0 ? `0 changes (${emulator.length} emulator difference(s))` : '0 changes', notes: emulator.map((e) => `emulator difference, not a change: ${e}`) });
  }
  if (applied.length === environment.stacks.length) {
    for (const a of applied) if (hasPodControllers(a.stack.json)) await podSecurityCheck(cp, a.stack, cli, report);
    const appStack = applied.find((a) => a.stack.name.endsWith('-app'));
    if (appStack) await changeCheck(cli, appStack.stack, appStack.dir, env, report);
  }
  const namespaces = applied.flatMap((a) => createdNamespaces(a.stack.json));
  for (const { stack, dir: stackDir } of applied.reverse()) {
    const destroy = await timed(() => runCli(cli, ['destroy', '-auto-approve', '-input=false', '-no-color', '-parallelism=8'], { cwd: stackDir, env, timeoutMs: 1_800_000 }));
    const left = await stateCounts(cli, stackDir, env);
    if (destroy.result.code !== 0 || left.total > 0) report.fail(label(stack), cli.name, 'destroy', `${failureText(destroy.result.stderr + destroy.result.stdout, 40)}\n(${left.summary} left in state)`);
    else report.step(label(stack), cli.name, 'destroy', { ok: true, seconds: destroy.seconds, diagnostics: [], figure: 'state empty' });
  }
  const lingering = await waitNamespacesGone(cp, namespaces, 120_000);
  if (lingering.length > 0) report.fail(environment.name, cli.name, 'namespaces gone', `still present after destroy: ${lingering.join(', ')}`);
  else report.pass(environment.name, cli.name, 'namespaces gone', `${namespaces.length} namespace(s) deleted`);
}

function summarizeExclusions(exclusions: Exclusions): string[] {
  const byReason = new Map<string, number>();
  for (const r of exclusions.removed) {
    const reason = r.reason.replace(/^refers to .*: /, 'depends on a plan-only resource: ');
    byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  }
  const notes = [...byReason].map(([reason, n]) => `${n} resource(s) not applied (${reason})`);
  if (exclusions.waitsDropped.length > 0) notes.push(`${exclusions.waitsDropped.length} wait block(s) dropped (no nodes: no pod runs)`);
  if (exclusions.preventDestroyLifted.length > 0) notes.push(`prevent_destroy lifted for the test's destroy: ${exclusions.preventDestroyLifted.join(', ')}`);
  return notes;
}

export interface Change {
  readonly address: string;
  readonly actions: string[];
  readonly paths: string[];
  /** The attributes that force a replacement (the plan's `replace_paths`). */
  readonly replacePaths: string[];
}

function describeChange(c: Change): string {
  const replace = c.replacePaths.length > 0 ? ` (replacement forced by ${c.replacePaths.join(', ')})` : '';
  return `  ${c.actions.join('+')} ${c.address}${replace}${c.paths.length > 0 ? `: ${c.paths.slice(0, 12).join(', ')}` : ''}`;
}

/**
 * Differences that come from the emulator, not from the configuration, each checked against
 * moto 5.2.5 by hand: such a change is listed in the summary, any other fails the step.
 */
export const EMULATOR_DIFFERENCES: ReadonlyArray<{ readonly reason: string; readonly matches: (c: Change, all: readonly Change[]) => boolean }> = [
  {
    reason: 'moto ignores an ACM certificate\'s KeyAlgorithm (it always reports RSA_2048), so key_algorithm forces a replacement',
    matches: (c) => c.address.startsWith('aws_acm_certificate.') && c.replacePaths.length > 0 && c.replacePaths.every((p) => p === 'key_algorithm'),
  },
  {
    reason: 'follows the replacement of its ACM certificate (moto key_algorithm)',
    matches: (c, all) =>
      (c.address.startsWith('aws_acm_certificate_validation.') || c.address.startsWith('aws_route53_record.')) &&
      all.some((o) => o.address.startsWith('aws_acm_certificate.') && o.replacePaths.every((p) => p === 'key_algorithm') && o.replacePaths.length > 0),
  },
  {
    reason: 'moto\'s server does not return S3 bucket tags through S3 Control ListTagsForResource, so the tags show as missing',
    matches: (c) => c.address.startsWith('aws_s3_bucket.') && c.actions.join() === 'update' && c.paths.every((p) => p.startsWith('tags')),
  },
];

/** Splits changes into the emulator's (with the reason) and the real ones. */
export function splitEmulatorDifferences(changes: readonly Change[]): { real: Change[]; emulator: string[] } {
  const real: Change[] = [];
  const emulator: string[] = [];
  for (const c of changes) {
    const known = EMULATOR_DIFFERENCES.find((d) => d.matches(c, changes));
    if (known) emulator.push(`${c.address}: ${known.reason}`);
    else real.push(c);
  }
  return { real, emulator };
}

/** `plan -detailed-exitcode`, then the changes from `show -json` of the saved plan. */
async function planChanges(cli: Cli, dir: string, env: Record<string, string>): Promise<{ changes: Change[]; seconds: number; error?: string }> {
  const started = Date.now();
  const plan = await runCli(cli, ['plan', '-detailed-exitcode', '-input=false', '-no-color', '-out=e2e.plan'], { cwd: dir, env, timeoutMs: 900_000 });
  const seconds = (Date.now() - started) / 1000;
  if (plan.code === 1) return { changes: [], seconds, error: failureText(plan.stderr + plan.stdout, 60) };
  const show = await runCli(cli, ['show', '-json', 'e2e.plan'], { cwd: dir, env, timeoutMs: 300_000 });
  const parsed = JSON.parse(show.stdout);
  const changes: Change[] = (parsed.resource_changes ?? [])
    .filter((rc: any) => !(rc.change.actions.length === 1 && ['no-op', 'read'].includes(rc.change.actions[0])))
    .map((rc: any) => ({
      address: rc.address,
      actions: rc.change.actions,
      paths: diffPaths(rc.change.before, rc.change.after),
      replacePaths: (rc.change.replace_paths ?? []).map((p: unknown[]) => p.join('.')),
    }));
  if (plan.code === 0 && changes.length > 0) return { changes, seconds, error: 'plan exited 0 but the saved plan has changes' };
  if (plan.code === 2 && changes.length === 0) {
    // Only output changes (values known after apply): not a perpetual diff of a resource.
    const outputs = Object.keys(parsed.output_changes ?? {}).filter((k) => !(parsed.output_changes[k].actions ?? []).includes('no-op'));
    if (outputs.length > 0) return { changes: outputs.map((o) => ({ address: `output.${o}`, actions: parsed.output_changes[o].actions, paths: [], replacePaths: [] })), seconds };
  }
  return { changes, seconds };
}

/** The paths where two JSON values differ (for messages). */
export function diffPaths(before: unknown, after: unknown, at = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before && after && typeof before === 'object' && typeof after === 'object' && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
    return [...keys].flatMap((k) => diffPaths((before as any)[k], (after as any)[k], at ? `${at}.${k}` : k));
  }
  return [at || '(root)'];
}

/**
 * A changed input plans exactly the expected update: the first Deployment's image tag and
 * replica count and the first ConfigMap's data are changed in the configuration, and the
 * plan must update those resources in place and touch nothing else.
 */
async function changeCheck(cli: Cli, stack: SynthesizedStack, dir: string, env: Record<string, string>, report: Report): Promise<void> {
  const file = path.join(dir, 'cdk.tf.json');
  const original = fs.readFileSync(file, 'utf8');
  const json = JSON.parse(original);
  const manifests = Object.entries<any>(json.resource?.kubernetes_manifest ?? {});
  const deployment = manifests.find(([, r]) => r.manifest.kind === 'Deployment' && typeof r.manifest.spec?.replicas === 'number');
  const configMap = manifests.find(([, r]) => r.manifest.kind === 'ConfigMap' && r.manifest.data && Object.keys(r.manifest.data).length > 0);
  const expected = new Set<string>();
  if (deployment) {
    const container = deployment[1].manifest.spec.template.spec.containers[0];
    container.image = container.image.replace(/:[^:@/]+$/, ':e2e-changed');
    deployment[1].manifest.spec.replicas += 1;
    expected.add(`kubernetes_manifest.${deployment[0]}`);
  }
  if (configMap) {
    const key = Object.keys(configMap[1].manifest.data)[0];
    configMap[1].manifest.data[key] = `${configMap[1].manifest.data[key]}-e2e`;
    expected.add(`kubernetes_manifest.${configMap[0]}`);
  }
  if (expected.size === 0) {
    report.fail(stack.name, cli.name, 'change', 'the stack has no Deployment with replicas and no ConfigMap to change');
    return;
  }
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  try {
    const plan = await planChanges(cli, dir, env);
    if (plan.error) {
      report.fail(stack.name, cli.name, 'change', plan.error);
      return;
    }
    const { real } = splitEmulatorDifferences(plan.changes);
    const unexpected = real.filter((c) => !expected.has(c.address));
    const notUpdates = plan.changes.filter((c) => expected.has(c.address) && !(c.actions.length === 1 && c.actions[0] === 'update'));
    const missing = [...expected].filter((a) => !plan.changes.some((c) => c.address === a));
    const problems = [
      ...unexpected.map((c) => `unexpected change: ${describeChange(c).trim()}`),
      ...notUpdates.map((c) => `not an in-place update: ${describeChange(c).trim()}`),
      ...missing.map((a) => `expected an update of ${a}, the plan has none`),
    ];
    if (problems.length > 0) report.fail(stack.name, cli.name, 'change', problems.join('\n'));
    else report.step(stack.name, cli.name, 'change', { ok: true, seconds: plan.seconds, diagnostics: [], figure: `${expected.size} expected update(s), nothing else` });
  } finally {
    fs.writeFileSync(file, original);
  }
}

/**
 * The pods the controllers created must be admitted by Pod Security: a ReplicaSet, StatefulSet
 * or Job whose pod is refused records a FailedCreate event naming PodSecurity.
 */
async function podSecurityCheck(cp: ControlPlane, stack: SynthesizedStack, cli: Cli, report: Report): Promise<void> {
  const namespaces = [...new Set(Object.values<any>(stack.json.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest.metadata?.namespace).filter(Boolean))] as string[];
  // Controllers create pods within seconds; wait up to 30 s, and at least 10 s so a refusal has time to show.
  const started = Date.now();
  let pods = 0;
  let refused: string[] = [];
  for (;;) {
    pods = 0;
    refused = [];
    for (const ns of namespaces) {
      const list = await cp.request('GET', `/api/v1/namespaces/${ns}/pods`);
      pods += (list.body?.items ?? []).length;
      const events = await cp.request('GET', `/api/v1/namespaces/${ns}/events`);
      for (const e of events.body?.items ?? []) {
        if (e.reason === 'FailedCreate' && /PodSecurity|violates/.test(e.message ?? '')) refused.push(`${ns}/${e.involvedObject?.kind}/${e.involvedObject?.name}: ${e.message}`);
      }
    }
    const waited = Date.now() - started;
    if (refused.length > 0 || (pods > 0 && waited > 10_000) || waited > 30_000) break;
    await sleep(1000);
  }
  if (refused.length > 0) report.fail(stack.name, cli.name, 'pod security', [...new Set(refused)].join('\n'));
  else if (pods === 0) report.fail(stack.name, cli.name, 'pod security', 'the controllers created no pod in 30 s (is kube-controller-manager running?)');
  else report.pass(stack.name, cli.name, 'pod security', `${pods} pod(s) created and admitted (Pending: no nodes)`);
}

const POD_CONTROLLERS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

function hasPodControllers(json: any): boolean {
  return Object.values<any>(json.resource?.kubernetes_manifest ?? {}).some((r) => POD_CONTROLLERS.has(r.manifest?.kind));
}

/** The namespaces a stack creates (Namespace objects it applies). */
function createdNamespaces(json: any): string[] {
  return Object.values<any>(json.resource?.kubernetes_manifest ?? {})
    .filter((r) => r.manifest.kind === 'Namespace')
    .map((r) => r.manifest.metadata.name as string);
}

async function waitNamespacesGone(cp: ControlPlane, namespaces: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left: string[] = [];
    for (const ns of namespaces) if ((await cp.request('GET', `/api/v1/namespaces/${ns}`)).status !== 404) left.push(ns);
    if (left.length === 0 || Date.now() > deadline) return left;
    await sleep(1000);
  }
}

async function stateCounts(cli: Cli, dir: string, env: Record<string, string>): Promise<{ total: number; summary: string }> {
  const list = await runCli(cli, ['state', 'list'], { cwd: dir, env, timeoutMs: 120_000 });
  const addresses = list.code === 0 ? list.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('data.')) : [];
  const k8s = addresses.filter((a) => a.startsWith('kubernetes_')).length;
  const awsCount = addresses.filter((a) => a.startsWith('aws_')).length;
  return { total: addresses.length, summary: `${k8s} Kubernetes object(s), ${awsCount} AWS resource(s), ${addresses.length - k8s - awsCount} other` };
}

// ---------------------------------------------------------------------------------------------
// The AWS things the stacks look up: the OIDC provider and the hosted zones

/**
 * What the stacks look up, created in the emulator first: hosted zones (by literal name), EKS
 * clusters (by literal name; moto accepts any role and subnets) with an IAM OIDC provider for
 * each cluster's issuer, and the OIDC providers named by a literal issuer URL.
 */
export function seedConfig(stacks: readonly SynthesizedStack[], extraIssuers: readonly string[] = []): any {
  const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('${');
  const zones = new Set<string>();
  const clusters = new Set<string>();
  const issuers = new Set<string>();
  const fixedZones = new Set<string>();
  const zoneNameOf = new Map<string, string>();
  for (const stack of stacks) {
    for (const zone of Object.values<any>(stack.json.data?.aws_route53_zone ?? {})) if (literal(zone.name)) zones.add(zone.name.replace(/\.$/, ''));
    for (const cluster of Object.values<any>(stack.json.data?.aws_eks_cluster ?? {})) if (literal(cluster.name)) clusters.add(cluster.name);
    for (const oidc of Object.values<any>(stack.json.data?.aws_iam_openid_connect_provider ?? {})) if (literal(oidc.url)) issuers.add(oidc.url);
    for (const id of literalZoneIds(stack.json)) fixedZones.add(id);
    for (const local of Object.values<any>(stack.json.locals ?? {})) {
      if (!local || typeof local !== 'object') continue;
      for (const [domain, id] of Object.entries(local)) {
        if (typeof id !== 'string' || !literal(domain)) continue;
        const known = zoneNameOf.get(id);
        if (!known || domain.length < known.length) zoneNameOf.set(id, domain);
      }
    }
  }
  const resource: any = {};
  const thumbprint = ['9e99a48a9960b14926bb7f3b02e22da2b0ab7280'];
  [...zones].forEach((name, i) => ((resource.aws_route53_zone ??= {})[`zone${i}`] = { name }));
  const output: any = {};
  // A zone named by its id cannot be created with that id: a zone stands in for it, and the copy
  // under test is given the emulator's id (applyEnvironment).
  // Its name is the shortest domain the stacks map to that id (the zone apex), so record names
  // fall inside it; a zone of that name already seeded serves both.
  const zoneList = [...zones];
  [...fixedZones].forEach((id) => {
    const name = zoneNameOf.get(id) ?? `${id.toLowerCase()}.e2e-fixed.example`;
    const existing = zoneList.indexOf(name);
    if (existing >= 0) {
      output[`fixedzone_${id}`] = { value: `\${aws_route53_zone.zone${existing}.zone_id}` };
      return;
    }
    (resource.aws_route53_zone ??= {})[`fixed_${id}`] = { name };
    output[`fixedzone_${id}`] = { value: `\${aws_route53_zone.fixed_${id}.zone_id}` };
  });
  [...clusters].forEach((name, i) => {
    (resource.aws_eks_cluster ??= {})[`cluster${i}`] = { name, role_arn: 'arn:aws:iam::123456789012:role/e2e-eks-cluster', vpc_config: { subnet_ids: ['subnet-0e2e0000000000001', 'subnet-0e2e0000000000002'] } };
    output[`issuer${i}`] = { value: `\${aws_eks_cluster.cluster${i}.identity[0].oidc[0].issuer}` };
  });
  // Issuers known now, plus those of the clusters once created (moto may give clusters one shared issuer).
  const providers = [...issuers, ...extraIssuers.filter((u) => !issuers.has(u))];
  [...new Set(providers)].forEach((url, i) => ((resource.aws_iam_openid_connect_provider ??= {})[`issuer${i}`] = { url, client_id_list: ['sts.amazonaws.com'], thumbprint_list: thumbprint }));
  return {
    terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } },
    provider: { aws: { region: 'us-east-2', s3_use_path_style: true, skip_credentials_validation: true } },
    resource,
    ...(Object.keys(output).length > 0 ? { output } : {}),
  };
}

/** Literal Route53 zone ids a stack writes records into (record zone_id values, zone id maps in locals). */
export function literalZoneIds(json: any): string[] {
  const ids = new Set<string>();
  const isZoneId = (v: unknown): v is string => typeof v === 'string' && /^Z[0-9A-Z]{6,32}$/.test(v);
  for (const record of Object.values<any>(json.resource?.aws_route53_record ?? {})) if (isZoneId(record.zone_id)) ids.add(record.zone_id);
  for (const local of Object.values<any>(json.locals ?? {})) {
    if (local && typeof local === 'object') for (const v of Object.values(local)) if (isZoneId(v)) ids.add(v);
  }
  return [...ids];
}

async function seedAws(cli: Cli, dir: string, stacks: readonly SynthesizedStack[], providers: readonly BuiltProvider[], env: Record<string, string>, report: Report): Promise<Record<string, string>> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const aws = providers.find((p) => p.type === 'aws');
  const apply = async (config: any) => {
    config.terraform.required_providers.aws.version = aws?.version;
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
    const init = await runCli(cli, ['init', '-input=false', '-no-color'], { cwd: dir, env });
    const result = init.code === 0 ? await runCli(cli, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, timeoutMs: 300_000 }) : init;
    if (result.code !== 0) throw new Error(`seeding the emulator (hosted zones, EKS clusters, OIDC providers) failed:\n${failureText(result.stderr + result.stdout)}`);
  };
  // Twice: the clusters first, then an OIDC provider for each distinct issuer they got.
  await apply(seedConfig(stacks));
  const outputs = await runCli(cli, ['output', '-json'], { cwd: dir, env });
  const values = Object.entries<any>(outputs.code === 0 ? JSON.parse(outputs.stdout || '{}') : {});
  const issuers = values.filter(([k]) => k.startsWith('issuer')).map(([, o]) => String(o.value));
  const zoneIds = Object.fromEntries(values.filter(([k]) => k.startsWith('fixedzone_')).map(([k, o]) => [k.slice('fixedzone_'.length), String(o.value)]));
  const config = seedConfig(stacks, issuers);
  await apply(config);
  const n = Object.values<any>(config.resource).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  report.pass('aws-emulator', cli.name, 'seed', `${n} hosted zone(s), EKS cluster(s) and OIDC provider(s)`);
  return zoneIds;
}

async function destroySeed(cli: Cli, dir: string, env: Record<string, string>, report: Report): Promise<void> {
  const destroy = await runCli(cli, ['destroy', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env, timeoutMs: 300_000 });
  if (destroy.code !== 0) report.fail('aws-emulator', cli.name, 'unseed', failureText(destroy.stderr + destroy.stdout));
}

// ---------------------------------------------------------------------------------------------

async function timed<T>(fn: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const started = Date.now();
  const result = await fn();
  return { result, seconds: (Date.now() - started) / 1000 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
