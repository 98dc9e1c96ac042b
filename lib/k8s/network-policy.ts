import { isIPv4, isIPv6 } from 'net';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer';
import type { INetworkPolicyPort } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPort';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { INetworkPolicyEgressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule';
import type { ILabelSelector } from '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector';
import { ResolvedEnvironmentContext } from '../core/context';
import { LabelKeys, moduleLabels, sanitizeLabelValue } from '../core/labels';
import { childName } from '../core/naming';
import { PropValidator, isToken } from '../core/validation';
import type { Named } from './types';

/**
 * Network policies (Kubernetes `networking.k8s.io/v1` NetworkPolicy, enforced by Cilium).
 * Panfactum ships none (seed 002); this library offers two layers, both off by default:
 *
 * - a namespace layer (KubeNamespace `networkPolicy`): deny every ingress and egress of
 *   every pod in the namespace, then allow DNS, traffic inside the namespace, the ingress
 *   controller, the Linkerd control plane and declared targets;
 * - a workload layer (KubeNetworkPolicy / `buildWorkloadNetworkPolicy`): one policy that
 *   selects the workload's pods by their `id` label, for Ingress and Egress, allowing
 *   ingress from given peers on the workload's ports and egress to given targets.
 *
 * Policies are additive: a pod may send or receive whatever ANY policy that selects it
 * allows, so a workload policy cannot take away what the namespace layer grants.
 *
 * Linkerd: a meshed pod's proxy must reach the control plane in the `linkerd` namespace
 * (identity 8080, destination 8086, policy 8090), or the pod never becomes ready; and the
 * proxy's admin port 4191 (metrics, used by Prometheus) must be reachable. Meshed clients
 * connect to the application's own port (the proxy redirects inside the pod), but a
 * multicluster gateway or a client that uses Linkerd's transport header connects to the
 * inbound proxy port 4143 instead, so 4143 is opened exactly to the peers that may reach
 * the application ports — never more widely, because 4143 forwards to any port. Kubelet
 * probes come from the node, which Cilium always allows.
 *
 * The Kubernetes API server is outside the cluster network: a pod that calls it (every pod
 * that reads its own manifest) needs an egress rule to the control-plane CIDR on port 443.
 *
 * @group Networking
 */

export type NetworkProtocol = 'TCP' | 'UDP' | 'SCTP';

/**
 * A port (or port range) of a rule.
 *
 * @group Networking
 */
export interface NetworkPolicyPort {
  /** Port number. */
  readonly port: number;
  /** Last port of a range starting at `port`. @default - the single port */
  readonly endPort?: number;
  /** Protocol. @default "TCP" */
  readonly protocol?: NetworkProtocol;
}

/**
 * The other end of a rule: an IP block (`cidr`, optionally minus `except`), or pods chosen
 * by namespace and/or labels. `namespace` alone means every pod of that namespace;
 * `podLabels` alone means pods of the policy's own namespace.
 *
 * @group Networking
 */
export interface NetworkPeer {
  /** An IPv4 or IPv6 block, e.g. "10.0.0.0/16". Not with namespace/podLabels. @default - none */
  readonly cidr?: string;
  /** Blocks inside `cidr` to leave out. @default [] */
  readonly except?: string[];
  /** Namespace of the peer pods. @default - the policy's own namespace (with podLabels) */
  readonly namespace?: string;
  /** Labels of the peer pods. @default - every pod of `namespace` */
  readonly podLabels?: Record<string, string>;
  /** Ports the rule allows. @default - ingress: the workload's ports (all ports in the namespace layer); egress: all ports */
  readonly ports?: NetworkPolicyPort[];
}

/**
 * Where the ingress controller runs.
 *
 * @group Networking
 */
export interface IngressControllerPeer {
  /** Namespace of the ingress controller. @default "ingress-nginx" */
  readonly namespace?: string;
  /** Labels of the ingress controller pods. @default - every pod of that namespace */
  readonly podLabels?: Record<string, string>;
}

/**
 * Namespace-wide network policy (KubeNamespace `networkPolicy`). Off unless given.
 *
 * @group Networking
 */
export interface NamespaceNetworkPolicy {
  /**
   * Deny all ingress and egress of every pod in the namespace, except what the allow
   * settings (and other policies) permit. false emits no policy at all.
   * @default true
   */
  readonly denyByDefault?: boolean;
  /** Allow DNS queries to CoreDNS (kube-system, `k8s-app: kube-dns`, UDP and TCP 53). @default true */
  readonly allowDns?: boolean;
  /** Allow all traffic between pods of this namespace. @default true */
  readonly allowSameNamespace?: boolean;
  /** Allow ingress from the ingress controller on every port. @default - not allowed */
  readonly allowIngressController?: IngressControllerPeer;
  /**
   * Allow the Linkerd proxy to work: egress to the control plane (namespace `linkerd`, TCP
   * 8080, 8086, 8090) and ingress to the proxy admin port 4191 from every namespace.
   * @default - the namespace's linkerdInject (true)
   */
  readonly allowLinkerd?: boolean;
  /** Further egress targets. @default [] */
  readonly allowedEgress?: NetworkPeer[];
  /** Further ingress sources (ports default to all ports). @default [] */
  readonly allowedIngress?: NetworkPeer[];
}

/**
 * A workload's own network policy (the `networkPolicy` prop of the controllers).
 *
 * @group Networking
 */
export interface WorkloadNetworkPolicy {
  /** Sources allowed to connect; a peer without ports may use the workload's ports (all ports when it declares none). @default [] */
  readonly allowedIngress?: NetworkPeer[];
  /** Targets the workload may connect to. @default [] */
  readonly allowedEgress?: NetworkPeer[];
  /** Allow ingress from the ingress controller on the workload's ports. @default - not allowed */
  readonly allowIngressController?: IngressControllerPeer;
  /** Allow DNS queries to CoreDNS (UDP and TCP 53). @default true */
  readonly allowDns?: boolean;
  /** Allow the Linkerd proxy's control-plane egress and admin port 4191, and port 4143 for allowed sources. @default - true when the cluster profile declares `linkerd` (panfactum: yes; eks: no) */
  readonly allowLinkerd?: boolean;
}

/** The workload a policy protects. */
export interface NetworkPolicyWorkloadInput {
  readonly name: string;
  readonly namespace: string;
  /** The pods' selector labels (the `id` label). */
  readonly matchLabels: Record<string, string>;
  /** The pods' ports: the default for ingress peers without ports. @default - all ports */
  readonly ports?: ReadonlyArray<{ readonly port: number; readonly protocol?: NetworkProtocol }>;
}

/** How buildWorkloadNetworkPolicy labels the policy and names fields in errors. */
export interface WorkloadNetworkPolicyOptions {
  /** Module label of the policy (the controller's module when it builds the policy). @default "kube_network_policy" */
  readonly module?: string;
  /** Prefix of field names in errors. @default "networkPolicy." */
  readonly fieldPrefix?: string;
}

type Policy = Named<INetworkPolicy>;

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
export const LINKERD_NAMESPACE = 'linkerd';
/** Linkerd control-plane ports the proxy calls: identity, destination, policy. */
export const LINKERD_CONTROL_PLANE_PORTS = [8080, 8086, 8090] as const;
export const LINKERD_INBOUND_PORT = 4143;
export const LINKERD_ADMIN_PORT = 4191;

const DNS_PEER: INetworkPolicyPeer = {
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
  podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
};
const DNS_PORTS: INetworkPolicyPort[] = [
  { port: 53, protocol: 'UDP' },
  { port: 53, protocol: 'TCP' },
];
const ALL_NAMESPACES: INetworkPolicyPeer = { namespaceSelector: {} };

/** Parse and check an IPv4 or IPv6 CIDR; returns the address, prefix and family. */
function parseCidr(v: PropValidator, field: string, cidr: string): { address: string; prefix: number; v4: boolean } | undefined {
  if (isToken(cidr)) return undefined;
  const [address, prefixText, ...rest] = String(cidr).split('/');
  const v4 = isIPv4(address);
  const max = v4 ? 32 : 128;
  const prefix = Number(prefixText);
  if (rest.length > 0 || (!v4 && !isIPv6(address)) || !/^\d{1,3}$/.test(prefixText ?? '') || prefix > max) {
    v.fail(field, cidr, 'use a CIDR block such as "10.0.0.0/16" or "fd00::/8"', 'is not a CIDR block');
  }
  if (v4 && prefix < 32 && (ipv4Number(address) & hostMask(prefix)) !== 0) {
    const network = numberToIpv4(ipv4Number(address) & ~hostMask(prefix));
    v.fail(field, cidr, `use the network address: "${network}/${prefix}"`, 'has host bits set');
  }
  return { address, prefix, v4 };
}

function ipv4Number(a: string): number {
  return a.split('.').reduce((n, o) => ((n << 8) | Number(o)) >>> 0, 0);
}
function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}
function numberToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => ((n >>> s) & 255).toString()).join('.');
}

function validatePorts(v: PropValidator, field: string, ports: readonly NetworkPolicyPort[] | undefined): INetworkPolicyPort[] | undefined {
  if (ports === undefined) return undefined;
  v.nonEmpty(field, ports, 'list at least one port, or leave ports out to allow every port');
  return ports.map((p, i) => {
    const f = `${field}[${i}]`;
    v.port(`${f}.port`, p.port);
    const protocol = v.oneOf(`${f}.protocol`, p.protocol ?? 'TCP', ['TCP', 'UDP', 'SCTP'] as const);
    if (p.endPort !== undefined) v.integer(`${f}.endPort`, p.endPort, isToken(p.port) ? 1 : p.port, 65535, `use a port from ${p.port} to 65535 (the end of the range starting at port)`);
    return { port: p.port, protocol, ...(p.endPort !== undefined ? { endPort: p.endPort } : {}) };
  });
}

/** Validate a peer and turn it into a NetworkPolicyPeer and its ports. */
export function buildPeer(v: PropValidator, field: string, peer: NetworkPeer): { peer: INetworkPolicyPeer; ports?: INetworkPolicyPort[] } {
  const ports = validatePorts(v, `${field}.ports`, peer.ports);
  const hasPods = peer.namespace !== undefined || peer.podLabels !== undefined;
  if (peer.cidr !== undefined) {
    if (hasPods) v.fail(`${field}.cidr`, peer.cidr, 'a peer is either an IP block (cidr) or pods (namespace/podLabels); split it into two peers', 'conflicts with namespace/podLabels');
    const outer = parseCidr(v, `${field}.cidr`, peer.cidr);
    (peer.except ?? []).forEach((ex, i) => {
      const inner = parseCidr(v, `${field}.except[${i}]`, ex);
      if (!outer || !inner) return;
      const inside = inner.v4 === outer.v4 && inner.prefix > outer.prefix && (!outer.v4 || (ipv4Number(inner.address) & ~hostMask(outer.prefix)) >>> 0 === ipv4Number(outer.address));
      if (!inside) v.fail(`${field}.except[${i}]`, ex, `each except block must lie strictly inside cidr ${peer.cidr}`, 'is outside cidr');
    });
    const except = peer.except && peer.except.length > 0 ? [...peer.except] : undefined;
    return { peer: { ipBlock: { cidr: peer.cidr, ...(except ? { except } : {}) } }, ports };
  }
  if (peer.except !== undefined) v.fail(`${field}.except`, peer.except, 'except narrows a cidr; add cidr or remove except', 'has no effect');
  if (!hasPods) {
    v.fail(field, peer, 'name the peer: give cidr (e.g. "10.0.0.0/16", or "0.0.0.0/0" for anywhere), namespace, or podLabels', 'matches nothing specific');
  }
  const out: INetworkPolicyPeer = {};
  if (peer.namespace !== undefined) {
    v.dnsLabel(`${field}.namespace`, peer.namespace);
    out.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } };
  }
  if (peer.podLabels !== undefined) {
    v.labels(`${field}.podLabels`, peer.podLabels);
    if (!isToken(peer.podLabels) && Object.keys(peer.podLabels).length === 0) {
      v.fail(`${field}.podLabels`, peer.podLabels, 'give at least one label, or leave podLabels out to match every pod of the namespace', 'is empty');
    }
    out.podSelector = { matchLabels: { ...peer.podLabels } };
  }
  return { peer: out, ports };
}

function ingressControllerPeer(v: PropValidator, field: string, c: IngressControllerPeer): INetworkPolicyPeer {
  return buildPeer(v, field, { namespace: c.namespace ?? 'ingress-nginx', podLabels: c.podLabels }).peer;
}

function linkerdEgress(): INetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: LINKERD_NAMESPACE } } }],
    ports: LINKERD_CONTROL_PLANE_PORTS.map((port) => ({ port, protocol: 'TCP' })),
  };
}

function linkerdAdminIngress(): INetworkPolicyIngressRule {
  return { from: [ALL_NAMESPACES], ports: [{ port: LINKERD_ADMIN_PORT, protocol: 'TCP' }] };
}

function policy(name: string, namespace: string, labels: Record<string, string>, podSelector: ILabelSelector, rules: { ingress?: INetworkPolicyIngressRule[]; egress?: INetworkPolicyEgressRule[] }, types: Array<'Ingress' | 'Egress'>): Policy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels },
    spec: {
      podSelector,
      policyTypes: types,
      ...(rules.ingress && rules.ingress.length > 0 ? { ingress: rules.ingress } : {}),
      ...(rules.egress && rules.egress.length > 0 ? { egress: rules.egress } : {}),
    },
  };
}

/**
 * The namespace layer: `default-deny` plus one policy per allow setting (`allow-dns`,
 * `allow-same-namespace`, `allow-linkerd`, `allow-ingress-controller`, `allow-ingress`,
 * `allow-egress`), each selecting every pod of the namespace. Field names are prefixed
 * with `networkPolicy.`.
 */
export function buildNamespaceNetworkPolicies(v: PropValidator, env: ResolvedEnvironmentContext, namespace: string, np: NamespaceNetworkPolicy, linkerdInject: boolean): Policy[] {
  const f = (name: string) => `networkPolicy.${name}`;
  // Each switch decides whether a whole NetworkPolicy is emitted (found by the fuzz suite: a
  // boolean token was read as true).
  for (const k of ['denyByDefault', 'allowDns', 'allowSameNamespace', 'allowLinkerd'] as const) {
    v.knownAtSynth(f(k), np[k], 'it decides whether a NetworkPolicy is emitted');
  }
  const deny = np.denyByDefault ?? true;
  if (!deny) {
    const stray = np.allowedEgress ?? np.allowedIngress ?? np.allowIngressController;
    if (stray !== undefined) {
      v.fail(f('denyByDefault'), false, 'allow rules only matter when traffic is denied by default: set denyByDefault: true, or remove allowedEgress/allowedIngress/allowIngressController', 'makes the allow rules meaningless');
    }
    return [];
  }
  const labels = moduleLabels(env, 'kube_namespace');
  const all: ILabelSelector = {};
  const policies: Policy[] = [policy('default-deny', namespace, labels, all, {}, ['Ingress', 'Egress'])];
  if (np.allowDns ?? true) policies.push(policy('allow-dns', namespace, labels, all, { egress: [{ to: [DNS_PEER], ports: DNS_PORTS }] }, ['Egress']));
  if (np.allowSameNamespace ?? true) {
    policies.push(policy('allow-same-namespace', namespace, labels, all, { ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] }, ['Ingress', 'Egress']));
  }
  if (np.allowLinkerd ?? linkerdInject) {
    policies.push(policy('allow-linkerd', namespace, labels, all, { ingress: [linkerdAdminIngress()], egress: [linkerdEgress()] }, ['Ingress', 'Egress']));
  }
  if (np.allowIngressController) {
    policies.push(policy('allow-ingress-controller', namespace, labels, all, { ingress: [{ from: [ingressControllerPeer(v, f('allowIngressController'), np.allowIngressController)] }] }, ['Ingress']));
  }
  const rules = (field: string, peers: NetworkPeer[] | undefined) =>
    (peers ?? []).map((p, i) => {
      const built = buildPeer(v, `${f(field)}[${i}]`, p);
      return { peers: [built.peer], ...(built.ports ? { ports: built.ports } : {}) };
    });
  const ingress = rules('allowedIngress', np.allowedIngress).map((r) => ({ from: r.peers, ...(r.ports ? { ports: r.ports } : {}) }));
  const egress = rules('allowedEgress', np.allowedEgress).map((r) => ({ to: r.peers, ...(r.ports ? { ports: r.ports } : {}) }));
  if (ingress.length > 0) policies.push(policy('allow-ingress', namespace, labels, all, { ingress }, ['Ingress']));
  if (egress.length > 0) policies.push(policy('allow-egress', namespace, labels, all, { egress }, ['Egress']));
  return policies;
}

/**
 * The workload layer: one NetworkPolicy `<name>-network-policy` that selects the workload's
 * pods by their selector labels and covers Ingress and Egress. Sources in allowedIngress
 * (and the ingress controller) may reach the workload's ports; the workload may reach DNS,
 * the Linkerd control plane and the targets in allowedEgress. Nothing else, unless another
 * policy that selects the pods allows it.
 */
export function buildWorkloadNetworkPolicy(
  v: PropValidator,
  env: ResolvedEnvironmentContext,
  workload: NetworkPolicyWorkloadInput,
  np: WorkloadNetworkPolicy,
  options: WorkloadNetworkPolicyOptions = {},
): Policy {
  const module = options.module ?? 'kube_network_policy';
  const prefix = options.fieldPrefix ?? 'networkPolicy.';
  v.required('name', workload.name);
  // The policy's name and its workload label are derived from the workload's name; the
  // switches decide which rules exist (found by the fuzz suite: a token name was pasted into
  // the label as placeholder text, a boolean token read as true).
  v.knownAtSynth('name', workload.name, 'the policy name and its workload label are derived from it');
  for (const k of ['allowDns', 'allowLinkerd'] as const) v.knownAtSynth(`${prefix}${k}`, np[k], 'it decides which rules the policy has');
  v.dnsLabel('namespace', workload.namespace);
  v.dnsSubdomain('name', workload.name);
  if (!isToken(workload.matchLabels) && Object.keys(workload.matchLabels ?? {}).length === 0) {
    v.fail('matchLabels', workload.matchLabels, 'give the workload\'s selector labels; an empty selector would apply the policy to every pod of the namespace', 'is empty');
  }
  v.labels('matchLabels', workload.matchLabels);
  const f = (name: string) => `${prefix}${name}`;
  const linkerd = np.allowLinkerd ?? env.cluster.linkerd;
  const workloadPorts: INetworkPolicyPort[] | undefined =
    workload.ports && workload.ports.length > 0 ? dedupePorts(workload.ports.map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }))) : undefined;
  const withProxy = (ports: INetworkPolicyPort[] | undefined): INetworkPolicyPort[] | undefined =>
    ports && linkerd ? dedupePorts([...ports, { port: LINKERD_INBOUND_PORT, protocol: 'TCP' }]) : ports;

  const ingress: INetworkPolicyIngressRule[] = [];
  (np.allowedIngress ?? []).forEach((p, i) => {
    const built = buildPeer(v, `${f('allowedIngress')}[${i}]`, p);
    const ports = withProxy(built.ports ?? workloadPorts);
    ingress.push({ from: [built.peer], ...(ports ? { ports } : {}) });
  });
  if (np.allowIngressController) {
    const ports = withProxy(workloadPorts);
    ingress.push({ from: [ingressControllerPeer(v, f('allowIngressController'), np.allowIngressController)], ...(ports ? { ports } : {}) });
  }
  if (linkerd) ingress.push(linkerdAdminIngress());

  const egress: INetworkPolicyEgressRule[] = [];
  if (np.allowDns ?? true) egress.push({ to: [DNS_PEER], ports: DNS_PORTS });
  if (linkerd) egress.push(linkerdEgress());
  (np.allowedEgress ?? []).forEach((p, i) => {
    const built = buildPeer(v, `${f('allowedEgress')}[${i}]`, p);
    egress.push({ to: [built.peer], ...(built.ports ? { ports: built.ports } : {}) });
  });

  return policy(
    childName(workload.name, 'network-policy', 253),
    workload.namespace,
    { ...moduleLabels(env, module), [LabelKeys.workload]: sanitizeLabelValue(workload.name) },
    { matchLabels: { ...workload.matchLabels } },
    { ingress, egress },
    ['Ingress', 'Egress'],
  );
}

function dedupePorts(ports: INetworkPolicyPort[]): INetworkPolicyPort[] {
  const seen = new Set<string>();
  return ports.filter((p) => {
    const key = `${p.protocol}/${p.port}/${p.endPort ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
