import { ResolvedEnvironmentContext } from '../core/context';
import { AnnotationKeys, LabelKeys, boolLabel, moduleLabels } from '../core/labels';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { NamespaceNetworkPolicy, buildNamespaceNetworkPolicies } from './network-policy';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INamespace, IRole, IRoleBinding, Named } from './types';

/**
 * A Pod Security Standards level enforced on a namespace.
 *
 * @group Workloads
 */
export type PodSecurityStandard = 'privileged' | 'baseline' | 'restricted';
const PSS: readonly PodSecurityStandard[] = ['privileged', 'baseline', 'restricted'];

/**
 * Inputs of a namespace (Panfactum's kube_namespace).
 *
 * @group Workloads
 */
export interface NamespaceProps {
  /** Namespace name (RFC 1123 label; not `default` and not `kube-*`). */
  readonly namespace: string;
  /** Annotate the namespace so Linkerd injects its proxy into every pod. @default - true when the cluster profile declares `linkerd` (panfactum: yes; eks: no) */
  readonly linkerdInject?: boolean;
  /** Groups bound to the namespace admin Role. @default ["system:admins"] */
  readonly adminGroups?: string[];
  /** Groups bound to the namespace reader Role (no access to Secrets). @default ["system:readers"] */
  readonly readerGroups?: string[];
  /** Value of the `loadbalancer/enabled` label (lets the AWS load balancer controller serve it). @default false */
  readonly loadbalancerEnabled?: boolean;
  /** Value of the `monitoring/enabled` label. @default true */
  readonly monitoringEnabled?: boolean;
  /** Pod Security Standard enforced by admission. @default "baseline" */
  readonly podSecurityStandard?: PodSecurityStandard;
  /** Pod Security Standard that only warns and audits (shows what a stricter level would refuse). @default "restricted" */
  readonly podSecurityAuditStandard?: PodSecurityStandard;
  /** Extra namespace labels. @default {} */
  readonly extraLabels?: Record<string, string>;
  /**
   * Network policies for every pod of the namespace: deny all ingress and egress by
   * default, then allow DNS, same-namespace traffic, the Linkerd control plane, the
   * ingress controller and declared targets (see lib/k8s/network-policy.ts). Giving the
   * object (even `{}`) turns deny-by-default on.
   * @default - no network policy (all traffic allowed, as in Panfactum)
   */
  readonly networkPolicy?: NamespaceNetworkPolicy;
}

export interface NamespaceModel {
  readonly namespace: Named<INamespace>;
  readonly roles: Array<Named<IRole>>;
  readonly roleBindings: Array<Named<IRoleBinding>>;
  /** The namespace-wide NetworkPolicies (empty unless `networkPolicy` is given). */
  readonly networkPolicies: Array<Named<INetworkPolicy>>;
}

const RESERVED = /^(default|kube-.*)$/;

/** Read-only access to everything a namespace user needs to debug, except Secrets. */
const READER_RULES: NonNullable<IRole['rules']> = [
  { apiGroups: [''], resources: ['pods', 'pods/log', 'pods/status', 'bindings', 'events', 'limitranges', 'namespaces', 'namespaces/status', 'configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'replicationcontrollers', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status', 'serviceaccounts', 'services', 'services/status'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['apps'], resources: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/status', 'replicasets', 'replicasets/status', 'statefulsets', 'statefulsets/status'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['batch'], resources: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets', 'poddisruptionbudgets/status'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'ingresses/status', 'networkpolicies'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['cert-manager.io'], resources: ['certificates', 'certificaterequests', 'issuers'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['acme.cert-manager.io'], resources: ['challenges', 'orders'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling.k8s.io'], resources: ['verticalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
];

/** Validate namespace inputs and build the Namespace, its Roles and RoleBindings. */
export function buildNamespaceModel(v: PropValidator, env: ResolvedEnvironmentContext, p: NamespaceProps): NamespaceModel {
  v.required('namespace', p.namespace);
  v.dnsLabel('namespace', p.namespace);
  if (RESERVED.test(p.namespace)) {
    v.fail('namespace', p.namespace, 'workloads get their own namespace: choose an application name such as "web"; "default" and "kube-*" belong to the cluster', 'is reserved');
  }
  v.labels('extraLabels', p.extraLabels);
  // These switches decide labels and annotations read by controllers at admission (and the
  // Linkerd policy default); a boolean token would be read as true (found by the fuzz suite).
  v.knownAtSynth('loadbalancerEnabled', p.loadbalancerEnabled, 'it decides the loadbalancer/enabled label');
  v.knownAtSynth('monitoringEnabled', p.monitoringEnabled, 'it decides the monitoring/enabled label');
  v.knownAtSynth('linkerdInject', p.linkerdInject, 'it decides the linkerd.io/inject annotation and the Linkerd network policy default');
  if (p.linkerdInject === true && !env.cluster.linkerd) {
    v.capability('linkerdInject', true, env.cluster, 'linkerd', 'the Linkerd service mesh (its proxy injector reads the annotation)', 'true', 'remove linkerdInject');
  }
  const linkerdInject = p.linkerdInject ?? env.cluster.linkerd;
  const enforce = v.oneOf('podSecurityStandard', p.podSecurityStandard ?? 'baseline', PSS);
  const audit = v.oneOf('podSecurityAuditStandard', p.podSecurityAuditStandard ?? 'restricted', PSS);
  // Levels only known at apply cannot be compared here (a token is not "looser").
  if (!isToken(audit) && !isToken(enforce) && PSS.indexOf(audit) < PSS.indexOf(enforce)) {
    v.fail('podSecurityAuditStandard', audit, `the audit level must be at least as strict as the enforced one ("${enforce}")`, 'is looser than podSecurityStandard');
  }
  const groups = (field: string, list: string[]) => {
    // Each group is a subject of a RoleBinding, and an empty list means no RoleBinding.
    if (isListToken(list)) {
      v.knownAtSynth(field, list, 'each group becomes a subject of the RoleBinding, which exists only for a non-empty list',
        'give the groups as a list in code; each group in it may be a token ([group.stringValue])');
    }
    list.forEach((g, i) => v.required(`${field}[${i}]`, g));
  };
  const adminGroups = p.adminGroups ?? ['system:admins'];
  const readerGroups = p.readerGroups ?? ['system:readers'];
  groups('adminGroups', adminGroups);
  groups('readerGroups', readerGroups);

  const labels = {
    ...moduleLabels(env, 'kube_namespace'),
    ...(p.extraLabels ?? {}),
    'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
    'loadbalancer/enabled': boolLabel(p.loadbalancerEnabled ?? false),
    'monitoring/enabled': boolLabel(p.monitoringEnabled ?? true),
    name: p.namespace,
    [LabelKeys.psEnforce]: enforce,
    [LabelKeys.psEnforceVersion]: 'latest',
    [LabelKeys.psWarn]: audit,
    [LabelKeys.psAudit]: audit,
  };
  const objectLabels = moduleLabels(env, 'kube_namespace');
  const role = (name: string, rules: NonNullable<IRole['rules']>): Named<IRole> => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name, namespace: p.namespace, labels: objectLabels },
    rules,
  });
  const binding = (name: string, roleName: string, subjects: string[]): Named<IRoleBinding> => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace: p.namespace, labels: objectLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
    subjects: subjects.map((g) => ({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: g })),
  });
  const roleBindings: Array<Named<IRoleBinding>> = [];
  if (adminGroups.length > 0) roleBindings.push(binding('namespace:admins', 'namespace:admin', adminGroups));
  if (readerGroups.length > 0) roleBindings.push(binding('namespace:readers', 'namespace:reader', readerGroups));
  return {
    namespace: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: p.namespace,
        labels,
        ...(linkerdInject ? { annotations: { [AnnotationKeys.linkerdInject]: 'enabled' } } : {}),
      },
    },
    roles: [role('namespace:admin', [{ apiGroups: ['', '*'], resources: ['*'], verbs: ['*'] }]), role('namespace:reader', READER_RULES)],
    roleBindings,
    networkPolicies: p.networkPolicy ? buildNamespaceNetworkPolicies(v, env, p.namespace, p.networkPolicy, linkerdInject) : [],
  };
}
