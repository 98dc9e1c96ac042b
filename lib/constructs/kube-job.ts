import { DataResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { KubeWorkload, waitTimeouts } from './kube-workload';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { JobProps, buildJobModel } from '../k8s/job';
import { KubeManifest } from './kube-manifest';
import { bareReference } from './terraform-references';
import { KubeWorkloadConstructProps, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeJob`: completions, retries, the pod and the workload support objects of a one-off Job.
 *
 * @group Workloads
 */
export interface KubeJobProps extends Omit<JobProps, 'namespace'>, KubeWorkloadConstructProps {
  /**
   * Make `apply` wait until the Job has succeeded (`status.succeeded` = podCompletions), so
   * what depends on it (a Deployment after its database migration) is applied only then,
   * and a failed run fails the apply.
   * @default true
   */
  readonly waitForSuccess?: boolean;
  /** How long `apply` waits for success (Terraform duration). @default "10m" */
  readonly waitForSuccessTimeout?: string;
}

/** The provider's default computed fields, plus the pod template labels the API server adds. */
export const JOB_COMPUTED_FIELDS = ['metadata.labels', 'metadata.annotations', 'spec.template.metadata.labels'];

/**
 * A one-shot Job (Panfactum's kube_job), e.g. a database migration: seed 000 recommends
 * a Job over an init container, which would run once per pod and block every pod start.
 *
 * Emits the Job, a dedicated ServiceAccount, a PodDisruptionBudget (created first) that
 * keeps the running pod from being evicted unless disruptionsEnabled, and a
 * VerticalPodAutoscaler in Initial mode targeting the Job. Pods restart Never; a pod
 * killed by a disruption is retried without counting against backoffLimit (1).
 *
 * Replacement: a Job's pod template is immutable, so an in-place update would be rejected.
 * The construct adds a `terraform_data` resource whose `triggers_replace` is the whole Job
 * object, and the Job's `lifecycle.replace_triggered_by` points at it: any change to the
 * Job (including a new image tag passed as a TerraformVariable, which a name hash could not
 * see at synth) deletes the old Job and runs a new one under the same name.
 *
 * Note: once ttlSecondsAfterFinished (600 s) has passed, Kubernetes deletes the finished
 * Job and the next `apply` creates it again, so the Job runs again on every later deploy.
 * Write it idempotently (migrations usually are), or raise the TTL.
 *
 * @example
 * new KubeJob(stack, 'migrate', {
 *   namespace: 'web',
 *   name: 'db-migrate',
 *   containers: [{ name: 'migrate', imageRegistry: 'ghcr.io', imageRepository: 'acme/api', imageTag: '1.4.0', command: ['./migrate', 'up'] }],
 * });
 *
 * @group Workloads
 */
export class KubeJob extends KubeWorkload {
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly job: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;
  /** The `terraform_data` resource whose change replaces the Job. */
  public readonly replaceTrigger: DataResource;

  constructor(scope: Construct, id: string, props: KubeJobProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeJob', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const wait = props.waitForSuccess ?? true;
    const timeouts = waitTimeouts(v, { wait: 'waitForSuccess', timeout: 'waitForSuccessTimeout' }, wait, props.waitForSuccessTimeout);
    const model = buildJobModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
    const provider = props.provider;
    const support = this.emitSupport(model, props);
    const after = namespaceDependencies(props.namespace);
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    const count = props.podCompletions ?? 1;
    const completions = Token.isUnresolved(count) ? Token.asString(count) : String(count);
    this.job = new KubeManifest(this, 'Job', {
      object: model.job,
      provider,
      dependsOn: [...support.dependencies, this.podDisruptionBudget.resource],
      waitForFields: wait ? { 'status.succeeded': completions } : undefined,
      timeouts,
      // The API server adds the job-name and controller-uid labels to the pod template of
      // every Job it creates; without this the apply fails as an inconsistent result.
      computedFields: JOB_COMPUTED_FIELDS,
    });
    this.replaceTrigger = new DataResource(this, 'ReplaceTrigger', {
      // The Job object itself (not a copy): the resource reads it at synth, so later edits of
      // `job.object` land here too; its literal `${` are escaped like every resource's strings.
      triggersReplace: { job: this.job.object },
    });
    this.job.resource.lifecycle = { replaceTriggeredBy: [bareReference(this.replaceTrigger)] };
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.job.resource] });

  }
}
