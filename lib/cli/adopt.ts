/**
 * `cdktf-golden-path adopt --stack <name>`: keep only the `import` blocks of a synthesized stack
 * whose Kubernetes object exists in the cluster (docs/migration.md). An import of an object
 * that does not exist fails the plan, so a stack synthesized with adoption for a cluster where
 * only some objects exist is filtered here, between `cdktf synth` and `terraform plan`.
 *
 * It reads the kubeconfig with the preflight's reader (lib/app/kubeconfig.ts: KUBECONFIG merged
 * as kubectl merges it; client certificates, tokens, exec plugins such as `aws eks get-token`)
 * and asks the API server with plain GET requests. Imports of other providers' resources (IAM, S3, CloudFront) are kept and listed
 * as not checked. Internal: not part of the package root's API.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ClusterConnection, getJson, loadKubeconfig, requestJson } from '../app/kubeconfig';
import { escapeTerraformTemplates } from '../core/terraform-strings';

/** One import block and whether its object exists. */
export interface ImportCheck {
  /** The import's target address. */
  readonly to: string;
  readonly id: string;
  /** exists: keep; missing: remove; unchecked: not a Kubernetes object, kept. */
  readonly status: 'exists' | 'missing' | 'unchecked';
  /** The API path asked, or why it was not checked. */
  readonly detail: string;
  /** The live object (kubernetes_manifest imports of objects that exist). */
  readonly live?: Record<string, unknown>;
}

/** Parses `apiVersion=..,kind=..[,namespace=..],name=..` (the kubernetes_manifest import id). */
export function parseManifestImportId(id: string): { apiVersion: string; kind: string; namespace?: string; name: string } {
  const fields: Record<string, string> = {};
  for (const part of id.split(',')) {
    const [k, v, ...rest] = part.split('=');
    if (v === undefined || rest.length > 0 || !['apiVersion', 'kind', 'namespace', 'name'].includes(k)) throw new Error(`not a kubernetes_manifest import id: ${id}`);
    fields[k] = v;
  }
  if (!fields.apiVersion || !fields.kind || !fields.name) throw new Error(`not a kubernetes_manifest import id (apiVersion, kind and name are required): ${id}`);
  return { apiVersion: fields.apiVersion, kind: fields.kind, namespace: fields.namespace, name: fields.name };
}

/** Maps apiVersion + kind to the API path of an object, by API discovery (cached), as kubectl does. */
export function objectPaths(conn: ClusterConnection): (ref: { apiVersion: string; kind: string; namespace?: string; name: string }) => Promise<string | undefined> {
  const discovery = new Map<string, Promise<Array<{ name: string; kind: string; namespaced: boolean }>>>();
  const resourcesOf = (apiVersion: string) => {
    let p = discovery.get(apiVersion);
    if (!p) {
      p = getJson(conn, apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`).then((res) => {
        if (res.status === 404) return [];
        if (res.status !== 200) throw new Error(`API discovery of ${apiVersion} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
        return (res.body?.resources ?? []).filter((r: any) => !String(r.name).includes('/'));
      });
      discovery.set(apiVersion, p);
    }
    return p;
  };
  const enc = encodeURIComponent;
  return async (ref) => {
    const resource = (await resourcesOf(ref.apiVersion)).find((r) => r.kind === ref.kind);
    if (!resource) return undefined;
    const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
    return `${base}${resource.namespaced ? `/namespaces/${enc(ref.namespace ?? 'default')}` : ''}/${resource.name}/${enc(ref.name)}`;
  };
}

/**
 * Asks the API server which import blocks of a synthesized stack name an existing object.
 * Kinds are mapped to resources by API discovery, as kubectl does.
 */
export async function checkImports(stackJson: any, conn: ClusterConnection): Promise<ImportCheck[]> {
  const pathOf = objectPaths(conn);
  const fetchObject = async (urlPath: string): Promise<Record<string, unknown> | undefined> => {
    const res = await getJson(conn, urlPath);
    if (res.status === 200) return res.body ?? {};
    if (res.status === 404) return undefined;
    throw new Error(`GET ${urlPath} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  };
  const exists = async (urlPath: string): Promise<boolean> => (await fetchObject(urlPath)) !== undefined;
  const enc = encodeURIComponent;
  const checks: ImportCheck[] = [];
  for (const block of stackJson.import ?? []) {
    const to = String(block.to);
    const id = String(block.id);
    const type = to.split('.')[0];
    if (type === 'kubernetes_manifest') {
      const ref = parseManifestImportId(id);
      const urlPath = await pathOf(ref);
      if (!urlPath) {
        checks.push({ to, id, status: 'missing', detail: `the cluster does not serve ${ref.apiVersion} ${ref.kind} (CRD not installed?)` });
        continue;
      }
      const live = await fetchObject(urlPath);
      checks.push(live ? { to, id, status: 'exists', detail: urlPath, live } : { to, id, status: 'missing', detail: urlPath });
    } else if (type === 'kubernetes_secret_v1' || type === 'kubernetes_config_map_v1') {
      const [ns, name] = id.split('/');
      const urlPath = `/api/v1/namespaces/${enc(ns)}/${type === 'kubernetes_secret_v1' ? 'secrets' : 'configmaps'}/${enc(name)}`;
      checks.push({ to, id, status: (await exists(urlPath)) ? 'exists' : 'missing', detail: urlPath });
    } else if (type === 'helm_release') {
      // Helm 3 keeps each release revision in a Secret labelled owner=helm,name=<release>.
      const [ns, name] = id.split('/');
      const urlPath = `/api/v1/namespaces/${enc(ns)}/secrets?labelSelector=${enc(`owner=helm,name=${name}`)}`;
      const res = await getJson(conn, urlPath);
      if (res.status !== 200) throw new Error(`GET ${urlPath} answered ${res.status}`);
      checks.push({ to, id, status: (res.body?.items ?? []).length > 0 ? 'exists' : 'missing', detail: urlPath });
    } else {
      checks.push({ to, id, status: 'unchecked', detail: `${type} is not a Kubernetes object: kept` });
    }
  }
  return checks;
}

/** The stack JSON with the imports of missing objects removed. */
export function keepExistingImports(stackJson: any, checks: readonly ImportCheck[]): any {
  const missing = new Set(checks.filter((c) => c.status === 'missing').map((c) => c.to));
  const kept = (stackJson.import ?? []).filter((b: any) => !missing.has(String(b.to)));
  const out = { ...stackJson };
  if (kept.length > 0) out.import = kept;
  else delete out.import;
  return out;
}

/**
 * The stack JSON for the import step: each imported kubernetes_manifest applies its live object
 * (server-set fields removed) instead of the library's manifest.
 *
 * Why: right after an import, the kubernetes provider (hashicorp/kubernetes 2.x and 3.x) plans
 * the update from the imported object, filling every field the new manifest does not set from the
 * live object at the same path, lists by position (manifest/provider/plan.go); the apply then
 * sends that mix. When a list differs in order (Panfactum's env starts with the commonSecrets
 * references, the library's with the downward-API variables), elements get fields of two
 * entries and the API server refuses the Deployment ("may not have more than one field
 * specified at a time"). Applying the live object first makes the state's manifest cover every
 * live field; the next plan (the library's manifest again, after a new synth) is an ordinary
 * server-side apply update of exactly the library's fields.
 */
export function importStepConfig(stackJson: any, checks: readonly ImportCheck[]): any {
  const out = keepExistingImports(stackJson, checks);
  const resources = { ...(out.resource?.kubernetes_manifest ?? {}) };
  for (const c of checks) {
    if (c.status !== 'exists' || !c.live || !c.to.startsWith('kubernetes_manifest.')) continue;
    const name = c.to.slice('kubernetes_manifest.'.length);
    if (!resources[name]) continue;
    resources[name] = { ...resources[name], manifest: escapeTerraformTemplates(liveManifest(c.live)) };
    // A wait would wait for what the import step does not change.
    delete resources[name].wait;
  }
  if (out.resource?.kubernetes_manifest) out.resource = { ...out.resource, kubernetes_manifest: resources };
  return out;
}

/** Fields the API server sets: not part of what anyone applies. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds'];
const SERVER_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

/** The live object as a manifest: no status, no server-set metadata, no nulls. */
export function liveManifest(live: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, ...rest } = live;
  const metadata = { ...((rest.metadata ?? {}) as Record<string, unknown>) };
  for (const k of SERVER_METADATA) delete metadata[k];
  if (metadata.annotations && typeof metadata.annotations === 'object') {
    const annotations = { ...(metadata.annotations as Record<string, string>) };
    for (const k of SERVER_ANNOTATIONS) delete annotations[k];
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    else delete metadata.annotations;
  }
  return withoutNulls({ ...rest, metadata }) as Record<string, unknown>;
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = withoutNulls(v);
    return out;
  }
  return value;
}

/**
 * The state after the import step, made ready for the library's manifests: each imported
 * kubernetes_manifest gets `manifest` = its `object` (the live object in the provider's typed
 * form, every field present, absent ones as null). The provider plans an update by filling each
 * field the new manifest does not set from the prior object at the same path unless the prior
 * manifest had that path; list elements that moved (the library's env starts with the
 * downward-API variables, Panfactum's with the commonSecrets references) would otherwise take
 * fields of another element, or a null where the API server sets a default ("Provider produced
 * inconsistent result after apply"). With every path in the prior manifest, those fields are
 * planned as unknown and the apply sends exactly the library's manifest. Returns the addresses
 * changed.
 */
export function prepareStateForUpdate(state: any, addresses: ReadonlySet<string>): string[] {
  const changed: string[] = [];
  for (const r of state.resources ?? []) {
    if (r.mode !== 'managed' || r.type !== 'kubernetes_manifest' || r.module) continue;
    const address = `kubernetes_manifest.${r.name}`;
    if (!addresses.has(address)) continue;
    for (const instance of r.instances ?? []) {
      const a = instance.attributes;
      if (!a?.object || JSON.stringify(a.manifest) === JSON.stringify(a.object)) continue;
      a.manifest = JSON.parse(JSON.stringify(a.object));
      changed.push(address);
    }
  }
  if (changed.length > 0) state.serial = (state.serial ?? 0) + 1;
  return changed;
}

/**
 * After the import step the library's field manager co-owns every field of each imported object
 * with the managers that made it (`kubectl`, the typed resources' `HashiCorp`). Fields owned by
 * another manager stay when the library's manifest leaves them out, so the update would keep
 * labels and annotations the plan says are gone ("Provider produced inconsistent result after
 * apply: new element has appeared"). This removes the other managers' entries (those of the
 * main resource; status and other subresources keep theirs), so the library's manager owns the
 * object alone and the update removes what the old configuration set and the library does not:
 * exactly what the plan shows.
 */
export async function transferOwnership(stackJson: any, conn: ClusterConnection, log: (line: string) => void): Promise<number> {
  const pathOf = objectPaths(conn);
  let changed = 0;
  for (const block of stackJson.import ?? []) {
    const to = String(block.to);
    if (!to.startsWith('kubernetes_manifest.')) continue;
    const manager = stackJson.resource?.kubernetes_manifest?.[to.slice('kubernetes_manifest.'.length)]?.field_manager?.name;
    if (typeof manager !== 'string') continue;
    const urlPath = await pathOf(parseManifestImportId(String(block.id)));
    if (!urlPath) continue;
    const res = await getJson(conn, urlPath);
    if (res.status === 404) continue;
    if (res.status !== 200) throw new Error(`GET ${urlPath} answered ${res.status}`);
    const entries: any[] = res.body?.metadata?.managedFields ?? [];
    const kept = entries.filter((e) => e.manager === manager || (e.subresource ?? '') !== '');
    if (!kept.some((e) => e.manager === manager)) throw new Error(`${to}: the field manager ${manager} owns nothing in ${urlPath}: apply the import step first`);
    if (kept.length === entries.length) continue;
    const patch = [
      { op: 'test', path: '/metadata/resourceVersion', value: res.body.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: kept },
    ];
    const out = await requestJson(conn, 'PATCH', urlPath, { body: patch, contentType: 'application/json-patch+json', timeoutMs: 30_000 });
    if (out.status !== 200) throw new Error(`PATCH ${urlPath} (managedFields) answered ${out.status}: ${JSON.stringify(out.body).slice(0, 300)}`);
    log(`ownership ${to}: ${[...new Set(entries.filter((e) => !kept.includes(e)).map((e) => e.manager))].join(', ')} removed, ${manager} owns the object`);
    changed++;
  }
  return changed;
}

/** `state pull`, {@link prepareStateForUpdate} for the stack's kubernetes_manifest imports, `state push`. */
export async function afterImport(dir: string, cli: string, env: NodeJS.ProcessEnv, conn: ClusterConnection, log: (line: string) => void): Promise<number> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const transferred = await transferOwnership(json, conn, log);
  log(`${transferred} object(s) now owned by the library's field manager alone`);
  const addresses = new Set<string>((json.import ?? []).map((b: any) => String(b.to)).filter((to: string) => to.startsWith('kubernetes_manifest.')));
  if (addresses.size === 0) {
    log(`${dir}: no kubernetes_manifest import blocks in cdk.tf.json: nothing to prepare (run this before synthesizing again)`);
    return 0;
  }
  const run = (args: string[], input?: string) => spawnSync(cli, args, { cwd: dir, env, input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000 });
  const pull = run(['state', 'pull']);
  if (pull.status !== 0) throw new Error(`${cli} state pull failed in ${dir}: ${pull.error?.message ?? pull.stderr}`);
  const state = JSON.parse(pull.stdout);
  const changed = prepareStateForUpdate(state, addresses);
  if (changed.length === 0) {
    log(`${dir}: the state is ready (no imported kubernetes_manifest left to prepare)`);
    return 0;
  }
  const file = path.join(dir, `adopt-state-${process.pid}.tfstate`);
  fs.writeFileSync(file, JSON.stringify(state), { mode: 0o600 });
  try {
    const push = run(['state', 'push', path.basename(file)]);
    if (push.status !== 0) throw new Error(`${cli} state push failed in ${dir}: ${push.error?.message ?? push.stderr}`);
  } finally {
    fs.rmSync(file, { force: true });
  }
  log(`${dir}: prepared ${changed.length} imported object(s) for the update; now synthesize again and plan (docs/migration.md)`);
  return 0;
}

const USAGE = [
  'usage: cdktf-golden-path adopt --stack NAME [--out cdktf.out] [--kubeconfig PATH] [--context NAME] [--filter-only] [--dry-run]',
  '       cdktf-golden-path adopt --stack NAME --after-import [--out cdktf.out] [--dir DIR] [--cli terraform|tofu] [--kubeconfig PATH] [--context NAME]',
].join('\n');

/** The `adopt` command; returns the exit code. */
export async function adoptCommand(argv: readonly string[], log: (line: string) => void = console.log, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let stack: string | undefined;
  let out = 'cdktf.out';
  let kubeconfig: string | undefined;
  let context: string | undefined;
  let dryRun = false;
  let filterOnly = false;
  let after = false;
  let dir: string | undefined;
  let cli = env.TERRAFORM_BINARY_NAME || 'terraform';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === '--stack') stack = value();
    else if (a === '--out') out = value();
    else if (a === '--kubeconfig') kubeconfig = value();
    else if (a === '--context') context = value();
    else if (a === '--dry-run') dryRun = true;
    else if (a === '--filter-only') filterOnly = true;
    else if (a === '--after-import') after = true;
    else if (a === '--dir') dir = value();
    else if (a === '--cli') cli = value();
    else if (a === '--help' || a === '-h') {
      log(USAGE);
      return 0;
    } else {
      log(USAGE);
      return 2;
    }
  }
  if (!stack) {
    log(USAGE);
    return 2;
  }
  if (after) return afterImport(dir ?? path.join(out, 'stacks', stack), cli, env, loadKubeconfig({ kubeconfig, context, env }), log);
  const file = path.join(out, 'stacks', stack, 'cdk.tf.json');
  if (!fs.existsSync(file)) throw new Error(`${file} does not exist: synthesize first (cdktf synth), with adoption on for the stack`);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(json.import) || json.import.length === 0) {
    log(`${stack}: no import blocks (is adoption on? adopt(...) or adopt_existing: true)`);
    return 0;
  }
  const conn = loadKubeconfig({ kubeconfig, context });
  const checks = await checkImports(json, conn);
  const width = Math.max(...checks.map((c) => c.to.length));
  for (const c of checks) log(`${c.status.padEnd(9)} ${c.to.padEnd(width)}  ${c.id}`);
  const count = (s: ImportCheck['status']) => checks.filter((c) => c.status === s).length;
  log(`${stack} (context ${conn.context}): ${count('exists')} exist (imported), ${count('missing')} missing (import removed: created by the apply), ${count('unchecked')} not checked (not Kubernetes objects: kept)`);
  if (dryRun) return 0;
  if (filterOnly) {
    fs.writeFileSync(file, JSON.stringify(keepExistingImports(json, checks), null, 2));
    log(`wrote ${file} (imports of missing objects removed); plan it without synthesizing again (cdktf plan --skip-synth, or terraform plan in ${path.dirname(file)})`);
    return 0;
  }
  fs.writeFileSync(file, JSON.stringify(importStepConfig(json, checks), null, 2));
  log(`wrote ${file}: the import step (imports of missing objects removed; imported Kubernetes objects applied as they are live).`);
  log(`  1. plan and apply it without synthesizing again (terraform apply in ${path.dirname(file)}): imports, no change to a live object`);
  log(`  2. cdktf-golden-path adopt --stack ${stack} --after-import   (prepares the state for the library's manifests)`);
  log('  3. synthesize again, plan and apply: in-place updates to the library\'s objects (docs/migration.md)');
  return 0;
}
