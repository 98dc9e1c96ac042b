import { emitHorizontalAutoscaler } from './autoscaling-support';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import { KubeWorkload, waitTimeouts } from './kube-workload';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { StatefulSetProps, buildStatefulSetModel } from '../k8s/stateful-set';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeStatefulSet`: replicas, volume claims, the pod and the workload support objects.
 *
 * @group Workloads
 */
export interface KubeStatefulSetProps extends Omit<StatefulSetProps, 'namespace'>, KubeWorkloadConstructProps {
  /** Wait for the rollout to finish before `apply` succeeds. @default false */
  readonly waitForRollout?: boolean;
  /** How long `apply` waits for a rollout (Terraform duration). @default "10m" */
  readonly waitForRolloutTimeout?: string;
}

/**
 * A stateful workload such as a database (Panfactum's kube_stateful_set): the
 * StatefulSet with one persistent volume claim per pod and volume (autoresized, backed
 * up, kept when the StatefulSet is deleted or scaled down), the always-present headless
 * Service `<name>-headless` that gives each pod a stable DNS name, a regular Service when
 * a container exposes a port, a dedicated ServiceAccount, a PodDisruptionBudget and a
 * VerticalPodAutoscaler. Pods spread strictly across zones and are not evicted for age.
 *
 * Claim templates cannot change once the StatefulSet exists; pin them with
 * `volumeClaimTemplatesHash` (see that prop) so an accidental change fails at synth.
 *
 * @example
 * new KubeStatefulSet(stack, 'redis', {
 *   namespace: 'data',
 *   name: 'redis',
 *   containers: [{ name: 'redis', imageRegistry: 'docker.io', imageRepository: 'library/redis', imageTag: '7.4.1',
 *     ports: { redis: { port: 6379 } }, livenessProbeType: 'TCP', livenessProbePort: 6379 }],
 *   volumeMounts: { data: { mountPath: '/data', initialSizeGb: 5 } },
 * });
 *
 * @group Workloads
 */
export class KubeStatefulSet extends KubeWorkload {
  /** Name of the headless Service (`<name>-headless`); pod `i` is `<name>-<i>.<name>-headless.<namespace>.svc`. */
  public readonly headlessServiceName: string;
  /** Name of the regular Service, when a container port is exposed. */
  public readonly serviceName?: string;
  /** Hash of the claim templates, to pin with `volumeClaimTemplatesHash` (undefined without volumes or with token sizes). */
  public readonly volumeClaimTemplatesHash?: string;
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly statefulSet: KubeManifest;
  public readonly headlessService: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;
  /** The HorizontalPodAutoscaler, with horizontalAutoscaling. */
  public readonly horizontalPodAutoscaler?: KubeManifest;
  public readonly service?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeStatefulSetProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeStatefulSet', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const timeouts = waitTimeouts(v, { wait: 'waitForRollout', timeout: 'waitForRolloutTimeout' }, props.waitForRollout ?? false, props.waitForRolloutTimeout);
    const model = buildStatefulSetModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
    if (props.volumeClaimTemplatesHash !== undefined && model.volumeClaimTemplatesHash === undefined && Object.keys(props.volumeMounts ?? {}).length > 0) {
      Annotations.of(this).addWarning('volumeClaimTemplatesHash cannot be checked: the volume sizes or settings hold deploy-time tokens, so the claim templates are only known at apply.');
    }
    const provider = props.provider;
    const support = this.emitSupport(model, props);
    const after = namespaceDependencies(props.namespace);
    // The StatefulSet's serviceName must exist first (its pods' DNS names hang off it).
    this.headlessService = new KubeManifest(this, 'HeadlessService', { object: model.headlessService, provider, dependsOn: after });
    this.statefulSet = new KubeManifest(this, 'StatefulSet', {
      object: model.statefulSet,
      provider,
      dependsOn: [...support.dependencies, this.headlessService.resource],
      waitForRollout: props.waitForRollout ?? false,
      timeouts,
    });
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    if (model.hpa) this.horizontalPodAutoscaler = emitHorizontalAutoscaler(this, this.statefulSet, model.hpa, { provider, dependsOn: after });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.statefulSet.resource] });
    if (model.service) this.service = new KubeManifest(this, 'Service', { object: model.service, provider, dependsOn: [...after, this.statefulSet.resource] });

    this.headlessServiceName = model.headlessService.metadata.name;
    this.serviceName = model.service?.metadata.name;
    this.volumeClaimTemplatesHash = model.volumeClaimTemplatesHash;
  }
}
