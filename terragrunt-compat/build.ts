import * as fs from 'fs';
import * as path from 'path';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../lib/core/context';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { loadEnvironments, type EnvironmentConfig, type ModuleConfig, type RegionConfig } from '../lib/config';
import { configureBackend, configureProviders, type StackProviders } from '../lib/app/providers';
import { HclError, parseTerragruntHcl } from './hcl';
import { PROP_SHAPES } from './prop-shapes.generated';
import { PANFACTUM_MODULES, isSupportedModule, type ModuleEntry, type PanfactumModuleName } from './registry';
import type { PropShape } from './shapes';

/** One problem found while reading a Panfactum tree: the module directory (or file) and what is wrong. */
export interface PanfactumProblem {
  /** Module directory or file, as displayed (relative to `displayRoot`). */
  readonly where: string;
  /** 1-based line, when known. */
  readonly line?: number;
  readonly message: string;
}

/** Every problem found in one {@link buildStacksFromPanfactumTree} call (one line each in the message). */
export class PanfactumImportError extends Error {
  constructor(public readonly problems: readonly PanfactumProblem[]) {
    super(
      `${problems.length} problem(s) in the Panfactum tree:\n` +
        problems.map((p) => `  ${p.where}${p.line !== undefined ? `:${p.line}` : ''}: ${p.message}`).join('\n'),
    );
    this.name = 'PanfactumImportError';
    Object.setPrototypeOf(this, PanfactumImportError.prototype);
  }
}

/** Options of {@link buildStacksFromPanfactumTree}. */
export interface BuildFromPanfactumOptions {
  /** Only these environments. @default - every environment */
  readonly only?: readonly string[];
  /** Read `*.user.yaml` overrides. @default true */
  readonly includeUserFiles?: boolean;
  /** Paths in messages are relative to this directory. @default process.cwd() */
  readonly displayRoot?: string;
  /** Name of the stack of one region. @default `<environment>-<region directory>-workloads` */
  readonly stackName?: (environment: EnvironmentConfig, region: RegionConfig) => string;
  /**
   * What to do with a module directory that is not a module terragrunt-compat can build
   * (aws_eks, kube_linkerd, your own modules, ...): `error` reports it, `skip` records it in
   * {@link PanfactumStack.skipped} and goes on.
   * @default 'error'
   */
  readonly unsupportedModules?: 'error' | 'skip';
}

/** One module directory turned into a construct. */
export interface BuiltModule {
  /** The module directory, as displayed. */
  readonly directory: string;
  /** The Panfactum module it was read as. */
  readonly module: PanfactumModuleName;
  /** The construct (id = directory name). */
  readonly construct: Construct;
  /** The props it was given (after mapping). */
  readonly props: Readonly<Record<string, unknown>>;
  /** `extra_inputs` keys the module has no prop for (ignored, as Terraform ignores unused variables). */
  readonly ignoredInputs: readonly string[];
}

/** The stack of one environment and region. */
export interface PanfactumStack {
  readonly stack: TerraformStack;
  readonly name: string;
  readonly environment: EnvironmentConfig;
  readonly region: RegionConfig;
  readonly providers: StackProviders;
  readonly modules: readonly BuiltModule[];
  /** Module directories left out (with `unsupportedModules: 'skip'`) and why. */
  readonly skipped: ReadonlyArray<{ readonly directory: string; readonly reason: string }>;
}

/** `image_registry` -> `imageRegistry` (already camelCase keys are kept). */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Read a Panfactum environments tree (environment.yaml, region.yaml, module.yaml and
 * each module directory's terragrunt.hcl) and add one stack per environment and region to
 * `app`, with the providers and backend configured from the YAML as in main.ts. Each module
 * directory named after a Panfactum module (or whose literal `terraform.source` ends with
 * one) becomes the matching construct; its inputs are mapped mechanically from snake_case
 * to the construct's lowerCamelCase props, recursively, keeping the keys of maps as written.
 *
 * Inputs, lowest precedence first: `extra_inputs` (global, environment, region, module),
 * module.yaml `inputs`, terragrunt.hcl `inputs`.
 *
 * @throws ConfigError for a bad YAML file (from the environment loader)
 * @throws PanfactumImportError listing every other problem: unknown inputs (with the module
 *   path), expressions in terragrunt.hcl, unsupported modules, construct validation errors
 */
export function buildStacksFromPanfactumTree(app: Construct, rootDir: string, options: BuildFromPanfactumOptions = {}): PanfactumStack[] {
  const displayRoot = options.displayRoot ?? process.cwd();
  const display = (abs: string): string => {
    const rel = path.relative(displayRoot, abs);
    return (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
  };
  const environments = loadEnvironments(rootDir, { only: options.only, includeUserFiles: options.includeUserFiles, displayRoot });
  const problems: PanfactumProblem[] = [];
  const stacks: PanfactumStack[] = [];
  const stackName = options.stackName ?? ((e, r) => `${e.name}-${r.name}-workloads`);

  for (const environment of environments) {
    for (const region of environment.regions) {
      const name = stackName(environment, region);
      const stack = new TerraformStack(app, name);
      EnvironmentContext.set(stack, {
        environment: environment.name,
        region: region.awsRegion,
        slaTarget: region.slaTarget,
        clusterName: region.kubeClusterName,
      });
      configureBackend(stack, name, region);
      const providers = configureProviders(stack, environment, region);

      const planned: Array<{ config: ModuleConfig; module: PanfactumModuleName; entry: ModuleEntry; props: Record<string, unknown>; ignored: string[] }> = [];
      const skipped: Array<{ directory: string; reason: string }> = [];
      for (const config of Object.values(region.modules)) {
        const where = display(config.dir);
        const hclPath = path.join(config.dir, 'terragrunt.hcl');
        let hclInputs: Record<string, unknown> = {};
        let source: string | undefined;
        if (fs.existsSync(hclPath)) {
          try {
            const parsed = parseTerragruntHcl(fs.readFileSync(hclPath, 'utf8'), display(hclPath));
            hclInputs = parsed.inputs ?? {};
            source = parsed.terraformSource;
          } catch (e) {
            if (!(e instanceof HclError)) throw e;
            problems.push({ where: e.file, line: e.line, message: e.reason });
            continue;
          }
        }
        const module = identifyModule(config.name, source);
        if (!module) {
          const reason = `not a module terragrunt-compat can build (supported: ${Object.keys(PANFACTUM_MODULES).join(', ')}); name the directory after one, or pass unsupportedModules: 'skip'`;
          if (options.unsupportedModules === 'skip') skipped.push({ directory: where, reason });
          else problems.push({ where, message: reason });
          continue;
        }
        // extra_inputs reach every module: keys a module has no prop for are ignored, as Terraform ignores them.
        const ownYaml = Object.keys(config.inputs).filter((k) => !(k in config.extraInputs) || config.inputs[k] !== config.extraInputs[k]);
        const own = new Set([...ownYaml, ...Object.keys(hclInputs)]);
        const merged = { ...config.inputs, ...hclInputs };
        const shape = PROP_SHAPES[module] as { object: Record<string, PropShape> };
        const before = problems.length;
        const ignored: string[] = [];
        const props: Record<string, unknown> = {};
        const fromKey: Record<string, string> = {};
        for (const [key, value] of Object.entries(merged)) {
          const camel = snakeToCamel(key);
          const propShape = shape.object[camel];
          if (propShape === undefined) {
            if (own.has(key)) problems.push({ where, message: unknownKeyMessage(key, module, Object.keys(shape.object)) });
            else ignored.push(key);
            continue;
          }
          if (camel in fromKey) {
            problems.push({ where, message: `inputs ${fromKey[camel]} and ${key} are the same prop ${camel}: keep one` });
            continue;
          }
          fromKey[camel] = key;
          if (value === null) continue;
          props[camel] = mapValue(value, propShape, key, (message) => problems.push({ where, message }));
        }
        if (problems.length > before) continue;
        planned.push({ config, module, entry: PANFACTUM_MODULES[module], props, ignored });
      }

      const namespaces = new Map<string, KubeNamespace>();
      const modules: BuiltModule[] = [];
      for (const p of planned.sort((a, b) => a.entry.order - b.entry.order || a.config.name.localeCompare(b.config.name))) {
        const where = display(p.config.dir);
        const props = { ...p.props };
        if (p.entry.namespaceRef && typeof props.namespace === 'string' && namespaces.has(props.namespace)) {
          props.namespace = namespaces.get(props.namespace);
        }
        try {
          const construct = new p.entry.construct(stack, p.config.name, props);
          if (construct instanceof KubeNamespace) namespaces.set(construct.namespaceName, construct);
          modules.push({ directory: where, module: p.module, construct, props, ignoredInputs: p.ignored });
        } catch (e) {
          problems.push({ where, message: `${p.module}: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
      stacks.push({ stack, name, environment, region, providers, modules, skipped });
    }
  }
  if (problems.length > 0) throw new PanfactumImportError(problems);
  return stacks;
}

/** The module a directory holds: its name, else the last path segment of a literal terraform.source. */
function identifyModule(dirName: string, source: string | undefined): PanfactumModuleName | undefined {
  if (isSupportedModule(dirName)) return dirName;
  if (source) {
    const last = source.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
    if (isSupportedModule(last)) return last;
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Convert one value to its prop shape; keys of objects are converted and checked, keys of maps kept. */
function mapValue(value: unknown, shape: PropShape, where: string, report: (message: string) => void): unknown {
  if (shape === 'value') return value;
  if ('list' in shape) {
    return Array.isArray(value) ? value.map((item, i) => mapValue(item, shape.list, `${where}[${i}]`, report)) : value;
  }
  if (!isPlainObject(value)) return value;
  if ('map' in shape) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapValue(v, shape.map, `${where}.${k}`, report)]));
  }
  const out: Record<string, unknown> = {};
  const fromKey: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const camel = snakeToCamel(key);
    const inner = shape.object[camel];
    if (inner === undefined) {
      report(unknownKeyMessage(`${where}.${key}`, undefined, Object.keys(shape.object), key));
      continue;
    }
    if (camel in fromKey) {
      report(`${where}.${fromKey[camel]} and ${where}.${key} are the same field ${camel}: keep one`);
      continue;
    }
    fromKey[camel] = key;
    if (v === null) continue;
    out[camel] = mapValue(v, inner, `${where}.${key}`, report);
  }
  return out;
}

function unknownKeyMessage(path: string, module: string | undefined, allowed: string[], leaf = path): string {
  const snake = allowed.map((k) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
  const suggestion = closest(leaf.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake);
  const owner = module ? ` of ${module}` : '';
  return `unknown input ${path}${owner}${suggestion ? ` (did you mean ${suggestion}?)` : `; allowed: ${snake.join(', ')}`}`;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 4)) + 1;
  for (const c of candidates) {
    const d = levenshtein(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
