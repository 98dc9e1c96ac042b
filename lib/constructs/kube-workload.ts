import { Construct } from 'constructs';
import { PropValidator, isToken } from '../core/validation';
import { WorkloadBase } from '../k8s/workload';
import { KubeManifest } from './kube-manifest';
import { KubeSaAuthAws } from './kube-sa-auth-aws';
import { EmittedSupport, KubeWorkloadConstructProps, emitWorkloadSupport, namespaceName } from './workload-support';

interface WorkloadIdentity {
  readonly name: string;
  readonly namespaceName: string;
  readonly serviceAccountName: string;
  readonly matchLabels: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly support: EmittedSupport;
}

/**
 * What every controller construct (KubeDeployment, KubeStatefulSet, KubeDaemonSet,
 * KubeCronJob, KubeJob) exposes: its name and namespace, the dedicated ServiceAccount, the
 * pods' selector and labels, and the optional IRSA role and NetworkPolicy. A subclass builds
 * its model, then calls `emitSupport` once.
 *
 * @group Workloads
 */
export abstract class KubeWorkload extends Construct {
  private identity?: WorkloadIdentity;

  /** Name of the workload. */
  public get name(): string {
    return this.emitted().name;
  }
  /** Namespace of the workload. */
  public get namespaceName(): string {
    return this.emitted().namespaceName;
  }
  /** Name of the workload's dedicated ServiceAccount. */
  public get serviceAccountName(): string {
    return this.emitted().serviceAccountName;
  }
  /** Selector labels of the pods (the immutable `id` label). */
  public get matchLabels(): Record<string, string> {
    return this.emitted().matchLabels;
  }
  /** Labels of the pods. */
  public get labels(): Record<string, string> {
    return this.emitted().labels;
  }
  /** The ServiceAccount object (escape hatch: `.object` and `.resource`). */
  public get serviceAccount(): KubeManifest {
    return this.emitted().support.serviceAccount;
  }
  /** The IRSA role created for `awsIamPolicy`, if any. */
  public get awsRole(): KubeSaAuthAws | undefined {
    return this.emitted().support.awsRole;
  }
  /** The workload's NetworkPolicy, with `networkPolicy`. */
  public get networkPolicy(): KubeManifest | undefined {
    return this.emitted().support.networkPolicy;
  }

  /**
   * Emit the ServiceAccount, the commonSecrets Secret, the pod-reader RBAC, the IRSA role and
   * the NetworkPolicy (see emitWorkloadSupport), and record the workload's identity.
   *
   * @internal
   */
  protected emitSupport(model: WorkloadBase, props: KubeWorkloadConstructProps): EmittedSupport {
    if (this.identity) throw new Error(`${this.node.path}: emitSupport may be called only once`);
    const support = emitWorkloadSupport(this, model, props);
    this.identity = {
      name: model.name,
      namespaceName: namespaceName(props.namespace),
      serviceAccountName: model.serviceAccountName,
      matchLabels: model.pod.matchLabels,
      labels: model.pod.labels,
      support,
    };
    return support;
  }

  private emitted(): WorkloadIdentity {
    if (!this.identity) throw new Error(`${this.node.path}: the workload is read before its constructor finished`);
    return this.identity;
  }
}

/** A Terraform duration: hours, minutes and seconds in that order, e.g. "90s", "10m", "1h30m". */
const DURATION = /^(?=\d)(\d+h)?(\d+m)?(\d+s)?$/;

/**
 * Validate a "wait until done" switch and its timeout (waitForRollout / waitForRolloutTimeout,
 * waitForSuccess / waitForSuccessTimeout) and return the resource timeouts.
 */
export function waitTimeouts(
  v: PropValidator,
  fields: { readonly wait: string; readonly timeout: string },
  wait: boolean,
  timeout: string | undefined,
): { create: string; update: string } | undefined {
  // It decides whether the resource has a wait block and timeouts: a boolean token would be read
  // as true (found by the fuzz suite for KubeDaemonSet, which keeps it out of the model's props).
  v.knownAtSynth(fields.wait, wait, 'it decides whether the resource is emitted with a wait block and timeouts (the apply waits)');
  if (timeout !== undefined && !isToken(timeout) && !DURATION.test(timeout)) {
    v.fail(fields.timeout, timeout, 'use a Terraform duration such as "10m", "90s" or "1h30m"', 'is not a duration');
  }
  if (timeout !== undefined && !wait) v.fail(fields.timeout, timeout, `set ${fields.wait}: true, or remove the timeout`, 'has no effect');
  const t = timeout ?? '10m';
  return wait ? { create: t, update: t } : undefined;
}
