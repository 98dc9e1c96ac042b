import { createHash } from 'crypto';

/**
 * Deterministic names. Panfactum draws workload ids from a `random_id` resource; we
 * derive them from a hash instead so that synth output is reproducible and needs no
 * random provider: the same kind, namespace and name always give the same id.
 */

/** First `length` hex characters of sha256(parts joined by '/'). */
export function shortHash(parts: readonly string[], length = 16): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, length);
}

/**
 * The selector id of a workload: 16 hex characters from the workload kind, its
 * namespace and its name. It becomes the immutable `id` selector label, so it must
 * never change for an existing workload: renaming a workload replaces it.
 * The kind is part of the hash so that a Deployment and a StatefulSet that share a
 * name never select each other's pods.
 */
export function selectorId(kind: string, namespace: string, name: string): string {
  return shortHash([kind, namespace, name], 16);
}

/**
 * Fit a name into `max` characters. Names that fit are returned unchanged; longer ones
 * are cut and given an 8-hex suffix from the full name so they stay unique.
 */
export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const suffix = shortHash([name], 8);
  const head = name.slice(0, max - suffix.length - 1).replace(/[-.]+$/g, '');
  return `${head}-${suffix}`;
}

/** `<base>-<suffix>` within `max` characters (63, a DNS label, unless told). */
export function childName(base: string, suffix: string, max = 63): string {
  return fitName(`${base}-${suffix}`, max);
}
