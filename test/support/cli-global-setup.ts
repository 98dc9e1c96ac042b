/**
 * Fails the whole run at once, naming the setup command, when Terraform or OpenTofu is
 * missing: the real-CLI parse of every synthesized stack (cli-parse-hook.ts) is part of
 * `npm test` and is never skipped.
 */
import { requireClis } from './terraform-cli';

export default function globalSetup(): void {
  const clis = requireClis();
  if (process.env.GOLDEN_PATH_VERBOSE === '1') {
    for (const cli of clis) console.log(`real-CLI parse with ${cli.name} ${cli.version} (${cli.path})`);
  }
}
