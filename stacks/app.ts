import * as path from 'path';
import { App } from 'cdktf';
import { EnvironmentApp, EnvironmentConfig, GoldenPathAuditOptions, RegionConfig, buildEnvironmentApp, environmentStackName } from '../lib';
import { ExampleAppStack } from './example-app-stack';
import { ClusterMaintenanceStack } from './maintenance-stack';
import { EXAMPLE_AUDIT_WAIVERS } from './audit-waivers';

/** Where the example environments live. */
export const ENVIRONMENTS_DIR = path.resolve(__dirname, '..', 'environments');

/**
 * Stack names are stable (they name the state and the `cdktf deploy` argument):
 * `<environment>-<region directory>-app`, e.g. `production-us-east-2-app`.
 */
export function appStackName(env: EnvironmentConfig, region: RegionConfig): string {
  return environmentStackName(env, region, 'app');
}

/** `<environment>-<region directory>-maintenance`: the cluster maintenance controllers of that region. */
export function maintenanceStackName(env: EnvironmentConfig, region: RegionConfig): string {
  return environmentStackName(env, region, 'maintenance');
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
  /** What buildEnvironmentApp returned (every stack, the audit results, the synth summary). */
  readonly environmentApp: EnvironmentApp;
}

/**
 * Add every stack of every selected environment and region to the app, through the
 * library's buildEnvironmentApp: the cluster maintenance stack and the app stack, which
 * depends on it so `cdktf deploy` installs the controllers first.
 */
export function buildStacks(app: App, options: BuildAppOptions = {}): BuiltStacks {
  const appStacks: ExampleAppStack[] = [];
  const maintenanceStacks: ClusterMaintenanceStack[] = [];
  const environmentApp = buildEnvironmentApp(app, {
    environmentsDir: options.environmentsDir ?? ENVIRONMENTS_DIR,
    only: options.only,
    audit: options.audit === false ? false : { strict: true, waivers: EXAMPLE_AUDIT_WAIVERS, ...options.audit },
    stacks: (scope, context) => {
      const maintenance = new ClusterMaintenanceStack(scope, context.stackName('maintenance'), context);
      const appStack = new ExampleAppStack(scope, context.stackName('app'), context);
      appStack.addDependency(maintenance);
      maintenanceStacks.push(maintenance);
      appStacks.push(appStack);
      return [maintenance, appStack];
    },
  });
  return { appStacks, maintenanceStacks, environmentApp };
}

/** Add every stack (see buildStacks); returns the app stacks, as before. */
export function buildApp(app: App, options: BuildAppOptions = {}): Array<ExampleAppStack> {
  return buildStacks(app, options).appStacks;
}
