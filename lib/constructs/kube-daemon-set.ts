import type { KubeSaAuthAws } from './kube-sa-auth-aws';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { DaemonSetProps, buildDaemonSetModel } from '../k8s/daemon-set';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, emitWorkloadSupport, namespaceDependencies, namespaceName } from './workload-support';

export interface KubeDaemonSetProps extends Omit<DaemonSetProps, 'namespace'>, KubeWorkloadConstructProps {
  /** Wait for the rollout to finish before `apply` succeeds. @default false */
  readonly waitForRollout?: boolean;
  /** How long `apply` waits for a rollout (Terraform duration). @default "10m" */
  readonly waitForRolloutTimeout?: string;
}

/**
 * A pod on every tolerated node (Panfactum's kube_daemon_set), for node agents such as
 * log shippers: the DaemonSet (controller nodes tolerated, default scheduler,
 * system-node-critical priority, rolling updates of 34% of the nodes at a time), a
 * dedicated ServiceAccount, a minAvailable-style PodDisruptionBudget and a
 * VerticalPodAutoscaler. Pods restart on ConfigMap/Secret changes through Reloader.
 * No Service is created: reach node agents through the node (hostNetwork or host ports).
 *
 * @example
 * new KubeDaemonSet(stack, 'agent', {
 *   namespace: 'monitoring',
 *   name: 'node-agent',
 *   containers: [{ name: 'agent', imageRegistry: 'docker.io', imageRepository: 'grafana/alloy', imageTag: 'v1.5.0' }],
 * });
 */
export class KubeDaemonSet extends Construct {
  /** Name of the DaemonSet. */
  public readonly name: string;
  /** Namespace of the DaemonSet. */
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
  public readonly daemonSet: KubeManifest;
  public readonly serviceAccount: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeDaemonSetProps) {
    super(scope, id);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    if (props.waitForRolloutTimeout !== undefined && !/^\d+(s|m|h)$/.test(props.waitForRolloutTimeout)) {
      v.fail('waitForRolloutTimeout', props.waitForRolloutTimeout, 'use a Terraform duration such as "10m", "90s" or "1h"', 'is not a duration');
    }
    if (props.waitForRolloutTimeout !== undefined && !props.waitForRollout) {
      v.fail('waitForRolloutTimeout', props.waitForRolloutTimeout, 'set waitForRollout: true, or remove the timeout', 'has no effect');
    }
    const { waitForRollout, waitForRolloutTimeout, provider: _provider, ...modelProps } = props;
    const model = buildDaemonSetModel(v, EnvironmentContext.of(this), { ...modelProps, namespace: ns });
    const provider = props.provider;
    const support = emitWorkloadSupport(this, model, props);
    this.awsRole = support.awsRole;
    const after = namespaceDependencies(props.namespace);
    const timeout = waitForRolloutTimeout ?? '10m';
    this.daemonSet = new KubeManifest(this, 'DaemonSet', {
      object: model.daemonSet,
      provider,
      dependsOn: support.dependencies,
      waitForRollout: waitForRollout ?? false,
      timeouts: waitForRollout ? { create: timeout, update: timeout } : undefined,
    });
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.daemonSet.resource] });

    this.name = props.name;
    this.namespaceName = ns;
    this.serviceAccountName = model.serviceAccountName;
    this.matchLabels = model.pod.matchLabels;
    this.labels = model.pod.labels;
    this.serviceAccount = support.serviceAccount;
  }
}
