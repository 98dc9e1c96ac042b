import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import {
  ChartScheduling, ControllerIdentity, HELM_STANDARD_LABEL_KEYS, MemoryResources, buildControllerPlacement, chartScheduling,
  controllerResources, validateChartVersion, validateControllerProps, withoutChartLabels,
} from '../k8s/maintenance';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';

export const RELOADER_CHART_REPOSITORY = 'https://stakater.github.io/stakater-charts';
export const RELOADER_DEFAULT_HELM_VERSION = '2.2.9';
/**
 * Labels the chart's `reloader-labels.chart` helper writes on the Deployment and its pods
 * (1.x: app/chart/release/heritage and app.kubernetes.io/managed-by; 2.x: the app.kubernetes.io
 * set and helm.sh/chart). `reloader.deployment.labels` must not repeat them.
 */
const RELOADER_CHART_LABEL_KEYS = ['app', 'chart', 'release', 'heritage', ...HELM_STANDARD_LABEL_KEYS];

/**
 * Props of `KubeReloader`: chart version, placement and resources of the Reloader controller.
 *
 * @group Maintenance
 */
export interface KubeReloaderProps extends MaintenanceControllerConstructProps {
  /** Version of the `reloader` chart (exact semver). @default "2.2.9" */
  readonly reloaderHelmVersion?: string;
  /**
   * Reload every Deployment/StatefulSet/DaemonSet on a change of any ConfigMap or Secret it
   * references, annotated or not. Off: only workloads annotated `reloader.stakater.com/auto: "true"`
   * (every golden-path Deployment, StatefulSet and DaemonSet) are rolled.
   * @default false (Panfactum: true)
   */
  readonly autoReloadAll?: boolean;
}

/**
 * Helm values of the Stakater `reloader` chart that we set.
 *
 * @group Maintenance
 */
export interface ReloaderValues {
  fullnameOverride: string;
  reloader: {
    autoReloadAll: boolean;
    reloadStrategy: 'annotations' | 'env-vars';
    reloadOnCreate: boolean;
    logFormat: 'json' | '';
    readOnlyRootFileSystem: boolean;
    /** Added to the Deployment's selector and to the pod labels (the PDB selects them). */
    matchLabels: Record<string, string>;
    enableHA: boolean;
    podMonitor: { enabled: boolean };
    podDisruptionBudget: { enabled: boolean };
    deployment: ChartScheduling & {
      replicas: number;
      /** Deployment and pod labels, without the chart's own labels and the matchLabels keys. */
      labels: Record<string, string>;
      resources: MemoryResources;
    };
  };
}

/**
 * Stakater Reloader (Panfactum's kube_reloader): rolls a workload when a ConfigMap or Secret
 * it references changes, for workloads annotated `reloader.stakater.com/auto: "true"` (the
 * golden-path Deployment, StatefulSet and DaemonSet set it). Rollouts use the
 * `annotations` strategy, so a GitOps diff never shows an injected env var.
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler` (vpaEnabled).
 *
 * @group Maintenance
 */
export class KubeReloader extends Construct {
  public readonly namespaceName: string;
  /** The typed Helm values, as serialized into the release. */
  public readonly values: ReloaderValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeReloaderProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeReloader', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: 'reloader', chartRepository: RELOADER_CHART_REPOSITORY });
    const chartVersion = validateChartVersion(v, 'reloaderHelmVersion', props.reloaderHelmVersion ?? RELOADER_DEFAULT_HELM_VERSION);
    const identity: ControllerIdentity = { module: 'kube_reloader', namespace, name: 'reloader' };
    const placement = buildControllerPlacement(v, EnvironmentContext.of(this), identity, props);
    this.values = {
      fullnameOverride: 'reloader',
      reloader: {
        // a boolean token cannot be written into the values YAML as a boolean (found by the fuzz suite)
        autoReloadAll: v.knownAtSynth('autoReloadAll', props.autoReloadAll ?? false, 'it is written into the chart values as a YAML boolean'),
        reloadStrategy: 'annotations',
        reloadOnCreate: true,
        logFormat: 'json',
        readOnlyRootFileSystem: true,
        matchLabels: { ...placement.matchLabels },
        enableHA: false,
        podMonitor: { enabled: props.monitoringEnabled ?? false },
        podDisruptionBudget: { enabled: false }, // ours, below
        deployment: {
          replicas: 1,
          // The chart renders its own labels, then these, then reloader.matchLabels into the same
          // maps (Deployment and pod template): leave out the keys it already writes (`id` comes
          // from matchLabels), or the manifest has duplicate keys.
          labels: withoutChartLabels(placement.podLabels, [...RELOADER_CHART_LABEL_KEYS, ...Object.keys(placement.matchLabels)]),
          resources: controllerResources(200),
          ...chartScheduling(placement),
        },
      },
    };
    const out = installController(this, props, {
      identity, placement, chart: 'reloader', chartRepository, chartVersion, values: this.values,
      pdbMaxUnavailable: 1,
      // Deployment and container are both named by the chart's `reloader-fullname` = fullnameOverride.
      vpa: { kind: 'Deployment', name: 'reloader', containers: [{ name: 'reloader', minimumMemoryMb: 200 }] },
    });
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
