import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { yamlModule } from '../core/lazy';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { vpaWanted } from '../k8s/workload';
import { PodSecurityStandard } from '../k8s/namespace';
import {
  ControllerIdentity, ControllerPlacement, MaintenanceControllerProps, buildControllerPdb, buildControllerVpa,
} from '../k8s/maintenance';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';

/** Construct-level inputs every maintenance controller shares (providers and ordering). */
export interface MaintenanceControllerConstructProps extends MaintenanceControllerProps {
  /** Helm provider for the release. @default - the stack's default helm provider */
  readonly helmProvider?: TerraformProvider;
  /** Kubernetes provider for the namespace, PDB and VPA. @default - the stack's default kubernetes provider */
  readonly kubernetesProvider?: TerraformProvider;
  /** Resources that must exist before the release is installed (e.g. the PriorityClass). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

/** Serialize typed Helm values once, as YAML (long lines are never folded, so tokens stay intact). */
export function toValuesYaml(values: object): string {
  return yamlModule().stringify(values, { lineWidth: 0, minContentWidth: 0 });
}

/** What `installController` emitted. */
export interface InstalledController {
  readonly namespace: KubeNamespace;
  readonly release: Release;
  readonly podDisruptionBudget?: KubeManifest;
  readonly verticalPodAutoscaler?: KubeManifest;
}

/**
 * The pieces every Helm-installed controller shares: its own namespace, a `helm_release`
 * (atomic, cleanup on failure, 5 revisions kept) with the typed values serialized once,
 * and a PDB and VPA for its pods emitted through KubeManifest after the release.
 */
export function installController(
  scope: Construct,
  props: MaintenanceControllerConstructProps,
  spec: {
    identity: ControllerIdentity;
    placement?: ControllerPlacement;
    chart: string;
    chartRepository: string;
    chartVersion: string;
    values: object;
    podSecurityStandard?: PodSecurityStandard;
    /** The PDB's maxUnavailable; undefined = no PDB. */
    pdbMaxUnavailable?: number;
    /** Labels the PDB selects the pods by. @default - placement.matchLabels */
    pdbSelector?: Record<string, string>;
    /**
     * The VPA's target and container floors; undefined = no VPA. `name` and the container names
     * must be the ones the chart renders (its fullname template and container names).
     */
    vpa?: { kind: string; name: string; containers: Array<{ name: string; minimumMemoryMb: number }> };
  },
): InstalledController {
  const kubernetesProvider = props.kubernetesProvider;
  const namespace = new KubeNamespace(scope, 'Namespace', {
    namespace: spec.identity.namespace,
    provider: kubernetesProvider,
    ...(spec.podSecurityStandard ? { podSecurityStandard: spec.podSecurityStandard } : {}),
  });
  const release = new Release(scope, 'Release', {
    name: spec.identity.name,
    namespace: spec.identity.namespace,
    repository: spec.chartRepository,
    chart: spec.chart,
    version: spec.chartVersion,
    values: [toValuesYaml(spec.values)],
    atomic: true,
    cleanupOnFail: true,
    wait: props.wait ?? true,
    forceUpdate: true,
    maxHistory: 5,
    provider: props.helmProvider,
    dependsOn: [namespace.namespace.resource, ...(props.dependsOn ?? [])],
  });
  const after = [namespace.namespace.resource, release];
  let podDisruptionBudget: KubeManifest | undefined;
  let verticalPodAutoscaler: KubeManifest | undefined;
  if (spec.placement && spec.pdbMaxUnavailable !== undefined) {
    podDisruptionBudget = new KubeManifest(scope, 'PodDisruptionBudget', {
      object: buildControllerPdb(spec.identity, spec.placement, spec.pdbMaxUnavailable, spec.pdbSelector ?? spec.placement.matchLabels),
      provider: kubernetesProvider,
      dependsOn: [namespace.namespace.resource],
    });
  }
  if (spec.placement && spec.vpa && vpaWanted(new PropValidator(scope), EnvironmentContext.of(scope), props.vpaEnabled)) {
    verticalPodAutoscaler = new KubeManifest(scope, 'VerticalPodAutoscaler', {
      object: buildControllerVpa(spec.identity, spec.placement, spec.vpa, spec.vpa.containers),
      provider: kubernetesProvider,
      dependsOn: after,
    });
  }
  return { namespace, release, podDisruptionBudget, verticalPodAutoscaler };
}
