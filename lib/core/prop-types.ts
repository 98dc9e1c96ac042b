import { Token, Tokenization } from 'cdktf';
import { keyPath as childPath } from './paths';
import { PropValidator, oneOfFix } from './validation';

/**
 * The runtime type check of construct props (issue 14, "no other exception"): TypeScript types
 * vanish at run time, so a JavaScript caller (or an `as any`, or data parsed from a file) can pass
 * null, a number for a string, a string for a list, NaN, a misspelled prop ... Each constructor
 * checks its props against a description of its props type generated from the declarations
 * (lib/constructs/prop-types.generated.ts, by scripts/gen-prop-types.ts) before reading them,
 * so bad input is a ValidationError naming the prop path, never a TypeError or wrong output.
 *
 * Deploy-time tokens are never refused where a value of their kind is expected: a string token
 * is a string, a number token a number, a list token (`TerraformVariable.listValue`) a list, and
 * an IResolvable object (a boolean token, `Token.asAny`, a map token) stands for any primitive,
 * list or map. The props returned hold each IResolvable given for a string, a number or a list
 * in the encoding the models read (`Token.asString`, `Token.asNumber`, `Token.asList`), so no
 * model meets an object where it expects text. Whether a token can work in a given prop (it may
 * decide what is emitted) is for the construct's own validation to say. Only where the construct
 * must read fields (an object, or the entries of a list or map of objects) is a token refused,
 * as "must be known at synth", like the constructs' own refusals.
 *
 * Limits keep the work bounded whatever the input: a string holds at most MAX_STRING_LENGTH
 * characters and a list or map at most MAX_ENTRIES entries.
 */

/** A runtime description of a props type (see scripts/gen-prop-types.ts for how types map). */
export type PropType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'function'
  /** Anything (an `unknown`/`any` prop): not checked. */
  | 'any'
  /** One of these literals. */
  | { readonly enum: ReadonlyArray<string | number> }
  | { readonly list: PropType }
  /** An object whose keys are data (names), each value of the given type. */
  | { readonly map: PropType }
  /**
   * An object with known fields; a key ending in `?` is optional. `rest` types keys not listed;
   * without it unknown keys are refused. `instances`: a class instance (a construct implementing
   * the interface) is accepted as it is.
   */
  | { readonly fields: Readonly<Record<string, PropType>>; readonly rest?: PropType; readonly instances?: true }
  | { readonly union: readonly PropType[] }
  /** A named type of the table passed to checkPropTypes. */
  | { readonly ref: string }
  /** An instance of the named class (a TerraformProvider, a KubeNamespace): any non-array object. */
  | { readonly instance: string }
  /** An object of a type declared outside this library, or an escape hatch: any non-array object. */
  | { readonly opaque: string };

/**
 * Longest string accepted in any prop: 1.5 MiB of characters. etcd refuses a request over 1.5 MiB
 * (its default --max-request-bytes), so no Kubernetes object the library emits can hold a longer
 * string, and AWS limits are far lower; the cap stops runaway input from costing synth time and
 * memory. (A ConfigMap's own 1 MiB data limit is checked by its model, with a precise message.)
 */
export const MAX_STRING_LENGTH = 1.5 * 1024 * 1024;
/** Most entries accepted in one list or map prop (far above any real distribution of a cluster's objects). */
export const MAX_ENTRIES = 10_000;
/** Own keys never accepted in props: they are prototype-pollution vectors, never a prop or a name. */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

interface Problem {
  readonly field: string;
  readonly value: unknown;
  readonly fix: string;
  readonly reason: string;
}

export interface CheckPropTypesOptions {
  /** Named types `{ ref }` refers to. */
  readonly named: Readonly<Record<string, PropType>>;
  /** Who takes the props, for messages ("KubeDeployment"). @default "the construct" */
  readonly subject?: string;
  /** Field name of the props object itself (when it is missing or not an object). @default "props" */
  readonly field?: string;
  /** Prefix of every field path (e.g. "environmentContext"). @default "" (props at the top level) */
  readonly prefix?: string;
}

/**
 * Check `props` against `type`; throws a ValidationError through `v` for the first problem, with
 * the exact prop path (`containers[0].imageTag`), the value and the fix. Returns the props to use:
 * `props` itself, or a copy (only along the changed paths) in which each IResolvable given for a
 * string, number or list is in its encoded form (see above).
 */
export function checkPropTypes<T>(v: PropValidator, type: PropType, props: T, options: CheckPropTypesOptions): T {
  const walker = new PropTypeWalker(options.named, options.subject ?? 'the construct', options.prefix ?? '');
  const problem = walker.checkRoot(type, props, options.field ?? 'props');
  if (problem) v.fail(problem.field, problem.value, problem.fix, problem.reason);
  return withReplacements(props, walker.replacements);
}

/** `root` with the values at the given key paths replaced; containers on a path are shallow-copied once. */
function withReplacements<T>(root: T, replacements: ReadonlyArray<{ readonly keys: ReadonlyArray<string | number>; readonly value: unknown }>): T {
  if (replacements.length === 0) return root;
  const copies = new Map<object, Record<string | number, unknown>>();
  const copyOf = (o: object): Record<string | number, unknown> => {
    let c = copies.get(o);
    if (!c) {
      c = (Array.isArray(o) ? [...o] : Object.assign(Object.create(Object.getPrototypeOf(o)), o)) as Record<string | number, unknown>;
      copies.set(o, c);
    }
    return c;
  };
  if (typeof root !== 'object' || root === null) return root;
  const out = copyOf(root);
  for (const { keys, value } of replacements) {
    let original = root as unknown as Record<string | number, unknown>;
    let copy = out;
    for (const k of keys.slice(0, -1)) {
      const child = original[k] as object;
      copy[k] = copyOf(child);
      original = child as Record<string | number, unknown>;
      copy = copy[k] as Record<string | number, unknown>;
    }
    copy[keys[keys.length - 1]] = value;
  }
  return out as unknown as T;
}

type KnownFields = ReadonlyMap<string, { readonly type: PropType; readonly optional: boolean }>;
const KNOWN_FIELDS = new WeakMap<object, KnownFields>();

/** An object type's fields by name (`name?` is an optional `name`), computed once per type. */
function knownFields(fields: Readonly<Record<string, PropType>>): KnownFields {
  let known = KNOWN_FIELDS.get(fields);
  if (!known) {
    const map = new Map<string, { type: PropType; optional: boolean }>();
    for (const [k, ft] of Object.entries(fields)) {
      const optional = k.endsWith('?');
      map.set(optional ? k.slice(0, -1) : k, { type: ft, optional });
    }
    known = map;
    KNOWN_FIELDS.set(fields, known);
  }
  return known;
}

/** True when `value` is an object literal (or Object.create(null)), not an array or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True when `value` is an object made by the class `name` or a subclass of it. */
function isInstanceOf(value: unknown, name: string): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (let proto = Object.getPrototypeOf(value); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.prototype.hasOwnProperty.call(proto, 'constructor') && (proto.constructor as { name?: string }).name === name) return true;
  }
  return false;
}

/** True when `value` was made by a class (`new Foo()`): its prototype is its constructor's. */
function isClassInstance(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype || !Object.prototype.hasOwnProperty.call(proto, 'constructor')) return false;
  const ctor = (proto as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.prototype === proto;
}

class PropTypeWalker {
  /** Encoded tokens to put in place of IResolvable objects, by key path from the props. */
  public readonly replacements: Array<{ readonly keys: ReadonlyArray<string | number>; readonly value: unknown }> = [];
  /** Objects on the path being checked (a circular value would otherwise never end). */
  private readonly ancestors = new Set<object>();
  /** Keys from the props to the value being checked. */
  private readonly keys: Array<string | number> = [];

  constructor(
    private readonly named: Readonly<Record<string, PropType>>,
    private readonly subject: string,
    private readonly rootPath: string,
  ) {}

  checkRoot(type: PropType, props: unknown, field: string): Problem | undefined {
    const t = this.resolve(type);
    if (props === undefined || props === null) {
      const required = typeof t === 'object' && 'fields' in t ? Object.keys(t.fields).filter((k) => !k.endsWith('?')) : [];
      if (props === undefined && required.length === 0) return undefined;
      return {
        field,
        value: props,
        reason: props === undefined ? 'is missing' : 'is null',
        fix: `pass the props of ${this.subject}${required.length > 0 ? ` with at least ${required.map((k) => `\`${k}\``).join(', ')}` : ' ({} for the defaults)'}`,
      };
    }
    return this.check(type, props, this.rootPath, field, false);
  }

  private resolve(t: PropType): PropType {
    for (let i = 0; typeof t === 'object' && 'ref' in t; i++) {
      const next = this.named[t.ref];
      if (next === undefined || i > 16) return 'any';
      t = next;
    }
    return t;
  }

  /**
   * @param path the value's field path; `display` is used when the path is empty (the props object)
   * @param optional the value may also be left out (undefined)
   */
  private check(type: PropType, value: unknown, path: string, display: string, optional: boolean): Problem | undefined {
    const t = this.resolve(type);
    const field = path || display;
    if (t === 'any') return undefined;
    if (value === undefined) {
      return { field, value, reason: 'is undefined', fix: `give ${this.expected(type)}, or remove the entry` };
    }
    if (value === null) {
      if (this.allowsNull(t)) return undefined;
      return { field, value, reason: 'is null', fix: optional ? `give ${this.expected(type)}, or leave the prop out (undefined) for the default` : `give ${this.expected(type)}` };
    }
    if (typeof t === 'string') return this.checkPrimitive(t, value, field);
    if ('union' in t) return this.checkUnion(t.union, value, path, display, optional);
    if ('enum' in t) return this.checkEnum(t.enum, value, field);
    if (('list' in t || 'map' in t) && Token.isUnresolved(value) && this.readsEntries(t)) {
      return {
        field,
        value,
        reason: 'is a deploy-time token, but it must be known at synth: the construct reads the fields of each entry at synth to decide what to emit',
        fix: `give ${'list' in t ? 'a list' : 'an object'} literal; the fields of its entries may hold tokens where they accept one`,
      };
    }
    if ('instance' in t) {
      // A class instance whose prototype chain has a class of that name (by name, so that two
      // copies of a package still match): a plain object literal is never a KubeNamespace.
      if (isInstanceOf(value, t.instance)) return undefined;
      return this.mismatch(type, value, field);
    }
    if ('opaque' in t) {
      if ((typeof value === 'object' && !Array.isArray(value)) || typeof value === 'function') return undefined;
      return this.mismatch(type, value, field);
    }
    if ('list' in t) return this.checkList(t.list, type, value, field);
    if ('map' in t) return this.checkMap(t.map, type, value, field);
    if ('fields' in t) return this.checkFields(t, type, value, path, display);
    return undefined;
  }

  private allowsNull(t: PropType): boolean {
    if (t === 'null' || t === 'any') return true;
    return typeof t === 'object' && 'union' in t && t.union.some((m) => this.allowsNull(this.resolve(m)));
  }

  private checkPrimitive(t: 'string' | 'number' | 'boolean' | 'null' | 'function', value: unknown, field: string): Problem | undefined {
    switch (t) {
      case 'string':
        if (typeof value === 'string') {
          if (value.length <= MAX_STRING_LENGTH) return undefined;
          return {
            field,
            value,
            reason: `is ${value.length.toLocaleString('en-US')} characters long`,
            fix: `keep it under ${MAX_STRING_LENGTH.toLocaleString('en-US')} characters (1.5 MiB: no Kubernetes object or AWS resource the library emits can hold more); load large content at deploy time instead`,
          };
        }
        break;
      case 'number':
        if (typeof value === 'number') {
          if (Number.isFinite(value)) return undefined;
          return { field, value, reason: 'is not a finite number', fix: 'give a finite number (check the arithmetic that produced it: a division by zero or a parse of text that is not a number)' };
        }
        break;
      case 'boolean':
        if (typeof value === 'boolean') return undefined;
        break;
      case 'function':
        if (typeof value === 'function') return undefined;
        return this.mismatch(t, value, field);
      case 'null':
        return this.mismatch(t, value, field);
    }
    if (isResolvableToken(value)) {
      if (t === 'string') this.replace(Token.asString(value));
      if (t === 'number') this.replace(Token.asNumber(value));
      return undefined; // a boolean token stays an IResolvable (booleans have no encoded form)
    }
    return this.mismatch(t, value, field);
  }

  /** Put `value` in place of the value being checked, in the props returned. */
  private replace(value: unknown): void {
    this.replacements.push({ keys: [...this.keys], value });
  }

  /** A list or map whose entries are objects with fields (a token cannot stand for it). */
  private readsEntries(t: { readonly list: PropType } | { readonly map: PropType }): boolean {
    const entry = this.resolve('list' in t ? t.list : t.map);
    return [...this.kindsOf(entry)].some((k) => k === 'object' || k === 'list') && !(typeof entry === 'object' && ('instance' in entry || 'opaque' in entry));
  }

  private checkEnum(allowed: ReadonlyArray<string | number>, value: unknown, field: string): Problem | undefined {
    if (isResolvableToken(value)) {
      this.replace(allowed.every((a) => typeof a === 'number') ? Token.asNumber(value) : Token.asString(value));
      return undefined;
    }
    const kinds = new Set(allowed.map((a) => typeof a));
    if (!kinds.has(typeof value as 'string' | 'number')) return this.mismatch({ enum: allowed }, value, field);
    if (allowed.includes(value as string | number) || Token.isUnresolved(value)) return undefined;
    if (typeof value === 'number' && !Number.isFinite(value)) return { field, value, reason: 'is not a finite number', fix: `use one of ${allowed.join(', ')}` };
    return { field, value, reason: 'is not an allowed value', fix: oneOfFix(value, allowed) };
  }

  private checkList(item: PropType, type: PropType, value: unknown, field: string): Problem | undefined {
    if (!Array.isArray(value)) {
      if (isResolvableToken(value)) {
        const items = this.kindsOf(item);
        this.replace(items.size === 1 && items.has('number') ? Token.asNumberList(value) : items.has('boolean') ? value : Token.asList(value));
        return undefined;
      }
      return this.mismatch(type, value, field);
    }
    if (Token.isUnresolved(value)) return undefined; // a list token: its length and elements are known at apply
    if (value.length > MAX_ENTRIES) return tooMany(field, value.length);
    return this.within(value, field, () => {
      for (let i = 0; i < value.length; i++) {
        const at = `${field}[${i}]`;
        if (!(i in value)) return { field: at, value: undefined, reason: 'is an empty slot of a sparse array', fix: 'give every entry a value (an array written with a hole such as [a, , b] or made by new Array(n) has none)' };
        const problem = this.checkEntry(item, value[i], i, at);
        if (problem) return problem;
      }
      return undefined;
    });
  }

  private checkMap(valueType: PropType, type: PropType, value: unknown, field: string): Problem | undefined {
    if (Array.isArray(value) || typeof value !== 'object') return this.mismatch(type, value, field); // a list, string or number token too
    if (isResolvableToken(value)) {
      const values = this.kindsOf(valueType);
      if (values.size === 1 && values.has('string')) this.replace(Token.asStringMap(value));
      else if (values.size === 1 && values.has('number')) this.replace(Token.asNumberMap(value));
      return undefined;
    }
    if (Token.isUnresolved(value)) return undefined; // a map token
    const notPlain = this.plainObjectProblem(type, value, field);
    if (notPlain) return notPlain;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length > MAX_ENTRIES) return tooMany(field, keys.length);
    return this.within(obj, field, () => {
      for (const key of keys) {
        const at = childPath(field, key);
        if (RESERVED_KEYS.has(key)) return reservedKey(at, obj[key], key);
        const problem = this.checkEntry(valueType, obj[key], key, at);
        if (problem) return problem;
      }
      return undefined;
    });
  }

  private checkFields(
    t: { readonly fields: Readonly<Record<string, PropType>>; readonly rest?: PropType; readonly instances?: true },
    type: PropType, value: unknown, path: string, display: string,
  ): Problem | undefined {
    const field = path || display;
    // A construct implementing the interface (a KubeDeployment as an IPodSelector) is taken as it is.
    if (t.instances && isClassInstance(value)) return undefined;
    if (isResolvableToken(value)) {
      return {
        field,
        value: '<token>',
        reason: 'is a deploy-time token, but it must be known at synth: the construct reads its fields at synth to decide what to emit',
        fix: 'give an object literal; each of its fields may hold a token where that field accepts one',
      };
    }
    const notPlain = this.plainObjectProblem(type, value, field);
    if (notPlain) return notPlain;
    const obj = value as Record<string, unknown>;
    const known = knownFields(t.fields);
    const keys = Object.keys(obj);
    if (keys.length > MAX_ENTRIES) return tooMany(field, keys.length);
    // Unknown keys first: a misspelled required prop reads better as "did you mean" than as missing.
    for (const key of keys) {
      if (RESERVED_KEYS.has(key)) return reservedKey(childPath(path, key), obj[key], key);
      if (!known.has(key) && t.rest === undefined) {
        return {
          field: childPath(path, key),
          value: obj[key],
          reason: path === this.rootPath ? `is not a prop of ${this.subject}` : 'is not a known field',
          fix: unknownKeyFix(key, [...known.keys()]),
        };
      }
    }
    return this.within(obj, field, () => {
      for (const [key, f] of known) {
        const fieldValue = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
        if (fieldValue === undefined && f.optional) continue;
        const at = childPath(path, key);
        if (fieldValue === undefined) {
          return { field: at, value: undefined, reason: 'is missing', fix: `set ${at}; it is required (${this.expected(f.type)})` };
        }
        const problem = this.checkEntry(f.type, fieldValue, key, at, f.optional);
        if (problem) return problem;
      }
      if (t.rest !== undefined) {
        for (const key of keys) {
          if (known.has(key)) continue;
          const problem = this.checkEntry(t.rest, obj[key], key, childPath(path, key));
          if (problem) return problem;
        }
      }
      return undefined;
    });
  }

  /** Run `visit` with `container` on the path being checked; a value that contains itself is a problem. */
  private within(container: object, field: string, visit: () => Problem | undefined): Problem | undefined {
    if (this.ancestors.has(container)) return circular(field, container);
    this.ancestors.add(container);
    try {
      return visit();
    } finally {
      this.ancestors.delete(container);
    }
  }

  /** Check one entry of a list, map or object at `key` (kept so that a token found in it can be replaced). */
  private checkEntry(type: PropType, value: unknown, key: string | number, at: string, optional = false): Problem | undefined {
    this.keys.push(key);
    const problem = this.check(type, value, at, at, optional);
    this.keys.pop();
    return problem;
  }

  /** A problem when `value` is not an object literal. */
  private plainObjectProblem(type: PropType, value: unknown, field: string): Problem | undefined {
    if (isPlainObject(value)) return undefined;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (!isClassInstance(value)) {
        return {
          field,
          value,
          reason: 'is an object whose prototype was replaced (a `__proto__` key in an object literal sets the prototype; it does not add a key)',
          fix: 'write the entries as ordinary keys of the object; "__proto__" can be neither a prop nor a name',
        };
      }
      if (value instanceof Map) {
        return { field, value, reason: 'is a Map, not an object literal', fix: `give ${this.expected(type)}: convert it with Object.fromEntries(map)` };
      }
      return { field, value, reason: `is ${kindOf(value)}, not an object literal`, fix: `give ${this.expected(type)} ({ ... })` };
    }
    return this.mismatch(type, value, field);
  }

  private checkUnion(members: readonly PropType[], value: unknown, path: string, display: string, optional: boolean): Problem | undefined {
    const problems: Problem[] = [];
    for (const m of members) {
      const mark = this.replacements.length;
      const problem = this.check(m, value, path, display, optional);
      if (!problem) return undefined;
      this.replacements.length = mark; // what a member that does not fit recorded
      problems.push(problem);
    }
    // Report the member of the value's own kind (a plain object against the object member ...).
    const kind = jsKind(value);
    const sameKind = members.map((m, i) => ({ m, p: problems[i] })).filter(({ m }) => this.kindsOf(m).has(kind));
    if (sameKind.length > 0) {
      return sameKind.map(({ p }) => p).sort((a, b) => b.field.length - a.field.length)[0];
    }
    return this.mismatch({ union: members }, value, path || display);
  }

  /** JavaScript kinds of value a type accepts. */
  private kindsOf(type: PropType): Set<string> {
    const t = this.resolve(type);
    if (typeof t === 'string') return new Set([t === 'any' ? '*' : t]);
    if ('union' in t) return new Set(t.union.flatMap((m) => [...this.kindsOf(m)]));
    if ('enum' in t) return new Set(t.enum.map((e) => typeof e));
    if ('list' in t) return new Set(['list']);
    return new Set(['object']);
  }

  private mismatch(type: PropType, value: unknown, field: string): Problem {
    const kinds = this.kindsOf(type);
    if (typeof value === 'number' && kinds.has('string') && Token.isUnresolved(value)) {
      return { field, value: Token.asString(value), reason: 'is a number token, not a string', fix: 'convert the token: Token.asString(value) (or pass the string attribute)' };
    }
    if (typeof value === 'string' && kinds.has('number') && Token.isUnresolved(value)) {
      return { field, value, reason: 'is a string token, not a number', fix: 'convert the token: Token.asNumber(value) (or pass the number attribute, e.g. TerraformVariable.numberValue)' };
    }
    return { field, value, reason: `is ${kindOf(value)}, not ${this.expected(type)}`, fix: `give ${this.expected(type)}${this.example(type, value)}` };
  }

  /** An example of the right value made from the wrong one, where there is an obvious one. */
  private example(type: PropType, value: unknown): string {
    const t = this.resolve(type);
    if (t === 'string' && (typeof value === 'number' || typeof value === 'boolean')) return `, e.g. ${JSON.stringify(String(value))} (quoted)`;
    if (t === 'number' && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return `, e.g. ${Number(value)} (not quoted)`;
    if (t === 'boolean' && (value === 'true' || value === 'false')) return `, e.g. ${value} (not quoted)`;
    if (typeof t === 'object' && 'list' in t) {
      const item = this.resolve(t.list);
      if (typeof value === 'string' && (item === 'string' || (typeof item === 'object' && 'enum' in item))) {
        const parts = value.trim().split(/\s+/).filter(Boolean);
        return `, e.g. [${(parts.length > 0 ? parts : [value]).slice(0, 8).map((p) => JSON.stringify(p)).join(', ')}]`;
      }
      if (jsKind(value) === [...this.kindsOf(item)][0]) return ' (wrap the single value in [ ])';
    }
    if (typeof t === 'object' && 'map' in t && typeof value === 'string') return `, e.g. { ${JSON.stringify(value)}: ... } (keyed by name)`;
    return '';
  }

  /** What a type accepts, in words. */
  private expected(type: PropType, depth = 0): string {
    if (depth > 3) return 'a value';
    const t = typeof type === 'object' && 'ref' in type ? this.resolve(type) : type;
    const name = typeof type === 'object' && 'ref' in type ? type.ref : undefined;
    if (typeof t === 'string') return { string: 'a string', number: 'a number', boolean: 'true or false', null: 'null', function: 'a function', any: 'any value' }[t];
    if ('enum' in t) return t.enum.length === 1 ? JSON.stringify(t.enum[0]) : `one of ${t.enum.map((e) => JSON.stringify(e)).join(', ')}`;
    if ('list' in t) return `a list of ${this.plural(t.list, depth)}`;
    if ('map' in t) return `an object of ${this.plural(t.map, depth)} keyed by name`;
    if ('fields' in t) return name ? `an object (${name})` : 'an object';
    if ('union' in t) return t.union.map((m) => this.expected(m, depth + 1)).join(' or ');
    if ('instance' in t) return `a ${t.instance}`;
    if ('opaque' in t) return `an object (${t.opaque})`;
    return 'a value';
  }

  private plural(type: PropType, depth: number): string {
    const t = this.resolve(type);
    if (t === 'string' || t === 'number') return `${t}s`;
    if (t === 'boolean') return 'booleans';
    if (typeof type === 'object' && 'ref' in type) return `${type.ref} objects`;
    if (typeof t === 'object' && 'fields' in t) return 'objects';
    return `values (each ${this.expected(type, depth + 1)})`;
  }
}

/** An IResolvable (a boolean token, `Token.asAny`, a lazy value). */
function isResolvableToken(value: unknown): boolean {
  return Tokenization.isResolvable(value);
}

function jsKind(value: unknown): string {
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

/** `a string`, `a number`, `NaN`, `a list`, `an object`, `a Map`, `a Foo` (an instance of a class Foo) ... for messages. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return 'a string';
    case 'number': return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? 'a number' : `${value}`;
    case 'boolean': return 'a boolean';
    case 'bigint': return 'a bigint';
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    case 'undefined': return 'undefined';
  }
  const proto = Object.getPrototypeOf(value);
  if (proto === null || proto === Object.prototype) return 'an object';
  const name = proto?.constructor?.name;
  return name ? `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}` : 'an object';
}

function tooMany(field: string, count: number): Problem {
  return {
    field,
    value: `<${count} entries>`,
    reason: `has ${count.toLocaleString('en-US')} entries`,
    fix: `give at most ${MAX_ENTRIES.toLocaleString('en-US')} entries (a limit that keeps synth time bounded; no construct emits anything useful from more)`,
  };
}

function circular(field: string, value: unknown): Problem {
  return { field, value: `<circular ${kindOf(value)}>`, reason: 'contains itself (a circular reference)', fix: 'give a tree of plain values; an object or list must not contain itself' };
}

function reservedKey(field: string, value: unknown, key: string): Problem {
  return {
    field,
    value,
    reason: `is the reserved key "${key}"`,
    fix: `remove the "${key}" key: it can be neither a prop nor a name (it would reach or replace the object's prototype)`,
  };
}

/** "remove `foo`; did you mean `fooBar`?", or the props accepted. */
function unknownKeyFix(key: string, known: readonly string[]): string {
  const near = nearest(key, known);
  if (near) return `remove \`${key}\`; did you mean \`${near}\`?`;
  const list = [...known].sort();
  return `remove \`${key}\`; the accepted keys are ${list.length > 0 ? list.map((k) => `\`${k}\``).join(', ') : 'none'}`;
}

/** The known key closest to `key` (case-insensitive edit distance within a third of its length), if any. */
export function nearest(key: string, known: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of [...known].sort()) {
    const d = editDistance(k, candidate.toLowerCase(), limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (with adjacent transpositions), giving up above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  if (a.length > 200 || b.length > 200) return a === b ? 0 : limit + 1;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    rows[i] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}
