/**
 * Adoption of objects that already exist: Terraform `import` blocks (Terraform >= 1.5,
 * OpenTofu >= 1.5) for the resources a construct manages, so that the first apply takes over
 * live Kubernetes objects, IAM roles, buckets, ... instead of colliding with them or creating
 * a second set. See docs/migration.md.
 *
 * The choice is made per construct (or per stack, or for the whole app) with {@link adopt},
 * recorded as construct metadata; no construct has a prop for it. At synth an aspect gives every
 * selected resource whose import id is known at synth an `import` block
 * (`TerraformResource.importFrom`), and lists the others, with the reason, in
 * {@link adoptionReport} and as a synth warning.
 */
import { Annotations, Aspects, DefaultTokenResolver, IAspect, StringConcat, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { KubeManifest } from '../constructs/kube-manifest';
import { isToken } from '../core/validation';

/** The metadata type under which {@link adopt} records its setting on a construct. */
export const ADOPT_METADATA = 'cdktf-golden-path:adopt';

/**
 * What {@link adopt} imports below a construct.
 *
 * @group App
 */
export interface AdoptOptions {
  /**
   * Only the resources that match one of these: a Kubernetes kind (`ServiceAccount`), a
   * Terraform resource type (`aws_iam_role`), or a construct path relative to the adopted
   * construct (`AwsRole`, `AwsRole/Role`, `Deployment`; a path matches everything below it).
   * @default - every resource below the construct
   */
  readonly only?: readonly string[];
  /**
   * Import ids given by hand, for resources whose id is not known at synth (an IAM role made
   * with `name_prefix`, a CloudFront distribution, an ACM certificate): keyed by the construct
   * path relative to the adopted construct (`AwsRole/Role`) or by the resource address
   * (`aws_iam_role.api_AwsRole_Role_1A2B3C4D`). A given id wins over a derived one.
   * @default {}
   */
  readonly ids?: Readonly<Record<string, string>>;
}

/**
 * `true` imports every resource below the construct, `false` none (it undoes an `adopt` of an
 * enclosing construct), an {@link AdoptOptions} some of them.
 *
 * @group App
 */
export type AdoptSetting = boolean | AdoptOptions;

/**
 * One resource the adoption looked at.
 *
 * @group App
 */
export interface AdoptionEntry {
  /** Terraform address (`kubernetes_manifest.api_Deployment_Resource_1A2B3C4D`). */
  readonly address: string;
  /** Construct path of the resource. */
  readonly path: string;
  /** What it is: the Kubernetes `apiVersion kind namespace/name`, or the resource type. */
  readonly description: string;
  /** The import id (for imported resources). */
  readonly id?: string;
  /** Why it has no import block (for the others). */
  readonly reason?: string;
}

/**
 * What the adoption did in one stack, after synth.
 *
 * @group App
 */
export interface AdoptionReport {
  /** Resources given an `import` block. */
  readonly imported: AdoptionEntry[];
  /** Selected resources whose import id is not known at synth: they will be created. */
  readonly notAdoptable: AdoptionEntry[];
  /** Resources with no remote object to import (`terraform_data`, an ACM validation, an annotation patch). */
  readonly nothingToImport: AdoptionEntry[];
}

/**
 * Adopt the objects `scope` manages that already exist: every resource below it (a construct,
 * a stack or the whole app) whose import id is known at synth gets a Terraform `import` block,
 * so the first plan shows imports and in-place updates instead of creates. The nearest
 * setting wins: `adopt(stack)` then `adopt(stack.node.findChild('worker'), false)` imports
 * everything but the worker.
 *
 * An import of an object that does not exist fails the plan ("Cannot import non-existent
 * remote object"). With a kubeconfig, `cdktf-golden-path adopt --stack <name>` keeps only the
 * imports of objects that exist and prepares the two applies an adoption of Kubernetes objects
 * takes (docs/migration.md). CDKTF checks at synth (with validations on) that `terraform` (or
 * `TERRAFORM_BINARY_NAME`) is 1.5 or newer, once per imported resource.
 *
 * @example
 * const api = new KubeDeployment(stack, 'api', { ... , panfactumNames: { id: '9f2c4e1ab3d07765' } });
 * adopt(api);                                           // everything api manages
 * adopt(worker, { only: ['Deployment', 'ServiceAccount'] });
 * adopt(api, { ids: { 'AwsRole/Role': 'api-20240101120000000000000001' } });
 *
 * @group App
 */
export function adopt(scope: IConstruct, setting: AdoptSetting = true): void {
  checkSetting(scope, setting);
  scope.node.addMetadata(ADOPT_METADATA, setting);
  // One aspect per stack (or one on the app): it visits every resource below.
  const root = scope.node.scopes.find((s) => TerraformStack.isStack(s)) ?? scope.node.root;
  if (!ASPECT_ADDED.has(root)) {
    ASPECT_ADDED.add(root);
    Aspects.of(root).add(new AdoptionAspect());
  }
}

/**
 * What the adoption did in `stack` (imports written, resources not adoptable and why). Filled
 * at synth; empty before.
 *
 * @group App
 */
export function adoptionReport(stack: TerraformStack): AdoptionReport {
  let report = REPORTS.get(stack);
  if (!report) {
    report = { imported: [], notAdoptable: [], nothingToImport: [] };
    REPORTS.set(stack, report);
  }
  return report;
}

const ASPECT_ADDED = new WeakSet<IConstruct>();
const REPORTS = new WeakMap<TerraformStack, AdoptionReport>();
const DONE = new WeakSet<TerraformResource>();

function checkSetting(scope: IConstruct, setting: AdoptSetting): void {
  const bad = (what: string) => {
    throw new Error(`[${scope.node.path || '<app>'}] adopt: ${what}. Fix: pass true, false, or { only?: string[], ids?: { [path or address]: string } }`);
  };
  if (typeof setting === 'boolean') return;
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) bad(`${JSON.stringify(setting)} is not a setting`);
  for (const key of Object.keys(setting)) if (key !== 'only' && key !== 'ids') bad(`unknown option "${key}"`);
  if (setting.only !== undefined && (!Array.isArray(setting.only) || setting.only.some((o) => typeof o !== 'string' || o === '' || isToken(o)))) {
    bad('only must be a list of non-empty literal strings (kinds, resource types or relative construct paths)');
  }
  if (setting.ids !== undefined) {
    if (typeof setting.ids !== 'object' || setting.ids === null || Array.isArray(setting.ids)) bad('ids must be a map of construct paths or addresses to import ids');
    for (const [k, v] of Object.entries(setting.ids)) if (typeof v !== 'string' || v === '') bad(`ids["${k}"] must be a non-empty string`);
  }
}

/** The nearest `adopt` setting of a construct or its scopes, and the construct that carries it. */
function nearestSetting(c: IConstruct): { setting: AdoptSetting; owner: IConstruct } | undefined {
  const scopes = c.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const entries = scopes[i].node.metadata.filter((m) => m.type === ADOPT_METADATA);
    if (entries.length > 0) return { setting: entries[entries.length - 1].data as AdoptSetting, owner: scopes[i] };
  }
  return undefined;
}

/** `a/b/c` relative to `owner` (without the leading owner path). */
function relativePath(owner: IConstruct, c: IConstruct): string {
  const base = owner.node.path;
  const full = c.node.path;
  return base === '' ? full : full.slice(base.length + 1);
}

/** The relative path of a resource without the trailing `/Resource` of a KubeManifest. */
function shortPath(rel: string): string {
  return rel.replace(/\/Resource$/, '');
}

function matchesOnly(only: readonly string[], rel: string, type: string, kind: string | undefined): boolean {
  const short = shortPath(rel);
  return only.some((o) => o === type || o === kind || short === o || rel === o || short.startsWith(`${o}/`));
}

class AdoptionAspect implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || DONE.has(node)) return;
    DONE.add(node);
    const found = nearestSetting(node);
    if (!found || found.setting === false) return;
    const stack = TerraformStack.of(node);
    const report = adoptionReport(stack);
    const rel = relativePath(found.owner, node);
    const options: AdoptOptions = found.setting === true ? {} : found.setting;
    const manifest = node.node.scope instanceof KubeManifest ? node.node.scope : undefined;
    const kind = manifest && typeof manifest.object.kind === 'string' ? manifest.object.kind : undefined;
    if (options.only && !matchesOnly(options.only, rel, node.terraformResourceType, kind)) return;
    const address = `${node.terraformResourceType}.${node.friendlyUniqueId}`;
    const entry = { address, path: node.node.path, description: manifest ? manifest.description : node.terraformResourceType };
    const given = options.ids?.[shortPath(rel)] ?? options.ids?.[rel] ?? options.ids?.[address];
    const result: ImportId = given !== undefined ? { id: given } : importIdOf(node, stack, manifest);
    if ('id' in result) {
      node.importFrom(result.id, node.provider);
      if (GENERATE_NAME_TYPES.has(node.terraformResourceType)) ignoreGenerateName(node);
      report.imported.push({ ...entry, id: result.id });
    } else if ('nothing' in result) {
      report.nothingToImport.push({ ...entry, reason: result.nothing });
    } else {
      report.notAdoptable.push({ ...entry, reason: result.reason });
      Annotations.of(node).addWarning(
        `adopt: ${entry.description} (${address}) gets no import block: ${result.reason}. It will be created; if it exists, ` +
          `give its import id: adopt(<construct>, { ids: { '${shortPath(rel)}': '<id>' } }) (docs/migration.md).`,
      );
    }
  }
}

/**
 * Typed Kubernetes resources read `metadata.generateName` back on import, and a change of
 * `generate_name` forces a replacement: an object Panfactum's kube_pod created with
 * `generate_name = "<name>-"` (its Secret) would be destroyed and created again (found by the
 * adopt phase of the e2e tier). The adopted resource ignores that attribute; it never sets it.
 */
const GENERATE_NAME_TYPES = new Set(['kubernetes_secret_v1', 'kubernetes_config_map_v1']);

function ignoreGenerateName(resource: TerraformResource): void {
  const lifecycle = resource.lifecycle ?? {};
  const ignored = lifecycle.ignoreChanges;
  if (ignored === 'all') return;
  resource.lifecycle = { ...lifecycle, ignoreChanges: [...(Array.isArray(ignored) ? ignored : []), 'metadata[0].generate_name'] };
}

type ImportId = { id: string } | { reason: string } | { nothing: string };

/**
 * The import id of a resource when it is known at synth. The formats are those of each
 * provider's import (kubernetes_manifest: `apiVersion=..,kind=..[,namespace=..],name=..`).
 */
export function importIdOf(resource: TerraformResource, stack: TerraformStack, manifest?: KubeManifest): ImportId {
  if (resource.count !== undefined || resource.forEach !== undefined) return { reason: 'it has count or for_each: give one import per instance by hand' };
  const type = resource.terraformResourceType;
  if (type === 'kubernetes_manifest') {
    if (!manifest) return { reason: 'a kubernetes_manifest not made by KubeManifest: its object is not known here' };
    return kubernetesManifestId(manifest.object as unknown as Record<string, unknown>);
  }
  const rule = RULES[type];
  if (!rule) return { reason: `no import id rule for ${type}` };
  const attrs = attributesOf(resource);
  return rule(attrs, (value) => literalOrReference(value, stack));
}

/** `apiVersion=<v>,kind=<k>[,namespace=<ns>],name=<n>` (the provider's util.ParseResourceID). */
export function kubernetesManifestId(object: Record<string, unknown>): ImportId {
  const meta = (object.metadata ?? {}) as Record<string, unknown>;
  const parts: Array<[string, unknown]> = [['apiVersion', object.apiVersion], ['kind', object.kind]];
  if (meta.namespace !== undefined) parts.push(['namespace', meta.namespace]);
  parts.push(['name', meta.name]);
  for (const [k, v] of parts) {
    if (typeof v !== 'string' || v === '') return { reason: `its ${k} is not set` };
    if (isToken(v)) return { reason: `its ${k} is only known at apply` };
    // The provider splits the id on "," and "=" (util.ParseResourceID).
    if (/[,=]/.test(v)) return { reason: `its ${k} "${v}" contains "," or "=", which the provider's import id cannot carry` };
  }
  return { id: parts.map(([k, v]) => `${k}=${v}`).join(',') };
}

/** The resource's attributes as written (snake_case), tokens unresolved. */
function attributesOf(resource: TerraformResource): Record<string, unknown> {
  const tf = resource.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return tf.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
}

/**
 * A literal string, or a reference to an attribute of another resource of the stack whose
 * import id is known (`aws_iam_role.x.name` is the role's import id): the id is what the
 * referenced attribute will be. Anything else is unknown at synth.
 */
type Resolve = (value: unknown) => string | undefined;

function literalOrReference(value: unknown, stack: TerraformStack): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (!isToken(value)) return value;
  const resolved = Tokenization.resolve(value, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
  const m = typeof resolved === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(resolved) : null;
  if (!m) return undefined;
  const [, type, name, attribute] = m;
  if (!(REFERENCE_ATTRIBUTES[type] ?? []).includes(attribute)) return undefined;
  const target = stack.node.findAll().find((c): c is TerraformResource => c instanceof TerraformResource && c.terraformResourceType === type && c.friendlyUniqueId === name);
  if (!target) return undefined;
  // An id given by hand for the target (adopt ids) is in its import block already.
  const imported = (target as unknown as { _imported?: { id: string } })._imported?.id;
  if (imported !== undefined) return imported;
  const own = importIdOf(target, stack, target.node.scope instanceof KubeManifest ? target.node.scope : undefined);
  return 'id' in own ? own.id : undefined;
}

/** Attributes whose value equals the resource's import id. */
const REFERENCE_ATTRIBUTES: Record<string, string[]> = {
  aws_iam_role: ['name', 'id'],
  aws_iam_policy: ['arn', 'id'],
  aws_s3_bucket: ['bucket', 'id'],
};

const PREFIX_REASON = (attr: string) => `its ${attr} is made by AWS from ${attr}_prefix (a generated suffix), so it is only known after the create`;

const bucketChild = (attrs: Record<string, unknown>, resolve: Resolve): ImportId => {
  const bucket = resolve(attrs.bucket);
  if (bucket === undefined) return { reason: 'its bucket is only known at apply' };
  const owner = attrs.expected_bucket_owner;
  if (owner === undefined) return { id: bucket };
  const o = resolve(owner);
  return o === undefined ? { reason: 'its expected_bucket_owner is only known at apply' } : { id: `${bucket},${o}` };
};

const AWS_MADE_ID = (what: string): ImportId => ({ reason: `its import id (${what}) is made by AWS when it is created` });

/** Import id rules by resource type (each provider's documented import id). */
const RULES: Record<string, (attrs: Record<string, unknown>, resolve: Resolve) => ImportId> = {
  kubernetes_secret_v1: (a, resolve) => namespacedName(a, resolve),
  kubernetes_config_map_v1: (a, resolve) => namespacedName(a, resolve),
  kubernetes_annotations: () => ({ nothing: 'it patches annotations onto an existing object; applying it takes them over' }),
  kubernetes_labels: () => ({ nothing: 'it patches labels onto an existing object; applying it takes them over' }),
  helm_release: (a, resolve) => {
    const name = resolve(a.name);
    const ns = a.namespace === undefined ? 'default' : resolve(a.namespace);
    return name !== undefined && ns !== undefined ? { id: `${ns}/${name}` } : { reason: 'its namespace or name is only known at apply' };
  },
  aws_iam_role: (a, resolve) => {
    if (a.name !== undefined) {
      const name = resolve(a.name);
      return name !== undefined ? { id: name } : { reason: 'its name is only known at apply' };
    }
    return { reason: PREFIX_REASON('name') };
  },
  aws_iam_policy: () => AWS_MADE_ID('the policy ARN, with the account id and, with name_prefix, a generated name'),
  aws_iam_role_policy_attachment: (a, resolve) => {
    const role = resolve(a.role);
    const arn = resolve(a.policy_arn);
    return role !== undefined && arn !== undefined ? { id: `${role}/${arn}` } : { reason: 'its role name or policy ARN is only known at apply (give the ids of the role and the policy)' };
  },
  aws_s3_bucket: (a, resolve) => {
    if (a.bucket !== undefined) {
      const bucket = resolve(a.bucket);
      return bucket !== undefined ? { id: bucket } : { reason: 'its bucket name is only known at apply' };
    }
    return { reason: PREFIX_REASON('bucket') };
  },
  aws_s3_bucket_public_access_block: bucketChild,
  aws_s3_bucket_ownership_controls: bucketChild,
  aws_s3_bucket_server_side_encryption_configuration: bucketChild,
  aws_s3_bucket_versioning: bucketChild,
  aws_s3_bucket_lifecycle_configuration: bucketChild,
  aws_s3_bucket_policy: (a, resolve) => {
    const bucket = resolve(a.bucket);
    return bucket !== undefined ? { id: bucket } : { reason: 'its bucket is only known at apply' };
  },
  aws_cloudfront_function: (a, resolve) => {
    const name = resolve(a.name);
    return name !== undefined ? { id: name } : { reason: 'its name is only known at apply' };
  },
  aws_cloudfront_distribution: () => AWS_MADE_ID('the distribution id'),
  aws_cloudfront_cache_policy: () => AWS_MADE_ID('the cache policy id'),
  aws_cloudfront_origin_request_policy: () => AWS_MADE_ID('the origin request policy id'),
  aws_cloudfront_response_headers_policy: () => AWS_MADE_ID('the response headers policy id'),
  aws_acm_certificate: () => AWS_MADE_ID('the certificate ARN'),
  aws_acm_certificate_validation: () => ({ nothing: 'it only waits for the validation; there is no remote object' }),
  aws_route53_record: (a, resolve) => {
    const zone = resolve(a.zone_id);
    const name = resolve(a.name);
    const type = resolve(a.type);
    if (zone === undefined || name === undefined || type === undefined) return { reason: 'its zone id, name or type is only known at apply' };
    const set = a.set_identifier === undefined ? undefined : resolve(a.set_identifier);
    if (a.set_identifier !== undefined && set === undefined) return { reason: 'its set_identifier is only known at apply' };
    return { id: [zone, name, type, ...(set !== undefined ? [set] : [])].join('_') };
  },
  terraform_data: () => ({ nothing: 'terraform_data has no remote object' }),
  null_resource: () => ({ nothing: 'null_resource has no remote object' }),
};

function namespacedName(a: Record<string, unknown>, resolve: Resolve): ImportId {
  const meta = (Array.isArray(a.metadata) ? a.metadata[0] : a.metadata) as Record<string, unknown> | undefined;
  if (!meta || meta.name === undefined) return { reason: 'its name is generated (generate_name)' };
  const name = resolve(meta.name);
  const ns = meta.namespace === undefined ? 'default' : resolve(meta.namespace);
  return name !== undefined && ns !== undefined ? { id: `${ns}/${name}` } : { reason: 'its namespace or name is only known at apply' };
}
