/**
 * The one error type every construct throws for bad input.
 *
 * A ValidationError always says four things: where (the construct path), which
 * prop (the field, as a dotted path such as `containers[0].minimumMemory`), what
 * was given (the value seen) and what would be accepted (the fix). The message is
 * built from those parts so that a CI log line alone is enough to correct the code.
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

/** Render a value for an error message: short, single line, never `[object Object]`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
