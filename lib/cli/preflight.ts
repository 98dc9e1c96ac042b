/**
 * `npx cdktf-golden-path preflight [--out cdktf.out] [--stack NAME] [--kubeconfig PATH] [--context NAME]`:
 * reads the synthesized stacks of `--out` (manifest.json and each stack's cdk.tf.json), works out
 * the custom kinds (CRDs) they need, and asks the cluster of the kubeconfig context whether it
 * serves them. Prints one line per stack and one per missing kind; exit code 1 when something is
 * missing, 2 on a usage or kubeconfig error. Internal: the library function is `preflightCluster`.
 */
import { formatPreflight, preflightCluster } from '../app/preflight';
import { synthRequirements } from '../app/requirements';

export const PREFLIGHT_USAGE = 'usage: cdktf-golden-path preflight [--out cdktf.out] [--stack NAME]... [--kubeconfig PATH] [--context NAME]';

/** The command line after `preflight`; resolves to the exit code. */
export async function preflightMain(argv: readonly string[], log: (line: string) => void = console.log): Promise<number> {
  let out = 'cdktf.out';
  const only: string[] = [];
  let kubeconfig: string | undefined;
  let context: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => {
      const v = argv[++i];
      return v === undefined || v.startsWith('--') ? undefined : v;
    };
    let v: string | undefined;
    if (arg === '--help' || arg === '-h') {
      log(PREFLIGHT_USAGE);
      return 0;
    } else if (arg === '--out' && (v = value())) out = v;
    else if (arg === '--stack' && (v = value())) only.push(v);
    else if (arg === '--kubeconfig' && (v = value())) kubeconfig = v;
    else if (arg === '--context' && (v = value())) context = v;
    else {
      log(`cdktf-golden-path preflight: ${arg.startsWith('--') && ['--out', '--stack', '--kubeconfig', '--context'].includes(arg) ? `${arg} needs a value` : `unknown argument ${arg}`}`);
      log(PREFLIGHT_USAGE);
      return 2;
    }
  }
  let all;
  try {
    all = synthRequirements(out);
  } catch (e) {
    log(`cdktf-golden-path preflight: ${(e as Error).message}`);
    return 2;
  }
  const unknown = only.filter((name) => !all.some((s) => s.stack === name));
  if (unknown.length > 0) {
    log(`cdktf-golden-path preflight: no stack ${unknown.join(', ')} in ${out} (stacks: ${all.map((s) => s.stack).join(', ')})`);
    return 2;
  }
  const requirements = only.length > 0 ? all.filter((s) => only.includes(s.stack)) : all;
  try {
    const result = await preflightCluster({ requirements, kubeconfig, context });
    log(formatPreflight(result));
    return result.ok ? 0 : 1;
  } catch (e) {
    log(`cdktf-golden-path preflight: ${(e as Error).message}`);
    return 2;
  }
}
