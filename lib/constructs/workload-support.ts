import { Annotations, ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { isToken } from '../core/validation';
import { WorkloadBase } from '../k8s/workload';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { registerWorkloadImages } from './kube-node-image-cache';
import { noteEmitter } from './collisions';
import { KubeSaAuthAws } from './kube-sa-auth-aws';
import { addPodSecurityCheck } from './pod-security-support';
import { PolicyDocument } from '../aws/policy-document';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { WorkloadNetworkPolicy, buildWorkloadNetworkPolicy } from '../k8s/network-policy';

/**
 * A namespace given by name, or the KubeNamespace construct (which orders the apply after it).
 *
 * @group Workloads
 */
export type NamespaceRef = string | KubeNamespace;

/**
 * Construct-level props every controller construct (KubeDeployment, KubeStatefulSet, ...) shares.
 *
 * @group Workloads
 */
export interface KubeWorkloadConstructProps {
  /** Namespace name, or the KubeNamespace construct (then the workload is applied after it). */
  readonly namespace: NamespaceRef;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
  /**
   * AWS permissions of the workload: an IAM policy (a PolicyDocument or its JSON) for an IRSA
   * role created for the workload's ServiceAccount (a KubeSaAuthAws with id `AwsRole`, trusted
   * through the cluster of EnvironmentContext `clusterName`). The ServiceAccount is annotated
   * `eks.amazonaws.com/role-arn`; no static keys exist.
   * @default - no AWS role
   */
  readonly awsIamPolicy?: string | PolicyDocument;
  /**
   * Addresses (IPs or CIDRs) the role's credentials may be used from; calls from elsewhere are
   * denied (only with awsIamPolicy).
   * @default [] (no IP restriction)
   */
  readonly awsIpAllowList?: string[];
  /** AWS provider for the IRSA role (only with awsIamPolicy). @default - the stack's default aws provider */
  readonly awsProvider?: TerraformProvider;
  /**
   * Resources the workload object must be applied after, e.g. a KubeJob running the
   * database migration (`dependsOn: [migration.job.resource]`).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * A NetworkPolicy for the workload's pods: ingress from the given peers on the workload's
   * ports, egress to the given targets, DNS and Linkerd allowed (see KubeNetworkPolicy).
   * @default - no workload policy (the namespace's policies, if any, apply)
   */
  readonly networkPolicy?: WorkloadNetworkPolicy;
}

export function namespaceName(ns: NamespaceRef): string {
  return typeof ns === 'string' ? ns : ns.namespaceName;
}

export function namespaceDependencies(ns: NamespaceRef): ITerraformDependable[] {
  return typeof ns === 'string' ? [] : [ns.namespace.resource];
}

/** The objects every controller emits besides itself: ServiceAccount, Secret, Role, RoleBinding. */
export interface EmittedSupport {
  readonly serviceAccount: KubeManifest;
  readonly secret?: SecretV1;
  readonly role?: KubeManifest;
  readonly roleBinding?: KubeManifest;
  /** The IRSA role, with awsIamPolicy. */
  readonly awsRole?: KubeSaAuthAws;
  /** The workload's NetworkPolicy, with networkPolicy. */
  readonly networkPolicy?: KubeManifest;
  /** What the controller object must be applied after. */
  readonly dependencies: ITerraformDependable[];
}

/**
 * Emit the ServiceAccount, the generated Secret for commonSecrets (typed
 * `kubernetes_secret_v1`, so values are sensitive and never shown in a plan), the
 * pod-reader Role and RoleBinding, the IRSA role (awsIamPolicy) and the workload's
 * NetworkPolicy (networkPolicy).
 */
export function emitWorkloadSupport(scope: Construct, base: WorkloadBase, props: KubeWorkloadConstructProps): EmittedSupport {
  const provider = props.provider;
  const after = namespaceDependencies(props.namespace);
  let awsRole: KubeSaAuthAws | undefined;
  if (props.awsIamPolicy !== undefined) {
    awsRole = new KubeSaAuthAws(scope, 'AwsRole', {
      serviceAccount: base.serviceAccount.metadata.name,
      serviceAccountNamespace: base.serviceAccount.metadata.namespace ?? namespaceName(props.namespace),
      iamPolicyJson: props.awsIamPolicy,
      ipAllowList: props.awsIpAllowList,
      annotateServiceAccount: false,
      awsProvider: props.awsProvider,
      kubernetesProvider: provider,
    });
    base.serviceAccount.metadata.annotations = { ...(base.serviceAccount.metadata.annotations ?? {}), ...awsRole.serviceAccountAnnotations };
  }
  const serviceAccount = new KubeManifest(scope, 'ServiceAccount', { object: base.serviceAccount, provider, dependsOn: after });
  const dependencies: ITerraformDependable[] = [...after, ...(props.dependsOn ?? []), serviceAccount.resource];
  let secret: SecretV1 | undefined;
  if (base.pod.secretData) {
    const literals = Object.entries(base.pod.secretData).filter(([, value]) => !isToken(value)).map(([k]) => k);
    if (literals.length > 0) {
      Annotations.of(scope).addWarning(
        `commonSecrets ${literals.join(', ')} hold literal values written in code; they end up in the Terraform state and in version control. ` +
          'Pass a sensitive TerraformVariable instead, or sync the secret with KubeExternalSecret.',
      );
    }
    secret = new SecretV1(scope, 'Secret', {
      metadata: { name: base.secretName, namespace: base.serviceAccount.metadata.namespace, labels: base.objectLabels },
      data: base.pod.secretData,
      type: 'Opaque',
      provider,
      dependsOn: after,
    });
    dependencies.push(secret);
  }
  let role: KubeManifest | undefined;
  let roleBinding: KubeManifest | undefined;
  if (base.pod.role && base.pod.roleBinding) {
    role = new KubeManifest(scope, 'PodReaderRole', { object: base.pod.role, provider, dependsOn: after });
    roleBinding = new KubeManifest(scope, 'PodReaderRoleBinding', { object: base.pod.roleBinding, provider, dependsOn: [...after, role.resource, serviceAccount.resource] });
  }
  // Images of containers with imagePinEnabled/imagePrepullEnabled join the stack's
  // KubeNodeImageCache; nothing is emitted when the stack has none.
  registerWorkloadImages(scope, base.pod.containers);
  // At synth, the pod templates of the object the workload emits are checked against the Pod
  // Security Standard its namespace enforces (lib/constructs/pod-security-support.ts).
  addPodSecurityCheck(scope, props.namespace, props);
  let networkPolicy: KubeManifest | undefined;
  if (props.networkPolicy) {
    const policy = buildWorkloadNetworkPolicy(
      new PropValidator(scope),
      EnvironmentContext.of(scope),
      { name: base.name, namespace: namespaceName(props.namespace), matchLabels: base.pod.matchLabels, ports: base.pod.exposedPorts },
      props.networkPolicy,
      { module: base.module },
    );
    networkPolicy = new KubeManifest(scope, 'NetworkPolicy', { object: policy, provider, dependsOn: after });
    noteEmitter(networkPolicy, `the networkPolicy prop of ${scope.constructor.name} ${scope.node.path}`);
  }
  return { serviceAccount, secret, role, roleBinding, awsRole, networkPolicy, dependencies };
}
