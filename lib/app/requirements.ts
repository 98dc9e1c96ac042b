/**
 * What a synthesized stack needs from its cluster: the custom kinds (CRDs) of its
 * `kubernetes_manifest` objects, the Helm releases it installs (and the CRDs they bring), and
 * the cluster capabilities its objects rely on. Read from the synthesized Terraform JSON, so it
 * works for any stack, built with this library or not.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { TerraformStack } from 'cdktf';
import { CHART_CRDS, findCustomKind } from '../k8s/custom-kinds';

/**
 * A custom kind (a CRD, or an aggregated API) that a stack's objects use.
 *
 * @group App
 */
export interface CrdRequirement {
  /** API group, e.g. `keda.sh`. */
  readonly group: string;
  /** The version the objects are written in, e.g. `v1alpha1`. */
  readonly version: string;
  readonly kind: string;
  /** `<group>/<version>`. */
  readonly apiVersion: string;
  /**
   * The CustomResourceDefinition's name, `<plural>.<group>`, when the kind is one the library
   * emits (or a CRD of the same stacks defines it).
   */
  readonly crd?: string;
  /** The `kubernetes_manifest` resources (Terraform addresses) of this kind. */
  readonly resources: readonly string[];
  /**
   * What installs the CRD, when this stack or a stack it depends on does: a Helm release whose
   * chart brings it, or a `kubernetes_manifest` CustomResourceDefinition.
   */
  readonly installedBy?: CrdInstaller;
}

/**
 * The resource that installs a CRD.
 *
 * @group App
 */
export interface CrdInstaller {
  /** The stack that holds the resource. */
  readonly stack: string;
  /** Its Terraform address (`helm_release.velero`, `kubernetes_manifest.crd`). */
  readonly resource: string;
  /** The Helm chart, for a Helm release. */
  readonly chart?: string;
}

/**
 * A Helm release a stack installs.
 *
 * @group App
 */
export interface HelmReleaseRequirement {
  /** Its Terraform address, `helm_release.<id>`. */
  readonly resource: string;
  /** The release name (absent when it is a deploy-time value). */
  readonly name?: string;
  readonly chart?: string;
  readonly repository?: string;
  readonly version?: string;
  readonly namespace?: string;
  /** The CRDs its chart installs, when the library knows the chart. */
  readonly crds: readonly string[];
}

/**
 * What one stack needs from its cluster.
 *
 * @group App
 */
export interface StackRequirements {
  /** The stack's name. */
  readonly stack: string;
  /** The stacks it depends on (deployed before it). */
  readonly dependencies: readonly string[];
  /** The custom kinds its objects use, sorted by group, version and kind. */
  readonly crds: readonly CrdRequirement[];
  /** The Helm releases it installs. */
  readonly helmReleases: readonly HelmReleaseRequirement[];
  /**
   * Cluster capabilities its objects rely on, read from the objects (sorted): `scheduler:<name>`
   * (a pod's schedulerName), `storageClass:<name>` (claims and ephemeral volumes),
   * `ingressClass:<name>`, `clusterIssuer:<name>` (Certificates), `priorityClass:<name>`,
   * `nodeClass:<class>` (a toleration of a Panfactum node-class taint), `linkerd` (a proxy
   * injection annotation), and those given in the `capabilities` option. A PriorityClass the stack or
   * a stack it depends on creates is left out. The preflight looks up the StorageClasses,
   * IngressClasses, PriorityClasses and ClusterIssuers.
   */
  readonly capabilities: readonly string[];
}

/**
 * Options of {@link stackRequirements} and {@link synthRequirements}.
 *
 * @group App
 */
export interface RequirementsOptions {
  /**
   * The cluster capabilities each stack relies on, recorded as given (e.g. from the cluster
   * profile of its environment).
   * @default - none
   */
  readonly capabilities?: readonly string[] | ((stack: string) => readonly string[]);
}

/**
 * API groups the Kubernetes API server serves itself: kinds of these groups need no CRD.
 *
 * @internal
 */
export const BUILT_IN_API_GROUPS: ReadonlySet<string> = new Set([
  '', 'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'apps', 'authentication.k8s.io',
  'authorization.k8s.io', 'autoscaling', 'batch', 'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io',
  'flowcontrol.apiserver.k8s.io', 'internal.apiserver.k8s.io', 'networking.k8s.io', 'node.k8s.io', 'policy', 'rbac.authorization.k8s.io',
  'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io', 'storagemigration.k8s.io',
]);

type Json = Record<string, any>;

/** A synthesized stack: its name, its cdk.tf.json and the stacks it depends on. */
interface StackInput {
  readonly name: string;
  readonly json: Json;
  readonly dependencies: readonly string[];
}

const literal = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && !v.includes('${') ? v : undefined);
const normalizeRepository = (r: string): string => r.replace(/\/+$/, '');

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The CRDs a Helm release's chart installs (the library's charts only). */
function chartCrds(chart: string | undefined, repository: string | undefined): string[] {
  if (!chart) return [];
  const known = CHART_CRDS.find((c) => c.chart === chart && (repository === undefined || normalizeRepository(c.repository) === normalizeRepository(repository)));
  return known ? [...known.crds] : [];
}

/** What a stack's own resources need and provide, without looking at other stacks. */
function ownRequirements(input: StackInput): { crds: Map<string, CrdRequirement & { resources: string[] }>; releases: HelmReleaseRequirement[]; provides: Map<string, CrdInstaller> } {
  const resources = (input.json.resource ?? {}) as Record<string, Record<string, Json>>;
  const crds = new Map<string, CrdRequirement & { resources: string[] }>();
  const provides = new Map<string, CrdInstaller>();
  const definedKinds = new Map<string, string>(); // `<group>|<kind>` -> CRD name, from CRDs this stack defines
  for (const [id, r] of Object.entries(resources.kubernetes_manifest ?? {})) {
    const m = r?.manifest as Json | undefined;
    if (m?.kind === 'CustomResourceDefinition' && m?.apiVersion === 'apiextensions.k8s.io/v1') {
      const name = literal(m.metadata?.name);
      if (name) {
        provides.set(name, { stack: input.name, resource: `kubernetes_manifest.${id}` });
        const group = literal(m.spec?.group);
        const kind = literal(m.spec?.names?.kind);
        if (group && kind) definedKinds.set(`${group}|${kind}`, name);
      }
    }
  }
  for (const [id, r] of Object.entries(resources.kubernetes_manifest ?? {})) {
    const m = r?.manifest as Json | undefined;
    const apiVersion = literal(m?.apiVersion);
    const kind = literal(m?.kind);
    if (!apiVersion || !kind) continue;
    const { group, version } = splitApiVersion(apiVersion);
    if (BUILT_IN_API_GROUPS.has(group)) continue;
    const key = `${apiVersion}|${kind}`;
    let entry = crds.get(key);
    if (!entry) {
      const known = findCustomKind(group, kind);
      const crd = known ? `${known.plural}.${known.group}` : definedKinds.get(`${group}|${kind}`);
      entry = { group, version, kind, apiVersion, ...(crd ? { crd } : {}), resources: [] };
      crds.set(key, entry);
    }
    entry.resources.push(`kubernetes_manifest.${id}`);
  }
  const releases: HelmReleaseRequirement[] = [];
  for (const [id, r] of Object.entries(resources.helm_release ?? {})) {
    const chart = literal(r?.chart);
    const repository = literal(r?.repository);
    const release: HelmReleaseRequirement = {
      resource: `helm_release.${id}`,
      ...(literal(r?.name) ? { name: r.name } : {}),
      ...(chart ? { chart } : {}),
      ...(repository ? { repository } : {}),
      ...(literal(r?.version) ? { version: r.version } : {}),
      ...(literal(r?.namespace) ? { namespace: r.namespace } : {}),
      crds: chartCrds(chart, repository),
    };
    releases.push(release);
    for (const crd of release.crds) if (!provides.has(crd)) provides.set(crd, { stack: input.name, resource: release.resource, ...(chart ? { chart } : {}) });
  }
  return { crds, releases, provides };
}

function capabilitiesOf(options: RequirementsOptions, stack: StackInput): string[] {
  const c = options.capabilities;
  const given = typeof c === 'function' ? c(stack.name) : (c ?? []);
  return [...new Set([...objectCapabilities(stack.json), ...given])].sort();
}

/** `priorityClass:<name>` of each PriorityClass object the stack creates. */
function createdPriorityClasses(json: Json): string[] {
  return Object.values<Json>(json.resource?.kubernetes_manifest ?? {})
    .filter((r) => r.manifest?.kind === 'PriorityClass' && literal(r.manifest?.metadata?.name))
    .map((r) => `priorityClass:${r.manifest.metadata.name}`);
}

/** Node classes whose Panfactum taint (`<class>=true:NoSchedule`) a toleration names. */
const NODE_CLASS_TAINTS = new Set(['spot', 'burstable', 'arm64', 'controller', 'workflow']);

/** What the stack's kubernetes_manifest objects rely on the cluster to have (see StackRequirements.capabilities). */
function objectCapabilities(json: Json): string[] {
  const out = new Set<string>();
  const add = (prefix: string, v: unknown) => {
    const name = literal(v);
    if (name) out.add(`${prefix}:${name}`);
  };
  const walk = (o: unknown, key?: string): void => {
    if (Array.isArray(o)) {
      for (const x of o) walk(x, key);
      return;
    }
    if (!o || typeof o !== 'object') return;
    const obj = o as Json;
    if (key === 'tolerations' && NODE_CLASS_TAINTS.has(obj.key) && obj.value === 'true') out.add(`nodeClass:${obj.key}`);
    for (const [k, v] of Object.entries(obj)) {
      if (k === 'schedulerName') add('scheduler', v);
      else if (k === 'storageClassName') add('storageClass', v);
      else if (k === 'ingressClassName') add('ingressClass', v);
      else if (k === 'priorityClassName') add('priorityClass', v);
      else if (k === 'linkerd.io/inject' && v === 'enabled') out.add('linkerd');
      else if (k === 'issuerRef' && v && typeof v === 'object' && (v as Json).kind === 'ClusterIssuer') add('clusterIssuer', (v as Json).name);
      walk(v, k);
    }
  };
  for (const r of Object.values<Json>(json.resource?.kubernetes_manifest ?? {})) walk(r.manifest);
  return [...out];
}

const compareCrds = (a: CrdRequirement, b: CrdRequirement) => a.group.localeCompare(b.group) || a.version.localeCompare(b.version) || a.kind.localeCompare(b.kind);

/**
 * The requirements of several synthesized stacks at once: a CRD that a Helm release (or a
 * CustomResourceDefinition object) of the stack itself or of a stack it depends on, directly or
 * not, installs is marked `installedBy` that resource.
 *
 * @internal
 */
export function requirementsOfStacks(stacks: readonly StackInput[], options: RequirementsOptions = {}): StackRequirements[] {
  const own = new Map(stacks.map((s) => [s.name, ownRequirements(s)]));
  const byName = new Map(stacks.map((s) => [s.name, s]));
  /** The stack itself first, then its dependencies, breadth first. */
  const lineage = (name: string): string[] => {
    const seen = [name];
    for (let i = 0; i < seen.length; i++) for (const d of byName.get(seen[i])?.dependencies ?? []) if (!seen.includes(d)) seen.push(d);
    return seen;
  };
  return stacks.map((s) => {
    const mine = own.get(s.name)!;
    const crds = [...mine.crds.values()].map((c) => {
      const installer = c.crd ? lineage(s.name).map((n) => own.get(n)?.provides.get(c.crd!)).find((p) => p !== undefined) : undefined;
      return installer ? { ...c, installedBy: installer } : c;
    });
    // A PriorityClass the stack or a stack deployed before it creates is not asked of the cluster.
    const created = new Set(lineage(s.name).flatMap((n) => createdPriorityClasses(byName.get(n)?.json ?? {})));
    return {
      stack: s.name,
      dependencies: [...s.dependencies],
      crds: crds.sort(compareCrds),
      helmReleases: mine.releases,
      capabilities: capabilitiesOf(options, s).filter((c) => !created.has(c)),
    };
  });
}

function isStack(x: unknown): x is TerraformStack {
  return typeof x === 'object' && x !== null && typeof (x as TerraformStack).toTerraform === 'function' && 'node' in (x as object);
}

/**
 * What one stack needs from its cluster: the custom kinds of its `kubernetes_manifest` objects
 * (CRDs, by group, version and kind, with the CRD's name when known), the Helm releases it
 * installs and the CRDs their charts bring, and the capabilities given in `options`.
 *
 * Give the stack construct or its synthesized `cdk.tf.json` (parsed). Only the stack itself is
 * read: a CRD that a stack it depends on installs is marked `installedBy` only by
 * {@link synthRequirements}, which reads every stack of a synthesized app.
 *
 * @example
 * const needs = stackRequirements(JSON.parse(fs.readFileSync('cdktf.out/stacks/production-us-east-2-app/cdk.tf.json', 'utf8')), { name: 'production-us-east-2-app' });
 * needs.crds.map((c) => `${c.apiVersion} ${c.kind}`); // ['autoscaling.k8s.io/v1 VerticalPodAutoscaler', ...]
 *
 * @group App
 */
export function stackRequirements(stack: TerraformStack | Json, options: RequirementsOptions & { readonly name?: string } = {}): StackRequirements {
  const input: StackInput = isStack(stack)
    ? { name: options.name ?? stack.node.id, json: stack.toTerraform(), dependencies: stack.dependencies.map((d) => d.node.id) }
    : { name: options.name ?? 'stack', json: stack, dependencies: [] };
  return requirementsOfStacks([input], options)[0];
}

/**
 * The stacks of `<outdir>/manifest.json`, with their cdk.tf.json parsed.
 *
 * @internal
 */
export function readSynthesizedStacks(outdir: string): Array<StackInput & { file: string; dir: string }> {
  const manifestFile = path.join(outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) throw new Error(`${manifestFile} not found: synthesize the app first (npm run synth / cdktf synth)`);
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string; dependencies?: string[] }> };
  return Object.entries(manifest.stacks).map(([name, s]) => {
    const file = path.join(outdir, s.synthesizedStackPath);
    return { name, file, dir: path.dirname(file), json: JSON.parse(fs.readFileSync(file, 'utf8')) as Json, dependencies: s.dependencies ?? [] };
  });
}

/**
 * The file name of a stack's requirements, written next to its cdk.tf.json by {@link writeSynthRequirements}.
 *
 * @group App
 */
export const REQUIREMENTS_FILE = 'requirements.json';

/**
 * The requirements of every stack of a synthesized app (`<outdir>/manifest.json` and each
 * stack's cdk.tf.json), with the CRDs that a stack's dependencies install marked as such.
 *
 * @group App
 */
export function synthRequirements(outdir: string, options: RequirementsOptions = {}): StackRequirements[] {
  return requirementsOfStacks(readSynthesizedStacks(outdir), options);
}

/**
 * Compute {@link synthRequirements} and write each stack's to `requirements.json` beside its
 * cdk.tf.json (`<outdir>/stacks/<stack>/requirements.json`), for CI and the preflight. Call it
 * after `app.synth()`.
 *
 * @group App
 */
export function writeSynthRequirements(outdir: string, options: RequirementsOptions = {}): StackRequirements[] {
  const stacks = readSynthesizedStacks(outdir);
  const all = requirementsOfStacks(stacks, options);
  all.forEach((r, i) => fs.writeFileSync(path.join(stacks[i].dir, REQUIREMENTS_FILE), JSON.stringify(r, null, 2) + '\n'));
  return all;
}
