/**
 * The checks the fuzz runner applies to a synthesized stack (Terraform JSON from
 * `stack.toTerraform()`):
 * - `templateProblems`: every string is escaped for Terraform templates: no `%{` directive, no
 *   `${` that is not an expression, and every reference in an expression (`var.x`, `local.x`,
 *   `data.t.n`, `<resource type>.<name>`) names something the stack declares; a variable must be
 *   one the case created for a token. User text read as a reference would fail this.
 * - `apiView`: a Kubernetes object as the API server receives it (escapes decoded; strings
 *   holding an expression replaced by a token marker, so the validators skip them).
 * - `tokenReferences`: which of the case's variables the output refers to.
 */
import { Lazy, Token } from 'cdktf';
import { scanTemplate, templateExpressions, unescapedTemplates } from '../support/terraform-templates';

type Json = any;

/** Parts of an expression body: its code outside quoted strings, and the quoted strings (escapes undone). */
function splitExpression(body: string): { code: string; quoted: string[] } {
  let code = '';
  const quoted: string[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== '"') {
      code += c;
      i += 1;
      continue;
    }
    // a quoted string: up to the closing quote, skipping escapes and nested templates
    let j = i + 1;
    let text = '';
    while (j < body.length && body[j] !== '"') {
      if (body[j] === '\\') {
        text += body.slice(j, j + 2);
        j += 2;
      } else if ((body[j] === '$' || body[j] === '%') && body[j + 1] === '{' && body[j - 1] !== body[j]) {
        const end = closeBrace(body, j + 2);
        text += body.slice(j, end);
        j = end;
      } else {
        text += body[j];
        j += 1;
      }
    }
    quoted.push(text);
    code += '""';
    i = j + 1;
  }
  return { code, quoted };
}

/** Index just past the `}` closing a `${`/`%{` opened before `from` (quotes respected). */
function closeBrace(s: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < s.length) {
    if (s[i] === '"') {
      i += 1;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (s[i] === '{') depth += 1;
    else if (s[i] === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return s.length;
}

export interface References {
  readonly vars: Set<string>;
  readonly problems: string[];
}

const RESOURCE_TYPE = /^(aws|kubernetes|helm|terraform|random|time|null|tls|archive|external|http|local|cloudinit)_\w*$/;

/** Check an expression body (and the templates in its quoted strings) against what the stack declares. */
function checkExpression(body: string, at: string, json: Json, refs: References, depth = 0): void {
  if (/^"[$%#&]+"$/.test(body.trim())) return; // `${"$"}`: a literal `$` (or `%`, `#`) written as an interpolation
  const { code, quoted } = splitExpression(body);
  for (const q of quoted) {
    for (const part of scanTemplate(q)) {
      if (part.kind === 'directive') refs.problems.push(`${at}: directive %{${part.body}} inside an expression`);
      else if (part.kind === 'interpolation' && depth < 5) checkExpression(part.body, at, json, refs, depth + 1);
    }
  }
  let rest = code;
  rest = rest.replace(/\bdata\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)/g, (_m, type: string, name: string) => {
    if (!json.data?.[type]?.[name]) refs.problems.push(`${at}: reference to data.${type}.${name}, which the stack does not declare`);
    return '';
  });
  rest = rest.replace(/\bvar\.([A-Za-z_][\w-]*)/g, (_m, name: string) => {
    if (!json.variable?.[name]) refs.problems.push(`${at}: reference to var.${name}, which the stack does not declare`);
    refs.vars.add(name);
    return '';
  });
  rest = rest.replace(/\blocal\.([A-Za-z_][\w-]*)/g, (_m, name: string) => {
    if (json.locals?.[name] === undefined) refs.problems.push(`${at}: reference to local.${name}, which the stack does not declare`);
    return '';
  });
  rest.replace(/(?<![\w.])([a-z][a-z0-9]*_[\w]*)\.([A-Za-z_][\w-]*)/g, (m, type: string, name: string) => {
    if (RESOURCE_TYPE.test(type) && !json.resource?.[type]?.[name]) refs.problems.push(`${at}: reference to ${type}.${name}, which the stack does not declare`);
    return m;
  });
}

/** Where a string of the stack is unescaped template text, or a reference to nothing; and which variables are referred to. */
export function templateProblems(json: Json): References {
  const refs: References = { vars: new Set(), problems: [] };
  const scanned: Json = { ...json };
  delete scanned.variable; // variable blocks are the raw Terraform layer
  delete scanned['//'];
  for (const problem of unescapedTemplates(scanned)) refs.problems.push(`unescaped template: ${problem}`);
  for (const e of templateExpressions(scanned)) {
    if (e.kind === 'interpolation') checkExpression(e.body, e.at, json, refs);
  }
  return refs;
}

/** Markers of live CDKTF tokens (resolving to nothing), reused: the n-th one stands for the n-th expression key of an object. */
const LIVE: string[] = [];
function liveMarker(n: number): string {
  while (LIVE.length <= n) LIVE.push(Token.asString(Lazy.stringValue({ produce: () => '' })));
  return LIVE[n];
}

/**
 * The object as the API server receives it: each string's template escapes decoded, and a
 * string (or key) holding an expression replaced by the marker of a live CDKTF token, so that
 * `validateKubernetesObject` and the API-server checker treat it as a deploy-time value.
 */
export function apiView(value: unknown): unknown {
  if (typeof value === 'string') return viewString(value, 0);
  if (Array.isArray(value)) return value.map(apiView);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    let keys = 0;
    for (const [k, v] of Object.entries(value)) {
      const key = viewString(k, keys);
      if (key !== k && isExpression(k)) keys += 1;
      Object.defineProperty(out, key, { value: apiView(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

function isExpression(s: string): boolean {
  return s.indexOf('{') !== -1 && scanTemplate(s).some((p) => p.kind !== 'literal' && !(p.kind === 'interpolation' && /^"[$%#&]+"$/.test(p.body)));
}

function viewString(s: string, n: number): string {
  if (s.indexOf('{') === -1) return s;
  const parts = scanTemplate(s);
  if (isExpression(s)) return liveMarker(n);
  return parts.map((p) => (p.kind === 'literal' ? p.text : (/^"([$%#&]+)"$/.exec(p.body)![1]))).join('');
}

/** Every kubernetes_manifest body of the stack, with the resource's logical id. */
export function manifestsOf(json: Json): Array<{ id: string; manifest: Json }> {
  return Object.entries<Json>(json.resource?.kubernetes_manifest ?? {}).map(([id, r]) => ({ id, manifest: r.manifest }));
}
