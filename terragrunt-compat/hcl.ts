/**
 * A small, strict reader for the parts of terragrunt.hcl that Panfactum module directories
 * carry data in: `inputs = { ... }`, `locals { ... }`, `include` and `dependency` blocks, and a
 * literal `terraform { source = "..." }` (to recognise the module).
 *
 * The lexer understands all of HCL's lexical syntax (strings with `${...}` templates,
 * heredocs, the three comment styles), so every other block is skipped safely whatever it
 * contains. Values are literals (strings, numbers, booleans, null, lists, maps, nested objects)
 * and plain references (`local.x`, `dependency.x.outputs.y`, `include.x.locals.y`), kept as
 * {@link HclRef} for the caller to resolve. Any other expression (a function call, an operator, a
 * template, a `for`, an index) is refused with an {@link HclError} naming the file, the line
 * and the key; in `locals` the refusal is kept and only raised when the local is used.
 */

/** A refused or malformed terragrunt.hcl: names the file, the 1-based line and what is wrong. */
export class HclError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number,
    public readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'HclError';
    Object.setPrototypeOf(this, HclError.prototype);
  }
}

/** A reference (`local.x`, `dependency.x.outputs.y`, ...) in a value: the dotted parts and where it was written. */
export class HclRef {
  constructor(
    /** `['dependency', 'x', 'outputs', 'y']`. */
    public readonly parts: readonly string[],
    public readonly file: string,
    public readonly line: number,
  ) {}

  /** The reference as written, `dependency.x.outputs.y`. */
  public toString(): string {
    return this.parts.join('.');
  }
}

/** A value as read: plain data with {@link HclRef} leaves. */
export type HclValue = unknown;

/** A `locals` entry: its value, or the refusal to raise when it is used. */
export interface HclLocal {
  readonly line: number;
  readonly value?: HclValue;
  readonly error?: HclError;
}

/** An `include` block. */
export interface HclInclude {
  /** The label (`include "root"`); '' for the older unlabelled `include {}`. */
  readonly label: string;
  readonly line: number;
  /**
   * Where the included file is: `find_in_parent_folders()` (`find` with no name: the nearest
   * `terragrunt.hcl` above), `find_in_parent_folders("name")`, or a literal path.
   */
  readonly path: { readonly find: string | undefined } | { readonly literal: string };
  /** `expose = true`: the file's locals and inputs are visible as `include.<label>.locals.x`. */
  readonly expose: boolean;
  /** `merge_strategy`: `shallow` (terragrunt's default), `deep` or `no_merge`. */
  readonly mergeStrategy: 'shallow' | 'deep' | 'no_merge';
}

/** A `dependency` block. */
export interface HclDependency {
  readonly name: string;
  readonly line: number;
  /** `config_path`, as written (relative to the file's directory). */
  readonly configPath: string;
  /** `mock_outputs` when literal (only used for the types of remote-state reads). */
  readonly mockOutputs?: Record<string, unknown>;
  /** `skip_outputs = true`. */
  readonly skipOutputs: boolean;
}

/** A top-level attribute or block terragrunt-compat does not use (reported as a warning). */
export interface HclIgnored {
  readonly key: string;
  readonly line: number;
  readonly kind: 'attribute' | 'block';
}

/** What {@link parseTerragruntHcl} extracts. */
export interface TerragruntFile {
  /** The `inputs` attribute as plain data with {@link HclRef} leaves; undefined when the file has none. */
  readonly inputs?: Record<string, unknown>;
  /** Line of the `inputs` attribute. */
  readonly inputsLine?: number;
  /** The refusal of a non-literal `inputs` when the file was read with `lazyInputs` (a root file). */
  readonly inputsError?: HclError;
  /** `terraform { source = "..." }` when it is a literal string. */
  readonly terraformSource?: string;
  /** `locals { ... }` entries (every locals block of the file). */
  readonly locals: Readonly<Record<string, HclLocal>>;
  /** `include` blocks, in file order. */
  readonly includes: readonly HclInclude[];
  /** `dependency` blocks by name. */
  readonly dependencies: Readonly<Record<string, HclDependency>>;
  /** `dependencies { paths = [...] }` (ordering only). */
  readonly dependencyPaths: readonly string[];
  /** Top-level keys that are not used for conversion. */
  readonly ignored: readonly HclIgnored[];
}

/** Top-level keys {@link parseTerragruntHcl} reads. */
export const UNDERSTOOD_KEYS = ['inputs', 'locals', 'include', 'dependency', 'dependencies', 'terraform'] as const;

type TokenType = 'ident' | 'string' | 'template' | 'number' | 'punct' | 'newline' | 'eof';

interface Token {
  readonly type: TokenType;
  /** Identifier or punctuation text; decoded string content; number source. */
  readonly text: string;
  readonly line: number;
}

const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '=>', '...'];
const PUNCT1 = '{}[]()=,:.?!<>+-*/%&|';

/** Tokenise HCL source. Comments are dropped; newlines are kept (they end attributes). */
export function lexHcl(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const fail = (msg: string, at = line): never => {
    throw new HclError(file, at, msg);
  };

  /** Read a quoted string starting after the opening quote; returns decoded text and whether it is a template. */
  const readQuoted = (): { text: string; template: boolean } => {
    const start = line;
    let out = '';
    let template = false;
    for (;;) {
      if (i >= src.length) fail('unterminated string', start);
      const c = src[i];
      if (c === '"') {
        i++;
        return { text: out, template };
      }
      if (c === '\n') fail('newline in a quoted string (use a heredoc for multi-line text)', start);
      if (c === '\\') {
        const e = src[i + 1];
        const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
        if (e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' || e === 'U') {
          const len = e === 'u' ? 4 : 8;
          const hex = src.slice(i + 2, i + 2 + len);
          if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad escape \\${e}${hex}`);
          out += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + len;
        } else {
          fail(`unknown escape \\${e ?? ''} in a string`);
        }
        continue;
      }
      if ((c === '$' || c === '%') && src[i + 1] === c && src[i + 2] === '{') {
        out += `${c}{`;
        i += 3;
        continue;
      }
      if ((c === '$' || c === '%') && src[i + 1] === '{') {
        template = true;
        out += c;
        i++;
        out += skipTemplateExpression();
        continue;
      }
      out += c;
      i++;
    }
  };

  /** At a `{` that opens `${`/`%{`: consume up to the matching `}` (nested strings included); returns the raw text. */
  const skipTemplateExpression = (): string => {
    const begin = i;
    let depth = 0;
    for (;;) {
      if (i >= src.length) fail('unterminated template expression');
      const c = src[i];
      if (c === '\n') line++;
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          i++;
          return src.slice(begin, i);
        }
      } else if (c === '"') {
        i++;
        readQuoted();
        continue;
      }
      i++;
    }
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      tokens.push({ type: 'newline', text: '\n', line });
      line++;
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const start = line;
      const end = src.indexOf('*/', i + 2);
      if (end === -1) fail('unterminated /* comment', start);
      for (let k = i; k < end; k++) if (src[k] === '\n') line++;
      i = end + 2;
    } else if (c === '"') {
      const at = line;
      i++;
      const { text, template } = readQuoted();
      tokens.push({ type: template ? 'template' : 'string', text, line: at });
    } else if (c === '<' && src[i + 1] === '<' && /[-A-Za-z_]/.test(src[i + 2] ?? '')) {
      const at = line;
      const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(src.slice(i));
      if (!m) fail('malformed heredoc opener (expected <<EOF or <<-EOF followed by a newline)');
      const [opener, indent, marker] = m!;
      i += opener.length;
      line++;
      const lines: string[] = [];
      for (;;) {
        if (i >= src.length) fail(`unterminated heredoc (no closing ${marker})`, at);
        let nl = src.indexOf('\n', i);
        if (nl === -1) nl = src.length;
        const text = src.slice(i, nl).replace(/\r$/, '');
        i = nl;
        if (text.trim() === marker) break;
        lines.push(text);
        i++;
        line++;
      }
      let body = lines;
      if (indent === '-') {
        const widths = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
        const strip = widths.length > 0 ? Math.min(...widths) : 0;
        body = lines.map((l) => l.slice(Math.min(strip, /^[ \t]*/.exec(l)![0].length)));
      }
      const raw = body.map((l) => `${l}\n`).join('');
      const template = /(^|[^$])\$\{|(^|[^%])%\{/.test(raw);
      tokens.push({ type: template ? 'template' : 'string', text: raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'), line: at });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ type: 'number', text: m[0], line });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      tokens.push({ type: 'ident', text: m[0], line });
      i += m[0].length;
    } else {
      const two = PUNCT2.find((p) => src.startsWith(p, i));
      if (two) {
        tokens.push({ type: 'punct', text: two, line });
        i += two.length;
      } else if (PUNCT1.includes(c)) {
        tokens.push({ type: 'punct', text: c, line });
        i++;
      } else {
        fail(`unexpected character ${JSON.stringify(c)}`);
      }
    }
  }
  tokens.push({ type: 'eof', text: '', line });
  return tokens;
}

const LITERAL_ADVICE = 'terragrunt-compat reads literal values only: replace it with the value, or set the input in module.yaml';

const REF_ROOTS = ['local', 'dependency', 'include'];
const REF_ADVICE = 'terragrunt-compat reads literal values and the references local.<name>, dependency.<name>.outputs.<output> and include.<label>.locals.<name> / include.<label>.inputs.<name> only: replace it with a value, or set the input in module.yaml';

class Parser {
  private pos = 0;
  /** Accept plain references (as {@link HclRef}) in values. */
  public allowRefs = false;

  constructor(
    private readonly tokens: Token[],
    private readonly file: string,
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.pos++;
    return t;
  }

  private fail(t: Token, msg: string): never {
    throw new HclError(this.file, t.line, msg);
  }

  private skipNewlines(): void {
    while (this.peek().type === 'newline') this.pos++;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.type === 'punct' && t.text === p;
  }

  /** Parse a body (top level or inside a block) up to `}` or EOF, calling back for each attribute/block. */
  body(
    onAttribute: (name: Token, start: number) => void,
    onBlock: (type: Token, labels: string[]) => void,
    closing: boolean,
  ): void {
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.type === 'eof') {
        if (closing) this.fail(t, 'unexpected end of file: a block is not closed with "}"');
        return;
      }
      if (closing && this.isPunct(t, '}')) {
        this.next();
        return;
      }
      if (t.type !== 'ident') this.fail(t, `expected an attribute or block name, found ${describe(t)}`);
      this.next();
      const after = this.peek();
      if (this.isPunct(after, '=')) {
        this.next();
        onAttribute(t, this.pos);
        continue;
      }
      const labels: string[] = [];
      while (this.peek().type === 'string' || this.peek().type === 'ident') labels.push(this.next().text);
      if (!this.isPunct(this.peek(), '{')) this.fail(this.peek(), `expected "=" or "{" after "${t.text}", found ${describe(this.peek())}`);
      this.next();
      onBlock(t, labels);
    }
  }

  /** Skip an expression up to the end of its line (brackets balanced). */
  skipExpression(): void {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.type === 'eof') {
        if (depth > 0) this.fail(t, 'unexpected end of file inside brackets');
        return;
      }
      if (t.type === 'newline' && depth === 0) return;
      if (depth === 0 && this.isPunct(t, '}')) return;
      if (t.type === 'punct' && '([{'.includes(t.text)) depth++;
      if (t.type === 'punct' && ')]}'.includes(t.text)) depth--;
      this.next();
    }
  }

  /** Skip a block body after its `{`. */
  skipBlock(): void {
    this.body(
      () => this.skipExpression(),
      () => this.skipBlock(),
      true,
    );
  }

  at(pos: number): void {
    this.pos = pos;
  }

  /** The current token position (to come back to with {@link at}). */
  get position(): number {
    return this.pos;
  }

  /** A `find_in_parent_folders()` / `find_in_parent_folders("name")` call, or a literal string path. */
  includePath(where: string): HclInclude['path'] {
    const t = this.peek();
    if (t.type === 'ident' && t.text === 'find_in_parent_folders' && this.isPunct(this.peek(1), '(')) {
      this.next();
      this.next();
      let find: string | undefined;
      if (this.peek().type === 'string') find = this.next().text;
      if (!this.isPunct(this.peek(), ')')) this.fail(this.peek(), `${where}: find_in_parent_folders takes one literal file name here, found ${describe(this.peek())}`);
      this.next();
      this.expectBoundary(where);
      return { find };
    }
    const v = this.literal(where);
    if (typeof v !== 'string') this.fail(t, `${where}: expected find_in_parent_folders(...) or a literal path`);
    return { literal: v as string };
  }

  /** A literal value; `where` is the dotted key for messages. Must end at a value boundary. */
  literal(where: string): unknown {
    const value = this.value(where);
    this.expectBoundary(where);
    return value;
  }

  private expectBoundary(where: string): void {
    const t = this.peek();
    if (t.type === 'newline' || t.type === 'eof') return;
    if (t.type === 'punct' && [',', '}', ']'].includes(t.text)) return;
    this.fail(t, `${where}: ${describe(t)} after a value makes an expression; ${LITERAL_ADVICE}`);
  }

  private value(where: string): unknown {
    this.skipNewlines();
    const t = this.next();
    switch (t.type) {
      case 'string':
        return t.text;
      case 'template':
        return this.fail(t, `${where}: string template "${t.text.trim().slice(0, 60)}" is an expression; ${LITERAL_ADVICE}`);
      case 'number':
        return Number(t.text);
      case 'ident': {
        if (t.text === 'true') return true;
        if (t.text === 'false') return false;
        if (t.text === 'null') return null;
        if (this.isPunct(this.peek(), '(')) {
          return this.fail(t, `${where}: function call ${t.text}(...) is not supported; ${this.allowRefs ? REF_ADVICE : LITERAL_ADVICE}`);
        }
        const parts = [t.text];
        while (this.isPunct(this.peek(), '.') && this.peek(1).type === 'ident') {
          this.next();
          parts.push(this.next().text);
        }
        if (this.allowRefs && REF_ROOTS.includes(parts[0]) && !this.isPunct(this.peek(), '[') && !this.isPunct(this.peek(), '.')) {
          return new HclRef(parts, this.file, t.line);
        }
        return this.fail(t, `${where}: reference ${parts.join('.')}${this.isPunct(this.peek(), '[') ? '[...]' : ''} is an expression; ${this.allowRefs ? REF_ADVICE : LITERAL_ADVICE}`);
      }
      case 'punct':
        if (t.text === '-' && this.peek().type === 'number') return -Number(this.next().text);
        if (t.text === '[') return this.list(where, t);
        if (t.text === '{') return this.object(where, t);
        return this.fail(t, `${where}: ${describe(t)} starts an expression; ${LITERAL_ADVICE}`);
      default:
        return this.fail(t, `${where}: expected a value, found ${describe(t)}`);
    }
  }

  private list(where: string, open: Token): unknown[] {
    const out: unknown[] = [];
    this.skipNewlines();
    if (this.peek().type === 'ident' && this.peek().text === 'for') {
      this.fail(this.peek(), `${where}: a for expression is not supported; ${LITERAL_ADVICE}`);
    }
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (this.isPunct(t, ']')) {
        this.next();
        return out;
      }
      if (t.type === 'eof') this.fail(open, `${where}: list is not closed with "]"`);
      out.push(this.value(`${where}[${out.length}]`));
      this.skipNewlines();
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.next();
      else if (!this.isPunct(sep, ']')) this.fail(sep, `${where}[${out.length - 1}]: expected "," or "]", found ${describe(sep)}${sep.type === 'punct' ? `; an operator makes an expression; ${LITERAL_ADVICE}` : ''}`);
    }
  }

  private object(where: string, open: Token): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const lines: Record<string, number> = {};
    this.skipNewlines();
    if (this.peek().type === 'ident' && this.peek().text === 'for' && !this.isPunct(this.peek(1), '=') && !this.isPunct(this.peek(1), ':')) {
      this.fail(this.peek(), `${where}: a for expression is not supported; ${LITERAL_ADVICE}`);
    }
    for (;;) {
      this.skipNewlines();
      const k = this.next();
      if (this.isPunct(k, '}')) return out;
      if (k.type === 'eof') this.fail(open, `${where}: object is not closed with "}"`);
      let key: string;
      if (k.type === 'ident' || k.type === 'string') key = k.text;
      else if (k.type === 'template') this.fail(k, `${where}: a templated key is an expression; ${LITERAL_ADVICE}`);
      else if (this.isPunct(k, '(')) this.fail(k, `${where}: a computed key (...) is an expression; ${LITERAL_ADVICE}`);
      else this.fail(k, `${where}: expected a key, found ${describe(k)}`);
      const path = where === '' ? key! : `${where}.${key!}`;
      const eq = this.next();
      if (!this.isPunct(eq, '=') && !this.isPunct(eq, ':')) {
        if (k.type === 'ident' && this.isPunct(eq, '.')) this.fail(k, `${path}: a reference as a key is an expression; ${LITERAL_ADVICE}`);
        this.fail(eq, `${path}: expected "=" or ":" after the key, found ${describe(eq)}`);
      }
      if (Object.prototype.hasOwnProperty.call(out, key!)) this.fail(k, `${path}: duplicate key (first set on line ${lines[key!]})`);
      lines[key!] = k.line;
      out[key!] = this.value(path);
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.next();
      else if (sep.type !== 'newline' && !this.isPunct(sep, '}')) {
        this.fail(sep, `${path}: ${describe(sep)} after a value makes an expression; ${LITERAL_ADVICE}`);
      }
    }
  }
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'the end of the file';
    case 'newline':
      return 'a line break';
    case 'string':
    case 'template':
      return `the string "${t.text.slice(0, 40)}"`;
    default:
      return `"${t.text}"`;
  }
}

/** Options of {@link parseTerragruntHcl}. */
export interface ParseTerragruntOptions {
  /**
   * Keep a non-literal `inputs` as {@link TerragruntFile.inputsError} instead of throwing
   * (for an included root file, whose inputs may not be needed).
   * @default false
   */
  readonly lazyInputs?: boolean;
}

/**
 * Read a terragrunt.hcl: its `inputs` (literals and plain references), `locals`, `include`
 * and `dependency` blocks, and a literal `terraform.source`. Every other top-level key is
 * skipped and listed in {@link TerragruntFile.ignored}.
 *
 * @param src the file's text
 * @param file the path shown in errors
 * @throws HclError on a syntax error, an expression in `inputs`, or a malformed include/dependency
 */
export function parseTerragruntHcl(src: string, file: string, options: ParseTerragruntOptions = {}): TerragruntFile {
  const parser = new Parser(lexHcl(src, file), file);
  parser.allowRefs = true;
  let inputs: Record<string, unknown> | undefined;
  let inputsLine: number | undefined;
  let inputsError: HclError | undefined;
  let terraformSource: string | undefined;
  const locals: Record<string, HclLocal> = {};
  const includes: HclInclude[] = [];
  const dependencies: Record<string, HclDependency> = {};
  const dependencyPaths: string[] = [];
  const ignored: HclIgnored[] = [];

  /** Read a block body's attributes as values (refs allowed); other nested blocks are skipped. */
  const attributes = (block: string, lazy: boolean): Record<string, { line: number; value?: unknown; error?: HclError }> => {
    const out: Record<string, { line: number; value?: unknown; error?: HclError }> = {};
    parser.body(
      (attr, start) => {
        if (Object.prototype.hasOwnProperty.call(out, attr.text)) throw new HclError(file, attr.line, `${block}.${attr.text}: set twice (first on line ${out[attr.text].line})`);
        try {
          out[attr.text] = { line: attr.line, value: parser.literal(`${block}.${attr.text}`) };
        } catch (e) {
          if (!(e instanceof HclError) || !lazy) throw e;
          out[attr.text] = { line: attr.line, error: e };
          parser.at(start);
          parser.skipExpression();
        }
      },
      () => parser.skipBlock(),
      true,
    );
    return out;
  };

  parser.body(
    (name, start) => {
      if (name.text !== 'inputs') {
        ignored.push({ key: name.text, line: name.line, kind: 'attribute' });
        parser.skipExpression();
        return;
      }
      if (inputs !== undefined || inputsError !== undefined) throw new HclError(file, name.line, `inputs: set twice (first on line ${inputsLine})`);
      inputsLine = name.line;
      try {
        const value = parser.literal('inputs');
        if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof HclRef) {
          throw new HclError(file, name.line, 'inputs: expected an object { name = value, ... }');
        }
        inputs = value as Record<string, unknown>;
      } catch (e) {
        if (!(e instanceof HclError) || !options.lazyInputs) throw e;
        inputsError = e;
        parser.at(start);
        parser.skipExpression();
      }
    },
    (type, labels) => {
      switch (type.text) {
        case 'inputs':
          throw new HclError(file, type.line, 'inputs: write it as an attribute, "inputs = { ... }"');
        case 'locals': {
          for (const [k, v] of Object.entries(attributes('locals', true))) {
            if (Object.prototype.hasOwnProperty.call(locals, k)) throw new HclError(file, v.line, `local.${k}: set twice (first on line ${locals[k].line})`);
            locals[k] = v;
          }
          return;
        }
        case 'include': {
          if (labels.length > 1) throw new HclError(file, type.line, 'include: expected at most one label');
          const label = labels[0] ?? '';
          if (includes.some((i) => i.label === label)) throw new HclError(file, type.line, `include "${label}": set twice`);
          let path: HclInclude['path'] | undefined;
          let expose = false;
          let mergeStrategy: HclInclude['mergeStrategy'] = 'shallow';
          parser.body(
            (attr) => {
              const where = `include${label ? `.${label}` : ''}.${attr.text}`;
              if (attr.text === 'path') path = parser.includePath(where);
              else if (attr.text === 'expose') {
                const v = parser.literal(where);
                if (typeof v !== 'boolean') throw new HclError(file, attr.line, `${where}: expected true or false`);
                expose = v;
              } else if (attr.text === 'merge_strategy') {
                const v = parser.literal(where);
                if (v !== 'shallow' && v !== 'deep' && v !== 'no_merge') throw new HclError(file, attr.line, `${where}: expected "shallow", "deep" or "no_merge"`);
                mergeStrategy = v;
              } else throw new HclError(file, attr.line, `${where}: not understood (include takes path, expose, merge_strategy)`);
            },
            (b) => {
              throw new HclError(file, b.line, `include: unexpected block ${b.text}`);
            },
            true,
          );
          if (!path) throw new HclError(file, type.line, `include${label ? ` "${label}"` : ''}: path is missing`);
          includes.push({ label, line: type.line, path, expose, mergeStrategy });
          return;
        }
        case 'dependency': {
          if (labels.length !== 1) throw new HclError(file, type.line, 'dependency: expected one label, dependency "name" { ... }');
          const name = labels[0];
          if (dependencies[name]) throw new HclError(file, type.line, `dependency "${name}": set twice (first on line ${dependencies[name].line})`);
          const attrs = attributes(`dependency.${name}`, true);
          const configPath = attrs.config_path;
          if (!configPath) throw new HclError(file, type.line, `dependency "${name}": config_path is missing`);
          if (configPath.error || typeof configPath.value !== 'string') {
            throw new HclError(file, configPath.line, `dependency.${name}.config_path: expected a literal path such as "../kube_namespace"`);
          }
          const mock = attrs.mock_outputs;
          const skip = attrs.skip_outputs;
          dependencies[name] = {
            name,
            line: type.line,
            configPath: configPath.value,
            ...(mock && !mock.error && isPlainData(mock.value) && typeof mock.value === 'object' && mock.value !== null && !Array.isArray(mock.value) ? { mockOutputs: mock.value as Record<string, unknown> } : {}),
            skipOutputs: skip?.value === true,
          };
          return;
        }
        case 'dependencies': {
          const attrs = attributes('dependencies', true);
          const paths = attrs.paths?.value;
          if (Array.isArray(paths)) for (const p of paths) if (typeof p === 'string') dependencyPaths.push(p);
          return;
        }
        case 'terraform':
          parser.body(
            (attr, start) => {
              if (attr.text === 'source') {
                try {
                  const v = parser.literal('terraform.source');
                  if (typeof v === 'string') {
                    terraformSource = v;
                    return;
                  }
                  parser.at(start);
                } catch (e) {
                  if (!(e instanceof HclError)) throw e;
                  parser.at(start);
                }
              }
              parser.skipExpression();
            },
            () => parser.skipBlock(),
            true,
          );
          return;
        default:
          ignored.push({ key: type.text, line: type.line, kind: 'block' });
          parser.skipBlock();
      }
    },
    false,
  );
  return { inputs, inputsLine, ...(inputsError ? { inputsError } : {}), terraformSource, locals, includes, dependencies, dependencyPaths, ignored };
}

/** True for a value without references (an object, for mock_outputs). */
function isPlainData(v: unknown): boolean {
  if (v instanceof HclRef) return false;
  if (Array.isArray(v)) return v.every(isPlainData);
  if (v !== null && typeof v === 'object') return Object.values(v).every(isPlainData);
  return true;
}
