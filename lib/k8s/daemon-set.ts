import { ResolvedEnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { WorkloadBase, WorkloadProps, controllerMetadata, buildMinAvailablePdb, buildVpa, buildWorkloadBase, reloaderAnnotations, vpaWanted } from './workload';
import { hasNodeClass } from './scheduling';
import type { IDaemonSet, IPodDisruptionBudget, IVerticalPodAutoscaler, Named } from './types';

/** Scheduling props that make no sense for one-pod-per-node workloads (Panfactum hard-wires them off). */
export const DAEMON_SET_FIXED_PROPS = [
  'hostAntiAffinityRequired',
  'instanceTypeAntiAffinityRequired',
  'azAntiAffinityRequired',
  'azSpreadPreferred',
  'azSpreadRequired',
  'controllerNodesRequired',
  'nodePreferences',
  'panfactumSchedulerEnabled',
  'podAffinityMatchLabels',
] as const;

/**
 * Inputs of a DaemonSet (Panfactum's kube_daemon_set): one pod on every tolerated node.
 *
 * @group Workloads
 */
export interface DaemonSetProps
  extends Omit<WorkloadProps, 'maxUnavailable' | 'voluntaryDisruptionsEnabled' | (typeof DAEMON_SET_FIXED_PROPS)[number]> {
  /** Roll pods on spec changes, or replace them only when deleted by hand. @default "RollingUpdate" */
  readonly updateType?: 'RollingUpdate' | 'OnDelete';
  /** Nodes whose pod may be down at once during a rolling update (count or percentage). @default "34%" */
  readonly maxUnavailable?: number | string;
  /** Nodes that may run the new pod beside the old one during a rolling update (count or percentage; not both it and maxUnavailable 0; pods with host ports cannot surge). @default 0 */
  readonly maxSurge?: number | string;
  /** Seconds a new pod must be ready before it counts as available. @default 5 */
  readonly minReadySeconds?: number;
  /**
   * Pods that must stay up during voluntary disruptions (the PDB's minAvailable). DaemonSets
   * have no scale subresource, so the PDB cannot use maxUnavailable.
   * @default 0
   */
  readonly minAvailable?: number | string;
  /**
   * Pod priority class. DaemonSet pods run node agents (log shippers, CNI helpers) that must
   * not be preempted by workloads.
   * @default "system-node-critical"
   */
  readonly priorityClassName?: string;
  /** Tolerate (and prefer) the EKS-managed controller nodes: agents usually must run there too. @default - true when the cluster profile declares the node class "controller" (panfactum: yes; eks: no) */
  readonly controllerNodesEnabled?: boolean;
}

/** The objects of a DaemonSet workload (no Service: reach node agents through the node or host ports). */
export interface DaemonSetModel extends WorkloadBase {
  readonly daemonSet: Named<IDaemonSet>;
  readonly pdb: Named<IPodDisruptionBudget>;
  readonly vpa?: Named<IVerticalPodAutoscaler>;
}

const INT_OR_PERCENT = /^(\d+|\d+%)$/;

function intOrPercent(v: PropValidator, field: string, value: number | string): number | string {
  if (isToken(value)) return value;
  if (!INT_OR_PERCENT.test(String(value))) v.fail(field, value, 'use a whole number of pods (1) or a percentage ("34%")', 'is not a count or percentage');
  if (typeof value === 'string' && value.endsWith('%') && Number(value.slice(0, -1)) > 100) v.fail(field, value, 'use a percentage from 0% to 100%', 'is out of range');
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

const isZero = (value: number | string) => !isToken(value) && /^0%?$/.test(String(value));

/** Validate a DaemonSet's props and build its objects. */
export function buildDaemonSetModel(v: PropValidator, env: ResolvedEnvironmentContext, input: DaemonSetProps): DaemonSetModel {
  const raw = input as DaemonSetProps & Record<string, unknown>;
  for (const key of DAEMON_SET_FIXED_PROPS) {
    if (raw[key] !== undefined) {
      v.fail(
        key,
        raw[key],
        key === 'panfactumSchedulerEnabled'
          ? 'DaemonSet pods are bound to their node by the DaemonSet controller and always use the default scheduler; remove it'
          : 'a DaemonSet runs one pod per node, so anti-affinity, zone spread and node preferences do not apply; remove it (use nodeRequirements to choose nodes)',
        'is not supported for DaemonSets',
      );
    }
  }
  const updateType = v.oneOf('updateType', input.updateType ?? 'RollingUpdate', ['RollingUpdate', 'OnDelete'] as const);
  const maxUnavailable = intOrPercent(v, 'maxUnavailable', input.maxUnavailable ?? '34%');
  const maxSurge = intOrPercent(v, 'maxSurge', input.maxSurge ?? 0);
  if (updateType === 'OnDelete' && (input.maxUnavailable !== undefined || input.maxSurge !== undefined)) {
    v.fail('maxUnavailable/maxSurge', { maxUnavailable: input.maxUnavailable, maxSurge: input.maxSurge }, 'these apply to RollingUpdate only; remove them or use updateType "RollingUpdate"', 'has no effect');
  }
  if (updateType === 'RollingUpdate' && isZero(maxUnavailable) && isZero(maxSurge)) {
    v.fail('maxUnavailable', input.maxUnavailable, 'maxUnavailable and maxSurge cannot both be 0 (no rollout could progress); set one above 0', 'would block every rollout');
  }
  const minAvailable = intOrPercent(v, 'minAvailable', input.minAvailable ?? 0);
  const minReadySeconds = v.integer('minReadySeconds', input.minReadySeconds ?? 5, 0, 2147483647, 'use whole seconds, 0 or more');

  const props: WorkloadProps = {
    ...(input as Omit<DaemonSetProps, 'maxUnavailable' | 'maxSurge'>),
    maxUnavailable: undefined,
    priorityClassName: input.priorityClassName ?? 'system-node-critical',
    controllerNodesEnabled: input.controllerNodesEnabled ?? hasNodeClass(env.cluster, 'controller'),
    burstableNodesEnabled: input.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    hostAntiAffinityRequired: false,
    instanceTypeAntiAffinityRequired: false,
    panfactumSchedulerEnabled: false,
  };
  const base = buildWorkloadBase(v, env, { kind: 'DaemonSet', module: 'kube_daemon_set', restartPolicy: 'Always' }, props);
  const daemonSet: Named<IDaemonSet> = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: controllerMetadata(base, props, reloaderAnnotations(env)),
    spec: {
      minReadySeconds,
      updateStrategy: updateType === 'RollingUpdate' ? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable, maxSurge } } : { type: 'OnDelete' },
      selector: { matchLabels: { ...base.pod.matchLabels } },
      template: base.pod.template,
    },
  };
  return {
    ...base,
    daemonSet,
    pdb: buildMinAvailablePdb(base, props, minAvailable),
    vpa: vpaWanted(v, env, props.vpaEnabled) ? buildVpa(base, props, { apiVersion: 'apps/v1', kind: 'DaemonSet' }, 'Auto') : undefined,
  };
}
