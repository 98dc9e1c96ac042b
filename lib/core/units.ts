/**
 * Unit conversions. Props follow Panfactum's units: memory and disk sizes in MB
 * (mebibytes), CPU in millicores. Quantities are rendered in the canonical form the
 * Kubernetes API server returns, so server-side apply never reports a spurious diff
 * ("1000m" would come back as "1", "1024Mi" as "1Gi").
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

/** Bytes as a canonical quantity: the largest exact binary suffix, else decimal, else a plain number. */
export function bytesQuantity(bytes: number): string {
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
  return bytesQuantity(Math.round(mb * MIB));
}

/** Millicores as a canonical CPU quantity: 250 -> "250m", 1000 -> "1", 1500 -> "1500m". */
export function cpuQuantity(millicores: number): string {
  const whole = Math.round(millicores);
  return whole % 1000 === 0 ? String(whole / 1000) : `${whole}m`;
}

/** The memory limit for a request in MB and a multiplier: floor(request bytes x multiplier). */
export function memoryLimitBytes(minimumMemoryMb: number, multiplier: number): number {
  return Math.floor(minimumMemoryMb * MIB * multiplier);
}
