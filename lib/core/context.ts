import { IConstruct } from 'constructs';
// The generated description of EnvironmentContextProps (data only; it imports nothing at run time).
import { NAMED_PROP_TYPES } from '../constructs/prop-types.generated';
import { checkPropTypes } from './prop-types';
import { PropValidator } from './validation';
import { CLUSTER_CAPABILITIES, ClusterProfile, NODE_CLASSES, ResolvedClusterCapabilities, resolveClusterProfile } from './cluster-profile';

/**
 * What a construct knows about the environment it is deployed into: the equivalent
 * of Panfactum's `pf_metadata` data source. It is attached to a scope (usually a
 * stack) with `EnvironmentContext.set(stack, {...})` and read by any construct below it
 * with `EnvironmentContext.of(this)`, the way AWS CDK's `Stack.of` works. It is
 * optional: without it the defaults below apply.
 *
 * @group Core
 */
export interface EnvironmentContextProps {
  /**
   * Environment name (production, staging, ...). Becomes the `panfactum.com/environment` label.
   * @default - no environment label
   */
  readonly environment?: string;
  /**
   * Cloud region (us-east-2, ...). Becomes the `panfactum.com/region` label.
   * @default - no region label
   */
  readonly region?: string;
  /**
   * Service-level target, 1 (lowest) to 3 (highest). Drives availability defaults:
   * Deployments prefer zone spread when >= 2 and require instance-type anti-affinity at 3.
   * @default 3 (as Panfactum's pf_metadata)
   */
  readonly slaTarget?: 1 | 2 | 3;
  /**
   * Name of the EKS cluster the workloads run in (used to look up its OIDC issuer).
   * @default - none
   */
  readonly clusterName?: string;
  /**
   * Labels added to every Kubernetes object the library emits under this scope.
   * @default {}
   */
  readonly extraLabels?: Record<string, string>;
  /**
   * Pod Security Standard assumed for a workload's namespace when the app declares no
   * `KubeNamespace` of that name (or its name or level is only known at apply): each workload's
   * pods are checked against it at synth and a pod the namespace would refuse fails synth. Set
   * the level the namespace really enforces (`'privileged'` for node agents in a namespace
   * managed elsewhere, `'restricted'` to be stricter). Set on a stack, or on one workload
   * (`EnvironmentContext.set(deployment, ...)`) for that workload only.
   * @default "baseline" (what the library's KubeNamespace enforces by default)
   */
  readonly assumedPodSecurityStandard?: 'privileged' | 'baseline' | 'restricted';
  /**
   * What the cluster provides (scheduler, add-ons, node classes, storage classes, custom API
   * versions): `'panfactum'` (a Panfactum Stack cluster), `'eks'` (a stock EKS cluster: nothing
   * that is not declared), or `{ base, ...capabilities }` to override capabilities one by one
   * (`{ base: 'eks', vpa: true, ingressNginxClass: 'nginx' }`). Defaults follow it, and a prop
   * that needs an absent capability fails at synth. The nearest scope's profile wins whole.
   * See docs/clusters.md.
   * @default "panfactum"
   */
  readonly clusterProfile?: ClusterProfile;
}

/**
 * The context with every default applied.
 *
 * @group Core
 */
export interface ResolvedEnvironmentContext {
  readonly environment?: string;
  readonly region?: string;
  readonly slaTarget: 1 | 2 | 3;
  readonly clusterName?: string;
  readonly extraLabels: Record<string, string>;
  /** Pod Security Standard assumed for a namespace the app does not declare (undefined: "baseline"). */
  readonly assumedPodSecurityStandard?: 'privileged' | 'baseline' | 'restricted';
  /** The cluster's capabilities (the profile resolved; "panfactum" when none is set). */
  readonly cluster: ResolvedClusterCapabilities;
}

const ATTACHED = new WeakMap<IConstruct, EnvironmentContextProps>();
/** Key under which the context may also be given as CDKTF context (cdktf.json or App({ context })). */
export const ENVIRONMENT_CONTEXT_KEY = 'cdktf-golden-path:environment';

/**
 * The environment a stack deploys to (name, SLA target, region, labels), set once on a scope and read by every construct below it.
 *
 * @group Core
 */
export class EnvironmentContext {
  /** Attach a context to a scope; it applies to every construct below it. Validates the values. */
  public static set(scope: IConstruct, props: EnvironmentContextProps): void {
    const checked = validateContext(scope, props);
    ATTACHED.set(scope, { ...checked });
  }

  /**
   * The context in force at `scope`: the nearest attached one (merged over any outer one
   * and over the CDKTF context key), then the defaults.
   */
  public static of(scope: IConstruct): ResolvedEnvironmentContext {
    const layers: EnvironmentContextProps[] = [];
    const fromAppContext = scope.node.tryGetContext(ENVIRONMENT_CONTEXT_KEY) as EnvironmentContextProps | undefined;
    if (fromAppContext) layers.push(fromAppContext);
    for (const s of scope.node.scopes) {
      const attached = ATTACHED.get(s);
      if (attached) layers.push(attached);
    }
    const merged: EnvironmentContextProps = {};
    let extraLabels: Record<string, string> = {};
    for (const layer of layers) {
      Object.assign(merged, stripUndefined(layer));
      extraLabels = { ...extraLabels, ...(layer.extraLabels ?? {}) };
    }
    return {
      environment: merged.environment,
      region: merged.region,
      slaTarget: merged.slaTarget ?? 3,
      clusterName: merged.clusterName,
      extraLabels,
      assumedPodSecurityStandard: merged.assumedPodSecurityStandard,
      cluster: resolveClusterProfile(merged.clusterProfile),
    };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Check the context; returns it with IResolvable strings encoded (see checkPropTypes). */
function validateContext(scope: IConstruct, input: EnvironmentContextProps): EnvironmentContextProps {
  const v = new PropValidator(scope);
  // Types, unknown keys (a misspelled `clusterNmae`, a `clusterProfile` that does not exist), null.
  const props = checkPropTypes(v, { ref: 'EnvironmentContextProps' }, input, {
    named: NAMED_PROP_TYPES, subject: 'EnvironmentContext', field: 'environmentContext', prefix: 'environmentContext',
  }) ?? {};
  if (props.slaTarget !== undefined) v.integer('environmentContext.slaTarget', props.slaTarget, 1, 3, 'use 1, 2 or 3');
  if (props.environment !== undefined) v.labelValue('environmentContext.environment', props.environment);
  if (props.region !== undefined) v.labelValue('environmentContext.region', props.region);
  if (props.assumedPodSecurityStandard !== undefined) {
    v.knownAtSynth('environmentContext.assumedPodSecurityStandard', props.assumedPodSecurityStandard, 'the pods are checked against it at synth');
    v.oneOf('environmentContext.assumedPodSecurityStandard', props.assumedPodSecurityStandard, ['privileged', 'baseline', 'restricted'] as const);
  }
  v.labels('environmentContext.extraLabels', props.extraLabels);
  if (props.clusterProfile !== undefined) validateClusterProfile(v, props.clusterProfile);
  return props;
}

/** Check a cluster profile beyond its types: names, node classes, no deploy-time tokens. */
function validateClusterProfile(v: PropValidator, profile: ClusterProfile): void {
  const f = 'environmentContext.clusterProfile';
  const why = 'the library\'s defaults and checks follow it at synth';
  if (typeof profile === 'string') {
    v.knownAtSynth(f, profile, why);
    v.oneOf(f, profile, ['panfactum', 'eks'] as const);
    return;
  }
  if (profile.base !== undefined) {
    v.knownAtSynth(`${f}.base`, profile.base, why);
    v.oneOf(`${f}.base`, profile.base, ['panfactum', 'eks'] as const);
  }
  for (const key of CLUSTER_CAPABILITIES) {
    const value = profile[key];
    if (value !== undefined) v.knownAtSynth(`${f}.${key}`, value, why);
  }
  (profile.nodeClasses ?? []).forEach((c, i) => {
    v.knownAtSynth(`${f}.nodeClasses[${i}]`, c, why);
    v.oneOf(`${f}.nodeClasses[${i}]`, c, NODE_CLASSES);
  });
  const names = ['binPackingScheduler', 'storageClass', 'retainedStorageClass', 'certIssuerName', 'ingressNginxClass'] as const;
  for (const key of names) {
    const value = profile[key];
    if (typeof value === 'string') v.dnsSubdomain(`${f}.${key}`, value);
  }
  if (profile.externalSecretsApiVersion !== undefined) {
    v.oneOf(`${f}.externalSecretsApiVersion`, profile.externalSecretsApiVersion, ['external-secrets.io/v1', 'external-secrets.io/v1beta1'] as const);
  }
}
