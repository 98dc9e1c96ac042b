/**
 * The one case runner of the fuzz suite: builds a case in a fresh CDKTF App / TerraformStack
 * (providers, EnvironmentContext, TerraformVariables for the case's tokens), constructs the
 * subject, synthesizes it, and classifies the outcome:
 *
 * - `ok-synth`           synthesized and every check passed;
 * - `validation-error`   refused with a ValidationError (ConfigError for the loader) that names a
 *                        field, and not for being a token (a documented "must be known at synth"
 *                        refusal of a token counts here);
 * - `other-exception`    anything else thrown (a TypeError, a CDKTF error, a ValidationError
 *                        without a field), or a nondeterministic synth;
 * - `hang`               the case took longer than the bound (default 10 s);
 * - `invalid-object`     an emitted Kubernetes object fails `validateKubernetesObject` or the
 *                        API-server rules of api-server.ts (or Helm values that are not YAML);
 * - `unescaped-string`   a string Terraform would read as a template it is not (templateProblems);
 * - `token-rejected`     a ValidationError caused by a token: its value is the token, or the same
 *                        props with each token put back to the value it replaced synthesize;
 * - `token-literalized`  a token's placeholder text reached the output (the output differs between
 *                        two synths whose tokens have different internal numbers: a marker, a
 *                        number placeholder, an upper-cased or hashed marker), or a boolean token
 *                        was dropped (read as true or false at synth).
 *
 * Synthesis: `invokeAspects` + `runAllValidations` + `stack.toTerraform()`, the path
 * `Testing.synth` takes, called directly so that test/support/cli-parse-hook.ts (which wraps
 * `Testing.synth` and `App.synth`) does not collect every fuzz stack; test/fuzz.test.ts passes a
 * bounded sample through `Testing.synth` (the `synth` option) so the real CLIs still parse some.
 */
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, TerraformVariable, Token, Tokenization } from 'cdktf';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import { ValidateBinaryVersion } from 'cdktf/lib/validations/validate-binary-version';
import { Construct } from 'constructs';
import * as YAML from 'yaml';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ConfigError } from '../../lib/config/errors';
import { PolicyDocument } from '../../lib/aws/policy-document';
import { KubeNamespace } from '../../lib/constructs/kube-namespace';
import { withoutTokenTraces } from '../../lib/constructs/kube-manifest';
import { EnvironmentContext, EnvironmentContextProps } from '../../lib/core/context';
import { ValidationError, describeValue } from '../../lib/core/errors';
import { isToken } from '../../lib/core/validation';
import { validateKubernetesObject } from '../../lib/k8s/schema';
import { apiServerProblems } from './api-server';
import { apiView, manifestsOf, templateProblems } from './checks';
import { FuzzCase, FuzzRef, FuzzToken, Outcome, TokenKind } from './model';
import { hasTokens, untokenized } from './mutate';

type Json = any;

/** What a construct's build function gets besides the props. */
export interface BuildEnv {
  readonly stack: TerraformStack;
  readonly kubernetes: KubernetesProvider;
  readonly aws?: AwsProvider;
  readonly awsGlobal?: AwsProvider;
  readonly helm?: HelmProvider;
  /** A fresh construct id. */
  id(prefix: string): string;
}

/** Builds the object a FuzzRef stands for. */
export type RefBuilder = (env: BuildEnv, args: Record<string, unknown>) => unknown;

/** One fuzz target: a construct (or the environments loader). */
export interface FuzzTarget {
  /** As printed in the table and given to `--only`. */
  readonly name: string;
  /** The cases (see mutate.ts caseArbitrary). */
  readonly cases: import('fast-check').Arbitrary<FuzzCase>;
  /** Providers the stack needs besides Kubernetes. */
  readonly providers?: { readonly aws?: boolean; readonly helm?: boolean };
  /** Construct the subject under `scope` from the (materialized) props. */
  build?(scope: Construct, props: any, env: BuildEnv): void;
  /** Builders of the refs the props use (besides the common ones). */
  readonly refs?: Record<string, RefBuilder>;
  /** A target that is not a construct runs its whole case itself (the loader). */
  run?(c: FuzzCase, options: RunOptions): CaseResult;
}

export interface RunOptions {
  /** A case slower than this is a hang. @default 10000 */
  readonly hangMs?: number;
  /** How to synthesize the stack. @default plain (aspects, validations, toTerraform) */
  readonly synth?: (stack: TerraformStack) => Json;
}

export interface CaseResult {
  readonly outcome: Outcome;
  /** The error message or the problem found. */
  readonly detail?: string;
  /** Stack trace of an unexpected exception. */
  readonly stack?: string;
  readonly ms: number;
  /** A token refused with a documented "must be known at synth" ValidationError. */
  readonly knownAtSynth?: boolean;
  /** Tokens the output does not refer to (not refused, not literalized: the prop was unused). */
  readonly unusedTokens?: readonly string[];
}

const TYPES: Record<TokenKind, string> = { string: 'string', number: 'number', list: 'list(string)', bool: 'bool' };
const OUTDIR = path.join(os.tmpdir(), 'cdktf-golden-path-fuzz');

/** The refs every target may use. */
const COMMON_REFS: Record<string, RefBuilder> = {
  awsGlobal: (env) => env.awsGlobal,
  aws: (env) => env.aws,
  kubernetes: (env) => env.kubernetes,
  namespace: (env, args) => new KubeNamespace(env.stack, env.id('namespace'), args as any),
  policy: (_env, args) => new PolicyDocument(args as any),
};

interface Built {
  readonly json?: Json;
  readonly error?: unknown;
  /** Variables created for the case's tokens, with their kinds. */
  readonly vars: ReadonlyArray<{ readonly name: string; readonly kind: TokenKind; readonly path: string }>;
}

/**
 * CDKTF checks the Terraform binary's version for some resources (a KubeJob's `terraform_data`)
 * by running `terraform version` on every synth: 60 % of such a case's time. The binary does not
 * change during a fuzz run, so the answer is kept per command (this process only).
 */
const versionChecks = new Map<string, string[]>();
const checkVersion = ValidateBinaryVersion.prototype.validate;
ValidateBinaryVersion.prototype.validate = function cachedVersionCheck(this: ValidateBinaryVersion): string[] {
  const self = this as unknown as { versionCommand: string; versionConstraint: string };
  const key = `${self.versionCommand}\u0000${self.versionConstraint}`;
  let result = versionChecks.get(key);
  if (!result) versionChecks.set(key, (result = checkVersion.call(this)));
  return result;
};

export const plainSynth = (stack: TerraformStack): Json => {
  invokeAspects(stack);
  stack.runAllValidations();
  return stack.toTerraform();
};

/**
 * Build the case in a fresh app and synthesize it. CDKTF captures a full stack trace for every
 * token it creates, a fifth of the time of a case; the traces are switched off (real errors keep
 * theirs), as KubeManifest does for its own tokens.
 */
function buildAndSynth(target: FuzzTarget, c: FuzzCase, props: unknown, synth: (stack: TerraformStack) => Json): Built {
  return withoutTokenTraces(() => buildAndSynthTraced(target, c, props, synth));
}

function buildAndSynthTraced(target: FuzzTarget, c: FuzzCase, props: unknown, synth: (stack: TerraformStack) => Json): Built {
  const vars: Array<{ name: string; kind: TokenKind; path: string }> = [];
  try {
    const app = new App({ outdir: OUTDIR, stackTraces: false });
    const stack = new TerraformStack(app, 'fuzz');
    let n = 0;
    const kubernetes = new KubernetesProvider(stack, 'kubernetes', {});
    const aws = target.providers?.aws ? new AwsProvider(stack, 'aws', { region: 'us-east-2' }) : undefined;
    const awsGlobal = target.providers?.aws ? new AwsProvider(stack, 'aws-global', { alias: 'global', region: 'us-east-1' }) : undefined;
    const helm = target.providers?.helm ? new HelmProvider(stack, 'helm', {}) : undefined;
    const env: BuildEnv = { stack, kubernetes, aws, awsGlobal, helm, id: (prefix) => `${prefix}-${(n += 1)}` };
    if (c.context) EnvironmentContext.set(stack, c.context as EnvironmentContextProps);
    const refs = { ...COMMON_REFS, ...(target.refs ?? {}) };
    const materialize = (value: unknown): unknown => {
      if (value instanceof FuzzToken) {
        // a list the mutator lengthened repeats its first element's token: a variable each
        const base = variableName(value);
        let name = base;
        for (let i = 2; vars.some((v) => v.name === name); i++) name = `${base}_${i}`;
        vars.push({ name, kind: value.kind, path: value.path });
        const variable = new TerraformVariable(stack, name, { type: TYPES[value.kind] });
        return value.kind === 'string' ? variable.stringValue : value.kind === 'number' ? variable.numberValue : value.kind === 'list' ? variable.listValue : variable.booleanValue;
      }
      if (value instanceof FuzzRef) {
        const builder = refs[value.ref];
        if (!builder) throw new Error(`fuzz harness: no builder for ref ${value.ref}`);
        return builder(env, materialize(value.args) as Record<string, unknown>);
      }
      if (Array.isArray(value)) return value.map(materialize);
      if (value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value)) {
          Object.defineProperty(out, k, { value: materialize((value as Record<string, unknown>)[k]), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      return value;
    };
    const materialized = materialize(props);
    target.build!(stack, materialized, env);
    return { json: synth(stack), vars };
  } catch (error) {
    return { error, vars };
  }
}

const KNOWN_AT_SYNTH = 'is a deploy-time token';

/**
 * The variable of a token, named after the prop path it stands at (stable: replacing another
 * token of the case by a literal does not rename it), e.g. `fz_b_networkPolicy_allowDns_1a2b`.
 */
function variableName(t: FuzzToken): string {
  const kind = { string: 's', number: 'n', list: 'l', bool: 'b' }[t.kind];
  const slug = t.path.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').slice(0, 40);
  let h = 0;
  for (const ch of `${t.kind}:${t.path}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `fz_${kind}_${slug}_${h.toString(36)}`;
}

/** The props with the tokens at the given paths replaced by `value`. */
function withTokensAt(value: unknown, paths: ReadonlySet<string>, literal: unknown): unknown {
  if (value instanceof FuzzToken) return paths.has(value.path) ? literal : value;
  if (Array.isArray(value)) return value.map((v) => withTokensAt(v, paths, literal));
  if (value !== null && typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value)) Object.defineProperty(out, k, { value: withTokensAt((value as Record<string, unknown>)[k], paths, literal), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

/** The stack's JSON without its variable blocks (for comparing synths with and without a token). */
function withoutVariables(json: Json): string {
  const { variable: _v, ...rest } = json ?? {};
  return JSON.stringify(rest);
}

/**
 * True when the value is (or holds) a live deploy-time token. Text shaped like a token marker
 * that names no token (a hostile string such as `${TfToken[TOKEN.999999993]}`) is not one.
 */
export function holdsLiveToken(value: unknown, depth = 0): boolean {
  if (depth > 8) return false;
  if ((typeof value === 'string' || typeof value === 'number') && !isToken(value)) return false;
  if (typeof value === 'string') {
    try {
      return Tokenization.reverseString(value).tokens.length > 0;
    } catch {
      return false; // names a token CDKTF never issued
    }
  }
  if (typeof value === 'number') return Tokenization.reverseNumber(value) !== undefined;
  if (Array.isArray(value)) {
    try {
      if (Tokenization.reverseList(value as string[]) !== undefined) return true;
    } catch {
      // not a live list token
    }
    return value.some((v) => holdsLiveToken(v, depth + 1));
  }
  if (value !== null && typeof value === 'object') {
    if (Tokenization.isResolvable(value)) return true;
    return Object.entries(value).some(([k, v]) => holdsLiveToken(k, depth + 1) || holdsLiveToken(v, depth + 1));
  }
  return false;
}

/** True when the error's value is (or holds) a deploy-time token. */
function errorShowsToken(err: ValidationError): boolean {
  return holdsLiveToken(err.value);
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack?.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 14).join('\n') : undefined;
}

/** The outcome of an error thrown by a case (before the token checks). */
function classifyError(error: unknown, allowed: 'validation' | 'config'): { outcome: Outcome; detail: string; stack?: string } {
  if (allowed === 'validation' && error instanceof ValidationError) {
    if (typeof error.field !== 'string' || error.field.trim() === '') return { outcome: 'other-exception', detail: `ValidationError without a field: ${error.message}`, stack: stackOf(error) };
    return { outcome: 'validation-error', detail: error.message };
  }
  if (allowed === 'config' && error instanceof ConfigError) {
    if (typeof error.key !== 'string' || error.issues.length === 0) return { outcome: 'other-exception', detail: `ConfigError without a key: ${error.message}`, stack: stackOf(error) };
    return { outcome: 'validation-error', detail: error.message };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `thrown non-error ${describeValue(error)}`;
  return { outcome: 'other-exception', detail: message.slice(0, 2000), stack: stackOf(error) };
}

/** Problems of the synthesized stack: invalid objects, unescaped strings, and which variables it refers to. */
export function stackProblems(json: Json): { invalid: string[]; unescaped: string[]; referenced: Set<string> } {
  const invalid: string[] = [];
  for (const { id, manifest } of manifestsOf(json)) {
    const view = apiView(manifest) as Json;
    for (const p of validateKubernetesObject(view)) invalid.push(`${id} (${view?.kind}): ${p.path} ${p.message}`);
    for (const p of apiServerProblems(view)) invalid.push(`${id} (${view?.kind}): ${p}`);
  }
  for (const [id, secret] of Object.entries<Json>(json.resource?.kubernetes_secret_v1 ?? {})) {
    const meta = Array.isArray(secret.metadata) ? secret.metadata[0] : secret.metadata;
    // kubernetes_secret_v1 takes `data` as plain text (the provider encodes it): the API's stringData
    const view = apiView({ apiVersion: 'v1', kind: 'Secret', metadata: meta, stringData: secret.data }) as Json;
    for (const p of validateKubernetesObject(view)) invalid.push(`${id} (kubernetes_secret_v1): ${p.path} ${p.message}`);
    for (const p of apiServerProblems(view)) invalid.push(`${id} (kubernetes_secret_v1): ${p}`);
  }
  for (const [id, release] of Object.entries<Json>(json.resource?.helm_release ?? {})) {
    for (const [i, values] of (Array.isArray(release.values) ? release.values : []).entries()) {
      if (typeof values !== 'string') continue;
      try {
        YAML.parse(apiView(values) as string);
      } catch (e) {
        invalid.push(`${id} (helm_release values[${i}]): not YAML: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
  const refs = templateProblems(json);
  return { invalid, unescaped: refs.problems, referenced: refs.vars };
}

/** Run one case and classify it. */
export function runCase(target: FuzzTarget, c: FuzzCase, options: RunOptions = {}): CaseResult {
  const hangMs = options.hangMs ?? 10_000;
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e6;
  let result: CaseResult;
  try {
    result = target.run ? target.run(c, options) : runConstructCase(target, c, options.synth ?? plainSynth, elapsed);
  } catch (error) {
    // a harness failure must not pass as a library outcome
    result = { outcome: 'other-exception', detail: `fuzz harness: ${(error as Error).message}`, stack: stackOf(error), ms: elapsed() };
  }
  const ms = elapsed();
  if (ms > hangMs) return { ...result, outcome: 'hang', detail: `took ${ms.toFixed(0)} ms (bound ${hangMs} ms); would have been ${result.outcome}`, ms };
  return { ...result, ms };
}

function runConstructCase(target: FuzzTarget, c: FuzzCase, synth: (stack: TerraformStack) => Json, elapsed: () => number): CaseResult {
  const withTokens = hasTokens(c.props);
  const first = buildAndSynth(target, c, c.props, synth);
  if (first.error !== undefined) {
    const classified = classifyError(first.error, 'validation');
    if (classified.outcome !== 'validation-error' || !withTokens) return { ...classified, ms: elapsed() };
    const err = first.error as ValidationError;
    if (err.message.includes(KNOWN_AT_SYNTH)) return { outcome: 'validation-error', detail: err.message, knownAtSynth: true, ms: elapsed() };
    // Would the same props, each token put back to the value it replaced, synthesize? If they do,
    // the token was the reason; if they fail on another field while the error shows the token, the
    // token was refused first. A refusal that holds for the literal too (a real conflict) is not.
    const literal = buildAndSynth(target, c, untokenized(c.props), synth);
    if (literal.error === undefined && stackProblems(literal.json).invalid.length === 0) {
      return { outcome: 'token-rejected', detail: `${err.message} (the same props with literal values synthesize)`, ms: elapsed() };
    }
    const literalField = literal.error instanceof ValidationError ? literal.error.field : undefined;
    if (errorShowsToken(err) && literalField !== err.field) {
      return { outcome: 'token-rejected', detail: `${err.message} (with literal values the case fails on ${literalField ?? 'nothing of the kind'} instead)`, ms: elapsed() };
    }
    return { outcome: 'validation-error', detail: err.message, ms: elapsed() };
  }
  const json = first.json;
  const { invalid, unescaped, referenced } = stackProblems(json);
  if (invalid.length > 0) return { outcome: 'invalid-object', detail: invalid.slice(0, 5).join('\n'), ms: elapsed() };
  if (unescaped.length > 0) return { outcome: 'unescaped-string', detail: unescaped.slice(0, 5).join('\n'), ms: elapsed() };
  if (!withTokens) return { outcome: 'ok-synth', ms: elapsed() };

  // Tokens: the output must not depend on the tokens' internal numbers (a second synth gets new ones).
  Token.asString({ resolve: () => 'shift' }); // make sure the numbers differ even if nothing else was allocated
  const second = buildAndSynth(target, c, c.props, synth);
  if (second.error !== undefined) {
    return { outcome: 'other-exception', detail: `nondeterministic: the second synth of the same case threw ${(second.error as Error).message}`, stack: stackOf(second.error), ms: elapsed() };
  }
  const a = JSON.stringify(json);
  const b = JSON.stringify(second.json);
  if (a !== b) return { outcome: 'token-literalized', detail: `the output depends on the tokens' placeholder text: ${firstDifference(a, b)}`, ms: elapsed() };
  const unused = first.vars.filter((v) => !referenced.has(v.name));
  // A boolean token the output does not refer to was either read as true or false at synth (a
  // bug), or its prop has no effect in this configuration. Synthesizing the case with the token
  // replaced by true and by false tells them apart: if those differ, the prop matters and the
  // token must not have been dropped.
  const droppedBools = unused.filter((v) => v.kind === 'bool');
  if (droppedBools.length > 0) {
    const paths = new Set(droppedBools.map((v) => v.path));
    const asTrue = buildAndSynth(target, c, withTokensAt(c.props, paths, true), synth);
    const asFalse = buildAndSynth(target, c, withTokensAt(c.props, paths, false), synth);
    const t = asTrue.error === undefined ? withoutVariables(asTrue.json) : `error ${(asTrue.error as Error).message}`;
    const f = asFalse.error === undefined ? withoutVariables(asFalse.json) : `error ${(asFalse.error as Error).message}`;
    if (t !== f) {
      const read = withoutVariables(json) === t ? ' (read as true)' : withoutVariables(json) === f ? ' (read as false)' : '';
      return { outcome: 'token-literalized', detail: `the boolean token given for ${[...paths].join(', ')} is not in the output${read}, although true and false give different stacks`, ms: elapsed() };
    }
  }
  return { outcome: 'ok-synth', unusedTokens: unused.map((v) => `${v.kind} token at ${v.path}`), ms: elapsed() };
}

function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i += 1;
  return `…${a.slice(Math.max(0, i - 80), i + 60)}… vs …${b.slice(Math.max(0, i - 80), i + 60)}…`;
}

/** For the loader: classify a thrown error as a ConfigError or an unexpected exception. */
export function classifyConfigError(error: unknown): { outcome: Outcome; detail: string; stack?: string } {
  return classifyError(error, 'config');
}
