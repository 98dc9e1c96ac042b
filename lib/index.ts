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
export { buildPod } from './k8s/pod';
export { buildScheduling } from './k8s/scheduling';
export { buildService } from './k8s/service';
export { validateKubernetesObject, registerKind, registerSchemalessKind } from './k8s/schema';
export type { SchemaProblem } from './k8s/schema';

export { KubeManifest, FIELD_MANAGER } from './constructs/kube-manifest';
export type { KubeManifestProps } from './constructs/kube-manifest';
export { KubeNamespace } from './constructs/kube-namespace';
export type { KubeNamespaceProps } from './constructs/kube-namespace';
export { KubeDeployment } from './constructs/kube-deployment';
export type { KubeDeploymentProps } from './constructs/kube-deployment';
export type { NamespaceRef } from './constructs/workload-support';

export * from './aws/policy-document';
export * from './aws/cdn-functions';
export * from './constructs/kube-sa-auth-aws';
export type { KubeWorkloadConstructProps } from './constructs/workload-support';

export * from './config';
