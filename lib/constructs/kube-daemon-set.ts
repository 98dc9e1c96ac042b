import { Construct } from 'constructs';
import { KubeWorkload, waitTimeouts } from './kube-workload';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { DaemonSetProps, buildDaemonSetModel } from '../k8s/daemon-set';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeDaemonSet`: update strategy, the pod and the workload support objects of a per-node workload.
 *
 * @group Workloads
 */
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
 *
 * @group Workloads
 */
export class KubeDaemonSet extends KubeWorkload {
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly daemonSet: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeDaemonSetProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeDaemonSet', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const timeouts = waitTimeouts(v, { wait: 'waitForRollout', timeout: 'waitForRolloutTimeout' }, props.waitForRollout ?? false, props.waitForRolloutTimeout);
    const { waitForRollout, waitForRolloutTimeout, provider: _provider, ...modelProps } = props;
    const model = buildDaemonSetModel(v, EnvironmentContext.of(this), { ...modelProps, namespace: ns });
    const provider = props.provider;
    const support = this.emitSupport(model, props);
    const after = namespaceDependencies(props.namespace);
    this.daemonSet = new KubeManifest(this, 'DaemonSet', {
      object: model.daemonSet,
      provider,
      dependsOn: support.dependencies,
      waitForRollout: waitForRollout ?? false,
      timeouts,
    });
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.daemonSet.resource] });

  }
}
