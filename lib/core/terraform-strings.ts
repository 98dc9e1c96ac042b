/**
 * Terraform reads every string in its JSON configuration as a template: `${...}` is an
 * interpolation and `%{...}` a directive. Kubernetes objects, Helm values, Secret data and IAM
 * policies are full of such text meant literally (`sh -c 'echo ${HOME}'`, nginx's `${host}`,
 * IAM's `${aws:username}`), which would fail at plan or, worse, be substituted. The library
 * escapes them (`$${`, `%%{`) on the way out so the value reaches the API exactly as written.
 *
 * CDKTF tokens are left alone: inside a construct a deploy-time value is the marker
 * `${TfToken[...]}`, which CDKTF's resolver turns into the real interpolation at synth.
 */

/** A template opener that is not a CDKTF token marker. */
const TEMPLATE_OPENER = /\$\{(?!TfToken\[)|%\{/g;

/**
 * The string with its literal `${` and `%{` escaped for Terraform (`$${`, `%%{`); CDKTF token
 * markers are kept. Values are literal: text already escaped for Terraform (`$${x}`) is escaped
 * again and reaches the API as `$${x}`.
 */
export function escapeTerraformTemplate(text: string): string {
  if (text.indexOf('{') === -1) return text;
  return text.replace(TEMPLATE_OPENER, (opener) => (opener === '%{' ? '%%{' : '$${'));
}

/**
 * `escapeTerraformTemplate` applied to every string (values and object keys) of a JSON-like
 * value. Copy on write: a part with nothing to escape is returned as is (the same reference),
 * so the common case allocates nothing. Non-plain objects (tokens, class instances) are kept.
 */
export function escapeTerraformTemplates<T>(value: T): T {
  return escapeValue(value) as T;
}

function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeTerraformTemplate(value);
  if (Array.isArray(value)) {
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
      const key = escapeTerraformTemplate(k);
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
