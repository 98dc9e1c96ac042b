import {
  Fn, IResolvable, IResolveContext, TerraformDataSource, TerraformElement, TerraformLocal, TerraformModule, TerraformOutput,
  TerraformProvider, TerraformResource, Token, Tokenization,
} from 'cdktf';

/**
 * Terraform reads every string in its JSON configuration as a template: `${...}` is an
 * interpolation and `%{...}` a directive. Kubernetes objects, Helm values, Secret data, IAM
 * policies, tags and descriptions are full of such text meant literally (`sh -c 'echo ${HOME}'`,
 * nginx's `${host}`, IAM's `${aws:username}`), which would fail at plan or, worse, be
 * substituted (`extraOriginHeaders: { 'X-Verify': '${var.db_password}' }` would send a secret).
 *
 * ## One path
 *
 * Escaping is not left to each construct. Loading this module (every construct does, through
 * `core/validation`) wraps, once per process, the step where CDKTF turns an element into its
 * Terraform JSON: the attributes a resource, data source or provider synthesizes, the inputs of
 * a module call, the value of a local, the value of an output pass through
 * `escapeTerraformTemplates` on
 * their way to `cdk.tf.json`. Every string in them (values and object keys, at any depth) has
 * its literal `${` and `%{` escaped (`$${`, `%%{`); CDKTF tokens are kept. So every resource any
 * construct creates (future ones included, and the app's own) is covered by construction.
 *
 * Not escaped, on purpose:
 * - tokens (`variable.stringValue`, `resource.arn`, `Fn.*`, `Fn.rawString`, `Lazy` values): they
 *   are Terraform expressions by definition. In a string that mixes text and tokens only the
 *   text is escaped;
 * - `addOverride(...)` values, meta-arguments (`depends_on`, `lifecycle`, `count`, `for_each`)
 *   and variables (their `validation` conditions are expressions): the raw Terraform layer;
 * - what Terraform itself reads literally: a variable's `default` and `description`, an output's
 *   `description`, a module's `source` and `version` (escaping would change the text);
 * - the elements given to `allowTerraformTemplates(element)`: an app's own resource that writes
 *   Terraform syntax by hand.
 *
 * Values are literal: text already escaped for Terraform (`$${x}`) is escaped again and reaches
 * the API as `$${x}`. Escaping happens only here, so nothing is escaped twice.
 */

/** A template opener that is not a CDKTF token marker. */
const TEMPLATE_OPENER = /\$\{(?!TfToken\[)|%\{/g;
/** A CDKTF string token marker (the same pattern CDKTF's resolver splits on). */
const TOKEN_MARKER = /\$\{TfToken\[[a-zA-Z0-9:._-]+\]\}/g;

/**
 * The string with its literal `${` and `%{` escaped for Terraform (`$${`, `%%{`); CDKTF token
 * markers are kept. Values are literal: text already escaped for Terraform (`$${x}`) is escaped
 * again and reaches the API as `$${x}`. The library applies it to everything it writes (see
 * the module comment); call it yourself only for text that goes somewhere else.
 *
 * @group Core
 */
export function escapeTerraformTemplate(text: string): string {
  if (text.indexOf('{') === -1) return text;
  return text.replace(TEMPLATE_OPENER, (opener) => (opener === '%{' ? '%%{' : '$${'));
}

/**
 * `escapeTerraformTemplate` applied to every string (values and object keys) of a JSON-like
 * value. Copy on write: a part with nothing to escape is returned as is (the same reference),
 * so the common case allocates nothing. Tokens and non-plain objects are kept.
 *
 * A string that mixes text and tokens is escaped at synth, when its tokens are resolved (it is
 * replaced by a token that joins the escaped text and the rendered tokens), so that neither
 * CDKTF's own reading of `${` next to a token nor a `$` written right before a token can turn
 * the escaped text back into an interpolation.
 *
 * @group Core
 */
export function escapeTerraformTemplates<T>(value: T): T {
  return escapeValue(value) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeString(value);
  if (Array.isArray(value)) {
    // A list token (`TerraformVariable.listValue`) is an array of one `#{TfToken[...]}` marker,
    // which holds nothing to escape: it goes through unchanged like any string without `${`/`%{`.
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const escaped = escapeValue(item);
      if (escaped !== item && !out) out = value.slice(0, i);
      if (out) out.push(escaped);
    }
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    const source = value as Record<string, unknown>;
    const keys = Object.keys(source);
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = source[k];
      const key = escapeString(k);
      const val = escapeValue(v);
      if (!out && (key !== k || val !== v)) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = source[keys[j]];
      }
      if (out) out[key] = val;
    }
    return out ?? value;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Text parts and the tokens between them. */
type Part = { readonly text: string } | { readonly token: IResolvable };

/** Mixed strings already turned into a joining token: the same text gives the same token. */
const MIXED = new Map<string, string>();

/**
 * Every `${` and `%{` escaped, for text known to hold no live string token. Text that looks like a
 * CDKTF token marker but names no token (`${TfToken[X]}` typed by a user) is written as
 * `${"$"}{TfToken[X]}`: the same value for Terraform, and nothing CDKTF's resolver would try to
 * look up (`$${TfToken[X]}` still contains the marker, and an unknown one makes it throw). The
 * same for text shaped like a list or map token marker that names no token (`#{TfToken[X]}`,
 * `&{TfToken[X]}`, written `${"#"}{TfToken[X]}`): CDKTF's resolver throws on them ("encoded list
 * token string in a scalar string context", "Cannot add elements to list token", "Unrecognized
 * Token Key"). A run of `$` right before such a marker goes inside the interpolation
 * (`${"$$"}{TfToken[X]}`), or it would form the `$${` escape with it. (The list and map markers
 * and the `$` run were found by the fuzz suite, test/fuzz/.)
 */
function escapeLiteral(text: string): string {
  if (text.indexOf('{') === -1) return text;
  return text.replace(/(\$*)([$#&])\{(?=TfToken\[)|\$\{|%\{/g, (opener: string, run: string | undefined, head: string | undefined, offset: number) => {
    if (head === undefined) return opener === '%{' ? '%%{' : '$${';
    // a live list or map token (TerraformVariable.listValue's element) is kept: it is not text
    if (head !== '$') {
      const key = /^\{TfToken\[([a-zA-Z0-9:._-]+)\]\}/.exec(text.slice(offset + opener.length - 1))?.[1];
      if (key !== undefined && liveToken(`\${TfToken[${key}]}`) !== undefined) return opener;
    }
    return `\${"${run}${head}"}{`;
  });
}

/** The token a marker names, or undefined when it names none. */
function liveToken(marker: string): IResolvable | undefined {
  try {
    return Tokenization.reverseString(marker).firstToken;
  } catch {
    return undefined; // CDKTF throws for a key it never issued
  }
}

function escapeString(text: string): string {
  if (text.indexOf('{') === -1) return text;
  if (text.indexOf('${TfToken[') === -1) return escapeLiteral(text);
  const cached = MIXED.get(text);
  if (cached !== undefined) return cached;
  const parts: Part[] = [];
  let last = 0;
  let risky = false;
  for (const m of text.matchAll(TOKEN_MARKER)) {
    const token = liveToken(m[0]);
    if (!token) continue; // marker-like text that names no token: plain text (escaped)
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ token });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  if (!parts.some((p) => 'token' in p)) return escapeLiteral(text);
  for (const p of parts) {
    if ('text' in p && (p.text.includes('{') || p.text.endsWith('$') || p.text.endsWith('%'))) risky = true;
  }
  // Text without `{` and not ending in `$`/`%` next to tokens: CDKTF renders it as written.
  if (!risky) return text;
  const result = Token.asString(new EscapedTemplate(parts));
  MIXED.set(text, result);
  return result;
}

/**
 * A string of text and tokens, rendered at synth: the text escaped, each token resolved, joined
 * so that no `$`/`%` of one part and `{` of the next form a template opener.
 */
class EscapedTemplate implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly parts: readonly Part[]) {}

  public resolve(context: IResolveContext): string {
    let out = '';
    for (const part of this.parts) {
      const piece = 'text' in part ? escapeLiteral(part.text) : String(context.resolve(part.token));
      out = joinTemplateParts(out, piece);
    }
    return out;
  }

  public toString(): string {
    return Token.asString(this);
  }
}

/**
 * `left + right` as Terraform template text, keeping both parts' meaning: a `$` or `%` that
 * ends `left` would open a template with a `{` that starts `right` (and `$` + `${` would read
 * as the `$${` escape), so the run of `$`/`%` that ends `left` is written as an interpolation of
 * itself (`${"$"}`), which no neighbouring character can change.
 */
export function joinTemplateParts(left: string, right: string): string {
  const end = left.charAt(left.length - 1);
  const opens = (end === '$' && (right.startsWith('{') || right.startsWith('${'))) || (end === '%' && right.startsWith('{'));
  if (!opens) return `${left}${right}`;
  const run = /[$%]+$/.exec(left)![0];
  return `${left.slice(0, -run.length)}\${"${run}"}${right}`;
}

/**
 * Text for an argument of a Terraform function (`Fn.*`) that the library builds from user text.
 * CDKTF writes a literal argument as a quoted HCL string escaping only newlines and `${` (a `"`,
 * a `\` or a `%{` in it breaks or changes the expression), and renders a string that mixes text
 * and tokens through its own escape handling, with a warning on every synth. So text is given as
 * a complete HCL string literal, and a mixed string as `join("", [text, token, ...])`.
 */
export function functionArgument(text: string): string {
  if (typeof text !== 'string') return text;
  if (text.indexOf('${TfToken[') === -1) return needsHclEscape(text) ? Token.asString(new HclStringLiteral(text)) : text;
  const live = [...text.matchAll(TOKEN_MARKER)].filter((m) => liveToken(m[0]) !== undefined);
  if (live.length === 0) return Token.asString(new HclStringLiteral(text)); // marker-like text only
  const parts: string[] = [];
  let last = 0;
  for (const m of live) {
    if (m.index > last) parts.push(functionArgument(text.slice(last, m.index)));
    parts.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push(functionArgument(text.slice(last)));
  return parts.length === 1 ? parts[0] : Fn.join('', parts);
}

function needsHclEscape(text: string): boolean {
  return /["\\\n\r\t]|[$%]\{/.test(text);
}

/** A literal string inside a Terraform expression: `"..."` with every HCL escape it needs. */
class HclStringLiteral implements IResolvable {
  public readonly creationStack: string[] = [];

  constructor(private readonly text: string) {}

  public resolve(context: IResolveContext): string {
    const body = escapeLiteral(this.text.replace(/[\\"\n\r\t]/g, (c) => HCL_ESCAPES[c]));
    // Inside an expression (a function argument) the literal needs its quotes; as a whole
    // attribute value it is template text.
    return context.suppressBraces ? `"${body}"` : escapeLiteral(this.text);
  }

  public toString(): string {
    return Token.asString(this);
  }
}

const HCL_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// ---- the one path: installed on CDKTF's element classes ----

const RAW = new WeakSet<object>();

/**
 * Write the strings of this element as given: `${...}` and `%{...}` in them are Terraform
 * syntax, as in plain CDKTF. For an app's own resource that writes expressions by hand; the
 * library never uses it.
 *
 * @group Core
 */
export function allowTerraformTemplates(element: TerraformElement): void {
  RAW.add(element);
}

/** False for an element given to `allowTerraformTemplates`: its strings are written as given. */
export function escapesTemplates(element: TerraformElement): boolean {
  return !RAW.has(element);
}

const INSTALLED = Symbol.for('cdktf-golden-path.terraform-escaping');

type AttributeMethod = 'synthesizeAttributes' | 'synthesizeHclAttributes';
type SynthMethod = 'toTerraform' | 'toHclTerraform';

/**
 * Runs `synth` with the element's `method` returning escaped attributes. The override is an
 * own property of the instance for the duration of the call only, so a subclass's own
 * `synthesizeAttributes` (every generated provider class has one) is what gets escaped.
 */
function withEscapedAttributes<T>(element: any, method: AttributeMethod, literalKeys: readonly string[], synth: () => T): T {
  if (RAW.has(element)) return synth();
  const own = Object.getOwnPropertyDescriptor(element, method);
  const original = element[method] as () => unknown;
  Object.defineProperty(element, method, {
    configurable: true,
    writable: true,
    value: function escapedAttributes(this: unknown) {
      const attributes = original.call(this);
      const escaped = escapeTerraformTemplates(attributes) as Record<string, unknown>;
      if (escaped === attributes || !literalKeys.some((k) => attributes && typeof attributes === 'object' && k in attributes)) return escaped;
      const out = { ...escaped };
      for (const k of literalKeys) if (k in (attributes as object)) out[k] = (attributes as Record<string, unknown>)[k];
      return out;
    },
  });
  try {
    return synth();
  } finally {
    if (own) Object.defineProperty(element, method, own);
    else delete element[method];
  }
}

/**
 * Attributes that Terraform reads as literal text, not as templates (checked with both CLIs):
 * an output's `description`, a module call's `source` and `version`. Escaping them would change
 * the text.
 */
const LITERAL_ATTRIBUTES = new Map<unknown, readonly string[]>([
  [TerraformOutput, ['description']],
  [TerraformModule, ['source', 'version']],
]);

function wrapAttributes(cls: { prototype: object }, synth: SynthMethod, method: AttributeMethod): void {
  const literalKeys = LITERAL_ATTRIBUTES.get(cls) ?? [];
  const proto = cls.prototype as Record<SynthMethod, (...args: unknown[]) => unknown>;
  const original = proto[synth];
  if (typeof original !== 'function' || (original as any)[INSTALLED]) return;
  const wrapped = function (this: object, ...args: unknown[]) {
    return withEscapedAttributes(this, method, literalKeys, () => original.apply(this, args));
  };
  (wrapped as any)[INSTALLED] = true;
  proto[synth] = wrapped;
}

function wrapLocal(synth: SynthMethod): void {
  const proto = TerraformLocal.prototype as unknown as Record<SynthMethod, (...args: unknown[]) => any>;
  const original = proto[synth];
  if (typeof original !== 'function' || (original as any)[INSTALLED]) return;
  const wrapped = function (this: TerraformLocal, ...args: unknown[]) {
    const out = original.apply(this, args);
    if (RAW.has(this) || !out?.locals) return out;
    const locals: Record<string, any> = {};
    for (const [id, entry] of Object.entries(out.locals as Record<string, any>)) {
      locals[id] = synth === 'toHclTerraform' && entry && typeof entry === 'object' && 'value' in entry
        ? { ...entry, value: escapeTerraformTemplates(entry.value) }
        : escapeTerraformTemplates(entry);
    }
    return { ...out, locals };
  };
  (wrapped as any)[INSTALLED] = true;
  proto[synth] = wrapped;
}

/**
 * Install the one escaping path on CDKTF's element classes (idempotent). Called when this
 * module loads; exported so that a test can assert it is in place.
 */
export function installTerraformEscaping(): void {
  for (const cls of [TerraformResource, TerraformDataSource, TerraformProvider, TerraformOutput, TerraformModule]) {
    wrapAttributes(cls, 'toTerraform', 'synthesizeAttributes');
    wrapAttributes(cls, 'toHclTerraform', 'synthesizeHclAttributes');
  }
  wrapLocal('toTerraform');
  wrapLocal('toHclTerraform');
}

/** True when `installTerraformEscaping` has wrapped the element classes of this copy of CDKTF. */
export function terraformEscapingInstalled(): boolean {
  return [TerraformResource, TerraformDataSource, TerraformProvider, TerraformOutput, TerraformModule, TerraformLocal]
    .every((cls) => (cls.prototype.toTerraform as any)[INSTALLED] === true);
}

installTerraformEscaping();
