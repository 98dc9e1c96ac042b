import * as path from 'path';
import { App } from 'cdktf';
import { EnvironmentConfig, RegionConfig, loadEnvironments, resolveEnvironmentSelection } from '../lib/config';
import { ExampleAppStack } from './example-app-stack';

/** Where the example environments live. */
export const ENVIRONMENTS_DIR = path.resolve(__dirname, '..', 'environments');

/**
 * Stack names are stable (they name the state and the `cdktf deploy` argument):
 * `<environment>-<region directory>-app`, e.g. `production-us-east-2-app`.
 */
export function appStackName(env: EnvironmentConfig, region: RegionConfig): string {
  return `${env.name}-${region.name}-app`;
}

export interface BuildAppOptions {
  /** Environments directory. @default ENVIRONMENTS_DIR */
  readonly environmentsDir?: string;
  /** Only these environments. @default - GOLDEN_PATH_ENV or the `env` context, else all */
  readonly only?: readonly string[];
}

/** Add every stack of every selected environment and region to the app. */
export function buildApp(app: App, options: BuildAppOptions = {}): Array<ExampleAppStack> {
  const only = options.only ?? resolveEnvironmentSelection({ envVar: process.env.GOLDEN_PATH_ENV, context: app.node.tryGetContext('env') });
  const stacks: ExampleAppStack[] = [];
  for (const environment of loadEnvironments(options.environmentsDir ?? ENVIRONMENTS_DIR, { only })) {
    for (const region of environment.regions) {
      stacks.push(new ExampleAppStack(app, appStackName(environment, region), { environment, region }));
    }
  }
  return stacks;
}
