import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import {
  ChartScheduling, ControllerIdentity, HELM_SELECTOR_LABEL_KEYS, MemoryResources, buildControllerPlacement, chartScheduling,
  controllerResources, validateChartVersion, validateControllerProps, withoutChartLabels,
} from '../k8s/maintenance';
import { buildVolumeSnapshotClass } from '../k8s/backups';
import { registerSchemalessKind } from '../k8s/schema';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';

registerSchemalessKind('snapshot.storage.k8s.io/v1', 'VolumeSnapshotClass',
  'no kubernetes-models package for the CSI external-snapshotter CRDs is installed; buildVolumeSnapshotClass validates the fields it emits');

export const EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY = 'https://piraeus.io/helm-charts';
export const EXTERNAL_SNAPSHOTTER_DEFAULT_HELM_VERSION = '4.2.0';

/**
 * Props of `KubeExternalSnapshotter`: chart version, placement and resources of the snapshot controller.
 *
 * @group Maintenance
 */
export interface KubeExternalSnapshotterProps extends MaintenanceControllerConstructProps {
  /** Version of the piraeus `snapshot-controller` chart (exact semver). @default "4.2.0" */
  readonly externalSnapshotterHelmVersion?: string;
  /** Log verbosity of the controller (klog `-v`), 0-9. @default 0 */
  readonly logVerbosity?: number;
  /**
   * Create a VolumeSnapshotClass for the EBS CSI driver. Its CRD comes with this construct's
   * release, and `kubernetes_manifest` needs the CRD at plan time: on the first deploy of a
   * cluster set this to false, deploy, then remove it (docs/constructs/maintenance.md).
   * @default true
   */
  readonly volumeSnapshotClassEnabled?: boolean;
  /** Name of that VolumeSnapshotClass. @default "ebs" */
  readonly volumeSnapshotClassName?: string;
  /**
   * What happens to the EBS snapshot when its VolumeSnapshot is deleted. `Retain` keeps it
   * (safer: a mistaken delete cannot destroy a backup; Velero's GC still removes expired ones).
   * @default "Retain"
   */
  readonly snapshotDeletionPolicy?: 'Retain' | 'Delete';
  /** Make the class the cluster's default for the driver. @default true */
  readonly volumeSnapshotClassDefault?: boolean;
}

/**
 * Helm values of the `snapshot-controller` chart that we set. Everything is under `controller`:
 * the 4.x chart has no validation webhook (no `webhook` value, no webhook template).
 *
 * @group Maintenance
 */
export interface ExternalSnapshotterValues {
  controller: ChartScheduling & {
    /** The piraeus chart reads the override here (`.Values.controller.fullnameOverride`), not at the top level. */
    fullnameOverride: string;
    enabled: boolean;
    replicaCount: number;
    /** Rendered as `--<kebab-case key>=<value>`, merged with the chart's defaults (leaderElection, httpEndpoint). */
    args: { v: number; leaderElection: boolean };
    podLabels: Record<string, string>;
    resources: MemoryResources;
    serviceMonitor: { create: boolean };
  };
}

/**
 * The CSI external-snapshotter's snapshot controller (Panfactum's kube_external_snapshotter):
 * installs the `snapshot.storage.k8s.io` CRDs and the controller that turns VolumeSnapshots
 * into EBS snapshots, plus a VolumeSnapshotClass `ebs` for the `ebs.csi.aws.com` driver
 * (labelled for Velero's CSI support, default class, Retain, snapshots tagged with their
 * Kubernetes names).
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler` (vpaEnabled),
 * `VolumeSnapshotClass` (volumeSnapshotClassEnabled; applied after the release, and planned only once the
 * release's CRDs exist: see volumeSnapshotClassEnabled).
 *
 * @group Maintenance
 */
export class KubeExternalSnapshotter extends Construct {
  public readonly namespaceName: string;
  public readonly values: ExternalSnapshotterValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;
  public readonly volumeSnapshotClass?: KubeManifest;
  /** Name of the VolumeSnapshotClass, when created. */
  public readonly volumeSnapshotClassName?: string;

  constructor(scope: Construct, id: string, props: KubeExternalSnapshotterProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeExternalSnapshotter', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: 'external-snapshotter', chartRepository: EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY });
    const chartVersion = validateChartVersion(v, 'externalSnapshotterHelmVersion', props.externalSnapshotterHelmVersion ?? EXTERNAL_SNAPSHOTTER_DEFAULT_HELM_VERSION);
    const logVerbosity = v.integer('logVerbosity', props.logVerbosity ?? 0, 0, 9, 'use a verbosity from 0 to 9');
    const env = EnvironmentContext.of(this);
    const identity: ControllerIdentity = { module: 'kube_external_snapshotter', namespace, name: 'external-snapshotter' };
    const placement = buildControllerPlacement(v, env, identity, props);
    // a boolean token would be read as true (found by the fuzz suite)
    v.knownAtSynth('volumeSnapshotClassEnabled', props.volumeSnapshotClassEnabled, 'it decides whether the VolumeSnapshotClass is emitted');
    v.knownAtSynth('volumeSnapshotClassDefault', props.volumeSnapshotClassDefault, 'it decides the default-class annotation');
    const snapshotClass = (props.volumeSnapshotClassEnabled ?? true)
      ? buildVolumeSnapshotClass(v, placement.objectLabels, {
        name: props.volumeSnapshotClassName ?? 'ebs',
        deletionPolicy: props.snapshotDeletionPolicy ?? 'Retain',
        isDefault: props.volumeSnapshotClassDefault ?? true,
      })
      : undefined;

    this.values = {
      controller: {
        // Without it the Deployment is `<release>-snapshot-controller` and the VPA below targets nothing.
        fullnameOverride: 'external-snapshotter',
        enabled: true,
        replicaCount: 1,
        args: { v: logVerbosity, leaderElection: true },
        // Rendered after the chart's selector labels in the pod template.
        podLabels: withoutChartLabels(placement.podLabels, HELM_SELECTOR_LABEL_KEYS),
        resources: controllerResources(100),
        serviceMonitor: { create: props.monitoringEnabled ?? false },
        ...chartScheduling(placement),
      },
    };
    const out = installController(this, props, {
      identity, placement, chart: 'snapshot-controller', chartRepository, chartVersion, values: this.values,
      pdbMaxUnavailable: 1,
      // Deployment: controller.fullnameOverride; container: the chart name.
      vpa: { kind: 'Deployment', name: 'external-snapshotter', containers: [{ name: 'snapshot-controller', minimumMemoryMb: 100 }] },
    });
    if (snapshotClass) {
      this.volumeSnapshotClass = new KubeManifest(this, 'VolumeSnapshotClass', {
        object: snapshotClass,
        provider: props.kubernetesProvider,
        dependsOn: [out.release],
      });
      this.volumeSnapshotClassName = snapshotClass.metadata.name;
    }
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
