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

// ---------------------------------------------------------------- plausible upper bounds

/**
 * Most memory one EC2 instance has: 32 TiB (32,768 GiB) on u7in-32tb.224xlarge and
 * u7inh-32tb.480xlarge (EC2 instance types, memory optimized). A container's request must fit
 * on one node, so no memory prop (in MB, i.e. MiB) may be larger.
 */
export const MAX_NODE_MEMORY_MB = 32 * 1024 * 1024;
/** Most vCPUs of one EC2 instance: 1,920 on u7inh-32tb.480xlarge. CPU props are in millicores. */
export const MAX_NODE_CPU_MILLICORES = 1920 * 1000;
/** Largest EBS volume: 65,536 GiB (64 TiB) for gp3 and io2 Block Express (EC2 CreateVolume). Storage props are in GB (GiB). */
export const MAX_EBS_VOLUME_GB = 65536;
/** The same, in MB (MiB): the largest scratch volume (an EBS volume, or a node's EBS root disk for node-local ones). */
export const MAX_EBS_VOLUME_MB = MAX_EBS_VOLUME_GB * 1024;

/** Minimal validator surface the bound checks need (PropValidator satisfies it). */
export interface BoundValidator {
  number(field: string, value: number, min: number, max?: number, fix?: string): number;
  integer(field: string, value: number, min: number, max?: number, fix?: string): number;
  fail(field: string, value: unknown, fix: string, reason?: string): never;
}

function round(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : Number(n.toPrecision(3)).toLocaleString('en-US');
}

/** A size in MiB in the largest binary unit that keeps it at least 1: 268435456 -> "256 TiB", 512 -> "512 MiB". */
export function describeMb(mb: number): string {
  const units: Array<[string, number]> = [['PiB', 2 ** 30], ['TiB', 2 ** 20], ['GiB', 2 ** 10]];
  for (const [unit, size] of units) if (mb >= size) return `${round(mb / size)} ${unit}`;
  return `${round(mb)} MiB`;
}

/** The last segment of a prop path: `containers[0].minimumMemory` -> `minimumMemory`. */
function propName(field: string): string {
  return field.split('.').pop() ?? field;
}

/**
 * A memory size in MB (MiB): at least `min`, at most `max` (the largest EC2 instance's memory
 * by default). A value above it is almost always a unit mistake (bytes or KB given for MB), and
 * the message says so. Tokens are never rejected.
 */
export function checkMemoryMb(v: BoundValidator, field: string, value: number, min = 1, max = MAX_NODE_MEMORY_MB, what = 'the largest EC2 instance\'s memory (32 TiB: u7in-32tb.224xlarge)'): number {
  if (unresolved(value)) return value;
  v.number(field, value, min, Number.MAX_VALUE, `use a memory size in MB (MiB) of at least ${min}`);
  if (value > max) {
    const asBytes = value / MIB;
    const asKb = value / 1024;
    const guesses = [`${value} bytes is ${round(asBytes)} MB`, ...(asKb <= max ? [`${value} KB is ${round(asKb)} MB`] : [])];
    v.fail(field, value,
      `${propName(field)} is in MB: did you pass bytes${asKb <= max ? ' or KB' : ''}? (${guesses.join('; ')}). Give at most ${max} MB (${describeMb(max)})`,
      `${value} MB is ${describeMb(value)}, more than ${what}`);
  }
  return value;
}

/**
 * A CPU amount in millicores (1000 = 1 CPU): at least `min`, at most the vCPUs of the largest
 * EC2 instance (1,920). Above it the value was most likely multiplied by 1000 once too often.
 */
export function checkMillicores(v: BoundValidator, field: string, value: number, min = 1, max = MAX_NODE_CPU_MILLICORES): number {
  if (unresolved(value)) return value;
  v.number(field, value, min, Number.MAX_VALUE, `use a CPU amount in millicores (1000 = 1 CPU) of at least ${min}`);
  if (value > max) {
    v.fail(field, value,
      `${propName(field)} is in millicores (1000 = 1 CPU): did you multiply by 1000 twice? (${value} / 1000 = ${round(value / 1000)} millicores = ${round(value / 1e6)} CPU). Give at most ${max} (${round(max / 1000)} CPUs)`,
      `${value} millicores is ${round(value / 1000)} CPUs, more than the largest EC2 instance has (1,920 vCPUs: u7inh-32tb.480xlarge)`);
  }
  return value;
}

/**
 * A volume size in GB (GiB), whole: at least `min`, at most the largest EBS volume (64 TiB,
 * gp3 and io2 Block Express). Above it the value was most likely given in MB.
 */
export function checkVolumeGb(v: BoundValidator, field: string, value: number, min = 1, max = MAX_EBS_VOLUME_GB): number {
  if (unresolved(value)) return value;
  v.integer(field, value, min, Number.MAX_SAFE_INTEGER, `use a whole number of GB (GiB) of at least ${min}`);
  if (value > max) {
    v.fail(field, value,
      `${propName(field)} is in GB: did you pass MB? (${value} MB is ${round(value / 1024)} GB). Give at most ${max} GB (64 TiB)`,
      `${value} GB is ${describeMb(value * 1024)}, more than the largest EBS volume (64 TiB for gp3 and io2)`);
  }
  return value;
}
