/**
 * Kubernetes API types used by the model, from kubernetes-models (type-only imports:
 * no runtime cost). Objects the model returns always carry metadata.name.
 */
import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

export type { IObjectMeta };
export type { IContainer } from 'kubernetes-models/v1/Container';
export type { IEnvVar } from 'kubernetes-models/v1/EnvVar';
export type { IProbe } from 'kubernetes-models/v1/Probe';
export type { IVolume } from 'kubernetes-models/v1/Volume';
export type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';
export type { IToleration } from 'kubernetes-models/v1/Toleration';
export type { IAffinity } from 'kubernetes-models/v1/Affinity';
export type { ITopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
export type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
export type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
export type { ISecurityContext } from 'kubernetes-models/v1/SecurityContext';
export type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
export type { IServicePort } from 'kubernetes-models/v1/ServicePort';
export type { IService } from 'kubernetes-models/v1/Service';
export type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
export type { INamespace } from 'kubernetes-models/v1/Namespace';
export type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
export type { IStatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
export type { IDaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
export type { IJob } from 'kubernetes-models/batch/v1/Job';
export type { IJobSpec } from 'kubernetes-models/batch/v1/JobSpec';
export type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
export type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
export type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
export type { IRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
export type { IRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
export type { IVerticalPodAutoscaler } from '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler';

/** A typed object whose metadata (with a name) is always present. */
export type Named<T extends { metadata?: IObjectMeta }> = T & { metadata: IObjectMeta & { name: string } };
