/**
 * Unknown-field check: walks an object against the generated known-fields graph
 * (known-fields.generated.ts, made by scripts/gen-known-fields.js from the
 * kubernetes-models declaration files).
 */
import type { SchemaProblem } from './problem';
import { escapePointer } from './problem';
import type { TokenTest } from './metadata';
import { checkLabelMap, checkMetaMaps } from './metadata';

/** `{typeName: {field: childTypeName | 0}}`; field `*` = any other key (0 = free-form). */
export type KnownFieldsGraph = Readonly<Record<string, Readonly<Record<string, string | 0>>>>;

let graph: KnownFieldsGraph | undefined;

/** The generated graph, parsed on first use. */
export function knownFieldsGraph(): KnownFieldsGraph {
  if (!graph) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KNOWN_FIELDS_JSON } = require('./known-fields.generated') as { KNOWN_FIELDS_JSON: string };
    graph = JSON.parse(KNOWN_FIELDS_JSON) as KnownFieldsGraph;
  }
  return graph;
}

/** Type whose labels/annotations are checked wherever it appears (pod, job and claim templates). */
const OBJECT_META = 'apimachinery/apis/meta/v1/ObjectMeta';
/** Type whose matchLabels must be valid labels too. */
const LABEL_SELECTOR = 'apimachinery/apis/meta/v1/LabelSelector';

const hasOwn = Object.prototype.hasOwnProperty;

/** A CDKTF token object (IResolvable / Lazy): its content is only known at deploy time. */
function isResolvable(v: object): boolean {
  return typeof (v as { resolve?: unknown }).resolve === 'function';
}

/**
 * Walks `value` as an instance of `typeName`, pushing an `unknown field` problem for each
 * key the type does not declare. Also checks labels of nested ObjectMeta (templates) and
 * label selectors. `segments` is the JSON-pointer path of `value` (mutated, restored).
 */
export function findUnknownFields(
  value: unknown,
  typeName: string,
  g: KnownFieldsGraph,
  isToken: TokenTest,
  out: SchemaProblem[],
  segments: string[] = [],
): void {
  if (value === null || typeof value !== 'object' || isResolvable(value)) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      segments.push(String(i));
      findUnknownFields(value[i], typeName, g, isToken, out, segments);
      segments.pop();
    }
    return;
  }
  const fields = g[typeName];
  if (!fields) return;
  const rec = value as Record<string, unknown>;
  const rest = hasOwn.call(fields, '*') ? fields['*'] : undefined;
  for (const key of Object.keys(rec)) {
    const v = rec[key];
    if (v === undefined) continue;
    const child = hasOwn.call(fields, key) ? fields[key] : rest;
    if (child === undefined) {
      out.push({ path: pointer(segments, key), message: `unknown field "${key}"`, value: v });
    } else if (child !== 0 && v !== null && typeof v === 'object') {
      segments.push(escapePointer(key));
      findUnknownFields(v, child, g, isToken, out, segments);
      segments.pop();
    }
  }
  // The root object's own metadata is checked separately (with its name).
  if (typeName === OBJECT_META && segments.length > 1) {
    checkMetaMaps(rec, pointer(segments), isToken, out);
  } else if (typeName === LABEL_SELECTOR && rec.matchLabels !== undefined) {
    checkLabelMap(rec.matchLabels, pointer(segments, 'matchLabels'), isToken, out);
  }
}

function pointer(segments: readonly string[], last?: string): string {
  const base = segments.length > 0 ? `/${segments.join('/')}` : '';
  return last === undefined ? base : `${base}/${escapePointer(last)}`;
}
