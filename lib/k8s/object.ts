import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/**
 * Any Kubernetes API object the library emits: typed kubernetes-models interfaces satisfy it.
 *
 * @group Core
 */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
}

/**
 * Kinds that live outside namespaces (`metadata.namespace` is meaningless for them): the
 * built-in cluster-scoped kinds and those of the CRDs the golden path works with. Everything
 * else is namespaced. Read by the audit (GP-OPS-001) and the collision check.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PriorityClass', 'IngressClass',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'APIService', 'RuntimeClass',
  'CSIDriver', 'CSINode', 'VolumeAttachment', 'VolumeSnapshotClass', 'VolumeSnapshotContent', 'CertificateSigningRequest',
  'ClusterIssuer', 'ClusterSecretStore', 'ClusterExternalSecret', 'NodePool', 'EC2NodeClass', 'ClusterPolicy',
  'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'FlowSchema', 'PriorityLevelConfiguration',
]);
