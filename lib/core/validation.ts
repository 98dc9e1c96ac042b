import { Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { keyPath } from './paths';
import { mayBeTokenNumber } from './resolved-value';
import { ClusterCapability, ResolvedClusterCapabilities, declareHint, describeCluster } from './cluster-profile';
// Side effect: installs the one path that escapes literal `${`/`%{` in every string written to
// Terraform. Every construct validates its props with this module, so none can miss it.
import './terraform-strings';

/**
 * Token-aware validators. Every check is skipped when the value is (or contains) a
 * deploy-time token (a TerraformVariable, a resource attribute, a Lazy), because its
 * real value is only known at apply time.
 */

/**
 * True when the value is itself a list token (`TerraformVariable.listValue`, a resource's list
 * attribute): an array whose length and elements are only known at apply time. Its one element
 * (`#{TfToken[...]}`) is not a string token, so checks must look at the list, not the element.
 */
export function isListToken(value: unknown): boolean {
  return Array.isArray(value) && Token.isUnresolved(value) && namesLiveToken(() => Tokenization.reverseList(value as string[]) !== undefined);
}

/**
 * True when the value holds an unresolved CDKTF token anywhere inside it. Text shaped like a
 * token marker that names no token CDKTF issued (`${TfToken[X]}` typed by a user) is text, not a
 * token: it is validated like any text (found by the fuzz suite: such a name skipped every check
 * and then made CDKTF's resolver throw "Unrecognized Token Key").
 */
export function isToken(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  // Nearly every string and number holds no token: those are told apart without CDKTF's
  // regular expressions (a string token's marker holds `TfToken[`; see mayBeTokenNumber).
  if (typeof value === 'string') return value.indexOf('TfToken[') !== -1 && Token.isUnresolved(value) && namesLiveToken(() => Tokenization.reverseString(value).tokens.length > 0);
  if (typeof value === 'number') return mayBeTokenNumber(value) && Token.isUnresolved(value);
  if (Array.isArray(value)) return isListToken(value) || value.some(isToken);
  if (typeof value === 'object') return Token.isUnresolved(value);
  return false;
}

/** Whether a marker lookup finds a token: CDKTF throws for a key it never issued. */
function namesLiveToken(lookup: () => boolean): boolean {
  try {
    return lookup();
  } catch {
    return false;
  }
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?\d+)?$/;
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * Why a label or annotation map cannot be a token (a map token cannot be merged with other keys:
 * CDKTF fails the synth with "Cannot add elements to map token").
 */
const MAP_AT_SYNTH = 'its keys are checked and merged with the labels and annotations the library sets';
const MAP_AT_SYNTH_FIX = 'give the map as an object in code; each value in it may be a token ({ team: team.stringValue })';

/** The path shown in errors for a scope: its construct path, or `<model>` for pure functions. */
export function pathOf(scope: IConstruct | string | undefined): string {
  if (scope === undefined) return '<model>';
  if (typeof scope === 'string') return scope;
  return scope.node.path || '<root>';
}

/**
 * Validates props on behalf of one construct (or one model call). Methods return the
 * value unchanged so they can be used inline: `const name = v.dnsLabel('name', props.name)`.
 */
export class PropValidator {
  private pathText: string | undefined;

  constructor(private readonly scope: IConstruct | string | undefined) {}

  /** The construct path errors name (worked out when first needed: most validators never fail). */
  public get path(): string {
    if (this.pathText === undefined) this.pathText = pathOf(this.scope);
    return this.pathText;
  }

  /** Throw a ValidationError for `field`. */
  public fail(field: string, value: unknown, fix: string, reason?: string): never {
    throw new ValidationError({ path: this.path, field, value, fix, reason });
  }

  public required<T>(field: string, value: T | undefined | null): T {
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '' && !isToken(value))) {
      this.fail(field, value, `set ${field}; it is required`, 'is missing');
    }
    return value;
  }

  /** An RFC 1123 label: lower case alphanumerics and '-', starts and ends alphanumeric, at most `max` (63) characters. */
  public dnsLabel(field: string, value: string, max = 63): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string' || value.length === 0) this.fail(field, value, 'give a non-empty lower-case name', 'is not a name');
    if (value.length > max) this.fail(field, value, `shorten it to at most ${max} characters (it has ${value.length})`, 'is too long');
    if (!DNS1123_LABEL.test(value)) {
      this.fail(field, value, `use only lower-case letters, digits and '-', starting and ending with a letter or digit (e.g. ${JSON.stringify(suggestDnsLabel(value))})`, 'is not a valid RFC 1123 label');
    }
    return value;
  }

  /**
   * An RFC 1035 label, as the API server requires for Service names: lower-case alphanumerics
   * and '-', starting with a letter and ending alphanumeric, at most `max` (63) characters.
   */
  public dns1035Label(field: string, value: string, max = 63): string {
    if (isToken(value)) return value;
    this.dnsLabel(field, value, max);
    if (!DNS1035_LABEL.test(value)) {
      const suggestion = /^[a-z]/.test(value) ? value : `s-${value}`.slice(0, max).replace(/-+$/g, '');
      this.fail(field, value, `start the name with a letter (e.g. ${JSON.stringify(suggestion)}); Service names are DNS-1035 labels: lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`, 'is not a valid RFC 1035 (DNS-1035) label');
    }
    return value;
  }

  /** An RFC 1123 subdomain (dot-separated labels, at most 253 characters). */
  public dnsSubdomain(field: string, value: string): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string' || value.length === 0 || value.length > 253 || !DNS1123_SUBDOMAIN.test(value)) {
      this.fail(field, value, 'use lower-case letters, digits, \'-\' and \'.\' (at most 253 characters), each dot-separated part starting and ending with a letter or digit', 'is not a valid RFC 1123 subdomain');
    }
    return value;
  }

  /** A Kubernetes label or annotation key: `[prefix/]name`, name at most 63 characters, prefix a DNS subdomain. */
  public labelKey(field: string, key: string): string {
    if (isToken(key)) return key;
    const slash = key.lastIndexOf('/');
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))) {
      this.fail(field, key, 'the part before \'/\' must be a lower-case DNS subdomain such as example.com', 'has an invalid key prefix');
    }
    if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) {
      this.fail(field, key, 'the name part must be 1-63 characters of letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit', 'is not a valid label key');
    }
    return key;
  }

  /** A label value: empty, or at most 63 characters of letters, digits, '-', '_', '.' starting and ending alphanumeric. */
  public labelValue(field: string, value: string): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string') this.fail(field, value, 'label values are strings; quote numbers and booleans ("true")', 'is not a string');
    if (value.length > 63 || (value.length > 0 && !LABEL_NAME.test(value))) {
      this.fail(field, value, 'use at most 63 letters, digits, \'-\', \'_\' or \'.\', starting and ending with a letter or digit', 'is not a valid label value');
    }
    return value;
  }

  /** Every key and value of a label map. */
  public labels(field: string, labels: Record<string, string> | undefined): Record<string, string> {
    if (!labels) return {};
    this.knownAtSynth(field, labels, MAP_AT_SYNTH, MAP_AT_SYNTH_FIX);
    for (const [k, v] of Object.entries(labels)) {
      this.labelKey(keyPath(field, k), k);
      this.labelValue(keyPath(field, k), v);
    }
    return labels;
  }

  /** Every key of an annotation map (values are free text but must be strings). */
  public annotations(field: string, annotations: Record<string, string> | undefined): Record<string, string> {
    if (!annotations) return {};
    this.knownAtSynth(field, annotations, MAP_AT_SYNTH, MAP_AT_SYNTH_FIX);
    for (const [k, v] of Object.entries(annotations)) {
      this.labelKey(keyPath(field, k), k);
      if (typeof v !== 'string' && !isToken(v)) this.fail(keyPath(field, k), v, 'annotation values are strings; quote numbers and booleans', 'is not a string');
    }
    return annotations;
  }

  /** A Kubernetes resource quantity such as `100Mi`, `0.5`, `250m`, `1G`. */
  public quantity(field: string, value: string): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string' || !QUANTITY.test(value)) {
      this.fail(field, value, 'use a Kubernetes quantity such as "128Mi", "1Gi", "250m" or "2"', 'is not a quantity');
    }
    return value;
  }

  /** A TCP/UDP port number, 1-65535. */
  public port(field: string, value: number): number {
    return this.integer(field, value, 1, 65535, 'use a whole port number between 1 and 65535');
  }

  /** A whole number within [min, max]. */
  public integer(field: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER, fix?: string): number {
    if (isToken(value)) return value;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `a whole number >= ${min}` : `a whole number from ${min} to ${max}`;
      this.fail(field, value, fix ?? `use ${range}`, 'is out of range');
    }
    return value;
  }

  /** A (possibly fractional) number within [min, max]. */
  public number(field: string, value: number, min: number, max = Number.MAX_VALUE, fix?: string): number {
    if (isToken(value)) return value;
    if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
      const range = max === Number.MAX_VALUE ? `a number >= ${min}` : `a number from ${min} to ${max}`;
      this.fail(field, value, fix ?? `use ${range}`, 'is out of range');
    }
    return value;
  }

  /** One of a closed set of strings. */
  public oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): T {
    if (isToken(value)) return value;
    if (!allowed.includes(value)) this.fail(field, value, oneOfFix(value, allowed), 'is not an allowed value');
    return value;
  }

  /** An environment variable name (C_IDENTIFIER-like, as Kubernetes accepts). */
  public envVarName(field: string, name: string): string {
    if (isToken(name)) return name;
    if (!ENV_VAR_NAME.test(name)) {
      this.fail(field, name, 'use letters, digits, \'_\', \'-\' and \'.\', not starting with a digit (e.g. DATABASE_URL)', 'is not a valid environment variable name');
    }
    return name;
  }

  /** An absolute path inside a container, with no '..' segment and no ':'. */
  public absolutePath(field: string, value: string): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string' || !value.startsWith('/') || value.split('/').includes('..') || value.includes(':')) {
      this.fail(field, value, 'use an absolute path such as "/tmp/cache" without ".." or ":"', 'is not an absolute path');
    }
    return value;
  }

  /**
   * A relative path (a volume subPath, a seccomp localhost profile): not absolute and without a
   * '..' segment, as the API server requires ("must not contain '..'").
   */
  public relativePath(field: string, value: string, example = 'config/app.yaml'): string {
    if (isToken(value)) return value;
    if (typeof value !== 'string' || value.length === 0) this.fail(field, value, `give a non-empty relative path such as ${JSON.stringify(example)}`, 'is not a path');
    if (value.startsWith('/')) this.fail(field, value, `give the path relative to its base, without the leading "/" (e.g. ${JSON.stringify(value.replace(/^\/+/, '') || example)})`, 'is an absolute path');
    if (value.split('/').includes('..')) this.fail(field, value, `remove the ".." segment: the path must stay below its base (e.g. ${JSON.stringify(example)})`, "must not contain '..'");
    return value;
  }

  /** A list that must have at least one element. */
  public nonEmpty<T>(field: string, value: readonly T[] | undefined, fix: string): readonly T[] {
    if (value === undefined || isToken(value)) return value ?? [];
    if (!Array.isArray(value) || value.length === 0) this.fail(field, value, fix, 'is empty');
    return value;
  }

  /**
   * A value that decides the shape of what is emitted (which objects, blocks, names or code)
   * must be known at synth: a deploy-time token is refused, with the reason. Returns the value.
   */
  public knownAtSynth<T>(field: string, value: T, why: string, fix?: string): T {
    if (isToken(value)) {
      // A number token prints as its placeholder double; its string form reads as a token.
      const shown = typeof value === 'number' ? Token.asString(value) : value;
      this.fail(field, shown, fix ?? 'give a literal value (from your code or configuration), not a TerraformVariable or resource attribute',
        `is a deploy-time token, but it must be known at synth: ${why}`);
    }
    return value;
  }

  /**
   * A prop that needs a cluster capability the cluster profile does not declare: a
   * ValidationError naming the capability, how to declare it, and how to do without.
   * `example` is the capability's value in the hint (`true`, `'nginx'`, `['spot']`).
   */
  public capability(field: string, value: unknown, cluster: ResolvedClusterCapabilities, capability: ClusterCapability, needs: string, example: string, without: string): never {
    return this.fail(field, value, `${declareHint(cluster, capability, example)}; or ${without}`,
      `needs ${needs} (cluster capability "${capability}"), which ${describeCluster(cluster)} does not declare`);
  }

  /** Two flags that cannot both be set. */
  public exclusive(fieldA: string, a: unknown, fieldB: string, b: unknown, fix: string): void {
    if (a && b) this.fail(`${fieldA}/${fieldB}`, { [fieldA]: a, [fieldB]: b }, fix, 'conflict');
  }
}

/** The fix for a value outside a closed set: `use one of "a", "b" (did you mean "a"?)`. */
export function oneOfFix(value: unknown, allowed: ReadonlyArray<string | number>): string {
  const near = allowed.find((a) => String(a).toLowerCase() === String(value).toLowerCase());
  const hint = near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : '';
  return `use one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${hint}`;
}

/** Make a best-effort RFC 1123 label out of any string (used for suggestions and derived names). */
export function suggestDnsLabel(value: string, max = 63): string {
  const cleaned = String(value)
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '');
  return cleaned || 'name';
}
