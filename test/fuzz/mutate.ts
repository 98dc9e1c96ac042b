/**
 * The generic mutator: turns a valid, realistic prop set (a construct's base arbitrary) into a
 * case by applying a few mutations at random places of the prop tree. One mode per case, so a
 * failure can be attributed:
 * - `valid`  no mutation: the realistic props as generated;
 * - `token`  1-3 leaves replaced by a deploy-time token of their own type (string, number,
 *            list of strings, boolean);
 * - `value`  1-3 hostile values of the right JS type (empty, long, unicode, CR/LF, template
 *            syntax, quotes, backslashes; ±Infinity, negative, huge, fractional numbers; empty
 *            and huge lists; hostile map keys), sometimes with a token;
 * - `shape`  1-2 plain JS type or shape mistakes (wrong JS type, null, undefined, NaN, unknown
 *            and `__proto__` keys, a removed prop).
 *
 * The mutations are generated as data (a position and an operation) so that fast-check shrinks
 * them: fewer mutations, simpler values, then a smaller base.
 */
import * as fc from 'fast-check';
import { FuzzCase, FuzzRef, FuzzToken, MutationCategory, TokenKind, describeJson } from './model';
import { hostileNumber, hostileString, unknownKey, wrongType } from './values';

/** Objects that are maps (user-chosen keys: labels, env, data), as opposed to structs (fixed keys). */
const MAPS = new WeakSet<object>();

/** Mark a generated object as a map: its keys may be mutated like values. */
export function asMap<T extends object>(o: T): T {
  MAPS.add(o);
  return o;
}

/** fc.dictionary whose results are marked as maps. */
export function mapOf<V>(key: fc.Arbitrary<string>, value: fc.Arbitrary<V>, maxKeys = 3, minKeys = 0): fc.Arbitrary<Record<string, V>> {
  return fc.dictionary(key, value, { maxKeys, minKeys }).map((d) => asMap({ ...d }));
}

type Path = ReadonlyArray<string | number>;
interface Node {
  readonly path: Path;
  readonly value: unknown;
}

export type Op =
  | { readonly kind: 'token' }
  | { readonly kind: 'value'; readonly s: string; readonly n: number; readonly listLen: number }
  | { readonly kind: 'key'; readonly s: string }
  | { readonly kind: 'wrong-type'; readonly v: unknown }
  | { readonly kind: 'unknown-key'; readonly key: string; readonly v: unknown }
  | { readonly kind: 'delete' };

export interface Mutation {
  readonly at: number;
  readonly op: Op;
}

const CATEGORY: Record<Op['kind'], MutationCategory> = {
  token: 'token',
  value: 'value',
  key: 'value',
  'wrong-type': 'shape',
  'unknown-key': 'shape',
  delete: 'shape',
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Every node of the tree (placeholders are leaves), root first. */
function nodes(value: unknown, path: Path = [], out: Node[] = []): Node[] {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...path, i], out));
  else if (isPlainObject(value)) for (const k of Object.keys(value)) nodes(value[k], [...path, k], out);
  return out;
}

/** A deep copy (placeholders shared, map marks kept, own `__proto__` keys kept). */
export function cloneTree<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneTree(v)) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setOwn(out, k, cloneTree(value[k]));
    if (MAPS.has(value)) MAPS.add(out);
    return out as T;
  }
  return value;
}

function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function getAt(root: unknown, path: Path): unknown {
  let cur = root as any;
  for (const k of path) cur = cur?.[k];
  return cur;
}

/** Replace the node at `path` (not the root). */
function setAt(root: unknown, path: Path, v: unknown): void {
  const parent = getAt(root, path.slice(0, -1)) as any;
  const k = path[path.length - 1];
  if (Array.isArray(parent)) parent[k as number] = v;
  else setOwn(parent, String(k), v);
}

function deleteAt(root: unknown, path: Path): void {
  const parent = getAt(root, path.slice(0, -1)) as any;
  const k = path[path.length - 1];
  if (Array.isArray(parent)) parent.splice(k as number, 1);
  else delete parent[k];
}

/** The token kind for a value, or undefined when the value has no token type. */
function tokenKindOf(v: unknown): TokenKind | undefined {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' && Number.isFinite(v)) return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return 'list';
  return undefined;
}

export function pathText(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('') || '<props>';
}

function short(v: unknown): string {
  const text = JSON.stringify(describeJson(v)) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Apply the mutations to a copy of `base`; returns the props and a description of each mutation. */
export function applyMutations(base: unknown, mutations: readonly Mutation[]): { props: unknown; applied: string[] } {
  const props = cloneTree(base);
  const applied: string[] = [];
  for (const m of mutations) {
    const all = nodes(props);
    const pick = (candidates: Node[]): Node | undefined => (candidates.length === 0 ? undefined : candidates[m.at % candidates.length]);
    const { op } = m;
    switch (op.kind) {
      case 'token': {
        const n = pick(all.filter((x) => x.path.length > 0 && tokenKindOf(x.value) !== undefined));
        if (!n) break;
        const kind = tokenKindOf(n.value)!;
        setAt(props, n.path, new FuzzToken(kind, n.value, pathText(n.path)));
        applied.push(`${pathText(n.path)} <- ${kind} token`);
        break;
      }
      case 'value': {
        const n = pick(all.filter((x) => x.path.length > 0 && (typeof x.value === 'string' || (typeof x.value === 'number') || (Array.isArray(x.value) && x.value.length > 0))));
        if (!n) break;
        let v: unknown;
        if (typeof n.value === 'string') v = op.s;
        else if (typeof n.value === 'number') v = op.n;
        else v = op.listLen === 0 ? [] : Array.from({ length: op.listLen }, () => cloneTree((n.value as unknown[])[0]));
        setAt(props, n.path, v);
        applied.push(`${pathText(n.path)} <- ${Array.isArray(v) ? `list of ${v.length}` : short(v)}`);
        break;
      }
      case 'key': {
        const n = pick(all.filter((x) => isPlainObject(x.value) && MAPS.has(x.value as object) && Object.keys(x.value as object).length > 0));
        if (!n) break;
        const map = n.value as Record<string, unknown>;
        const keys = Object.keys(map);
        const old = keys[m.at % keys.length];
        if (old === op.s) break;
        const renamed: Record<string, unknown> = {};
        for (const k of keys) setOwn(renamed, k === old ? op.s : k, map[k]);
        MAPS.add(renamed);
        if (n.path.length === 0) break;
        setAt(props, n.path, renamed);
        applied.push(`${pathText(n.path)} key ${short(old)} -> ${short(op.s)}`);
        break;
      }
      case 'wrong-type': {
        const n = pick(all.filter((x) => x.path.length > 0));
        if (!n) break;
        setAt(props, n.path, cloneTree(op.v));
        applied.push(`${pathText(n.path)} <- ${short(op.v)} (wrong type)`);
        break;
      }
      case 'unknown-key': {
        const n = pick(all.filter((x) => isPlainObject(x.value) && !MAPS.has(x.value as object)));
        if (!n) break;
        setOwn(n.value as Record<string, unknown>, op.key, cloneTree(op.v));
        applied.push(`${pathText(n.path)} + unknown key ${JSON.stringify(op.key)}`);
        break;
      }
      case 'delete': {
        const n = pick(all.filter((x) => x.path.length > 0 && typeof x.path[x.path.length - 1] === 'string'));
        if (!n) break;
        deleteAt(props, n.path);
        applied.push(`${pathText(n.path)} removed`);
        break;
      }
    }
  }
  return { props, applied };
}

const at = fc.nat({ max: 1_000_000 });
const tokenOp: fc.Arbitrary<Mutation> = fc.record({ at, op: fc.constant({ kind: 'token' } as Op) });
const valueOp: fc.Arbitrary<Mutation> = fc.record({
  at,
  op: fc.record({ kind: fc.constant('value' as const), s: hostileString, n: hostileNumber, listLen: fc.constantFrom(0, 2, 300) }),
});
const keyOp: fc.Arbitrary<Mutation> = fc.record({ at, op: fc.record({ kind: fc.constant('key' as const), s: hostileString }) });
const shapeOp: fc.Arbitrary<Mutation> = fc.record({
  at,
  op: fc.oneof(
    fc.record({ kind: fc.constant('wrong-type' as const), v: wrongType }),
    fc.record({ kind: fc.constant('unknown-key' as const), key: unknownKey, v: fc.constantFrom<unknown>('x', 1, true, {}, null) }),
    fc.constant({ kind: 'delete' as const }),
  ),
});

export type Mode = 'valid' | 'token' | 'value' | 'shape';

/** Mutation lists for each mode. */
const MUTATIONS: Record<Mode, fc.Arbitrary<Mutation[]>> = {
  valid: fc.constant([]),
  token: fc.array(tokenOp, { minLength: 1, maxLength: 3 }),
  value: fc.array(fc.oneof({ weight: 5, arbitrary: valueOp }, { weight: 2, arbitrary: keyOp }, { weight: 1, arbitrary: tokenOp }), { minLength: 1, maxLength: 3 }),
  shape: fc.array(shapeOp, { minLength: 1, maxLength: 2 }),
};

/** How often each mode is drawn. */
export const MODE_WEIGHTS: Record<Mode, number> = { valid: 30, token: 25, value: 30, shape: 15 };

/**
 * Cases for a construct: a valid base from `base`, an environment from `context`, and the
 * mutations of one mode.
 */
export function caseArbitrary(
  base: fc.Arbitrary<unknown>,
  context: fc.Arbitrary<Record<string, unknown> | undefined>,
  modes: Partial<Record<Mode, number>> = MODE_WEIGHTS,
): fc.Arbitrary<FuzzCase> {
  const chosen = (Object.entries(modes) as Array<[Mode, number]>).filter(([, w]) => w > 0);
  return fc
    .oneof(...chosen.map(([mode, weight]) => ({ weight, arbitrary: fc.tuple(fc.constant(mode), base, context, MUTATIONS[mode]) })))
    .map(([mode, props, ctx, mutations]) => {
      const { props: mutated, applied } = applyMutations(props, mutations);
      const categories = [...new Set(mutations.map((m) => CATEGORY[m.op.kind]))];
      const c: FuzzCase = { mode, props: mutated, context: ctx, mutations: applied, categories: applied.length === 0 ? [] : categories };
      return c;
    });
}

/** Whether a value holds a placeholder of either kind. */
export function hasTokens(value: unknown): boolean {
  if (value instanceof FuzzToken) return true;
  if (value instanceof FuzzRef) return false;
  if (Array.isArray(value)) return value.some(hasTokens);
  if (isPlainObject(value)) return Object.keys(value).some((k) => hasTokens(value[k]));
  return false;
}

/** The props with every token put back to the value it replaced. */
export function untokenized<T>(value: T): T {
  if (value instanceof FuzzToken) return cloneTree(value.original) as T;
  if (Array.isArray(value)) return value.map((v) => untokenized(v)) as unknown as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) setOwn(out, k, untokenized(value[k]));
    if (MAPS.has(value)) MAPS.add(out);
    return out as T;
  }
  return value;
}
