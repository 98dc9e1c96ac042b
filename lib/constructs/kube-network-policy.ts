import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { NetworkProtocol, WorkloadNetworkPolicy, buildWorkloadNetworkPolicy } from '../k8s/network-policy';
import { KubeManifest } from './kube-manifest';
import { checkConstructProps } from './construct-props';

/**
 * What a network policy needs from a workload. Every controller construct
 * (KubeDeployment, KubeStatefulSet, ...) has these members.
 *
 * @group Networking
 */
export interface NetworkPolicyWorkload {
  /** Name of the workload. */
  readonly name: string;
  /** Namespace of the workload. */
  readonly namespaceName: string;
  /** Selector labels of its pods. */
  readonly matchLabels: Record<string, string>;
  /** Ports its pods serve (used when an ingress peer gives no ports). @default - all ports */
  readonly exposedPorts?: ReadonlyArray<{ readonly port: number; readonly protocol?: NetworkProtocol }>;
}

/**
 * Props of `KubeNetworkPolicy`: the workload to protect and the peers allowed to reach it.
 *
 * @group Networking
 */
export interface KubeNetworkPolicyProps extends WorkloadNetworkPolicy {
  /** The workload whose pods the policy selects. */
  readonly workload: NetworkPolicyWorkload;
  /**
   * The ports ingress peers without `ports` may reach.
   * @default - the workload's exposedPorts, else every port
   */
  readonly ports?: ReadonlyArray<{ readonly port: number; readonly protocol?: NetworkProtocol }>;
  /** Resources that must exist first (e.g. the namespace). @default [] */
  readonly dependsOn?: ITerraformDependable[];
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * A workload's own NetworkPolicy: its pods (selected by their `id` label) accept
 * connections only from `allowedIngress` peers (and the ingress controller, when allowed)
 * on the workload's ports, and connect only to DNS, the Linkerd control plane and
 * `allowedEgress` targets. Both directions are covered, as the readiness checks expect.
 * Policies are additive: a namespace-wide policy (KubeNamespace `networkPolicy`) may allow
 * more. See lib/k8s/network-policy.ts for the Linkerd ports.
 *
 * @example
 * new KubeNetworkPolicy(stack, 'api-policy', {
 *   workload: api,
 *   allowIngressController: {},
 *   allowedEgress: [{ namespace: 'database', podLabels: { app: 'postgres' }, ports: [{ port: 5432 }] }],
 * });
 *
 * @group Networking
 */
export class KubeNetworkPolicy extends Construct {
  /** Name of the NetworkPolicy. */
  public readonly name: string;
  /** The NetworkPolicy object. */
  public readonly networkPolicy: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeNetworkPolicyProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeNetworkPolicy', props);
    const v = new PropValidator(this);
    v.required('workload', props.workload);
    const { workload, ports, dependsOn, provider, ...policy } = props;
    const object = buildWorkloadNetworkPolicy(
      v,
      EnvironmentContext.of(this),
      { name: workload.name, namespace: workload.namespaceName, matchLabels: workload.matchLabels, ports: ports ?? workload.exposedPorts },
      policy,
      { fieldPrefix: '' },
    );
    this.name = object.metadata.name;
    this.networkPolicy = new KubeManifest(this, 'NetworkPolicy', { object, provider, dependsOn });
  }
}
