import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { keyPath } from '../core/paths';
import { PANFACTUM_PRIORITY_CLASSES, PriorityClassSpec, buildPriorityClasses } from '../k8s/priority-class';
import { KubeManifest } from './kube-manifest';
import { checkConstructProps } from './construct-props';

/**
 * Props of KubePriorityClasses.
 *
 * @group Workloads
 */
export interface KubePriorityClassesProps {
  /** More classes, keyed by name (not "system-*"; value at most 999999999). @default {} */
  readonly priorityClasses?: Record<string, PriorityClassSpec>;
  /**
   * Create the Panfactum classes cluster-important (100000000) and workload-important
   * (10000000). Turn off when the cluster already has them.
   * @default true
   */
  readonly panfactumClassesEnabled?: boolean;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * Cluster-wide PriorityClasses (seed 000; Panfactum's kube_policies /
 * kube_priority_classes): pods of a higher class preempt pods of a lower one when the
 * cluster is full. Creates cluster-important (100000000: losing the pod degrades the
 * cluster) and workload-important (10000000: disrupting it degrades a workload), between
 * the system classes (2000000000+) and the default (0), plus the classes you add.
 *
 * @example
 * new KubePriorityClasses(stack, 'priorities', { priorityClasses: { 'batch-low': { value: -10, preemptionPolicy: 'Never' } } });
 * // a workload: priorityClassName: PriorityClassNames.workloadImportant
 *
 * @group Workloads
 */
export class KubePriorityClasses extends Construct {
  /** Names of the classes created. */
  public readonly priorityClassNames: string[];
  /** The emitted PriorityClasses by name (escape hatch: `.object`, `.resource`). */
  public readonly priorityClasses: Record<string, KubeManifest>;

  constructor(scope: Construct, id: string, props: KubePriorityClassesProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubePriorityClasses', props);
    const v = new PropValidator(this);
    const extra = props.priorityClasses ?? {};
    // A boolean token would be read as true (found by the fuzz suite).
    const panfactum = v.knownAtSynth('panfactumClassesEnabled', props.panfactumClassesEnabled ?? true, 'it decides which PriorityClass objects are emitted');
    const builtIn = panfactum ? PANFACTUM_PRIORITY_CLASSES : {};
    for (const name of Object.keys(extra)) {
      if (name in builtIn) v.fail(keyPath('priorityClasses', name), name, `${name} is created by default with value ${builtIn[name].value}; choose another name, or set panfactumClassesEnabled: false to define it yourself`, 'is already defined');
    }
    const objects = buildPriorityClasses(v, { ...builtIn, ...extra }, moduleLabels(EnvironmentContext.of(this), 'kube_priority_classes'));
    this.priorityClasses = {};
    for (const object of objects) {
      this.priorityClasses[object.metadata.name] = new KubeManifest(this, `PriorityClass-${object.metadata.name}`, { object, provider: props.provider });
    }
    this.priorityClassNames = objects.map((o) => o.metadata.name);
  }
}
