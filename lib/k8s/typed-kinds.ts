/**
 * The typed `kubernetes_*` Terraform resources (`DeploymentV1`, `SecretV1`, `StorageClassV1`, ...)
 * and the Kubernetes object kind each manages. One table for everyone who reads synthesized
 * Terraform: the audit (lib/audit/terraform-view.ts) and the collision check (lib/constructs/collisions.ts).
 */
export const TYPED_KINDS: Readonly<Record<string, readonly [apiVersion: string, kind: string]>> = {
  deployment: ['apps/v1', 'Deployment'],
  stateful_set: ['apps/v1', 'StatefulSet'],
  daemonset: ['apps/v1', 'DaemonSet'],
  daemon_set: ['apps/v1', 'DaemonSet'],
  replication_controller: ['v1', 'ReplicationController'],
  pod: ['v1', 'Pod'],
  job: ['batch/v1', 'Job'],
  cron_job: ['batch/v1', 'CronJob'],
  service: ['v1', 'Service'],
  service_account: ['v1', 'ServiceAccount'],
  role: ['rbac.authorization.k8s.io/v1', 'Role'],
  cluster_role: ['rbac.authorization.k8s.io/v1', 'ClusterRole'],
  role_binding: ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  cluster_role_binding: ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  network_policy: ['networking.k8s.io/v1', 'NetworkPolicy'],
  ingress: ['networking.k8s.io/v1', 'Ingress'],
  pod_disruption_budget: ['policy/v1', 'PodDisruptionBudget'],
  horizontal_pod_autoscaler: ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  namespace: ['v1', 'Namespace'],
  secret: ['v1', 'Secret'],
  config_map: ['v1', 'ConfigMap'],
  storage_class: ['storage.k8s.io/v1', 'StorageClass'],
  priority_class: ['scheduling.k8s.io/v1', 'PriorityClass'],
  persistent_volume: ['v1', 'PersistentVolume'],
  persistent_volume_claim: ['v1', 'PersistentVolumeClaim'],
  limit_range: ['v1', 'LimitRange'],
  resource_quota: ['v1', 'ResourceQuota'],
  endpoints: ['v1', 'Endpoints'],
  csi_driver: ['storage.k8s.io/v1', 'CSIDriver'],
  runtime_class: ['node.k8s.io/v1', 'RuntimeClass'],
  ingress_class: ['networking.k8s.io/v1', 'IngressClass'],
  api_service: ['apiregistration.k8s.io/v1', 'APIService'],
  mutating_webhook_configuration: ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration'],
  validating_webhook_configuration: ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
  certificate_signing_request: ['certificates.k8s.io/v1', 'CertificateSigningRequest'],
  // Patches of existing objects (`kubernetes_config_map_v1_data`): they name their target, they create nothing.
  config_map_v1_data: ['v1', 'ConfigMap'],
  secret_v1_data: ['v1', 'Secret'],
};

/** `kubernetes_deployment_v1` -> `deployment`; `kubernetes_horizontal_pod_autoscaler_v2beta2` -> `horizontal_pod_autoscaler`; undefined for other types. */
export function typedKindBase(type: string): string | undefined {
  if (!type.startsWith('kubernetes_')) return undefined;
  const rest = type.slice('kubernetes_'.length);
  if (rest in TYPED_KINDS) return rest;
  const base = rest.replace(/_v\d+(beta\d+|alpha\d+)?$/, '');
  return base in TYPED_KINDS ? base : undefined;
}
