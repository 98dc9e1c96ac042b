import { createHash } from 'crypto';
import { Fn, Op, Token } from 'cdktf';
import { functionArgument } from './terraform-strings';
import { isToken } from './validation';

/**
 * Deterministic names. Panfactum draws workload ids from a `random_id` resource; we
 * derive them from a hash instead so that synth output is reproducible and needs no
 * random provider: the same kind, namespace and name always give the same id.
 */

/**
 * First `length` hex characters of sha256(parts joined by '/'). When a part is a deploy-time
 * token, Terraform computes the same hash at apply (`substr(sha256(...))`): hashing the token's
 * placeholder text instead would give a value unrelated to the real one.
 */
export function shortHash(parts: readonly string[], length = 16): string {
  if (parts.some((p) => isToken(p))) return Token.asString(Fn.substr(Fn.sha256(Fn.join('/', parts.map(functionArgument))), 0, length));
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
  if (isToken(name)) {
    // The same rule, applied by Terraform to the value known at apply.
    name = functionArgument(name);
    const cut = Fn.join('', [Fn.replace(Fn.substr(name, 0, max - 9), '/[-.]+$/', ''), '-', Fn.substr(Fn.sha256(name), 0, 8)]);
    return Token.asString(Fn.conditional(Op.lte(Fn.lengthOf(name), max), name, cut));
  }
  if (name.length <= max) return name;
  const suffix = shortHash([name], 8);
  const head = name.slice(0, max - suffix.length - 1).replace(/[-.]+$/g, '');
  return `${head}-${suffix}`;
}

/** `<base>-<suffix>` within `max` characters (63, a DNS label, unless told). */
export function childName(base: string, suffix: string, max = 63): string {
  return fitName(`${base}-${suffix}`, max);
}

/** `imageRegistry` -> `image_registry`: Panfactum's variable and YAML key style. */
export function camelToSnake(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `image_registry` -> `imageRegistry` (already camelCase keys are kept). */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}
