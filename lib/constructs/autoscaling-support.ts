import { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import type { IHorizontalPodAutoscaler } from '../k8s/autoscaling';
import type { Named } from '../k8s/types';
import { KubeManifest } from './kube-manifest';

const AUTOSCALED_BY = Symbol.for('cdktf-golden-path/autoscaled-by');

/** Which autoscaler owns a workload's replica count, and the construct path that declared it. */
export interface AutoscalerMark {
  readonly kind: 'HorizontalPodAutoscaler' | 'ScaledObject';
  readonly path: string;
}

/** Record on the workload's manifest that an autoscaler owns its replica count. */
export function markAutoscaled(workload: KubeManifest, mark: AutoscalerMark): void {
  Object.defineProperty(workload, AUTOSCALED_BY, { value: mark, enumerable: false, configurable: true, writable: false });
}

/** The autoscaler that owns this workload's replica count, if any. */
export function autoscalerOf(workload: KubeManifest): AutoscalerMark | undefined {
  return (workload as unknown as Record<symbol, AutoscalerMark | undefined>)[AUTOSCALED_BY];
}

/**
 * Emit a workload's HorizontalPodAutoscaler (from `buildHorizontalAutoscaler` /
 * `applyHorizontalAutoscaling`) as a KubeManifest with id `HorizontalPodAutoscaler`,
 * applied after the workload, and mark the workload so that a KubeScaledObject on it is
 * refused. Use from any controller construct:
 *
 *   if (model.hpa) this.horizontalPodAutoscaler = emitHorizontalAutoscaler(this, this.statefulSet, model.hpa, { provider, dependsOn: after });
 */
export function emitHorizontalAutoscaler(
  scope: Construct,
  workload: KubeManifest,
  hpa: Named<IHorizontalPodAutoscaler>,
  options: { readonly provider?: TerraformProvider; readonly dependsOn?: ITerraformDependable[] } = {},
): KubeManifest {
  const manifest = new KubeManifest(scope, 'HorizontalPodAutoscaler', {
    object: hpa,
    provider: options.provider,
    dependsOn: [...(options.dependsOn ?? []), workload.resource],
  });
  markAutoscaled(workload, { kind: 'HorizontalPodAutoscaler', path: manifest.node.path });
  return manifest;
}
