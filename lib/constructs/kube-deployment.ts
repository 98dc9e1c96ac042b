import { Construct } from 'constructs';
import { KubeWorkload, waitTimeouts } from './kube-workload';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { DeploymentProps, buildDeploymentModel } from '../k8s/deployment';
import { emitHorizontalAutoscaler } from './autoscaling-support';
import { KubeManifest } from './kube-manifest';
import { KubeWorkloadConstructProps, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of `KubeDeployment`: replicas, rollout, autoscaling, the pod and the workload support objects.
 *
 * @group Workloads
 */
export interface KubeDeploymentProps extends Omit<DeploymentProps, 'namespace'>, KubeWorkloadConstructProps {
  /** Wait for the rollout to finish before `apply` succeeds. @default false */
  readonly waitForRollout?: boolean;
  /** How long `apply` waits for a rollout (Terraform duration). @default "10m" */
  readonly waitForRolloutTimeout?: string;
}

/**
 * A stateless workload (Panfactum's kube_deployment): the Deployment, a dedicated
 * ServiceAccount allowed to read its own pod, a PodDisruptionBudget, a
 * VerticalPodAutoscaler, a Service when a container exposes a port, and a Secret for
 * commonSecrets. Rollouts restart on ConfigMap/Secret changes through Reloader.
 *
 * @example
 * new KubeDeployment(stack, 'api', {
 *   namespace: 'web',
 *   name: 'api',
 *   containers: [{
 *     name: 'api', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1',
 *     ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/healthz',
 *   }],
 * });
 *
 * @group Workloads
 */
export class KubeDeployment extends KubeWorkload {
  /** Name of the Service, when a container port is exposed. */
  public readonly serviceName?: string;
  /** The emitted objects (escape hatch: each has `.object` and `.resource`). */
  public readonly deployment: KubeManifest;
  public readonly podDisruptionBudget: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;
  public readonly service?: KubeManifest;
  /** The HorizontalPodAutoscaler, with horizontalAutoscaling. */
  public readonly horizontalPodAutoscaler?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeDeploymentProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeDeployment', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const timeouts = waitTimeouts(v, { wait: 'waitForRollout', timeout: 'waitForRolloutTimeout' }, props.waitForRollout ?? false, props.waitForRolloutTimeout);
    const model = buildDeploymentModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
    const provider = props.provider;
    const support = this.emitSupport(model, props);
    this.deployment = new KubeManifest(this, 'Deployment', {
      object: model.deployment,
      provider,
      dependsOn: support.dependencies,
      waitForRollout: props.waitForRollout ?? false,
      timeouts,
    });
    const after = namespaceDependencies(props.namespace);
    this.podDisruptionBudget = new KubeManifest(this, 'PodDisruptionBudget', { object: model.pdb, provider, dependsOn: after });
    if (model.vpa) this.verticalPodAutoscaler = new KubeManifest(this, 'VerticalPodAutoscaler', { object: model.vpa, provider, dependsOn: [...after, this.deployment.resource] });
    if (model.hpa) this.horizontalPodAutoscaler = emitHorizontalAutoscaler(this, this.deployment, model.hpa, { provider, dependsOn: after });
    if (model.service) this.service = new KubeManifest(this, 'Service', { object: model.service, provider, dependsOn: [...after, this.deployment.resource] });

    this.serviceName = model.service?.metadata.name;
  }
}
