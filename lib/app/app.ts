import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentConfig, RegionConfig, ENVIRONMENT_SELECTION_CONTEXT_KEY, ENVIRONMENT_SELECTION_ENV_VAR, loadEnvironments, resolveEnvironmentSelection } from '../config/loader';
import { GoldenPathAuditOptions, enableAudit, resolveAuditLogLevel } from '../audit/aspect';
import type { AuditResult } from '../audit/engine';
import type { Severity } from '../audit/model';
import { AdoptSetting, adopt } from './adopt';
import { EnvironmentStackProps } from './environment-stack';
import { formatSummary, summarizeSynth } from './summary';
import { StackRequirements, writeSynthRequirements } from './requirements';

/**
 * The name of a stack of an environment and region: `<environment>-<region directory>-<role>`,
 * e.g. `production-us-east-2-app`. Stack names name the Terraform state and the
 * `cdktf deploy` argument, so they must stay stable.
 *
 * @group App
 */
export function environmentStackName(environment: EnvironmentConfig, region: RegionConfig, role: string): string {
  return `${environment.name}-${region.name}-${role}`;
}

/**
 * What the `stacks` hook of {@link buildEnvironmentApp} receives for each environment and
 * region. It is also a valid {@link EnvironmentStackProps}.
 *
 * @group App
 */
export interface EnvironmentStackContext extends EnvironmentStackProps {
  /** `<environment>-<region directory>-<role>` (see {@link environmentStackName}). */
  stackName(role: string): string;
}

/**
 * Creates the consumer's stacks of one environment and region in `scope` (the app) and returns
 * them. Stacks usually extend {@link EnvironmentStack}, which configures the providers and the
 * backend; dependencies between them (`addDependency`) are set here.
 *
 * @group App
 */
export type EnvironmentStacksHook = (scope: Construct, context: EnvironmentStackContext) => readonly TerraformStack[];

/**
 * Options of {@link buildEnvironmentApp}.
 *
 * @group App
 */
export interface EnvironmentAppProps {
  /** The `environments/` directory (one sub-directory per environment, one per region below it). */
  readonly environmentsDir: string;
  /**
   * Only these environments.
   * @default - the GOLDEN_PATH_ENV environment variable or the `env` context (`cdktf synth --context env=production`), else every environment
   */
  readonly only?: readonly string[];
  /**
   * The golden-path audit over every stack at synth (errors fail synth; audit.json and
   * audit.sarif in the outdir); `false` turns it off. `log: false` keeps the console table out
   * while the results are still collected for {@link EnvironmentApp.summary}.
   * @default - on, with the audit's defaults
   */
  readonly audit?: GoldenPathAuditOptions | false;
  /**
   * Adopt what already runs: the resources of every stack get Terraform `import` blocks where
   * their id is known at synth ({@link adopt}, docs/migration.md). `adopt_existing: true` in the
   * environments tree does the same for the stacks of that environment or region (with the
   * `only` and `ids` given here, if any).
   * @default false (unless a region sets adopt_existing)
   */
  readonly adopt?: AdoptSetting;
  /** Creates the stacks of each selected environment and region. */
  readonly stacks: EnvironmentStacksHook;
}

/**
 * The stacks {@link buildEnvironmentApp} created for one environment and region.
 *
 * @group App
 */
export interface EnvironmentRegionStacks {
  /** The environment. */
  readonly environment: EnvironmentConfig;
  /** The region. */
  readonly region: RegionConfig;
  /** What the hook returned, in its order. */
  readonly stacks: readonly TerraformStack[];
}

/**
 * The result of {@link buildEnvironmentApp}: the stacks it created and, after `app.synth()`,
 * a summary of the synthesized stacks with their audit counts.
 *
 * @group App
 */
export interface EnvironmentApp {
  /** Every environment and region, in the order they were built. */
  readonly regions: readonly EnvironmentRegionStacks[];
  /** Every stack, in the order they were built. */
  readonly stacks: readonly TerraformStack[];
  /** Each stack's audit result, by stack name (filled at synth; empty when the audit is off). */
  readonly audits: ReadonlyMap<string, AuditResult>;
  /**
   * After `app.synth()`: one line per synthesized stack (resources, the most common types, the
   * audit counts, the CRDs it needs from its cluster) and the audit findings at or above `level`.
   * @param level the lowest severity listed; defaults to the GOLDEN_PATH_LOG environment variable, else 'warn'
   */
  summary(level?: Severity): string;
  /**
   * After `app.synth()`: write each stack's cluster requirements (CRDs, Helm releases,
   * capabilities) to `<outdir>/stacks/<stack>/requirements.json`, where
   * `npx cdktf-golden-path preflight` reads them, and return them.
   */
  writeRequirements(): StackRequirements[];
}

/**
 * Build the per-environment app from an `environments/` tree: load the selected environments,
 * call the `stacks` hook for every environment and region (in directory order), and enable the
 * golden-path audit on the app. The consumer's stacks configure their providers and backend by
 * extending {@link EnvironmentStack}.
 *
 * @example
 * const app = new App();
 * const built = buildEnvironmentApp(app, {
 *   environmentsDir: path.join(__dirname, 'environments'),
 *   stacks: (scope, ctx) => [new ShopStack(scope, ctx.stackName('shop'), ctx)],
 * });
 * app.synth();
 * built.writeRequirements();
 * console.log(built.summary());
 *
 * @group App
 */
export function buildEnvironmentApp(app: Construct, props: EnvironmentAppProps): EnvironmentApp {
  const only = props.only ?? resolveEnvironmentSelection({ envVar: process.env[ENVIRONMENT_SELECTION_ENV_VAR], context: app.node.tryGetContext(ENVIRONMENT_SELECTION_CONTEXT_KEY) });
  const regions: EnvironmentRegionStacks[] = [];
  const stacks: TerraformStack[] = [];
  for (const environment of loadEnvironments(props.environmentsDir, { only })) {
    for (const region of environment.regions) {
      const context: EnvironmentStackContext = { environment, region, stackName: (role) => environmentStackName(environment, region, role) };
      const created = [...props.stacks(app, context)];
      const adoption = props.adopt !== undefined && props.adopt !== false ? props.adopt : region.adoptExisting ? true : undefined;
      if (adoption !== undefined) for (const stack of created) adopt(stack, adoption);
      regions.push({ environment, region, stacks: created });
      stacks.push(...created);
    }
  }
  const audits = new Map<string, AuditResult>();
  if (props.audit !== false && stacks.length > 0) {
    const log = props.audit?.log;
    enableAudit(app, {
      ...props.audit,
      log: (text, result) => {
        audits.set(result.stack, result);
        if (log === undefined) console.log(text);
        else if (log) log(text, result);
      },
    });
  }
  const outdir = (): string => {
    const dir = (app.node.root as Construct & { outdir?: string }).outdir;
    if (!dir) throw new Error('buildEnvironmentApp: summary() needs a cdktf App (with an outdir) as the root of the scope');
    return dir;
  };
  return {
    regions,
    stacks,
    audits,
    summary: (level?: Severity) => formatSummary(summarizeSynth(outdir()), { audits, level: level ?? resolveAuditLogLevel(), requirements: true }),
    writeRequirements: () => writeSynthRequirements(outdir()),
  };
}
