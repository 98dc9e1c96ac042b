import { ResolvedEnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { HorizontalAutoscalingProps, IHorizontalPodAutoscaler, applyHorizontalAutoscaling } from './autoscaling';
import { ServiceType, buildService } from './service';
import { WorkloadBase, WorkloadProps, controllerMetadata, buildPdb, buildVpa, buildWorkloadBase, reloaderAnnotations, vpaWanted } from './workload';
import { hasNodeClass } from './scheduling';
import type { IDeployment, IPodDisruptionBudget, IService, IVerticalPodAutoscaler, Named } from './types';

/**
 * Inputs of a Deployment (Panfactum's kube_deployment).
 *
 * @group Workloads
 */
export interface DeploymentProps extends WorkloadProps {
  /**
   * Desired number of pods (ignored with ignoreReplicaCount), from 0 to 100000.
   * @default 2 for a Deployment with a Service at SLA target 2 or 3 (seed 004: "a minimum of 2 replicas ...
   * for redundancy"), else 1 (Panfactum's default)
   */
  readonly replicas?: number;
  /** Rollout strategy. @default "RollingUpdate" */
  readonly updateType?: 'RollingUpdate' | 'Recreate';
  /** Extra pods a rolling update may start (count or percentage). @default "25%" */
  readonly maxSurge?: string | number;
  /** Leave spec.replicas out so an autoscaler (HPA, KEDA) owns the replica count. @default false */
  readonly ignoreReplicaCount?: boolean;
  /**
   * Scale horizontally with an autoscaling/v2 HorizontalPodAutoscaler named after the
   * Deployment (seed 004); spec.replicas is then left out. Without a target the HPA
   * scales on 70% CPU. The VPA keeps managing only the resource the HPA does not scale
   * on (none when both are targets, so no VPA then).
   * @default - no HPA
   */
  readonly horizontalAutoscaling?: HorizontalAutoscalingProps;
  /** Name of the Service created for exposed ports. @default - the Deployment's name */
  readonly serviceName?: string;
  /** Type of that Service. @default "ClusterIP" */
  readonly serviceType?: ServiceType;
  /** Static cluster IP of that Service. @default - assigned by Kubernetes */
  readonly serviceIp?: string;
  /** Load balancer class for a LoadBalancer Service. @default "service.k8s.aws/nlb" */
  readonly serviceLoadBalancerClass?: string;
  /** Public DNS names for the Service (external-dns). @default [] */
  readonly servicePublicDomainNames?: string[];
  /** Extra Service labels. @default {} */
  readonly extraServiceLabels?: Record<string, string>;
  /** Extra Service annotations. @default {} */
  readonly extraServiceAnnotations?: Record<string, string>;
}

/** The objects of a Deployment workload. */
export interface DeploymentModel extends WorkloadBase {
  readonly deployment: Named<IDeployment>;
  readonly service?: Named<IService>;
  readonly pdb: Named<IPodDisruptionBudget>;
  readonly vpa?: Named<IVerticalPodAutoscaler>;
  readonly hpa?: Named<IHorizontalPodAutoscaler>;
}

const INT_OR_PERCENT = /^(\d+|\d+%)$/;

/**
 * Apply kube_deployment's defaults (seed 000 and inventory 23.1): burstable and spot
 * tolerated, hard host anti-affinity, instance-type anti-affinity at SLA 3, soft zone
 * spread at SLA >= 2, the Panfactum scheduler, 90 s grace period.
 */
export function deploymentDefaults(env: ResolvedEnvironmentContext, props: DeploymentProps): DeploymentProps {
  return {
    ...props,
    burstableNodesEnabled: props.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    instanceTypeAntiAffinityRequired: props.instanceTypeAntiAffinityRequired ?? env.slaTarget === 3,
    azSpreadPreferred: props.azSpreadPreferred ?? env.slaTarget >= 2,
  };
}

/**
 * Replicas when the props give none: a Service-backed Deployment runs 2 at SLA target 2 or 3
 * (seed 004's minimum for redundancy, GP-REL-007), anything else Panfactum's 1.
 */
export function defaultReplicas(env: ResolvedEnvironmentContext, serviceBacked: boolean): number {
  return serviceBacked && env.slaTarget >= 2 ? 2 : 1;
}

/** Validate a Deployment's props and build all its objects. */
export function buildDeploymentModel(v: PropValidator, env: ResolvedEnvironmentContext, input: DeploymentProps): DeploymentModel {
  const props = deploymentDefaults(env, input);
  const updateType = v.oneOf('updateType', props.updateType ?? 'RollingUpdate', ['RollingUpdate', 'Recreate'] as const);
  if (props.replicas !== undefined) v.integer('replicas', props.replicas, 0, 100000, 'use a whole number of pods from 0 to 100000 (the most pods a cluster runs)');
  if (props.ignoreReplicaCount && props.replicas !== undefined) {
    v.exclusive('ignoreReplicaCount', true, 'replicas', props.replicas, 'with ignoreReplicaCount an autoscaler owns the replica count; remove replicas');
  }
  if (props.maxSurge !== undefined) {
    if (updateType === 'Recreate') v.fail('maxSurge', props.maxSurge, 'maxSurge applies to RollingUpdate only; remove it or use updateType "RollingUpdate"');
    if (!isToken(props.maxSurge) && !INT_OR_PERCENT.test(String(props.maxSurge))) v.fail('maxSurge', props.maxSurge, 'use a whole number of pods (2) or a percentage ("25%")', 'is not a count or percentage');
  }
  if (props.serviceName !== undefined) v.dnsLabel('serviceName', props.serviceName);

  const base = buildWorkloadBase(v, env, { kind: 'Deployment', module: 'kube_deployment', restartPolicy: 'Always' }, props);
  const maxUnavailable = (props.voluntaryDisruptionsEnabled ?? true) ? props.maxUnavailable ?? 1 : 0;
  const maxSurge = props.maxSurge ?? '25%';
  if (updateType === 'RollingUpdate' && maxUnavailable === 0 && /^0%?$/.test(String(maxSurge))) {
    v.fail('maxSurge', maxSurge, 'with maxUnavailable 0 (or voluntary disruptions off) a rollout needs maxSurge above 0, e.g. "25%"', 'would block every rollout');
  }
  const deployment: Named<IDeployment> = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: controllerMetadata(base, props, reloaderAnnotations(env)),
    spec: {
      ...(props.ignoreReplicaCount ? {} : { replicas: props.replicas ?? defaultReplicas(env, base.pod.exposedPorts.length > 0) }),
      selector: { matchLabels: { ...base.pod.matchLabels } },
      strategy:
        updateType === 'RollingUpdate'
          ? {
              type: 'RollingUpdate',
              rollingUpdate: {
                maxSurge: typeof maxSurge === 'string' && /^\d+$/.test(maxSurge) ? Number(maxSurge) : maxSurge,
                maxUnavailable,
              },
            }
          : { type: 'Recreate' },
      template: base.pod.template,
    },
  };
  const exposed = base.pod.exposedPorts;
  const service =
    exposed.length > 0
      ? buildService(
          v,
          {
            namespace: props.namespace,
            name: props.serviceName ?? props.name,
            ports: Object.fromEntries(exposed.map((p) => [p.name, { podPort: p.port, servicePort: p.servicePort, protocol: p.protocol }])),
            matchLabels: base.pod.matchLabels,
            type: props.serviceType,
            serviceIp: props.serviceIp,
            loadBalancerClass: props.serviceLoadBalancerClass,
            publicDomainNames: props.servicePublicDomainNames,
            extraLabels: props.extraServiceLabels,
            extraAnnotations: props.extraServiceAnnotations,
          },
          base.objectLabels,
        )
      : undefined;
  if (!service) {
    const stray = props.serviceName ?? props.serviceType ?? props.serviceIp ?? props.servicePublicDomainNames;
    if (stray !== undefined) v.fail('serviceName/serviceType/serviceIp', stray, 'these configure the Service created for exposed container ports; add a port to a container (ports: { http: { port: 8080 } }) or remove them', 'has no effect');
  }
  const autoscaling = applyHorizontalAutoscaling(v, {
    workload: deployment,
    vpa: vpaWanted(v, env, props.vpaEnabled) ? buildVpa(base, props, { apiVersion: 'apps/v1', kind: 'Deployment' }, 'Auto') : undefined,
    labels: base.objectLabels,
    props,
  });
  return {
    ...base,
    deployment,
    service,
    pdb: buildPdb(base, props),
    vpa: autoscaling.vpa,
    hpa: autoscaling.hpa,
  };
}
