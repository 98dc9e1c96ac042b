import { ITerraformDependable, TerraformProvider, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { ValidationError } from '../core/errors';
import { FinalizingToken, resolvedIfTokenFree } from '../core/resolved-value';
import { PropValidator } from '../core/validation';
import { KubernetesObject } from '../k8s/object';
import { validateKubernetesObject } from '../k8s/schema';
import { isServerFormCopy, toServerForm } from '../k8s/server-form';
import { checkConstructProps } from './construct-props';
import { enableCollisionCheck } from './collisions';
import { useChunkedStackWriter } from './stack-json-writer';

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
  constructor(scope: Construct, id: string, config: ConstructorParameters<typeof Manifest>[2]) {
    super(scope, id, config);
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
  // being walked; the block is resolved once (its `depends_on` references) and then marked
  // final, so that resolving the merged stack does not walk it again. Output unchanged.
  public toTerraform(): any {
    const out = super.toTerraform();
    const resources = out?.resource?.kubernetes_manifest as Record<string, Record<string, unknown>> | undefined;
    if (!resources) return out;
    for (const id of Object.keys(resources)) {
      const attributes = resources[id];
      if (attributes === null || typeof attributes !== 'object' || Object.getPrototypeOf(attributes) !== Object.prototype) continue;
      for (const key of Object.keys(attributes)) {
        const value = attributes[key];
        // The manifest of a built-in kind is the server-form copy synthesizeAttributes just made
        // for this call: nothing else holds it, so it needs no second copy.
        // (Not when the resource has overrides: CDKTF merges their values into it by reference.)
        if (value !== null && typeof value === 'object') attributes[key] = resolvedIfTokenFree(value, key === 'manifest' && isServerFormCopy(value) && !hasOverrides(this));
      }
      resources[id] = new FinalizingToken(attributes, () => !stackOverrides(this, id)) as unknown as Record<string, unknown>;
    }
    return out;
  }

  // The object as the API server stores it (no empty lists, no false/0 in non-pointer
  // omitempty fields): anything else fails the apply as an inconsistent result or shows as a
  // change on every plan (lib/k8s/server-form.ts).
  protected synthesizeAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeAttributes();
    return { ...attributes, manifest: toServerForm(attributes.manifest) };
  }

  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeHclAttributes() as { manifest?: { value: unknown } };
    return attributes.manifest ? { ...attributes, manifest: { ...attributes.manifest, value: toServerForm(attributes.manifest.value) } } : attributes;
  }
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
