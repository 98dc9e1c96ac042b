import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import {
  EnvironmentStack,
  EnvironmentStackProps,
  KubeDescheduler,
  KubeDeschedulerProps,
  KubeExternalSnapshotter,
  KubeExternalSnapshotterProps,
  KubeNodeImageCacheController,
  KubeNodeImageCacheControllerProps,
  KubePriorityClasses,
  KubePvcAutoresizer,
  KubePvcAutoresizerProps,
  KubeReloader,
  KubeReloaderProps,
  KubeVelero,
  KubeVeleroProps,
} from '../lib';

/** Provider props are set by the stack; everything else of each controller can be given. */
type Settings<T> = Omit<T, 'helmProvider' | 'kubernetesProvider' | 'awsProvider' | 'dependsOn'>;

/** One set of props for every maintenance controller of a cluster. */
export interface ClusterMaintenanceProps {
  /**
   * Create the cluster-important and workload-important PriorityClasses the controllers use.
   * Turn off when another stack (or kube_policies) already creates them.
   * @default true
   */
  readonly priorityClassesEnabled?: boolean;
  /** Stakater Reloader settings. @default {} */
  readonly reloader?: Settings<KubeReloaderProps>;
  /** kube-fledged (node image cache controller) settings; false leaves it out. @default {} */
  readonly nodeImageCacheController?: Settings<KubeNodeImageCacheControllerProps> | false;
  /** pvc-autoresizer settings. @default {} */
  readonly pvcAutoresizer?: Settings<KubePvcAutoresizerProps>;
  /** Descheduler settings. @default {} */
  readonly descheduler?: Settings<KubeDeschedulerProps>;
  /** Snapshot controller and VolumeSnapshotClass settings. @default {} */
  readonly externalSnapshotter?: Settings<KubeExternalSnapshotterProps>;
  /** Velero settings (bucket, schedule, retention). @default {} */
  readonly velero?: Settings<KubeVeleroProps>;
}

/** The environment and region (from environments/) and the controllers' settings. */
export interface ClusterMaintenanceStackProps extends EnvironmentStackProps {
  /** The controllers' settings. @default {} (every default) */
  readonly maintenance?: ClusterMaintenanceProps;
}

/**
 * The cluster maintenance controllers of one environment and region (seed 001): Reloader,
 * the node image cache controller, pvc-autoresizer, the Descheduler, the snapshot
 * controller and Velero, with the PriorityClasses they run at. App stacks depend on it
 * (`appStack.addDependency(maintenanceStack)`), so `cdktf deploy` installs it first.
 */
export class ClusterMaintenanceStack extends EnvironmentStack {
  public readonly priorityClasses?: KubePriorityClasses;
  public readonly reloader: KubeReloader;
  public readonly nodeImageCacheController?: KubeNodeImageCacheController;
  public readonly pvcAutoresizer: KubePvcAutoresizer;
  public readonly descheduler: KubeDescheduler;
  public readonly externalSnapshotter: KubeExternalSnapshotter;
  public readonly velero: KubeVelero;

  constructor(scope: Construct, id: string, props: ClusterMaintenanceStackProps) {
    super(scope, id, props);
    const m = props.maintenance ?? {};
    const providers = { helmProvider: this.providers.helm, kubernetesProvider: this.providers.kubernetes };

    if (m.priorityClassesEnabled ?? true) {
      this.priorityClasses = new KubePriorityClasses(this, 'priority-classes', { provider: this.providers.kubernetes });
    }
    const dependsOn = this.priorityClasses ? Object.values(this.priorityClasses.priorityClasses).map((p) => p.resource) : [];
    const common = { ...providers, dependsOn };

    this.reloader = new KubeReloader(this, 'reloader', { ...m.reloader, ...common });
    if (m.nodeImageCacheController !== false) {
      this.nodeImageCacheController = new KubeNodeImageCacheController(this, 'node-image-cache-controller', { ...m.nodeImageCacheController, ...common });
    }
    this.pvcAutoresizer = new KubePvcAutoresizer(this, 'pvc-autoresizer', { ...m.pvcAutoresizer, ...common });
    this.descheduler = new KubeDescheduler(this, 'descheduler', { ...m.descheduler, ...common });
    this.externalSnapshotter = new KubeExternalSnapshotter(this, 'external-snapshotter', { ...m.externalSnapshotter, ...common });
    // Velero snapshots through the snapshot controller and its VolumeSnapshotClass.
    const snapshotDeps = [this.externalSnapshotter.release, ...(this.externalSnapshotter.volumeSnapshotClass ? [this.externalSnapshotter.volumeSnapshotClass.resource] : [])];
    this.velero = new KubeVelero(this, 'velero', { ...m.velero, ...common, dependsOn: [...dependsOn, ...snapshotDeps], awsProvider: this.providers.aws });

    new TerraformOutput(this, 'backup_bucket', { value: this.velero.bucketName });
    new TerraformOutput(this, 'backup_bucket_arn', { value: this.velero.bucketArn });
    new TerraformOutput(this, 'velero_role_arn', { value: this.velero.iamRole.roleArn });
  }
}
