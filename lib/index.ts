/**
 * cdktf-golden-path: production-ready Kubernetes workloads on EKS as CDKTF constructs,
 * modelled on the Panfactum Stack's modules.
 *
 * Layers: core (errors, validation, units, labels, naming, environment context), the
 * Kubernetes model (pure functions from props to typed API objects), and the constructs
 * (thin CDKTF classes that emit the model through KubeManifest).
 */
export * from './core';

export type { ContainerProps, ContainerPort, ProbeType } from './k8s/container';
export type { PodProps, TmpDirectory, MountSource, EnvFromSecret, EnvFromConfigMap, RestartPolicy } from './k8s/pod';
export type { SchedulingProps, NodePreference, Toleration } from './k8s/scheduling';
export type { WorkloadProps } from './k8s/workload';
export type { DeploymentProps } from './k8s/deployment';
export type { NamespaceProps, PodSecurityStandard } from './k8s/namespace';
export type { ServiceType, ServicePortSpec, ServiceSpecProps } from './k8s/service';
export type { KubernetesObject } from './k8s/object';
export { buildDeploymentModel } from './k8s/deployment';
export { buildNamespaceModel } from './k8s/namespace';
export { evaluatePodSecurity, podTemplatesOf } from './k8s/pod-security';
export type { PodSecurityControl, PodSecurityViolation, PodSecurityResult, PodSecurityOptions, PodTemplateLike, PodTemplateView } from './k8s/pod-security';
export { buildPod } from './k8s/pod';
export { buildScheduling } from './k8s/scheduling';
export { buildService } from './k8s/service';
export { validateKubernetesObject, registerKind, registerSchemalessKind } from './k8s/schema';
export type { SchemaProblem } from './k8s/schema';

export { KubeManifest, FIELD_MANAGER } from './constructs/kube-manifest';
export type { KubeManifestProps } from './constructs/kube-manifest';
// Collisions between the stacks of an app (docs/environments.md)
export { enableCollisionCheck, collectEmittedIdentities } from './constructs/collisions';
export type { CollisionSpace, CollisionTarget, EmittedIdentity } from './constructs/collisions';
export { KubeNamespace } from './constructs/kube-namespace';
export type { KubeNamespaceProps } from './constructs/kube-namespace';
export { KubeDeployment } from './constructs/kube-deployment';
export type { KubeDeploymentProps } from './constructs/kube-deployment';
export type { NamespaceRef } from './constructs/workload-support';

export * from './aws/policy-document';
export * from './aws/cdn-functions';
export * from './constructs/kube-sa-auth-aws';
export type { KubeWorkloadConstructProps } from './constructs/workload-support';
export { KubeWorkload } from './constructs/kube-workload';

export * from './config';

// Controllers (issue 3)
export { KubeStatefulSet } from './constructs/kube-stateful-set';
export type { KubeStatefulSetProps } from './constructs/kube-stateful-set';
export { KubeCronJob } from './constructs/kube-cron-job';
export type { KubeCronJobProps } from './constructs/kube-cron-job';
export { KubeJob } from './constructs/kube-job';
export type { KubeJobProps } from './constructs/kube-job';
export { KubeDaemonSet } from './constructs/kube-daemon-set';
export type { KubeDaemonSetProps } from './constructs/kube-daemon-set';
export type { StatefulSetProps, StatefulVolumeMount, VolumeRetentionPolicy, PvcAccessMode } from './k8s/stateful-set';
export { claimTemplatesHash, CLAIM_TEMPLATES_HASH_ANNOTATION, PVC_GROUP_LABEL } from './k8s/stateful-set';
export type { BatchProps, JobProps, PodFailurePolicyRule } from './k8s/job';
export type { CronJobProps } from './k8s/cron-job';
export { cronProblem, isTimeZone } from './k8s/cron-job';
export type { DaemonSetProps } from './k8s/daemon-set';

// Services, autoscaling, configuration and secrets, priority classes
export { KubeService } from './constructs/kube-service';
export type { KubeServiceProps, IPodSelector } from './constructs/kube-service';
export { KubeScaledObject } from './constructs/kube-scaled-object';
export type { KubeScaledObjectProps, IScalableWorkload } from './constructs/kube-scaled-object';
export { emitHorizontalAutoscaler } from './constructs/autoscaling-support';
export { KubeConfigMap } from './constructs/kube-config-map';
export type { KubeConfigMapProps } from './constructs/kube-config-map';
export { KubeExternalSecret } from './constructs/kube-external-secret';
export type { KubeExternalSecretProps } from './constructs/kube-external-secret';
export { KubePriorityClasses } from './constructs/kube-priority-classes';
export type { KubePriorityClassesProps } from './constructs/kube-priority-classes';
export type { HorizontalAutoscalingProps, ScalingRules, ScaledObjectProps, ScaledObjectTrigger } from './k8s/autoscaling';
export { DEFAULT_TARGET_CPU_UTILIZATION } from './k8s/autoscaling';
export type { ConfigMapProps, ExternalSecretProps, RemoteRef, ExternalSecretDataFrom } from './k8s/config';
export type { PriorityClassSpec } from './k8s/priority-class';
export { PANFACTUM_PRIORITY_CLASSES } from './k8s/priority-class';

// Node image cache, network policies, Argo workflow templates
export { KubeNodeImageCache, registerWorkloadImages, defaultImageCacheName } from './constructs/kube-node-image-cache';
export type { KubeNodeImageCacheProps } from './constructs/kube-node-image-cache';
export type { NodeImageCacheImage } from './k8s/image-cache';
export { KubeNetworkPolicy } from './constructs/kube-network-policy';
export type { KubeNetworkPolicyProps, NetworkPolicyWorkload } from './constructs/kube-network-policy';
export type { NetworkPeer, NetworkPolicyPort, IngressControllerPeer, NamespaceNetworkPolicy, WorkloadNetworkPolicy } from './k8s/network-policy';
export { buildWorkloadNetworkPolicy, buildNamespaceNetworkPolicies } from './k8s/network-policy';
export { KubeWorkflowTemplate } from './constructs/kube-workflow-template';
export type { KubeWorkflowTemplateProps } from './constructs/kube-workflow-template';
export { buildWorkflowTemplate } from './k8s/workflow-spec';
export type { WorkflowTemplateProps, WorkflowTemplateDefinition, WorkflowDagTask, WorkflowStep, WorkflowParameter } from './k8s/workflow-spec';

// Cluster maintenance controllers (issue 5)
export * from './constructs/kube-reloader';
export * from './constructs/kube-descheduler';
export * from './constructs/kube-pvc-autoresizer';
export * from './constructs/kube-external-snapshotter';
export * from './constructs/kube-node-image-cache-controller';
export * from './constructs/kube-velero';
export type { MaintenanceControllerProps } from './k8s/maintenance';

// Edge (issue 4)
export { KubeIngress } from './constructs/kube-ingress';
export type { KubeIngressProps } from './constructs/kube-ingress';
export type { IngressProps, IngressConfig, IngressCdnConfig, IngressRedirectRule, IngressCspProps } from './k8s/ingress';
export { KubeAwsCdn } from './constructs/kube-aws-cdn';
export type { KubeAwsCdnProps, CdnCustomErrorResponse, CdnPriceClass, CdnGeoRestrictionType, CdnMinimumProtocolVersion } from './constructs/kube-aws-cdn';
export type { CdnCacheBehavior, CdnOriginConfig, CdnViewerProtocolPolicy } from './aws/cdn';

// The golden-path audit (issue 7)
export * from './audit';
