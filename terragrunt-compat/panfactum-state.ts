/**
 * Facts about the Panfactum modules terragrunt-compat converts, read from their HCL in
 * github.com/Panfactum/stack, packages/infrastructure/<module>/main.tf and outputs.tf
 * (commit 7fdf79ffff250f52f8b68206a991059840f8a75d, 2026-05-13):
 *
 * - the outputs each module declares, and the construct attribute that gives the same value;
 * - the managed resources each module puts in its state (the old state of a module directory,
 *   whose addresses are relative to the module, since terragrunt runs it as the root module),
 *   with the `count` condition on the module's inputs and the Kubernetes kind or AWS object each
 *   one is.
 *
 * Data sources are left out (they hold nothing to migrate). Conditions reproduce the module's
 * `count` expressions over its inputs with the module's defaults.
 */

/** Where the Panfactum state of one module directory lives (its panfactum.hcl `remote_state`). */
export const PANFACTUM_STATE_KEY = '<repo_name>/<module directory relative to the environments directory>/terraform.tfstate';

/** One managed resource in the state of a Panfactum module. */
export interface OldResource {
  /** Address inside the module directory's state, e.g. `kubectl_manifest.deployment` or `module.service[0].kubectl_manifest.service`. */
  readonly address: string;
  /** What it is: a Kubernetes kind (`Deployment`), an AWS object (`IAM role`), or `random_id` (state only, no live object). */
  readonly object: string;
  /** The name of the live object, when the module computes it from its inputs alone (else undefined: random or computed). */
  readonly name?: (inputs: Readonly<Record<string, unknown>>) => string | undefined;
  /** The module's `count` / `for_each` condition over its inputs (undefined: always created). */
  readonly when?: (inputs: Readonly<Record<string, unknown>>) => boolean;
  /** `for_each` keyed by values computed inside the module: the exact keys are in the old state only. */
  readonly keysComputed?: boolean;
}

/** What a Panfactum module exposes and holds in its state. */
export interface PanfactumModuleFacts {
  /** output name -> the construct attribute holding the same value (outputs without one are absent). */
  readonly outputs: Readonly<Record<string, string>>;
  /** Every output the module declares (to tell "no such output" from "no attribute for it"). */
  readonly declaredOutputs: readonly string[];
  /** The managed resources of the module's state. */
  readonly resources: readonly OldResource[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const nonEmpty = (key: string, dflt: unknown[]) => (i: Readonly<Record<string, unknown>>): boolean => {
  const v = i[key] ?? dflt;
  return Array.isArray(v) ? v.length > 0 : true;
};
const flag = (key: string, dflt: boolean) => (i: Readonly<Record<string, unknown>>): boolean => (typeof i[key] === 'boolean' ? (i[key] as boolean) : dflt);
const hasEntries = (key: string) => (i: Readonly<Record<string, unknown>>): boolean => {
  const v = i[key];
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
};
/** kube_deployment & co: `length(keys(local.service_ports)) > 0`: some container port with expose_on_service (default true). */
const exposesPorts = (i: Readonly<Record<string, unknown>>): boolean => {
  const containers = Array.isArray(i.containers) ? i.containers : [];
  return containers.some((c) => {
    const ports = (c as Record<string, unknown>)?.ports;
    if (typeof ports !== 'object' || ports === null) return false;
    return Object.values(ports).some((p) => (p as Record<string, unknown>)?.expose_on_service !== false);
  });
};

/** A name the user read from the old state and gave as `panfactum_names` (the constructs' `panfactumNames`). */
const given = (key: string) => (i: Readonly<Record<string, unknown>>): string | undefined => {
  const pf = i.panfactum_names;
  return typeof pf === 'object' && pf !== null ? str((pf as Record<string, unknown>)[key]) : undefined;
};

/** kube_pod, used by every workload module as `module.pod_template`. */
const POD_TEMPLATE: OldResource[] = [
  { address: 'module.pod_template.module.util.random_id.match_id', object: 'random_id' },
  { address: 'module.pod_template.kubernetes_secret.secrets[0]', object: 'Secret', when: hasEntries('common_secrets') },
  // generate_name "<workload>-": the suffix is random (known only when given as panfactum_names)
  { address: 'module.pod_template.kubernetes_role.pod_reader[0]', object: 'Role', name: given('roleName') },
  { address: 'module.pod_template.kubernetes_role_binding.pod_reader[0]', object: 'RoleBinding', name: given('roleBindingName') },
];

const WORKLOAD_OUTPUTS = { match_labels: 'matchLabels', labels: 'labels', service_account_name: 'serviceAccountName' };

function workload(idResource: string, controller: { address: string; object: string }, extra: { service?: boolean; headless?: boolean; pvcAnnotator?: boolean; disruptionWindow?: boolean }): OldResource[] {
  const out: OldResource[] = [
    { address: `random_id.${idResource}`, object: 'random_id' },
    ...POD_TEMPLATE,
    // named random_id.<id>.hex (known only when given as panfactum_names.id)
    { address: 'kubernetes_service_account.service_account', object: 'ServiceAccount', name: given('id') },
  ];
  if (extra.headless) out.push({ address: 'module.service_headless.kubectl_manifest.service', object: 'Service' });
  out.push({ address: controller.address, object: controller.object, name: (i) => str(i.name) });
  if (extra.service) {
    out.push({ address: 'module.service[0].kubectl_manifest.service', object: 'Service', when: exposesPorts, name: (i) => str(i.service_name) ?? str(i.name) });
  }
  out.push({ address: 'kubectl_manifest.vpa[0]', object: 'VerticalPodAutoscaler', when: flag('vpa_enabled', true), name: (i) => str(i.name) });
  if (extra.pvcAnnotator) out.push({ address: 'module.pvc_annotator.kubectl_manifest.update_image_cache', object: 'Policy (Kyverno)' });
  out.push({ address: 'kubectl_manifest.pdb', object: 'PodDisruptionBudget', name: (i) => (str(i.name) === undefined ? undefined : `${str(i.name)}-pdb`) });
  if (extra.disruptionWindow) {
    out.push({ address: 'module.disruption_window_controller[0]', object: 'disruption window CronJobs and RBAC (a whole module)', when: flag('voluntary_disruption_window_enabled', false) });
  }
  return out;
}

/** The facts per Panfactum module (the modules of registry.ts). */
export const PANFACTUM_MODULE_FACTS: Readonly<Record<string, PanfactumModuleFacts>> = {
  kube_namespace: {
    outputs: { namespace: 'namespaceName' },
    declaredOutputs: ['namespace'],
    resources: [
      { address: 'kubernetes_namespace.main', object: 'Namespace', name: (i) => str(i.namespace) },
      { address: 'kubernetes_role.admins', object: 'Role', name: () => 'namespace:admin' },
      { address: 'kubernetes_role_binding.admins[0]', object: 'RoleBinding', name: () => 'namespace:admins', when: nonEmpty('admin_groups', ['system:admins']) },
      { address: 'kubernetes_role.readers', object: 'Role', name: () => 'namespace:reader' },
      { address: 'kubernetes_role_binding.readers[0]', object: 'RoleBinding', name: () => 'namespace:readers', when: nonEmpty('reader_groups', ['system:readers']) },
    ],
  },
  kube_sa_auth_aws: {
    outputs: { role_arn: 'roleArn', role_name: 'roleName', policy_arn: 'policyArn', service_account_annotations: 'serviceAccountAnnotations' },
    declaredOutputs: ['role_arn', 'role_name', 'policy_arn', 'service_account_annotations'],
    resources: [
      { address: 'aws_iam_policy.service_account', object: 'IAM policy' },
      { address: 'aws_iam_role.service_account', object: 'IAM role' },
      { address: 'aws_iam_policy_attachment.service_account', object: 'IAM policy attachment' },
      { address: 'aws_iam_policy.ip_blocks', object: 'IAM policy' },
      { address: 'aws_iam_policy_attachment.ip_blocks', object: 'IAM policy attachment' },
      { address: 'kubernetes_annotations.service_account[0]', object: 'ServiceAccount annotation', when: flag('annotate_service_account', true) },
    ],
  },
  kube_deployment: {
    outputs: { ...WORKLOAD_OUTPUTS, service_name: 'serviceName' },
    declaredOutputs: ['match_labels', 'labels', 'service_account_name', 'service_name'],
    resources: workload('deployment_id', { address: 'kubectl_manifest.deployment', object: 'Deployment' }, { service: true, disruptionWindow: true }),
  },
  kube_stateful_set: {
    outputs: { ...WORKLOAD_OUTPUTS, service_name: 'serviceName', headless_service_name: 'headlessServiceName' },
    declaredOutputs: ['match_labels', 'labels', 'headless_service_name', 'service_account_name', 'service_name'],
    resources: workload('sts_id', { address: 'kubectl_manifest.stateful_set', object: 'StatefulSet' }, { service: true, headless: true, pvcAnnotator: true, disruptionWindow: true }),
  },
  kube_daemon_set: {
    outputs: WORKLOAD_OUTPUTS,
    declaredOutputs: ['match_labels', 'labels', 'service_account_name'],
    resources: workload('daemon_set_id', { address: 'kubectl_manifest.daemon_set', object: 'DaemonSet' }, {}),
  },
  kube_cron_job: {
    outputs: WORKLOAD_OUTPUTS,
    declaredOutputs: ['match_labels', 'labels', 'service_account_name'],
    resources: workload('cron_job_id', { address: 'kubectl_manifest.cron_job', object: 'CronJob' }, {}),
  },
  kube_job: {
    outputs: WORKLOAD_OUTPUTS,
    declaredOutputs: ['match_labels', 'labels', 'service_account_name'],
    // the module names its random_id "cron_job_id" too
    resources: workload('cron_job_id', { address: 'kubectl_manifest.job', object: 'Job' }, {}),
  },
  kube_service: {
    outputs: { service_name: 'serviceName' },
    declaredOutputs: ['service_name'],
    resources: [
      { address: 'module.nlb_common[0].random_id.lb_name', object: 'random_id', when: (i) => i.type === 'LoadBalancer' && (i.load_balancer_class ?? 'service.k8s.aws/nlb') === 'service.k8s.aws/nlb' },
      { address: 'kubectl_manifest.service', object: 'Service', name: (i) => str(i.name) },
    ],
  },
  kube_ingress: {
    // cdn_origin_configs has snake_case keys in Panfactum; KubeIngress.cdnOriginConfigs has camelCase ones: not the same value
    outputs: {},
    declaredOutputs: ['cdn_origin_configs'],
    resources: [
      { address: 'kubectl_manifest.ingress_cert[0]', object: 'Certificate', when: flag('generate_cert_enabled', false) },
      { address: 'kubectl_manifest.ingress["<key>"]', object: 'Ingress', keysComputed: true },
    ],
  },
};
