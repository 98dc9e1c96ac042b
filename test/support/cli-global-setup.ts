/**
 * Fails the whole run at once, naming the setup command, when Terraform or OpenTofu is
 * missing: the real-CLI parse of every synthesized stack (cli-parse-hook.ts) is part of
 * `npm test` and is never skipped.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireClis } from './terraform-cli';

export default function globalSetup(): void {
  const clis = requireClis();
  // One `npm pack` per run, shared by the test files that install the package (support/pack.ts);
  // the workers inherit the variable. Removed by the global teardown.
  process.env.GOLDEN_PATH_PACK_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-pack-'));
  if (process.env.GOLDEN_PATH_VERBOSE === '1') {
    for (const cli of clis) console.log(`real-CLI parse with ${cli.name} ${cli.version} (${cli.path})`);
  }
}
