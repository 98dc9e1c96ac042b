/**
 * cdktf-golden-path: production-ready Kubernetes workloads on EKS as CDKTF constructs,
 * modelled on the Panfactum Stack's modules.
 *
 * The package root exports only what a user of the constructs needs: the constructs, their
 * props and the types those props reference, the environment context and configuration loader,
 * the audit's public API and a few documented helpers. Everything else (validators, the pure
 * Kubernetes model builders, rule internals, generated tables) stays importable by deep path
 * for the repository's own tools and tests, and is not part of the API reference.
 *
 * Families (the `@group` of every export, see docs/api-landing.md): Workloads, Networking,
 * Edge & AWS, Configuration, App, Maintenance, Audit, Core.
 */

// Core: errors, environment context, escaping helpers, labels
export { ValidationError } from './core/errors';
export { EnvironmentContext } from './core/context';
export type { EnvironmentContextProps, ResolvedEnvironmentContext } from './core/context';
export { CLUSTER_PROFILES, resolveClusterProfile } from './core/cluster-profile';
export type {
  ClusterCapabilities, ClusterCapability, ClusterProfile, ClusterProfileName, ClusterProfileOverrides, NodeClass, ResolvedClusterCapabilities,
} from './core/cluster-profile';
export { escapeTerraformTemplate, escapeTerraformTemplates, allowTerraformTemplates } from './core/terraform-strings';
export { backupExclusionLabels } from './core/labels';
export { KubeManifest } from './constructs/kube-manifest';
export type { KubeManifestProps } from './constructs/kube-manifest';
export type { KubernetesObject } from './k8s/object';
export { registerKind, registerSchemalessKind } from './k8s/schema';
export type { KindDefinition, NameRule, RegisterKindOptions } from './k8s/schema';
// Collisions between the stacks of an app (docs/environments.md)
export { enableCollisionCheck, collectEmittedIdentities } from './constructs/collisions';
export type { CollisionSpace, CollisionTarget, EmittedIdentity } from './constructs/collisions';

// Workloads: namespaces, controllers, pods, autoscaling, configuration and secrets, priority classes
export { KubeNamespace } from './constructs/kube-namespace';
export type { KubeNamespaceProps } from './constructs/kube-namespace';
export type { NamespaceProps, PodSecurityStandard } from './k8s/namespace';
export { KubeWorkload } from './constructs/kube-workload';
export type { KubeWorkloadConstructProps, NamespaceRef } from './constructs/workload-support';
export { KubeDeployment } from './constructs/kube-deployment';
export type { KubeDeploymentProps } from './constructs/kube-deployment';
export { KubeStatefulSet } from './constructs/kube-stateful-set';
export type { KubeStatefulSetProps } from './constructs/kube-stateful-set';
export { KubeCronJob } from './constructs/kube-cron-job';
export type { KubeCronJobProps } from './constructs/kube-cron-job';
export { KubeJob } from './constructs/kube-job';
export type { KubeJobProps } from './constructs/kube-job';
export { KubeDaemonSet } from './constructs/kube-daemon-set';
export type { KubeDaemonSetProps } from './constructs/kube-daemon-set';
export type { ContainerProps, ContainerPort, ProbeType } from './k8s/container';
export type { PodProps, TmpDirectory, MountSource, EnvFromSecret, EnvFromConfigMap, RestartPolicy } from './k8s/pod';
export type { SchedulingProps, NodePreference, Toleration } from './k8s/scheduling';
export type { WorkloadProps, PanfactumNames } from './k8s/workload';
export type { DeploymentProps } from './k8s/deployment';
export type { StatefulSetProps, StatefulVolumeMount, VolumeRetentionPolicy, PvcAccessMode } from './k8s/stateful-set';
export type { BatchProps, JobProps, PodFailurePolicyRule } from './k8s/job';
export type { CronJobProps } from './k8s/cron-job';
export type { DaemonSetProps } from './k8s/daemon-set';
export { KubeScaledObject } from './constructs/kube-scaled-object';
export type { KubeScaledObjectProps, IScalableWorkload } from './constructs/kube-scaled-object';
export type { HorizontalAutoscalingProps, ScalingRules, ScaledObjectProps, ScaledObjectTrigger } from './k8s/autoscaling';
export { KubeConfigMap } from './constructs/kube-config-map';
export type { KubeConfigMapProps } from './constructs/kube-config-map';
export { KubeExternalSecret } from './constructs/kube-external-secret';
export type { KubeExternalSecretProps } from './constructs/kube-external-secret';
export type { ConfigMapProps, ExternalSecretProps, RemoteRef, ExternalSecretDataFrom } from './k8s/config';
export { KubePriorityClasses } from './constructs/kube-priority-classes';
export type { KubePriorityClassesProps } from './constructs/kube-priority-classes';
export type { PriorityClassSpec } from './k8s/priority-class';
export { KubeNodeImageCache } from './constructs/kube-node-image-cache';
export type { KubeNodeImageCacheProps } from './constructs/kube-node-image-cache';
export type { NodeImageCacheImage } from './k8s/image-cache';
export { KubeWorkflowTemplate } from './constructs/kube-workflow-template';
export type { KubeWorkflowTemplateProps } from './constructs/kube-workflow-template';
export type { WorkflowTemplateProps, WorkflowTemplateDefinition, WorkflowDagTask, WorkflowStep, WorkflowParameter, WorkflowPodGc, WorkflowTtlStrategy } from './k8s/workflow-spec';

// Networking: services and network policies
export { KubeService } from './constructs/kube-service';
export type { KubeServiceProps, IPodSelector } from './constructs/kube-service';
export type { ServiceType, ServicePortSpec, ServiceSpecProps } from './k8s/service';
export { KubeNetworkPolicy } from './constructs/kube-network-policy';
export type { KubeNetworkPolicyProps, NetworkPolicyWorkload } from './constructs/kube-network-policy';
export type { NetworkPeer, NetworkPolicyPort, IngressControllerPeer, NamespaceNetworkPolicy, WorkloadNetworkPolicy, NetworkProtocol } from './k8s/network-policy';

// Edge & AWS: ingress, CDN, IRSA, IAM policy documents
export { KubeIngress } from './constructs/kube-ingress';
export type { KubeIngressProps } from './constructs/kube-ingress';
export type { IngressProps, IngressConfig, IngressCdnConfig, IngressRedirectRule, IngressCspProps } from './k8s/ingress';
export { KubeAwsCdn } from './constructs/kube-aws-cdn';
export type { KubeAwsCdnProps, CdnCustomErrorResponse, CdnPriceClass, CdnGeoRestrictionType, CdnMinimumProtocolVersion } from './constructs/kube-aws-cdn';
export type { CdnCacheBehavior, CdnOriginConfig, CdnViewerProtocolPolicy } from './aws/cdn';
export type { CdnRedirectRule, CdnRewriteRule, CdnCorsConfig } from './aws/cdn-functions';
export { KubeSaAuthAws, ipBlocksPolicy } from './constructs/kube-sa-auth-aws';
export type { KubeSaAuthAwsProps } from './constructs/kube-sa-auth-aws';
export { PolicyDocument } from './aws/policy-document';
export type { PolicyDocumentProps, PolicyDocumentJson, PolicyStatement, PolicyEffect, PolicyPrincipal, PolicyConditions, PolicyConditionValue, PolicyKind, OneOrMany } from './aws/policy-document';

// Configuration: the environments/ tree loader and its errors
export { ConfigError } from './config/errors';
export type { ConfigIssue } from './config/errors';
export type { ConfigKey } from './config/schema';
export { loadEnvironments, resolveEnvironmentSelection, parseEnvironmentSelection, ENVIRONMENT_SELECTION_ENV_VAR, ENVIRONMENT_SELECTION_CONTEXT_KEY } from './config/loader';
export type { SlaTarget, TfStateConfig, ResolvedSettings, RegionSettings, ModuleConfig, RegionConfig, EnvironmentConfig, LoadEnvironmentsOptions } from './config/loader';

// App: the per-environment app built from the environments/ tree (docs/environments.md)
export { buildEnvironmentApp, environmentStackName, EnvironmentStack, configureBackend, configureProviders, formatSummary, summarizeSynth } from './app';
export type { EnvironmentApp, EnvironmentAppProps, EnvironmentRegionStacks, EnvironmentStackContext, EnvironmentStacksHook, EnvironmentStackProps, StackProviders, FormatSummaryOptions, StackSummary } from './app';
// What each stack needs from its cluster, and the preflight that checks a cluster for it (docs/preflight.md)
export { stackRequirements, synthRequirements, writeSynthRequirements, REQUIREMENTS_FILE, preflightCluster, formatPreflight } from './app';
export type { StackRequirements, CrdRequirement, CrdInstaller, HelmReleaseRequirement, RequirementsOptions, PreflightOptions, PreflightResult, PreflightCheck, PreflightStatus, CapabilityCheck } from './app';
// Adoption of live objects: `import` blocks per construct, stack or app (docs/migration.md)
export { adopt, adoptionReport } from './app/adopt';
export type { AdoptOptions, AdoptSetting, AdoptionEntry, AdoptionReport } from './app/adopt';

// Maintenance: cluster controllers installed with Helm (issue 5)
export { KubeReloader } from './constructs/kube-reloader';
export type { KubeReloaderProps, ReloaderValues } from './constructs/kube-reloader';
export { KubeDescheduler } from './constructs/kube-descheduler';
export type { KubeDeschedulerProps, DeschedulerValues } from './constructs/kube-descheduler';
export { KubePvcAutoresizer } from './constructs/kube-pvc-autoresizer';
export type { KubePvcAutoresizerProps, PvcAutoresizerValues } from './constructs/kube-pvc-autoresizer';
export { KubeExternalSnapshotter } from './constructs/kube-external-snapshotter';
export type { KubeExternalSnapshotterProps, ExternalSnapshotterValues } from './constructs/kube-external-snapshotter';
export { KubeNodeImageCacheController } from './constructs/kube-node-image-cache-controller';
export type { KubeNodeImageCacheControllerProps, NodeImageCacheControllerValues } from './constructs/kube-node-image-cache-controller';
export { KubeVelero } from './constructs/kube-velero';
export type { KubeVeleroProps, VeleroLogLevel, VeleroValues } from './constructs/kube-velero';
export type { MaintenanceControllerProps } from './k8s/maintenance';

// Audit: the golden-path audit (issue 7, docs/audit.md)
export { GoldenPathAudit, enableAudit, LOG_LEVEL_ENV_VAR } from './audit/aspect';
export type { GoldenPathAuditOptions, AuditWaiver } from './audit/aspect';
export { suppressAudit } from './audit/suppression';
export type { AuditSuppression, AuditSuppressionOptions } from './audit/suppression';
export { evaluateAudit } from './audit/engine';
export type { AuditFinding, AuditResult, SuppressionRecord, EvaluateOptions } from './audit/engine';
export { bundleFromTerraform } from './audit/terraform-view';
export type { TerraformViewOptions } from './audit/terraform-view';
export type { AuditBundle, AuditContext, K8sItem, AwsItem, Severity, SeverityOverride } from './audit/model';
