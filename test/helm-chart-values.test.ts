/**
 * Every Helm value the maintenance constructs emit, checked against the chart at the exact
 * version each construct pins.
 *
 * The FACTS tables below were written by hand from the chart sources at the pinned version (the
 * tag and commit are given per chart): values.yaml, values.schema.json where there is one, and
 * the templates that read each value. A path is listed only when a template (or, for
 * `cert-manager.enabled`, Chart.yaml) actually reads it; `type` is what the template needs
 * (`eq .Values.x true` only matches a boolean, `range` needs a list, ...). `whole` marks a value
 * the template hands on in one piece (toYaml, range): what is inside belongs to the Kubernetes API
 * or to the program, not to the chart. Paths use `.` between keys and `[]` for list elements.
 *
 * The tests synthesize each construct with its defaults and with every optional prop that
 * changes the values, parse the helm_release `values` YAML, and require every leaf path to be in
 * the table with the right type: a new key, a misnested one or a wrong type fails here. Each fact
 * must also be reached by at least one of those syntheses, so the table does not go stale.
 *
 * To move a chart version: re-read the chart at the new tag, update its table (tag, commit,
 * paths, types), then the construct's default version.
 */
import { TerraformStack } from 'cdktf';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubeDescheduler, DESCHEDULER_CHART_REPOSITORY, DESCHEDULER_DEFAULT_HELM_VERSION } from '../lib/constructs/kube-descheduler';
import {
  KubeExternalSnapshotter, EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY, EXTERNAL_SNAPSHOTTER_DEFAULT_HELM_VERSION,
} from '../lib/constructs/kube-external-snapshotter';
import {
  KubeNodeImageCacheController, NODE_IMAGE_CACHE_CHART_REPOSITORY, NODE_IMAGE_CACHE_DEFAULT_HELM_VERSION,
} from '../lib/constructs/kube-node-image-cache-controller';
import { KubePvcAutoresizer, PVC_AUTORESIZER_CHART_REPOSITORY, PVC_AUTORESIZER_DEFAULT_HELM_VERSION } from '../lib/constructs/kube-pvc-autoresizer';
import { KubeReloader, RELOADER_CHART_REPOSITORY, RELOADER_DEFAULT_HELM_VERSION } from '../lib/constructs/kube-reloader';
import { KubeVelero, VELERO_CHART_REPOSITORY, VELERO_DEFAULT_HELM_VERSION } from '../lib/constructs/kube-velero';
import { manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

// ---------------------------------------------------------------------------------------------
// The shape of a fact, and the checker
// ---------------------------------------------------------------------------------------------

type ValueType = 'string' | 'integer' | 'boolean' | 'object' | 'array';

interface ValueFact {
  readonly type: ValueType;
  /** Files of the chart (relative to its directory) that read the value. */
  readonly readBy: readonly string[];
  /** Handed on in one piece (toYaml / range): its contents are not chart keys and are not walked. */
  readonly whole?: true;
  /** The only values accepted (for an array: for each element). */
  readonly oneOf?: readonly (string | number | boolean)[];
  /** In the construct's values type, but emitted by no prop combination today (not required to be reached). */
  readonly latent?: true;
}

interface ChartFacts {
  readonly chart: string;
  readonly version: string;
  /** The Helm repository the construct installs from (which serves this exact version). */
  readonly repository: string;
  /** Where the chart source was read: GitHub repository, tag, commit and chart directory. */
  readonly source: { readonly repo: string; readonly tag: string; readonly commit: string; readonly dir: string };
  readonly values: Readonly<Record<string, ValueFact>>;
  /** Values the chart declares but that must not be set, and why. */
  readonly mustNotSet?: Readonly<Record<string, string>>;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * Walk `values`: each path must be a fact (checked for type and allowed values, and walked into
 * unless `whole`), or an intermediate map or list leading to facts. Returns the problems and the
 * fact paths reached.
 */
function checkAgainst(values: unknown, facts: Readonly<Record<string, ValueFact>>, what: string): { problems: string[]; reached: Set<string> } {
  const problems: string[] = [];
  const reached = new Set<string>();
  const visit = (value: unknown, at: string): void => {
    const fact = facts[at];
    const kind = typeOf(value);
    const container = kind === 'object' || kind === 'array';
    const empty = container && Object.keys(value as object).length === 0;
    if (fact) {
      reached.add(at);
      if (kind !== fact.type) {
        problems.push(`${at}: is ${kind}, but ${what} needs ${fact.type} (read by ${fact.readBy.join(', ')})`);
        return;
      }
      if (fact.oneOf) {
        const items = kind === 'array' ? (value as unknown[]) : [value];
        for (const item of items) {
          if (!fact.oneOf.includes(item as string)) problems.push(`${at}: ${JSON.stringify(item)} is not one of ${JSON.stringify(fact.oneOf)} (${what})`);
        }
      }
      if (fact.whole || !container) return;
      // A list of scalars is covered by its fact; a list of maps is walked into.
      if (kind === 'array') {
        (value as unknown[]).forEach((item) => { if (typeOf(item) === 'object') visit(item, `${at}[]`); });
        return;
      }
    } else if (at !== '' && (!container || empty)) {
      problems.push(`${at}: not read by ${what}`);
      return;
    }
    if (kind === 'array') (value as unknown[]).forEach((item) => visit(item, `${at}[]`));
    else for (const [key, item] of Object.entries(value as object)) visit(item, at === '' ? key : `${at}.${key}`);
  };
  visit(values, '');
  return { problems, reached };
}

const CONTEXT = { environment: 'production', region: 'us-east-2', clusterName: 'prod-cluster' };
const VELERO_OIDC = { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789' };

function stackWithProviders(slaTarget: 1 | 2 | 3): TerraformStack {
  const { stack } = newStack({ ...CONTEXT, slaTarget });
  new HelmProvider(stack, 'helm', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  return stack;
}

/** The single helm_release of a stack: its chart, version, repository and parsed values. */
function releaseOf(stack: TerraformStack): { resource: any; values: any; out: ReturnType<typeof synth> } {
  const out = synth(stack);
  const releases = Object.values<any>(out.json.resource.helm_release);
  expect(releases).toHaveLength(1);
  expect(releases[0].values).toHaveLength(1);
  return { resource: releases[0], values: parse(releases[0].values[0]), out };
}

/** One synthesis of a construct: a name, the environment's SLA target, and how to build it. */
type Variant = readonly [string, 1 | 2 | 3, (stack: TerraformStack) => void];

// ---------------------------------------------------------------------------------------------
// descheduler 0.35.1
// Read at kubernetes-sigs/descheduler tag descheduler-helm-chart-0.35.1, commit 91d7f9ffb9d2,
// charts/descheduler. The repository's gh-pages index.yaml (https://kubernetes-sigs.github.io/descheduler/)
// lists 0.35.1 as the release asset built from that tag. No values.schema.json.
// ---------------------------------------------------------------------------------------------

const DESCHEDULER: ChartFacts = {
  chart: 'descheduler',
  version: '0.35.1',
  repository: 'https://kubernetes-sigs.github.io/descheduler/',
  source: { repo: 'kubernetes-sigs/descheduler', tag: 'descheduler-helm-chart-0.35.1', commit: '91d7f9ffb9d20c3983553cfb7975ed9a957857dd', dir: 'charts/descheduler' },
  values: {
    // `descheduler.fullname` helper: the Deployment, ConfigMap and ServiceAccount name.
    fullnameOverride: { type: 'string', readBy: ['templates/_helpers.tpl'] },
    // deployment.yaml, service.yaml and servicemonitor.yaml render only for `eq .Values.kind "Deployment"`.
    kind: { type: 'string', oneOf: ['CronJob', 'Deployment'], readBy: ['templates/deployment.yaml', 'templates/cronjob.yaml', 'templates/service.yaml', 'templates/servicemonitor.yaml'] },
    deschedulingInterval: { type: 'string', readBy: ['templates/deployment.yaml'] },
    // More than 1 fails the render unless leaderElection.enabled is set.
    replicas: { type: 'integer', readBy: ['templates/deployment.yaml'] },
    // `range $key, $value`: every key becomes `--<key>=<value>`; the keys are checked against the binary's flags below.
    cmdOptions: { type: 'object', whole: true, readBy: ['templates/deployment.yaml', 'templates/cronjob.yaml'] },
    // Appended (toYaml) after the selector labels in the pod template.
    podLabels: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    resources: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    tolerations: { type: 'array', whole: true, readBy: ['templates/deployment.yaml'] },
    affinity: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    topologySpreadConstraints: { type: 'array', whole: true, latent: true, readBy: ['templates/deployment.yaml'] },
    priorityClassName: { type: 'string', readBy: ['templates/deployment.yaml'] },
    livenessProbe: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    // `eq .Values.service.enabled true`: only a boolean matches.
    'service.enabled': { type: 'boolean', readBy: ['templates/service.yaml'] },
    'serviceMonitor.enabled': { type: 'boolean', readBy: ['templates/servicemonitor.yaml'] },
    deschedulerPolicyAPIVersion: { type: 'string', oneOf: ['descheduler/v1alpha2'], readBy: ['templates/configmap.yaml'] },
    // `tpl (toYaml .Values.deschedulerPolicy)` into policy.yaml; checked against the policy API below.
    deschedulerPolicy: { type: 'object', whole: true, readBy: ['templates/configmap.yaml'] },
  },
};

/**
 * Flags of the descheduler v0.35.1 binary that cmdOptions may name (commit 2908b4308964):
 * cmd/descheduler/app/server.go calls logsapi.AddFlags (k8s.io/component-base/logs/api/v1),
 * which defines `-v` and `--logging-format`; the json format is registered by the
 * k8s.io/component-base/logs/json/register import in the same file.
 */
const DESCHEDULER_FLAGS: Readonly<Record<string, string>> = {
  v: 'klog verbosity (logsapi.AddFlags)',
  'logging-format': 'text or json (logsapi.AddFlags; json registered)',
};

/**
 * The DeschedulerPolicy the chart writes into policy.yaml, checked against the descheduler
 * v0.35.1 API (commit 2908b4308964): pkg/api/v1alpha2/types.go (policy, profiles, plugin sets)
 * and pkg/framework/plugins/<plugin>/types.go (each plugin's args; the allowed values come from
 * each plugin's validation.go or its constants). Extension points each plugin implements come
 * from the `var _ frameworktypes.<Point>Plugin` assertions in the plugin sources.
 *
 * The v1alpha2 Go field for `preEvictionFilter` carries the JSON tag `preevictionfilter`;
 * upstream's README and policyconfig_test.go write `preEvictionFilter`, and either way
 * pkg/descheduler/policyconfig.go (setDefaultEvictor) always puts DefaultEvictor on the filter
 * and preEvictionFilter points, so the key is accepted here in both spellings.
 */
const DESCHEDULER_POLICY: Readonly<Record<string, ValueFact>> = {
  maxNoOfPodsToEvictPerNode: { type: 'integer', readBy: ['pkg/api/v1alpha2/types.go'] },
  maxNoOfPodsToEvictPerNamespace: { type: 'integer', readBy: ['pkg/api/v1alpha2/types.go'] },
  'profiles[].name': { type: 'string', readBy: ['pkg/api/v1alpha2/types.go'] },
  'profiles[].pluginConfig[].name': { type: 'string', readBy: ['pkg/api/v1alpha2/types.go'] },
  // Checked per plugin against DESCHEDULER_PLUGINS.
  'profiles[].pluginConfig[].args': { type: 'object', whole: true, readBy: ['pkg/framework/plugins/*/types.go'] },
  'profiles[].plugins.filter.enabled': { type: 'array', readBy: ['pkg/api/v1alpha2/types.go'] },
  'profiles[].plugins.preEvictionFilter.enabled': { type: 'array', readBy: ['pkg/api/v1alpha2/types.go', 'pkg/descheduler/policyconfig.go'] },
  'profiles[].plugins.preevictionfilter.enabled': { type: 'array', latent: true, readBy: ['pkg/api/v1alpha2/types.go'] },
  'profiles[].plugins.deschedule.enabled': { type: 'array', readBy: ['pkg/api/v1alpha2/types.go'] },
  'profiles[].plugins.balance.enabled': { type: 'array', readBy: ['pkg/api/v1alpha2/types.go'] },
};

const SELECTOR_ARGS: Readonly<Record<string, ValueFact>> = {
  namespaces: { type: 'object', whole: true, latent: true, readBy: ['types.go'] },
  labelSelector: { type: 'object', whole: true, latent: true, readBy: ['types.go'] },
};

/** Per plugin: the extension points it implements and its args (descheduler v0.35.1). */
const DESCHEDULER_PLUGINS: Readonly<Record<string, { points: readonly string[]; args: Readonly<Record<string, ValueFact>> }>> = {
  DefaultEvictor: {
    points: ['filter', 'preEvictionFilter', 'preevictionfilter'],
    args: {
      nodeSelector: { type: 'string', latent: true, readBy: ['defaultevictor/types.go'] },
      labelSelector: { type: 'object', whole: true, readBy: ['defaultevictor/types.go'] },
      namespaceLabelSelector: { type: 'object', whole: true, latent: true, readBy: ['defaultevictor/types.go'] },
      priorityThreshold: { type: 'object', whole: true, latent: true, readBy: ['defaultevictor/types.go'] },
      nodeFit: { type: 'boolean', readBy: ['defaultevictor/types.go'] },
      minReplicas: { type: 'integer', latent: true, readBy: ['defaultevictor/types.go'] },
      minPodAge: { type: 'string', latent: true, readBy: ['defaultevictor/types.go'] },
      noEvictionPolicy: { type: 'string', latent: true, oneOf: ['Preferred', 'Mandatory'], readBy: ['defaultevictor/types.go'] },
      // validation.go: DefaultDisabled must come from defaultPodProtections, ExtraEnabled from extraPodProtections.
      'podProtections.defaultDisabled': { type: 'array', oneOf: ['PodsWithLocalStorage', 'DaemonSetPods', 'SystemCriticalPods', 'FailedBarePods'], readBy: ['defaultevictor/types.go', 'defaultevictor/validation.go'] },
      'podProtections.extraEnabled': { type: 'array', latent: true, oneOf: ['PodsWithPVC', 'PodsWithoutPDB', 'PodsWithResourceClaims'], readBy: ['defaultevictor/types.go', 'defaultevictor/validation.go'] },
    },
  },
  PodLifeTime: {
    points: ['deschedule'],
    args: {
      ...SELECTOR_ARGS,
      labelSelector: { type: 'object', whole: true, readBy: ['podlifetime/types.go'] },
      ownerKinds: { type: 'object', whole: true, latent: true, readBy: ['podlifetime/types.go'] },
      maxPodLifeTimeSeconds: { type: 'integer', readBy: ['podlifetime/types.go'] },
      // validation.go: podLifeTimeAllowedStates.
      states: {
        type: 'array',
        oneOf: ['Running', 'Pending', 'Succeeded', 'Failed', 'Unknown', 'NodeAffinity', 'NodeLost', 'Shutdown', 'UnexpectedAdmissionError',
          'PodInitializing', 'ContainerCreating', 'ImagePullBackOff', 'CrashLoopBackOff', 'CreateContainerConfigError', 'ErrImagePull',
          'CreateContainerError', 'InvalidImageName', 'OOMKilled', 'Error', 'Completed', 'DeadlineExceeded', 'Evicted', 'ContainerCannotRun', 'StartError'],
        readBy: ['podlifetime/types.go', 'podlifetime/validation.go'],
      },
      conditions: { type: 'array', whole: true, latent: true, readBy: ['podlifetime/types.go'] },
      exitCodes: { type: 'array', latent: true, readBy: ['podlifetime/types.go'] },
      includingInitContainers: { type: 'boolean', latent: true, readBy: ['podlifetime/types.go'] },
      includingEphemeralContainers: { type: 'boolean', latent: true, readBy: ['podlifetime/types.go'] },
    },
  },
  RemoveFailedPods: {
    points: ['deschedule'],
    args: {
      ...SELECTOR_ARGS,
      excludeOwnerKinds: { type: 'array', readBy: ['removefailedpods/types.go'] },
      minPodLifetimeSeconds: { type: 'integer', readBy: ['removefailedpods/types.go'] },
      reasons: { type: 'array', latent: true, readBy: ['removefailedpods/types.go'] },
      exitCodes: { type: 'array', latent: true, readBy: ['removefailedpods/types.go'] },
      includingInitContainers: { type: 'boolean', readBy: ['removefailedpods/types.go'] },
    },
  },
  RemovePodsHavingTooManyRestarts: {
    points: ['deschedule'],
    args: {
      ...SELECTOR_ARGS,
      podRestartThreshold: { type: 'integer', readBy: ['removepodshavingtoomanyrestarts/types.go'] },
      includingInitContainers: { type: 'boolean', readBy: ['removepodshavingtoomanyrestarts/types.go'] },
      states: { type: 'array', latent: true, readBy: ['removepodshavingtoomanyrestarts/types.go'] },
    },
  },
  RemovePodsViolatingNodeAffinity: {
    points: ['deschedule'],
    args: {
      ...SELECTOR_ARGS,
      // node_affinity.go handles exactly these two.
      nodeAffinityType: { type: 'array', oneOf: ['requiredDuringSchedulingIgnoredDuringExecution', 'preferredDuringSchedulingIgnoredDuringExecution'], readBy: ['removepodsviolatingnodeaffinity/types.go', 'removepodsviolatingnodeaffinity/node_affinity.go'] },
    },
  },
  RemovePodsViolatingTopologySpreadConstraint: {
    points: ['balance'],
    args: {
      ...SELECTOR_ARGS,
      constraints: { type: 'array', oneOf: ['DoNotSchedule', 'ScheduleAnyway'], readBy: ['removepodsviolatingtopologyspreadconstraint/types.go', 'removepodsviolatingtopologyspreadconstraint/validation.go'] },
      topologyBalanceNodeFit: { type: 'boolean', latent: true, readBy: ['removepodsviolatingtopologyspreadconstraint/types.go'] },
    },
  },
  RemovePodsViolatingInterPodAntiAffinity: { points: ['deschedule'], args: { ...SELECTOR_ARGS } },
  RemovePodsViolatingNodeTaints: {
    points: ['deschedule'],
    args: {
      ...SELECTOR_ARGS,
      includePreferNoSchedule: { type: 'boolean', latent: true, readBy: ['removepodsviolatingnodetaints/types.go'] },
      excludedTaints: { type: 'array', latent: true, readBy: ['removepodsviolatingnodetaints/types.go'] },
      includedTaints: { type: 'array', latent: true, readBy: ['removepodsviolatingnodetaints/types.go'] },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// snapshot-controller 4.2.0 (piraeus)
// Read at piraeusdatastore/helm-charts tag snapshot-controller-4.2.0, commit ccc8a601db5a,
// charts/snapshot-controller (appVersion v8.4.0). https://piraeus.io/helm-charts/ serves it (the
// repository's gh-pages index.yaml lists 4.2.0, a release asset built from that tag). No
// values.schema.json. Everything lives under `controller`; the validation webhook (and its
// `webhook` values) was dropped in 4.0.0: no template reads `.Values.webhook`. The CRDs ship in
// crds/ (fetched from external-snapshotter v8.4.0 at packaging time).
// ---------------------------------------------------------------------------------------------

const SNAPSHOT_CONTROLLER: ChartFacts = {
  chart: 'snapshot-controller',
  version: '4.2.0',
  repository: 'https://piraeus.io/helm-charts',
  source: { repo: 'piraeusdatastore/helm-charts', tag: 'snapshot-controller-4.2.0', commit: 'ccc8a601db5ae518334da43ce7a5851ea349d526', dir: 'charts/snapshot-controller' },
  values: {
    // `snapshot-controller.fullname` reads `.Values.controller.fullnameOverride` (there is no top-level one).
    'controller.fullnameOverride': { type: 'string', readBy: ['templates/_helpers.tpl'] },
    'controller.enabled': { type: 'boolean', readBy: ['templates/deployment_controller.yaml', 'templates/serviceaccount_controller.yaml', 'templates/service_controller.yaml', 'templates/servicemonitor.yaml'] },
    'controller.replicaCount': { type: 'integer', readBy: ['templates/deployment_controller.yaml'] },
    // `range $flag, $val`: each key becomes `--<kebabcase key>=<value>`, merged with the chart's
    // defaults (leaderElection, leaderElectionNamespace, httpEndpoint); keys checked against the binary below.
    'controller.args': { type: 'object', whole: true, readBy: ['templates/deployment_controller.yaml', 'templates/service_controller.yaml'] },
    'controller.podLabels': { type: 'object', whole: true, readBy: ['templates/deployment_controller.yaml'] },
    'controller.resources': { type: 'object', whole: true, readBy: ['templates/deployment_controller.yaml'] },
    'controller.serviceMonitor.create': { type: 'boolean', readBy: ['templates/service_controller.yaml', 'templates/servicemonitor.yaml'] },
    'controller.tolerations': { type: 'array', whole: true, readBy: ['templates/deployment_controller.yaml'] },
    'controller.affinity': { type: 'object', whole: true, readBy: ['templates/deployment_controller.yaml'] },
    'controller.topologySpreadConstraints': { type: 'array', whole: true, latent: true, readBy: ['templates/deployment_controller.yaml'] },
    'controller.priorityClassName': { type: 'string', readBy: ['templates/deployment_controller.yaml'] },
  },
};

/**
 * Flags of snapshot-controller v8.4.0 (the chart's appVersion; kubernetes-csi/external-snapshotter
 * tag v8.4.0, commit f21cb02763e7, cmd/snapshot-controller/main.go): `--leader-election`,
 * `--leader-election-namespace` and `--http-endpoint` are flag.Bool/flag.String there, and `-v`
 * comes from logsapi.AddGoFlags.
 */
const SNAPSHOT_CONTROLLER_FLAGS: readonly string[] = ['v', 'leader-election', 'leader-election-namespace', 'http-endpoint'];

// ---------------------------------------------------------------------------------------------
// kube-fledged v0.10.0
// Read at senthilrch/kube-fledged tag v0.10.0, commit 6765db52b557,
// deploy/kubefledged-operator/helm-charts/kubefledged. https://senthilrch.github.io/kubefledged-charts/
// serves kube-fledged-v0.10.0.tgz (senthilrch/kubefledged-charts gh-pages, commit 723e8c2104cf;
// its index.yaml digest 2f86aefe... matches the archive), whose values.yaml and templates are
// identical to the tag's. It is the newest release; the source's HEAD (837f2b36307f, 2023-10-26)
// still has the same deployment template. No values.schema.json.
// ---------------------------------------------------------------------------------------------

const KUBE_FLEDGED: ChartFacts = {
  chart: 'kube-fledged',
  version: 'v0.10.0',
  repository: 'https://senthilrch.github.io/kubefledged-charts/',
  source: { repo: 'senthilrch/kube-fledged', tag: 'v0.10.0', commit: '6765db52b557e84db7c1f4bf03b40704e2167a1f', dir: 'deploy/kubefledged-operator/helm-charts/kubefledged' },
  values: {
    fullnameOverride: { type: 'string', readBy: ['templates/_helpers.tpl'] },
    controllerReplicaCount: { type: 'integer', readBy: ['templates/deployment-controller.yaml'] },
    // Rendered into the controller's `--image-cache-refresh-frequency`, `--image-pull-deadline-duration`
    // and `--image-pull-policy` flags (docs/helm-parameters.md at the tag lists IfNotPresent and Always).
    'args.controllerImageCacheRefreshFrequency': { type: 'string', readBy: ['templates/deployment-controller.yaml'] },
    'args.controllerImagePullDeadlineDuration': { type: 'string', readBy: ['templates/deployment-controller.yaml'] },
    'args.controllerImagePullPolicy': { type: 'string', oneOf: ['IfNotPresent', 'Always'], readBy: ['templates/deployment-controller.yaml'] },
    'webhookServer.enable': { type: 'boolean', readBy: ['templates/deployment-webhook-server.yaml', 'templates/validatingwebhook.yaml', 'templates/service-webhook-server.yaml'] },
    // Top-level and shared by the controller and the webhook server Deployments.
    resources: { type: 'object', whole: true, readBy: ['templates/deployment-controller.yaml', 'templates/deployment-webhook-server.yaml'] },
    tolerations: { type: 'array', whole: true, readBy: ['templates/deployment-controller.yaml', 'templates/deployment-webhook-server.yaml'] },
    affinity: { type: 'object', whole: true, readBy: ['templates/deployment-controller.yaml', 'templates/deployment-webhook-server.yaml'] },
  },
  mustNotSet: {
    // deployment-controller.yaml opens `{{- if .Values.controller.priorityClassName -}}` (and the
    // hostNetwork one) right after `spec:`, trimming the newline: any non-empty value renders
    // `spec:priorityClassName: <name>`, which is not YAML, and the install fails.
    'controller.priorityClassName': 'renders `spec:priorityClassName: ...` (invalid YAML) in deployment-controller.yaml',
    'controller.hostNetwork': 'renders `spec:hostNetwork: true` (invalid YAML) in deployment-controller.yaml',
    // The pod labels, which the PDB selects, are built from the chart name.
    nameOverride: 'changes app.kubernetes.io/name on the pods the PDB selects',
  },
};

/**
 * The labels of kube-fledged's controller pods (and the Deployment's selector) at v0.10.0:
 * deployment-controller.yaml writes `{{ include "kubefledged.selectorLabels" . | nindent 8 }}-controller`,
 * and the helper's lines are name, instance, part-of: the `-controller` suffix lands on the last
 * one, `app.kubernetes.io/part-of`.
 */
function kubeFledgedPodLabels(release: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'kube-fledged', 'app.kubernetes.io/instance': release, 'app.kubernetes.io/part-of': `${release}-controller` };
}

// ---------------------------------------------------------------------------------------------
// pvc-autoresizer 0.13.0
// Read at topolvm/pvc-autoresizer tag pvc-autoresizer-chart-v0.13.0, commit f794d6fe3880,
// charts/pvc-autoresizer (appVersion 0.17.0). https://topolvm.github.io/pvc-autoresizer serves it
// (gh-pages index.yaml lists 0.13.0, a release asset built from that tag). No values.schema.json.
// cert-manager objects are rendered only when webhook.pvcMutatingWebhook.enabled is true.
// ---------------------------------------------------------------------------------------------

const PVC_AUTORESIZER: ChartFacts = {
  chart: 'pvc-autoresizer',
  version: '0.13.0',
  repository: 'https://topolvm.github.io/pvc-autoresizer',
  source: { repo: 'topolvm/pvc-autoresizer', tag: 'pvc-autoresizer-chart-v0.13.0', commit: 'f794d6fe38804d77954a6b02fa21d472a5b34401', dir: 'charts/pvc-autoresizer' },
  values: {
    fullnameOverride: { type: 'string', readBy: ['templates/_helpers.tpl'] },
    'controller.replicas': { type: 'integer', readBy: ['templates/controller/deployment.yaml'] },
    // `--use-k8s-metrics-api` (rendered only when true) and `--prometheus-url`; the ClusterRole adds metrics access when true.
    'controller.args.useK8sMetricsApi': { type: 'boolean', readBy: ['templates/controller/deployment.yaml', 'templates/controller/clusterrole.yaml'] },
    'controller.args.prometheusURL': { type: 'string', readBy: ['templates/controller/deployment.yaml'] },
    // Appended after `app.kubernetes.io/name: pvc-autoresizer`, the only label the pod template writes.
    'controller.podLabels': { type: 'object', whole: true, readBy: ['templates/controller/deployment.yaml'] },
    'controller.resources': { type: 'object', whole: true, readBy: ['templates/controller/deployment.yaml'] },
    // values.yaml defaults it to `{}`, but the template only does toYaml: a list is what Kubernetes needs.
    'controller.tolerations': { type: 'array', whole: true, readBy: ['templates/controller/deployment.yaml'] },
    'controller.affinity': { type: 'object', whole: true, readBy: ['templates/controller/deployment.yaml'] },
    'controller.priorityClassName': { type: 'string', readBy: ['templates/controller/deployment.yaml'] },
    'webhook.pvcMutatingWebhook.enabled': { type: 'boolean', readBy: ['templates/controller/deployment.yaml', 'templates/controller/certificate.yaml', 'templates/controller/issuer.yaml', 'templates/controller/mutatingwebhookconfiguration.yaml', 'templates/controller/service.yaml'] },
    // toYaml'd as the serving Certificate's issuerRef (cert-manager ObjectReference: group, kind, name).
    'webhook.existingCertManagerIssuer.group': { type: 'string', oneOf: ['cert-manager.io'], readBy: ['templates/controller/certificate.yaml'] },
    'webhook.existingCertManagerIssuer.kind': { type: 'string', oneOf: ['Issuer', 'ClusterIssuer'], readBy: ['templates/controller/certificate.yaml'] },
    'webhook.existingCertManagerIssuer.name': { type: 'string', readBy: ['templates/controller/certificate.yaml', 'templates/controller/issuer.yaml'] },
    // Not a template value: the condition of the cert-manager dependency in Chart.yaml.
    'cert-manager.enabled': { type: 'boolean', readBy: ['Chart.yaml (dependencies[cert-manager].condition)'] },
    'podMonitor.enabled': { type: 'boolean', readBy: ['templates/controller/podmonitor.yaml'] },
  },
};

// ---------------------------------------------------------------------------------------------
// reloader 2.2.9 (Stakater)
// Read at stakater/Reloader tag chart-v2.2.9, commit cf37b446586e, deployments/kubernetes/chart/reloader
// (appVersion v1.4.14). https://stakater.github.io/stakater-charts serves reloader-2.2.9.tgz
// (stakater/stakater-charts docs/, index.yaml digest 06bf8413...), whose values.yaml, values.schema.json
// and templates are identical to the tag's. values.schema.json constrains only reloader.reloadStrategy.
// ---------------------------------------------------------------------------------------------

const RELOADER: ChartFacts = {
  chart: 'reloader',
  version: '2.2.9',
  repository: 'https://stakater.github.io/stakater-charts',
  source: { repo: 'stakater/Reloader', tag: 'chart-v2.2.9', commit: 'cf37b446586e0575db984bb974293540d3018c90', dir: 'deployments/kubernetes/chart/reloader' },
  values: {
    // `reloader-fullname`: the Deployment and its container name.
    fullnameOverride: { type: 'string', readBy: ['templates/_helpers.tpl'] },
    // `eq .Values.reloader.autoReloadAll true` (and reloadOnCreate, readOnlyRootFileSystem): only a boolean matches.
    'reloader.autoReloadAll': { type: 'boolean', readBy: ['templates/deployment.yaml'] },
    'reloader.reloadStrategy': { type: 'string', oneOf: ['default', 'env-vars', 'annotations'], readBy: ['templates/deployment.yaml', 'values.schema.json'] },
    'reloader.reloadOnCreate': { type: 'boolean', readBy: ['templates/deployment.yaml'] },
    'reloader.logFormat': { type: 'string', oneOf: ['json', ''], readBy: ['templates/deployment.yaml'] },
    'reloader.readOnlyRootFileSystem': { type: 'boolean', readBy: ['templates/deployment.yaml'] },
    // Added to the Deployment's selector, its labels and the pod labels (tpl toYaml).
    'reloader.matchLabels': { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    'reloader.enableHA': { type: 'boolean', readBy: ['templates/deployment.yaml', 'templates/role.yaml', 'templates/clusterrole.yaml'] },
    'reloader.podMonitor.enabled': { type: 'boolean', readBy: ['templates/podmonitor.yaml'] },
    'reloader.podDisruptionBudget.enabled': { type: 'boolean', readBy: ['templates/poddisruptionbudget.yaml'] },
    // `min .Values.reloader.deployment.replicas 1` unless enableHA.
    'reloader.deployment.replicas': { type: 'integer', readBy: ['templates/deployment.yaml'] },
    // Deployment and pod labels, after `reloader-labels.chart`; merged by Helm with the chart's default provider/group/version labels.
    'reloader.deployment.labels': { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    'reloader.deployment.resources': { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    'reloader.deployment.tolerations': { type: 'array', whole: true, readBy: ['templates/deployment.yaml'] },
    'reloader.deployment.affinity': { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    'reloader.deployment.topologySpreadConstraints': { type: 'array', whole: true, latent: true, readBy: ['templates/deployment.yaml'] },
    'reloader.deployment.priorityClassName': { type: 'string', readBy: ['templates/deployment.yaml'] },
  },
};

// ---------------------------------------------------------------------------------------------
// velero 9.1.3
// Read at vmware-tanzu/helm-charts tag velero-9.1.3, commit 5d02d5bd2fb2, charts/velero (appVersion
// 1.16.0). https://vmware-tanzu.github.io/helm-charts serves it (gh-pages index.yaml lists 9.1.3, a
// release asset built from that tag). No values.schema.json. The chart has no
// topologySpreadConstraints value, and renders the liveness/readiness probes only when
// metrics.enabled is true.
// ---------------------------------------------------------------------------------------------

const VELERO: ChartFacts = {
  chart: 'velero',
  version: '9.1.3',
  repository: 'https://vmware-tanzu.github.io/helm-charts',
  source: { repo: 'vmware-tanzu/helm-charts', tag: 'velero-9.1.3', commit: '5d02d5bd2fb26e921ecda60631ec0cb5d9cf6a04', dir: 'charts/velero' },
  values: {
    podAnnotations: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    // Appended after `name: velero` and the chart's app.kubernetes.io labels in the pod template.
    podLabels: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    // A list is toYaml'd (a string would be tpl'd) into the pod's initContainers.
    initContainers: { type: 'array', whole: true, readBy: ['templates/deployment.yaml'] },
    upgradeCRDs: { type: 'boolean', readBy: ['templates/upgrade-crds/upgrade-crds.yaml', 'templates/upgrade-crds/serviceaccount-upgrade.yaml', 'templates/upgrade-crds/clusterrole-upgrade.yaml', 'templates/upgrade-crds/clusterrolebinding-upgrade.yaml'] },
    cleanUpCRDs: { type: 'boolean', readBy: ['templates/cleanup-crds.yaml'] },
    'serviceAccount.server.create': { type: 'boolean', readBy: ['templates/serviceaccount-server.yaml', 'templates/_helpers.tpl'] },
    'serviceAccount.server.name': { type: 'string', readBy: ['templates/_helpers.tpl'] },
    // Also copied onto the upgrade-CRDs job's ServiceAccount.
    'serviceAccount.server.annotations': { type: 'object', whole: true, readBy: ['templates/serviceaccount-server.yaml', 'templates/upgrade-crds/serviceaccount-upgrade.yaml'] },
    'credentials.useSecret': { type: 'boolean', readBy: ['templates/deployment.yaml', 'templates/secret.yaml'] },
    resources: { type: 'object', whole: true, readBy: ['templates/deployment.yaml'] },
    // Also used by the upgrade-CRDs and cleanup-CRDs jobs.
    tolerations: { type: 'array', whole: true, readBy: ['templates/deployment.yaml', 'templates/upgrade-crds/upgrade-crds.yaml'] },
    affinity: { type: 'object', whole: true, readBy: ['templates/deployment.yaml', 'templates/upgrade-crds/upgrade-crds.yaml'] },
    priorityClassName: { type: 'string', readBy: ['templates/deployment.yaml', 'templates/_helpers.tpl'] },
    'metrics.enabled': { type: 'boolean', readBy: ['templates/deployment.yaml', 'templates/service.yaml', 'templates/servicemonitor.yaml'] },
    'metrics.serviceMonitor.enabled': { type: 'boolean', readBy: ['templates/deployment.yaml', 'templates/servicemonitor.yaml'] },
    deployNodeAgent: { type: 'boolean', readBy: ['templates/node-agent-daemonset.yaml'] },
    snapshotsEnabled: { type: 'boolean', readBy: ['templates/volumesnapshotlocation.yaml'] },
    backupsEnabled: { type: 'boolean', readBy: ['templates/backupstoragelocation.yaml'] },
    // `typeIs "[]interface {}"`: a map (the pre-3.0 shape) renders nothing.
    'configuration.backupStorageLocation': { type: 'array', readBy: ['templates/backupstoragelocation.yaml'] },
    'configuration.backupStorageLocation[].name': { type: 'string', readBy: ['templates/backupstoragelocation.yaml'] },
    'configuration.backupStorageLocation[].provider': { type: 'string', readBy: ['templates/backupstoragelocation.yaml'] },
    'configuration.backupStorageLocation[].bucket': { type: 'string', readBy: ['templates/backupstoragelocation.yaml'] },
    'configuration.backupStorageLocation[].default': { type: 'boolean', readBy: ['templates/backupstoragelocation.yaml'] },
    // Each config key is copied into spec.config; `region` is velero-plugin-for-aws's.
    'configuration.backupStorageLocation[].config.region': { type: 'string', readBy: ['templates/backupstoragelocation.yaml'] },
    'configuration.volumeSnapshotLocation': { type: 'array', readBy: ['templates/volumesnapshotlocation.yaml'] },
    'configuration.volumeSnapshotLocation[].name': { type: 'string', readBy: ['templates/volumesnapshotlocation.yaml'] },
    'configuration.volumeSnapshotLocation[].provider': { type: 'string', readBy: ['templates/volumesnapshotlocation.yaml'] },
    'configuration.volumeSnapshotLocation[].config.region': { type: 'string', readBy: ['templates/volumesnapshotlocation.yaml'] },
    // Server flags in deployment.yaml (`--garbage-collection-frequency`, `--log-format`, `--log-level`,
    // `--features`, `--default-volumes-to-fs-backup`); the allowed values are the ones values.yaml documents.
    'configuration.garbageCollectionFrequency': { type: 'string', readBy: ['templates/deployment.yaml'] },
    'configuration.logFormat': { type: 'string', oneOf: ['text', 'json'], readBy: ['templates/deployment.yaml'] },
    'configuration.logLevel': { type: 'string', oneOf: ['debug', 'info', 'warning', 'error', 'fatal', 'panic'], readBy: ['templates/deployment.yaml'] },
    'configuration.features': { type: 'string', readBy: ['templates/deployment.yaml'] },
    'configuration.defaultVolumesToFsBackup': { type: 'boolean', readBy: ['templates/deployment.yaml'] },
    // `range $scheduleName, $schedule`: a map of Schedules (ours is a separate object).
    schedules: { type: 'object', whole: true, readBy: ['templates/schedule.yaml'] },
  },
};

// ---------------------------------------------------------------------------------------------
// The constructs, with their defaults and with every optional prop that changes the values
// ---------------------------------------------------------------------------------------------

const CHARTS: ReadonlyArray<{ readonly name: string; readonly facts: ChartFacts; readonly pinned: { repository: string; version: string }; readonly variants: readonly Variant[] }> = [
  {
    name: 'KubeDescheduler',
    facts: DESCHEDULER,
    pinned: { repository: DESCHEDULER_CHART_REPOSITORY, version: DESCHEDULER_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubeDescheduler(s, 'x')],
      ['defaults, SLA 1', 1, (s) => new KubeDescheduler(s, 'x')],
      ['every values prop, SLA 2', 2, (s) => new KubeDescheduler(s, 'x', {
        logVerbosity: 4, maxPodLifetimeSeconds: 3600, pendingPodTimeoutSeconds: 120, podRestartThreshold: 5, maxEvictions: 3,
        deschedulingInterval: '10m', monitoringEnabled: true, priorityClassName: 'system-cluster-critical',
        spotNodesEnabled: false, burstableNodesEnabled: false, controllerNodesEnabled: false, panfactumSchedulerEnabled: false, pullThroughCacheEnabled: false,
      })],
    ],
  },
  {
    name: 'KubeExternalSnapshotter',
    facts: SNAPSHOT_CONTROLLER,
    pinned: { repository: EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY, version: EXTERNAL_SNAPSHOTTER_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubeExternalSnapshotter(s, 'x')],
      ['defaults, SLA 1', 1, (s) => new KubeExternalSnapshotter(s, 'x')],
      ['every values prop, SLA 2', 2, (s) => new KubeExternalSnapshotter(s, 'x', {
        logVerbosity: 5, monitoringEnabled: true, priorityClassName: 'system-cluster-critical', volumeSnapshotClassEnabled: false,
        spotNodesEnabled: false, burstableNodesEnabled: false, controllerNodesEnabled: false,
      })],
    ],
  },
  {
    name: 'KubeNodeImageCacheController',
    facts: KUBE_FLEDGED,
    pinned: { repository: NODE_IMAGE_CACHE_CHART_REPOSITORY, version: NODE_IMAGE_CACHE_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubeNodeImageCacheController(s, 'x')],
      ['defaults, SLA 1', 1, (s) => new KubeNodeImageCacheController(s, 'x')],
      ['every values prop, SLA 2', 2, (s) => new KubeNodeImageCacheController(s, 'x', {
        imageCacheRefreshFrequency: '0s', imagePullDeadlineDuration: '10m', monitoringEnabled: true,
        spotNodesEnabled: false, burstableNodesEnabled: false, controllerNodesEnabled: false,
      })],
    ],
  },
  {
    name: 'KubePvcAutoresizer',
    facts: PVC_AUTORESIZER,
    pinned: { repository: PVC_AUTORESIZER_CHART_REPOSITORY, version: PVC_AUTORESIZER_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubePvcAutoresizer(s, 'x')],
      ['defaults, SLA 1', 1, (s) => new KubePvcAutoresizer(s, 'x')],
      ['every values prop, SLA 2', 2, (s) => new KubePvcAutoresizer(s, 'x', {
        prometheusUrl: 'http://thanos-query-frontend.monitoring.svc.cluster.local:9090', webhookClusterIssuer: 'internal',
        monitoringEnabled: true, priorityClassName: 'system-cluster-critical',
        spotNodesEnabled: false, burstableNodesEnabled: false, controllerNodesEnabled: false,
      })],
    ],
  },
  {
    name: 'KubeReloader',
    facts: RELOADER,
    pinned: { repository: RELOADER_CHART_REPOSITORY, version: RELOADER_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubeReloader(s, 'x')],
      ['defaults, SLA 1', 1, (s) => new KubeReloader(s, 'x')],
      ['every values prop, SLA 2', 2, (s) => new KubeReloader(s, 'x', {
        autoReloadAll: true, monitoringEnabled: true, priorityClassName: 'system-cluster-critical',
        spotNodesEnabled: false, burstableNodesEnabled: false, controllerNodesEnabled: false,
      })],
    ],
  },
  {
    name: 'KubeVelero',
    facts: VELERO,
    pinned: { repository: VELERO_CHART_REPOSITORY, version: VELERO_DEFAULT_HELM_VERSION },
    variants: [
      ['defaults, SLA 3', 3, (s) => new KubeVelero(s, 'x', VELERO_OIDC)],
      ['defaults, SLA 1', 1, (s) => new KubeVelero(s, 'x', VELERO_OIDC)],
      ['every values prop, SLA 2', 2, (s) => new KubeVelero(s, 'x', {
        ...VELERO_OIDC, logLevel: 'debug', controllerNodesRequired: false, monitoringEnabled: true, awsPluginVersion: 'v1.12.1',
        priorityClassName: 'system-cluster-critical', spotNodesEnabled: false, burstableNodesEnabled: false,
      })],
    ],
  },
];

function synthVariant(variant: Variant): { resource: any; values: any; out: ReturnType<typeof synth> } {
  const stack = stackWithProviders(variant[1]);
  variant[2](stack);
  return releaseOf(stack);
}

/** Synthesized once per file: construct name -> variant name -> release. */
const SYNTHESIZED = new Map(CHARTS.map((c) => [c.name, new Map(c.variants.map((v) => [v[0], synthVariant(v)]))]));

function releases(construct: string) {
  return [...SYNTHESIZED.get(construct)!.entries()];
}

describe.each(CHARTS)('$name: values match the $facts.chart chart at $facts.version', ({ name, facts, pinned, variants }) => {
  test('the construct pins this chart, version and repository', () => {
    expect(pinned).toEqual({ repository: facts.repository, version: facts.version });
    for (const [, { resource }] of releases(name)) {
      expect(resource.chart).toBe(facts.chart);
      expect(resource.version).toBe(facts.version);
      expect(resource.repository).toBe(facts.repository);
    }
  });

  test.each(variants.map((v) => v[0]))('%s: every emitted value path is read by the chart, with the type it needs', (variant) => {
    const { values } = SYNTHESIZED.get(name)!.get(variant)!;
    expect(checkAgainst(values, facts.values, `${facts.chart} ${facts.version} (${facts.source.repo}@${facts.source.tag})`).problems).toEqual([]);
  });

  test('every fact is reached by some synthesis (the table lists only what we set)', () => {
    const reached = new Set<string>();
    for (const [, { values }] of releases(name)) for (const p of checkAgainst(values, facts.values, facts.chart).reached) reached.add(p);
    const unreached = Object.entries(facts.values).filter(([p, f]) => !f.latent && !reached.has(p)).map(([p]) => p);
    expect(unreached).toEqual([]);
  });

  test('values the chart declares but that must not be set are absent', () => {
    for (const [, { values }] of releases(name)) {
      for (const p of Object.keys(facts.mustNotSet ?? {})) {
        const found = p.split('.').reduce<any>((v, k) => (v === undefined || v === null ? undefined : v[k]), values);
        expect({ path: p, value: found }).toEqual({ path: p, value: undefined });
      }
    }
  });
});

describe('the checker rejects what the charts do not read', () => {
  test('an unknown key, a misnested key, a wrong type and a value outside the allowed set', () => {
    const { values } = SYNTHESIZED.get('KubeExternalSnapshotter')!.get('defaults, SLA 3')!;
    // The shape the construct emitted for snapshot-controller before this check (a 3.x `webhook` section).
    const withWebhook = { ...values, webhook: { enabled: false } };
    expect(checkAgainst(withWebhook, SNAPSHOT_CONTROLLER.values, 'snapshot-controller').problems).toEqual(['webhook.enabled: not read by snapshot-controller']);
    const topLevelOverride = { ...values, fullnameOverride: 'external-snapshotter' };
    expect(checkAgainst(topLevelOverride, SNAPSHOT_CONTROLLER.values, 'snapshot-controller').problems).toEqual(['fullnameOverride: not read by snapshot-controller']);
    const wrongType = { controller: { ...values.controller, replicaCount: '1' } };
    expect(checkAgainst(wrongType, SNAPSHOT_CONTROLLER.values, 'snapshot-controller').problems).toEqual([
      'controller.replicaCount: is string, but snapshot-controller needs integer (read by templates/deployment_controller.yaml)',
    ]);
    const velero = SYNTHESIZED.get('KubeVelero')!.get('defaults, SLA 3')!.values;
    expect(checkAgainst({ ...velero, topologySpreadConstraints: [] }, VELERO.values, 'velero').problems).toEqual(['topologySpreadConstraints: not read by velero']);
    expect(checkAgainst({ ...velero, configuration: { ...velero.configuration, logLevel: 'warn' } }, VELERO.values, 'velero').problems)
      .toEqual(['configuration.logLevel: "warn" is not one of ["debug","info","warning","error","fatal","panic"] (velero)']);
  });
});

// ---------------------------------------------------------------------------------------------
// What the charts hand to the programs: flags and the descheduler policy
// ---------------------------------------------------------------------------------------------

describe('descheduler: flags and policy are the ones descheduler v0.35.1 reads', () => {
  test.each(releases('KubeDescheduler').map(([v]) => v))('%s: every cmdOptions key is a flag of the binary', (variant) => {
    const { values } = SYNTHESIZED.get('KubeDescheduler')!.get(variant)!;
    expect(Object.keys(values.cmdOptions).filter((k) => !(k in DESCHEDULER_FLAGS))).toEqual([]);
    expect(['text', 'json']).toContain(values.cmdOptions['logging-format']);
  });

  test.each(releases('KubeDescheduler').map(([v]) => v))('%s: the policy, profile by profile and plugin by plugin', (variant) => {
    const policy = SYNTHESIZED.get('KubeDescheduler')!.get(variant)!.values.deschedulerPolicy;
    const problems = checkAgainst(policy, DESCHEDULER_POLICY, 'DeschedulerPolicy v1alpha2').problems;
    for (const profile of policy.profiles) {
      const configured = new Set<string>();
      for (const config of profile.pluginConfig) {
        const plugin = DESCHEDULER_PLUGINS[config.name];
        if (!plugin) {
          problems.push(`${profile.name}: no plugin ${config.name} in descheduler v0.35.1`);
          continue;
        }
        configured.add(config.name);
        problems.push(...checkAgainst(config.args ?? {}, plugin.args, `${config.name} args`).problems.map((p) => `${profile.name}: ${p}`));
      }
      const enabled = new Set<string>();
      for (const [point, set] of Object.entries<any>(profile.plugins)) {
        for (const pluginName of set.enabled) {
          enabled.add(pluginName);
          if (!DESCHEDULER_PLUGINS[pluginName]?.points.includes(point)) problems.push(`${profile.name}: ${pluginName} is not a ${point} plugin`);
        }
      }
      // A configured plugin that no extension point enables is configuration nobody reads.
      for (const c of configured) if (!enabled.has(c)) problems.push(`${profile.name}: ${c} is configured but not enabled`);
    }
    expect(problems).toEqual([]);
  });
});

describe('snapshot-controller: every controller.args key is a flag of snapshot-controller v8.4.0', () => {
  /** sprig's kebabcase, as the template applies it to each args key. */
  const kebab = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  test.each(releases('KubeExternalSnapshotter').map(([v]) => v))('%s', (variant) => {
    const { values } = SYNTHESIZED.get('KubeExternalSnapshotter')!.get(variant)!;
    expect(Object.keys(values.controller.args).map(kebab).filter((f) => !SNAPSHOT_CONTROLLER_FLAGS.includes(f))).toEqual([]);
  });
});

describe('kube-fledged: what the v0.10.0 chart renders for the controller pods', () => {
  test.each(releases('KubeNodeImageCacheController').map(([v]) => v))('%s: the PDB selects the labels the chart puts on the controller pods', (variant) => {
    const { resource, out } = SYNTHESIZED.get('KubeNodeImageCacheController')!.get(variant)!;
    const pdb = manifest(out, 'PodDisruptionBudget', 'kube-fledged-controller');
    expect(pdb.spec.selector.matchLabels).toEqual(kubeFledgedPodLabels(resource.name));
  });

  test('priorityClassName is rejected: the chart cannot render it', () => {
    const error = errorOf(() => new KubeNodeImageCacheController(stackWithProviders(3), 'x', { priorityClassName: 'cluster-important' }));
    expect(error.field).toBe('priorityClassName');
    expect(error.fix).toMatch(/invalid YAML/);
  });
});

// ---------------------------------------------------------------------------------------------
// CRD-backed kinds the library emits, and the current upstream release of their controllers
//
// For each apiVersion, the CRD of the newest upstream release (as of the commit given) still
// serves it; read from the CRD manifest named. ExternalSecret (external-secrets.io) is checked
// elsewhere and left out here.
//
// | kind                | apiVersion                 | upstream release (commit)                               | CRD file read                                                        | versions in the CRD |
// | ------------------- | -------------------------- | ------------------------------------------------------- | -------------------------------------------------------------------- | ------------------- |
// | VerticalPodAutoscaler | autoscaling.k8s.io/v1    | kubernetes/autoscaler vertical-pod-autoscaler-1.7.1 (352365899477) | vertical-pod-autoscaler/deploy/vpa-v1-crd-gen.yaml          | v1 served+storage; v1beta2 deprecated, not served |
// | ScaledObject        | keda.sh/v1alpha1           | kedacore/keda v2.20.2 (68a5b5028f35)                    | config/crd/bases/keda.sh_scaledobjects.yaml                          | v1alpha1 served+storage (only) |
// | Certificate         | cert-manager.io/v1         | cert-manager/cert-manager v1.21.1 (24e33194fb39)        | deploy/crds/cert-manager.io_certificates.yaml (and _clusterissuers)  | v1 served+storage (only) |
// | ImageCache          | kubefledged.io/v1alpha2    | senthilrch/kube-fledged v0.10.0 (6765db52b557; HEAD 837f2b36307f unchanged) | deploy/kubefledged-operator/helm-charts/kubefledged/crds/crd.yaml | v1alpha2 served+storage (only) |
// | Schedule            | velero.io/v1               | vmware-tanzu/velero v1.18.1 (26ef8fa7df68)              | config/crd/v1/bases/velero.io_schedules.yaml                         | v1 served+storage |
// | VolumeSnapshotClass | snapshot.storage.k8s.io/v1 | kubernetes-csi/external-snapshotter v8.6.0 (78e32cd84e0a) | client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml | v1 served+storage; v1beta1 deprecated, not served |
// | WorkflowTemplate    | argoproj.io/v1alpha1       | argoproj/argo-workflows v4.1.2 (16a52d67daf2)           | manifests/base/crds/full/argoproj.io_workflowtemplates.yaml          | v1alpha1 served+storage (only) |
//
// None is stale. Note for the VPA: vertical-pod-autoscaler 1.7.1 still accepts updateMode "Auto"
// (in the CRD enum), but pkg/apis/autoscaling.k8s.io/v1/types.go marks it deprecated ("currently
// equivalent to Recreate"). The charts we pin ship their own CRDs at the same versions:
// velero 9.1.3 crds/schedules.yaml serves velero.io/v1; snapshot-controller 4.2.0 packages the
// external-snapshotter v8.4.0 CRDs, which serve snapshot.storage.k8s.io/v1.
// ---------------------------------------------------------------------------------------------

const CRD_API_VERSIONS: Readonly<Record<string, { kinds: readonly string[]; served: readonly string[]; upstream: string }>> = {
  'autoscaling.k8s.io/v1': { kinds: ['VerticalPodAutoscaler'], served: ['v1'], upstream: 'kubernetes/autoscaler vertical-pod-autoscaler-1.7.1' },
  'keda.sh/v1alpha1': { kinds: ['ScaledObject'], served: ['v1alpha1'], upstream: 'kedacore/keda v2.20.2' },
  'cert-manager.io/v1': { kinds: ['Certificate', 'ClusterIssuer'], served: ['v1'], upstream: 'cert-manager/cert-manager v1.21.1' },
  'kubefledged.io/v1alpha2': { kinds: ['ImageCache'], served: ['v1alpha2'], upstream: 'senthilrch/kube-fledged v0.10.0' },
  'velero.io/v1': { kinds: ['Schedule'], served: ['v1'], upstream: 'vmware-tanzu/velero v1.18.1' },
  'snapshot.storage.k8s.io/v1': { kinds: ['VolumeSnapshotClass'], served: ['v1'], upstream: 'kubernetes-csi/external-snapshotter v8.6.0' },
  'argoproj.io/v1alpha1': { kinds: ['WorkflowTemplate'], served: ['v1alpha1'], upstream: 'argoproj/argo-workflows v4.1.2' },
};
/** API groups built into Kubernetes (served without a CRD), and the one checked elsewhere (external-secrets.io). */
const NOT_CRD_GROUPS = new Set([
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io',
  'certificates.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'networking.k8s.io',
  'node.k8s.io', 'rbac.authorization.k8s.io', 'resource.k8s.io', 'scheduling.k8s.io', 'storage.k8s.io',
  'external-secrets.io',
  // The kubeconfig exec-credential API of the Kubernetes provider's `aws eks get-token` (lib/app/providers.ts): read by the client, never served.
  'client.authentication.k8s.io',
]);

describe('CRD-backed apiVersions', () => {
  test('each one the library writes is recorded above, and still served by the current upstream release', () => {
    const libDir = path.join(__dirname, '..', 'lib');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name));
        else if (entry.name.endsWith('.ts')) files.push(path.join(dir, entry.name));
      }
    };
    walk(libDir);
    // A quoted `<group with a dot>/<version>` literal is an apiVersion the library emits.
    const found = new Set<string>();
    for (const file of files) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/['"]([a-z0-9-]+(?:\.[a-z0-9-]+)+)\/(v\d+(?:(?:alpha|beta)\d+)?)['"]/g)) {
        if (!NOT_CRD_GROUPS.has(m[1])) found.add(`${m[1]}/${m[2]}`);
      }
    }
    expect([...found].sort()).toEqual(Object.keys(CRD_API_VERSIONS).sort());
    for (const [apiVersion, fact] of Object.entries(CRD_API_VERSIONS)) expect(fact.served).toContain(apiVersion.split('/')[1]);
  });
});
