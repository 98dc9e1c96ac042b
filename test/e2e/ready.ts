/**
 * Exit 0 when everything `npm run e2e` needs is built (CLIs, providers, control plane, moto);
 * otherwise name what is missing and exit 1. Used by .ci/run to decide whether the tier runs.
 */
import { CLI_NAMES, findCli } from '../support/terraform-cli';
import { findControlPlaneBinary } from './control-plane';
import { findMoto } from './moto';
import { findProviders } from './providers';

const missing: string[] = [];
for (const name of CLI_NAMES) if (!findCli(name)) missing.push(name);
missing.push(...findProviders().missing.map((t) => `the ${t} provider`));
if (!findControlPlaneBinary()) missing.push('the control plane (kube-apiserver)');
if (!findMoto()) missing.push('moto');
if (missing.length > 0) {
  console.log(`e2e prerequisites missing: ${missing.join(', ')}`);
  process.exit(1);
}
console.log('e2e prerequisites: all built');
