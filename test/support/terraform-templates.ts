/**
 * Terraform's reading of the strings in a JSON configuration: every string is a template, in
 * which `${...}` is an interpolation, `%{...}` a directive, and `$${` / `%%{` the escapes for a
 * literal `${` / `%{`. Tests use it to check that what the library writes means what the user
 * wrote: the real CLIs then confirm it (`test/hardening-escaping.test.ts` applies such strings).
 */

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'interpolation' | 'directive'; readonly body: string; readonly at: number };

/** The parts of a template string, as HCL's template scanner splits it. */
export function scanTemplate(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') {
      text += `${c}{`;
      i += 3;
    } else if ((c === '$' || c === '%') && s[i + 1] === '{') {
      if (text) parts.push({ kind: 'literal', text });
      text = '';
      const end = endOfExpression(s, i + 2);
      parts.push({ kind: c === '$' ? 'interpolation' : 'directive', body: s.slice(i + 2, end - 1), at: i });
      i = end;
    } else {
      text += c;
      i += 1;
    }
  }
  if (text) parts.push({ kind: 'literal', text });
  return parts;
}

/** Index just past the `}` that closes the expression starting at `from`. */
function endOfExpression(s: string, from: number): number {
  let depth = 1;
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '"') {
      i = endOfQuoted(s, i + 1);
      continue;
    }
    if (c === '{') depth += 1;
    if (c === '}') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return s.length;
}

/** Index just past the `"` that closes a quoted string (with its own templates) starting at `from`. */
function endOfQuoted(s: string, from: number): number {
  let i = from;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && s[i + 1] === c && s[i + 2] === '{') i += 3;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') i = endOfExpression(s, i + 2);
    else i += 1;
  }
  return s.length;
}

/**
 * The value Terraform gives a template string that holds no interpolation or directive (the
 * escapes decoded; `${"$"}`, the library's way of writing a `$` before an interpolation, read
 * as the text it is); throws when it holds any other, naming it.
 */
export function templateValue(s: string): string {
  return scanTemplate(s)
    .map((p) => {
      if (p.kind === 'literal') return p.text;
      const quoted = /^"([$%#&]+)"$/.exec(p.body);
      if (p.kind === 'interpolation' && quoted) return quoted[1];
      throw new Error(`${JSON.stringify(s)} holds a ${p.kind} at ${p.at}: ${p.kind === 'interpolation' ? '${' : '%{'}${p.body}}`);
    })
    .join('');
}

/** Every interpolation and directive in the strings (values and keys) of a JSON value, with where it is. */
export function templateExpressions(value: unknown, at = ''): Array<{ at: string; kind: string; body: string; text: string }> {
  if (typeof value === 'string') {
    return scanTemplate(value).flatMap((p) => (p.kind === 'literal' ? [] : [{ at, kind: p.kind, body: p.body, text: value }]));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => templateExpressions(v, `${at}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) => k !== '//')
      .flatMap(([k, v]) => [...templateExpressions(k, `${at}.<key>`), ...templateExpressions(v, `${at}.${k}`)]);
  }
  return [];
}

/**
 * An interpolation the library or CDKTF writes on purpose: a reference (`var.x`,
 * `aws_s3_bucket.b.arn`, `each.value`), a function call, a parenthesized or `for` expression,
 * or a `$`/`%`/`#`/`&` written as an interpolation of itself (what keeps a literal `$` right before an
 * interpolation from reading as the `$${` escape, and text shaped like a CDKTF list token marker,
 * `#{TfToken[`, from reading as one).
 */
const EXPRESSION = /^~?\s*([([{]|[A-Za-z_][\w-]*\s*[.([]|"[$%#&]+"\s*$)/;

/**
 * Strings that Terraform would read as a template but that are not meant as one: a `${` that
 * does not start a reference or an expression (`${var.x}`, `${aws_s3_bucket.b.arn}`,
 * `${replace(...)}`, `${(a * b)}`, `${[ for ... ]}`), or any `%{`. Escaped text (`$${`, `%%{`) is
 * fine. Construct metadata (`//`) is left out.
 */
export function unescapedTemplates(value: unknown, at = ''): string[] {
  return templateExpressions(value, at)
    .filter((e) => e.kind === 'directive' || !EXPRESSION.test(e.body))
    .map((e) => {
      const opener = e.kind === 'directive' ? '%{' : '${';
      const index = e.text.indexOf(`${opener}${e.body}`);
      return `${e.at}: ${e.text.slice(Math.max(0, index - 20), index + 30)}`;
    });
}
