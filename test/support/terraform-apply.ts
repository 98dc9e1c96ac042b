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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `golden-path-apply-${cli.name}-`));
  try {
    fs.mkdirSync(path.join(dir, 'mirror'));
    const env = { TF_CLI_CONFIG_FILE: writeCliConfig(dir, path.join(dir, 'mirror')) };
    const root = path.join(dir, 'root');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify(config, null, 2));
    const vars = Object.entries(variables).flatMap(([k, v]) => ['-var', `${k}=${v}`]);
    for (const args of [['init', '-input=false', '-no-color'], ['apply', '-auto-approve', '-input=false', '-no-color', '-lock=false', ...vars]]) {
      const result = await runCli(cli, args, { cwd: root, env });
      if (result.code !== 0) throw new Error(`${cli.name} ${args[0]} failed:\n${result.stderr}${result.stdout}`);
    }
    const out = await runCli(cli, ['output', '-json', '-no-color'], { cwd: root, env });
    if (out.code !== 0) throw new Error(`${cli.name} output failed:\n${out.stderr}`);
    return Object.fromEntries(Object.entries(JSON.parse(out.stdout)).map(([k, v]: [string, any]) => [k, v.value]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
