import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import {
  ChartScheduling, ControllerIdentity, HELM_STANDARD_LABEL_KEYS, MemoryResources, buildControllerPlacement, chartSchedulingWithoutSpread,
  controllerResources, validateChartVersion, validateControllerProps, withoutChartLabels,
} from '../k8s/maintenance';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';

export const PVC_AUTORESIZER_CHART_REPOSITORY = 'https://topolvm.github.io/pvc-autoresizer';
export const PVC_AUTORESIZER_DEFAULT_HELM_VERSION = '0.13.0';
/** The PVC annotations pvc-autoresizer reads (KubeStatefulSet writes them on its claims). */
export const PVC_AUTORESIZER_ANNOTATIONS = {
  storageLimit: 'resize.topolvm.io/storage_limit',
  increase: 'resize.topolvm.io/increase',
  threshold: 'resize.topolvm.io/threshold',
  initialResizeGroupBy: 'resize.topolvm.io/initial-resize-group-by',
} as const;
/** The StorageClass annotation that opts a class in (set by the EBS CSI module on its classes). */
export const PVC_AUTORESIZER_STORAGE_CLASS_ANNOTATION = 'resize.topolvm.io/enabled';

/**
 * Props of `KubePvcAutoresizer`: chart version, placement and resources of the PVC autoresizer.
 *
 * @group Maintenance
 */
export interface KubePvcAutoresizerProps extends MaintenanceControllerConstructProps {
  /** Version of the `pvc-autoresizer` chart (exact semver). @default "0.13.0" */
  readonly pvcAutoresizerHelmVersion?: string;
  /**
   * Read volume usage from this Prometheus-compatible URL instead of the kubelet metrics API.
   * @default - the Kubernetes metrics API (`useK8sMetricsApi`)
   */
  readonly prometheusUrl?: string;
  /**
   * cert-manager ClusterIssuer that signs the certificate of the PVC mutating webhook (the
   * webhook applies `resize.topolvm.io/initial-resize-group-by` to new claims). Without it the
   * webhook is off, new claims start at their requested size, and the chart (0.13.0) renders no
   * cert-manager object. With it the chart renders a cert-manager.io/v1 Certificate issued by
   * this ClusterIssuer (and a MutatingWebhookConfiguration whose CA cert-manager injects), so
   * cert-manager and its CRDs must then be installed in the cluster.
   * @default - webhook disabled
   */
  readonly webhookClusterIssuer?: string;
}

/**
 * Helm values of the `pvc-autoresizer` chart that we set.
 *
 * @group Maintenance
 */
export interface PvcAutoresizerValues {
  fullnameOverride: string;
  /** The chart has no topologySpreadConstraints value: zone spread is a preferred pod anti-affinity. */
  controller: Omit<ChartScheduling, 'topologySpreadConstraints'> & {
    replicas: number;
    args: { useK8sMetricsApi: boolean; prometheusURL?: string };
    podLabels: Record<string, string>;
    resources: MemoryResources;
  };
  webhook: {
    pvcMutatingWebhook: { enabled: boolean };
    existingCertManagerIssuer?: { group: 'cert-manager.io'; kind: 'ClusterIssuer'; name: string };
  };
  'cert-manager': { enabled: boolean };
  podMonitor: { enabled: boolean };
}

/**
 * topolvm pvc-autoresizer (Panfactum's kube_pvc_autoresizer): grows a PersistentVolumeClaim
 * through the volume expansion API when its free space falls below a threshold. It only acts
 * on claims whose StorageClass is annotated `resize.topolvm.io/enabled: "true"`, and reads the
 * claim annotations `resize.topolvm.io/threshold`, `.../increase` and `.../storage_limit`
 * (KubeStatefulSet writes them).
 *
 * EBS LIMIT: AWS lets an EBS volume be modified only once every six hours. A claim that
 * fills faster than one increase per six hours will run out of space; size the initial
 * capacity and the increase for six hours of growth.
 *
 * Replicas and spread follow the environment's slaTarget: at >= 2, two replicas on distinct
 * hosts (required) that prefer distinct zones (the chart cannot render topology spread
 * constraints, so the zone spread is a preferred pod anti-affinity); at 3 also on distinct
 * instance types.
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler` (vpaEnabled).
 *
 * @group Maintenance
 */
export class KubePvcAutoresizer extends Construct {
  public readonly namespaceName: string;
  public readonly values: PvcAutoresizerValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubePvcAutoresizerProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubePvcAutoresizer', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: 'pvc-autoresizer', chartRepository: PVC_AUTORESIZER_CHART_REPOSITORY });
    const chartVersion = validateChartVersion(v, 'pvcAutoresizerHelmVersion', props.pvcAutoresizerHelmVersion ?? PVC_AUTORESIZER_DEFAULT_HELM_VERSION);
    if (props.prometheusUrl !== undefined && !isToken(props.prometheusUrl) && !/^https?:\/\/[^\s]+$/.test(props.prometheusUrl)) {
      v.fail('prometheusUrl', props.prometheusUrl, 'use an http(s) URL such as "http://thanos-query-frontend.monitoring.svc.cluster.local:9090"', 'is not a URL');
    }
    if (props.webhookClusterIssuer !== undefined) v.dnsSubdomain('webhookClusterIssuer', props.webhookClusterIssuer);
    const env = EnvironmentContext.of(this);
    const identity: ControllerIdentity = { module: 'kube_pvc_autoresizer', namespace, name: 'pvc-autoresizer-controller' };
    const placement = buildControllerPlacement(v, env, identity, props, {
      hostAntiAffinityRequired: env.slaTarget >= 2,
      azSpreadRequired: env.slaTarget >= 2,
      instanceTypeAntiAffinityRequired: env.slaTarget === 3,
    });
    this.values = {
      fullnameOverride: 'pvc-autoresizer',
      controller: {
        replicas: env.slaTarget >= 2 ? 2 : 1,
        args: props.prometheusUrl ? { useK8sMetricsApi: false, prometheusURL: props.prometheusUrl } : { useK8sMetricsApi: true },
        // Rendered after the chart's standard labels in the pod template.
        podLabels: withoutChartLabels(placement.podLabels, HELM_STANDARD_LABEL_KEYS),
        resources: controllerResources(100),
        ...chartSchedulingWithoutSpread(placement),
      },
      webhook: props.webhookClusterIssuer
        ? { pvcMutatingWebhook: { enabled: true }, existingCertManagerIssuer: { group: 'cert-manager.io', kind: 'ClusterIssuer', name: props.webhookClusterIssuer } }
        : { pvcMutatingWebhook: { enabled: false } },
      'cert-manager': { enabled: false },
      podMonitor: { enabled: props.monitoringEnabled ?? false },
    };
    const out = installController(this, props, {
      identity, placement, chart: 'pvc-autoresizer', chartRepository, chartVersion, values: this.values,
      pdbMaxUnavailable: 1,
      // Deployment: `<fullname>-controller`; the chart's container is `pvc-autoresizer` (not kubebuilder's `manager`).
      vpa: { kind: 'Deployment', name: 'pvc-autoresizer-controller', containers: [{ name: 'pvc-autoresizer', minimumMemoryMb: 100 }] },
    });
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
