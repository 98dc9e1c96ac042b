/**
 * Turns the ajv-style errors of the kubernetes-models compiled validators into
 * SchemaProblems with readable messages.
 */
import type { SchemaProblem } from './problem';
import { escapePointer, valueAt } from './problem';

/** The shape of one error from an ajv-compiled validate function. */
export interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  schemaPath?: string;
  message?: string;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** `string "3"`, `number 1.5`, `boolean true`, `object`, `array`, `null`. */
export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return `${typeof value} ${preview(value)}`;
    case 'undefined':
      return 'nothing';
    default:
      return typeof value;
  }
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function typeList(t: unknown): string[] {
  return Array.isArray(t) ? t.map(String) : [String(t)];
}

const FORMAT_TEXT: Record<string, string> = {
  int32: 'must be a whole number that fits in 32 bits (-2147483648 to 2147483647)',
  int64: 'must be a whole number that fits in 64 bits',
  byte: 'must be base64-encoded',
  'date-time': 'must be an RFC 3339 date-time such as "2024-01-31T12:00:00Z"',
};

const QUANTITY_HINT = 'must be a number or a string such as "250m", "0.5", "128Mi", "2Gi" or "1e3"';

function messageFor(e: AjvError, value: unknown): string {
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `missing required field "${String(p.missingProperty)}"`;
    case 'type': {
      const types = typeList(p.type);
      return `wrong type: expected ${types.join(' or ')}, got ${describeJsonType(value)}`;
    }
    case 'enum':
    case 'const': {
      const allowed = (e.keyword === 'enum' ? (p.allowedValues as unknown[]) : [p.allowedValue]) ?? [];
      const near = typeof value === 'string' ? allowed.find((a) => typeof a === 'string' && a.toLowerCase() === value.toLowerCase()) : undefined;
      return `unsupported value ${preview(value)}: must be ${allowed.length === 1 ? '' : 'one of '}${allowed.map(preview).join(', ')}${near !== undefined ? ` (did you mean ${preview(near)}?)` : ''}`;
    }
    case 'format': {
      const f = String(p.format);
      if (f === 'quantity') return `invalid quantity ${preview(value)}: ${QUANTITY_HINT}`;
      return `invalid value ${preview(value)}: ${FORMAT_TEXT[f] ?? `must be in the "${f}" format`}`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `out of range: must be ${String(p.comparison)} ${String(p.limit)}, got ${preview(value)}`;
    case 'minLength':
    case 'maxLength':
      return `${e.keyword === 'minLength' ? 'too short' : 'too long'}: must have ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} characters`;
    case 'minItems':
    case 'maxItems':
      return `${e.keyword === 'minItems' ? 'too few' : 'too many'} items: must have ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)}`;
    case 'pattern':
      return `invalid value ${preview(value)}: must match ${String(p.pattern)}`;
    case 'additionalProperties':
      return `unknown field "${String(p.additionalProperty)}"`;
    default:
      return `${e.keyword} constraint failed${e.message ? `: ${e.message}` : ''} (${preview(p)})`;
  }
}

/** A message for a failed oneOf/anyOf from the errors of its alternatives. */
function alternativesMessage(value: unknown, subs: AjvError[]): string {
  const subTypes = subs.filter((s) => s.keyword === 'type').map((s) => typeList(s.params.type).join());
  // A Quantity is the only `number | string (format quantity)` alternative in the Kubernetes schemas.
  const isQuantity =
    subs.some((s) => s.keyword === 'format' && s.params.format === 'quantity') ||
    (subTypes.length === 2 && subTypes.includes('number') && subTypes.includes('string'));
  if (isQuantity) {
    return typeof value === 'string' ? `invalid quantity ${preview(value)}: ${QUANTITY_HINT}` : `invalid quantity: ${QUANTITY_HINT}, got ${describeJsonType(value)}`;
  }
  const types: string[] = [];
  for (const s of subs) if (s.keyword === 'type') for (const t of typeList(s.params.type)) if (!types.includes(t)) types.push(t);
  if (types.length > 0 && subs.every((s) => s.keyword === 'type' || s.keyword === 'format')) {
    const wanted = types.sort().map(article).join(' or ');
    return `wrong type: expected ${wanted}, got ${describeJsonType(value)}`;
  }
  return `does not match any allowed form: ${subs.map((s) => messageFor(s, valueAt(value, s.instancePath))).join('; ')}`;
}

/**
 * Maps ajv errors to problems: one per offending path (the first, most specific error
 * wins), alternatives (IntOrString, Quantity) folded into one message.
 */
export function ajvErrorsToProblems(errors: readonly AjvError[], root: unknown): SchemaProblem[] {
  const alternatives = new Map<string, AjvError[]>();
  for (const e of errors) if (e.keyword === 'oneOf' || e.keyword === 'anyOf') alternatives.set(e.instancePath, []);
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
    const group = alternatives.get(e.instancePath);
    if (group) group.push(e);
  }
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const isAlt = e.keyword === 'oneOf' || e.keyword === 'anyOf';
    if (!isAlt && alternatives.has(e.instancePath)) continue;
    let path = e.instancePath;
    if (e.keyword === 'required') path = `${path}/${escapePointer(String(e.params.missingProperty))}`;
    else if (e.keyword === 'additionalProperties') path = `${path}/${escapePointer(String(e.params.additionalProperty))}`;
    if (seen.has(path)) continue;
    seen.add(path);
    const value = valueAt(root, path);
    const message = isAlt ? alternativesMessage(value, alternatives.get(e.instancePath) ?? []) : messageFor(e, value);
    out.push({ path, message, value });
  }
  return out;
}
