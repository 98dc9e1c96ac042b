import type { z } from 'zod';
import { lazy, zodModule } from '../core/lazy';
import { CLUSTER_CAPABILITIES, ClusterProfileOverrides, NODE_CLASSES } from '../core/cluster-profile';
// `cluster_profile` keys in the files are the capability names in snake_case.
import { camelToSnake as snake, snakeToCamel as camel } from '../core/naming';

const PROFILE_NAME = ['panfactum', 'eks'] as const;

function clusterProfileSchema(zz: Z): z.ZodType {
  const name = zz.string().regex(DNS_NAME);
  const shape: Record<string, z.ZodType> = {
    base: zz.enum(PROFILE_NAME),
    bin_packing_scheduler: zz.union([name, zz.literal(false)]),
    node_classes: zz.array(zz.enum(NODE_CLASSES as [string, ...string[]])),
    storage_class: name,
    retained_storage_class: name,
    cert_issuer_name: name,
    external_secrets_api_version: zz.enum(['external-secrets.io/v1', 'external-secrets.io/v1beta1']),
    ingress_nginx_class: zz.union([name, zz.literal(false)]),
  };
  for (const key of CLUSTER_CAPABILITIES) shape[snake(key)] ??= zz.boolean();
  for (const key of Object.keys(shape)) shape[key] = shape[key].optional();
  return zz.union([
    zz.enum(PROFILE_NAME).transform((base): ClusterProfileOverrides => ({ base })),
    zz.strictObject(shape).transform((o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [camel(k), v])) as ClusterProfileOverrides),
  ]);
}

/**
 * The keys of the YAML files under `environments/`, their types and where each may appear.
 *
 * As in Panfactum, any setting may be given at any level (global.yaml, environment.yaml,
 * region.yaml, module.yaml) and the most specific level wins; two keys are restricted:
 * `environment` (the name) only in environment.yaml, and `inputs` only in module.yaml.
 * A key set to `null` clears a value inherited from a less specific file.
 */

/** The kinds of configuration file, least specific first. */
export type ConfigFileKind = 'global' | 'environment' | 'region' | 'module';

/** File names for each kind (a `<name>.user.yaml` beside it overrides it). */
export const CONFIG_FILE_NAMES: Readonly<Record<ConfigFileKind, string>> = {
  global: 'global.yaml',
  environment: 'environment.yaml',
  region: 'region.yaml',
  module: 'module.yaml',
};

const ALL_LEVELS: readonly ConfigFileKind[] = ['global', 'environment', 'region', 'module'];

/** Lowercase DNS label: environment names end up in stack names and Kubernetes labels. */
export const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
const S3_BUCKET = /^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const DYNAMODB_TABLE = /^[A-Za-z0-9_.-]{3,255}$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const ACCOUNT_ID = /^\d{12}$/;
/** Kubernetes label name part (extra_tags are applied as AWS tags and as Kubernetes labels). */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  if (slash === -1) return LABEL_NAME.test(key);
  return LABEL_PREFIX.test(key.slice(0, slash)) && LABEL_NAME.test(key.slice(slash + 1));
}

type Z = typeof z;

const tagValue = (zz: Z) =>
  zz
    .union([zz.string(), zz.number(), zz.boolean()])
    .transform((v) => String(v))
    .refine((v) => v === '' || LABEL_NAME.test(v));

const httpsUrl = (zz: Z) => zz.url({ protocol: /^https$/ });

interface FieldSpec {
  /** Validates (and may normalise) the value; null is handled by the caller. Built on first use. */
  readonly schema: z.ZodType;
  /** What is accepted, in words, for the error message. */
  readonly expected: string;
  /** For maps: what each entry's value must be. */
  readonly entryExpected?: string;
  /** For maps: what each entry's key must be. */
  readonly keyExpected?: string;
  /** Where the key may appear. */
  readonly levels: readonly ConfigFileKind[];
  /** One-line description (for docs and the unknown-key message). */
  readonly doc: string;
}

/** A field spec whose zod schema is built (and zod loaded) the first time it is read. */
function field<const L extends readonly ConfigFileKind[]>(
  spec: Omit<FieldSpec, 'schema' | 'levels'> & { levels: L; build: (zz: Z) => z.ZodType },
): FieldSpec & { levels: L } {
  const { build, ...rest } = spec;
  const schema = lazy(() => build(zodModule().z));
  return Object.defineProperty(rest, 'schema', { get: schema, enumerable: true }) as FieldSpec & { levels: L };
}

/** Every key, in the order the docs list them. */
export const FIELDS = {
  environment: field({
    build: (zz) => zz.string().regex(ENVIRONMENT_NAME).max(63),
    expected: 'a lowercase name (a-z, 0-9, "-", at most 63 characters) equal to the directory name',
    levels: ['environment'],
    doc: 'Name of the environment; must equal its directory name.',
  }),
  subdomain: field({
    build: (zz) => zz.string().regex(DNS_NAME),
    expected: 'a lowercase DNS name such as "dev" or "prod.example"',
    levels: ALL_LEVELS,
    doc: 'Subdomain reserved for the environment.',
  }),
  sla_target: field({
    build: (zz) => zz.union([zz.literal(1), zz.literal(2), zz.literal(3)]),
    expected: 'a number 1-3',
    levels: ALL_LEVELS,
    doc: 'Service-level target 1 (lowest) to 3 (highest); drives availability defaults. Default 3.',
  }),
  aws_account_id: field({
    build: (zz) => zz.union([
      zz.string().regex(ACCOUNT_ID),
      zz
        .int()
        .nonnegative()
        .transform((n) => String(n))
        .refine((s) => ACCOUNT_ID.test(s)),
    ]),
    expected: 'a 12-digit AWS account ID in quotes, such as "123456789012"',
    levels: ALL_LEVELS,
    doc: 'AWS account the environment deploys into (the AWS provider refuses any other).',
  }),
  aws_profile: field({
    build: (zz) => zz.string().min(1),
    expected: 'the name of an AWS CLI profile (a non-empty string)',
    levels: ALL_LEVELS,
    doc: 'AWS CLI profile used locally for the environment.',
  }),
  tf_state_bucket: field({
    build: (zz) => zz.string().regex(S3_BUCKET),
    expected: 'an S3 bucket name (3-63 characters: a-z, 0-9, ".", "-")',
    levels: ALL_LEVELS,
    doc: 'S3 bucket for Terraform state; unset means a local backend.',
  }),
  tf_state_lock_table: field({
    build: (zz) => zz.string().regex(DYNAMODB_TABLE),
    expected: 'a DynamoDB table name (3-255 characters: A-Z, a-z, 0-9, "_", ".", "-")',
    levels: ALL_LEVELS,
    doc: 'DynamoDB table for state locking (optional with S3 lock files).',
  }),
  tf_state_region: field({
    build: (zz) => zz.string().regex(AWS_REGION),
    expected: 'an AWS region name such as "us-east-2"',
    levels: ALL_LEVELS,
    doc: 'Region of the state bucket; required when tf_state_bucket is set.',
  }),
  aws_region: field({
    build: (zz) => zz.string().regex(AWS_REGION),
    expected: 'an AWS region name such as "us-east-2"',
    levels: ALL_LEVELS,
    doc: 'AWS region of the region directory; required for every region.',
  }),
  kube_cluster_name: field({
    build: (zz) => zz.string().regex(EKS_CLUSTER_NAME),
    expected: 'an EKS cluster name (1-100 characters: letters, digits, "-", "_", starting with a letter or digit)',
    levels: ALL_LEVELS,
    doc: 'Name of the EKS cluster in the region; required for every region.',
  }),
  kube_oidc_issuer: field({
    build: httpsUrl,
    expected: 'an https URL such as "https://oidc.eks.us-east-2.amazonaws.com/id/EXAMPLE"',
    levels: ALL_LEVELS,
    doc: "The cluster's OIDC issuer URL (IRSA); looked up from the cluster when unset.",
  }),
  kube_api_server: field({
    build: httpsUrl,
    expected: 'an https URL such as "https://EXAMPLE.gr7.us-east-2.eks.amazonaws.com"',
    levels: ALL_LEVELS,
    doc: "The cluster's API server URL; looked up from the cluster when unset.",
  }),
  kube_config_context: field({
    build: (zz) => zz.string().min(1),
    expected: 'the name of a kubeconfig context (a non-empty string)',
    levels: ALL_LEVELS,
    doc: 'kubeconfig context to use instead of the cluster endpoint (local development).',
  }),
  adopt_existing: field({
    build: (zz) => zz.boolean(),
    expected: 'true or false',
    levels: ALL_LEVELS,
    doc: 'Adopt what already runs: import blocks for the existing objects of the stacks below this level (docs/migration.md).',
  }),
  cluster_profile: field({
    build: clusterProfileSchema,
    expected: `"panfactum", "eks", or a map of capabilities with an optional base (e.g. { base: eks, vpa: true, ingress_nginx_class: nginx }); keys: base, ${CLUSTER_CAPABILITIES.map(snake).join(', ')}`,
    levels: ALL_LEVELS,
    doc: 'What the cluster provides (docs/clusters.md): panfactum (default), eks, or a base with capabilities overridden; maps merge across levels.',
  }),
  extra_tags: field({
    build: (zz) => zz.record(zz.string().refine(isLabelKey), tagValue(zz)),
    expected: 'a map of tag names to values',
    keyExpected: 'a tag name usable as a Kubernetes label key ([prefix/]name, name up to 63 characters: letters, digits, "-", "_", ".")',
    entryExpected: 'a tag value usable as a Kubernetes label value (up to 63 characters: letters, digits, "-", "_", ".", starting and ending with a letter or digit)',
    levels: ALL_LEVELS,
    doc: 'Tags added to every AWS resource and labels added to every Kubernetes object; merged across levels.',
  }),
  extra_inputs: field({
    build: (zz) => zz.record(zz.string().min(1), zz.unknown()),
    expected: 'a map of input names to values',
    keyExpected: 'a non-empty input name',
    entryExpected: 'any value',
    levels: ALL_LEVELS,
    doc: 'Inputs passed to every module below this level; merged across levels.',
  }),
  inputs: field({
    build: (zz) => zz.record(zz.string().min(1), zz.unknown()),
    expected: 'a map of input names to values',
    keyExpected: 'a non-empty input name',
    entryExpected: 'any value',
    levels: ['module'],
    doc: "The module's own inputs; win over extra_inputs.",
  }),
} as const satisfies Record<string, FieldSpec>;

/**
 * A key of the configuration files.
 *
 * @group Configuration
 */
export type ConfigKey = keyof typeof FIELDS;

/** Keys whose values are maps merged entry by entry across levels. */
export const MAP_KEYS: readonly ConfigKey[] = ['extra_tags', 'extra_inputs', 'inputs', 'cluster_profile'];

/** The keys allowed in a file of the given kind. */
export function allowedKeys(kind: ConfigFileKind): ConfigKey[] {
  return (Object.keys(FIELDS) as ConfigKey[]).filter((k) => (FIELDS[k].levels as readonly string[]).includes(kind));
}

/** The field spec of a key (undefined for unknown keys). */
export function fieldSpec(key: string): FieldSpec | undefined {
  return Object.prototype.hasOwnProperty.call(FIELDS, key) ? (FIELDS as Record<string, FieldSpec>)[key] : undefined;
}

const schemas = new Map<ConfigFileKind, z.ZodType>();

/** The zod schema of one file kind: a strict object, every key optional and nullable. */
export function fileSchema(kind: ConfigFileKind): z.ZodType {
  let schema = schemas.get(kind);
  if (!schema) {
    const shape: Record<string, z.ZodType> = {};
    for (const key of allowedKeys(kind)) shape[key] = FIELDS[key].schema.nullable().optional();
    schema = zodModule().z.strictObject(shape);
    schemas.set(kind, schema);
  }
  return schema;
}

/** The parsed (validated, normalised) content of one file: null means "cleared at this level". */
export interface FileSettings {
  environment?: string | null;
  subdomain?: string | null;
  sla_target?: 1 | 2 | 3 | null;
  aws_account_id?: string | null;
  aws_profile?: string | null;
  tf_state_bucket?: string | null;
  tf_state_lock_table?: string | null;
  tf_state_region?: string | null;
  aws_region?: string | null;
  kube_cluster_name?: string | null;
  kube_oidc_issuer?: string | null;
  kube_api_server?: string | null;
  kube_config_context?: string | null;
  cluster_profile?: ClusterProfileOverrides | null;
  adopt_existing?: boolean | null;
  extra_tags?: Record<string, string> | null;
  extra_inputs?: Record<string, unknown> | null;
  inputs?: Record<string, unknown> | null;
}
