import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { ConfigMapProps, buildConfigMap } from '../k8s/config';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of KubeConfigMap.
 *
 * @group Workloads
 */
export interface KubeConfigMapProps extends Omit<ConfigMapProps, 'namespace'> {
  /** Namespace name, or the KubeNamespace construct (then the ConfigMap is applied after it). */
  readonly namespace: NamespaceRef;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * A ConfigMap for non-sensitive settings (seed 004: anything sensitive goes in a Secret,
 * ideally through KubeExternalSecret). Workloads consume it by `configMapName` in
 * `configMapMounts` or `commonEnvFromConfigMaps`; Reloader restarts them when it changes.
 * With `immutable`, the name carries a content hash, so changing the data creates a new
 * ConfigMap (and a rollout of the workloads that use `configMapName`).
 *
 * @example
 * const config = new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'api-config', data: { LOG_LEVEL: 'info' } });
 * // containers' env: commonEnvFromConfigMaps: { LOG_LEVEL: { configMapName: config.configMapName, key: 'LOG_LEVEL' } }
 *
 * @group Workloads
 */
export class KubeConfigMap extends Construct {
  /** Name of the ConfigMap as applied (hashed when immutable). */
  public readonly configMapName: string;
  /** Namespace of the ConfigMap. */
  public readonly namespaceName: string;
  /** The emitted ConfigMap (escape hatch: `.object`, `.resource`). */
  public readonly configMap: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeConfigMapProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeConfigMap', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const object = buildConfigMap(v, { ...props, namespace: ns }, moduleLabels(EnvironmentContext.of(this), 'kube_config_map'));
    this.configMap = new KubeManifest(this, 'ConfigMap', { object, provider: props.provider, dependsOn: namespaceDependencies(props.namespace) });
    this.configMapName = object.metadata.name;
    this.namespaceName = ns;
  }
}
