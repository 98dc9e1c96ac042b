/**
 * The vocabulary of the fuzz suite: what a generated case is made of.
 *
 * A case's props are plain data built by fast-check, with two kinds of placeholder that only
 * become real when the runner builds the case in a fresh stack:
 * - `FuzzToken`: a deploy-time token of one type (a `TerraformVariable`'s `stringValue`,
 *   `numberValue`, `listValue` or `booleanValue`), standing where the base props had `original`;
 * - `FuzzRef`: a construct or object the props point at (a KubeNamespace, a PolicyDocument, a
 *   workload), built by the runner.
 * Both print as `{"$token": ...}` / `{"$ref": ...}` in a counterexample.
 */

/** The types of deploy-time token the suite gives (one TerraformVariable type each). */
export type TokenKind = 'string' | 'number' | 'list' | 'bool';

/** A deploy-time token of the prop's own type, standing where the valid base had `original`. */
export class FuzzToken {
  constructor(
    public readonly kind: TokenKind,
    /** The value the token replaced (used to tell a token rejected for being a token from other refusals). */
    public readonly original: unknown,
    /** Where in the props it stands, for reports. */
    public readonly path: string = '',
  ) {}

  public toJSON(): unknown {
    return { $token: this.kind, replaced: describeJson(this.original) };
  }
}

/** A construct or object the runner builds for the props (a namespace, a policy document, a workload). */
export class FuzzRef {
  constructor(
    public readonly ref: string,
    public readonly args: Record<string, unknown> = {},
  ) {}

  public toJSON(): unknown {
    return { $ref: this.ref, ...describeJson(this.args) as object };
  }
}

/**
 * Which rule a mutation breaks, so a failure can be handed to the right owner:
 * - `shape`: a plain JS type or shape mistake (wrong JS type, null, undefined, NaN, an unknown key,
 *   a `__proto__` key, a missing prop): the generic prop-type check (another engineer's work);
 * - `value`: a value of the right JS type that is out of range or hostile (empty or very long
 *   strings, unicode, CR/LF, template syntax, ±Infinity, negative or huge numbers, huge lists);
 * - `token`: a deploy-time token of the prop's own type.
 */
export type MutationCategory = 'shape' | 'value' | 'token';

/** Every outcome a case can have. */
export const OUTCOMES = [
  'ok-synth',
  'validation-error',
  'other-exception',
  'hang',
  'invalid-object',
  'unescaped-string',
  'token-rejected',
  'token-literalized',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The outcomes that fail the suite. */
export const BAD_OUTCOMES: readonly Outcome[] = ['other-exception', 'hang', 'invalid-object', 'unescaped-string', 'token-rejected', 'token-literalized'];

/** A generated case: the props (with placeholders), the environment it runs in, and what was mutated. */
export interface FuzzCase {
  /** How the case was made from the valid base (see mutate.ts). */
  readonly mode: 'valid' | 'token' | 'value' | 'shape';
  readonly props: unknown;
  /** EnvironmentContext of the stack (undefined: none attached). */
  readonly context?: Record<string, unknown>;
  /** The mutations applied to the valid base, for the report (`containers[0].name <- value "..."`). */
  readonly mutations: readonly string[];
  /** The categories of those mutations. */
  readonly categories: readonly MutationCategory[];
}

/**
 * A JSON-safe description of a value: `undefined`, NaN, ±Infinity, -0, bigint, functions and
 * symbols are spelled out, long strings are shortened (with their length), placeholders print as
 * `$token` / `$ref`, and own `__proto__` keys are kept.
 */
export function describeJson(value: unknown, depth = 0): unknown {
  if (value === undefined) return '<undefined>';
  if (value === null) return null;
  if (value instanceof FuzzToken || value instanceof FuzzRef) return value.toJSON();
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return '<NaN>';
      if (value === Infinity) return '<Infinity>';
      if (value === -Infinity) return '<-Infinity>';
      if (Object.is(value, -0)) return '<-0>';
      return value;
    case 'bigint':
      return `<bigint ${value}>`;
    case 'function':
      return '<function>';
    case 'symbol':
      return `<${String(value)}>`;
    case 'string':
      return value.length > 200 ? `${value.slice(0, 80)}...<${value.length} chars>` : value;
    case 'boolean':
      return value;
    default:
      break;
  }
  if (depth > 12) return '<deep>';
  if (Array.isArray(value)) {
    const items = value.slice(0, 20).map((v) => describeJson(v, depth + 1));
    if (value.length > 20) items.push(`<${value.length - 20} more>`);
    return items;
  }
  if (value instanceof Date) return `<Date ${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()}>`;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(value as object);
  for (const k of keys.slice(0, 40)) {
    Object.defineProperty(out, k, { value: describeJson((value as Record<string, unknown>)[k], depth + 1), enumerable: true, writable: true, configurable: true });
  }
  if (keys.length > 40) out['<more keys>'] = keys.length - 40;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null && proto?.constructor?.name) out['<class>'] = proto.constructor.name;
  return out;
}

/** A case as one JSON text for a report. */
export function describeCase(c: FuzzCase): string {
  return JSON.stringify({ mode: c.mode, mutations: c.mutations, props: describeJson(c.props), context: describeJson(c.context) }, null, 2);
}
