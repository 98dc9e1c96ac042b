import * as path from 'path';
import { ISynthesisSession, IStackSynthesizer, TerraformStack } from 'cdktf';
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';
import { writeStableJsonFile } from '../core/stable-json';

/**
 * The peak memory of a large synth (issue 17, docs/performance.md): CDKTF writes each stack's
 * `cdk.tf.json` with a recursive JSON writer that builds every level's text as a string of its
 * own, about 160 MB of garbage for a 25 MB stack, and V8 keeps the garbage of all the stacks
 * until late. For the stacks the library emits into, the same bytes are written in chunks instead
 * (core/stable-json.ts): CDKTF's own synthesizer still runs every step (aspects, validations,
 * annotations, custom synthesis) and writes the file; the configuration it serializes last is
 * given a `toJSON` that makes its text `{}`, and that configuration is then written over it, in
 * the same form. Nothing changes in the output (tested byte for byte on every example and corpus
 * stack), and a stack whose synthesizer is not CDKTF's own, or that writes HCL, is left alone.
 */
const WRAPPED = new WeakSet<TerraformStack>();
const WRITING = new WeakSet<TerraformStack>();

/**
 * True while the chunked writer writes `stack`: from the moment CDKTF asks for the stack's output
 * paths (after the aspects and validations) until `cdk.tf.json` is written. The configuration made
 * then is only serialized, so the emitter may hand over values that are made as they are written
 * (`DeferredJson`, core/resolved-value.ts). (A custom synthesis, which CDKTF runs in that window,
 * that reads the stack's `toTerraform()` sees such values; `JSON.stringify` gives their text.)
 */
export function isWriting(stack: TerraformStack): boolean {
  return WRITING.has(stack);
}

/** Install the chunked writer on `stack` (once; later calls do nothing). */
export function useChunkedStackWriter(stack: TerraformStack): void {
  if (WRAPPED.has(stack)) return;
  WRAPPED.add(stack);
  const inner = stack.synthesizer;
  if (!(inner instanceof StackSynthesizer) || (inner as unknown as { hclOutput?: boolean }).hclOutput) return;
  stack.synthesizer = new ChunkedStackWriter(stack, inner);
}

class ChunkedStackWriter implements IStackSynthesizer {
  constructor(private readonly stack: TerraformStack, private readonly inner: IStackSynthesizer) {}

  public synthesize(session: ISynthesisSession): void {
    const stack = this.stack;
    const manifest = session.manifest;
    // CDKTF asks the manifest for this stack's paths after the validations, then serializes the
    // configuration of its last toTerraform() call: only calls after that point are the write's.
    let writing = false;
    let last: Record<string, unknown> | undefined;
    const ownForStack = Object.prototype.hasOwnProperty.call(manifest, 'forStack');
    const forStack = manifest.forStack;
    manifest.forStack = function (this: typeof manifest, s: TerraformStack) {
      if (s === stack && !writing) {
        writing = true;
        WRITING.add(stack);
      }
      return forStack.call(this, s);
    } as typeof manifest.forStack;
    const ownToTerraform = Object.prototype.hasOwnProperty.call(stack, 'toTerraform');
    const toTerraform = stack.toTerraform;
    stack.toTerraform = function (this: TerraformStack) {
      const config = toTerraform.call(this);
      if (writing && config !== null && typeof config === 'object' && !Array.isArray(config)) {
        if (last) delete last.toJSON;
        Object.defineProperty(config, 'toJSON', { value: () => ({}), enumerable: false, configurable: true, writable: true });
        last = config;
      }
      return config;
    };
    try {
      this.inner.synthesize(session);
    } finally {
      WRITING.delete(stack);
      if (ownForStack) manifest.forStack = forStack;
      else delete (manifest as { forStack?: unknown }).forStack;
      if (ownToTerraform) stack.toTerraform = toTerraform;
      else delete (stack as { toTerraform?: unknown }).toTerraform;
      if (last) delete last.toJSON;
    }
    // Values deferred to the write (`DeferredJson`) are made here, one at a time, as they are written.
    if (last) writeStableJsonFile(path.join(session.outdir, manifest.forStack(stack).synthesizedStackPath), last);
  }
}
