/**
 * The synthesis corpus: CDKTF stacks that use every public construct of the library with its
 * richest options, so that real Terraform / OpenTofu (`init`, `validate`, `plan` against a
 * cluster) can judge the Terraform JSON the library emits. Unit tests check the shape of each
 * object; the corpus is where the whole output meets the real tools.
 *
 * Every stack declares its own providers by deep import (`stack.ts`: Kubernetes always, AWS
 * with an aliased us-east-1 provider where CloudFront needs it, Helm for the maintenance
 * controllers), sets an EnvironmentContext, and only uses props the library accepts today (the
 * corpus synthesizes with validation on). `test/corpus.test.ts` synthesizes it and asserts that
 * each stack contains what it is meant to exercise.
 *
 * Stacks (one file each; what each covers is in the builder's doc comment):
 * - `corpus-workloads`      every controller, standalone Services, config and secrets, KEDA
 * - `corpus-platform`       priority classes, node image cache, Argo workflow template, network policies
 * - `corpus-edge`           KubeIngress (CDN mode and plain), WAF, two KubeAwsCdn distributions
 * - `corpus-irsa`           KubeSaAuthAws in every issuer form, workloads with awsIamPolicy
 * - `corpus-maintenance`    the six maintenance controllers (Helm) and their PriorityClasses
 * - `corpus-escape-hatches` variables as tokens, raw KubeManifest, addOverride, dependsOn, outputs
 * - `corpus-job-escaping`   a Job with literal `${`/`%{` text (isolated: see its doc comment)
 *
 * To add a stack: write `test/corpus/<topic>.ts` exporting its name constant and a
 * `build<Topic>Stack(app: App): TerraformStack` that starts with `corpusStack(app, NAME, {...})`
 * (name lowercase-with-dashes, prefixed `corpus-`, Kubernetes object names unique across the
 * corpus), add it to BUILDERS below, and add a `describe` block to test/corpus.test.ts asserting
 * the resource types and the settings the stack is there to exercise. Keep options valid: an
 * option the library refuses belongs in a bug report, not in the corpus.
 */
import { App, TerraformStack } from 'cdktf';
import { buildEdgeStack } from './edge';
import { buildEscapeHatchesStack } from './escape-hatches';
import { buildIrsaStack } from './irsa';
import { buildJobEscapingStack } from './job-escaping';
import { buildMaintenanceStack } from './maintenance';
import { buildPlatformStack } from './platform';
import { buildWorkloadsStack } from './workloads';

export { WORKLOADS_STACK } from './workloads';
export { PLATFORM_STACK } from './platform';
export { EDGE_STACK } from './edge';
export { IRSA_STACK } from './irsa';
export { MAINTENANCE_STACK } from './maintenance';
export { ESCAPE_HATCHES_STACK } from './escape-hatches';
export { JOB_ESCAPING_STACK } from './job-escaping';

/** The stack builders, in the order the stacks are added. */
const BUILDERS: ReadonlyArray<(app: App) => TerraformStack> = [
  buildWorkloadsStack,
  buildPlatformStack,
  buildEdgeStack,
  buildIrsaStack,
  buildMaintenanceStack,
  buildEscapeHatchesStack,
  buildJobEscapingStack,
];

/** Add every corpus stack to `app` and return them (call `app.synth()` to write them). */
export function buildCorpusApp(app: App): TerraformStack[] {
  return BUILDERS.map((build) => build(app));
}
