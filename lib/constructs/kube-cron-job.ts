import type { KubeSaAuthAws } from './kube-sa-auth-aws';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { CronJobProps, buildCronJobModel } from '../k8s/cron-job';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, emitWorkloadSupport, namespaceDependencies, namespaceName } from './workload-support';

export interface KubeCronJobProps extends Omit<CronJobProps, 'namespace'>, KubeWorkloadConstructProps {}

/**
 * A scheduled run-to-completion workload (Panfactum's kube_cron_job): the CronJob, a
 * dedicated ServiceAccount, a PodDisruptionBudget that keeps running pods from being
 * evicted (unless disruptionsEnabled) and a VerticalPodAutoscaler in Initial mode (it
 * sizes each new run's pods from past runs, never evicts). Runs never overlap (Forbid),
 * one failed Job is kept for inspection, a missed run may start up to 15 minutes late,
 * a run is stopped after 24 h and finished Jobs are deleted after 10 minutes.
 *
 * @example
 * new KubeCronJob(stack, 'cleanup', {
 *   namespace: 'web',
 *   name: 'cleanup',
 *   cronSchedule: '0 3 * * *',
 *   timeZone: 'Europe/Berlin',
 *   containers: [{ name: 'cleanup', imageRegistry: 'docker.io', imageRepository: 'library/busybox', imageTag: '1.37.0', command: ['sh', '-c', 'echo cleaning'] }],
 * });
 */
export class KubeCronJob extends Construct {
  /** Name of the CronJob. */
  public readonly name: string;
  /** Namespace of the CronJob. */
  public readonly namespaceName: string;
  /** Name of the workload's dedicated ServiceAccount. */
  public readonly serviceAccountName: string;
  /** The IRSA role created for `awsIamPolicy`, if any. */
  public readonly awsRole?: KubeSaAuthAws;
  /** Selector labels of the pods (the immutable `id` label). */
  public readonly matchLabels: Record<string, string>;
  /** Labels of the pods. */
  public readonly labels: Record<string, string>;
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly cronJob: KubeManifest;
  public readonly serviceAccount: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeCronJobProps) {
    super(scope, id);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const model = buildCronJobModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
    const provider = props.provider;
    const support = emitWorkloadSupport(this, model, props);
    this.awsRole = support.awsRole;
    const after = namespaceDependencies(props.namespace);
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    this.cronJob = new KubeManifest(this, 'CronJob', { object: model.cronJob, provider, dependsOn: [...support.dependencies, this.podDisruptionBudget.resource] });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.cronJob.resource] });

    this.name = props.name;
    this.namespaceName = ns;
    this.serviceAccountName = model.serviceAccountName;
    this.matchLabels = model.pod.matchLabels;
    this.labels = model.pod.labels;
    this.serviceAccount = support.serviceAccount;
  }
}
