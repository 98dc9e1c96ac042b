import * as fs from 'fs';
import * as path from 'path';
import { DataTerraformRemoteStateS3, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { parse as parseYaml } from 'yaml';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { ConfigError, loadEnvironments, type EnvironmentConfig, type ModuleConfig, type RegionConfig } from '../lib/config';
import { EnvironmentStack } from '../lib/app/environment-stack';
import type { StackProviders } from '../lib/app/providers';
import { HclError } from './hcl';
import { camelToSnake, snakeToCamel } from '../lib/core/naming';
import { PANFACTUM_MODULE_FACTS } from './panfactum-state';
import { PROP_SHAPES } from './prop-shapes.generated';
import { PANFACTUM_MODULES, isSupportedModule, type ModuleEntry, type PanfactumModuleName } from './registry';
import { DependencyRef, HclResolver } from './resolve';
import type { PropShape } from './shapes';
import { remapConfigError, stripPanfactumKeys } from './yaml-keys';

/** One problem found while reading a Panfactum tree: the module directory (or file) and what is wrong. */
export interface PanfactumProblem {
  /** Module directory or file, as displayed (relative to `displayRoot`). */
  readonly where: string;
  /** 1-based line, when known. */
  readonly line?: number;
  readonly message: string;
}

/** Something read and not used (or read differently): the conversion goes on. */
export type PanfactumWarning = PanfactumProblem;

/** Every problem found in one {@link buildStacksFromPanfactumTree} call (one line each in the message). */
export class PanfactumImportError extends Error {
  constructor(
    public readonly problems: readonly PanfactumProblem[],
    /** The warnings found before the conversion stopped. */
    public readonly warnings: readonly PanfactumWarning[] = [],
  ) {
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
   * {@link PanfactumStack.skipped} and goes on (its outputs are then read from its state).
   * @default 'error'
   */
  readonly unsupportedModules?: 'error' | 'skip';
  /**
   * The `repo_name` of the Panfactum repository: the first segment of every Panfactum state key
   * (`<repo_name>/<module directory>/terraform.tfstate`), needed for remote-state reads and the
   * migration plan.
   * @default - `repo_name` of the nearest panfactum.yaml in the environments directory or above it
   */
  readonly repoName?: string;
}

/** How one `dependency.x.outputs.y` of a module's inputs was turned into a value. */
export interface ResolvedReference {
  /** The input it appears in, as converted (`containers[0].env.VAULT`). */
  readonly input: string;
  /** The reference as written. */
  readonly reference: string;
  /**
   * `attribute`: a construct of the same stack (the value or token itself);
   * `cross-stack`: a construct of another stack (CDKTF adds the output and the remote-state read);
   * `remote-state`: a `terraform_remote_state` data source reading the module's Panfactum state.
   */
  readonly kind: 'attribute' | 'cross-stack' | 'remote-state';
  /** `<construct path>.<attribute>`, or `<state key> -> <output>`. */
  readonly target: string;
}

/** One module directory turned into a construct. */
export interface BuiltModule {
  /** The module directory, as displayed. */
  readonly directory: string;
  /** The module directory, absolute. */
  readonly dir: string;
  /** The Panfactum module it was read as. */
  readonly module: PanfactumModuleName;
  /** The construct (id = directory name). */
  readonly construct: Construct;
  /** The props it was given (after mapping and resolving references). */
  readonly props: Readonly<Record<string, unknown>>;
  /** The Panfactum inputs (snake_case) after merging, with references resolved to their values/tokens. */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** `extra_inputs` keys the module has no prop for (ignored, as Terraform ignores unused variables). */
  readonly ignoredInputs: readonly string[];
  /** The `dependency` references of its inputs and what each became. */
  readonly references: readonly ResolvedReference[];
  /** The module's Panfactum state key (`<repo_name>/<env>/<region>/<dir>/terraform.tfstate`), when repo_name is known. */
  readonly oldStateKey?: string;
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

/** What {@link convertPanfactumTree} built. */
export interface PanfactumConversion {
  readonly stacks: PanfactumStack[];
  /** Keys and inputs read and not used, and other findings that do not stop the conversion (deduplicated). */
  readonly warnings: PanfactumWarning[];
  /** The Panfactum `repo_name` used for state keys, when known. */
  readonly repoName?: string;
  /** The environments directory (absolute). */
  readonly rootDir: string;
}

/**
 * Inputs every Panfactum module receives from panfactum.hcl or the YAML files, which the
 * constructs have no prop for: given in a module's own inputs, they are a warning, not an error.
 */
export const PANFACTUM_WIDE_INPUTS: Readonly<Record<string, string>> = {
  pf_stack_version: 'the Panfactum module version',
  pf_stack_edition: 'the Panfactum edition',
  pf_stack_commit: 'the Panfactum module commit',
  pf_module_source: 'where Panfactum submodules are downloaded from',
  pf_module_ref: 'the ref of Panfactum submodules',
  pf_root_module: 'the Panfactum root module name',
  pf_module: 'the Panfactum module name',
  environment: 'the stack takes it from environment.yaml',
  region: 'the stack takes it from region.yaml',
  is_local: 'Panfactum local development mode',
  extra_tags: 'the stack applies extra_tags of the YAML files',
  sla_target: 'the stack takes it from sla_target of the YAML files',
  route53_zones: 'Route53 zones for Panfactum modules',
  kube_domain: 'not used by the workload constructs',
};

export { snakeToCamel };

/**
 * Read a Panfactum environments tree and add one stack per environment and region to `app`;
 * see {@link convertPanfactumTree} (this returns its stacks).
 */
export function buildStacksFromPanfactumTree(app: Construct, rootDir: string, options: BuildFromPanfactumOptions = {}): PanfactumStack[] {
  return convertPanfactumTree(app, rootDir, options).stacks;
}

interface Planned {
  readonly config: ModuleConfig;
  readonly dir: string;
  readonly where: string;
  readonly module: PanfactumModuleName;
  readonly entry: ModuleEntry;
  readonly props: Record<string, unknown>;
  readonly ignored: string[];
  readonly deps: string[];
  readonly stackIndex: number;
  built?: BuiltModule;
  failed?: boolean;
}

interface ModuleDirState {
  readonly region: RegionConfig;
  readonly stackIndex: number;
  /** `planned`: converted (see planned.failed); `skipped`: unsupported and skipped; `failed`: its problem is reported. */
  status: 'planned' | 'skipped' | 'failed';
  planned?: Planned;
}

interface StackPlan {
  readonly stack: TerraformStack;
  readonly name: string;
  readonly environment: EnvironmentConfig;
  readonly region: RegionConfig;
  readonly providers: StackProviders;
  readonly skipped: Array<{ directory: string; reason: string }>;
  readonly modules: BuiltModule[];
}

/**
 * Read a Panfactum environments tree (environment.yaml, region.yaml, module.yaml and
 * each module directory's terragrunt.hcl with its include, locals and dependency blocks) and
 * add one stack per environment and region to `app`, with the providers and backend
 * configured from the YAML as in main.ts. Each module directory named after a Panfactum module
 * (or whose literal `terraform.source` ends with one) becomes the matching construct; its
 * inputs are mapped mechanically from snake_case to the construct's lowerCamelCase props,
 * recursively, keeping the keys of maps as written.
 *
 * Inputs, lowest precedence first: `extra_inputs` (global, environment, region, module),
 * module.yaml `inputs`, the included root file's `inputs`, terragrunt.hcl `inputs`.
 *
 * `dependency.x.outputs.y` becomes: the attribute of the construct converted from `x`'s
 * directory (same stack: the value itself; another stack: a CDKTF cross-stack reference), or,
 * when that directory is not converted (a module terragrunt-compat does not build, skipped with
 * `unsupportedModules: 'skip'`), a `terraform_remote_state` read of output `y` from the
 * directory's Panfactum state.
 *
 * @throws ConfigError for a bad YAML file (from the environment loader)
 * @throws PanfactumImportError listing every other problem: unknown inputs (with the module
 *   path), expressions in terragrunt.hcl, unresolvable references, unsupported modules,
 *   construct validation errors
 */
export function convertPanfactumTree(app: Construct, rootDir: string, options: BuildFromPanfactumOptions = {}): PanfactumConversion {
  const displayRoot = options.displayRoot ?? process.cwd();
  const display = (abs: string): string => {
    const rel = path.relative(displayRoot, abs);
    return (rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel).split(path.sep).join('/');
  };
  const root = path.resolve(rootDir);
  const problems: PanfactumProblem[] = [];
  const warnings: PanfactumWarning[] = [];
  const warn = (w: PanfactumWarning): void => {
    if (!warnings.some((x) => x.where === w.where && x.line === w.line && x.message === w.message)) warnings.push(w);
  };

  // 1. The YAML files, without the Panfactum keys the loader does not know.
  const stripped = stripPanfactumKeys(root);
  for (const w of stripped.warnings) warn({ where: display(w.file), line: w.line, message: w.message });
  let environments: EnvironmentConfig[];
  try {
    environments = loadEnvironments(stripped.root, {
      only: options.only,
      includeUserFiles: options.includeUserFiles,
      displayRoot: stripped.root === root ? displayRoot : stripped.root,
    });
  } catch (e) {
    if (e instanceof ConfigError && stripped.root !== root) throw remapConfigError(e, stripped.root, stripped.toOriginal, display);
    throw e;
  } finally {
    stripped.cleanup();
  }
  const original = stripped.toOriginal;
  if (stripped.root !== root) {
    // the configs name directories of the (deleted) copy: give them the original ones
    environments = environments.map((e) => ({
      ...e,
      dir: original(e.dir),
      regions: e.regions.map((r) => ({
        ...r,
        dir: original(r.dir),
        modules: Object.fromEntries(Object.entries(r.modules).map(([k, m]) => [k, { ...m, dir: original(m.dir) }])),
      })),
    }));
  }
  const repoName = options.repoName ?? findRepoName(root);
  const oldStateKey = (dir: string): string | undefined => (repoName ? `${repoName}/${path.relative(root, dir).split(path.sep).join('/')}/terraform.tfstate` : undefined);

  // 2. Plan every module of every stack (so references can point anywhere in the tree).
  const resolver = new HclResolver(display);
  const stackName = options.stackName ?? ((e, r) => `${e.name}-${r.name}-workloads`);
  const stacks: StackPlan[] = [];
  const planned: Planned[] = [];
  /** Every module directory of the loaded regions (absolute) -> its region, converted or not. */
  const moduleDirs = new Map<string, ModuleDirState>();
  for (const environment of environments) {
    for (const region of environment.regions) {
      const name = stackName(environment, region);
      // The same stack class the generated code uses (codegen.ts): context, backend and providers from the YAML.
      const stack = new EnvironmentStack(app, name, { environment, region });
      const providers = stack.providers;
      const stackIndex = stacks.length;
      const plan: StackPlan = { stack, name, environment, region, providers, skipped: [], modules: [] };
      stacks.push(plan);
      for (const config of Object.values(region.modules)) moduleDirs.set(original(config.dir), { region, stackIndex, status: 'failed' });

      for (const config of Object.values(region.modules)) {
        const dir = original(config.dir);
        const where = display(dir);
        let hclInputs: Record<string, unknown> = {};
        let source: string | undefined;
        let deps: string[] = [];
        let ownHcl: readonly string[] = [];
        if (fs.existsSync(path.join(dir, 'terragrunt.hcl'))) {
          try {
            const resolved = resolver.resolve(dir);
            hclInputs = resolved.inputs;
            ownHcl = resolved.ownKeys;
            source = resolved.terraformSource;
            deps = [...resolved.dependencies.map((d) => d.dir), ...resolved.dependencyPaths];
            for (const w of resolved.warnings) warn(w);
          } catch (e) {
            if (!(e instanceof HclError)) throw e;
            problems.push({ where: e.file, line: e.line, message: e.reason });
            continue;
          }
        }
        const module = identifyModule(config.name, source);
        if (!module) {
          const reason = `not a module terragrunt-compat can build (supported: ${Object.keys(PANFACTUM_MODULES).join(', ')}); name the directory after one, or pass unsupportedModules: 'skip'`;
          if (options.unsupportedModules === 'skip') {
            plan.skipped.push({ directory: where, reason });
            moduleDirs.get(dir)!.status = 'skipped';
          } else problems.push({ where, message: reason });
          continue;
        }
        // extra_inputs reach every module: keys a module has no prop for are ignored, as Terraform ignores them.
        const ownYaml = Object.keys(config.inputs).filter((k) => !(k in config.extraInputs) || config.inputs[k] !== config.extraInputs[k]);
        const own = new Set([...ownYaml, ...ownHcl]);
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
            if (own.has(key) && Object.prototype.hasOwnProperty.call(PANFACTUM_WIDE_INPUTS, key)) {
              warn({ where, message: `input ${key} is not used: ${PANFACTUM_WIDE_INPUTS[key]} (${module} has no such prop)` });
            } else if (own.has(key)) problems.push({ where, message: unknownKeyMessage(key, module, Object.keys(shape.object)) });
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
        const p: Planned = { config, dir, where, module, entry: PANFACTUM_MODULES[module], props, ignored, deps, stackIndex, failed: problems.length > before };
        Object.assign(moduleDirs.get(dir)!, { planned: p, status: 'planned' });
        if (!p.failed) planned.push(p);
      }
    }
  }

  // 3. Create the constructs, each after the modules it references (namespaces first otherwise).
  const order = topologicalOrder(planned, moduleDirs, (p) => problems.push(p), display);
  const namespaces = new Map<number, Map<string, KubeNamespace>>();
  const remoteStates = new Map<string, DataTerraformRemoteStateS3>();
  for (const p of order) {
    const plan = stacks[p.stackIndex];
    const references: ResolvedReference[] = [];
    const codes = new Map<DependencyRef, RefCode>();
    const before = problems.length;
    let blocked = false;
    const report = (message: string, ref?: DependencyRef): void => {
      problems.push(ref ? { where: ref.file, line: ref.line, message } : { where: p.where, message });
    };
    const resolveRef = (ref: DependencyRef, input: string, wantsNamespace: boolean): unknown => {
      const target = moduleDirs.get(ref.dir);
      const written = `${input}: ${ref.toString()}`;
      if (target?.status === 'failed') {
        blocked = true; // its own problem is reported
        return undefined;
      }
      if (target?.status === 'planned' && target.planned) {
        const t = target.planned;
        if (t.failed || !t.built) {
          blocked = true; // its own problem is reported
          return undefined;
        }
        const facts = PANFACTUM_MODULE_FACTS[t.module];
        const attribute = facts?.outputs[ref.output];
        if (!attribute) {
          const declared = facts?.declaredOutputs.includes(ref.output);
          return report(
            declared
              ? `${written}: ${t.module} declares output ${ref.output} but ${t.entry.construct.name} has no attribute with the same value; its Panfactum state goes away with the migration, so it is not read from there: set the value literally`
              : `${written}: ${t.module} has no output ${ref.output} (its outputs: ${facts?.declaredOutputs.join(', ') || 'none'})`,
            ref,
          );
        }
        const sameStack = t.stackIndex === p.stackIndex;
        const construct = t.built.construct;
        if (wantsNamespace && sameStack && construct instanceof KubeNamespace) {
          references.push({ input, reference: ref.toString(), kind: 'attribute', target: `${construct.node.path}` });
          codes.set(ref, { kind: 'construct', target: t.built });
          return construct;
        }
        const value = (construct as unknown as Record<string, unknown>)[attribute];
        if (value === undefined) return report(`${written}: ${construct.node.path}.${attribute} is not set for this configuration of ${t.module}`, ref);
        const tokenized = Token.isUnresolved(value) || JSON.stringify(value ?? null).includes('${TfToken[');
        references.push({ input, reference: ref.toString(), kind: sameStack || !tokenized ? 'attribute' : 'cross-stack', target: `${construct.node.path}.${attribute}` });
        codes.set(ref, { kind: 'construct', target: t.built, attribute });
        return value;
      }
      // Not converted: read the output from the directory's Panfactum state.
      const region = target?.region;
      if (!region) {
        return report(
          `${written}: ${display(ref.dir)} is not a module directory of the loaded environments (${fs.existsSync(ref.dir) ? 'load its environment too' : 'no such directory'}), so neither its construct nor its state is known`,
          ref,
        );
      }
      if (!region.tfState) return report(`${written}: ${display(ref.dir)} is not converted and its region has no tf_state_bucket, so its Panfactum state cannot be read`, ref);
      const key = oldStateKey(ref.dir);
      if (!key) {
        return report(
          `${written}: ${display(ref.dir)} is not converted, so the output is read from its Panfactum state, whose key starts with the repo_name: pass repoName (or add panfactum.yaml with repo_name)`,
          ref,
        );
      }
      const id = `remote-state-${path.relative(root, ref.dir).split(path.sep).join('-').replace(/[^A-Za-z0-9_-]/g, '_')}`;
      const cacheKey = `${p.stackIndex}:${id}`;
      let remote = remoteStates.get(cacheKey);
      if (!remote) {
        remote = new DataTerraformRemoteStateS3(plan.stack, id, {
          bucket: region.tfState.bucket,
          key,
          region: region.tfState.region,
          ...(region.tfState.profile ? { profile: region.tfState.profile } : {}),
        });
        remoteStates.set(cacheKey, remote);
        const list = STACK_REMOTE_STATES.get(plan.stack) ?? [];
        list.push({ id, dir: path.relative(root, ref.dir).split(path.sep).join('/'), bucket: region.tfState.bucket, key, region: region.tfState.region, ...(region.tfState.profile ? { profile: region.tfState.profile } : {}) });
        STACK_REMOTE_STATES.set(plan.stack, list);
      }
      references.push({ input, reference: ref.toString(), kind: 'remote-state', target: `s3://${region.tfState.bucket}/${key} -> ${ref.output}` });
      const getter = remoteGetter(ref.mock);
      codes.set(ref, { kind: 'remote', id, getter, output: ref.output });
      return remoteOutput(remote, ref.output, getter);
    };
    const substitute = (v: unknown, input: string, top: string | undefined): unknown => {
      if (v instanceof DependencyRef) return resolveRef(v, input, top === 'namespace' && p.entry.namespaceRef === true);
      if (Array.isArray(v)) return v.map((x, i) => substitute(x, `${input}[${i}]`, undefined));
      if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, `${input}.${k}`, undefined)]));
      return v;
    };
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.props)) props[k] = substitute(v, k, k);
    if (problems.length > before || blocked) {
      p.failed = true;
      continue;
    }
    const nsByName = namespaces.get(p.stackIndex) ?? new Map<string, KubeNamespace>();
    namespaces.set(p.stackIndex, nsByName);
    if (p.entry.namespaceRef && typeof props.namespace === 'string' && nsByName.has(props.namespace)) {
      props.namespace = nsByName.get(props.namespace);
    }
    try {
      const construct = new p.entry.construct(plan.stack, p.config.name, props);
      if (construct instanceof KubeNamespace) nsByName.set(construct.namespaceName, construct);
      const inputs = unmapInputs(props);
      p.built = {
        directory: p.where,
        dir: p.dir,
        module: p.module,
        construct,
        props,
        inputs,
        ignoredInputs: p.ignored,
        references,
        ...(oldStateKey(p.dir) ? { oldStateKey: oldStateKey(p.dir) } : {}),
      };
      plan.modules.push(p.built);
      MODULE_CODE.set(p.built, { rawProps: p.props, refs: codes });
    } catch (e) {
      p.failed = true;
      problems.push({ where: p.where, message: `${p.module}: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  if (problems.length > 0) throw new PanfactumImportError(problems, warnings);
  const sortKey = (m: BuiltModule): [number, string] => [PANFACTUM_MODULES[m.module].order, m.construct.node.id];
  const result: PanfactumStack[] = stacks.map((s) => ({
    stack: s.stack,
    name: s.name,
    environment: s.environment,
    region: s.region,
    providers: s.providers,
    modules: [...s.modules].sort((a, b) => sortKey(a)[0] - sortKey(b)[0] || sortKey(a)[1].localeCompare(sortKey(b)[1])),
    skipped: s.skipped,
  }));
  return { stacks: result, warnings, rootDir: root, ...(repoName ? { repoName } : {}) };
}

/** How a remote-state output is read: by the type of its mock_outputs value (a string without one). */
export type RemoteGetter = 'getString' | 'getNumber' | 'getBoolean' | 'getList' | 'anyMap';

function remoteGetter(mock: unknown): RemoteGetter {
  if (typeof mock === 'number') return 'getNumber';
  if (typeof mock === 'boolean') return 'getBoolean';
  if (Array.isArray(mock)) return 'getList';
  if (mock !== undefined && mock !== null && typeof mock === 'object') return 'anyMap';
  return 'getString';
}

function remoteOutput(remote: DataTerraformRemoteStateS3, output: string, getter: RemoteGetter): unknown {
  return getter === 'anyMap' ? Token.asAnyMap(remote.get(output)) : remote[getter](output);
}

/** How the generated code writes one dependency reference (codegen.ts). */
export type RefCode =
  | { readonly kind: 'construct'; readonly target: BuiltModule; readonly attribute?: string }
  | { readonly kind: 'remote'; readonly id: string; readonly getter: RemoteGetter; readonly output: string };

/** Per built module: its props before the references were resolved, and how each was resolved (for codegen.ts). */
export const MODULE_CODE = new WeakMap<BuiltModule, { readonly rawProps: Readonly<Record<string, unknown>>; readonly refs: ReadonlyMap<DependencyRef, RefCode> }>();

/** Per stack: the remote states read (for codegen.ts). */
export const STACK_REMOTE_STATES = new WeakMap<TerraformStack, Array<{ id: string; dir: string; bucket: string; key: string; region: string; profile?: string }>>();

/** The props back in snake_case (for the migration plan's conditions, which follow the Panfactum inputs). */
function unmapInputs(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const walk = (v: unknown, keys: boolean): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, keys));
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [keys ? camelToSnake(k) : k, walk(x, keys)]));
    return v;
  };
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) out[camelToSnake(k)] = k === 'containers' ? walk(v, true) : v instanceof Construct ? (v as KubeNamespace).namespaceName ?? v : v;
  return out;
}

/** Modules in creation order: each after the converted modules it depends on; otherwise by stack, order, name. */
function topologicalOrder(
  planned: Planned[],
  moduleDirs: Map<string, ModuleDirState>,
  report: (p: PanfactumProblem) => void,
  display: (abs: string) => string,
): Planned[] {
  const sorted = [...planned].sort((a, b) => a.stackIndex - b.stackIndex || a.entry.order - b.entry.order || a.config.name.localeCompare(b.config.name));
  const out: Planned[] = [];
  const state = new Map<Planned, 'visiting' | 'done'>();
  const visit = (p: Planned, chain: Planned[]): void => {
    const s = state.get(p);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...chain.slice(chain.indexOf(p)), p].map((x) => display(x.dir));
      report({ where: p.where, message: `dependency cycle: ${cycle.join(' -> ')}` });
      return;
    }
    state.set(p, 'visiting');
    for (const d of p.deps) {
      const t = moduleDirs.get(d)?.planned;
      if (t && !t.failed && t !== p) visit(t, [...chain, p]);
    }
    state.set(p, 'done');
    out.push(p);
  };
  for (const p of sorted) visit(p, []);
  return out;
}

/** `repo_name` of the nearest panfactum.yaml in `dir` or a directory above it. */
function findRepoName(dir: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    const f = path.join(d, 'panfactum.yaml');
    if (fs.existsSync(f)) {
      try {
        const v = parseYaml(fs.readFileSync(f, 'utf8'))?.repo_name;
        return typeof v === 'string' && v !== '' ? v : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
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

/** A plain data object (not a list, a construct, a DependencyRef or another class instance). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
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
  const snake = allowed.map(camelToSnake);
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
