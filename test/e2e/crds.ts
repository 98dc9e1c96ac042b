/**
 * The CustomResourceDefinitions of every custom kind the library emits, for the apply tier:
 * the Terraform kubernetes provider's `kubernetes_manifest` reads a kind's schema from the API
 * server during plan, so each CRD must be installed before the first plan of a stack that
 * uses it. There are no controllers (no nodes, no Helm charts): only the API types.
 *
 * Generated at run time where a model package is installed: `@kubernetes-models/*` ships
 * ajv validators compiled to code (no JSON schemas to read back), so the schema is derived
 * from the package's `.d.ts` declarations, the same source scripts/gen-known-fields.js uses,
 * with the TypeScript compiler API, and written as a structural OpenAPI v3 schema:
 *
 *   string / number / boolean (and literal unions)  type (+ enum); `number` stays number (the
 *                                                    declarations do not tell integers apart)
 *   number | string (Quantity, IntOrString)          x-kubernetes-int-or-string: true
 *   T[]                                              type: array, items
 *   interface / inline object                        type: object, properties, required
 *   { [key: string]: T }                             type: object, additionalProperties
 *   properties and an index signature                properties, x-kubernetes-preserve-unknown-fields
 *   any, unknown, object, {}, mixed unions,          x-kubernetes-preserve-unknown-fields: true
 *   a type met again inside itself (recursion)
 *   ObjectMeta                                       type: object (preserving unknown fields below the root)
 *   | null                                           nullable: true
 *
 * Kinds without a model package (kube-fledged, Velero, the external snapshotter, Argo
 * Workflows) are written by hand below from the fields the library emits, open
 * (x-kubernetes-preserve-unknown-fields) where the real CRD is open or too large to restate.
 *
 * CRDs in protected groups (autoscaling.k8s.io, snapshot.storage.k8s.io) carry the
 * `api-approved.kubernetes.io` annotation of the real CRD, without which the API server
 * refuses them. `structuralSchemaProblems` checks a schema against the API server's rules for
 * structural schemas; test/e2e-crds.test.ts runs it on every CRD here.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { BUILTIN_KINDS } from '../../lib/k8s/schema/kinds';

/** An OpenAPI v3 schema node as apiextensions.k8s.io/v1 takes it (the subset used here). */
export interface JSONSchemaProps {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  additionalProperties?: JSONSchemaProps;
  items?: JSONSchemaProps;
  'x-kubernetes-preserve-unknown-fields'?: true;
  'x-kubernetes-int-or-string'?: true;
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  [keyword: string]: unknown;
}

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: { plural: string; singular: string; kind: string; listKind: string; shortNames?: string[]; categories?: string[] };
    scope: 'Namespaced' | 'Cluster';
    versions: Array<{
      name: string;
      served: boolean;
      storage: boolean;
      schema: { openAPIV3Schema: JSONSchemaProps };
      subresources?: { status: Record<string, never> };
    }>;
  };
}

/** Label on every CRD here, so the apply tier can tell them from anything else. */
export const CRD_LABEL = 'cdktf-golden-path.e2e/crd';

/** Annotation a CRD of a protected group (k8s.io, kubernetes.io and their subdomains) must carry. */
export const API_APPROVED = 'api-approved.kubernetes.io';

/** True for the API groups the API server protects (a CRD there needs API_APPROVED). */
export function isProtectedGroup(group: string): boolean {
  return /(^|\.)(k8s\.io|kubernetes\.io)$/.test(group);
}

const PRESERVE = 'x-kubernetes-preserve-unknown-fields';
const INT_OR_STRING = 'x-kubernetes-int-or-string';

/** What the API server needs to know about a kind, besides its schema. */
interface KindNames {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** The real CRD has the status subresource. */
  readonly status: boolean;
  readonly shortNames?: string[];
  readonly categories?: string[];
  /**
   * For a group under k8s.io or kubernetes.io (protected), the approval the real CRD cites
   * in its `api-approved.kubernetes.io` annotation; the API server refuses the CRD without it.
   */
  readonly apiApproved?: string;
}

/** Kinds whose schema is generated from the model package registered for them in lib/k8s/schema/kinds.ts. */
const GENERATED: readonly KindNames[] = [
  {
    group: 'autoscaling.k8s.io', version: 'v1', kind: 'VerticalPodAutoscaler', plural: 'verticalpodautoscalers', scope: 'Namespaced', status: true,
    shortNames: ['vpa'], apiApproved: 'https://github.com/kubernetes/kubernetes/pull/63797',
  },
  { group: 'keda.sh', version: 'v1alpha1', kind: 'ScaledObject', plural: 'scaledobjects', scope: 'Namespaced', status: true, shortNames: ['so'] },
  // Served as v1 by External Secrets Operator 0.16.2+ (v1beta1 no longer served from 0.17.0);
  // the schema comes from the v1beta1 model registered for v1, same shape.
  { group: 'external-secrets.io', version: 'v1', kind: 'ExternalSecret', plural: 'externalsecrets', scope: 'Namespaced', status: true, shortNames: ['es'], categories: ['external-secrets'] },
  { group: 'cert-manager.io', version: 'v1', kind: 'Certificate', plural: 'certificates', scope: 'Namespaced', status: true, shortNames: ['cert', 'certs'], categories: ['cert-manager'] },
];

/**
 * Fields the API accepts (and the library emits) that the packaged declarations predate; the
 * same gap as FIELD_SUPPLEMENTS in scripts/gen-known-fields.js. Keyed by kind, then by the
 * path of the object that gains the field.
 */
const SCHEMA_SUPPLEMENTS: Record<string, Array<{ at: string[]; field: string; schema: JSONSchemaProps }>> = {
  // VPA 1.1 (2024): updatePolicy.evictionRequirements; @kubernetes-models/autoscaler 3.3.4 predates it.
  VerticalPodAutoscaler: [
    {
      at: ['spec', 'updatePolicy'],
      field: 'evictionRequirements',
      schema: {
        type: 'array',
        items: {
          type: 'object',
          required: ['changeRequirement', 'resources'],
          properties: {
            changeRequirement: { type: 'string', enum: ['TargetHigherThanRequests', 'TargetLowerThanRequests'] },
            resources: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  ],
};

// ---------------------------------------------------------------------------------------
// Hand-written schemas (no model package installed for these kinds)

const str: JSONSchemaProps = { type: 'string' };
const strings: JSONSchemaProps = { type: 'array', items: { type: 'string' } };
const stringMap: JSONSchemaProps = { type: 'object', additionalProperties: { type: 'string' } };
const openObject: JSONSchemaProps = { type: 'object', [PRESERVE]: true };

function root(props: Record<string, JSONSchemaProps>, required: string[] = []): JSONSchemaProps {
  return {
    type: 'object',
    properties: { apiVersion: str, kind: str, metadata: { type: 'object' }, ...props },
    ...(required.length > 0 ? { required } : {}),
  };
}

/** kube-fledged's ImageCache: the real CRD (deploy/kubefledged-crd.yaml) is closed, without subresources. */
const IMAGE_CACHE = root(
  {
    spec: {
      type: 'object',
      required: ['cacheSpec'],
      properties: {
        cacheSpec: { type: 'array', items: { type: 'object', required: ['images'], properties: { images: strings, nodeSelector: stringMap } } },
        imagePullSecrets: { type: 'array', items: { type: 'object', properties: { name: str } } },
      },
    },
    status: openObject,
  },
  ['spec'],
);

/** A Kubernetes LabelSelector (as Velero's CRDs restate it). */
const LABEL_SELECTOR: JSONSchemaProps = {
  type: 'object',
  nullable: true,
  properties: {
    matchExpressions: {
      type: 'array',
      items: { type: 'object', required: ['key', 'operator'], properties: { key: str, operator: str, values: strings } },
    },
    matchLabels: stringMap,
  },
};

/**
 * Velero's Schedule (velero.io_schedules.yaml, status subresource). The real template (a
 * BackupSpec) is closed but long: the fields the library emits are typed, the rest kept open.
 */
const VELERO_SCHEDULE = root(
  {
    spec: {
      type: 'object',
      required: ['schedule', 'template'],
      properties: {
        schedule: str,
        paused: { type: 'boolean' },
        skipImmediately: { type: 'boolean', nullable: true },
        useOwnerReferencesInBackup: { type: 'boolean', nullable: true },
        template: {
          type: 'object',
          [PRESERVE]: true,
          properties: {
            ttl: str,
            snapshotVolumes: { type: 'boolean', nullable: true },
            includedNamespaces: { ...strings, nullable: true },
            excludedNamespaces: { ...strings, nullable: true },
            includedResources: { ...strings, nullable: true },
            excludedResources: { ...strings, nullable: true },
            storageLocation: str,
            volumeSnapshotLocations: strings,
            labelSelector: LABEL_SELECTOR,
          },
        },
      },
    },
    status: openObject,
  },
);

/** The external snapshotter's VolumeSnapshotClass: cluster-scoped, fields at the root, no status. */
const VOLUME_SNAPSHOT_CLASS = root(
  {
    driver: str,
    deletionPolicy: { type: 'string', enum: ['Delete', 'Retain'] },
    parameters: stringMap,
  },
  ['deletionPolicy', 'driver'],
);

/** Argo's WorkflowTemplate, as Argo's own (minimal) CRD has it: the spec is open, no status. */
const WORKFLOW_TEMPLATE = root({ spec: { type: 'object', 'x-kubernetes-map-type': 'atomic', [PRESERVE]: true } }, ['metadata', 'spec']);

const HAND_WRITTEN: ReadonlyArray<KindNames & { schema: JSONSchemaProps }> = [
  { group: 'kubefledged.io', version: 'v1alpha2', kind: 'ImageCache', plural: 'imagecaches', scope: 'Namespaced', status: false, shortNames: ['ic'], schema: IMAGE_CACHE },
  { group: 'velero.io', version: 'v1', kind: 'Schedule', plural: 'schedules', scope: 'Namespaced', status: true, schema: VELERO_SCHEDULE },
  {
    group: 'snapshot.storage.k8s.io', version: 'v1', kind: 'VolumeSnapshotClass', plural: 'volumesnapshotclasses', scope: 'Cluster', status: false,
    shortNames: ['vsclass', 'vsclasses'], apiApproved: 'https://github.com/kubernetes-csi/external-snapshotter/pull/814', schema: VOLUME_SNAPSHOT_CLASS,
  },
  { group: 'argoproj.io', version: 'v1alpha1', kind: 'WorkflowTemplate', plural: 'workflowtemplates', scope: 'Namespaced', status: false, shortNames: ['wftmpl'], schema: WORKFLOW_TEMPLATE },
];

// ---------------------------------------------------------------------------------------
// Generation from the model packages' declarations

/** The `.d.ts` beside the module registered for apiVersion/kind in BUILTIN_KINDS. */
function declarationFile(apiVersion: string, kind: string): string {
  const def = BUILTIN_KINDS.find((k) => k.apiVersion === apiVersion && k.kind === kind);
  if (!def) throw new Error(`${apiVersion} ${kind} is not in BUILTIN_KINDS (lib/k8s/schema/kinds.ts): no model to generate its CRD from`);
  const js = require.resolve(def.module, { paths: [path.resolve(__dirname, '../..')] });
  return js.replace(/\.js$/, '.d.ts');
}

/** Converts TypeScript types of the kubernetes-models declarations to structural schemas. */
class SchemaGenerator {
  /** Object types being expanded: meeting one again is recursion, cut with preserve-unknown-fields. */
  private readonly expanding = new Set<ts.Type>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** The schema of an object's root interface (`I<Kind>`). */
  root(type: ts.Type): JSONSchemaProps {
    const schema = this.objectSchema([type]);
    const props = schema.properties ?? {};
    // The API server owns apiVersion, kind and metadata at the root; the models pin the
    // apiVersion to one literal, which must not become an enum.
    props.apiVersion = { type: 'string' };
    props.kind = { type: 'string' };
    props.metadata = { type: 'object' };
    const required = (schema.required ?? []).filter((r) => !['apiVersion', 'kind', 'metadata'].includes(r));
    return { type: 'object', properties: props, ...(required.length > 0 ? { required } : {}) };
  }

  /** The schema of a type, or of the union of several (a field declared in several union members). */
  schemaOf(types: ts.Type | ts.Type[]): JSONSchemaProps {
    let nullable = false;
    const members: ts.Type[] = [];
    for (const t of (Array.isArray(types) ? types : [types]).flatMap((x) => (x.isUnion() ? x.types : [x]))) {
      if (t.flags & ts.TypeFlags.Null) nullable = true;
      else if (!(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void | ts.TypeFlags.Never))) members.push(t);
    }
    const schema = this.ofMembers(members);
    return nullable ? { ...schema, nullable: true } : schema;
  }

  /** ObjectMeta, IntOrString, Quantity and Time of @kubernetes-models/apimachinery. */
  private wellKnown(type: ts.Type): JSONSchemaProps | undefined {
    const sym = type.aliasSymbol ?? type.getSymbol();
    const decl = sym?.declarations?.[0];
    if (!sym || !decl || !/[\\/]@kubernetes-models[\\/]apimachinery[\\/]/.test(decl.getSourceFile().fileName)) return undefined;
    if (/ObjectMeta$/.test(sym.name)) return { type: 'object', [PRESERVE]: true };
    if (/(IntOrString|Quantity)$/.test(sym.name)) return { [INT_OR_STRING]: true };
    if (/(MicroTime|Time)$/.test(sym.name)) return { type: 'string', format: 'date-time' };
    return undefined;
  }

  private ofMembers(members: ts.Type[]): JSONSchemaProps {
    if (members.length === 0) return { [PRESERVE]: true };
    if (members.length === 1) {
      const known = this.wellKnown(members[0]);
      if (known) return known;
    }
    const kinds = new Set<string>();
    for (const t of members) {
      if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { [PRESERVE]: true };
      if (this.wellKnown(t)?.[INT_OR_STRING]) kinds.add('int-or-string');
      else if (t.flags & ts.TypeFlags.StringLike) kinds.add('string');
      else if (t.flags & ts.TypeFlags.NumberLike) kinds.add('number');
      else if (t.flags & ts.TypeFlags.BooleanLike) kinds.add('boolean');
      else if (this.checker.isArrayType(t) || this.checker.isTupleType(t)) kinds.add('array');
      else if (t.flags & (ts.TypeFlags.Object | ts.TypeFlags.NonPrimitive) || t.isIntersection()) kinds.add('object');
      else kinds.add(`other:${this.checker.typeToString(t)}`);
    }
    const only = (...k: string[]) => [...kinds].every((x) => k.includes(x));
    if (only('string')) return this.scalar('string', members);
    if (only('number')) return this.scalar('number', members);
    if (only('boolean')) return { type: 'boolean' };
    if (only('string', 'number', 'int-or-string')) return { [INT_OR_STRING]: true };
    if (only('array')) {
      const elements = members.flatMap((t) => this.checker.getTypeArguments(t as ts.TypeReference));
      return { type: 'array', items: this.schemaOf(elements) };
    }
    if (only('object')) return this.objectSchema(members);
    return { [PRESERVE]: true }; // a mix the OpenAPI subset cannot type
  }

  private scalar(type: 'string' | 'number', members: ts.Type[]): JSONSchemaProps {
    const literals = members.every((t) => t.isLiteral());
    if (!literals) return { type };
    return { type, enum: [...new Set(members.map((t) => (t as ts.LiteralType).value))] };
  }

  private objectSchema(members: ts.Type[]): JSONSchemaProps {
    if (members.some((t) => t.flags & ts.TypeFlags.NonPrimitive) || members.some((t) => this.expanding.has(t))) {
      return { type: 'object', [PRESERVE]: true };
    }
    for (const t of members) this.expanding.add(t);
    try {
      const fields = new Map<string, { types: ts.Type[]; requiredIn: number }>();
      const indexTypes: ts.Type[] = [];
      for (const m of members) {
        for (const prop of this.checker.getPropertiesOfType(m)) {
          const decl = prop.valueDeclaration ?? prop.declarations?.[0];
          const propType = decl ? this.checker.getTypeOfSymbolAtLocation(prop, decl) : this.checker.getTypeOfSymbol(prop);
          const field = fields.get(prop.name) ?? { types: [], requiredIn: 0 };
          field.types.push(propType);
          if (!(prop.flags & ts.SymbolFlags.Optional)) field.requiredIn++;
          fields.set(prop.name, field);
        }
        const index = this.checker.getIndexTypeOfType(m, ts.IndexKind.String);
        if (index) indexTypes.push(index);
      }
      if (fields.size === 0 && indexTypes.length === 0) return { type: 'object', [PRESERVE]: true };
      if (fields.size === 0) {
        return { type: 'object', additionalProperties: this.schemaOf(indexTypes) };
      }
      const properties: Record<string, JSONSchemaProps> = {};
      const required: string[] = [];
      for (const [name, field] of [...fields].sort(([a], [b]) => a.localeCompare(b))) {
        properties[name] = this.schemaOf(field.types);
        if (field.requiredIn === members.length) required.push(name);
      }
      return {
        type: 'object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        // Structural schemas cannot have properties and additionalProperties together.
        ...(indexTypes.length > 0 ? { [PRESERVE]: true as const } : {}),
      };
    } finally {
      for (const t of members) this.expanding.delete(t);
    }
  }
}

function generateSchemas(kinds: readonly KindNames[]): Map<string, JSONSchemaProps> {
  const files = kinds.map((k) => ({ k, dts: declarationFile(`${k.group}/${k.version}`, k.kind) }));
  const program = ts.createProgram(
    files.map((f) => f.dts),
    { noEmit: true, skipLibCheck: true, types: [], target: ts.ScriptTarget.ES2020, moduleResolution: ts.ModuleResolutionKind.Node10 },
  );
  const checker = program.getTypeChecker();
  const out = new Map<string, JSONSchemaProps>();
  for (const { k, dts } of files) {
    const sf = program.getSourceFile(dts);
    const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
    const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${k.kind}`);
    if (!exported) throw new Error(`${dts} does not export interface I${k.kind}`);
    const sym = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const schema = new SchemaGenerator(checker).root(checker.getDeclaredTypeOfSymbol(sym));
    for (const s of SCHEMA_SUPPLEMENTS[k.kind] ?? []) {
      let node: JSONSchemaProps | undefined = schema;
      for (const step of s.at) node = node?.properties?.[step];
      if (!node?.properties) throw new Error(`SCHEMA_SUPPLEMENTS: ${k.kind} has no object at ${s.at.join('.')}`);
      if (node.properties[s.field]) throw new Error(`SCHEMA_SUPPLEMENTS: ${k.kind} ${s.at.join('.')}.${s.field} is in the package now; remove the supplement`);
      node.properties[s.field] = s.schema;
    }
    out.set(k.kind, schema);
  }
  return out;
}

function crd(k: KindNames, schema: JSONSchemaProps): CustomResourceDefinition {
  if (isProtectedGroup(k.group) && !k.apiApproved) throw new Error(`${k.kind}: ${k.group} is a protected group; give apiApproved (the real CRD's ${API_APPROVED} annotation)`);
  const singular = k.kind.toLowerCase();
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${k.plural}.${k.group}`,
      labels: { [CRD_LABEL]: 'true' },
      ...(k.apiApproved ? { annotations: { [API_APPROVED]: k.apiApproved } } : {}),
    },
    spec: {
      group: k.group,
      names: {
        plural: k.plural,
        singular,
        kind: k.kind,
        listKind: `${k.kind}List`,
        ...(k.shortNames ? { shortNames: [...k.shortNames] } : {}),
        ...(k.categories ? { categories: [...k.categories] } : {}),
      },
      scope: k.scope,
      versions: [
        {
          name: k.version,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schema },
          ...(k.status ? { subresources: { status: {} } } : {}),
        },
      ],
    },
  };
}

let cache: CustomResourceDefinition[] | undefined;

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions, ready to create, of every custom kind the
 * library emits. Fresh copies on each call (generation runs once per process).
 */
export function customResourceDefinitions(): CustomResourceDefinition[] {
  if (!cache) {
    const generated = generateSchemas(GENERATED);
    cache = [
      ...GENERATED.map((k) => crd(k, generated.get(k.kind)!)),
      ...HAND_WRITTEN.map((k) => crd(k, k.schema)),
    ];
  }
  return JSON.parse(JSON.stringify(cache)) as CustomResourceDefinition[];
}

/** Which CRDs are generated from a model package and which are written here. */
export function crdSources(): Array<{ group: string; version: string; kind: string; source: 'generated' | 'hand-written' }> {
  return [
    ...GENERATED.map((k) => ({ group: k.group, version: k.version, kind: k.kind, source: 'generated' as const })),
    ...HAND_WRITTEN.map((k) => ({ group: k.group, version: k.version, kind: k.kind, source: 'hand-written' as const })),
  ];
}

// ---------------------------------------------------------------------------------------
// Structural schema check

const TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
/** Keywords apiextensions.k8s.io/v1 accepts in a structural schema (logical junctors handled apart). */
const ALLOWED = new Set([
  'type', 'format', 'title', 'description', 'default', 'example', 'enum', 'nullable',
  'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'multipleOf',
  'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties',
  'properties', 'additionalProperties', 'items', 'required',
  PRESERVE, INT_OR_STRING, 'x-kubernetes-embedded-resource', 'x-kubernetes-map-type',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-validations',
]);
/** Forbidden by the API server in CRD schemas, or by the structural rules. */
const FORBIDDEN = ['$ref', '$schema', '$id', 'id', 'definitions', 'dependencies', 'additionalItems', 'patternProperties', 'const', 'oneOf', 'allOf', 'not'];

/**
 * Problems that would make the API server reject `schema` as a CRD's openAPIV3Schema, or make
 * it non-structural: every node typed unless int-or-string or preserve-unknown-fields, no
 * `$ref` or other forbidden keyword, properties and additionalProperties never together,
 * additionalProperties a schema (not a boolean), arrays with items, logical junctors only in
 * the int-or-string form, root metadata restricted to name/generateName. Empty when fine.
 */
export function structuralSchemaProblems(schema: JSONSchemaProps): string[] {
  const problems: string[] = [];
  const walk = (node: unknown, at: string, isRoot: boolean): void => {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      problems.push(`${at}: not a schema object`);
      return;
    }
    const s = node as JSONSchemaProps;
    for (const key of Object.keys(s)) {
      if (FORBIDDEN.includes(key)) problems.push(`${at}: forbidden keyword ${key}`);
      else if (key === 'anyOf') {
        const ok = s[INT_OR_STRING] === true && JSON.stringify(s.anyOf) === JSON.stringify([{ type: 'integer' }, { type: 'string' }]);
        if (!ok) problems.push(`${at}: anyOf is only allowed as the int-or-string pattern`);
      } else if (!ALLOWED.has(key)) problems.push(`${at}: unknown keyword ${key}`);
    }
    const preserve = s[PRESERVE];
    const intOrString = s[INT_OR_STRING];
    if (preserve !== undefined && preserve !== true) problems.push(`${at}: ${PRESERVE} must be true when set`);
    if (intOrString !== undefined && intOrString !== true) problems.push(`${at}: ${INT_OR_STRING} must be true when set`);
    if (s.type === undefined) {
      if (!preserve && !intOrString) problems.push(`${at}: no type (only int-or-string and preserve-unknown-fields nodes may omit it)`);
    } else if (!TYPES.has(s.type)) problems.push(`${at}: unknown type ${String(s.type)}`);
    if (intOrString && s.type !== undefined) problems.push(`${at}: an int-or-string node has no type`);
    if (isRoot && s.type !== 'object') problems.push(`${at}: the root must be type object`);
    if (s.uniqueItems === true) problems.push(`${at}: uniqueItems cannot be true`);
    if (s.nullable !== undefined && typeof s.nullable !== 'boolean') problems.push(`${at}: nullable must be a boolean`);
    if (s['x-kubernetes-map-type'] !== undefined && s.type !== 'object') problems.push(`${at}: x-kubernetes-map-type needs type object`);
    if (s['x-kubernetes-embedded-resource'] && s.type !== 'object') problems.push(`${at}: x-kubernetes-embedded-resource needs type object`);
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum) || s.enum.length === 0) problems.push(`${at}: enum must be a non-empty list`);
      else if (s.type === 'string' && s.enum.some((v) => typeof v !== 'string')) problems.push(`${at}: enum values must be strings`);
      else if ((s.type === 'number' || s.type === 'integer') && s.enum.some((v) => typeof v !== 'number')) problems.push(`${at}: enum values must be numbers`);
    }
    if (s.properties !== undefined) {
      if (s.type !== 'object') problems.push(`${at}: properties need type object`);
      if (s.additionalProperties !== undefined) problems.push(`${at}: properties and additionalProperties are mutually exclusive`);
      for (const [name, child] of Object.entries(s.properties)) {
        if (isRoot && name === 'metadata') checkRootMetadata(child, `${at}.properties.metadata`);
        else walk(child, `${at}.properties.${name}`, false);
      }
    }
    if (s.required !== undefined) {
      if (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string')) problems.push(`${at}: required must be a list of names`);
      else for (const r of s.required) if (!s.properties?.[r]) problems.push(`${at}: required field ${r} is not in properties`);
    }
    if (s.additionalProperties !== undefined) {
      if (typeof s.additionalProperties !== 'object') problems.push(`${at}: additionalProperties must be a schema, not ${String(s.additionalProperties)}`);
      else {
        if (s.type !== 'object') problems.push(`${at}: additionalProperties needs type object`);
        walk(s.additionalProperties, `${at}.additionalProperties`, false);
      }
    }
    if (s.type === 'array') {
      if (s.items === undefined) problems.push(`${at}: an array needs items`);
    } else if (s.items !== undefined) problems.push(`${at}: items need type array`);
    if (s.items !== undefined) {
      if (Array.isArray(s.items)) problems.push(`${at}: items must be one schema`);
      else walk(s.items, `${at}.items`, false);
    }
  };
  const checkRootMetadata = (node: unknown, at: string): void => {
    const s = node as JSONSchemaProps;
    if (!s || typeof s !== 'object' || s.type !== 'object') {
      problems.push(`${at}: must be type object`);
      return;
    }
    for (const key of Object.keys(s)) if (!['type', 'description', 'properties'].includes(key)) problems.push(`${at}: only name and generateName may be restricted (found ${key})`);
    for (const [name, child] of Object.entries(s.properties ?? {})) {
      if (name !== 'name' && name !== 'generateName') problems.push(`${at}: only name and generateName may be restricted (found properties.${name})`);
      else walk(child, `${at}.properties.${name}`, false);
    }
  };
  walk(schema, 'openAPIV3Schema', true);
  return problems;
}
