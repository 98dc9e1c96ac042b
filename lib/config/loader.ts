import * as fs from 'fs';
import * as path from 'path';
import type { Document, LineCounter } from 'yaml';
import type { core } from 'zod';
import { yamlModule } from '../core/lazy';
import type { ClusterProfileOverrides } from '../core/cluster-profile';
import { ConfigError, type ConfigIssue } from './errors';
import {
  CONFIG_FILE_NAMES,
  FIELDS,
  MAP_KEYS,
  allowedKeys,
  fieldSpec,
  fileSchema,
  type ConfigFileKind,
  type ConfigKey,
  type FileSettings,
} from './schema';

/**
 * Service-level target: 1 (lowest) to 3 (highest).
 *
 * @group Configuration
 */
export type SlaTarget = 1 | 2 | 3;

/**
 * Where Terraform state goes when `tf_state_bucket` is set (an S3 backend).
 *
 * @group Configuration
 */
export interface TfStateConfig {
  /** S3 bucket (`tf_state_bucket`). */
  readonly bucket: string;
  /** Region of the bucket (`tf_state_region`). */
  readonly region: string;
  /** DynamoDB lock table (`tf_state_lock_table`); when unset, use S3 lock files (`use_lockfile`). */
  readonly lockTable?: string;
  /** AWS CLI profile for the backend (`aws_profile`), if any. */
  readonly profile?: string;
}

/**
 * The settings every level resolves (the keys of environment.yaml, in lowerCamelCase).
 *
 * @group Configuration
 */
export interface ResolvedSettings {
  /** `environment`: the environment's name (equal to its directory name). */
  readonly environment: string;
  /** `subdomain`. */
  readonly subdomain?: string;
  /** `sla_target`. @default 3 */
  readonly slaTarget: SlaTarget;
  /** `aws_account_id` (always a 12-digit string). */
  readonly awsAccountId?: string;
  /** `aws_profile`. */
  readonly awsProfile?: string;
  /** `tf_state_bucket`. */
  readonly tfStateBucket?: string;
  /** `tf_state_lock_table`. */
  readonly tfStateLockTable?: string;
  /** `tf_state_region`. */
  readonly tfStateRegion?: string;
  /** The S3 backend settings when `tf_state_bucket` is set; undefined means "use a local backend". */
  readonly tfState?: TfStateConfig;
  /** `adopt_existing`: import blocks for existing objects (docs/migration.md). @default false */
  readonly adoptExisting?: boolean;
  /** `extra_tags`, merged over every level. */
  readonly extraTags: Readonly<Record<string, string>>;
  /** `extra_inputs`, merged over every level. */
  readonly extraInputs: Readonly<Record<string, unknown>>;
  /** For each key set at this level or above: the file that set it (as displayed in errors). */
  readonly sources: Readonly<Partial<Record<ConfigKey, string>>>;
}

/**
 * The settings of a region (and of the modules in it).
 *
 * @group Configuration
 */
export interface RegionSettings extends ResolvedSettings {
  /** `aws_region`. */
  readonly awsRegion: string;
  /** `kube_cluster_name`. */
  readonly kubeClusterName: string;
  /** `kube_oidc_issuer`. */
  readonly kubeOidcIssuer?: string;
  /** `kube_api_server`. */
  readonly kubeApiServer?: string;
  /** `kube_config_context`. */
  readonly kubeConfigContext?: string;
  /** `cluster_profile`, merged over every level (a name becomes `{ base: name }`). @default - none: the EnvironmentContext default, "panfactum" */
  readonly clusterProfile?: ClusterProfileOverrides;
}

/**
 * One `<environment>/<region>/<module>/` directory.
 *
 * @group Configuration
 */
export interface ModuleConfig extends RegionSettings {
  /** Directory name (the module name). */
  readonly name: string;
  /** Region directory name. */
  readonly region: string;
  /** Absolute path of the module directory. */
  readonly dir: string;
  /** The module's inputs: merged `extra_inputs` overlaid with the module's own `inputs`. */
  readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * One `<environment>/<region>/` directory.
 *
 * @group Configuration
 */
export interface RegionConfig extends RegionSettings {
  /** Directory name (usually the AWS region, e.g. `us-east-2`). */
  readonly name: string;
  /** Absolute path of the region directory. */
  readonly dir: string;
  /** Modules configured under the region, by directory name (sorted). */
  readonly modules: Readonly<Record<string, ModuleConfig>>;
}

/**
 * One `environments/<environment>/` directory.
 *
 * @group Configuration
 */
export interface EnvironmentConfig extends ResolvedSettings {
  /** The environment name (= directory name = `environment`). */
  readonly name: string;
  /** Absolute path of the environment directory. */
  readonly dir: string;
  /** Its regions, sorted by directory name. */
  readonly regions: readonly RegionConfig[];
}

/**
 * Options of {@link loadEnvironments}.
 *
 * @group Configuration
 */
export interface LoadEnvironmentsOptions {
  /**
   * Load only these environments (by name). Unknown names are an error listing the
   * available ones. Files of environments not selected are not read.
   * @default - every environment
   */
  readonly only?: readonly string[];
  /**
   * Read `*.user.yaml` overrides (git-ignored, per developer).
   * @default true
   */
  readonly includeUserFiles?: boolean;
  /**
   * Paths in error messages are shown relative to this directory (when inside it).
   * @default process.cwd()
   */
  readonly displayRoot?: string;
  /**
   * How the environment selection is named in errors about it.
   * @default 'GOLDEN_PATH_ENV'
   */
  readonly selectionLabel?: string;
}

/**
 * Environment variable that selects environments (comma-separated names).
 *
 * @group Configuration
 */
export const ENVIRONMENT_SELECTION_ENV_VAR = 'GOLDEN_PATH_ENV';
/**
 * CDKTF context key that selects environments (a comma-separated string or a list).
 *
 * @group Configuration
 */
export const ENVIRONMENT_SELECTION_CONTEXT_KEY = 'env';

/**
 * Parse an environment selection: a comma- or space-separated string (`"development,staging"`)
 * or a list of names. Empty or unset means "every environment" (undefined).
 *
 * @group Configuration
 */
export function parseEnvironmentSelection(raw: unknown): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  const parts = Array.isArray(raw) ? raw.map((x) => String(x)) : String(raw).split(/[\s,]+/);
  const names = [...new Set(parts.map((s) => s.trim()).filter((s) => s !== ''))];
  return names.length > 0 ? names : undefined;
}

/**
 * The selection in force: the environment variable `GOLDEN_PATH_ENV` when set and non-empty,
 * else the CDKTF context value `env` (pass `app.node.tryGetContext('env')`), else every environment.
 *
 * @group Configuration
 */
export function resolveEnvironmentSelection(args: { envVar?: string; context?: unknown }): string[] | undefined {
  return parseEnvironmentSelection(args.envVar) ?? parseEnvironmentSelection(args.context);
}

interface Layer {
  readonly file: string;
  readonly settings: FileSettings;
}

interface Merged {
  readonly values: Partial<Record<ConfigKey, unknown>>;
  readonly sources: Partial<Record<ConfigKey, string>>;
  /** A contributing file had errors: checks on the merged result are skipped (they would only echo them). */
  readonly tainted: boolean;
}

interface Layers {
  readonly layers: Layer[];
  readonly failed: boolean;
}

const EMPTY: Merged = { values: {}, sources: {}, tainted: false };

/**
 * Read and validate the environments tree under `rootDir`:
 *
 *     <rootDir>/global.yaml                          (optional; defaults for every environment)
 *     <rootDir>/<env>/environment.yaml               (one directory per environment)
 *     <rootDir>/<env>/<region>/region.yaml           (at least one region per environment)
 *     <rootDir>/<env>/<region>/<module>/module.yaml  (optional)
 *
 * Each file may have a `<name>.user.yaml` beside it that overrides it. Precedence, lowest
 * first: global, environment, region, module. Directories whose name starts with `.` or `_`
 * are ignored. Every problem found is collected and thrown as one {@link ConfigError}.
 *
 * @returns the environments sorted by name
 *
 * @group Configuration
 */
export function loadEnvironments(rootDir: string, options: LoadEnvironmentsOptions = {}): EnvironmentConfig[] {
  checkLoadArguments(rootDir, options);
  const root = path.resolve(rootDir);
  const reader = new Reader(options.displayRoot ?? process.cwd(), options.includeUserFiles ?? true, root);
  if (!isDirectory(root)) {
    throw new ConfigError([
      { file: reader.display(root), key: '', value: undefined, expected: 'environments directory not found' },
    ]);
  }

  const candidates = subdirectories(root);
  const available = candidates.filter((d) => reader.hasConfig(path.join(root, d), 'environment'));
  for (const d of candidates) {
    if (!available.includes(d)) {
      reader.issue({
        file: reader.display(path.join(root, d)),
        key: '',
        value: undefined,
        expected: missingConfigMessage(path.join(root, d), 'environment'),
      });
    }
  }

  const only = options.only && options.only.length > 0 ? [...new Set(options.only)] : undefined;
  if (only) {
    const unknown = only.filter((n) => !available.includes(n));
    if (unknown.length > 0) {
      throw new ConfigError(
        unknown.map((n) => ({
          file: reader.display(root),
          key: options.selectionLabel ?? ENVIRONMENT_SELECTION_ENV_VAR,
          value: n,
          expected: `unknown environment; available environments: ${available.join(', ') || '(none)'}`,
        })),
      );
    }
  }

  const globalMerged = mergeLayers(EMPTY, reader.readLayers(root, 'global'));
  const selected = available.filter((d) => !only || only.includes(d));
  const environments = selected.map((d) => loadEnvironment(reader, path.join(root, d), d, globalMerged));
  reader.throwIfIssues();
  return environments;
}

function loadEnvironment(reader: Reader, dir: string, dirName: string, globalMerged: Merged): EnvironmentConfig {
  const envLayers = reader.readLayers(dir, 'environment');
  const envFile = reader.display(path.join(dir, CONFIG_FILE_NAMES.environment));
  const merged = mergeLayers(globalMerged, envLayers);
  const name = merged.values.environment as string | undefined;
  if (!envLayers.failed) {
    if (name === undefined) {
      reader.issue({ file: envFile, key: 'environment', value: undefined, expected: `${FIELDS.environment.expected} ("${dirName}")` });
    } else if (name !== dirName) {
      reader.issue({
        file: merged.sources.environment ?? envFile,
        key: 'environment',
        value: name,
        expected: `must equal the directory name "${dirName}" (rename the directory or the environment)`,
      });
    }
  }

  const regionDirs = subdirectories(dir);
  const regions: RegionConfig[] = [];
  for (const r of regionDirs) {
    const regionDir = path.join(dir, r);
    if (!reader.hasConfig(regionDir, 'region')) {
      reader.issue({
        file: reader.display(regionDir),
        key: '',
        value: undefined,
        expected: missingConfigMessage(regionDir, 'region'),
      });
      continue;
    }
    const region = loadRegion(reader, regionDir, r, merged, dirName);
    if (region) regions.push(region);
  }
  if (regionDirs.length === 0) {
    reader.issue({
      file: reader.display(dir),
      key: '',
      value: undefined,
      expected: `environment has no region: add a directory such as us-east-2/ with a ${CONFIG_FILE_NAMES.region}`,
    });
  }

  const settings = resolveSettings(merged, dirName);
  return { ...settings, name: dirName, dir, regions };
}

function loadRegion(reader: Reader, dir: string, dirName: string, envMerged: Merged, envName: string): RegionConfig | undefined {
  const merged = mergeLayers(envMerged, reader.readLayers(dir, 'region'));
  const regionFile = reader.display(path.join(dir, CONFIG_FILE_NAMES.region));
  let ok = !merged.tainted;
  for (const key of ['aws_region', 'kube_cluster_name'] as const) {
    if (!merged.tainted && merged.values[key] === undefined) {
      ok = false;
      reader.issue({
        file: regionFile,
        key,
        value: undefined,
        expected: `${FIELDS[key].expected} (required for every region; may also be set in environment.yaml or global.yaml)`,
      });
    }
  }
  if (!merged.tainted && merged.values.tf_state_bucket !== undefined && merged.values.tf_state_region === undefined) {
    ok = false;
    reader.issue({
      file: merged.sources.tf_state_bucket ?? regionFile,
      key: 'tf_state_region',
      value: undefined,
      expected: `${FIELDS.tf_state_region.expected} (required because tf_state_bucket is set)`,
    });
  }

  const modules: Record<string, ModuleConfig> = {};
  for (const m of subdirectories(dir)) {
    const moduleDir = path.join(dir, m);
    const moduleMerged = mergeLayers(merged, reader.readLayers(moduleDir, 'module'));
    if (!ok || moduleMerged.tainted) continue;
    const regionSettings = resolveRegionSettings(moduleMerged, envName);
    const inputs = { ...regionSettings.extraInputs, ...((moduleMerged.values.inputs as Record<string, unknown>) ?? {}) };
    modules[m] = { ...regionSettings, name: m, region: dirName, dir: moduleDir, inputs };
  }
  if (!ok) return undefined;
  return { ...resolveRegionSettings(merged, envName), name: dirName, dir, modules };
}

function resolveSettings(m: Merged, envName: string): ResolvedSettings {
  const v = m.values as FileSettings;
  const tfState: TfStateConfig | undefined =
    v.tf_state_bucket && v.tf_state_region
      ? stripUndefined({
          bucket: v.tf_state_bucket,
          region: v.tf_state_region,
          lockTable: v.tf_state_lock_table ?? undefined,
          profile: v.aws_profile ?? undefined,
        })
      : undefined;
  return stripUndefined({
    environment: (v.environment as string | undefined) ?? envName,
    subdomain: v.subdomain ?? undefined,
    slaTarget: v.sla_target ?? 3,
    awsAccountId: v.aws_account_id ?? undefined,
    awsProfile: v.aws_profile ?? undefined,
    tfStateBucket: v.tf_state_bucket ?? undefined,
    tfStateLockTable: v.tf_state_lock_table ?? undefined,
    tfStateRegion: v.tf_state_region ?? undefined,
    tfState,
    adoptExisting: v.adopt_existing ?? undefined,
    extraTags: { ...(v.extra_tags ?? {}) },
    extraInputs: { ...(v.extra_inputs ?? {}) },
    sources: { ...m.sources },
  });
}

function resolveRegionSettings(m: Merged, envName: string): RegionSettings {
  const v = m.values as FileSettings;
  return stripUndefined({
    ...resolveSettings(m, envName),
    awsRegion: v.aws_region as string,
    kubeClusterName: v.kube_cluster_name as string,
    kubeOidcIssuer: v.kube_oidc_issuer ?? undefined,
    kubeApiServer: v.kube_api_server ?? undefined,
    kubeConfigContext: v.kube_config_context ?? undefined,
    clusterProfile: v.cluster_profile ? { ...v.cluster_profile } : undefined,
  });
}

/** Apply layers in order: scalars replace, maps merge entry by entry, null clears. */
function mergeLayers(base: Merged, read: Layers): Merged {
  const values: Partial<Record<ConfigKey, unknown>> = { ...base.values };
  const sources: Partial<Record<ConfigKey, string>> = { ...base.sources };
  for (const layer of read.layers) {
    for (const [k, v] of Object.entries(layer.settings) as [ConfigKey, unknown][]) {
      if (v === undefined) continue;
      sources[k] = layer.file;
      if (v === null) {
        delete values[k];
      } else if (MAP_KEYS.includes(k)) {
        values[k] = { ...((values[k] as Record<string, unknown> | undefined) ?? {}), ...(v as Record<string, unknown>) };
      } else {
        values[k] = v;
      }
    }
  }
  return { values, sources, tainted: base.tainted || read.failed };
}

/** Reads configuration files and collects issues. */
class Reader {
  private readonly issues: ConfigIssue[] = [];

  /** The environments directory with symbolic links resolved (undefined when it does not exist). */
  private readonly realRoot: string | undefined;

  constructor(
    private readonly displayRoot: string,
    private readonly includeUserFiles: boolean,
    root: string,
  ) {
    this.realRoot = realPath(root);
  }

  /**
   * The real path of `file` when it lies outside the environments directory (a `*.user.yaml`
   * that is a symbolic link to a file elsewhere), else undefined.
   */
  private outsideRoot(file: string): string | undefined {
    const real = realPath(file);
    if (real === undefined || this.realRoot === undefined) return real;
    const rel = path.relative(this.realRoot, real);
    return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? real : undefined;
  }

  display(abs: string): string {
    const rel = path.relative(path.resolve(this.displayRoot), abs);
    if (rel === '') return '.';
    if (rel.startsWith('..') || path.isAbsolute(rel)) return abs.split(path.sep).join('/');
    return rel.split(path.sep).join('/');
  }

  issue(issue: ConfigIssue): void {
    const line = JSON.stringify(issue);
    if (!this.issues.some((i) => JSON.stringify(i) === line)) this.issues.push(issue);
  }

  throwIfIssues(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }

  /** True when `dir` has the file of this kind (or its .user.yaml override). */
  hasConfig(dir: string, kind: ConfigFileKind): boolean {
    return this.files(dir, kind).length > 0;
  }

  /** The existing files of this kind in `dir`: the base file, then its user override. */
  private files(dir: string, kind: ConfigFileKind): string[] {
    const base = CONFIG_FILE_NAMES[kind];
    const names = [base];
    if (this.includeUserFiles) names.push(base.replace(/\.yaml$/, '.user.yaml'));
    return names.map((n) => path.join(dir, n)).filter(isFile);
  }

  /** Read the file of this kind and its override in `dir` (both optional), validated. */
  readLayers(dir: string, kind: ConfigFileKind): Layers {
    const base = CONFIG_FILE_NAMES[kind];
    for (const wrong of [base.replace(/\.yaml$/, '.yml'), base.replace(/\.yaml$/, '.user.yml')]) {
      const p = path.join(dir, wrong);
      if (isFile(p)) {
        this.issue({
          file: this.display(p),
          key: '',
          value: undefined,
          expected: `wrong file name: rename it to ${wrong.replace(/\.yml$/, '.yaml')}`,
        });
      }
    }
    const layers: Layer[] = [];
    let failed = false;
    for (const file of this.files(dir, kind)) {
      const settings = this.readFile(file, kind);
      if (settings) layers.push({ file: this.display(file), settings });
      else failed = true;
    }
    return { layers, failed };
  }

  /**
   * Read one file. The content of a file whose real path is outside the environments directory
   * (reached through a symbolic link) never appears in a message: its problems are reported by
   * line only, so a link to a system file cannot print that file.
   */
  private readFile(file: string, kind: ConfigFileKind): FileSettings | undefined {
    const shown = this.display(file);
    const outside = this.outsideRoot(file);
    const found: Array<{ issue: ConfigIssue; quotesContent: boolean }> = [];
    const settings = this.parseFile(file, shown, kind, (issue, quotesContent = true) => found.push({ issue, quotesContent }));
    for (const { issue: i, quotesContent } of found) {
      if (outside === undefined || !quotesContent) this.issue(i);
      else {
        this.issue({
          file: shown,
          key: '',
          value: undefined,
          expected: `invalid configuration (its content is not shown: the file is a link to ${outside}, outside the environments directory)`,
          line: i.line,
        });
      }
    }
    return settings;
  }

  /** `report`'s second argument is false for an issue that quotes nothing of the file's content. */
  private parseFile(file: string, shown: string, kind: ConfigFileKind, report: (issue: ConfigIssue, quotesContent?: boolean) => void): FileSettings | undefined {
    let text: string;
    try {
      const size = fs.statSync(file).size;
      if (size > MAX_CONFIG_FILE_BYTES) {
        report({ file: shown, key: '', value: undefined, expected: `the file has ${size} bytes; a configuration file holds at most ${MAX_CONFIG_FILE_BYTES} (1 MiB)` }, false);
        return undefined;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      report({ file: shown, key: '', value: undefined, expected: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` }, false);
      return undefined;
    }
    const { LineCounter, parseDocument } = yamlModule();
    const lineCounter = new LineCounter();
    // `merge`: YAML merge keys (`<<: *base`) merge the aliased mapping, as most YAML tools do;
    // without it `<<` was read as a key named "<<" (found by the fuzz suite: extra_inputs silently
    // got a "<<" entry instead of the merged values).
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const line = err.linePos?.[0]?.line ?? lineCounter.linePos(err.pos[0]).line;
        report({ file: shown, key: '', value: undefined, expected: `invalid YAML: ${err.message.split('\n')[0]}`, line });
      }
      return undefined;
    }
    let data: unknown;
    try {
      // Aliases are resolved here: more than MAX_YAML_ALIASES (a "billion laughs" alias bomb), an
      // alias without its anchor and a `<<` merge of a non-map (YAML 1.1) throw; each is a ConfigError.
      data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) ?? {};
    } catch (e) {
      const message = e instanceof Error ? e.message.split('\n')[0] : String(e);
      const hint = /alias count/i.test(message) ? ` (more than ${MAX_YAML_ALIASES} alias expansions: write the values out, or use fewer aliases)` : '';
      report({ file: shown, key: '', value: undefined, expected: `invalid YAML: ${message}${hint}` });
      return undefined;
    }
    if (typeof data !== 'object' || Array.isArray(data) || data === null) {
      report({
        file: shown,
        key: '',
        value: undefined,
        expected: `expected a mapping of keys to values at the top of the file, found ${Array.isArray(data) ? 'a list' : `the ${typeof data} ${JSON.stringify(data)}`}`,
        line: 1,
      });
      return undefined;
    }
    const result = fileSchema(kind).safeParse(data);
    if (result.success) return result.data as FileSettings;
    for (const iss of result.error.issues) this.reportZodIssue(iss, data as Record<string, unknown>, doc, lineCounter, shown, kind, report);
    return undefined;
  }

  private reportZodIssue(
    iss: core.$ZodIssue,
    data: Record<string, unknown>,
    doc: Document,
    lineCounter: LineCounter,
    shown: string,
    kind: ConfigFileKind,
    report: (issue: ConfigIssue) => void,
  ): void {
    const lineOf = (p: readonly PropertyKey[], keyNode = false): number | undefined => {
      const offset = nodeOffset(doc, p, keyNode);
      return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    };
    if (iss.code === 'unrecognized_keys') {
      for (const k of iss.keys) {
        const p = [...iss.path, k];
        report({ file: shown, key: dotted(p), value: getIn(data, p), expected: unknownKeyMessage(k, kind), line: lineOf(p, true) });
      }
      return;
    }
    const spec = fieldSpec(String(iss.path[0]));
    if (!spec) return;
    if (iss.code === 'invalid_key') {
      const name = String(iss.path[iss.path.length - 1]);
      report({
        file: shown,
        key: dotted(iss.path),
        value: name,
        expected: `invalid name: expected ${spec.keyExpected ?? 'a valid name'}`,
        line: lineOf(iss.path, true),
      });
      return;
    }
    const expected = iss.path.length > 1 ? (spec.entryExpected ?? spec.expected) : spec.expected;
    report({ file: shown, key: dotted(iss.path), value: getIn(data, iss.path), expected: `expected ${expected}`, line: lineOf(iss.path) });
  }
}

function nodeOffset(doc: Document, p: readonly PropertyKey[], keyNode: boolean): number | undefined {
  let node: unknown = doc.contents;
  const { isMap, isScalar } = yamlModule();
  for (let i = 0; i < p.length; i++) {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p[i]));
    if (!pair) return undefined;
    if (i === p.length - 1 && keyNode) node = pair.key;
    else node = pair.value;
  }
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function getIn(data: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const k of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k as string];
  }
  return cur;
}

function dotted(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

function unknownKeyMessage(key: string, kind: ConfigFileKind): string {
  const allowed = allowedKeys(kind);
  const spec = fieldSpec(key);
  if (spec) {
    const where = spec.levels.map((l) => CONFIG_FILE_NAMES[l]).join(', ');
    return `not allowed in ${CONFIG_FILE_NAMES[kind]}; this key belongs in ${where}`;
  }
  const suggestion = closest(key, allowed);
  const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
  return `unknown key${hint}; allowed keys in ${CONFIG_FILE_NAMES[kind]}: ${allowed.join(', ')}`;
}

function closest(key: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const exact = candidates.find((c) => norm(c) === norm(key));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = levenshtein(key.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function missingConfigMessage(dir: string, kind: 'environment' | 'region'): string {
  const file = CONFIG_FILE_NAMES[kind];
  const yml = file.replace(/\.yaml$/, '.yml');
  if (isFile(path.join(dir, yml))) return `directory has no ${file}: rename ${yml} to ${file}`;
  return `directory has no ${file}: add one to make it ${kind === 'environment' ? 'an environment' : 'a region'}, or start its name with "_" to ignore it`;
}

function subdirectories(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !e.name.startsWith('_'))
    .map((e) => e.name)
    .sort();
}

/** Largest configuration file read (1 MiB): the files hold a few settings. */
const MAX_CONFIG_FILE_BYTES = 1024 * 1024;
/** Most alias expansions in one file (the yaml package's default, stated here on purpose). */
const MAX_YAML_ALIASES = 100;

/**
 * The arguments of loadEnvironments as a JavaScript caller may pass them: a wrong type is a
 * ConfigError naming the option (a string `only: 'prod'` would otherwise be split into letters).
 */
function checkLoadArguments(rootDir: unknown, options: unknown): void {
  const issue = (key: string, value: unknown, expected: string): never => {
    throw new ConfigError([{ file: 'loadEnvironments()', key, value, expected }]);
  };
  if (typeof rootDir !== 'string' || rootDir === '') issue('rootDir', rootDir, 'expected the path of the environments directory (a non-empty string)');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) issue('options', options, 'expected an options object ({} for the defaults)');
  const o = options as Record<string, unknown>;
  const known = ['only', 'includeUserFiles', 'displayRoot', 'selectionLabel'];
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) issue(`options.${k}`, o[k], `unknown option; the options are ${known.join(', ')}`);
  }
  if (o.only !== undefined) {
    if (!Array.isArray(o.only)) {
      issue('options.only', o.only, typeof o.only === 'string'
        ? `expected a list of environment names, e.g. [${JSON.stringify(o.only)}] (parseEnvironmentSelection parses a comma-separated string into one)`
        : 'expected a list of environment names, e.g. ["production"]');
    }
    (o.only as unknown[]).forEach((n, i) => {
      if (typeof n !== 'string' || n === '') issue(`options.only[${i}]`, n, 'expected an environment name (a non-empty string)');
    });
  }
  if (o.includeUserFiles !== undefined && typeof o.includeUserFiles !== 'boolean') issue('options.includeUserFiles', o.includeUserFiles, 'expected true or false');
  for (const k of ['displayRoot', 'selectionLabel']) {
    if (o[k] !== undefined && typeof o[k] !== 'string') issue(`options.${k}`, o[k], 'expected a string');
  }
}

/** `p` with symbolic links resolved, or undefined when it does not exist. */
function realPath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
