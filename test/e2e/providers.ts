/**
 * The real providers built by `scripts/e2e-setup.sh providers`, laid out as a filesystem
 * mirror the CLIs install from, and the override file that points each stack at them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, writeCliConfig } from '../support/terraform-cli';

/** The providers the stacks need. */
export const PROVIDER_TYPES = ['kubernetes', 'helm', 'aws'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface BuiltProvider {
  readonly type: ProviderType;
  /** The version the build reports (the module's version/VERSION). */
  readonly version: string;
  readonly commit: string;
  readonly binary: string;
  /** Build record: seconds / wall, peak RSS, Go version. */
  readonly build: Record<string, unknown>;
}

/** The newest cached build of each provider; `missing` names those not built. */
export function findProviders(): { found: BuiltProvider[]; missing: ProviderType[] } {
  const found: BuiltProvider[] = [];
  const missing: ProviderType[] = [];
  for (const type of PROVIDER_TYPES) {
    const root = path.join(cacheDir(), 'providers', type);
    const builds = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => !d.endsWith('.tmp') && fs.existsSync(path.join(root, d, `terraform-provider-${type}`))) : [];
    if (builds.length === 0) {
      missing.push(type);
      continue;
    }
    const dir = path.join(root, builds.sort().reverse()[0]);
    const meta = readJson(path.join(dir, 'provider.json'));
    found.push({
      type,
      version: String(meta.version ?? builds[0].split('-')[0]),
      commit: String(meta.commit ?? ''),
      binary: path.join(dir, `terraform-provider-${type}`),
      build: readJson(path.join(dir, 'build.json')),
    });
  }
  return { found, missing };
}

/**
 * A filesystem mirror (symbolic links to the cached binaries, so nothing large is copied)
 * and a CLI configuration that installs only from it. Returns the configuration file.
 */
export function realProviderMirror(dir: string, providers: readonly BuiltProvider[]): string {
  for (const host of ['registry.terraform.io', 'registry.opentofu.org']) {
    for (const p of providers) {
      const target = path.join(dir, 'mirror', host, 'hashicorp', p.type, p.version, 'linux_amd64');
      fs.mkdirSync(target, { recursive: true });
      const link = path.join(target, `terraform-provider-${p.type}_v${p.version}`);
      if (!fs.existsSync(link)) fs.symlinkSync(p.binary, link);
    }
  }
  return writeCliConfig(dir, path.join(dir, 'mirror'));
}

/**
 * The override file (`e2e_override.tf.json`) that makes a stack require the versions that were
 * built: the Go module proxy serves one commit per provider, not the releases that
 * @cdktf/provider-* pin (docs/testing.md). What users get is not changed: only the copy under test.
 */
export function versionOverride(stackJson: any, providers: readonly BuiltProvider[]): Record<string, unknown> | undefined {
  const required = stackJson?.terraform?.required_providers ?? {};
  const overrides: Record<string, unknown> = {};
  for (const [local, spec] of Object.entries<any>(required)) {
    const source = String(spec?.source ?? local);
    const type = source.split('/').pop();
    const built = providers.find((p) => p.type === type);
    if (built) overrides[local] = { source, version: built.version };
  }
  return Object.keys(overrides).length > 0 ? { required_providers: overrides } : undefined;
}

function readJson(file: string): Record<string, any> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}
