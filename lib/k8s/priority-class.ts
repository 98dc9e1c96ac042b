/**
 * PriorityClasses (seed 000): the two Panfactum classes between the system classes and
 * the default, plus any the user adds. Values of 1,000,000,000 and above are reserved
 * for the system-* classes (Kubernetes refuses them for others).
 */
import type { IPriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1/PriorityClass';
import { PropValidator, isToken } from '../core/validation';
import { keyPath } from '../core/paths';
import type { Named } from './types';

export type { IPriorityClass };

/** The highest value a user-defined PriorityClass may have (Kubernetes: HighestUserDefinablePriority). */
export const MAX_USER_PRIORITY = 1_000_000_000 - 1;

/**
 * One PriorityClass.
 *
 * @group Workloads
 */
export interface PriorityClassSpec {
  /** Priority; higher preempts lower. At most 999999999. */
  readonly value: number;
  /** What the class is for. @default - none */
  readonly description?: string;
  /** Whether pods of this class preempt lower-priority pods. @default "PreemptLowerPriority" */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /** Give this class to pods without a priorityClassName (at most one class may). @default false */
  readonly globalDefault?: boolean;
}

/** The Panfactum classes (seed 000), by name. */
export const PANFACTUM_PRIORITY_CLASSES: Readonly<Record<string, PriorityClassSpec>> = {
  'cluster-important': {
    value: 100_000_000,
    description: 'Losing this pod would leave the cluster in a degraded state; some functionality would be lost.',
  },
  'workload-important': {
    value: 10_000_000,
    description: 'Disrupting this pod might leave certain workloads in a degraded state.',
  },
};

/** Names of the Panfactum classes, for `priorityClassName`. */
export const PriorityClassNames = {
  clusterImportant: 'cluster-important',
  workloadImportant: 'workload-important',
} as const;

/** Validate the classes and build the scheduling.k8s.io/v1 PriorityClasses. `field` prefixes error fields. */
export function buildPriorityClasses(v: PropValidator, classes: Record<string, PriorityClassSpec>, labels: Record<string, string>, field = 'priorityClasses'): Named<IPriorityClass>[] {
  const defaults = Object.entries(classes).filter(([, c]) => c.globalDefault === true).map(([n]) => n);
  if (defaults.length > 1) v.fail(`${field}.globalDefault`, defaults, 'at most one PriorityClass may be the global default; keep globalDefault on one', 'is set on several classes');
  return Object.entries(classes).map(([name, c]) => {
    const f = keyPath(field, name);
    v.dnsSubdomain(f, name);
    if (!isToken(name) && name.startsWith('system-')) v.fail(f, name, 'the "system-" prefix is reserved for Kubernetes\' own classes; choose another name', 'is a reserved name');
    v.integer(`${f}.value`, c.value, -2147483648, MAX_USER_PRIORITY, `use a whole number up to ${MAX_USER_PRIORITY}; 1000000000 and above are reserved for system-node-critical and system-cluster-critical`);
    const preemptionPolicy = v.oneOf(`${f}.preemptionPolicy`, c.preemptionPolicy ?? 'PreemptLowerPriority', ['PreemptLowerPriority', 'Never'] as const);
    return {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name, labels: { ...labels } },
      value: c.value,
      globalDefault: c.globalDefault ?? false,
      preemptionPolicy,
      ...(c.description !== undefined ? { description: c.description } : {}),
    } as Named<IPriorityClass>;
  });
}
