import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { DeschedulerPolicy, buildDeschedulerPolicy } from '../k8s/descheduler-policy';
import {
  ChartScheduling, ControllerIdentity, HELM_SELECTOR_LABEL_KEYS, MemoryResources, buildControllerPlacement, chartScheduling,
  controllerResources, parseGoDuration, validateChartVersion, validateControllerProps, withoutChartLabels,
} from '../k8s/maintenance';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';

export const DESCHEDULER_CHART_REPOSITORY = 'https://kubernetes-sigs.github.io/descheduler/';
export const DESCHEDULER_DEFAULT_HELM_VERSION = '0.35.1';

/**
 * Props of `KubeDescheduler`: chart version, schedule, placement and resources of the descheduler.
 *
 * @group Maintenance
 */
export interface KubeDeschedulerProps extends MaintenanceControllerConstructProps {
  /** Version of the `descheduler` chart (exact semver). @default "0.35.1" */
  readonly deschedulerHelmVersion?: string;
  /** Log verbosity (klog `-v`), 1-9. @default 1 */
  readonly logVerbosity?: number;
  /**
   * Pods running longer than this many seconds are evicted (pods labelled
   * `panfactum.com/prevent-lifetime-eviction: "true"` excepted). At least 60.
   * @default 14400 (4 hours)
   */
  readonly maxPodLifetimeSeconds?: number;
  /** Pods stuck Pending/ContainerCreating/ImagePullBackOff this many seconds are evicted (at least 60). @default 300 */
  readonly pendingPodTimeoutSeconds?: number;
  /** Pods restarted more than this many times (crash loops) are evicted. @default 3 */
  readonly podRestartThreshold?: number;
  /** At most this many evictions per node and per namespace in one run. @default 10 */
  readonly maxEvictions?: number;
  /** How often the descheduler runs (Go duration). @default "5m" */
  readonly deschedulingInterval?: string;
}

/**
 * Helm values of the `descheduler` chart that we set.
 *
 * @group Maintenance
 */
export interface DeschedulerValues extends ChartScheduling {
  fullnameOverride: string;
  kind: 'Deployment';
  deschedulingInterval: string;
  replicas: number;
  cmdOptions: { v: number; 'logging-format': 'json' };
  podLabels: Record<string, string>;
  resources: MemoryResources;
  livenessProbe: {
    httpGet: { path: string; port: number; scheme: 'HTTPS' };
    initialDelaySeconds: number;
    periodSeconds: number;
    failureThreshold: number;
  };
  service: { enabled: boolean };
  serviceMonitor: { enabled: boolean };
  deschedulerPolicyAPIVersion: 'descheduler/v1alpha2';
  deschedulerPolicy: DeschedulerPolicy;
}

/**
 * The Descheduler (Panfactum's kube_descheduler), running every 5 minutes as a Deployment.
 * It evicts pods that violate their soft (and hard) node affinity, inter-pod anti-affinity,
 * node taints or topology spread; pods stuck pending, failed or crash-looping; and pods
 * older than `maxPodLifetimeSeconds` (4 h). Pods labelled
 * `panfactum.com/prevent-lifetime-eviction: "true"` (KubeStatefulSet sets it by default) are
 * spared the lifetime eviction; pods labelled `panfactum.com/descheduler-enabled: "false"` are
 * never evicted. Evictions go through the Eviction API, so PodDisruptionBudgets are respected.
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler` (vpaEnabled).
 *
 * @group Maintenance
 */
export class KubeDescheduler extends Construct {
  public readonly namespaceName: string;
  public readonly values: DeschedulerValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeDeschedulerProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeDescheduler', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: 'descheduler', chartRepository: DESCHEDULER_CHART_REPOSITORY });
    const chartVersion = validateChartVersion(v, 'deschedulerHelmVersion', props.deschedulerHelmVersion ?? DESCHEDULER_DEFAULT_HELM_VERSION);
    const logVerbosity = v.integer('logVerbosity', props.logVerbosity ?? 1, 1, 9, 'use a verbosity from 1 (quiet) to 9 (everything)');
    const maxPodLifetimeSeconds = v.integer('maxPodLifetimeSeconds', props.maxPodLifetimeSeconds ?? 14400, 60, Number.MAX_SAFE_INTEGER,
      'use a whole number of seconds of at least 60 (one minute); 14400 (4 hours) is the default');
    const pendingPodTimeoutSeconds = v.integer('pendingPodTimeoutSeconds', props.pendingPodTimeoutSeconds ?? 300, 60, Number.MAX_SAFE_INTEGER,
      'use a whole number of seconds of at least 60');
    const podRestartThreshold = v.integer('podRestartThreshold', props.podRestartThreshold ?? 3, 1, 10000, 'use a whole number of restarts from 1 to 10000');
    const maxEvictions = v.integer('maxEvictions', props.maxEvictions ?? 10, 1, 100000, 'use a whole number of pods from 1 to 100000 (the most pods a cluster runs)');
    const interval = props.deschedulingInterval ?? '5m';
    const intervalSeconds = parseGoDuration(interval);
    // a duration only known at apply is written as given (found by the fuzz suite: a token was refused)
    if (!isToken(interval) && (intervalSeconds === undefined || intervalSeconds < 10)) {
      v.fail('deschedulingInterval', interval, 'use a Go duration of at least 10s, such as "5m" or "1h"', 'is not a duration');
    }

    const identity: ControllerIdentity = { module: 'kube_descheduler', namespace, name: 'descheduler' };
    const placement = buildControllerPlacement(v, EnvironmentContext.of(this), identity, props);
    const monitoring = props.monitoringEnabled ?? false;
    this.values = {
      fullnameOverride: 'descheduler',
      kind: 'Deployment',
      deschedulingInterval: interval,
      replicas: 1,
      cmdOptions: { v: logVerbosity, 'logging-format': 'json' },
      // Rendered after the chart's selector labels in the pod template.
      podLabels: withoutChartLabels(placement.podLabels, HELM_SELECTOR_LABEL_KEYS),
      resources: controllerResources(100),
      ...chartScheduling(placement),
      livenessProbe: { httpGet: { path: '/healthz', port: 10258, scheme: 'HTTPS' }, initialDelaySeconds: 20, periodSeconds: 10, failureThreshold: 3 },
      service: { enabled: monitoring },
      serviceMonitor: { enabled: monitoring },
      deschedulerPolicyAPIVersion: 'descheduler/v1alpha2',
      deschedulerPolicy: buildDeschedulerPolicy({ maxPodLifetimeSeconds, pendingPodTimeoutSeconds, podRestartThreshold, maxEvictions }),
    };
    const out = installController(this, props, {
      identity, placement, chart: 'descheduler', chartRepository, chartVersion, values: this.values,
      pdbMaxUnavailable: 1,
      // Deployment: `descheduler.fullname` = fullnameOverride; container: the chart name.
      vpa: { kind: 'Deployment', name: 'descheduler', containers: [{ name: 'descheduler', minimumMemoryMb: 100 }] },
    });
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
