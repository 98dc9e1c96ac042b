import { RuleDefinition } from '../model';
import { AWS_RULES } from './aws';
import { NETWORK_RULES } from './network';
import { OPERATIONS_RULES } from './operations';
import { RELIABILITY_RULES } from './reliability';
import { RESOURCE_RULES } from './resources';
import { SECURITY_RULES } from './security';

/** Every rule of the golden-path audit, by id order within category. */
export const ALL_RULES: readonly RuleDefinition[] = [
  ...SECURITY_RULES, ...NETWORK_RULES, ...RELIABILITY_RULES, ...RESOURCE_RULES, ...OPERATIONS_RULES, ...AWS_RULES,
];

export function ruleById(id: string): RuleDefinition | undefined {
  return ALL_RULES.find((r) => r.id === id);
}

export { AWS_RULES, NETWORK_RULES, OPERATIONS_RULES, RELIABILITY_RULES, RESOURCE_RULES, SECURITY_RULES };
