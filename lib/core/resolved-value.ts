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
 * Trees that hold anything else go the general way, unchanged. `resolveInOneWalk` makes an
 * element's output resolve itself in one walk (only what holds tokens goes to the resolver)
 * and marks its blocks final, so that the resolution of the merged stack does not walk them
 * again; `DeferredJson` is a value made only when the configuration is written.
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
 * True when CDKTF's resolver returns this string unchanged: it holds no token marker and no
 * number token written as text. The three markers are `${TfToken[`, `#{TfToken[` and
 * `&{TfToken[` (string, list and map tokens); a string with `{TfToken[` anywhere (a live token or
 * text shaped like one, which the resolver would look up and refuse) goes the general way. A
 * number token put into a template string (`${delaySeconds}`) is text such as
 * `-8.109562212591379e+298`, which the resolver finds with its number pattern and replaces;
 * such a string goes the general way too.
 */
export function isPlainString(s: string): boolean {
  return s.indexOf('{TfToken[') === -1 && s !== STRING_MAP_TOKEN_VALUE && s !== ANY_MAP_TOKEN_VALUE && !holdsNumberTokenText(s);
}

// CDKTF's pattern for numbers written in strings (tokens/private/encoding.ts, NUMBER_TOKEN_REGEX).
const NUMBER_TEXT = /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/g;
/**
 * Can `s` hold a number token's text? Such text has a positive exponent of 288 or more: an `e`
 * after a character of the pattern's mantissa and before `+` or a digit. Decided without a
 * regular expression (nearly every string is decided here).
 */
function mayHoldNumberText(s: string): boolean {
  for (let i = s.indexOf('e', 1); i !== -1 && i < s.length - 1; i = s.indexOf('e', i + 1)) {
    const after = s.charCodeAt(i + 1);
    if (after !== 43 /* + */ && (after < 48 || after > 57)) continue;
    const before = s.charCodeAt(i - 1);
    if ((before >= 48 && before <= 57) || before === 46 /* . */ || before === 43 || before === 45 /* - */ || before === 124 /* | */) return true;
  }
  return false;
}

/** Does a match of CDKTF's number pattern in `s` read as a number token (which it would look up)? */
function holdsNumberTokenText(s: string): boolean {
  if (!mayHoldNumberText(s)) return false;
  NUMBER_TEXT.lastIndex = 0;
  for (let m = NUMBER_TEXT.exec(s); m !== null; m = NUMBER_TEXT.exec(s)) {
    if (isNumberTokenDouble(parseFloat(m[0]))) return true;
  }
  return false;
}

/**
 * A token (anything with a `resolve` function) or what CDKTF's resolver takes for a construct:
 * the resolver resolves the first and refuses the second, so neither is plain data.
 */
function isTokenOrConstruct(source: Record<string, unknown>): boolean {
  return typeof source.resolve === 'function' || (source._children !== undefined && source._metadata !== undefined);
}

/**
 * False for a number that cannot be a CDKTF token: token numbers are negative numbers of
 * magnitude 2^960 or more (sign and an exponent near the top are their tag), so one comparison
 * decides every number above -1e288.
 */
export function mayBeTokenNumber(x: number): boolean {
  return !(x > -1e288);
}

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
// The tags CDKTF writes into the top 16 bits of a number token and of a number-list token
// (tokens/private/encoding.ts, little-endian like CDKTF itself), as signed 32-bit integers.
const NUMBER_TOKEN_TAG = 0xfdff << 16;
const NUMBER_LIST_TOKEN_TAG = 0xfbff << 16;

/**
 * True when the number is not a CDKTF number or number-list token (`mayBeTokenNumber` decides
 * most numbers; the rest by the tag bits, as CDKTF does) nor its map-token value.
 */
export function isPlainNumber(x: number): boolean {
  if (!mayBeTokenNumber(x)) return x !== NUMBER_MAP_TOKEN_VALUE;
  F64[0] = x;
  const tag = U32[1] & 0xffff0000;
  return tag !== NUMBER_TOKEN_TAG && tag !== NUMBER_LIST_TOKEN_TAG;
}

/** True when the number carries CDKTF's number-token tag (what its number lookup in strings accepts). */
function isNumberTokenDouble(x: number): boolean {
  if (!mayBeTokenNumber(x)) return false;
  F64[0] = x;
  return (U32[1] & 0xffff0000) === NUMBER_TOKEN_TAG;
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
      if (isTokenOrConstruct(source)) return NOT_TOKEN_FREE;
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

  /** The value the resolver returns for this token. */
  public get finalValue(): unknown {
    return this.value;
  }

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
 * A value made when it is serialized (`toJSON`), for a configuration that is only written:
 * thousands of large values are then never held at once (docs/performance.md, memory). Handed
 * to the resolver inside a `ResolvedValue`, so that nothing walks or copies it before the write;
 * should a resolver meet it anyway, it resolves to itself (it is a token whose value is final).
 */
export class DeferredJson implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly produce: () => unknown) {}

  public resolve(context: IResolveContext): unknown {
    return resolveFinal.call(this, context);
  }

  public toJSON(): unknown {
    return this.produce();
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
  return asIs(value, 0, false);
}

/**
 * True when the resolver has nothing to do in `value` but copy it and drop its `undefined`
 * values: exactly when `tokenFreeCopy(value)` is not `NOT_TOKEN_FREE`. Allocates nothing.
 */
export function isTokenFree(value: unknown): boolean {
  return asIs(value, 0, true);
}

function asIs(value: unknown, depth: number, allowUndefined: boolean): boolean {
  switch (typeof value) {
    case 'string':
      return isPlainString(value);
    case 'number':
      return isPlainNumber(value);
    case 'boolean':
      return true;
    case 'undefined':
      return allowUndefined;
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!asIs(value[i], depth + 1, allowUndefined)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      const source = value as Record<string, unknown>;
      if (isTokenOrConstruct(source)) return false;
      const keys = Object.keys(source);
      for (let i = 0; i < keys.length; i++) {
        if (!isPlainString(keys[i]) || !asIs(source[keys[i]], depth + 1, allowUndefined)) return false;
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
 * Makes an element's `toTerraform()` output resolve in one walk. The output holds tokens CDKTF
 * must resolve (`depends_on` references, say) among parts that need no resolution; CDKTF's
 * resolver would spend a new context, two closures and the token regular expressions on every
 * key of every level. With this, the output (still a plain object to anyone who reads it: the
 * hook is a non-enumerable `resolve` function, which makes it a token to the resolver) resolves
 * itself level by level the way the resolver walks it: a plain object (plain keys, no `resolve`
 * function) is resolved key by key with its `undefined` values dropped, a `ResolvedValue` is
 * its value, a plain string, number, boolean or null is itself; only what remains (lists,
 * tokens, objects of other kinds, token-shaped text) goes through the resolver.
 *
 * `finalAt(path)` says which resolved objects to mark final (`markFinal`): a block marked final
 * is not walked again when the merged stack is resolved (`TerraformStack.toTerraform`), and
 * `deepMerge` takes it over without copying.
 *
 * When the resolver throws inside the tree, the tree is resolved again the general way, so
 * the error (with its path) is CDKTF's own.
 */
export function resolveInOneWalk(tree: Record<string, unknown>, finalAt: (path: readonly string[]) => boolean): void {
  const walk = (value: unknown, path: string[], context: IResolveContext): unknown => {
    switch (typeof value) {
      case 'undefined':
      case 'boolean':
        return value;
      case 'string':
        if (isPlainString(value)) return value;
        break;
      case 'number':
        if (isPlainNumber(value)) return value;
        break;
      case 'object': {
        if (value === null) return null;
        if (value instanceof ResolvedValue) return value.finalValue;
        if (path.length >= MAX_DEPTH || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) break;
        const source = value as Record<string, unknown>;
        if (isTokenOrConstruct(source)) break;
        return walkKeys(source, path, context);
      }
      default:
        break;
    }
    return context.resolve(value);
  };
  const walkKeys = (source: Record<string, unknown>, path: string[], context: IResolveContext): unknown => {
    const keys = Object.keys(source);
    // (the root is this hook's own object: the resolver gets a copy without the hook)
    if (!keys.every(isPlainString)) return context.resolve(path.length === 0 ? { ...source } : source);
    const result: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const item = walk(source[key], path, context);
      path.pop();
      if (item !== undefined) result[key] = item;
    }
    if (finalAt(path)) markFinal(result);
    return result;
  };
  const resolveTree = function (this: Record<string, unknown>, context: IResolveContext): unknown {
    let result: unknown;
    try {
      result = walkKeys(this, [], context);
    } catch {
      // The general way: the resolver walks a copy without this hook and reports the error itself.
      return { ...this };
    }
    // Returned through a post-processor, which runs after the resolver's walk of what `resolve`
    // returns (nothing): the result is not walked a second time.
    context.registerPostProcessor({ postProcess: () => result });
    return undefined;
  };
  Object.defineProperty(tree, 'resolve', { value: resolveTree, enumerable: false, configurable: true, writable: true });
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
