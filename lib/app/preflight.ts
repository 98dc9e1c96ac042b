/**
 * The cluster preflight: before `cdktf deploy`, ask the cluster's API discovery whether every
 * custom kind the stacks' `kubernetes_manifest` objects use is served, in the version they use.
 * (The kubernetes provider reads each kind's schema from the cluster while planning, so a missing
 * CRD fails the plan; the preflight says so before, with the whole list.)
 */
import { ClusterConnection, KubeconfigError, getJson, loadKubeconfig } from './kubeconfig';
import type { CrdInstaller, StackRequirements } from './requirements';

/**
 * Options of {@link preflightCluster}.
 *
 * @group App
 */
export interface PreflightOptions {
  /** What the stacks need (from {@link synthRequirements} or {@link stackRequirements}); every stack given is checked. */
  readonly requirements: StackRequirements | readonly StackRequirements[];
  /**
   * The kubeconfig file (or files, separated as in KUBECONFIG).
   * @default - the KUBECONFIG environment variable, else ~/.kube/config
   */
  readonly kubeconfig?: string;
  /**
   * The kubeconfig context.
   * @default - the kubeconfig's current-context
   */
  readonly context?: string;
  /**
   * How long each request to the API server may take, in milliseconds.
   * @default 15000
   */
  readonly timeoutMs?: number;
}

/**
 * The outcome for one custom kind of one stack.
 * - `served`: the cluster serves the kind in that version.
 * - `missing`: it does not, and nothing deployed before the stack installs it: planning the stack fails.
 * - `installed-by-dependency`: it does not yet, but a stack checked with it that it depends on
 *   installs the CRD (`cdktf deploy` applies that stack first).
 *
 * @group App
 */
export type PreflightStatus = 'served' | 'missing' | 'installed-by-dependency';

/**
 * One custom kind of one stack, checked.
 *
 * @group App
 */
export interface PreflightCheck {
  readonly stack: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly apiVersion: string;
  /** The CRD's name, when known. */
  readonly crd?: string;
  readonly status: PreflightStatus;
  /** Why, in words: the versions the cluster serves instead, or what installs it. */
  readonly detail: string;
  /** How many objects of the stack use it. */
  readonly objects: number;
  readonly installedBy?: CrdInstaller;
}

/**
 * The check of one capability a stack's objects rely on (see StackRequirements.capabilities).
 *
 * @group App
 */
export interface CapabilityCheck {
  readonly stack: string;
  /** The capability, e.g. `storageClass:gp3`. */
  readonly capability: string;
  /**
   * `present`: the cluster object exists; `missing`: it does not; `not-checked`: nothing in the
   * API shows it (a scheduler, a node class, Linkerd) or its kind is not served.
   */
  readonly status: 'present' | 'missing' | 'not-checked';
  readonly detail: string;
}

/**
 * The result of {@link preflightCluster}.
 *
 * @group App
 */
export interface PreflightResult {
  /** No custom kind is missing. */
  readonly ok: boolean;
  /** The kubeconfig context used. */
  readonly context: string;
  /** The API server asked. */
  readonly server: string;
  /** Every custom kind of every stack checked, stack by stack. */
  readonly checks: readonly PreflightCheck[];
  /** The checks with status `missing`. */
  readonly missing: readonly PreflightCheck[];
  /** Capabilities the stacks declare, by stack (listed, not checked). */
  readonly capabilities: Readonly<Record<string, readonly string[]>>;
  /** Each capability of each stack, checked where the API can show it. */
  readonly capabilityChecks: readonly CapabilityCheck[];
  /** The capability checks that found nothing. */
  readonly missingCapabilities: readonly CapabilityCheck[];
}

/** Capabilities the preflight can look up: the cluster-scoped object that must exist, and what to do without it. */
const CHECKABLE: Record<string, { path: (name: string) => string; kind: string; fix: string; group?: string; version?: string; resourceKind?: string }> = {
  storageClass: {
    path: (n) => `/apis/storage.k8s.io/v1/storageclasses/${encodeURIComponent(n)}`, kind: 'StorageClass',
    fix: 'create it (on EKS: the aws-ebs-csi-driver add-on and a StorageClass of that name), or set the cluster profile\'s storageClass / retainedStorageClass to a class the cluster has',
  },
  ingressClass: {
    path: (n) => `/apis/networking.k8s.io/v1/ingressclasses/${encodeURIComponent(n)}`, kind: 'IngressClass',
    fix: 'install ingress-nginx with this IngressClass, or set the cluster profile\'s ingressNginxClass to the class it has',
  },
  priorityClass: {
    path: (n) => `/apis/scheduling.k8s.io/v1/priorityclasses/${encodeURIComponent(n)}`, kind: 'PriorityClass',
    fix: 'create it (KubePriorityClasses, in a stack deployed first), or name one the cluster has',
  },
  clusterIssuer: {
    path: (n) => `/apis/cert-manager.io/v1/clusterissuers/${encodeURIComponent(n)}`, kind: 'ClusterIssuer', group: 'cert-manager.io', version: 'v1', resourceKind: 'ClusterIssuer',
    fix: 'create the cert-manager ClusterIssuer, or set certIssuerName (or the cluster profile\'s certIssuerName) to one the cluster has',
  },
};

interface Discovery {
  /** Kinds served at group/version, or undefined when the group/version is not served. */
  readonly kinds?: ReadonlySet<string>;
  /** Versions the cluster serves of the group (when the group/version is not served). */
  readonly groupVersions?: readonly string[];
}

async function discover(conn: ClusterConnection, group: string, version: string, timeoutMs: number): Promise<Discovery> {
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const res = await getJson(conn, base, timeoutMs);
  if (res.status === 200) return { kinds: new Set(((res.body?.resources ?? []) as Array<{ kind?: string; name?: string }>).filter((r) => r.name && !r.name.includes('/')).map((r) => String(r.kind))) };
  if (res.status === 401 || res.status === 403) {
    throw new KubeconfigError(`${conn.server} refused the discovery request GET ${base} (${res.status}${res.body?.message ? `: ${res.body.message}` : ''}): check the credentials of context ${conn.context}`);
  }
  if (res.status !== 404) throw new Error(`${conn.server}: GET ${base} answered ${res.status}${res.body?.message ? `: ${res.body.message}` : ''}`);
  if (group === '') return { groupVersions: [] };
  const g = await getJson(conn, `/apis/${group}`, timeoutMs);
  if (g.status === 200) return { groupVersions: ((g.body?.versions ?? []) as Array<{ version?: string }>).map((v) => String(v.version)) };
  return { groupVersions: [] };
}

/**
 * Check a live cluster for the custom kinds the stacks need: with the user's kubeconfig
 * (KUBECONFIG or ~/.kube/config, or `kubeconfig`; client certificates, bearer tokens, CA data
 * or files, and `exec` credential plugins such as `aws eks get-token`), ask API discovery
 * (`/apis/<group>/<version>`) whether each group/version is served and lists the kind.
 *
 * A kind that is not served is `missing`, unless a stack among those checked that the stack
 * depends on installs its CRD (a Helm release whose chart brings it): then it is
 * `installed-by-dependency`, since `cdktf deploy` applies that stack first. A CRD installed by
 * the stack itself is still missing: planning the stack needs it before anything is applied.
 *
 * @example
 * const result = await preflightCluster({ requirements: synthRequirements('cdktf.out'), context: 'production' });
 * if (!result.ok) { console.error(formatPreflight(result)); process.exit(1); }
 *
 * @group App
 */
export async function preflightCluster(options: PreflightOptions): Promise<PreflightResult> {
  const stacks: readonly StackRequirements[] = Array.isArray(options.requirements) ? options.requirements : [options.requirements as StackRequirements];
  const timeoutMs = options.timeoutMs ?? 15_000;
  const conn = loadKubeconfig({ kubeconfig: options.kubeconfig, context: options.context });
  const found = new Map<string, Promise<Discovery>>();
  const lookup = (group: string, version: string) => {
    const key = `${group}/${version}`;
    if (!found.has(key)) found.set(key, discover(conn, group, version, timeoutMs));
    return found.get(key)!;
  };
  const checked = new Set(stacks.map((s) => s.stack));
  const checks: PreflightCheck[] = [];
  for (const s of stacks) {
    for (const c of s.crds) {
      const d = await lookup(c.group, c.version);
      const base = { stack: s.stack, group: c.group, version: c.version, kind: c.kind, apiVersion: c.apiVersion, ...(c.crd ? { crd: c.crd } : {}), objects: c.resources.length, ...(c.installedBy ? { installedBy: c.installedBy } : {}) };
      if (d.kinds?.has(c.kind)) {
        checks.push({ ...base, status: 'served', detail: `${c.apiVersion} ${c.kind} is served` });
        continue;
      }
      const why = d.kinds
        ? `${c.apiVersion} is served without ${c.kind}`
        : d.groupVersions && d.groupVersions.length > 0
          ? `${c.group} is served only in ${d.groupVersions.join(', ')}, not ${c.version}`
          : `API group ${c.group} not served`;
      const by = c.installedBy;
      const installer = by ? `${by.resource}${by.chart ? ` (chart ${by.chart})` : ''}` : '';
      if (by && by.stack !== s.stack && checked.has(by.stack)) {
        checks.push({ ...base, status: 'installed-by-dependency', detail: `${why}; ${installer} of stack ${by.stack}, deployed first, installs it` });
        continue;
      }
      const fix = by
        ? by.stack === s.stack
          ? `${installer} of this stack installs it, but the plan needs it before: apply that first (terraform apply -target=${by.resource})`
          : `deploy stack ${by.stack} first (${installer} installs it)`
        : `install the CRD (the operator of ${c.group}) in a release that serves ${c.kind} ${c.version}`;
      checks.push({ ...base, status: 'missing', detail: `${why}; ${fix}` });
    }
  }
  const capabilities: Record<string, readonly string[]> = {};
  for (const s of stacks) capabilities[s.stack] = [...s.capabilities];
  const capabilityChecks: CapabilityCheck[] = [];
  const objects = new Map<string, Promise<number>>();
  for (const s of stacks) {
    for (const capability of s.capabilities) {
      const colon = capability.indexOf(':');
      const how = colon > 0 ? CHECKABLE[capability.slice(0, colon)] : undefined;
      const name = capability.slice(colon + 1);
      if (!how) {
        capabilityChecks.push({ stack: s.stack, capability, status: 'not-checked', detail: 'not visible through the API; the cluster profile declares it (docs/clusters.md)' });
        continue;
      }
      if (how.group) {
        const d = await lookup(how.group, how.version!);
        if (!d.kinds?.has(how.resourceKind!)) {
          capabilityChecks.push({ stack: s.stack, capability, status: 'not-checked', detail: `${how.group}/${how.version} ${how.resourceKind} is not served, so the ${how.kind} cannot be looked up` });
          continue;
        }
      }
      const url = how.path(name);
      if (!objects.has(url)) objects.set(url, getJson(conn, url, timeoutMs).then((r) => r.status));
      const status = await objects.get(url)!;
      if (status === 200) capabilityChecks.push({ stack: s.stack, capability, status: 'present', detail: `${how.kind} ${name} exists` });
      else if (status === 404) capabilityChecks.push({ stack: s.stack, capability, status: 'missing', detail: `${how.kind} ${name} does not exist; ${how.fix}` });
      else if (status === 401 || status === 403) capabilityChecks.push({ stack: s.stack, capability, status: 'not-checked', detail: `the credentials of context ${conn.context} may not read ${how.kind}s (${status}); grant get on them to check it` });
      else throw new Error(`${conn.server}: GET ${url} answered ${status}`);
    }
  }
  const missing = checks.filter((c) => c.status === 'missing');
  const missingCapabilities = capabilityChecks.filter((c) => c.status === 'missing');
  return { ok: missing.length === 0 && missingCapabilities.length === 0, context: conn.context, server: conn.server, checks, missing, capabilities, capabilityChecks, missingCapabilities };
}

/**
 * The preflight result as text: one line per stack, then one line per missing kind.
 *
 * @group App
 */
export function formatPreflight(result: PreflightResult): string {
  const lines = [`Preflight of ${Object.keys(result.capabilities).length} stack(s) against ${result.server} (context ${result.context}):`];
  for (const stack of Object.keys(result.capabilities)) {
    const mine = result.checks.filter((c) => c.stack === stack);
    const count = (s: PreflightStatus) => mine.filter((c) => c.status === s).length;
    const later = count('installed-by-dependency');
    const caps = result.capabilityChecks.filter((c) => c.stack === stack);
    const capCount = (s: CapabilityCheck['status']) => caps.filter((c) => c.status === s).length;
    const unchecked = caps.filter((c) => c.status === 'not-checked').map((c) => c.capability);
    lines.push(
      `  ${stack}: ${mine.length} custom kind(s): ${count('served')} served, ${count('missing')} missing${later > 0 ? `, ${later} installed by a stack deployed first` : ''}` +
        (caps.length > 0 ? `; ${caps.length - unchecked.length} cluster object(s): ${capCount('present')} present, ${capCount('missing')} missing` : '') +
        (unchecked.length > 0 ? `; not checked: ${unchecked.join(', ')}` : ''),
    );
    for (const c of mine.filter((x) => x.status === 'missing')) lines.push(`    MISSING ${c.apiVersion} ${c.kind} (${c.crd ? `CRD ${c.crd}, ` : ''}${c.objects} object${c.objects === 1 ? '' : 's'}): ${c.detail}`);
    for (const c of caps.filter((x) => x.status === 'missing')) lines.push(`    MISSING ${c.capability}: ${c.detail}`);
  }
  const objects = result.missingCapabilities.length;
  lines.push(result.ok
    ? 'OK: every custom kind the stacks use is served (or installed by a stack deployed first), and every StorageClass, IngressClass, PriorityClass and ClusterIssuer they name exists.'
    : `FAILED: ${result.missing.length} missing custom kind(s)${objects > 0 ? ` and ${objects} missing cluster object(s)` : ''}; the stacks above would fail to plan or their pods would not start.`);
  return lines.join('\n');
}
