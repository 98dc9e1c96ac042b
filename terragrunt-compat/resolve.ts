/**
 * Resolve one module directory's terragrunt.hcl as terragrunt would, as far as the inputs
 * are concerned: its `include` (the root file's inputs merged under the module's, its locals
 * visible as `include.<label>.locals.x` when exposed), its `locals` (literal values and
 * references to other locals), and its `dependency` blocks, whose `dependency.x.outputs.y`
 * references stay in the inputs as {@link DependencyRef} for the builder to turn into a
 * construct attribute, a cross-stack reference or a remote-state read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { HclError, HclRef, parseTerragruntHcl, type HclDependency, type HclInclude, type HclLocal, type TerragruntFile } from './hcl';

/** `dependency.<name>.outputs.<output>` in the inputs of a module directory. */
export class DependencyRef {
  constructor(
    /** The dependency block's name. */
    public readonly dependency: string,
    /** The output read. */
    public readonly output: string,
    /** The dependency's directory (absolute), from its `config_path`. */
    public readonly dir: string,
    /** The file and line of the reference, as displayed. */
    public readonly file: string,
    public readonly line: number,
    /** `mock_outputs.<output>` when the block has one (its type picks the remote-state getter). */
    public readonly mock: unknown,
  ) {}

  public toString(): string {
    return `dependency.${this.dependency}.outputs.${this.output}`;
  }
}

/** A finding that does not stop the conversion. */
export interface ResolveWarning {
  /** File or directory, as displayed. */
  readonly where: string;
  readonly line?: number;
  readonly message: string;
}

/** A module directory's terragrunt.hcl, resolved. */
export interface ResolvedModuleHcl {
  /** Inputs: the included root's (per its merge strategy) under the module's own, with {@link DependencyRef} leaves. */
  readonly inputs: Record<string, unknown>;
  /** Keys of the module's own `inputs` (the root file's inputs reach every module, so a key a module lacks is ignored, as Terraform ignores unused TF_VAR_ variables). */
  readonly ownKeys: readonly string[];
  /** Line of each input key (in the file it came from). */
  readonly inputLines: Readonly<Record<string, { file: string; line?: number }>>;
  /** A literal `terraform.source`. */
  readonly terraformSource?: string;
  /** The dependency blocks, with absolute directories. */
  readonly dependencies: ReadonlyArray<HclDependency & { readonly dir: string }>;
  /** `dependencies { paths }` as absolute directories (ordering only). */
  readonly dependencyPaths: readonly string[];
  /** The root file included, if any (absolute). */
  readonly included?: string;
  readonly warnings: readonly ResolveWarning[];
}

/** Why a top-level key of terragrunt.hcl is not needed by the conversion. */
const IGNORED_KEY_REASONS: Readonly<Record<string, string>> = {
  remote_state: "the stack's backend comes from the tf_state_* keys of the YAML files",
  generate: 'providers and backend are configured by the stack from the YAML files',
  terraform_binary: 'the CDKTF stack is planned with the CLI you choose',
  terraform_version_constraint: 'the CDKTF stack is planned with the CLI you choose',
  terragrunt_version_constraint: 'terragrunt is not used by the converted stack',
  retryable_errors: 'terragrunt retry settings do not apply to the converted stack',
  retry_max_attempts: 'terragrunt retry settings do not apply to the converted stack',
  retry_sleep_interval_sec: 'terragrunt retry settings do not apply to the converted stack',
  download_dir: 'terragrunt is not used by the converted stack',
  iam_role: 'the stack uses the aws_profile of the YAML files',
  prevent_destroy: 'the converted resources carry no prevent_destroy; protect them with lifecycle settings in code',
  skip: 'the module directory is converted anyway; remove it if it must not be',
};

/** Reads terragrunt.hcl files once per call of the builder (root files are shared by many modules). */
export class HclResolver {
  private readonly files = new Map<string, TerragruntFile>();

  constructor(private readonly display: (abs: string) => string) {}

  private read(abs: string, root: boolean): TerragruntFile {
    let f = this.files.get(abs);
    if (!f) {
      f = parseTerragruntHcl(fs.readFileSync(abs, 'utf8'), this.display(abs), { lazyInputs: root });
      this.files.set(abs, f);
    }
    return f;
  }

  /**
   * Resolve `<dir>/terragrunt.hcl`.
   * @throws HclError naming the file and line of what cannot be resolved
   */
  resolve(dir: string): ResolvedModuleHcl {
    const file = path.join(dir, 'terragrunt.hcl');
    const shown = this.display(file);
    const own = this.read(file, false);
    if (own.inputsError) throw own.inputsError; // read earlier as another module's root file
    const warnings: ResolveWarning[] = [];
    ignoredWarnings(own, shown, warnings);

    const roots = new Map<string, { include: HclInclude; abs: string; file?: TerragruntFile; panfactum: boolean }>();
    for (const inc of own.includes) {
      const abs = locateInclude(dir, inc, shown);
      const panfactum = path.basename(abs) === 'panfactum.hcl';
      const rootFile = this.read(abs, true);
      if (rootFile.includes.length > 0) {
        throw new HclError(this.display(abs), rootFile.includes[0].line, 'include inside an included file: terragrunt-compat follows one level of include');
      }
      roots.set(inc.label, { include: inc, abs, file: rootFile, panfactum });
      if (!panfactum) ignoredWarnings(rootFile, this.display(abs), warnings);
    }
    if (roots.size > 1) {
      throw new HclError(shown, own.includes[1].line, 'more than one include: terragrunt-compat merges one root file');
    }

    const ctxOf = (f: TerragruntFile, fileShown: string, isRoot: boolean): Ctx => ({
      file: f,
      shown: fileShown,
      dir,
      isRoot,
      includes: isRoot ? new Map() : roots,
      resolver: this,
    });
    const ownCtx = ctxOf(own, shown, false);

    const inputs: Record<string, unknown> = {};
    const inputLines: Record<string, { file: string; line?: number }> = {};
    let included: string | undefined;
    for (const root of roots.values()) {
      included = root.abs;
      if (root.include.mergeStrategy === 'no_merge') continue;
      const rootShown = this.display(root.abs);
      if (root.panfactum) {
        warnings.push({
          where: rootShown,
          message:
            'the Panfactum root file is not evaluated: its inputs are extra_inputs (read from the YAML files) and the Panfactum-wide ' +
            'pf_module_source, pf_module_ref, sla_target, route53_zones and kube_domain (no construct props; sla_target comes from the YAML)',
        });
        continue;
      }
      if (root.file!.inputsError) throw root.file!.inputsError;
      const rootInputs = resolveValue(root.file!.inputs ?? {}, ctxOf(root.file!, rootShown, true), 'inputs', []) as Record<string, unknown>;
      for (const [k, v] of Object.entries(rootInputs)) {
        inputs[k] = v;
        inputLines[k] = { file: rootShown, line: root.file!.inputsLine };
      }
    }
    const ownInputs = resolveValue(own.inputs ?? {}, ownCtx, 'inputs', [], true) as Record<string, unknown>;
    const deep = [...roots.values()].some((r) => r.include.mergeStrategy === 'deep');
    for (const [k, v] of Object.entries(ownInputs)) {
      inputs[k] = deep && k in inputs ? deepMerge(inputs[k], v) : v;
      inputLines[k] = { file: shown, line: own.inputsLine };
    }

    return {
      inputs,
      ownKeys: Object.keys(ownInputs),
      inputLines,
      ...(own.terraformSource ? { terraformSource: own.terraformSource } : {}),
      dependencies: Object.values(own.dependencies).map((d) => ({ ...d, dir: path.resolve(dir, d.configPath) })),
      dependencyPaths: own.dependencyPaths.map((p) => path.resolve(dir, p)),
      ...(included ? { included } : {}),
      warnings,
    };
  }

  /** For the context of an included file. */
  rootFile(abs: string): TerragruntFile {
    return this.read(abs, true);
  }
}

interface Ctx {
  readonly file: TerragruntFile;
  readonly shown: string;
  readonly dir: string;
  readonly isRoot: boolean;
  readonly includes: ReadonlyMap<string, { include: HclInclude; abs: string; file?: TerragruntFile; panfactum: boolean }>;
  readonly resolver: HclResolver;
}

function ignoredWarnings(f: TerragruntFile, shown: string, warnings: ResolveWarning[]): void {
  for (const ig of f.ignored) {
    const reason = IGNORED_KEY_REASONS[ig.key];
    warnings.push({
      where: shown,
      line: ig.line,
      message: reason ? `${ig.key} is not used: ${reason}` : `unknown top-level ${ig.kind} ${ig.key}: not used by terragrunt-compat`,
    });
  }
}

/** The file an include names: find_in_parent_folders() looks in the directories above `dir`, nearest first. */
function locateInclude(dir: string, inc: HclInclude, shown: string): string {
  if ('literal' in inc.path) {
    const abs = path.resolve(dir, inc.path.literal);
    if (!fs.existsSync(abs)) throw new HclError(shown, inc.line, `include: ${inc.path.literal} not found`);
    return abs;
  }
  const name = inc.path.find ?? 'terragrunt.hcl';
  for (let d = path.dirname(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, name);
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    if (path.dirname(d) === d) break;
  }
  throw new HclError(shown, inc.line, `include: find_in_parent_folders(${inc.path.find === undefined ? '' : JSON.stringify(inc.path.find)}) finds no ${name} in the directories above`);
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (Array.isArray(base) && Array.isArray(over)) return [...base, ...over];
  if (isObject(base) && isObject(over)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in out ? deepMerge(out[k], v) : v;
    return out;
  }
  return over;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof HclRef) && !(v instanceof DependencyRef);
}

/** Replace references in a value; `stack` holds the locals being resolved (cycle detection). */
function resolveValue(value: unknown, ctx: Ctx, where: string, stack: string[], allowDependency = false): unknown {
  if (value instanceof HclRef) return resolveRef(value, ctx, where, stack, allowDependency);
  if (Array.isArray(value)) return value.map((v, i) => resolveValue(v, ctx, `${where}[${i}]`, stack, allowDependency));
  if (isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveValue(v, ctx, `${where}.${k}`, stack, allowDependency)]));
  }
  return value;
}

function resolveRef(ref: HclRef, ctx: Ctx, where: string, stack: string[], allowDependency: boolean): unknown {
  const fail = (msg: string): never => {
    throw new HclError(ref.file, ref.line, `${where}: ${ref.toString()}: ${msg}`);
  };
  const [root, ...rest] = ref.parts;
  if (root === 'local') {
    if (rest.length === 0) fail('name a local, local.<name>');
    return descend(localValue(rest[0], ctx, ref, where, stack), rest.slice(1), fail);
  }
  if (root === 'dependency') {
    if (!allowDependency) fail(ctx.isRoot ? 'dependency outputs in an included file are not supported' : 'dependency outputs can only be used in inputs (terragrunt evaluates locals before dependencies)');
    if (rest.length < 3 || rest[1] !== 'outputs') fail('expected dependency.<name>.outputs.<output>');
    if (rest.length > 3) fail('reading inside an output (.<attribute>) is not supported: reference the whole output');
    const dep = ctx.file.dependencies[rest[0]];
    if (!dep) fail(`no dependency "${rest[0]}" block in this file`);
    if (dep.skipOutputs) fail(`dependency "${rest[0]}" has skip_outputs = true, so its outputs are not read`);
    return new DependencyRef(rest[0], rest[2], path.resolve(ctx.dir, dep.configPath), ref.file, ref.line, dep.mockOutputs?.[rest[2]]);
  }
  if (root === 'include') {
    if (ctx.isRoot) fail('an included file cannot read include.*');
    const inc = ctx.includes.get(rest[0] ?? '');
    if (!inc) fail(`no include "${rest[0] ?? ''}" block in this file`);
    if (!inc!.include.expose) fail(`include "${rest[0]}" needs expose = true for its values to be read (as in terragrunt)`);
    const rootFile = ctx.resolver.rootFile(inc!.abs);
    const rootCtx: Ctx = { file: rootFile, shown: ctx.shown, dir: ctx.dir, isRoot: true, includes: new Map(), resolver: ctx.resolver };
    if (rest[1] === 'locals' && rest.length >= 3) return descend(localValue(rest[2], rootCtx, ref, where, stack), rest.slice(3), fail);
    if (rest[1] === 'inputs' && rest.length >= 3) {
      if (inc!.panfactum) fail('the inputs of panfactum.hcl are not evaluated; set the value in the YAML files');
      if (rootFile.inputsError) throw rootFile.inputsError;
      const inputs = resolveValue(rootFile.inputs ?? {}, rootCtx, 'inputs', stack) as Record<string, unknown>;
      if (!(rest[2] in inputs)) fail(`the included file sets no input ${rest[2]}`);
      return descend(inputs[rest[2]], rest.slice(3), fail);
    }
    fail('expected include.<label>.locals.<name> or include.<label>.inputs.<name>');
  }
  return fail('not a reference terragrunt-compat resolves');
}

function localValue(name: string, ctx: Ctx, ref: HclRef, where: string, stack: string[]): unknown {
  const local: HclLocal | undefined = ctx.file.locals[name];
  const key = `${ctx.file === undefined ? '' : ctx.isRoot ? 'root' : 'own'}:${name}`;
  if (!local) throw new HclError(ref.file, ref.line, `${where}: ${ref.toString()}: no local "${name}"${ctx.isRoot ? ' in the included file' : ''}`);
  if (local.error) {
    throw new HclError(local.error.file, local.error.line, `${local.error.reason} (needed by ${ref.toString()} at ${ref.file}:${ref.line})`);
  }
  if (stack.includes(key)) throw new HclError(ref.file, ref.line, `${where}: ${ref.toString()}: locals refer to each other in a cycle (${[...stack, key].map((k) => k.split(':')[1]).join(' -> ')})`);
  return resolveValue(local.value, ctx, `local.${name}`, [...stack, key]);
}

function descend(value: unknown, attrs: readonly string[], fail: (msg: string) => never): unknown {
  let v = value;
  for (const a of attrs) {
    if (!isObject(v) || !(a in v)) fail(`the value has no attribute ${a}`);
    v = (v as Record<string, unknown>)[a];
  }
  return v;
}
