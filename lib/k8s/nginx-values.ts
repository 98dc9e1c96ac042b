import { PropValidator } from '../core/validation';

/**
 * Checks for the values KubeIngress hands to ingress-nginx, which templates them into
 * nginx.conf: Ingress paths (`location ~* "^<path>"`), annotation values (`rewrite-target`,
 * `permanent-redirect` -> `return 301 <target>;`, `session-cookie-path`, the CORS lists,
 * `whitelist-source-range`, `extraAnnotations`) and the custom-headers ConfigMap
 * (`more_set_headers "<name>: <value>";`).
 *
 * The refusal list follows the controller's own admission rules: its regex annotation
 * validators refuse CR and LF (`MaliciousRegex`), its suggested `annotation-value-word-blocklist`
 * refuses `{` and `}`, and its response header value rule admits printable ASCII only. Besides,
 * `;` ends an nginx directive: a value that carries one is either a mistake or an injection
 * (`"/ok; return 200 x"`). Whitespace separates directive arguments, so it is refused where it
 * has no meaning (paths, rewrite targets, redirect targets, CORS items, address ranges).
 *
 * A deploy-time token is never refused: its text is only known at apply. The literal text
 * around it (`"v1/${token};"`) is still checked.
 */

/** CDKTF token markers (string, list and map tokens): removed before the text is checked. */
const TOKEN_MARKER = /[$#&]\{TfToken\[[^\]]*\]\}/g;
/** C0 controls (CR, LF, tab, NUL, ...), DEL, C1 controls and the Unicode line and paragraph separators. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Any whitespace, ASCII or Unicode. */
const WHITESPACE = /\s/;
/** Whitespace other than the ASCII space. */
const OTHER_WHITESPACE = /[^\S ]/;
/** nginx.conf's directive and block delimiters. */
const DELIMITERS = /[{};]/;
/** Printable ASCII (what ingress-nginx accepts in a custom-headers value). */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** How one nginx-bound value may look. */
export interface NginxValueRule {
  /** What the value is, for the fix ("the path regular expression", "the header value"). */
  readonly what: string;
  /** The value is a regular expression (the fix then says how to write a space or a repetition). @default false */
  readonly regex?: boolean;
  /** ASCII spaces mean something in this value (header values, some annotation values). @default false */
  readonly spaces?: boolean;
  /** Printable ASCII only (what the controller admits in response header values). @default false */
  readonly asciiOnly?: boolean;
  /** The controller's own, stricter character rule for this value: the pattern, and the fix that names it. @default - none */
  readonly charset?: { readonly pattern: RegExp; readonly fix: string };
}

/** The literal text of a value: its deploy-time token markers removed. */
function literalText(value: string): string {
  return value.replace(TOKEN_MARKER, '');
}

/** The first character of `text` matching `pattern`, shown readably (`"\n"`, `";"`). */
function shown(text: string, pattern: RegExp): string {
  const m = pattern.exec(text);
  return m ? JSON.stringify(m[0]) : '';
}

/**
 * Refuse a value that would change the meaning of nginx.conf: control characters (CR, LF,
 * tab...), `{`, `}`, `;`, whitespace unless `rule.spaces`, non-ASCII with `rule.asciiOnly`, and
 * anything outside `rule.charset`. Non-strings are left to their own validators. Returns the value.
 */
export function nginxValue<T>(v: PropValidator, field: string, value: T, rule: NginxValueRule): T {
  if (typeof value !== 'string') return value;
  const text = literalText(value);
  const where = `${rule.what} is written into the ingress-nginx controller's nginx.conf`;
  if (CONTROL.test(text)) {
    v.fail(field, value, `remove line breaks, tabs and other control characters: ${where}, where a line break or tab ends or splits a directive (and, in a header, the header line)`,
      `contains a control character (${shown(text, CONTROL)})`);
  }
  if (DELIMITERS.test(text)) {
    v.fail(field, value, `remove ';', '{' and '}': ${where}, where ';' ends a directive and braces open and close blocks${rule.regex ? ' (write a repetition out: [0-9][0-9] instead of [0-9]{2})' : ''}${/\$\{\w+\}/.test(text) ? ' (write an nginx variable without braces: $host, not ${host})' : ''}`,
      `contains ${shown(text, DELIMITERS)}, an nginx.conf delimiter`);
  }
  const ws = rule.spaces ? OTHER_WHITESPACE : WHITESPACE;
  if (ws.test(text)) {
    v.fail(field, value, `remove the whitespace${rule.regex ? ' (match a space with \\x20)' : ''}: ${where}, where whitespace separates directive arguments`,
      `contains whitespace (${shown(text, ws)})`);
  }
  if (rule.asciiOnly && !PRINTABLE_ASCII.test(text)) {
    v.fail(field, value, `use printable ASCII only: ingress-nginx admits nothing else in ${rule.what} and denies the whole location otherwise`,
      'contains a character outside printable ASCII');
  }
  if (rule.charset && !rule.charset.pattern.test(text)) {
    v.fail(field, value, rule.charset.fix, 'has a character ingress-nginx refuses here');
  }
  return value;
}
