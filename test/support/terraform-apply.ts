import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cli, runCli, writeCliConfig } from './terraform-cli';

/**
 * `init` + `apply` of a configuration that needs no provider download (outputs, locals,
 * variables, `terraform_data`) with a real CLI, and the values of its outputs: how Terraform
 * or OpenTofu really evaluates what the library wrote. Providers are installed only from an
 * empty local mirror, so nothing is fetched.
 */
export async function applyOutputs(cli: Cli, config: unknown, variables: Record<string, string> = {}): Promise<Record<string, any>> {
  return inRoot(cli, config, async (run) => {
    const vars = Object.entries(variables).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    await run(['init', '-input=false', '-no-color']);
    await run(['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false', ...vars]);
    const out = await run(['output', '-json', '-no-color']);
    return Object.fromEntries(Object.entries(JSON.parse(out)).map(([k, v]: [string, any]) => [k, v.value]));
  });
}

/**
 * The description of each output as a real CLI reads the configuration (`plan`, then
 * `show -json` of the plan): whether Terraform took the text literally or as a template.
 */
export async function outputDescriptions(cli: Cli, config: unknown): Promise<Record<string, string | undefined>> {
  return inRoot(cli, config, async (run) => {
    await run(['init', '-input=false', '-no-color']);
    await run(['plan', '-input=false', '-no-color', '-lock=false', '-out=plan.bin']);
    const shown = JSON.parse(await run(['show', '-json', '-no-color', 'plan.bin']));
    const outputs: Record<string, { description?: string }> = shown.configuration?.root_module?.outputs ?? {};
    return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.description]));
  });
}

/** Run `body` in a fresh root module holding `config`, with providers only from an empty mirror. */
async function inRoot<T>(cli: Cli, config: unknown, body: (run: (args: string[]) => Promise<string>) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `golden-path-apply-${cli.name}-`));
  try {
    fs.mkdirSync(path.join(dir, 'mirror'));
    const env = { TF_CLI_CONFIG_FILE: writeCliConfig(dir, path.join(dir, 'mirror')) };
    const root = path.join(dir, 'root');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify(config, null, 2));
    return await body(async (args) => {
      const result = await runCli(cli, args, { cwd: root, env });
      if (result.code !== 0) throw new Error(`${cli.name} ${args[0]} failed:\n${result.stderr}${result.stdout}`);
      return result.stdout;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
