/**
 * The one error type every construct throws for bad input.
 *
 * A ValidationError always says four things: where (the construct path), which
 * prop (the field, as a dotted path such as `containers[0].minimumMemory`), what
 * was given (the value seen) and what would be accepted (the fix). The message is
 * built from those parts so that a CI log line alone is enough to correct the code.
 *
 * @group Core
 */
export class ValidationError extends Error {
  /** Construct path, e.g. `production/api/Deployment`, or `<model>` when raised outside a construct. */
  public readonly path: string;
  /** The offending prop, as a dotted path (`containers[1].livenessProbeType`). */
  public readonly field: string;
  /** The value that was given (as passed; printed with JSON.stringify). */
  public readonly value: unknown;
  /** What is allowed, and how to fix it. */
  public readonly fix: string;

  constructor(args: { path: string; field: string; value: unknown; fix: string; reason?: string }) {
    const reason = args.reason ? `: ${args.reason}` : ' is invalid';
    super(`[${args.path}] ${args.field} = ${describeValue(args.value)}${reason}. Fix: ${args.fix}`);
    this.name = 'ValidationError';
    this.path = args.path;
    this.field = args.field;
    this.value = args.value;
    this.fix = args.fix;
    Object.setPrototypeOf(this, ValidationError.prototype);
  }
}

/**
 * Render a value for an error message: short, single line, never `[object Object]`. JSON where the
 * value is JSON (`"x"`, `[1,2]`, `{"a":1}`), and what JSON cannot say spelled out: `NaN`,
 * `Infinity`, `-Infinity`, `undefined`, `5n`, `Symbol(x)`, `[function name]`, `[Circular]`,
 * `Map(1) {"a" => 1}`, `Set(2) {1, 2}`, `Date 2024-01-01T00:00:00.000Z`, `Foo {"a":1}` for an
 * instance of a class Foo. Long values are cut at 120 characters; huge ones are never walked whole.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = render(value, new Set(), { left: 400 });
  } catch {
    text = '<unprintable value>';
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `budget.left`: characters still worth producing; containers stop listing entries below zero. */
function render(value: unknown, seen: Set<object>, budget: { left: number }): string {
  const out = renderOne(value, seen, budget);
  budget.left -= out.length;
  return out;
}

function renderOne(value: unknown, seen: Set<object>, budget: { left: number }): string {
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return JSON.stringify(value.length > 400 ? value.slice(0, 400) : value);
    case 'number': return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case 'boolean': return String(value);
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'function': return `[function ${value.name || 'anonymous'}]`;
  }
  if (value === null) return 'null';
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  seen.add(obj);
  try {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date ${value.toISOString()}`;
    if (value instanceof RegExp) return String(value);
    if (value instanceof Error) return `${value.name}: ${value.message}`;
    if (value instanceof Map) return `Map(${value.size}) {${list(value.entries(), ([k, v]) => `${render(k, seen, budget)} => ${render(v, seen, budget)}`, budget)}}`;
    if (value instanceof Set) return `Set(${value.size}) {${list(value.values(), (v) => render(v, seen, budget), budget)}}`;
    if (Array.isArray(value)) {
      const items = (function* () {
        for (let i = 0; i < value.length; i++) yield i in value ? value[i] : EMPTY;
      })();
      return `[${list(items, (v) => (v === EMPTY ? '<empty>' : render(v, seen, budget)), budget, ',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    const plain = proto === null || proto === Object.prototype;
    if (plain || typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
      const entries = Object.entries(obj).filter(([, v]) => v !== undefined);
      const body = `{${list(entries.values(), ([k, v]) => `${JSON.stringify(k)}:${render(v, seen, budget)}`, budget, ',')}}`;
      const name = plain ? undefined : proto?.constructor?.name;
      return name ? `${name} ${body}` : body;
    }
    return render((value as { toJSON: () => unknown }).toJSON(), seen, budget);
  } finally {
    seen.delete(obj);
  }
}

const EMPTY = Symbol('empty');

/** Entries joined until the budget runs out (then `…`). */
function list<T>(items: Iterator<T>, show: (item: T) => string, budget: { left: number }, separator = ', '): string {
  const parts: string[] = [];
  for (let next = items.next(); !next.done; next = items.next()) {
    if (budget.left <= 0) {
      parts.push('…');
      break;
    }
    parts.push(show(next.value));
  }
  return parts.join(separator);
}

