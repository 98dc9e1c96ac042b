import * as path from 'path';
import { App } from 'cdktf';
import { EnvironmentConfig, RegionConfig, loadEnvironments, resolveEnvironmentSelection } from '../lib/config';
import { ExampleAppStack } from './example-app-stack';
import { ClusterMaintenanceStack } from './maintenance-stack';
import { GoldenPathAuditOptions, enableAudit } from '../lib/audit';
import { EXAMPLE_AUDIT_WAIVERS } from './audit-waivers';

/** Where the example environments live. */
export const ENVIRONMENTS_DIR = path.resolve(__dirname, '..', 'environments');

/**
 * Stack names are stable (they name the state and the `cdktf deploy` argument):
 * `<environment>-<region directory>-app`, e.g. `production-us-east-2-app`.
 */
export function appStackName(env: EnvironmentConfig, region: RegionConfig): string {
  return `${env.name}-${region.name}-app`;
}

/** `<environment>-<region directory>-maintenance`: the cluster maintenance controllers of that region. */
export function maintenanceStackName(env: EnvironmentConfig, region: RegionConfig): string {
  return `${env.name}-${region.name}-maintenance`;
}

export interface BuildAppOptions {
  /** Environments directory. @default ENVIRONMENTS_DIR */
  readonly environmentsDir?: string;
  /** Only these environments. @default - GOLDEN_PATH_ENV or the `env` context, else all */
  readonly only?: readonly string[];
  /**
   * The golden-path audit run over every stack at synth (errors fail synth; reports in
   * the outdir: audit.json, audit.sarif). `false` turns it off.
   * @default - on, in strict mode (warnings fail synth too), with EXAMPLE_AUDIT_WAIVERS, the table printed on the console
   */
  readonly audit?: GoldenPathAuditOptions | false;
}

/** Every stack `buildStacks` added, by role (same order: one per environment and region). */
export interface BuiltStacks {
  readonly appStacks: ExampleAppStack[];
  readonly maintenanceStacks: ClusterMaintenanceStack[];
}

/**
 * Add every stack of every selected environment and region to the app: the cluster
 * maintenance stack and the app stack, which depends on it so `cdktf deploy` installs the
 * controllers first.
 */
export function buildStacks(app: App, options: BuildAppOptions = {}): BuiltStacks {
  const only = options.only ?? resolveEnvironmentSelection({ envVar: process.env.GOLDEN_PATH_ENV, context: app.node.tryGetContext('env') });
  const appStacks: ExampleAppStack[] = [];
  const maintenanceStacks: ClusterMaintenanceStack[] = [];
  for (const environment of loadEnvironments(options.environmentsDir ?? ENVIRONMENTS_DIR, { only })) {
    for (const region of environment.regions) {
      const maintenance = new ClusterMaintenanceStack(app, maintenanceStackName(environment, region), { environment, region });
      const appStack = new ExampleAppStack(app, appStackName(environment, region), { environment, region });
      appStack.addDependency(maintenance);
      maintenanceStacks.push(maintenance);
      appStacks.push(appStack);
    }
  }
  if (options.audit !== false && appStacks.length > 0) enableAudit(app, { strict: true, waivers: EXAMPLE_AUDIT_WAIVERS, ...(options.audit ?? {}) });
  return { appStacks, maintenanceStacks };
}

/** Add every stack (see buildStacks); returns the app stacks, as before. */
export function buildApp(app: App, options: BuildAppOptions = {}): Array<ExampleAppStack> {
  return buildStacks(app, options).appStacks;
}
