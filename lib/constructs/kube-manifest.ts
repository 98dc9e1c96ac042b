import { ITerraformDependable, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ValidationError } from '../core/errors';
import { DeferredJson, NOT_TOKEN_FREE, ResolvedValue, isTokenFree, resolveInOneWalk, resolvedIfTokenFree, tokenFreeCopy } from '../core/resolved-value';
import { escapeTerraformTemplates, escapesTemplates } from '../core/terraform-strings';
import { PropValidator } from '../core/validation';
import { KubernetesObject } from '../k8s/object';
import { validateKubernetesObject } from '../k8s/schema';
import { isServerFormCopy, toServerForm } from '../k8s/server-form';
import { checkConstructProps } from './construct-props';
import { enableCollisionCheck } from './collisions';
import { isWriting, useChunkedStackWriter } from './stack-json-writer';

/** Field manager name used for server-side apply of every object the library emits. */
export const FIELD_MANAGER = 'cdktf-golden-path';

/**
 * Props of `KubeManifest`: the Kubernetes object to apply and how Terraform waits for it.
 *
 * @group Core
 */
export interface KubeManifestProps {
  /** The Kubernetes object to apply (apiVersion, kind, metadata and the rest). */
  readonly object: KubernetesObject;
  /**
   * Wait for the rollout of a Deployment, StatefulSet or DaemonSet to finish before the
   * apply succeeds.
   * @default false
   */
  readonly waitForRollout?: boolean;
  /**
   * Wait until these fields of the live object have these values (Terraform `wait.fields`),
   * e.g. `{ 'status.succeeded': '1' }` for a Job.
   * @default - no field wait
   */
  readonly waitForFields?: Record<string, string>;
  /**
   * Create/update/delete timeouts as Terraform durations ("10m").
   * @default - the provider's defaults
   */
  readonly timeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
  /**
   * Fields whose live value the API server may set or change and that must not show as drift.
   * @default - the provider default (metadata.labels, metadata.annotations)
   */
  readonly computedFields?: string[];
  /** Resources that must exist first. @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Kubernetes provider to use. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * The one emitter: turns a Kubernetes object into a `kubernetes_manifest` resource,
 * applied server-side with a fixed field manager that takes ownership on conflicts.
 *
 * The object stays editable until synth (`manifest.object.spec.replicas = ...`), so
 * related constructs (an autoscaler) can adjust their target. At synth it is checked
 * against the Kubernetes OpenAPI schema and for unknown fields; a problem fails synth
 * with a ValidationError naming this construct.
 *
 * @group Core
 */
export class KubeManifest extends Construct {
  /** The object as it will be applied. Mutable until synth. */
  public readonly object: KubernetesObject;
  /** The underlying `kubernetes_manifest` resource (escape hatch: `addOverride`). */
  public readonly resource: Manifest;

  constructor(scope: Construct, id: string, props: KubeManifestProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeManifest', props);
    this.object = props.object;
    const wait: { rollout?: boolean; fields?: Record<string, string> } = {};
    if (props.waitForRollout) wait.rollout = true;
    if (props.waitForFields) wait.fields = props.waitForFields;
    this.resource = withoutTokenTraces(() => new QuietManifest(this, 'Resource', {
      // The object itself, not a Lazy: the resource keeps the reference and reads it at synth,
      // so later edits still land, and no token (with its captured stack trace) is created per
      // object. See docs/performance.md.
      manifest: this.object as unknown as Record<string, unknown>,
      fieldManager: { name: FIELD_MANAGER, forceConflicts: true },
      wait: Object.keys(wait).length > 0 ? wait : undefined,
      timeouts: props.timeouts,
      computedFields: props.computedFields,
      dependsOn: props.dependsOn,
      provider: props.provider,
    }));
    this.node.addValidation({ validate: () => this.validateObject() });
    // Two resources of one object (in this stack or another stack of the same cluster) fail synth.
    enableCollisionCheck(this);
    // The stack's cdk.tf.json is written in chunks (same bytes): large stacks synthesize in far less memory.
    useChunkedStackWriter(TerraformStack.of(this));
  }

  /** `apiVersion/kind namespace/name` for messages. */
  public get description(): string {
    const m = this.object.metadata;
    return `${this.object.apiVersion} ${this.object.kind} ${m.namespace ? `${m.namespace}/` : ''}${m.name}`;
  }

  private validateObject(): string[] {
    // apiVersion and kind select the schema the object is checked against (found by the fuzz
    // suite: a token was refused as "no schema registered").
    const v = new PropValidator(this);
    v.knownAtSynth('object.apiVersion', this.object.apiVersion, 'it selects the schema the object is validated against');
    v.knownAtSynth('object.kind', this.object.kind, 'it selects the schema the object is validated against');
    const problems = validateKubernetesObject(this.object);
    if (problems.length > 0) {
      const first = problems[0];
      throw new ValidationError({
        path: this.node.path,
        // the kind names the field (`Deployment.spec...`); a blank kind would leave it empty (found by the fuzz suite)
        field: `${typeof this.object.kind === 'string' && this.object.kind.trim() !== '' ? this.object.kind : 'object'}${pointerToField(first.path)}`,
        value: first.value,
        reason: `does not match the Kubernetes schema (${first.message})${problems.length > 1 ? ` and ${problems.length - 1} more problem(s): ${problems.slice(1, 4).map((p) => `${p.path} ${p.message}`).join('; ')}` : ''}`,
        fix: 'correct the prop that produced this field; the object must be valid for the Kubernetes API',
      });
    }
    return [];
  }
}

/**
 * The generated `Manifest`, with one difference: the reference token CDKTF makes the first
 * time the resource is referenced (`fqn`: `depends_on` of the workload's other objects,
 * resolved during synth, deep in the resolver's call stack) carries no creation trace.
 * Same class otherwise: `instanceof Manifest`, same logical-id rules. (Literal `${` and `%{`
 * in the object are escaped on the way to Terraform like every resource's strings:
 * core/terraform-strings.)
 */
class QuietManifest extends Manifest {
  private readonly owningStack: TerraformStack;
  /** The dependencies given, CDKTF's list of their references, and that list as it was made. */
  private readonly givenDependencies?: { readonly dependables: readonly ITerraformDependable[]; readonly list: string[]; readonly made: readonly string[] };

  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof Manifest>[2]) {
    super(scope, id, config);
    this.owningStack = TerraformStack.of(this);
    this.givenDependencies = config.dependsOn && this.dependsOn ? { dependables: [...config.dependsOn], list: this.dependsOn, made: [...this.dependsOn] } : undefined;
    // Memory: CDKTF adds these lazily caching fields (and an Aspects entry) to every resource at
    // synth; added then, after the object's shape is settled, they turn each of thousands of
    // resources into a slow dictionary-mode object (about 1.5 KB each, retained with the app).
    // Declared here they are ordinary fields. CDKTF only tests them for truthiness.
    const self = this as unknown as { _friendlyUniqueId?: string; _fqnToken?: string };
    self._friendlyUniqueId = undefined;
    self._fqnToken = undefined;
  }

  public get fqn(): string {
    return withoutTokenTraces(() => super.fqn);
  }

  // The fast path (core/resolved-value.ts). The finished attributes (server form, escaped,
  // overrides merged): each object or list among them that holds no token (the manifest, the
  // field manager, CDKTF's `//` metadata) goes to CDKTF's resolver as a final value instead of
  // being walked, and the whole output resolves in one walk of its plain levels that hands only
  // the rest (`depends_on` references) to the resolver. The resource's block is then marked
  // final, so that resolving the merged stack does not walk it again. Output unchanged.
  public toTerraform(): any {
    const out = super.toTerraform();
    const resources = out?.resource?.kubernetes_manifest as Record<string, Record<string, unknown>> | undefined;
    if (!resources || Object.getPrototypeOf(out) !== Object.prototype) return out;
    for (const id of Object.keys(resources)) {
      const attributes = resources[id];
      if (attributes === null || typeof attributes !== 'object' || Object.getPrototypeOf(attributes) !== Object.prototype) continue;
      if (attributes.depends_on !== undefined) attributes.depends_on = this.dependsOnAddresses(attributes.depends_on);
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        // The manifest of a built-in kind is the server-form copy synthesizeAttributes just made
        // for this call: nothing else holds it, so it needs no second copy.
        // (Not when the resource has overrides: CDKTF merges their values into it by reference.)
        if (value !== null && typeof value === 'object' && !(value instanceof ResolvedValue)) attributes[key] = resolvedIfTokenFree(value, key === 'manifest' && isServerFormCopy(value) && !hasOverrides(this));
      }
    }
    resolveInOneWalk(out, (path) => path.length === 3 && path[0] === 'resource' && path[1] === 'kubernetes_manifest' && !stackOverrides(this, path[2]));
    return out;
  }

  /**
   * `depends_on` with the addresses of the given dependencies that are resources of this stack
   * written out (`kubernetes_manifest.<id>`, what their references resolve to); each reference
   * CDKTF resolves costs it about 10 KB of garbage and a chain of token lookups. Anything else
   * (a dependency in another stack, a module or data source, a list changed after construction
   * or by an override) keeps CDKTF's references.
   */
  private dependsOnAddresses(dependsOn: unknown): unknown {
    const given = this.givenDependencies;
    if (!given || this.dependsOn !== given.list || !Array.isArray(dependsOn) || dependsOn.length !== given.made.length) return dependsOn;
    const out: string[] = [];
    for (let i = 0; i < given.made.length; i++) {
      if (given.list[i] !== given.made[i] || dependsOn[i] !== given.made[i]) return dependsOn;
      const d = given.dependables[i];
      out.push(TerraformResource.isTerraformResource(d) && !(d instanceof TerraformDataSource) && TerraformStack.of(d) === this.owningStack ? `${d.terraformResourceType}.${d.friendlyUniqueId}` : given.made[i]);
    }
    return out;
  }

  // The object as the API server stores it (no empty lists, no false/0 in non-pointer
  // omitempty fields): anything else fails the apply as an inconsistent result or shows as a
  // change on every plan (lib/k8s/server-form.ts).
  //
  // The server form of a built-in kind is a copy made for this call. When it holds no token, it
  // is escaped here (the one escaping function, core/terraform-strings, as the element's escaping
  // wrapper would) and handed on as a final value: CDKTF neither copies it again
  // (processDynamicAttributes descends only into plain objects) nor walks it. Not when the
  // resource has overrides (CDKTF merges them into the object) or writes its templates as given.
  //
  // While the chunked writer writes the stack (constructs/stack-json-writer.ts), a token-free
  // object is handed on as a value made when it is written (`DeferredJson`): its server form is made,
  // escaped, written and dropped one object at a time, instead of the server forms of every
  // object of the stack being held at once until the file is written. Not when the stack's or the
  // resource's overrides reach the block (CDKTF merges them into it).
  protected synthesizeAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeAttributes();
    const manifest = attributes.manifest;
    // the object is written as this method makes it: no override merges into it, escaping applies
    const ownsOutput = !hasOverrides(this) && escapesTemplates(this);
    if (ownsOutput && isWriting(this.owningStack) && !stackOverrides(this, this.friendlyUniqueId) && isTokenFree(manifest)) {
      return { ...attributes, manifest: new ResolvedValue(new DeferredJson(() => writtenForm(manifest))) };
    }
    const serverForm = toServerForm(manifest);
    if (ownsOutput && isServerFormCopy(manifest)) {
      // (escaping copies only what it changes: the result is still this call's own)
      const final = resolvedIfTokenFree(escapeTerraformTemplates(serverForm), true);
      if (final instanceof ResolvedValue) return { ...attributes, manifest: final };
    }
    return { ...attributes, manifest: serverForm };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeHclAttributes() as { manifest?: { value: unknown } };
    return attributes.manifest ? { ...attributes, manifest: { ...attributes.manifest, value: toServerForm(attributes.manifest.value) } } : attributes;
  }
}

/**
 * What the resolver would make of a token-free object's server form, escaped: the server form
 * itself, or a copy without its `undefined` list items (the server form leaves out `undefined`
 * fields, not list items). Escaping a token-free text never makes a token (it only rewrites
 * `${` and `%{`), so only `undefined` is looked for.
 */
function writtenForm(manifest: unknown): unknown {
  const escaped = escapeTerraformTemplates(toServerForm(manifest));
  if (!holdsUndefined(escaped)) return escaped;
  const copy = tokenFreeCopy(escaped);
  if (copy === NOT_TOKEN_FREE) throw new Error('cdktf-golden-path internal error: an object without tokens holds a token after escaping; please report it');
  return copy;
}

/** Does a plain-data tree hold `undefined` anywhere (an object value or a list item)? */
function holdsUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUndefined(value[i])) return true;
    return false;
  }
  const source = value as Record<string, unknown>;
  for (const key in source) if (Object.prototype.hasOwnProperty.call(source, key) && holdsUndefined(source[key])) return true;
  return false;
}

/** Whether `resource.addOverride(...)` was used on this resource. */
function hasOverrides(resource: object): boolean {
  const raw = (resource as { rawOverrides?: unknown }).rawOverrides;
  return raw === null || typeof raw !== 'object' || Object.keys(raw).length > 0;
}

/**
 * Might the stack's own overrides (`stack.addOverride('resource.kubernetes_manifest.<id>...')`)
 * reach this resource's block? CDKTF merges them into the block after resolving the elements;
 * a block marked final cannot take them. Read where CDKTF keeps them (as the collision check
 * does); when that is not a plain object, the answer is yes.
 */
function stackOverrides(resource: Construct, id: string): boolean {
  const overrides = (TerraformStack.of(resource) as unknown as { rawOverrides?: unknown }).rawOverrides;
  if (overrides === null || typeof overrides !== 'object') return true;
  const r = (overrides as { resource?: unknown }).resource;
  if (r === undefined) return false;
  if (r === null || typeof r !== 'object') return true;
  const km = (r as { kubernetes_manifest?: unknown }).kubernetes_manifest;
  if (km === undefined) return false;
  return km === null || typeof km !== 'object' || id in km;
}

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;
type CaptureStackTrace = (target: object, constructorOpt?: Function) => void;

/**
 * Runs `fn` with the creation traces of CDKTF tokens switched off.
 *
 * Every CDKTF token (the output references the generated `Manifest` class creates in its
 * constructor, each `dependsOn` entry) captures an unbounded stack trace into a plain
 * `{ stack }` object and formats it the moment it is created: a large part of synth time and
 * of the memory of a large stack (docs/performance.md). While `fn` runs, a capture into
 * anything that is not an `Error` records nothing and leaves an empty trace (`stack` is
 * `''`), and such a capture formats to an empty trace. Real errors (Error instances) keep
 * their stack: they are captured as before and go to the previous formatter, or the V8
 * default format.
 */
export function withoutTokenTraces<T>(fn: () => T): T {
  const previous = Error.prepareStackTrace as PrepareStackTrace | undefined;
  const previousCapture = Error.captureStackTrace as CaptureStackTrace;
  const quiet: PrepareStackTrace = (error, frames) => {
    if (!(error instanceof Error)) return '';
    if (previous) return previous(error, frames);
    return `${String(error)}${frames.map((f) => `\n    at ${String(f)}`).join('')}`;
  };
  const quietCapture: CaptureStackTrace = function captureStackTrace(target, constructorOpt) {
    if (target instanceof Error) return previousCapture.call(Error, target, constructorOpt ?? quietCapture);
    (target as { stack?: string }).stack = '';
  };
  Error.prepareStackTrace = quiet as typeof Error.prepareStackTrace;
  Error.captureStackTrace = quietCapture as typeof Error.captureStackTrace;
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous as typeof Error.prepareStackTrace;
    Error.captureStackTrace = previousCapture as typeof Error.captureStackTrace;
  }
}

/** `/spec/containers/0/env` -> `.spec.containers[0].env`; JSON-pointer escapes (~1, ~0) undone. */
export function pointerToField(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$-]*$/.test(seg) ? `.${seg}` : `["${seg}"]`))
    .join('');
}
