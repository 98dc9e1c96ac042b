/**
 * The collision registry: at synth, every Kubernetes object, Helm release and uniquely named
 * AWS resource the stacks of an app emit is read from what the stacks synthesize, and two
 * resources that would manage the same thing in the same place fail synth with a
 * ValidationError naming both construct paths. Without it such pairs apply "successfully":
 * two `kubernetes_manifest`s of one object overwrite each other on every apply (server-side
 * apply with force) and destroying either stack deletes the object; two AWS resources of one
 * name fail at apply with a 409 after half of the stack was created.
 *
 * What is read: each stack's resources as `cdk.tf.json` will hold them — the attributes that
 * make the identity, after the resource's and the stack's `addOverride`, with tokens resolved —
 * whichever construct emitted them (library constructs, raw `Manifest`, typed `kubernetes_*`,
 * `helm_release`, `aws_*`). Only the identity fields are resolved, not whole bodies, so the
 * check costs a small fraction of a synth.
 *
 * What is compared is documented on {@link collectEmittedIdentities} and in docs/environments.md (Stacks that share a cluster).
 */
import { DefaultTokenResolver, StringConcat, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { ValidationError } from '../core/errors';
import { CLUSTER_SCOPED_KINDS } from '../k8s/object';
import { TYPED_KINDS, typedKindBase } from '../k8s/typed-kinds';
import { isTokenFree } from '../core/resolved-value';

/**
 * What a name identifies: a Kubernetes object, a Helm release, or an AWS resource name.
 *
 * @group Core
 */
export type CollisionSpace = 'kubernetes' | 'helm' | 'aws';

/**
 * Where an identity lives. Two identities are in the same place when both have a literal
 * `exact` key and the keys are equal, or, when at least one of them has none, their
 * `fallback` keys are equal.
 *
 * @group Core
 */
export interface CollisionTarget {
  /**
   * A literal provider setting that names the place: a Kubernetes provider's `host` or
   * `config_context`, an AWS provider's account id (`allowed_account_ids` with one id, or the
   * account of a literal `assume_role.role_arn`). @default - none (the fallback decides)
   */
  readonly exact?: string;
  /** The place `exact` names, for messages. @default - none */
  readonly exactDescription?: string;
  /**
   * The EnvironmentContext environment (and, for clusters, region and clusterName) of the
   * stack; an aliased provider configured differently from the stack's default one; else the
   * stack itself (then only that stack's resources are compared).
   */
  readonly fallback: string;
  /** The place `fallback` names, for messages. */
  readonly fallbackDescription: string;
}

/**
 * One thing a stack emits that must be unique in its place.
 *
 * @group Core
 */
export interface EmittedIdentity {
  readonly space: CollisionSpace;
  readonly target: CollisionTarget;
  /** The identity within the place, e.g. `networking.k8s.io/NetworkPolicy/web/api` or `aws_iam_role/api`. */
  readonly key: string;
  /** The identity for messages, e.g. `NetworkPolicy.networking.k8s.io web/api`. */
  readonly description: string;
  /** The field that carries the name, e.g. `NetworkPolicy.metadata.name`, `aws_iam_role.name`. */
  readonly field: string;
  /** The name as written. */
  readonly name: string;
  /** Construct path of the emitter (the KubeManifest of a `kubernetes_manifest`, else the resource). */
  readonly path: string;
  /** Terraform address in its stack: `kubernetes_manifest.web_api_Deployment_ABCD1234`. */
  readonly address: string;
  /** Path of the stack. */
  readonly stack: string;
}

// ---------------------------------------------------------------- hooking

const CHECKED = new WeakSet<TerraformStack>();
const NOTES = new WeakMap<IConstruct, string>();

/**
 * Check the stack of `scope` for collisions on every synth (or every stack under `scope`
 * when it is an App). Library constructs call it themselves; call it for a stack that only
 * holds raw resources. The check of a stack compares it with itself and with every other
 * stack of the same app that can reach the same cluster or account (see
 * {@link collectEmittedIdentities}). It runs as a stack validation, so `app.synth()` and
 * `Testing.synth(stack, true)` run it; other stacks are read as they stand at that moment (an
 * Aspect of another stack that renames objects is seen once that stack's own check runs).
 *
 * @group Core
 */
export function enableCollisionCheck(scope: IConstruct): void {
  const inStack = scope.node.scopes.some((c) => TerraformStack.isStack(c));
  const stacks = inStack ? [TerraformStack.of(scope)] : scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    if (CHECKED.has(stack)) continue;
    CHECKED.add(stack);
    stack.node.addValidation({ validate: () => checkStack(stack) });
  }
}

/**
 * How the user removes what `emitter` (a KubeManifest or resource) emits, for collision
 * messages: e.g. "the networkPolicy prop of web/api". @internal
 */
export function noteEmitter(emitter: IConstruct, howToRemove: string): void {
  NOTES.set(emitter, howToRemove);
}

// ---------------------------------------------------------------- reading a stack

const RESOLVER = new DefaultTokenResolver(new StringConcat());

function resolveIn(stack: TerraformStack, value: unknown): any {
  // A value without tokens (core/resolved-value.ts) is taken as it is: CDKTF's resolver would
  // only copy it, which was most of this check's time on a large stack. The check only reads
  // it, and reads an `undefined` value as absent, as in the resolver's copy.
  if (isTokenFree(value)) return value;
  return Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string known at synth (no interpolation, no escaped `$${`): what a literal setting or name must be. */
function literal(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' && !v.includes('${') && !v.includes('%{') ? v : undefined;
}

/** One nested block, written as an object or a one-element list. */
function block(v: unknown): Record<string, any> | undefined {
  if (Array.isArray(v)) return isObject(v[0]) ? v[0] : undefined;
  return isObject(v) ? v : undefined;
}

/** CDKTF's deepMerge (util.ts) for overrides, into a fresh target: objects merge, undefined deletes, lists append. */
function mergeOverrides(target: Record<string, any>, source: unknown): Record<string, any> {
  if (!isObject(source)) return target;
  for (const [key, value] of Object.entries(source)) {
    if (isObject(value) && !Tokenization.isResolvable(value)) {
      target[key] = mergeOverrides(isObject(target[key]) ? { ...target[key] } : {}, value);
    } else if (Array.isArray(value)) {
      target[key] = Array.isArray(target[key]) ? [...target[key], ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value;
    }
  }
  return target;
}

/**
 * The object (apiVersion, kind, metadata) a typed `kubernetes_*` resource creates; undefined for patches and non-objects.
 * The metadata is the resource's own block: `generate_name` stays apart from `name` (no name, nothing to compare).
 */
function typedObject(type: string, attributes: Record<string, any>): any | undefined {
  // `kubernetes_config_map_v1_data`, `kubernetes_annotations`, `kubernetes_labels`, `kubernetes_env`, ...
  // patch an object someone else creates: several of them per object is their purpose.
  if (/_data$/.test(type)) return undefined;
  const base = typedKindBase(type);
  const metadata = block(attributes.metadata);
  return base && metadata ? { apiVersion: TYPED_KINDS[base][0], kind: TYPED_KINDS[base][1], metadata } : undefined;
}

/** Uniquely named AWS resources: the attribute holding the name and where it must be unique. */
const AWS_NAMES: Record<string, { readonly field: string; readonly what: string; readonly scope: 'account' | 'global'; readonly caseless?: boolean }> = {
  aws_iam_role: { field: 'name', what: 'IAM role', scope: 'account', caseless: true },
  aws_iam_policy: { field: 'name', what: 'IAM policy', scope: 'account', caseless: true },
  aws_iam_user: { field: 'name', what: 'IAM user', scope: 'account', caseless: true },
  aws_iam_group: { field: 'name', what: 'IAM group', scope: 'account', caseless: true },
  aws_iam_instance_profile: { field: 'name', what: 'IAM instance profile', scope: 'account', caseless: true },
  aws_cloudfront_cache_policy: { field: 'name', what: 'CloudFront cache policy', scope: 'account' },
  aws_cloudfront_origin_request_policy: { field: 'name', what: 'CloudFront origin request policy', scope: 'account' },
  aws_cloudfront_response_headers_policy: { field: 'name', what: 'CloudFront response headers policy', scope: 'account' },
  aws_cloudfront_function: { field: 'name', what: 'CloudFront function', scope: 'account' },
  aws_cloudfront_origin_access_control: { field: 'name', what: 'CloudFront origin access control', scope: 'account' },
  aws_s3_bucket: { field: 'bucket', what: 'S3 bucket', scope: 'global', caseless: true },
};

interface ProviderView {
  readonly type: string;
  readonly fqn: string;
  readonly alias?: string;
  readonly config: Record<string, any>;
}

interface StackView {
  readonly stack: TerraformStack;
  readonly providers: Map<string, ProviderView>;
  /** The place of each provider (undefined: the stack's default), made once per check. */
  readonly clusterTargets: Map<ProviderView | undefined, CollisionTarget>;
  readonly accountTargets: Map<ProviderView | undefined, CollisionTarget>;
  readonly environment?: string;
  readonly region?: string;
  readonly clusterName?: string;
}

/** Settings that decide which cluster (or account) a provider reaches; region and alias are not among them. */
const CLUSTER_SETTINGS = ['host', 'config_path', 'config_paths', 'config_context', 'config_context_cluster', 'exec', 'token', 'cluster_ca_certificate', 'client_certificate', 'username'];
const ACCOUNT_SETTINGS = ['profile', 'allowed_account_ids', 'assume_role', 'assume_role_with_web_identity', 'access_key', 'shared_config_files', 'shared_credentials_files', 'token'];

function settingsOf(config: Record<string, any> | undefined, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => config?.[k]));
}

function clusterConfig(p: ProviderView | undefined): Record<string, any> | undefined {
  if (!p) return undefined;
  return p.type === 'helm' ? block(p.config.kubernetes) ?? {} : p.config;
}

/** Where the objects of a `kubernetes_*` resource (or the release of a `helm_release`) go. */
function clusterTarget(view: StackView, p: ProviderView | undefined): CollisionTarget {
  let target = view.clusterTargets.get(p);
  if (!target) view.clusterTargets.set(p, (target = newClusterTarget(view, p)));
  return target;
}

function newClusterTarget(view: StackView, p: ProviderView | undefined): CollisionTarget {
  const cfg = clusterConfig(p);
  const stackPath = view.stack.node.path;
  let fallback: string;
  let fallbackDescription: string;
  const dflt = p?.alias ? view.providers.get(p.type) : undefined;
  if (p?.alias && settingsOf(cfg, CLUSTER_SETTINGS) !== settingsOf(clusterConfig(dflt), CLUSTER_SETTINGS)) {
    fallback = `provider ${stackPath}/${p.fqn}`;
    fallbackDescription = `the cluster of provider ${p.fqn} in stack ${stackPath}`;
  } else if (view.environment !== undefined || view.clusterName !== undefined) {
    const parts = [view.environment && `environment ${view.environment}`, view.region && `region ${view.region}`, view.clusterName && `cluster ${view.clusterName}`].filter(Boolean);
    fallback = `env ${JSON.stringify([view.environment, view.region, view.clusterName])}`;
    fallbackDescription = `the cluster of ${parts.join(', ')} (EnvironmentContext)`;
  } else {
    fallback = `stack ${stackPath}`;
    fallbackDescription = `the cluster of stack ${stackPath}`;
  }
  const host = literal(cfg?.host);
  if (host) return { exact: `host ${host.replace(/\/+$/, '').toLowerCase()}`, exactDescription: `the cluster at ${host}`, fallback, fallbackDescription };
  const context = literal(cfg?.config_context);
  if (context) return { exact: `context ${context}`, exactDescription: `the cluster of kubeconfig context "${context}"`, fallback, fallbackDescription };
  return { fallback, fallbackDescription };
}

/** The account an AWS provider reaches, when its settings say so literally. */
function literalAccount(cfg: Record<string, any> | undefined): string | undefined {
  const ids = cfg?.allowed_account_ids;
  if (Array.isArray(ids) && ids.length === 1 && literal(ids[0])) return ids[0];
  const arn = literal(block(cfg?.assume_role)?.role_arn);
  const m = arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/** Where the names of an `aws_*` resource must be unique (the account; regional names add the region to the key). */
function accountTarget(view: StackView, p: ProviderView | undefined): CollisionTarget {
  let target = view.accountTargets.get(p);
  if (!target) view.accountTargets.set(p, (target = newAccountTarget(view, p)));
  return target;
}

function newAccountTarget(view: StackView, p: ProviderView | undefined): CollisionTarget {
  const cfg = p?.config;
  const stackPath = view.stack.node.path;
  let fallback: string;
  let fallbackDescription: string;
  const dflt = p?.alias ? view.providers.get(p.type) : undefined;
  if (p?.alias && settingsOf(cfg, ACCOUNT_SETTINGS) !== settingsOf(dflt?.config, ACCOUNT_SETTINGS)) {
    fallback = `provider ${stackPath}/${p.fqn}`;
    fallbackDescription = `the AWS account of provider ${p.fqn} in stack ${stackPath}`;
  } else if (view.environment !== undefined) {
    fallback = `env ${view.environment}`;
    fallbackDescription = `the AWS account of environment ${view.environment} (EnvironmentContext)`;
  } else if (literal(cfg?.profile)) {
    fallback = `profile ${cfg!.profile}`;
    fallbackDescription = `the AWS account of profile "${cfg!.profile}"`;
  } else {
    fallback = `stack ${stackPath}`;
    fallbackDescription = `the AWS account of stack ${stackPath}`;
  }
  const account = literalAccount(cfg);
  return account ? { exact: `account ${account}`, exactDescription: `AWS account ${account}`, fallback, fallbackDescription } : { fallback, fallbackDescription };
}

const ALL_OF_AWS: CollisionTarget = { exact: 'aws', exactDescription: 'all of AWS: the name is global', fallback: 'aws', fallbackDescription: 'all of AWS: the name is global' };

interface RawResource {
  readonly type: string;
  readonly id: string;
  readonly attributes: Record<string, any>;
  /** The emitter (its path is what messages name), or the text naming a stack override resource. */
  readonly emitter: IConstruct | string;
}

/** The KubeManifest that owns a `kubernetes_manifest` (it reports the path users wrote), else the resource. */
function emitterOf(resource: IConstruct): IConstruct {
  const owner = resource.node.scope as (IConstruct & { resource?: unknown }) | undefined;
  return owner && owner.resource === resource ? owner : resource;
}

/** The providers of a stack (by fqn: `aws`, `aws.global`) and its EnvironmentContext. */
function stackView(stack: TerraformStack): StackView {
  const providers = new Map<string, ProviderView>();
  for (const c of stack.node.findAll()) {
    if (!TerraformProvider.isTerraformProvider(c) || TerraformStack.of(c) !== stack) continue;
    const p = c as TerraformProvider;
    try {
      const type = p.terraformResourceType;
      const alias = literal(resolveIn(stack, p.alias));
      const fqn = alias ? `${type}.${alias}` : type;
      const tf = resolveIn(stack, p.toTerraform());
      if (!providers.has(fqn)) providers.set(fqn, { type, fqn, alias, config: block(tf?.provider?.[type]) ?? {} });
    } catch {
      // A provider that does not synthesize fails synth on its own.
    }
  }
  let env: { environment?: string; region?: string; clusterName?: string } = {};
  try { env = EnvironmentContext.of(stack); } catch { /* no usable context: the stack is its own place */ }
  return { stack, providers, clusterTargets: new Map(), accountTargets: new Map(), environment: env.environment, region: env.region, clusterName: env.clusterName };
}

/** Every place a stack's resources can reach (one per provider, and the default providers'). */
function placesOf(view: StackView): CollisionTarget[] {
  const places = [clusterTarget(view, undefined), accountTarget(view, undefined)];
  for (const p of view.providers.values()) {
    if (p.type === 'kubernetes' || p.type === 'helm') places.push(clusterTarget(view, p));
    if (p.type === 'aws') places.push(accountTarget(view, p));
  }
  return places;
}

/**
 * The resources of a stack with the attributes that make identities, as `cdk.tf.json` holds
 * them. Of a `kubernetes_manifest` only apiVersion, kind and the metadata names are resolved
 * (never the body); other resources of interest are resolved whole.
 */
function readResources(stack: TerraformStack): RawResource[] {
  const resources: RawResource[] = [];
  const stackOverrides = (stack as unknown as { rawOverrides?: Record<string, any> }).rawOverrides?.resource;
  // the resources met, for the stack override resources below (only when there are some)
  const seen = isObject(stackOverrides) ? new Set<string>() : undefined;
  for (const c of stack.node.findAll()) {
    if (!TerraformResource.isTerraformResource(c)) continue;
    const r = c as TerraformResource;
    const type = r.terraformResourceType;
    if (!isRelevantType(type) || TerraformStack.of(c) !== stack) continue;
    try {
      const id = r.friendlyUniqueId;
      seen?.add(`${type}.${id}`);
      let attributes: Record<string, any>;
      const manifest = (r as unknown as { manifestInput?: unknown }).manifestInput;
      if (type === 'kubernetes_manifest' && isObject(manifest) && !Tokenization.isResolvable(manifest)) {
        const md = manifest.metadata;
        const metadata = isObject(md) && !Tokenization.isResolvable(md) ? { name: md.name, namespace: md.namespace } : md;
        const identity = { manifest: { apiVersion: manifest.apiVersion, kind: manifest.kind, metadata }, provider: r.provider?.fqn };
        attributes = resolveIn(stack, mergeOverrides(identity, (r as unknown as { rawOverrides?: unknown }).rawOverrides));
      } else {
        attributes = resolveIn(stack, r.toTerraform())?.resource?.[type]?.[id] ?? {};
      }
      const override = stackOverrides?.[type]?.[id];
      if (override !== undefined) attributes = resolveIn(stack, mergeOverrides({ ...attributes }, override));
      resources.push({ type, id, attributes, emitter: emitterOf(r) });
    } catch {
      // A resource that does not synthesize fails synth on its own.
    }
  }
  // Resources written only as stack overrides (`stack.addOverride('resource.<type>.<id>', {...})`).
  for (const [type, byId] of Object.entries<any>(isObject(stackOverrides) ? stackOverrides : {})) {
    if (!isRelevantType(type) || !isObject(byId)) continue;
    for (const [id, attrs] of Object.entries<any>(byId)) {
      if (seen?.has(`${type}.${id}`) || !isObject(attrs)) continue;
      try {
        resources.push({ type, id, attributes: resolveIn(stack, attrs), emitter: `${stack.node.path} (stack override resource.${type}.${id})` });
      } catch { /* not readable: nothing to compare */ }
    }
  }
  return resources;
}

function isRelevantType(type: string): boolean {
  return type.startsWith('kubernetes_') || type === 'helm_release' || type in AWS_NAMES
    || type === 'aws_wafv2_web_acl' || type === 'aws_cloudfront_distribution' || type === 'aws_route53_record';
}

/** `apps/v1` -> `apps`; `v1` -> `` (the core group). The version is not part of an object's identity. */
function apiGroup(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** A Kubernetes object's identity: the key, and the texts of messages made on demand. */
class KubernetesIdentity {
  constructor(readonly key: string, private readonly kind: string, private readonly group: string, private readonly namespace: string, readonly name: string) {}

  public get description(): string {
    const kindText = this.group ? `${this.kind}.${this.group}` : this.kind;
    return this.namespace ? `${kindText} ${this.namespace}/${this.name}` : `${kindText} ${this.name} (cluster-scoped)`;
  }

  public get field(): string {
    return `${this.kind}.metadata.name`;
  }
}

function kubernetesIdentity(object: any): KubernetesIdentity | undefined {
  if (!isObject(object) || !isObject(object.metadata)) return undefined;
  const apiVersion = literal(object.apiVersion);
  const kind = literal(object.kind);
  const name = object.metadata.name;
  // No name (generateName: the API server makes one up) or a deploy-time name: nothing to compare.
  if (!apiVersion || !kind || typeof name !== 'string' || !literal(name)) return undefined;
  const group = apiGroup(apiVersion);
  let namespace = '';
  if (!CLUSTER_SCOPED_KINDS.has(kind)) {
    const ns = object.metadata.namespace ?? 'default';
    if (typeof ns !== 'string') return undefined;
    if (ns !== '' && !literal(ns)) return undefined;
    namespace = ns === '' ? 'default' : ns;
  }
  return new KubernetesIdentity(`${group}/${kind}/${namespace}/${name}`, kind, group, namespace, name);
}

/**
 * Everything a stack emits that must be unique in its place, with the place.
 *
 * - Kubernetes objects (`kubernetes_manifest`, typed `kubernetes_*` resources such as the
 *   workloads' `kubernetes_secret_v1`): API group (not version), kind, namespace (none for
 *   cluster-scoped kinds; `default` when unset) and name. `_data` patches, `kubernetes_annotations`
 *   and the like are not objects of their own and are left out.
 * - Helm releases (`helm_release`): namespace and name. The objects a chart renders are not seen.
 * - AWS names: IAM role, policy, user, group and instance profile names (per account, case-
 *   insensitive), CloudFront cache / origin-request / response-headers policy, function and
 *   origin access control names (per account), WAFv2 web ACL names (per account, and per region
 *   for REGIONAL), and, global across AWS, S3 bucket names, CloudFront distribution aliases and
 *   Route53 records of a literal zone id. `name_prefix` / `bucket_prefix` never collide.
 *
 * Names that hold a deploy-time value (a token) are skipped, never rejected.
 *
 * The place ({@link CollisionTarget}) of a Kubernetes object or Helm release is the cluster its
 * provider reaches: the provider's literal `host`, else its literal `config_context`; when those
 * are not literal, the stack's EnvironmentContext environment, region and clusterName (so the
 * app and maintenance stacks of one environment and region are one cluster, and stacks of
 * different environments are different clusters); without an EnvironmentContext, the stack
 * itself. The place of an AWS name is the account (literal `allowed_account_ids` with one id or
 * the account of a literal `assume_role` ARN, else the EnvironmentContext environment, else the
 * literal profile, else the stack). An aliased provider configured like the stack's default
 * provider (the us-east-1 `global` AWS provider, say) reaches the same place; one configured
 * differently is a place of its own unless a literal key says otherwise.
 *
 * @group Core
 */
export function collectEmittedIdentities(stack: TerraformStack): EmittedIdentity[] {
  return scanStack(stack).map((e) => ({
    space: e.space, target: e.target, key: e.key, description: e.description, field: e.field, name: e.name, path: e.path, address: e.address, stack: e.stack,
  }));
}

/**
 * One identity as the check holds it. A large stack has thousands: only what the comparison
 * needs is stored (space, key, place, the resource), and the texts of messages (description,
 * path, address) are made when a message needs them.
 */
class Emitted {
  constructor(
    readonly space: CollisionSpace,
    readonly key: string,
    readonly target: CollisionTarget,
    private readonly resource: RawResource,
    private readonly stackConstruct: TerraformStack,
    private readonly text: { readonly description: string; readonly field: string; readonly name: string } | KubernetesIdentity,
  ) {}

  public get description(): string {
    return this.text.description;
  }

  public get field(): string {
    return this.text.field;
  }

  public get name(): string {
    return this.text.name;
  }

  /** Construct path of the emitter (the KubeManifest of a `kubernetes_manifest`, else the resource). */
  public get path(): string {
    const e = this.resource.emitter;
    return typeof e === 'string' ? e : e.node.path;
  }

  public get address(): string {
    return `${this.resource.type}.${this.resource.id}`;
  }

  public get stack(): string {
    return this.stackConstruct.node.path;
  }

  public get emitter(): IConstruct | undefined {
    const e = this.resource.emitter;
    return typeof e === 'string' ? undefined : e;
  }

  /** Same resource of the same stack (one resource is read once per check, but a stack may be read twice). */
  public sameResource(other: Emitted): boolean {
    return this.stackConstruct === other.stackConstruct && this.resource.type === other.resource.type && this.resource.id === other.resource.id;
  }
}

function scanStack(stack: TerraformStack, view: StackView = stackView(stack)): Emitted[] {
  const resources = readResources(stack);
  const provider = (family: string, ref: unknown): ProviderView | undefined => view.providers.get(literal(ref) ?? family);
  const out: Emitted[] = [];
  for (const r of resources) {
    const a = r.attributes;
    if (r.type.startsWith('kubernetes_')) {
      const object = r.type === 'kubernetes_manifest' ? a.manifest : typedObject(r.type, a);
      const id = kubernetesIdentity(object);
      if (id) out.push(new Emitted('kubernetes', id.key, clusterTarget(view, provider('kubernetes', a.provider)), r, stack, id));
    } else if (r.type === 'helm_release') {
      const name = literal(a.name);
      const ns = a.namespace === undefined ? 'default' : literal(a.namespace);
      if (name && ns) out.push(new Emitted('helm', `${ns}/${name}`, clusterTarget(view, provider('helm', a.provider)), r, stack, { description: `Helm release ${ns}/${name}`, field: 'helm_release.name', name }));
    } else {
      for (const i of awsIdentities(view, r, provider('aws', a.provider))) out.push(new Emitted('aws', i.key, i.target, r, stack, i));
    }
  }
  return out;
}

function awsIdentities(view: StackView, r: RawResource, p: ProviderView | undefined): Array<Omit<EmittedIdentity, 'path' | 'address' | 'stack'>> {
  const a = r.attributes;
  const spec = AWS_NAMES[r.type];
  if (spec) {
    const name = literal(a[spec.field]);
    if (!name) return [];
    const key = `${r.type}/${spec.caseless ? name.toLowerCase() : name}`;
    return [{ space: 'aws', target: spec.scope === 'global' ? ALL_OF_AWS : accountTarget(view, p), key, description: `${spec.what} "${name}"`, field: `${r.type}.${spec.field}`, name }];
  }
  if (r.type === 'aws_wafv2_web_acl') {
    const name = literal(a.name);
    const scope = literal(a.scope);
    if (!name || !scope) return [];
    const region = scope === 'CLOUDFRONT' ? 'global' : literal(p?.config.region) ?? view.region;
    if (!region) return [];
    return [{ space: 'aws', target: accountTarget(view, p), key: `${r.type}/${scope}/${region}/${name}`, description: `WAFv2 web ACL "${name}" (${scope === 'CLOUDFRONT' ? 'CLOUDFRONT' : `${scope}, ${region}`})`, field: `${r.type}.name`, name }];
  }
  if (r.type === 'aws_cloudfront_distribution') {
    const aliases = Array.isArray(a.aliases) ? a.aliases : [];
    return aliases.map(literal).filter((d): d is string => d !== undefined).map((d) => ({
      space: 'aws' as const, target: ALL_OF_AWS, key: `cloudfront-alias/${d.toLowerCase()}`, description: `CloudFront alias (CNAME) ${d}`, field: 'aws_cloudfront_distribution.aliases', name: d,
    }));
  }
  if (r.type === 'aws_route53_record') {
    // allow_overwrite takes over an existing record on purpose; a zone id from a lookup is not known here.
    if (a.allow_overwrite === true || a.for_each !== undefined) return [];
    const zone = literal(a.zone_id);
    const name = literal(a.name);
    const type = literal(a.type);
    if (!zone || !name || !type) return [];
    const fqdn = name.toLowerCase().replace(/\.$/, '');
    const set = literal(a.set_identifier) ?? '';
    return [{ space: 'aws', target: ALL_OF_AWS, key: `route53/${zone}/${fqdn}/${type}/${set}`, description: `Route53 ${type} record ${fqdn} in zone ${zone}`, field: 'aws_route53_record.name', name }];
  }
  return [];
}

// ---------------------------------------------------------------- the check

function sameTarget(a: CollisionTarget, b: CollisionTarget): boolean {
  return a.exact !== undefined && b.exact !== undefined ? a.exact === b.exact : a.fallback === b.fallback;
}

function samePlace(a: CollisionTarget, b: CollisionTarget): string {
  return a.exact !== undefined && b.exact !== undefined ? a.exactDescription ?? a.exact : a.fallbackDescription;
}

/** How the user removes what an emitter emits: the note its construct left, else the construct that made it. */
function removal(e: Emitted): string {
  const note = e.emitter ? NOTES.get(e.emitter) : undefined;
  if (note) return note;
  if (!e.emitter) return e.path;
  const parent = e.emitter.node.scope;
  const owner = parent && !TerraformStack.isStack(parent) ? parent : e.emitter;
  return `${owner.constructor.name} ${owner.node.path}`;
}

/** The stack validation: this stack's identities against themselves and every other stack of the app. */
function checkStack(stack: TerraformStack): string[] {
  const mine = scanStack(stack);
  if (mine.length === 0) return [];
  // The identities of the keys this stack emits, grouped by space and key; the groups in the
  // order they were first met.
  const byKey = new Map<CollisionSpace, Map<string, Emitted[] | undefined>>();
  for (const i of mine) {
    let keys = byKey.get(i.space);
    if (!keys) byKey.set(i.space, (keys = new Map()));
    keys.set(i.key, undefined);
  }
  const groups: Emitted[][] = [];
  const add = (identities: Emitted[]) => {
    for (const i of identities) {
      const keys = byKey.get(i.space);
      if (!keys || !keys.has(i.key)) continue;
      const group = keys.get(i.key);
      if (group) group.push(i);
      else {
        const created = [i];
        keys.set(i.key, created);
        groups.push(created);
      }
    }
  };
  // Other stacks are read only when they can reach a place this stack's identities are in
  // (global AWS names: every stack): stacks of other environments are not read at all.
  const myPlaces = [...new Map(mine.map((i) => [`${i.target.exact} ${i.target.fallback}`, i.target])).values()];
  const global = myPlaces.some((t) => t.exact === ALL_OF_AWS.exact);
  for (const s of stack.node.root.node.findAll()) {
    if (!TerraformStack.isStack(s)) continue;
    if (s === stack) {
      add(mine);
      continue;
    }
    const view = stackView(s);
    if (global || placesOf(view).some((p) => myPlaces.some((t) => sameTarget(t, p)))) add(scanStack(s, view));
  }
  const here = stack.node.path;
  const clashes: Array<[Emitted, Emitted]> = [];
  for (const group of groups) {
    for (let j = 1; j < group.length; j++) {
      const later = group[j];
      const earlier = group.slice(0, j).find((e) => sameTarget(e.target, later.target) && !e.sameResource(later));
      if (earlier && (earlier.stack === here || later.stack === here)) clashes.push([earlier, later]);
    }
  }
  if (clashes.length === 0) return [];
  const [a, b] = clashes[0];
  const more = clashes.slice(1).map(([, y]) => y.description);
  const moreText = more.length === 0 ? '' : `; ${more.length} more collision${more.length > 1 ? 's' : ''}: ${more.slice(0, 6).join(', ')}${more.length > 6 ? ', ...' : ''}`;
  throw new ValidationError({
    path: b.path,
    field: b.field,
    value: b.name,
    reason: `collides: ${b.description} is also emitted by ${a.path}${a.stack !== b.stack ? ` (stack ${a.stack})` : ''} into the same place (${samePlace(a.target, b.target)})${moreText}. ${consequence(b)}`,
    fix: fixFor(a, b),
  });
}

function consequence(e: Emitted): string {
  if (e.space === 'aws') return 'AWS refuses the second one at apply (already exists), after the rest of the stack was changed';
  if (e.space === 'helm') return 'Both manage one Helm release: each apply upgrades over the other, and destroying either uninstalls it';
  return 'Both manage one object: each apply overwrites the other, and destroying either deletes it';
}

function fixFor(a: Emitted, b: Emitted): string {
  const ra = removal(a);
  const rb = removal(b);
  const prop = [ra, rb].find((r) => r.startsWith('the networkPolicy prop'));
  if (a.space === 'kubernetes' && a.field === 'NetworkPolicy.metadata.name' && prop) {
    return `keep one of the two, they write the same policy for the same pods: remove ${prop}, or remove ${prop === ra ? rb : ra}`;
  }
  if (a.space === 'aws') return `give one of them another name (or use a name prefix), or remove one of them (${ra} or ${rb})`;
  const stacks = a.stack !== b.stack ? `; stacks that deploy to one cluster (${a.stack}, ${b.stack}) must not emit the same object` : '';
  return `give one of them another name or namespace, or remove one of them (${ra} or ${rb})${stacks}`;
}
