import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { ServiceSpecProps, buildService, validateStandaloneService } from '../k8s/service';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Anything that selects pods by labels, e.g. a KubeDeployment or KubeStatefulSet.
 *
 * @group Networking
 */
export interface IPodSelector {
  /** Selector labels of the pods. */
  readonly matchLabels: Record<string, string>;
}

/**
 * Props of KubeService (Panfactum's kube_service): the Service model's inputs, with the
 * namespace given as a name or a KubeNamespace and the pods chosen by labels or a workload.
 *
 * @group Networking
 */
export interface KubeServiceProps extends Omit<ServiceSpecProps, 'namespace' | 'matchLabels'> {
  /** Namespace name, or the KubeNamespace construct (then the Service is applied after it). */
  readonly namespace: NamespaceRef;
  /** Pod selector labels. Give exactly one of matchLabels and selector. @default - selector.matchLabels */
  readonly matchLabels?: Record<string, string>;
  /** A workload construct whose pods the Service selects (KubeDeployment, ...). @default - matchLabels */
  readonly selector?: IPodSelector;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * A Service on its own (Panfactum's kube_service), built by the same model as the
 * Services of the controller constructs: IPv4 single-stack, named ports, external-dns
 * hostnames, and for a LoadBalancer of the AWS NLB class the internet-facing NLB
 * annotations (IP targets, fast health checks, zonal shift, source-IP stickiness, client
 * IP preservation, connection termination on deregistration).
 *
 * @example
 * new KubeService(stack, 'public', {
 *   namespace: 'web', name: 'api-public', selector: api, type: 'LoadBalancer',
 *   ports: { http: { podPort: 8080, servicePort: 80 } }, publicDomainNames: ['api.example.com'],
 * });
 *
 * @group Networking
 */
export class KubeService extends Construct {
  /** Name of the Service. */
  public readonly serviceName: string;
  /** Namespace of the Service. */
  public readonly namespaceName: string;
  /** In-cluster DNS name, `<name>.<namespace>.svc.cluster.local`. */
  public readonly clusterDomain: string;
  /** The emitted Service (escape hatch: `.object`, `.resource`). */
  public readonly service: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeServiceProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeService', props);
    const v = new PropValidator(this);
    if (props.matchLabels !== undefined && props.selector !== undefined) {
      v.exclusive('matchLabels', props.matchLabels, 'selector', '<construct>', 'give either matchLabels or selector, not both');
    }
    if (props.matchLabels === undefined && props.selector === undefined) {
      v.fail('matchLabels', undefined, 'give matchLabels (the pods\' labels) or selector (a workload construct such as a KubeDeployment)', 'is missing');
    }
    const ns = namespaceName(props.namespace);
    const spec = {
      namespace: ns,
      name: props.name,
      ports: props.ports,
      matchLabels: props.matchLabels ?? props.selector!.matchLabels,
      type: props.type,
      serviceIp: props.serviceIp,
      headlessEnabled: props.headlessEnabled,
      internalTrafficPolicy: props.internalTrafficPolicy,
      externalTrafficPolicy: props.externalTrafficPolicy,
      loadBalancerClass: props.loadBalancerClass,
      publicDomainNames: props.publicDomainNames,
      deregistrationDelaySeconds: props.deregistrationDelaySeconds,
      extraLabels: props.extraLabels,
      extraAnnotations: props.extraAnnotations,
    };
    validateStandaloneService(v, spec);
    const labels = moduleLabels(EnvironmentContext.of(this), 'kube_service');
    const object = buildService(v, spec, labels, '', { type: 'type', extraLabels: 'extraLabels', extraAnnotations: 'extraAnnotations' });
    this.service = new KubeManifest(this, 'Service', { object, provider: props.provider, dependsOn: namespaceDependencies(props.namespace) });
    this.serviceName = props.name;
    this.namespaceName = ns;
    this.clusterDomain = `${props.name}.${ns}.svc.cluster.local`;
  }
}
