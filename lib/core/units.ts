import { Fn, Op, Token } from 'cdktf';

/**
 * Unit conversions. Props follow Panfactum's units: memory and disk sizes in MB
 * (mebibytes), CPU in millicores. Quantities are rendered in the canonical form the
 * Kubernetes API server returns, so server-side apply never reports a spurious diff
 * ("1000m" would come back as "1", "1024Mi" as "1Gi").
 *
 * A deploy-time token (a TerraformVariable) is turned into a Terraform expression
 * instead: `"${var.memory}Mi"`, or `floor(var.memory * 1048576 * 1.3)` for a limit.
 */

export const MIB = 1024 * 1024;

const BINARY_SUFFIXES: Array<[string, number]> = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];
const DECIMAL_SUFFIXES: Array<[string, number]> = [
  ['E', 1e18],
  ['P', 1e15],
  ['T', 1e12],
  ['G', 1e9],
  ['M', 1e6],
  ['k', 1e3],
];

const unresolved = (n: number): boolean => Token.isUnresolved(n);

/** Bytes as a canonical quantity: the largest exact binary suffix, else decimal, else a plain number. */
export function bytesQuantity(bytes: number): string {
  if (unresolved(bytes)) return Token.asString(bytes);
  const whole = Math.floor(bytes);
  if (whole === 0) return '0';
  for (const [suffix, size] of BINARY_SUFFIXES) {
    if (whole % size === 0) return `${whole / size}${suffix}`;
  }
  for (const [suffix, size] of DECIMAL_SUFFIXES) {
    if (whole % size === 0) return `${whole / size}${suffix}`;
  }
  return String(whole);
}

/** Mebibytes (Panfactum's "MB") as a canonical quantity: 100 -> "100Mi", 1024 -> "1Gi". */
export function mbQuantity(mb: number): string {
  if (unresolved(mb)) return `${Token.asString(mb)}Mi`;
  return bytesQuantity(Math.round(mb * MIB));
}

/** Millicores as a canonical CPU quantity: 250 -> "250m", 1000 -> "1", 1500 -> "1500m". */
export function cpuQuantity(millicores: number): string {
  if (unresolved(millicores)) return `${Token.asString(millicores)}m`;
  const whole = Math.round(millicores);
  return whole % 1000 === 0 ? String(whole / 1000) : `${whole}m`;
}

/** The memory limit for a request in MB and a multiplier: floor(request bytes x multiplier). */
export function memoryLimitBytes(minimumMemoryMb: number, multiplier: number): number {
  if (unresolved(minimumMemoryMb) || unresolved(multiplier)) {
    return Token.asNumber(Fn.floor(Op.mul(Op.mul(minimumMemoryMb, MIB), multiplier)));
  }
  return Math.floor(minimumMemoryMb * MIB * multiplier);
}

/** a + b, as a Terraform expression when either is a token. */
export function addNumbers(a: number, b: number): number {
  return unresolved(a) || unresolved(b) ? Token.asNumber(Op.add(a, b)) : a + b;
}
