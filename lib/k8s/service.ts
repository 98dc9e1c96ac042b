import { AnnotationKeys } from '../core/labels';
import { shortHash, fitName } from '../core/naming';
import { PropValidator, isToken } from '../core/validation';
import type { IService, Named } from './types';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
export const NLB_CLASS = 'service.k8s.aws/nlb';

/** A port of a Service (Panfactum's kube_service `ports` value). */
export interface ServicePortSpec {
  /** Port on the pods. */
  readonly podPort: number;
  /** Port on the Service. @default - podPort */
  readonly servicePort?: number;
  /** Protocol. @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** Service inputs (Panfactum's kube_service). */
export interface ServiceSpecProps {
  readonly namespace: string;
  readonly name: string;
  /** Named ports. */
  readonly ports: Record<string, ServicePortSpec>;
  /** Pod selector. */
  readonly matchLabels: Record<string, string>;
  /** Service type. @default "ClusterIP" */
  readonly type?: ServiceType;
  /** Static cluster IP (must be inside the cluster's service CIDR). @default - assigned by Kubernetes */
  readonly serviceIp?: string;
  /** Headless: no cluster IP, DNS returns pod IPs, not-ready pods published. @default false */
  readonly headlessEnabled?: boolean;
  /** Internal traffic policy. @default "Cluster" */
  readonly internalTrafficPolicy?: 'Cluster' | 'Local';
  /** External traffic policy (LoadBalancer and NodePort only). @default "Cluster" */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** Load balancer class; the AWS NLB class adds the NLB annotations. @default "service.k8s.aws/nlb" */
  readonly loadBalancerClass?: string;
  /** Public DNS names published by external-dns. @default [] */
  readonly publicDomainNames?: string[];
  /** NLB target deregistration delay in seconds. @default 300 */
  readonly deregistrationDelaySeconds?: number;
  /** Extra Service labels. @default {} */
  readonly extraLabels?: Record<string, string>;
  /** Extra Service annotations (override the computed ones). @default {} */
  readonly extraAnnotations?: Record<string, string>;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** The AWS Load Balancer Controller annotations for an internet-facing NLB (inventory 10.3). */
export function nlbAnnotations(namespace: string, name: string, deregistrationDelaySeconds: number): Record<string, string> {
  const prefix = 'service.beta.kubernetes.io/aws-load-balancer-';
  return {
    // NLB names are at most 32 characters; the hash keeps them unique per namespace/name.
    [`${prefix}name`]: `${fitName(name, 15).replace(/[^a-z0-9-]/g, '-')}-${shortHash([namespace, name], 16)}`.slice(0, 32),
    [`${prefix}type`]: 'external',
    [`${prefix}backend-protocol`]: 'tcp',
    [`${prefix}scheme`]: 'internet-facing',
    [`${prefix}nlb-target-type`]: 'ip',
    [`${prefix}healthcheck-unhealthy-threshold`]: '2',
    [`${prefix}healthcheck-healthy-threshold`]: '2',
    [`${prefix}healthcheck-timeout`]: '2',
    [`${prefix}healthcheck-interval`]: '5',
    [`${prefix}attributes`]: 'zonal_shift.config.enabled=true',
    [`${prefix}target-group-attributes`]: [
      'stickiness.enabled=true',
      'stickiness.type=source_ip',
      'preserve_client_ip.enabled=true',
      `deregistration_delay.timeout_seconds=${deregistrationDelaySeconds}`,
      'deregistration_delay.connection_termination.enabled=true',
      'target_health_state.unhealthy.connection_termination.enabled=false',
    ].join(','),
  };
}

/** Validate Service inputs and build the Service. `labels` are the object labels (module + workload). */
export function buildService(v: PropValidator, p: ServiceSpecProps, labels: Record<string, string>, fieldPrefix = ''): Named<IService> {
  const f = (n: string) => `${fieldPrefix}${n}`;
  const type = v.oneOf(f('serviceType'), p.type ?? 'ClusterIP', SERVICE_TYPES);
  if (type === 'ExternalName') v.fail(f('serviceType'), type, 'an ExternalName Service has no selector or ports; use ClusterIP, NodePort or LoadBalancer for a workload');
  if (p.serviceIp !== undefined && !isToken(p.serviceIp) && !IPV4.test(p.serviceIp)) v.fail(f('serviceIp'), p.serviceIp, 'use an IPv4 address inside the cluster\'s service CIDR, e.g. "172.20.0.50"', 'is not an IPv4 address');
  if (p.headlessEnabled && p.serviceIp !== undefined) v.exclusive(f('headlessEnabled'), true, f('serviceIp'), p.serviceIp, 'a headless Service has no cluster IP; remove serviceIp');
  if (p.headlessEnabled && type !== 'ClusterIP') v.fail(f('serviceType'), type, 'a headless Service must be of type ClusterIP');
  const internalTrafficPolicy = v.oneOf(f('internalTrafficPolicy'), p.internalTrafficPolicy ?? 'Cluster', ['Cluster', 'Local'] as const);
  const externalTrafficPolicy = v.oneOf(f('externalTrafficPolicy'), p.externalTrafficPolicy ?? 'Cluster', ['Cluster', 'Local'] as const);
  (p.publicDomainNames ?? []).forEach((d, i) => v.dnsSubdomain(`${f('publicDomainNames')}[${i}]`, d));
  v.labels(f('extraServiceLabels'), p.extraLabels);
  v.annotations(f('extraServiceAnnotations'), p.extraAnnotations);
  const ports = Object.entries(p.ports);
  if (ports.length === 0) v.fail(f('ports'), p.ports, 'a Service needs at least one port');
  const delay = v.integer(f('deregistrationDelaySeconds'), p.deregistrationDelaySeconds ?? 300, 0, 3600, 'use seconds from 0 to 3600');
  const lbClass = p.loadBalancerClass ?? NLB_CLASS;

  const annotations: Record<string, string> = {};
  if (p.publicDomainNames && p.publicDomainNames.length > 0) annotations[AnnotationKeys.externalDnsHostname] = p.publicDomainNames.join(',');
  if (type === 'LoadBalancer' && lbClass === NLB_CLASS) Object.assign(annotations, nlbAnnotations(p.namespace, p.name, delay));
  Object.assign(annotations, p.extraAnnotations ?? {});

  const spec: NonNullable<IService['spec']> = {
    type,
    internalTrafficPolicy,
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    selector: { ...p.matchLabels },
    ports: ports.map(([name, port]) => ({ name, port: port.servicePort ?? port.podPort, targetPort: port.podPort, protocol: port.protocol ?? 'TCP' })),
    publishNotReadyAddresses: p.headlessEnabled ?? false,
  };
  if (p.serviceIp !== undefined) {
    spec.clusterIP = p.serviceIp;
    spec.clusterIPs = [p.serviceIp];
  }
  if (p.headlessEnabled) {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
  }
  if (type === 'LoadBalancer') {
    spec.loadBalancerClass = lbClass;
    spec.externalTrafficPolicy = externalTrafficPolicy;
  } else if (type === 'NodePort') {
    spec.externalTrafficPolicy = externalTrafficPolicy;
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: { ...labels, ...(p.extraLabels ?? {}) },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec,
  };
}
