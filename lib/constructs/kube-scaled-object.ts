import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { KEDA_WORKLOAD_ANNOTATIONS, ScalableObject, ScaledObjectProps, buildScaledObject, releaseReplicaCount } from '../k8s/autoscaling';
import { autoscalerOf, markAutoscaled } from './autoscaling-support';
import { KubeManifest } from './kube-manifest';
import { checkConstructProps } from './construct-props';

/**
 * A workload a ScaledObject can scale: a KubeDeployment (its `deployment`), a
 * KubeStatefulSet (its `statefulSet`), or any construct exposing its Deployment or
 * StatefulSet KubeManifest as `manifest`.
 *
 * @group Workloads
 */
export interface IScalableWorkload {
  /** Name of the workload object. */
  readonly name: string;
  /** Namespace of the workload object. */
  readonly namespaceName: string;
  readonly deployment?: KubeManifest;
  readonly statefulSet?: KubeManifest;
  readonly manifest?: KubeManifest;
}

/**
 * Props of KubeScaledObject.
 *
 * @group Workloads
 */
export interface KubeScaledObjectProps extends ScaledObjectProps {
  /** The workload to scale; its spec.replicas is removed. */
  readonly target: IScalableWorkload;
  /** Name of the ScaledObject. @default - the target's name */
  readonly name?: string;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * Event-driven horizontal scaling with KEDA (seed 004): a keda.sh/v1alpha1 ScaledObject
 * for a Deployment or StatefulSet. KEDA creates and drives the HPA itself, so the
 * target's `spec.replicas` is removed (a rollout would otherwise reset the count) and a
 * workload with `horizontalAutoscaling` (its own HPA) or a second ScaledObject is refused.
 * Scale to zero is opt-in (`minReplicaCount: 0` or `idleReplicaCount: 0`).
 *
 * @example
 * new KubeScaledObject(stack, 'worker-scaling', {
 *   target: worker, maxReplicaCount: 20,
 *   triggers: [{ type: 'aws-sqs-queue', metadata: { queueURL, queueLength: '50', awsRegion: 'us-east-2' },
 *                authenticationRef: { name: 'keda-aws' } }],
 *   fallback: { failureThreshold: 3, replicas: 4 },
 * });
 *
 * @group Workloads
 */
export class KubeScaledObject extends Construct {
  /** Name of the ScaledObject. */
  public readonly scaledObjectName: string;
  /** The emitted ScaledObject (escape hatch: `.object`, `.resource`). */
  public readonly scaledObject: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeScaledObjectProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeScaledObject', props);
    const v = new PropValidator(this);
    const found = props.target ? props.target.deployment ?? props.target.statefulSet ?? props.target.manifest : undefined;
    const target: KubeManifest = found ?? v.fail('target', props.target === undefined ? undefined : '<construct>', 'pass a KubeDeployment, a KubeStatefulSet, or { name, namespaceName, manifest } for a Deployment/StatefulSet KubeManifest', 'has no workload manifest');
    const obj = target.object as unknown as ScalableObject;
    if (obj.kind !== 'Deployment' && obj.kind !== 'StatefulSet') {
      v.fail('target', `${obj.kind}/${obj.metadata.name}`, 'KubeScaledObject scales a Deployment or a StatefulSet', 'is not scalable');
    }
    const existing = autoscalerOf(target);
    if (existing) {
      v.fail(
        'target',
        `${obj.kind}/${obj.metadata.name}`,
        existing.kind === 'HorizontalPodAutoscaler'
          ? `the workload already has a HorizontalPodAutoscaler (${existing.path}); KEDA would create a second one and the two would fight. Remove horizontalAutoscaling from the workload, or this ScaledObject`
          : `the workload is already scaled by the ScaledObject ${existing.path}; merge the triggers into one ScaledObject`,
        'already has an autoscaler',
      );
    }
    const name = props.name ?? props.target.name;
    const env = EnvironmentContext.of(this);
    if (!env.cluster.keda) {
      v.capability('target', props.target.name, env.cluster, 'keda', 'KEDA (CRD scaledobjects.keda.sh)', 'true', 'scale on CPU or memory with the workload\'s horizontalAutoscaling (a HorizontalPodAutoscaler) instead');
    }
    // Seed 004: a Service-backed workload keeps 2 replicas for redundancy (GP-REL-007); workers may idle at 1.
    const serviceBacked = (props.target as { serviceName?: string }).serviceName !== undefined;
    const object = buildScaledObject(
      v,
      name,
      { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: obj.metadata.namespace ?? props.target.namespaceName },
      props,
      moduleLabels(env, 'kube_scaled_object'),
      serviceBacked && env.slaTarget >= 2 ? 2 : 1,
    );
    releaseReplicaCount(obj, KEDA_WORKLOAD_ANNOTATIONS);
    this.scaledObject = new KubeManifest(this, 'ScaledObject', { object, provider: props.provider, dependsOn: [target.resource] });
    markAutoscaled(target, { kind: 'ScaledObject', path: this.node.path });
    this.scaledObjectName = name;
  }
}
