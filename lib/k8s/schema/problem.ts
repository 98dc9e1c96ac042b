/** One reason a Kubernetes object would be rejected by the API server. */
export interface SchemaProblem {
  /**
   * JSON pointer (RFC 6901) to the offending field, from the object's root:
   * `/spec/template/spec/containers/0/imagePullPolicy`. `''` is the object itself. For a
   * missing required field it points at the field that is missing.
   */
  path: string;
  /** What is wrong, e.g. `unknown field "imagePullPolicyy"`, `must be one of "Always", ...`. */
  message: string;
  /** The value found at `path` (undefined for a missing field). */
  value: unknown;
}

/** Escapes one JSON-pointer segment (`/` -> `~1`, `~` -> `~0`). */
export function escapePointer(segment: string): string {
  return segment.indexOf('~') >= 0 || segment.indexOf('/') >= 0 ? segment.replace(/~/g, '~0').replace(/\//g, '~1') : segment;
}

/** Splits a JSON pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Every value along a JSON pointer, starting with the root (stops at the first missing one). */
export function valuesAlong(root: unknown, pointer: string): unknown[] {
  const out: unknown[] = [root];
  let cur: unknown = root;
  for (const seg of pointerSegments(pointer)) {
    if (cur === null || typeof cur !== 'object') break;
    cur = (cur as Record<string, unknown>)[seg];
    if (cur === undefined) break;
    out.push(cur);
  }
  return out;
}

/** The value a JSON pointer designates, or undefined. */
export function valueAt(root: unknown, pointer: string): unknown {
  let cur: unknown = root;
  for (const seg of pointerSegments(pointer)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
