/**
 * A small, strict reader for the part of terragrunt.hcl that Panfactum module directories
 * carry data in: the top-level `inputs = { ... }` attribute (and a literal
 * `terraform { source = "..." }`, to recognise the module).
 *
 * The lexer understands all of HCL's lexical syntax (strings with `${...}` templates,
 * heredocs, the three comment styles), so other blocks (`include`, `locals`,
 * `dependency`, ...) are skipped safely whatever they contain. Values are read as
 * literals only: strings, numbers, booleans, null, lists, maps and nested objects.
 * An expression (a reference, a function call, an operator, a template, a `for`) in a
 * value is refused with an {@link HclError} naming the file, the line and the key.
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

/** What {@link parseTerragruntHcl} extracts. */
export interface TerragruntFile {
  /** The `inputs` attribute as plain data; undefined when the file has none. */
  readonly inputs?: Record<string, unknown>;
  /** Line of the `inputs` attribute. */
  readonly inputsLine?: number;
  /** `terraform { source = "..." }` when it is a literal string. */
  readonly terraformSource?: string;
}

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

class Parser {
  private pos = 0;

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
          return this.fail(t, `${where}: function call ${t.text}(...) is not supported; ${LITERAL_ADVICE}`);
        }
        let ref = t.text;
        while (this.isPunct(this.peek(), '.') && this.peek(1).type === 'ident') {
          this.next();
          ref += `.${this.next().text}`;
        }
        return this.fail(t, `${where}: reference ${ref} is an expression; ${LITERAL_ADVICE}`);
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

/**
 * Read a terragrunt.hcl: its `inputs` as plain data (literals only) and a literal
 * `terraform.source`. Everything else in the file is skipped.
 *
 * @param src the file's text
 * @param file the path shown in errors
 * @throws HclError on a syntax error or an expression in `inputs`
 */
export function parseTerragruntHcl(src: string, file: string): TerragruntFile {
  const parser = new Parser(lexHcl(src, file), file);
  let inputs: Record<string, unknown> | undefined;
  let inputsLine: number | undefined;
  let terraformSource: string | undefined;
  parser.body(
    (name) => {
      if (name.text !== 'inputs') {
        parser.skipExpression();
        return;
      }
      if (inputs !== undefined) throw new HclError(file, name.line, `inputs: set twice (first on line ${inputsLine})`);
      const value = parser.literal('inputs');
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw new HclError(file, name.line, 'inputs: expected an object { name = value, ... }');
      }
      inputs = value as Record<string, unknown>;
      inputsLine = name.line;
    },
    (type) => {
      if (type.text === 'inputs') throw new HclError(file, type.line, 'inputs: write it as an attribute, "inputs = { ... }"');
      if (type.text !== 'terraform') {
        parser.skipBlock();
        return;
      }
      parser.body(
        (attr, start) => {
          if (attr.text === 'source') {
            try {
              const v = parser.literal('terraform.source');
              if (typeof v === 'string') terraformSource = v;
              return;
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
    },
    false,
  );
  return { inputs, inputsLine, terraformSource };
}
