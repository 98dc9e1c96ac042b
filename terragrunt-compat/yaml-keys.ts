/**
 * Panfactum YAML keys the environments loader (lib/config) does not know. The loader refuses
 * unknown keys (a typo must not be silently ignored), so before loading a Panfactum tree the
 * converter reads every YAML file, takes these keys out (each one a warning, or, for
 * `kube_name`, read as `kube_cluster_name`) and, when any was found, loads a copy of the
 * YAML files without them. Every other unknown key is still refused by the loader.
 *
 * The list is the Panfactum configuration schema (packages/cli/src/util/config/schemas.ts in
 * github.com/Panfactum/stack) minus the keys lib/config reads, plus `pf_stack_edition` and
 * `pf_stack_commit` of older Panfactum releases.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ConfigError, fieldSpec, type ConfigIssue } from '../lib/config';

/** Panfactum keys with no meaning for the converted stacks, and why. */
export const PANFACTUM_ONLY_YAML_KEYS: Readonly<Record<string, string>> = {
  pf_stack_version: 'the Panfactum module version; the constructs are the library version you install',
  pf_stack_edition: 'the Panfactum edition; not used by the constructs',
  pf_stack_commit: 'the Panfactum module commit; not used by the constructs',
  pf_stack_local_path: 'a local copy of the Panfactum modules; not used by the constructs',
  pf_stack_local_use_relative: 'a local copy of the Panfactum modules; not used by the constructs',
  version: 'the git ref of first-party IaC modules; not used by the converted stacks',
  module: 'the module a directory deploys; terragrunt-compat reads the directory name or terraform.source',
  region: 'the Panfactum region name; the stack uses aws_region and the directory name',
  environment_subdomain: 'not used by the converted stacks',
  domains: 'Route53 zones for Panfactum modules; not used by the converted workload constructs',
  kube_domain: 'not used by the converted workload constructs',
  tf_state_account_id: 'the backend uses aws_profile',
  tf_state_profile: 'the backend uses aws_profile',
  aws_secondary_account_id: 'the secondary AWS provider is not created by the converted stacks',
  aws_secondary_profile: 'the secondary AWS provider is not created by the converted stacks',
  aws_secondary_region: 'the secondary AWS provider is not created by the converted stacks',
  vault_addr: 'the Vault provider is not created by the converted stacks',
  vault_token: 'the Vault provider is not created by the converted stacks',
  authentik_url: 'the Authentik provider is not created by the converted stacks',
  authentik_token: 'the Authentik provider is not created by the converted stacks',
};

/** A YAML key taken out (or renamed) before loading. */
export interface YamlKeyWarning {
  /** The file (absolute). */
  readonly file: string;
  readonly key: string;
  readonly line?: number;
  readonly message: string;
}

const YAML_FILE = /^(global|environment|region|module)(\.user)?\.yaml$/;

/**
 * Find the Panfactum-only keys of a tree. When there are any, write a copy of the tree's
 * directories and YAML files without them to a temporary directory and return it, with a
 * function that maps a path in the copy back to the original.
 */
export function stripPanfactumKeys(rootDir: string): { warnings: YamlKeyWarning[]; root: string; toOriginal: (p: string) => string; cleanup: () => void } {
  const root = path.resolve(rootDir);
  const warnings: YamlKeyWarning[] = [];
  const edits = new Map<string, string>();
  const walk = (dir: string): void => {
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && YAML_FILE.test(e.name)) {
        const text = fs.readFileSync(abs, 'utf8');
        const doc = parseDocument(text);
        if (doc.errors.length > 0 || !doc.contents || !('items' in doc.contents)) continue; // the loader reports it
        let changed = false;
        for (const item of [...(doc.contents as any).items]) {
          const key = item?.key?.value;
          if (typeof key !== 'string' || fieldSpec(key) !== undefined) continue;
          const line = item.key.range ? text.slice(0, item.key.range[0]).split('\n').length : undefined;
          if (key === 'kube_name' && !doc.has('kube_cluster_name')) {
            doc.set('kube_cluster_name', doc.get('kube_name'));
            doc.delete('kube_name');
            warnings.push({ file: abs, key, line, message: 'kube_name (Panfactum) is read as kube_cluster_name' });
            changed = true;
          } else if (Object.prototype.hasOwnProperty.call(PANFACTUM_ONLY_YAML_KEYS, key)) {
            doc.delete(key);
            warnings.push({ file: abs, key, line, message: `${key} is not used: ${PANFACTUM_ONLY_YAML_KEYS[key]}` });
            changed = true;
          }
        }
        if (changed) edits.set(abs, String(doc));
      }
    }
  };
  walk(root);
  if (edits.size === 0) return { warnings, root, toOriginal: (p) => p, cleanup: () => undefined };

  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-compat-yaml-'));
  const mirror = (dir: string): void => {
    const target = path.join(copy, path.relative(root, dir));
    fs.mkdirSync(target, { recursive: true });
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name.startsWith('_')) continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) mirror(abs);
      else if (e.isFile() && YAML_FILE.test(e.name)) fs.writeFileSync(path.join(target, e.name), edits.get(abs) ?? fs.readFileSync(abs));
    }
  };
  mirror(root);
  const toOriginal = (p: string): string => {
    const rel = path.relative(copy, p);
    return rel.startsWith('..') || path.isAbsolute(rel) ? p : path.join(root, rel);
  };
  return { warnings, root: copy, toOriginal, cleanup: () => fs.rmSync(copy, { recursive: true, force: true }) };
}

/** A ConfigError raised on the copy, with its files named as in the original tree. */
export function remapConfigError(e: ConfigError, copyRoot: string, toOriginal: (p: string) => string, display: (abs: string) => string): ConfigError {
  const issues: ConfigIssue[] = e.issues.map((i) => ({ ...i, file: display(toOriginal(path.resolve(copyRoot, i.file))) }));
  return new ConfigError(issues);
}
