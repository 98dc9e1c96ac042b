/**
 * `terraform validate` / `tofu validate` of a synthesized stack with the real providers:
 * every attribute, block and type checked against the provider schemas.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Cli, errorDiagnostics, runCli } from '../support/terraform-cli';
import { BuiltProvider, versionOverride } from './providers';
import { SynthesizedStack } from './stacks';

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  readonly detail?: string;
  /** `resource.kubernetes_manifest.x...` where the CLI names the place. */
  readonly context?: string;
  readonly constructPath?: string;
}

export interface StepResult {
  readonly ok: boolean;
  readonly seconds: number;
  readonly diagnostics: Diagnostic[];
  /** Output kept for a failure the diagnostics do not explain. */
  readonly output?: string;
}

/** Copies the stack into `dir` with the version override (and any extra override blocks). */
export function prepareStackDir(stack: SynthesizedStack, dir: string, providers: readonly BuiltProvider[], extraTerraform: Record<string, unknown> = {}, extraOverride: Record<string, unknown> = {}): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(stack.dir, 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
  for (const asset of fs.readdirSync(stack.dir)) {
    if (asset !== 'cdk.tf.json' && !asset.startsWith('.')) fs.cpSync(path.join(stack.dir, asset), path.join(dir, asset), { recursive: true });
  }
  const terraform = { ...(versionOverride(stack.json, providers) ?? {}), ...extraTerraform };
  fs.writeFileSync(path.join(dir, 'e2e_override.tf.json'), JSON.stringify({ terraform, ...extraOverride }, null, 2));
}

/** `init` (no backend) then `validate -json`. */
export async function validateStack(cli: Cli, stack: SynthesizedStack, dir: string, cliConfig: string): Promise<StepResult> {
  const started = Date.now();
  const env = { TF_CLI_CONFIG_FILE: cliConfig };
  const init = await runCli(cli, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, timeoutMs: 300_000 });
  if (init.code !== 0) {
    return { ok: false, seconds: (Date.now() - started) / 1000, diagnostics: [{ severity: 'error', summary: `${cli.name} init failed`, detail: tail(init.stderr + init.stdout) }] };
  }
  const run = await runCli(cli, ['validate', '-json', '-no-color'], { cwd: dir, env, timeoutMs: 600_000 });
  let parsed: any;
  try {
    parsed = JSON.parse(run.stdout);
  } catch {
    return { ok: false, seconds: (Date.now() - started) / 1000, diagnostics: [{ severity: 'error', summary: `${cli.name} validate printed no JSON (exit ${run.code})`, detail: tail(run.stderr + run.stdout) }] };
  }
  const diagnostics: Diagnostic[] = (parsed.diagnostics ?? []).map((d: any) => toDiagnostic(d, stack.json));
  return { ok: parsed.valid === true && run.code === 0, seconds: (Date.now() - started) / 1000, diagnostics };
}

function toDiagnostic(d: any, json: any): Diagnostic {
  const context: string | undefined = d.snippet?.context ?? undefined;
  return { severity: d.severity, summary: d.summary, detail: d.detail, context, constructPath: constructPathOf(context, json, d.address) };
}

/** The construct path of the resource a diagnostic names (`resource.type.name…` or an address). */
export function constructPathOf(context: string | undefined, json: any, address?: string): string | undefined {
  const parts = (context ?? '').split('.');
  let block: any;
  if (parts[0] === 'resource') block = json?.resource?.[parts[1]]?.[parts[2]];
  else if (parts[0] === 'data') block = json?.data?.[parts[1]]?.[parts[2]];
  else if (parts[0] === 'provider') block = json?.provider?.[parts[1]];
  if (!block && address) {
    const a = address.split('.');
    block = a[0] === 'data' ? json?.data?.[a[1]]?.[a[2]] : json?.resource?.[a[0]]?.[a[1]];
  }
  const first = Array.isArray(block) ? block[0] : block;
  return first?.['//']?.metadata?.path;
}

export function tail(text: string, lines = 40): string {
  return text.trim().split('\n').slice(-lines).join('\n');
}

/** The error diagnostics of a failed CLI run (every one, in full), else the end of its output. */
export function failureText(output: string, lines = 40): string {
  const errors = errorDiagnostics(output);
  return errors.length > 0 ? errors.join('\n\n') : tail(output, lines);
}
