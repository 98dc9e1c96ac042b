import { Construct } from 'constructs';
import { KubeWorkload } from './kube-workload';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { CronJobProps, buildCronJobModel } from '../k8s/cron-job';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeCronJob`: the schedule, the Job template, the pod and the workload support objects.
 *
 * @group Workloads
 */
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
 *
 * @group Workloads
 */
export class KubeCronJob extends KubeWorkload {
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly cronJob: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeCronJobProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeCronJob', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const model = buildCronJobModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
    const provider = props.provider;
    const support = this.emitSupport(model, props);
    const after = namespaceDependencies(props.namespace);
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    this.cronJob = new KubeManifest(this, 'CronJob', { object: model.cronJob, provider, dependsOn: [...support.dependencies, this.podDisruptionBudget.resource] });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.cronJob.resource] });

  }
}
