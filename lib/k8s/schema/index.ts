/**
 * Offline validation of Kubernetes objects: the shape against the published OpenAPI
 * schemas (the kubernetes-models compiled validators), unknown fields (against a graph
 * generated from the kubernetes-models declaration files), and the rules the schemas
 * leave out (object names, label keys and values, a Service's selector and ports, ConfigMap and
 * Secret data keys).
 *
 * Every kind must be registered (lib/k8s/schema/kinds.ts, `registerKind`) or explicitly
 * declared schemaless (`registerSchemalessKind`): an unknown apiVersion/kind is itself a
 * problem, so nothing is silently left unvalidated. Model modules are required lazily,
 * on the first object of their kind, and cached.
 */
import { isToken } from '../../core/validation';
import { ajvErrorsToProblems, type AjvError } from './ajv-errors';
import { BUILTIN_KINDS, type KindDefinition, type NameRule, typeNameOfModule } from './kinds';
import { findUnknownFields, knownTypes, type TypeNode } from './known-fields';
import { checkNestedRules, checkRootMetadata } from './metadata';
import { type SchemaProblem, valuesAlong } from './problem';

export type { SchemaProblem } from './problem';
export type { KindDefinition, NameRule } from './kinds';
export { BUILTIN_KINDS, typeNameOfModule } from './kinds';
export { nameProblem, labelKeyProblem, labelValueProblem } from './metadata';

/**
 * Options of `registerKind` beyond the kind's definition.
 *
 * @group Core
 */
export interface RegisterKindOptions {
  /**
   * Check for unknown fields. Needs the kind's types in the generated known-fields graph:
   * add the kind to BUILTIN_KINDS in lib/k8s/schema/kinds.ts and run
   * `node scripts/gen-known-fields.js`. Set to false only for a kind whose declaration
   * files cannot be read; the shape is still checked.
   * @default true
   */
  readonly checkUnknownFields?: boolean;
}

type ValidateThis = (this: unknown) => void;

interface Entry {
  readonly def: KindDefinition;
  readonly checkUnknownFields: boolean;
  /** Set for kinds registered as schemaless. */
  readonly schemalessReason?: string;
  /** Resolved on first use. */
  loaded?: { validate?: ValidateThis; rootType?: TypeNode; loadProblem?: string };
}

const registry = new Map<string, Entry>();

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}|${kind}`;
}

for (const def of BUILTIN_KINDS) registry.set(key(def.apiVersion, def.kind), { def, checkUnknownFields: true });

/**
 * Registers (or replaces) the schema of a kind: `module` names the model module whose
 * export `kind` is a kubernetes-models class (see KindDefinition). The module is loaded
 * on the first object of the kind.
 *
 * @group Core
 */
export function registerKind(def: KindDefinition, options: RegisterKindOptions = {}): void {
  if (!def.apiVersion || !def.kind || !def.module) throw new Error('registerKind needs apiVersion, kind and module');
  registry.set(key(def.apiVersion, def.kind), { def: { ...def }, checkUnknownFields: options.checkUnknownFields ?? true });
}

/**
 * Declares that objects of this kind are emitted without a schema (only the metadata
 * name, namespace, labels and annotations are checked). `reason` says why, for readers
 * and for `registeredKinds()`.
 *
 * @group Core
 */
export function registerSchemalessKind(apiVersion: string, kind: string, reason: string, nameRule: NameRule = 'dns1123-subdomain'): void {
  if (!apiVersion || !kind) throw new Error('registerSchemalessKind needs apiVersion and kind');
  if (!reason || reason.trim() === '') throw new Error(`registerSchemalessKind(${apiVersion}, ${kind}) needs a reason`);
  registry.set(key(apiVersion, kind), {
    def: { apiVersion, kind, module: '', nameRule },
    checkUnknownFields: false,
    schemalessReason: reason,
  });
}

/** A registered kind, as listed by `registeredKinds()`. */
export interface RegisteredKind {
  readonly apiVersion: string;
  readonly kind: string;
  /** The model module, or undefined for a schemaless kind. */
  readonly module?: string;
  /** Why the kind has no schema, for a schemaless kind. */
  readonly schemalessReason?: string;
}

/** Every registered kind, built-in ones first. */
export function registeredKinds(): RegisteredKind[] {
  return [...registry.values()].map((e) =>
    e.schemalessReason !== undefined
      ? { apiVersion: e.def.apiVersion, kind: e.def.kind, schemalessReason: e.schemalessReason }
      : { apiVersion: e.def.apiVersion, kind: e.def.kind, module: e.def.module },
  );
}

/** True when objects of this apiVersion/kind can be validated (with or without schema). */
export function isKindRegistered(apiVersion: string, kind: string): boolean {
  return registry.has(key(apiVersion, kind));
}

function load(entry: Entry): NonNullable<Entry['loaded']> {
  if (entry.loaded) return entry.loaded;
  const { def } = entry;
  const loaded: NonNullable<Entry['loaded']> = {};
  if (entry.schemalessReason === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(def.module) as Record<string, { prototype?: { validate?: unknown } } | undefined>;
      const validate = mod[def.kind]?.prototype?.validate;
      if (typeof validate !== 'function') {
        loaded.loadProblem = `schema module ${def.module} does not export a model class ${def.kind} with validate()`;
      } else {
        loaded.validate = validate as ValidateThis;
      }
    } catch (err) {
      loaded.loadProblem = `cannot load schema module ${def.module} for ${def.apiVersion} ${def.kind}: ${(err as Error).message.split('\n')[0]}`;
    }
    if (entry.checkUnknownFields && !loaded.loadProblem) {
      const root = typeNameOfModule(def.module);
      const node = knownTypes().get(root);
      if (node) {
        loaded.rootType = node;
      } else {
        loaded.loadProblem = `no known-fields data for ${def.apiVersion} ${def.kind} (${def.module}): add it to BUILTIN_KINDS in lib/k8s/schema/kinds.ts and run node scripts/gen-known-fields.js`;
      }
    }
  }
  entry.loaded = loaded;
  return loaded;
}

/** Runs a kubernetes-models validate() on the plain object and returns its ajv errors. */
function shapeErrors(validate: ValidateThis, obj: unknown): AjvError[] {
  try {
    validate.call(obj);
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors)) return errors;
    throw err;
  }
}

/** True when the problem's value, or a value on its path, is a deploy-time token. */
function throughToken(root: unknown, path: string): boolean {
  const values = valuesAlong(root, path);
  for (let i = 1; i < values.length; i++) if (isToken(values[i])) return true;
  return false;
}

/**
 * Validates one Kubernetes object offline. Returns every problem found, an empty array
 * when the object is valid. Order: unknown fields, then schema (shape) errors, then
 * name / label problems. Values that are unresolved CDKTF tokens are never reported.
 */
export function validateKubernetesObject(obj: { apiVersion: string; kind: string }): SchemaProblem[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [{ path: '', message: 'a Kubernetes object must be a JSON object', value: obj }];
  }
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || apiVersion === '') return [{ path: '/apiVersion', message: 'missing required field "apiVersion"', value: apiVersion }];
  if (typeof kind !== 'string' || kind === '') return [{ path: '/kind', message: 'missing required field "kind"', value: kind }];
  const entry = registry.get(key(apiVersion, kind));
  if (!entry) {
    return [{ path: '', message: `no schema registered for ${apiVersion} ${kind}`, value: `${apiVersion} ${kind}` }];
  }
  const loaded = load(entry);
  const problems: SchemaProblem[] = [];
  if (loaded.loadProblem) problems.push({ path: '', message: loaded.loadProblem, value: `${apiVersion} ${kind}` });

  if (loaded.rootType) findUnknownFields(obj, loaded.rootType, isToken, problems);

  if (loaded.validate) {
    // A model pinned to another apiVersion of the same shape (KindDefinition.modelApiVersion)
    // checks a copy carrying that apiVersion; error paths and values are the same.
    const { modelApiVersion } = entry.def;
    const errors = shapeErrors(loaded.validate, modelApiVersion && modelApiVersion !== apiVersion ? { ...obj, apiVersion: modelApiVersion } : obj);
    if (errors.length > 0) {
      for (const p of ajvErrorsToProblems(errors, obj)) if (!throughToken(obj, p.path)) problems.push(p);
    }
  }

  checkRootMetadata(obj as unknown as Record<string, unknown>, entry.def.nameRule ?? 'dns1123-subdomain', entry.def.nameMaxLength, isToken, problems);
  checkNestedRules(obj as unknown as Record<string, unknown>, isToken, problems);
  return problems;
}
