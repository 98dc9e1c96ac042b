import type { AuditWaiver } from '../lib/audit';

/**
 * Where the example app knowingly departs from a golden-path audit rule. Waivers live
 * here, in the app's configuration, so review sees every one; each names the rule, the
 * construct path (a glob) and why.
 */
export const EXAMPLE_AUDIT_WAIVERS: AuditWaiver[] = [
  { rule: 'GP-REL-011', path: '*-maintenance/velero/PodDisruptionBudget', reason: 'Velero runs on controller nodes that autoscaling never drains; its PDB blocks voluntary disruption during backups' },
  { rule: 'GP-IAM-002', path: '*-maintenance/velero', reason: 'velero-plugin-for-aws needs EBS snapshot calls on volumes it discovers at runtime' },
  { rule: 'GP-CF-003', path: '*-app/web-cdn', reason: 'example CDN: no WAFv2 web ACL exists in the example environments; set webAclArn in a real one' },
  { rule: 'GP-REL-001', path: '*-app/assets-sync', reason: 'example sync worker without a probe (an exec probe on the sync loop is the fix)' },
  { rule: 'GP-REL-007', path: '*-app/redis', reason: 'example single-node Redis cache behind a Service; its data is rebuildable' },
  { rule: 'GP-REL-015', path: '*-app/cleanup', reason: 'example CronJob sets jobTemplate ttlSecondsAfterFinished (kube-linter job-ttl-seconds-after-finished)' },
];
