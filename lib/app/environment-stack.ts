import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import type { EnvironmentConfig, RegionConfig } from '../config/loader';
import { StackProviders, configureBackend, configureProviders } from './providers';

/**
 * Props of an {@link EnvironmentStack}: the environment and region it belongs to. The
 * context {@link buildEnvironmentApp} hands its `stacks` hook has both, so it can be passed
 * as the props directly.
 *
 * @group App
 */
export interface EnvironmentStackProps {
  /** The environment (from the `environments/` tree). */
  readonly environment: EnvironmentConfig;
  /** The region of that environment the stack deploys to. */
  readonly region: RegionConfig;
}

/**
 * A Terraform stack of one environment and region, the base class of an app's stacks. On
 * construction it sets the {@link EnvironmentContext} (environment, region, SLA target,
 * cluster name) for every construct below it, configures the state backend
 * ({@link configureBackend}, keyed by the stack's id) and the AWS, us-east-1, Kubernetes and
 * Helm providers ({@link configureProviders}), available as `this.providers`.
 *
 * @group App
 */
export class EnvironmentStack extends TerraformStack {
  /** The environment of this stack. */
  public readonly environment: EnvironmentConfig;
  /** The region of this stack. */
  public readonly region: RegionConfig;
  /** The providers configured for the region. */
  public readonly providers: StackProviders;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id);
    checkStackProps(this, props);
    const { environment, region } = props;
    this.environment = environment;
    this.region = region;
    EnvironmentContext.set(this, {
      environment: environment.name,
      region: region.awsRegion,
      slaTarget: region.slaTarget,
      clusterName: region.kubeClusterName,
      ...(region.clusterProfile ? { clusterProfile: region.clusterProfile } : {}),
    });
    configureBackend(this, id, region);
    this.providers = configureProviders(this, environment, region);
  }
}

/**
 * The props come from the environments loader (through the `stacks` hook's context, which also
 * carries `stackName`), not from literals, so only their shape is checked here: an environment
 * and a region as the loader returns them. Anything else is a ValidationError, not a TypeError.
 */
function checkStackProps(scope: Construct, props: EnvironmentStackProps): void {
  const v = new PropValidator(scope);
  const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const fix = 'pass the context the buildEnvironmentApp `stacks` hook receives (it has `environment` and `region` from loadEnvironments)';
  if (!isObject(props)) v.fail('props', props, fix, 'is not an object');
  if (!isObject(props.environment) || typeof props.environment.name !== 'string') v.fail('environment', props.environment, fix, 'is not an environment from loadEnvironments');
  if (!isObject(props.region) || typeof props.region.awsRegion !== 'string') v.fail('region', props.region, fix, 'is not a region from loadEnvironments');
}
