import { Construct } from 'constructs';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeSaAuthAws } from '../lib/constructs/kube-sa-auth-aws';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeJob } from '../lib/constructs/kube-job';
import { KubeDaemonSet } from '../lib/constructs/kube-daemon-set';
import { KubeService } from '../lib/constructs/kube-service';
import { KubeIngress } from '../lib/constructs/kube-ingress';

/** A construct class that takes (scope, id, props). */
export type ConstructClass = new (scope: Construct, id: string, props: any) => Construct;

/** How one Panfactum module maps onto a construct. */
export interface ModuleEntry {
  /** The construct the module becomes. Its props type is read by gen-prop-shapes.ts. */
  readonly construct: ConstructClass;
  /**
   * Creation order within a stack (lower first). Namespaces come first so that a workload
   * whose `namespace` input names a namespace module of the same region gets the
   * KubeNamespace construct itself (and so depends on it).
   */
  readonly order: number;
  /** The construct's `namespace` prop also accepts a KubeNamespace (workloads). @default false */
  readonly namespaceRef?: boolean;
}

/**
 * Panfactum module name -> construct. ONE line per module; after adding one, run
 * `npx tsx terragrunt-compat/gen-prop-shapes.ts` to regenerate the allowed props.
 */
export const PANFACTUM_MODULES = {
  kube_namespace: { construct: KubeNamespace, order: 0 },
  kube_sa_auth_aws: { construct: KubeSaAuthAws, order: 1 },
  kube_deployment: { construct: KubeDeployment, order: 2, namespaceRef: true },
  kube_stateful_set: { construct: KubeStatefulSet, order: 2, namespaceRef: true },
  kube_daemon_set: { construct: KubeDaemonSet, order: 2, namespaceRef: true },
  kube_cron_job: { construct: KubeCronJob, order: 2, namespaceRef: true },
  kube_job: { construct: KubeJob, order: 2, namespaceRef: true },
  kube_service: { construct: KubeService, order: 2, namespaceRef: true },
  kube_ingress: { construct: KubeIngress, order: 3, namespaceRef: true },
} satisfies Record<string, ModuleEntry>;

/** A Panfactum module name terragrunt-compat can build. */
export type PanfactumModuleName = keyof typeof PANFACTUM_MODULES;

/** True when `name` is a module terragrunt-compat can build. */
export function isSupportedModule(name: string): name is PanfactumModuleName {
  return Object.prototype.hasOwnProperty.call(PANFACTUM_MODULES, name);
}
