import { TerraformProvider } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { LabelKeys } from '../core/labels';
import { PropValidator, isToken } from '../core/validation';
import { NamespaceProps, PodSecurityStandard, buildNamespaceModel } from '../k8s/namespace';
import { KubeManifest } from './kube-manifest';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeNamespace`: the namespace name, Pod Security level, labels and default network policies.
 *
 * @group Workloads
 */
export interface KubeNamespaceProps extends NamespaceProps {
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/** The KubeNamespaces of each app (by construct tree root), for KubeNamespace.allInApp. */
const NAMESPACES = new WeakMap<IConstruct, KubeNamespace[]>();

/**
 * A namespace for one application (Panfactum's kube_namespace): Pod Security Standard
 * labels (baseline enforced, restricted audited), Linkerd injection, and admin and
 * reader Roles bound to groups. `default` and `kube-*` are refused. With `networkPolicy`,
 * every pod of the namespace is denied all traffic except what the allow settings permit.
 *
 * Pass the construct itself as a workload's `namespace` so the workload is applied after it.
 *
 * @group Workloads
 */
export class KubeNamespace extends Construct {
  /** The namespace name. */
  public readonly namespaceName: string;
  /** The Namespace object. */
  public readonly namespace: KubeManifest;
  /** The namespace-wide NetworkPolicies (empty unless `networkPolicy` is given). */
  public readonly networkPolicies: KubeManifest[];

  constructor(scope: Construct, id: string, props: KubeNamespaceProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeNamespace', props);
    const model = buildNamespaceModel(new PropValidator(this), EnvironmentContext.of(this), props);
    this.namespaceName = props.namespace;
    this.namespace = new KubeManifest(this, 'Namespace', { object: model.namespace, provider: props.provider });
    const after = [this.namespace.resource];
    for (const role of model.roles) {
      new KubeManifest(this, `Role-${role.metadata.name.replace(/[^a-z]/g, '-')}`, { object: role, provider: props.provider, dependsOn: after });
    }
    for (const binding of model.roleBindings) {
      new KubeManifest(this, `RoleBinding-${binding.metadata.name.replace(/[^a-z]/g, '-')}`, { object: binding, provider: props.provider, dependsOn: after });
    }
    this.networkPolicies = model.networkPolicies.map(
      (policy) => new KubeManifest(this, `NetworkPolicy-${policy.metadata.name}`, { object: policy, provider: props.provider, dependsOn: after }),
    );
    const inApp = NAMESPACES.get(this.node.root) ?? [];
    inApp.push(this);
    NAMESPACES.set(this.node.root, inApp);
  }

  /**
   * The Pod Security Standard the namespace enforces: the `pod-security.kubernetes.io/enforce`
   * label of the Namespace object as it will be applied (edits of `namespace.object` included).
   * Undefined when the label is missing or only known at apply. Workloads in the namespace are
   * checked against it at synth.
   */
  public get podSecurityStandard(): PodSecurityStandard | undefined {
    const level = this.namespace.object.metadata?.labels?.[LabelKeys.psEnforce];
    return level === 'privileged' || level === 'baseline' || level === 'restricted' ? level : undefined;
  }

  /** Every KubeNamespace in the app (construct tree) of `scope`, in creation order. */
  public static allInApp(scope: IConstruct): readonly KubeNamespace[] {
    // A namespace removed from the tree (tryRemoveChild) no longer counts.
    const attached = (ns: KubeNamespace) => ns.node.scopes.every((s, i, all) => i === 0 || all[i - 1].node.tryFindChild(s.node.id) === s);
    return (NAMESPACES.get(scope.node.root) ?? []).filter((ns) => !isToken(ns.namespaceName) && attached(ns));
  }
}
