/**
 * The real Terraform and OpenTofu CLIs as judges of what the library emits.
 *
 * Tier 1 (every `npm test`): `init -backend=false` parses and decodes the whole configuration
 * (every block, `lifecycle`, `depends_on`, references, module calls) before it installs a
 * provider, so a stand-in provider executable from a local filesystem mirror is enough and
 * no registry is needed. Tier 2 (`npm run e2e`) uses the same code with the real providers.
 *
 * Tools are found in this order: `GOLDEN_PATH_TERRAFORM` / `GOLDEN_PATH_TOFU`, the cache
 * that `scripts/e2e-setup.sh clis` fills (`GOLDEN_PATH_CACHE`, default
 * `~/.cache/cdktf-golden-path`), then the PATH.
 */
import { execFile, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export type CliName = 'terraform' | 'tofu';
export const CLI_NAMES: readonly CliName[] = ['terraform', 'tofu'];

export interface Cli {
  readonly name: CliName;
  readonly path: string;
  readonly version: string;
}

/** A synthesized stack: its name (for messages) and its parsed `cdk.tf.json`. */
export interface StackUnderTest {
  readonly name: string;
  readonly json: any;
  /** Where it came from (a test file, the example app), for messages. */
  readonly origin?: string;
}

/** One error diagnostic a CLI reported, tied to the stack and construct it came from. */
export interface CliProblem {
  readonly cli: CliName;
  readonly stack: string;
  readonly origin?: string;
  /** The construct path of the resource named in the diagnostic, when there is one. */
  readonly constructPath?: string;
  /** The diagnostic as the CLI printed it. */
  readonly message: string;
}

export const SETUP_COMMAND = 'bash scripts/e2e-setup.sh clis';

export function cacheDir(): string {
  return process.env.GOLDEN_PATH_CACHE ?? path.join(os.homedir(), '.cache', 'cdktf-golden-path');
}

const found = new Map<CliName, Cli | undefined>();

/** The CLI, or undefined when it is not installed. */
export function findCli(name: CliName): Cli | undefined {
  if (found.has(name)) return found.get(name);
  const candidates: string[] = [];
  const fromEnv = process.env[name === 'terraform' ? 'GOLDEN_PATH_TERRAFORM' : 'GOLDEN_PATH_TOFU'];
  if (fromEnv) candidates.push(fromEnv);
  const binDir = path.join(cacheDir(), 'bin');
  if (fs.existsSync(binDir)) {
    const builds = fs.readdirSync(binDir).filter((d) => d.startsWith(`${name}-`) && !d.endsWith('.tmp')).sort(compareVersionsDescending);
    candidates.push(...builds.map((d) => path.join(binDir, d, name)));
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, name));
  let cli: Cli | undefined;
  for (const candidate of candidates) {
    if (!isExecutable(candidate)) continue;
    const out = spawnSync(candidate, ['version', '-json'], { encoding: 'utf8', env: cliEnv(), timeout: 30_000 });
    if (out.status !== 0) continue;
    const json = out.stdout.slice(out.stdout.indexOf('{'));
    const version = JSON.parse(json).terraform_version as string;
    cli = { name, path: candidate, version };
    break;
  }
  found.set(name, cli);
  return cli;
}

/** Both CLIs, or an Error that names the setup command. */
export function requireClis(): Cli[] {
  const clis = CLI_NAMES.map((name) => ({ name, cli: findCli(name) }));
  const missing = clis.filter((c) => !c.cli).map((c) => c.name);
  if (missing.length > 0) {
    throw new Error(
      `The real-CLI checks need ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed. ` +
        `Run \`${SETUP_COMMAND}\` (builds OpenTofu from its Go module into ${cacheDir()}; about 10 minutes the first time), ` +
        'or point GOLDEN_PATH_TERRAFORM / GOLDEN_PATH_TOFU at the binaries.',
    );
  }
  return clis.map((c) => c.cli as Cli);
}

/** The environment the CLIs run in: no update checks, no prompts, no colour. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', TF_INPUT: '0', ...extra };
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.TF_DATA_DIR;
  // A CLI configuration named but missing makes every command print a warning first.
  for (const key of ['TF_CLI_CONFIG_FILE', 'TOFU_CLI_CONFIG_FILE']) {
    if (env[key] && !extra[key] && !fs.existsSync(env[key] as string)) delete env[key];
  }
  return env;
}

/** A provider requirement of a stack: `hashicorp/aws` at `6.25.0`. */
export interface ProviderRequirement {
  readonly namespace: string;
  readonly type: string;
  readonly version: string;
}

/** Every `required_providers` entry of the stacks, with an exact version that meets its constraint. */
export function providerRequirements(stacks: readonly StackUnderTest[]): ProviderRequirement[] {
  const seen = new Map<string, ProviderRequirement>();
  for (const stack of stacks) {
    const required = stack.json?.terraform?.required_providers ?? {};
    for (const [local, spec] of Object.entries<any>(required)) {
      const source: string = typeof spec === 'string' ? local : spec.source ?? local;
      const parts = source.split('/');
      const type = parts[parts.length - 1];
      const namespace = parts.length >= 2 ? parts[parts.length - 2] : 'hashicorp';
      const constraint: string = typeof spec === 'string' ? spec : spec.version ?? '';
      const version = versionMeeting(constraint);
      seen.set(`${namespace}/${type}/${version}`, { namespace, type, version });
    }
  }
  return [...seen.values()];
}

/**
 * A version that meets a constraint as the library and CDKTF write them: an exact version
 * (`6.25.0`, `= 6.25.0`) or a lower bound (`>= 6.0`, `~> 6.25`) meets itself.
 */
export function versionMeeting(constraint: string): string {
  if (!constraint.trim()) return '0.0.1';
  const first = constraint.split(',')[0].trim();
  const m = /^(?:=|>=|~>)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(first);
  if (!m) throw new Error(`cannot pick a provider version for the constraint "${constraint}"`);
  return `${m[1]}.${m[2] ?? '0'}.${m[3] ?? '0'}`;
}

const REGISTRY_HOSTS = ['registry.terraform.io', 'registry.opentofu.org'];

/**
 * A filesystem mirror with a stand-in executable for each provider, and a CLI configuration
 * that installs providers only from it. Returns the CLI configuration file.
 */
export function standInMirror(dir: string, providers: readonly ProviderRequirement[]): string {
  for (const p of providers) {
    for (const host of REGISTRY_HOSTS) {
      const target = path.join(dir, 'mirror', host, p.namespace, p.type, p.version, 'linux_amd64');
      fs.mkdirSync(target, { recursive: true });
      const bin = path.join(target, `terraform-provider-${p.type}_v${p.version}`);
      if (!fs.existsSync(bin)) fs.writeFileSync(bin, '#!/bin/sh\n# stand-in: init installs it, nothing runs it\nexit 1\n', { mode: 0o755 });
    }
  }
  return writeCliConfig(dir, path.join(dir, 'mirror'));
}

/** A CLI configuration installing every provider from `mirror` and never from a registry. */
export function writeCliConfig(dir: string, mirror: string, pluginCacheDir?: string): string {
  const hosts = REGISTRY_HOSTS.map((h) => `"${h}/*/*"`).join(', ');
  const file = path.join(dir, 'cli.tfrc');
  fs.writeFileSync(
    file,
    [
      ...(pluginCacheDir ? [`plugin_cache_dir = ${JSON.stringify(pluginCacheDir)}`] : []),
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = [${hosts}]`,
      '  }',
      `  direct { exclude = [${hosts}] }`,
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI command (bounded in time); never throws for a non-zero exit. */
export function runCli(cli: Cli, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      cli.path,
      args,
      { cwd: options.cwd, env: cliEnv(options.env), timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as any).code === 'number' ? (error as any).code : 1) : 0;
        const timedOut = error && (error as any).killed ? `\n(timed out after ${options.timeoutMs ?? 120_000} ms)` : '';
        resolve({ code, stdout: String(stdout), stderr: String(stderr) + timedOut });
      },
    );
  });
}

/**
 * Parses the stacks with the CLI: `init -backend=false` of one root module that calls each
 * stack as a child module (one process for many stacks). A stack with root-only blocks
 * (`import`, `removed`) gets a root of its own. Returns every error diagnostic, tied to its
 * stack and the construct path of the resource it names.
 */
export async function parseWithCli(cli: Cli, stacks: readonly StackUnderTest[], workDir: string): Promise<CliProblem[]> {
  const dir = fs.mkdtempSync(path.join(workDir, `${cli.name}-`));
  const config = standInMirror(dir, providerRequirements(stacks));
  const shared: number[] = [];
  const alone: number[] = [];
  stacks.forEach((s, i) => (s.json?.import || s.json?.removed ? alone : shared).push(i));
  const roots: { root: string; members: Map<string, number> }[] = [];
  if (shared.length > 0) {
    const root = path.join(dir, 'root');
    const members = new Map<string, number>();
    const calls: Record<string, { source: string }> = {};
    for (const i of shared) {
      const key = `s${i}`;
      fs.mkdirSync(path.join(root, key), { recursive: true });
      fs.writeFileSync(path.join(root, key, 'cdk.tf.json'), JSON.stringify(stacks[i].json, null, 2));
      calls[key] = { source: `./${key}` };
      members.set(key, i);
    }
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ module: calls }, null, 2));
    roots.push({ root, members });
  }
  for (const i of alone) {
    const root = path.join(dir, `alone-${i}`);
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'cdk.tf.json'), JSON.stringify(stacks[i].json, null, 2));
    roots.push({ root, members: new Map([['', i]]) });
  }
  const problems: CliProblem[] = [];
  for (const { root, members } of roots) {
    const result = await runCli(cli, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: root, env: { TF_CLI_CONFIG_FILE: config } });
    if (result.code === 0) continue;
    const diagnostics = errorDiagnostics(result.stderr + result.stdout);
    if (diagnostics.length === 0) diagnostics.push(`${cli.name} init exited ${result.code}:\n${result.stderr}${result.stdout}`);
    for (const message of diagnostics) problems.push(attribute(cli.name, message, stacks, members));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return problems;
}

/** The `Error:` blocks of a CLI's human-readable output (warnings are left out). */
export function errorDiagnostics(output: string): string[] {
  const blocks: string[] = [];
  let current: string[] | undefined;
  for (const raw of output.split('\n')) {
    const line = raw.replace(/^[│╷╵]\s?/, '');
    if (/^(Error|Warning): /.test(line)) {
      if (current) blocks.push(current.join('\n').trim());
      current = line.startsWith('Error') ? [line] : undefined;
      continue;
    }
    if (current) current.push(line);
  }
  if (current) blocks.push(current.join('\n').trim());
  // The summary line Terraform prints before the real diagnostics is not a problem of its own.
  return blocks.filter((b) => !/^Error: (Terraform|OpenTofu) encountered problems during initiali[sz]ation/.test(b));
}

function attribute(cli: CliName, message: string, stacks: readonly StackUnderTest[], members: Map<string, number>): CliProblem {
  const at = /on (?:(s\d+)\/)?[^\s]*?cdk\.tf\.json line \d+, in ([^:\n]+):/.exec(message);
  const index = members.get(at?.[1] ?? '') ?? (members.size === 1 ? [...members.values()][0] : undefined);
  const stack = index === undefined ? undefined : stacks[index];
  let constructPath: string | undefined;
  if (stack && at) {
    const address = at[2].split('.');
    const block = address[0] === 'data' ? stack.json?.data?.[address[1]]?.[address[2]] : address[0] === 'resource' ? stack.json?.resource?.[address[1]]?.[address[2]] : undefined;
    constructPath = block?.['//']?.metadata?.path;
  }
  const shown = message.replace(/on s\d+\/cdk\.tf\.json/g, 'on cdk.tf.json');
  return { cli, stack: stack?.name ?? '(all stacks)', origin: stack?.origin, constructPath, message: shown };
}

/** One readable report of problems, for a failing test. */
export function formatProblems(problems: readonly CliProblem[]): string {
  return problems
    .map((p) => `[${p.cli}] stack ${p.stack}${p.origin ? ` (${p.origin})` : ''}${p.constructPath ? `, construct ${p.constructPath}` : ''}:\n  ${p.message.replace(/\n/g, '\n  ')}`)
    .join('\n\n');
}

/** A short content hash, to parse each distinct stack once. */
export function stackHash(json: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(json)).digest('hex').slice(0, 16);
}

/** An executable regular file. */
export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function compareVersionsDescending(a: string, b: string): number {
  const parse = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0);
  return 0;
}
