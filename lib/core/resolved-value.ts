import { IPostProcessor, IResolvable, IResolveContext, Token } from 'cdktf';

/**
 * The fast path of synthesis for large attribute trees that hold no token (a Kubernetes
 * object: hundreds of values, nearly never a token).
 *
 * CDKTF resolves every value of every resource three times while it synthesizes a stack (once
 * in `prepareStack`, once per element's `toTerraform()`, once for the merged stack), and on
 * each visit of each value it builds a new resolution context and two closures and runs the
 * token regular expressions over each string. For a tree without tokens all of that returns
 * the tree as it was, minus its `undefined` values. `tokenFreeCopy` decides, in one walk and
 * exactly, whether CDKTF's resolver would do nothing else to a tree, and returns the copy it
 * would produce; `ResolvedValue` hands such a copy to the resolver as a token whose value is
 * final (through the resolver's public post-processor hook), so it is not walked again.
 * Trees that hold anything else go the general way, unchanged. `FinalizingToken` lets the
 * resolver resolve a block that holds tokens once and marks the result final, so that the
 * resolution of the merged stack does not walk it again.
 *
 * Used by the one emitter (constructs/kube-manifest.ts). See docs/performance.md.
 */

/** Returned by `tokenFreeCopy` for a value the CDKTF resolver must see itself. */
export const NOT_TOKEN_FREE: unique symbol = Symbol('not token-free');

/**
 * Deeper trees go the general way: CDKTF's resolver refuses paths longer than 200 (its guard
 * against cycles), and this walk must not decide differently.
 */
const MAX_DEPTH = 100;

// The values CDKTF's resolver refuses in a scalar context (tokens/token.ts).
const STRING_MAP_TOKEN_VALUE = Token.STRING_MAP_TOKEN_VALUE;
const ANY_MAP_TOKEN_VALUE = Token.ANY_MAP_TOKEN_VALUE;
const NUMBER_MAP_TOKEN_VALUE = Token.NUMBER_MAP_TOKEN_VALUE;

/**
 * True when CDKTF's resolver returns this string unchanged: it holds no token marker. The
 * three markers are `${TfToken[`, `#{TfToken[` and `&{TfToken[` (string, list and map
 * tokens); a string with `{TfToken[` anywhere (a live token or text shaped like one, which the
 * resolver would look up and refuse) goes the general way.
 */
export function isPlainString(s: string): boolean {
  return s.indexOf('{TfToken[') === -1 && s !== STRING_MAP_TOKEN_VALUE && s !== ANY_MAP_TOKEN_VALUE;
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// The tags CDKTF writes into the top 16 bits of a number token and of a number-list token
// (tokens/private/encoding.ts, little-endian like CDKTF itself), as signed 32-bit integers.
const NUMBER_TOKEN_TAG = 0xfdff << 16;
const NUMBER_LIST_TOKEN_TAG = 0xfbff << 16;

/**
 * True when the number is not a CDKTF number or number-list token. Token numbers are negative
 * numbers of magnitude 2^960 or more (sign and an exponent near the top are their tag), so
 * anything above -1e288 is decided by one comparison; the rest by the tag bits, as CDKTF does.
 */
export function isPlainNumber(x: number): boolean {
  if (x > -1e288) return x !== NUMBER_MAP_TOKEN_VALUE;
  F64[0] = x;
  const tag = U32[1] & 0xffff0000;
  return tag !== NUMBER_TOKEN_TAG && tag !== NUMBER_LIST_TOKEN_TAG;
}

/**
 * What CDKTF's resolver would return for `value` when that is nothing but a copy without the
 * `undefined` object values and list items, or `NOT_TOKEN_FREE` when the resolver has more to
 * do or would refuse the value (tokens of any kind, token-shaped text, objects that are not
 * plain — class instances, `Date`s, constructs —, functions, symbols, bigints, very deep trees).
 * The copy shares nothing with `value`.
 */
export function tokenFreeCopy(value: unknown): unknown {
  return copy(value, 0);
}

function copy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
      return isPlainString(value) ? value : NOT_TOKEN_FREE;
    case 'number':
      return isPlainNumber(value) ? value : NOT_TOKEN_FREE;
    case 'boolean':
    case 'undefined':
      return value;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return NOT_TOKEN_FREE;
      if (Array.isArray(value)) {
        const out: unknown[] = [];
        for (let i = 0; i < value.length; i++) {
          const item = copy(value[i], depth + 1);
          if (item === NOT_TOKEN_FREE) return NOT_TOKEN_FREE;
          if (item !== undefined) out.push(item);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return NOT_TOKEN_FREE;
      const source = value as Record<string, unknown>;
      // a token (anything with a resolve function), or what the resolver takes for a construct
      if (typeof source.resolve === 'function' || (source._children !== undefined && source._metadata !== undefined)) return NOT_TOKEN_FREE;
      const out: Record<string, unknown> = {};
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (!isPlainString(key)) return NOT_TOKEN_FREE;
        const item = copy(source[key], depth + 1);
        if (item === NOT_TOKEN_FREE) return NOT_TOKEN_FREE;
        if (item !== undefined) out[key] = item;
      }
      return out;
    }
    default:
      return NOT_TOKEN_FREE;
  }
}

/**
 * A token whose value is final: CDKTF's resolver returns it as it is, without walking it
 * (the value is handed over by a post-processor, which runs after the resolver's recursion).
 * Only for values `tokenFreeCopy` produced: it is what the resolver would have returned.
 */
export class ResolvedValue implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];

  constructor(private readonly value: unknown) {}

  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return undefined;
  }

  public postProcess(): unknown {
    return this.value;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * True when CDKTF's resolver would return `value` exactly as it is: what `tokenFreeCopy` would
 * copy, with no `undefined` object value or list item (the resolver drops those). Allocates
 * nothing.
 */
export function resolvesToItself(value: unknown): boolean {
  return asIs(value, 0);
}

function asIs(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return isPlainString(value);
    case 'number':
      return isPlainNumber(value);
    case 'boolean':
      return true;
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (value[i] === undefined || !asIs(value[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const source = value as Record<string, unknown>;
      if (typeof source.resolve === 'function' || (source._children !== undefined && source._metadata !== undefined)) return false;
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length; i++) {
        const item = source[keys[i]];
        if (!isPlainString(keys[i]) || item === undefined || !asIs(item, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * `value` as a `ResolvedValue` when it is token-free (see `tokenFreeCopy`), else unchanged.
 * `owned`: the caller built `value` for this resolution alone (nothing else holds it or will
 * change it), so when the resolver would return it as it is, it is handed over without a copy.
 */
export function resolvedIfTokenFree(value: unknown, owned = false): unknown {
  if (owned && resolvesToItself(value)) return new ResolvedValue(value);
  const free = tokenFreeCopy(value);
  return free === NOT_TOKEN_FREE ? value : new ResolvedValue(free);
}

/**
 * A token for a block that CDKTF must resolve once (it holds tokens, e.g. `depends_on`
 * references) but need not resolve again: the resolver resolves `value` as usual, and when
 * `mayFinalize()` allows it the result is marked final (`markFinal`), so that the next
 * resolution of the same result (the merged stack, in `TerraformStack.toTerraform`) returns it
 * as it is and `deepMerge` takes it over without copying.
 */
export class FinalizingToken implements IResolvable, IPostProcessor {
  public readonly creationStack: string[] = [];

  constructor(private readonly value: unknown, private readonly mayFinalize: () => boolean) {}

  public resolve(context: IResolveContext): unknown {
    context.registerPostProcessor(this);
    return this.value;
  }

  public postProcess(resolved: unknown): unknown {
    if (resolved !== null && typeof resolved === 'object' && Object.getPrototypeOf(resolved) === Object.prototype && this.mayFinalize()) markFinal(resolved);
    return resolved;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * Marks a resolved plain object as final: a token (non-enumerable `resolve`, so JSON output,
 * `Object.keys` and spreading do not see it) that resolves to the object itself without the
 * resolver walking it. Only for objects that are a resolver's result.
 */
export function markFinal(resolved: object): void {
  Object.defineProperty(resolved, 'resolve', { value: resolveFinal, enumerable: false, configurable: true, writable: true });
}

function resolveFinal(this: object, context: IResolveContext): undefined {
  const self = this;
  context.registerPostProcessor({ postProcess: () => self });
  return undefined;
}
