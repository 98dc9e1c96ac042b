import { AnnotationKeys } from '../core/labels';
import { shortHash, fitName } from '../core/naming';
import { Fn } from 'cdktf';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { keyPath } from '../core/paths';
import type { IService, Named } from './types';

/**
 * The type of a Kubernetes Service.
 *
 * @group Networking
 */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
export const NLB_CLASS = 'service.k8s.aws/nlb';

/**
 * A port of a Service (Panfactum's kube_service `ports` value).
 *
 * @group Networking
 */
export interface ServicePortSpec {
  /** Port on the pods. */
  readonly podPort: number;
  /** Port on the Service. @default - podPort */
  readonly servicePort?: number;
  /** Protocol. @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * Service inputs (Panfactum's kube_service).
 *
 * @group Networking
 */
export interface ServiceSpecProps {
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Name of the Service (RFC 1035 label: starts with a letter; also the NLB name prefix). */
  readonly name: string;
  /** Named ports (names are IANA service names such as "http"). */
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
/** Prop names used in error messages (the Deployment's names unless a caller names them otherwise). */
export interface ServiceFieldNames {
  readonly type?: string;
  readonly extraLabels?: string;
  readonly extraAnnotations?: string;
}

export function buildService(v: PropValidator, p: ServiceSpecProps, labels: Record<string, string>, fieldPrefix = '', names: ServiceFieldNames = {}): Named<IService> {
  const f = (n: string) => `${fieldPrefix}${n === 'serviceType' ? names.type ?? n : n === 'extraServiceLabels' ? names.extraLabels ?? n : n === 'extraServiceAnnotations' ? names.extraAnnotations ?? n : n}`;
  const type = v.oneOf(f('serviceType'), v.knownAtSynth(f('serviceType'), p.type ?? 'ClusterIP', 'it decides the Service\'s load balancer annotations'), SERVICE_TYPES);
  v.knownAtSynth(f('headlessEnabled'), p.headlessEnabled, 'it decides whether the Service has a cluster IP');
  if (type === 'ExternalName') v.fail(f('serviceType'), type, 'an ExternalName Service has no selector or ports; use ClusterIP, NodePort or LoadBalancer for a workload');
  if (p.serviceIp !== undefined && !isToken(p.serviceIp) && !IPV4.test(p.serviceIp)) v.fail(f('serviceIp'), p.serviceIp, 'use an IPv4 address inside the cluster\'s service CIDR, e.g. "172.20.0.50"', 'is not an IPv4 address');
  if (p.headlessEnabled && p.serviceIp !== undefined) v.exclusive(f('headlessEnabled'), true, f('serviceIp'), p.serviceIp, 'a headless Service has no cluster IP; remove serviceIp');
  if (p.headlessEnabled && type !== 'ClusterIP') v.fail(f('serviceType'), type, 'a headless Service must be of type ClusterIP');
  const internalTrafficPolicy = v.oneOf(f('internalTrafficPolicy'), p.internalTrafficPolicy ?? 'Cluster', ['Cluster', 'Local'] as const);
  const externalTrafficPolicy = v.oneOf(f('externalTrafficPolicy'), p.externalTrafficPolicy ?? 'Cluster', ['Cluster', 'Local'] as const);
  // A list token (known at apply) is written as is; the elements of a literal list are checked.
  if (!isListToken(p.publicDomainNames)) (p.publicDomainNames ?? []).forEach((d, i) => v.dnsSubdomain(`${f('publicDomainNames')}[${i}]`, d));
  v.labels(f('extraServiceLabels'), p.extraLabels);
  v.annotations(f('extraServiceAnnotations'), p.extraAnnotations);
  const ports = Object.entries(p.ports);
  // A headless Service (a StatefulSet's stable DNS names) may have no ports at all.
  if (ports.length === 0 && !p.headlessEnabled) v.fail(f('ports'), p.ports, 'a Service needs at least one port');
  const delay = v.integer(f('deregistrationDelaySeconds'), p.deregistrationDelaySeconds ?? 300, 0, 3600, 'use seconds from 0 to 3600');
  // The class decides whether the AWS NLB annotations are added: a token would silently drop them
  // (found by the fuzz suite).
  if (type === 'LoadBalancer') v.knownAtSynth(`${fieldPrefix}${names.type ? 'loadBalancerClass' : 'serviceLoadBalancerClass'}`, p.loadBalancerClass, 'it decides whether the AWS NLB annotations are added');
  const lbClass = p.loadBalancerClass ?? NLB_CLASS;

  const annotations: Record<string, string> = {};
  if (p.publicDomainNames && p.publicDomainNames.length > 0) {
    annotations[AnnotationKeys.externalDnsHostname] = isListToken(p.publicDomainNames) ? Fn.join(',', p.publicDomainNames) : p.publicDomainNames.join(',');
  }
  if (type === 'LoadBalancer' && lbClass === NLB_CLASS) {
    const nlb = 'the load balancer\'s name (at most 32 characters) is derived from it at synth';
    v.knownAtSynth(f('serviceName'), p.name, nlb);
    v.knownAtSynth('namespace', p.namespace, nlb);
    Object.assign(annotations, nlbAnnotations(p.namespace, p.name, delay));
  }
  Object.assign(annotations, p.extraAnnotations ?? {});

  const spec: NonNullable<IService['spec']> = {
    type,
    internalTrafficPolicy,
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    selector: { ...p.matchLabels },
    ...(ports.length > 0 ? { ports: ports.map(([name, port]) => ({ name, port: port.servicePort ?? port.podPort, targetPort: port.podPort, protocol: port.protocol ?? 'TCP' })) } : {}),
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

const PORT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Validate the inputs of a standalone Service (KubeService) beyond what buildService
 * checks for controllers (whose ports are validated on the containers): the name, the
 * port names and numbers, the selector, and props that would have no effect for the type.
 */
export function validateStandaloneService(v: PropValidator, p: ServiceSpecProps): void {
  v.required('namespace', p.namespace);
  v.required('name', p.name);
  v.dnsLabel('namespace', p.namespace);
  v.dnsLabel('name', p.name);
  if (!isToken(p.name) && /^[0-9]/.test(p.name)) v.fail('name', p.name, 'a Service name must start with a letter (RFC 1035 label)', 'starts with a digit');
  if (p.ports === undefined || isToken(p.ports) || Object.keys(p.ports).length === 0) v.fail('ports', p.ports, 'give at least one port, e.g. { http: { podPort: 8080, servicePort: 80 } }', 'is empty');
  for (const [name, port] of Object.entries(p.ports)) {
    if (name.length > 15 || !PORT_NAME.test(name) || !/[a-z]/.test(name) || name.includes('--')) {
      v.fail(keyPath('ports', name), name, 'port names are 1-15 lower-case letters, digits and \'-\' with at least one letter and no "--" (IANA service name), e.g. "http"', 'is not a valid port name');
    }
    v.port(`${keyPath('ports', name)}.podPort`, port.podPort);
    if (port.servicePort !== undefined) v.port(`${keyPath('ports', name)}.servicePort`, port.servicePort);
    if (port.protocol !== undefined) v.oneOf(`${keyPath('ports', name)}.protocol`, port.protocol, ['TCP', 'UDP', 'SCTP'] as const);
  }
  if (!isToken(p.matchLabels) && Object.keys(p.matchLabels ?? {}).length === 0) {
    v.fail('matchLabels', p.matchLabels, 'give the labels of the pods to route to (or pass selector: aKubeDeployment); an empty selector would match no pods', 'is empty');
  }
  v.labels('matchLabels', p.matchLabels);
  // Checked first: the props that apply to some types only are checked against them (found by
  // the fuzz suite: a token type made externalTrafficPolicy "have no effect").
  const type = v.knownAtSynth('type', p.type ?? 'ClusterIP', 'it decides the Service\'s load balancer annotations');
  const isLb = type === 'LoadBalancer';
  if (isLb) v.knownAtSynth('loadBalancerClass', p.loadBalancerClass, 'it decides whether the AWS NLB annotations are added');
  if (!isLb && p.loadBalancerClass !== undefined) v.fail('loadBalancerClass', p.loadBalancerClass, 'loadBalancerClass applies to type "LoadBalancer" only; remove it or set type: "LoadBalancer"', 'has no effect');
  if (!isLb && type !== 'NodePort' && p.externalTrafficPolicy !== undefined) {
    v.fail('externalTrafficPolicy', p.externalTrafficPolicy, 'externalTrafficPolicy applies to types "LoadBalancer" and "NodePort" only; remove it', 'has no effect');
  }
  if (p.deregistrationDelaySeconds !== undefined && !(isLb && (p.loadBalancerClass ?? NLB_CLASS) === NLB_CLASS)) {
    v.fail('deregistrationDelaySeconds', p.deregistrationDelaySeconds, `the deregistration delay is an AWS NLB setting; it applies to type "LoadBalancer" with loadBalancerClass "${NLB_CLASS}" only`, 'has no effect');
  }
}
