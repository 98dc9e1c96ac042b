/**
 * Prints the input tables of docs/from-panfactum.md: for every Panfactum module of the inventory
 * (../shared/spec/panfactum-inventory.md, or PANFACTUM_INVENTORY), each variable with the prop of
 * this library's construct that takes it (read from lib/constructs/prop-types.generated.ts), or
 * the reason there is none (NOTES below). Usage: npx tsx scripts/gen-from-panfactum.ts > tables.md
 */
import * as fs from 'fs';
import * as path from 'path';
import { NAMED_PROP_TYPES } from '../lib/constructs/prop-types.generated';
import { snakeToCamel as camel } from '../lib/core/naming';

const MODULES: Record<string, string> = {
  kube_deployment: 'KubeDeployment', kube_stateful_set: 'KubeStatefulSet', kube_cron_job: 'KubeCronJob', kube_job: 'KubeJob',
  kube_daemon_set: 'KubeDaemonSet', kube_namespace: 'KubeNamespace', kube_service: 'KubeService', kube_ingress: 'KubeIngress',
  kube_aws_cdn: 'KubeAwsCdn', aws_cdn: 'KubeAwsCdn', kube_sa_auth_aws: 'KubeSaAuthAws', kube_policies: 'KubePriorityClasses',
  kube_reloader: 'KubeReloader', kube_descheduler: 'KubeDescheduler', kube_pvc_autoresizer: 'KubePvcAutoresizer',
  kube_external_snapshotter: 'KubeExternalSnapshotter', kube_velero: 'KubeVelero',
};
/** Inputs with no prop of the same name: the prop to use instead, or why there is none. */
export const NOTES: Record<string, string> = {
  'kube_cron_job.cron_job_annotations': 'No prop: unused in Panfactum too; `extraAnnotations` annotates the CronJob, `jobAnnotations` its Jobs.',
  'kube_job.starting_deadline_seconds': 'No prop: declared but unused by Panfactum\u2019s kube_job (a Job has no schedule).',
  'kube_job.concurrency_policy': 'No prop: declared but unused by Panfactum\u2019s kube_job (a Job has no schedule).',
  'default_arm64_toleration_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `armNodesEnabled`.',
  'default_spot_toleration_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `spotNodesEnabled`.',
  'default_burstable_toleration_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `burstableNodesEnabled`.',
  'default_controller_toleration_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `controllerNodesEnabled`.',
  'kube_policies.pull_through_cache_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `pullThroughCacheEnabled`.',
  'kube_policies.panfactum_scheduler_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `panfactumSchedulerEnabled`.',
  'environment_variable_injection_enabled': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `defaultEnvEnabled`.',
  'extra_priority_classes': '`priorityClasses` (name to `PriorityClassSpec`, not only a number).',
  'kube_policies.common_env': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `commonEnv`.',
  'kube_policies.common_secrets': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `commonSecrets`.',
  'common_pod_labels': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `extraPodLabels`.',
  'common_pod_annotations': 'Kyverno is not installed: the workload constructs set this themselves; per workload, `extraPodAnnotations`.',
  'gc_released_volumes_after_days': 'No prop: the cluster-wide cleanup of Released volumes is not ported; `volumeRetentionPolicy` on a KubeStatefulSet decides what happens to its claims.',
  'pod_version_labels_enabled': 'No prop: version labels are not written to pods, so a new version does not restart every pod by itself.',
  'voluntary_disruption_window_enabled': 'No prop: the disruption-window controller is not ported; use `voluntaryDisruptionsEnabled` / `unhealthyPodEvictionPolicy`.',
  'voluntary_disruption_window_seconds': 'No prop (see `voluntary_disruption_window_enabled`).',
  'voluntary_disruption_window_cron_schedule': 'No prop (see `voluntary_disruption_window_enabled`).',
  'kube_job.restart_policy': "No prop: a Job's pods use `Never`; retries come from `backoffLimit` and `extraPodFailurePolicyRules`.",
  'kube_deployment.restart_policy': 'No prop: Kubernetes allows only `Always` here.',
  'kube_stateful_set.restart_policy': 'No prop: Kubernetes allows only `Always` here.',
  'kube_daemon_set.restart_policy': 'No prop: Kubernetes allows only `Always` here.',
  'tls_secret_name': 'A field of each `ingressConfigs` entry (`tlsSecretName`).',
  'service': 'A field of each `ingressConfigs` entry.',
  'service_port': 'A field of each `ingressConfigs` entry (`servicePort`).',
  'path_prefix': 'A field of each `ingressConfigs` entry (`pathPrefix`).',
  'remove_prefix': 'A field of each `ingressConfigs` entry (`removePrefix`).',
  'rewrite_rules': 'A field of each `ingressConfigs` entry (`rewriteRules`).',
  'cdn': 'A field of each `ingressConfigs` entry (`cdn`).',
  'mount_path': 'A field of each `volumeMounts` entry.',
  'storage_class': 'A field of each `volumeMounts` entry (`storageClass`).',
  'access_modes': 'A field of each `volumeMounts` entry (`accessModes`).',
  'initial_size_gb': 'A field of each `volumeMounts` entry (`initialSizeGb`).',
  'size_limit_gb': 'A field of each `volumeMounts` entry (`sizeLimitGb`).',
  'increase_gb': 'A field of each `volumeMounts` entry (`increaseGb`).',
  'increase_threshold_percent': 'A field of each `volumeMounts` entry (`increaseThresholdPercent`).',
  'backups_enabled': 'A field of each `volumeMounts` entry (`backupsEnabled`).',
  'extra_configuration_snippet': 'No prop: snippet annotations are off on most controllers; use first-class annotations in `extraAnnotations` (docs/ingress.md).',
  'kube_pvc_autoresizer.pvc_autoresizer_version': 'No prop: the image is the one the chart version (`pvcAutoresizerHelmVersion`) ships, not Panfactum\u2019s own build.',
  'kube_pvc_autoresizer.log_verbosity': 'No prop: unused by Panfactum\u2019s module too.',
  'kube_pvc_autoresizer.prometheus_enabled': '`prometheusUrl`: the URL to read volume usage from (Panfactum\u2019s switch picked its own Thanos URL); unset reads the Kubernetes metrics API.',
  'kube_pvc_autoresizer.sla_target': 'No prop: the SLA target comes from the `EnvironmentContext` (`slaTarget`), as for every construct.',
  'csp_non_html': "No prop: needs Panfactum's Lua plugin; one CSP applies to every response (docs/ingress.md).",
  'cors_native_handling_enabled': "No prop: CORS is always ingress-nginx's own (docs/ingress.md).",
};

function fieldsOf(type: string): Set<string> {
  const t: any = (NAMED_PROP_TYPES as any)[`${type}Props`];
  return new Set(Object.keys(t?.fields ?? {}).map((k) => k.replace(/\?$/, '')));
}

/**
 * The variable names of one module's inventory section: the rows of its variables table
 * (`### 3.1 Variables (57)`, `### 10.1 kube_service variables (13)`), or, for the modules
 * described in prose (the maintenance controllers), the backticked names of its
 * `Variables (N): \`name\` (default), ...` paragraph.
 */
function variableNames(sec: string): string[] {
  const heading = sec.search(/### [\d.]+ (?:[a-z_]+ )?(Variables|Inputs)\b/i);
  if (heading >= 0) {
    const vars = sec.slice(heading).split(/\n(?=### )/)[0]; // the variables subsection only
    return vars
      .split('\n')
      // The header row is `| Name | ...`; a variable called `name` is lower case.
      .filter((l) => /^\| *`?[a-z][a-z0-9_]*`? *\|/.test(l) && !/^\| *Name *\|/.test(l))
      .map((row) => row.split('|')[1].trim().replace(/`/g, ''));
  }
  const prose = /(?:^|\n)Variables \(\d+\): ([\s\S]*?)(?:\n\s*\n|$)/.exec(sec);
  if (!prose) return [];
  return [...prose[1].matchAll(/`([a-z][a-z0-9_]*)` \(/g)].map((m) => m[1]);
}

const inventory = fs.readFileSync(process.env.PANFACTUM_INVENTORY ?? path.join(__dirname, '..', '..', 'shared', 'spec', 'panfactum-inventory.md'), 'utf8');
const sections = inventory.split(/\n(?=## \d+\. )/);
const out: string[] = [];
for (const sec of sections) {
  const m = /^## \d+\. ([a-z_]+)/.exec(sec);
  if (!m || !MODULES[m[1]]) continue;
  const mod = m[1];
  const cls = MODULES[mod];
  const fields = fieldsOf(cls);
  const table: string[] = [];
  const seen = new Set<string>();
  for (const name of variableNames(sec)) {
    if (seen.has(name)) continue;
    seen.add(name);
    const prop = camel(name);
    const note = NOTES[`${mod}.${name}`] ?? NOTES[name];
    const cell = fields.has(prop) ? `\`${prop}\`` : note ?? 'No prop of this name in this version; see the construct\'s guide in docs/constructs/.';
    table.push(`| \`${name}\` | ${cell} |`);
  }
  out.push(`### ${mod} → \`${cls}\`\n\n| Panfactum input | Prop |\n| --- | --- |\n${table.join('\n')}\n`);
}
process.stdout.write(out.join('\n'));
