import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import {
  ChartScheduling, ControllerIdentity, MemoryResources, buildControllerPlacement, chartScheduling, controllerResources,
  parseGoDuration, validateChartVersion, validateControllerProps,
} from '../k8s/maintenance';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';

export const NODE_IMAGE_CACHE_CHART_REPOSITORY = 'https://senthilrch.github.io/kubefledged-charts/';
export const NODE_IMAGE_CACHE_DEFAULT_HELM_VERSION = 'v0.10.0';
/** Default namespace of the kube-fledged controller. */
export const NODE_IMAGE_CACHE_NAMESPACE = 'node-image-cache';

/**
 * Props of `KubeNodeImageCacheController`: chart version, placement and resources of kube-fledged.
 *
 * @group Maintenance
 */
export interface KubeNodeImageCacheControllerProps extends MaintenanceControllerConstructProps {
  /** Version of the `kube-fledged` chart (exact semver; the chart tags versions with a leading "v"). @default "v0.10.0" */
  readonly kubeFledgedHelmVersion?: string;
  /** How often cached images are re-pulled so moved tags are refreshed (Go duration, at least 1m; "0s" disables). @default "15m" */
  readonly imageCacheRefreshFrequency?: string;
  /** How long one image pull may take before it is reported failed (Go duration). @default "5m" */
  readonly imagePullDeadlineDuration?: string;
}

/**
 * Helm values of the `kube-fledged` chart that we set. `tolerations`, `affinity` and `resources`
 * are top-level values (shared with the webhook server, which is off). The chart has no
 * pod-label and no topology-spread value, and no usable priority-class value: in chart v0.10.0
 * `deployment-controller.yaml` opens `{{- if .Values.controller.priorityClassName -}}` right
 * after `spec:` and trims the newline, so any non-empty `controller.priorityClassName` (or
 * `controller.hostNetwork: true`) renders `spec:priorityClassName: ...`, which is not valid YAML
 * and fails the install. The controller pods therefore run without a priority class.
 *
 * @group Maintenance
 */
export interface NodeImageCacheControllerValues extends Omit<ChartScheduling, 'priorityClassName' | 'topologySpreadConstraints'> {
  fullnameOverride: string;
  controllerReplicaCount: number;
  args: {
    controllerImageCacheRefreshFrequency: string;
    controllerImagePullDeadlineDuration: string;
    controllerImagePullPolicy: 'IfNotPresent';
  };
  webhookServer: { enable: boolean };
  resources: MemoryResources;
}

/**
 * The labels kube-fledged's controller pods carry (chart v0.10.0): the template writes
 * `{{ include "kubefledged.selectorLabels" . }}-controller`, and the helper's last line is
 * `app.kubernetes.io/part-of: <release>`, so the suffix lands on `part-of`, not on `instance`:
 * name `kube-fledged`, instance `<release>`, part-of `<release>-controller` (the Deployment's
 * selector). The chart cannot add labels of ours, so the PDB selects these.
 */
export function kubeFledgedControllerPodLabels(releaseName: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'kube-fledged',
    'app.kubernetes.io/instance': releaseName,
    'app.kubernetes.io/part-of': `${releaseName}-controller`,
  };
}

/**
 * The node image cache controller, kube-fledged (Panfactum's former
 * kube_node_image_cache_controller): pulls the images listed in `ImageCache` objects
 * (kubefledged.io/v1alpha2) onto every selected node ahead of time and keeps them there,
 * so pods that use them start without waiting for a pull. The golden-path containers mark
 * their images with imagePrepullEnabled / imagePinEnabled; the ImageCache objects are
 * emitted by KubeNodeImageCache. Its namespace allows privileged pods: the pull jobs use the
 * node's container runtime socket.
 *
 * The chart has no pod-label value: the controller pods carry only the chart's own labels, not
 * the golden-path scheduling labels (so an admission policy keyed on them, such as the
 * Panfactum scheduler's, does not apply), and the PDB selects the chart's labels. Nor can it set
 * a priority class (see NodeImageCacheControllerValues): `priorityClassName` is rejected.
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler` (vpaEnabled).
 *
 * @group Maintenance
 */
export class KubeNodeImageCacheController extends Construct {
  public readonly namespaceName: string;
  public readonly values: NodeImageCacheControllerValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeNodeImageCacheControllerProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeNodeImageCacheController', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: NODE_IMAGE_CACHE_NAMESPACE, chartRepository: NODE_IMAGE_CACHE_CHART_REPOSITORY });
    if (props.priorityClassName !== undefined) {
      v.fail('priorityClassName', props.priorityClassName,
        'remove priorityClassName: the kube-fledged chart (v0.10.0) renders invalid YAML when controller.priorityClassName is set, so the controller runs without a priority class',
        'cannot be set on the kube-fledged chart');
    }
    const chartVersion = validateChartVersion(v, 'kubeFledgedHelmVersion', props.kubeFledgedHelmVersion ?? NODE_IMAGE_CACHE_DEFAULT_HELM_VERSION);
    const refresh = props.imageCacheRefreshFrequency ?? '15m';
    const refreshSeconds = parseGoDuration(refresh);
    // durations only known at apply are written as given (found by the fuzz suite: tokens were refused)
    if (!isToken(refresh) && (refreshSeconds === undefined || (refreshSeconds !== 0 && refreshSeconds < 60))) {
      v.fail('imageCacheRefreshFrequency', refresh, 'use a Go duration of at least "1m" (e.g. "15m"), or "0s" to never refresh', 'is not a refresh frequency');
    }
    const deadline = props.imagePullDeadlineDuration ?? '5m';
    if (!isToken(deadline) && !parseGoDuration(deadline)) {
      v.fail('imagePullDeadlineDuration', deadline, 'use a positive Go duration such as "5m"', 'is not a duration');
    }
    const identity: ControllerIdentity = { module: 'kube_node_image_cache_controller', namespace, name: 'kube-fledged-controller' };
    const placement = buildControllerPlacement(v, EnvironmentContext.of(this), identity, props);
    const { tolerations, affinity } = chartScheduling(placement);
    this.values = {
      fullnameOverride: 'kube-fledged',
      controllerReplicaCount: 1,
      args: {
        controllerImageCacheRefreshFrequency: refresh,
        controllerImagePullDeadlineDuration: deadline,
        controllerImagePullPolicy: 'IfNotPresent',
      },
      webhookServer: { enable: false },
      resources: controllerResources(100),
      tolerations,
      affinity,
    };
    const out = installController(this, props, {
      identity, placement, chart: 'kube-fledged', chartRepository, chartVersion, values: this.values,
      podSecurityStandard: 'privileged',
      pdbMaxUnavailable: 1,
      pdbSelector: kubeFledgedControllerPodLabels(identity.name),
      // Deployment: `<fullname>-controller`; the container is named after the chart (`kube-fledged`).
      vpa: { kind: 'Deployment', name: 'kube-fledged-controller', containers: [{ name: 'kube-fledged', minimumMemoryMb: 100 }] },
    });
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
