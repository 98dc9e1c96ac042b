import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { NamespaceProps, buildNamespaceModel } from '../k8s/namespace';
import { KubeManifest } from './kube-manifest';

export interface KubeNamespaceProps extends NamespaceProps {
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * A namespace for one application (Panfactum's kube_namespace): Pod Security Standard
 * labels (baseline enforced, restricted audited), Linkerd injection, and admin and
 * reader Roles bound to groups. `default` and `kube-*` are refused. With `networkPolicy`,
 * every pod of the namespace is denied all traffic except what the allow settings permit.
 *
 * Pass the construct itself as a workload's `namespace` so the workload is applied after it.
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
  }
}
