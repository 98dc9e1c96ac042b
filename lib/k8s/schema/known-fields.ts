/**
 * Unknown-field check: walks an object against the generated known-fields graph
 * (known-fields.generated.ts, made by scripts/gen-known-fields.js from the
 * kubernetes-models declaration files).
 */
import type { SchemaProblem } from './problem';
import { escapePointer } from './problem';
import type { TokenTest } from './metadata';
import { checkLabelMap, checkMetaMaps } from './metadata';
// A string literal: cheap to load; parsed and linked only on the first validation.
import { KNOWN_FIELDS_JSON } from './known-fields.generated';

/** Type whose labels/annotations are checked wherever it appears (pod, job and claim templates). */
const OBJECT_META = 'apimachinery/apis/meta/v1/ObjectMeta';
/** Type whose matchLabels must be valid labels too. */
const LABEL_SELECTOR = 'apimachinery/apis/meta/v1/LabelSelector';

/** `{typeName: {field: childTypeName | 0}}`; field `*` = any other key (0 = free-form). */
export type KnownFieldsGraph = Readonly<Record<string, Readonly<Record<string, string | 0>>>>;

/** One type of the graph, linked to its children for a fast walk. */
export interface TypeNode {
  readonly name: string;
  /** Field name -> child type, or 0 for a leaf / free-form value. Null-prototype object. */
  readonly fields: Readonly<Record<string, TypeNode | 0>>;
  /** Type of keys not in `fields` (from `*`), or undefined when other keys are unknown. */
  readonly rest: TypeNode | 0 | undefined;
  /** 1 = ObjectMeta (labels and annotations checked), 2 = LabelSelector (matchLabels checked). */
  readonly special: 0 | 1 | 2;
}

let nodes: Map<string, TypeNode> | undefined;

/** The generated graph, parsed and linked on first use. */
export function knownTypes(): ReadonlyMap<string, TypeNode> {
  if (!nodes) {
    nodes = linkGraph(JSON.parse(KNOWN_FIELDS_JSON) as KnownFieldsGraph);
  }
  return nodes;
}

/** Turns the name-based graph into linked TypeNodes. */
export function linkGraph(graph: KnownFieldsGraph): Map<string, TypeNode> {
  const out = new Map<string, TypeNode>();
  for (const name of Object.keys(graph)) {
    const special = name === OBJECT_META ? 1 : name === LABEL_SELECTOR ? 2 : 0;
    out.set(name, { name, fields: Object.create(null) as Record<string, TypeNode | 0>, rest: undefined, special });
  }
  const resolve = (owner: string, child: string | 0): TypeNode | 0 => {
    if (child === 0) return 0;
    const node = out.get(child);
    if (!node) throw new Error(`known-fields graph: ${owner} refers to missing type ${child}`);
    return node;
  };
  for (const [name, node] of out) {
    const fields = node.fields as Record<string, TypeNode | 0>;
    for (const [field, child] of Object.entries(graph[name])) {
      if (field === '*') (node as { rest: TypeNode | 0 | undefined }).rest = resolve(name, child);
      else fields[field] = resolve(name, child);
    }
  }
  return out;
}

/** A CDKTF token object (IResolvable / Lazy): its content is only known at deploy time. */
function isResolvable(v: object): boolean {
  return typeof (v as { resolve?: unknown }).resolve === 'function';
}

/**
 * Walks `value` as an instance of `type`, pushing an `unknown field` problem for each key
 * the type does not declare. Also checks the labels and annotations of nested ObjectMeta
 * (pod, job and claim templates) and label selectors' matchLabels. `segments` is the
 * JSON-pointer path of `value` (mutated, restored).
 */
export function findUnknownFields(value: unknown, type: TypeNode, isToken: TokenTest, out: SchemaProblem[], segments: string[] = []): void {
  if (value === null || typeof value !== 'object' || isResolvable(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      segments.push(String(i));
      findUnknownFields(value[i], type, isToken, out, segments);
      segments.pop();
    }
    return;
  }
  const rec = value as Record<string, unknown>;
  if (type.special === 1) {
    // The root object's own metadata is checked separately, with its name.
    if (segments.length > 1) checkMetaMaps(rec, pointer(segments), isToken, out);
  } else if (type.special === 2 && rec.matchLabels !== undefined) {
    checkLabelMap(rec.matchLabels, pointer(segments, 'matchLabels'), isToken, out);
  }
  const { fields, rest } = type;
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    if (v === undefined) continue;
    const child = key in fields ? fields[key] : rest;
    if (child === undefined) {
      out.push({ path: pointer(segments, key), message: `unknown field "${key}"`, value: v });
    } else if (child !== 0 && v !== null && typeof v === 'object') {
      segments.push(escapePointer(key));
      findUnknownFields(v, child, isToken, out, segments);
      segments.pop();
    }
  }
}

function pointer(segments: readonly string[], last?: string): string {
  const base = segments.length > 0 ? `/${segments.join('/')}` : '';
  return last === undefined ? base : `${base}/${escapePointer(last)}`;
}
