import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { ServicePortSpec, ServiceType, buildService, validateStandaloneService } from '../k8s/service';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';

/** Anything that selects pods by labels, e.g. a KubeDeployment or KubeStatefulSet. */
export interface IPodSelector {
  /** Selector labels of the pods. */
  readonly matchLabels: Record<string, string>;
}

/** Props of KubeService (Panfactum's kube_service). */
export interface KubeServiceProps {
  /** Namespace name, or the KubeNamespace construct (then the Service is applied after it). */
  readonly namespace: NamespaceRef;
  /** Service name (an RFC 1035 label; also the NLB name prefix). */
  readonly name: string;
  /** Named ports (names are IANA service names such as "http"). */
  readonly ports: Record<string, ServicePortSpec>;
  /** Pod selector labels. Give exactly one of matchLabels and selector. @default - selector.matchLabels */
  readonly matchLabels?: Record<string, string>;
  /** A workload construct whose pods the Service selects (KubeDeployment, ...). @default - matchLabels */
  readonly selector?: IPodSelector;
  /** Service type. @default "ClusterIP" */
  readonly type?: ServiceType;
  /** Static cluster IP (inside the cluster's service CIDR). @default - assigned by Kubernetes */
  readonly serviceIp?: string;
  /** Headless Service: no cluster IP, DNS returns pod IPs, not-ready pods are published. @default false */
  readonly headlessEnabled?: boolean;
  /** Internal traffic policy. @default "Cluster" */
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
  /** External traffic policy (LoadBalancer and NodePort only). @default "Cluster" */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /**
   * Load balancer class (LoadBalancer only). With the AWS NLB class the AWS Load Balancer
   * Controller annotations of an internet-facing NLB are added (inventory 10.3). Unlike the
   * HCL module, a different class is honoured, not overwritten.
   * @default "service.k8s.aws/nlb"
   */
  readonly loadBalancerClass?: string;
  /** Public DNS names published by external-dns. @default [] */
  readonly publicDomainNames?: string[];
  /** NLB target deregistration delay in seconds (AWS NLB only). @default 300 */
  readonly deregistrationDelaySeconds?: number;
  /** Extra Service labels. @default {} */
  readonly extraLabels?: Record<string, string>;
  /** Extra Service annotations (override the computed ones). @default {} */
  readonly extraAnnotations?: Record<string, string>;
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
