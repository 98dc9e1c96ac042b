import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { ValidationError } from '../core/errors';
import { isListToken, isToken } from '../core/validation';
import type { ContainerProps } from '../k8s/container';
import type { PodSecurityStandard } from '../k8s/namespace';
import {
  BASELINE_ADDABLE_CAPABILITIES, POD_SECURITY_CONTROL_TITLES, PodSecurityViolation, PodTemplateView, RESTRICTED_ADDABLE_CAPABILITIES, evaluatePodSecurity, isAtLeastAsStrict, podTemplatesOf,
} from '../k8s/pod-security';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';

/**
 * Pod Security at synth: every construct that emits a pod template (the controllers and
 * KubeWorkflowTemplate, through emitWorkloadSupport) checks its pods against the Pod Security
 * Standard its namespace enforces, so a pod the admission would refuse at deploy fails synth
 * with the prop to change instead.
 *
 * The check is a validation (`node.addValidation`): it runs at synth, after the whole app is
 * built, so it sees a KubeNamespace declared after the workload and edits of the emitted object
 * (`deployment.object`). Overrides written with `addOverride` are not seen here; the audit
 * (GP-SEC-001, restricted) reads those.
 *
 * The level: the workload's `namespace` when it is a KubeNamespace; else a KubeNamespace of that
 * name in the same app (one in the same stack first, then one whose EnvironmentContext
 * environment and region match the workload's; among equals the least strict level, so the check
 * never refuses what one of them admits); else (no such namespace, or its name or level is a
 * deploy-time token) EnvironmentContext `assumedPodSecurityStandard`, "baseline" by default.
 */

/** The level a workload's namespace enforces, and where it comes from. */
export interface EnforcedLevel {
  readonly level: PodSecurityStandard;
  /** The KubeNamespace it was read from; undefined when it is the assumed level. */
  readonly namespace?: KubeNamespace;
  /** The namespace name, when known at synth. */
  readonly namespaceName?: string;
  /** Why the level is assumed: no KubeNamespace of that name, or its name or level is a deploy-time token. */
  readonly assumedBecause?: 'undeclared' | 'unknown';
}

/** Props the check reads to name the prop behind a forbidden field (the workload's own props). */
interface CheckedProps {
  readonly containers?: readonly ContainerProps[];
  readonly templates?: ReadonlyArray<{ readonly containers?: readonly ContainerProps[] }>;
  readonly hostNetwork?: boolean;
}

/** Add the Pod Security check to a workload construct (see the file comment). */
export function addPodSecurityCheck(scope: Construct, namespace: string | KubeNamespace, props: object): void {
  scope.node.addValidation({
    validate: () => {
      checkPodSecurity(scope, namespace, props as CheckedProps);
      return [];
    },
  });
}

/** The Pod Security Standard enforced on the namespace of a workload at `scope`. */
export function enforcedLevel(scope: IConstruct, namespace: string | KubeNamespace): EnforcedLevel {
  const assumed: PodSecurityStandard = EnvironmentContext.of(scope).assumedPodSecurityStandard ?? 'baseline';
  if (namespace instanceof KubeNamespace) {
    const level = namespace.podSecurityStandard;
    const name = isToken(namespace.namespaceName) ? undefined : namespace.namespaceName;
    return level ? { level, namespace, namespaceName: name } : { level: assumed, namespaceName: name, assumedBecause: 'unknown' };
  }
  if (typeof namespace !== 'string' || isToken(namespace)) return { level: assumed, assumedBecause: 'unknown' };
  const named = KubeNamespace.allInApp(scope).filter((ns) => ns.namespaceName === namespace);
  const candidates = named.filter((ns) => ns.podSecurityStandard !== undefined);
  if (candidates.length === 0) return { level: assumed, namespaceName: namespace, assumedBecause: named.length > 0 ? 'unknown' : 'undeclared' };
  const stack = stackOf(scope);
  const env = EnvironmentContext.of(scope);
  const rank = (ns: KubeNamespace): number => {
    if (stack && stackOf(ns) === stack) return 2;
    const other = EnvironmentContext.of(ns);
    return other.environment === env.environment && other.region === env.region ? 1 : 0;
  };
  const best = Math.max(...candidates.map(rank));
  const chosen = candidates
    .filter((ns) => rank(ns) === best)
    .reduce((a, b) => (isAtLeastAsStrict(b.podSecurityStandard!, a.podSecurityStandard!) ? a : b));
  return { level: chosen.podSecurityStandard!, namespace: chosen, namespaceName: namespace };
}

function stackOf(scope: IConstruct): TerraformStack | undefined {
  try {
    return TerraformStack.of(scope);
  } catch {
    return undefined;
  }
}

/** Evaluate every pod template the workload emits; throw a ValidationError for the first forbidden field. */
function checkPodSecurity(scope: Construct, namespace: string | KubeNamespace, props: CheckedProps): void {
  const manifests = scope.node.children.filter((c): c is KubeManifest => c instanceof KubeManifest);
  const pods = manifests.flatMap((m) => podTemplatesOf(m.object).map((view) => ({ manifest: m, view })));
  if (pods.length === 0) return;
  const enforced = enforcedLevel(scope, namespace);
  if (enforced.level === 'privileged') return;
  for (const { manifest, view } of pods) {
    const result = evaluatePodSecurity(view.template, enforced.level);
    if (result.violations.length === 0) continue;
    // The level that would admit the pod: baseline when only restricted controls fail.
    const admits: PodSecurityStandard = result.violations.some((v) => v.level === 'baseline') ? 'privileged' : 'baseline';
    const [first, ...rest] = result.violations;
    const cause = propCause(first, view, props, enforced.level);
    const field = cause?.field ?? `${manifest.object.kind}.${view.objectField(first.field)}`;
    const value = cause ? cause.value : first.value;
    const ns = enforced.namespaceName ? `namespace "${enforced.namespaceName}"` : 'the namespace';
    const source = enforced.namespace
      ? `that ${ns} enforces`
      : `assumed for ${ns} (${enforced.assumedBecause === 'undeclared' ? 'no KubeNamespace of that name in this app' : 'its name or level is only known at apply'})`;
    const more = rest.length > 0 ? ` (and ${rest.length} more: ${rest.slice(0, 3).map((v) => v.message).join('; ')}${rest.length > 3 ? '; ...' : ''})` : '';
    throw new ValidationError({
      path: scope.node.path,
      field,
      value,
      reason: `${first.message}: the Pod Security Standard "${enforced.level}" ${source} forbids it (control "${POD_SECURITY_CONTROL_TITLES[first.control]}"), so the API server would refuse the pods at deploy${more}`,
      fix: `${cause?.fix ?? `${first.fix} (in ${manifest.node.path}.object)`}; or ${wayOut(enforced, admits)}`,
    });
  }
}

function wayOut(enforced: EnforcedLevel, admits: PodSecurityStandard): string {
  const name = enforced.namespaceName ?? '<namespace>';
  if (enforced.namespace) {
    return `if the pods need it, set podSecurityStandard: '${admits}' on KubeNamespace '${name}' (${enforced.namespace.node.path})`;
  }
  return `if namespace '${name}' enforces a looser level, say so with EnvironmentContext assumedPodSecurityStandard: '${admits}' ` +
    `(on the stack, or on this workload only), or declare the namespace with KubeNamespace and podSecurityStandard: '${admits}'`;
}

/** The prop that produced a forbidden field, when the field still holds what the prop produced. */
function propCause(v: PodSecurityViolation, view: PodTemplateView, props: CheckedProps, level: PodSecurityStandard): { field: string; value: unknown; fix: string } | undefined {
  const prefix = view.templateIndex === undefined ? '' : `templates[${view.templateIndex}].`;
  if (!v.container) {
    if (v.field === 'spec.hostNetwork' && props.hostNetwork === true) {
      return { field: 'hostNetwork', value: true, fix: "remove hostNetwork: true (the pods would share the node's network namespace)" };
    }
    return undefined;
  }
  const list = view.templateIndex === undefined ? props.containers : props.templates?.[view.templateIndex]?.containers;
  if (!Array.isArray(list)) return undefined;
  const i = list.findIndex((c) => c?.name === v.container!.name);
  if (i < 0) return undefined;
  const c = list[i];
  const f = (name: string) => `${prefix}containers[${i}].${name}`;
  const caps = Array.isArray(c.linuxCapabilities) && !isListToken(c.linuxCapabilities) ? c.linuxCapabilities : [];
  const privileged = { field: f('privileged'), value: true, fix: `remove privileged: true from ${prefix}containers[${i}] (a privileged container can do anything on the node)` };
  const root = { field: f('runAsRoot'), value: true, fix: `remove runAsRoot: true from ${prefix}containers[${i}] (the restricted level refuses root containers; the container then runs as uid ${c.uid ?? 1000})` };
  switch (v.control) {
    case 'privilegedContainers':
      return c.privileged === true ? privileged : undefined;
    case 'capabilities': {
      if (v.field.endsWith('.drop')) return c.privileged === true ? privileged : undefined;
      const bad = Array.isArray(v.value) ? v.value.map(String) : [];
      if (bad.length === 0 || !bad.every((cap) => caps.includes(cap))) return undefined;
      const allowed = level === 'restricted' ? RESTRICTED_ADDABLE_CAPABILITIES : BASELINE_ADDABLE_CAPABILITIES;
      return { field: f('linuxCapabilities'), value: c.linuxCapabilities, fix: `drop ${bad.join(', ')} from ${f('linuxCapabilities')} (the ${level} level allows adding only ${allowed.join(', ')})` };
    }
    case 'privilegeEscalation':
      if (c.runAsRoot === true) return root;
      if (c.privileged === true) return privileged;
      if (caps.includes('SYS_ADMIN')) {
        return { field: f('linuxCapabilities'), value: c.linuxCapabilities, fix: `drop SYS_ADMIN from ${f('linuxCapabilities')} (a container with CAP_SYS_ADMIN is allowed privilege escalation, which the restricted level refuses)` };
      }
      return undefined;
    case 'runningAsNonRoot':
    case 'runningAsNonRootUser':
      return c.runAsRoot === true ? root : undefined;
    case 'seccomp':
      return c.seccompProfileType !== undefined && c.seccompProfileType === v.value
        ? { field: f('seccompProfileType'), value: c.seccompProfileType, fix: `use seccompProfileType "RuntimeDefault" (the default), or "Localhost" with seccompLocalhostProfile, in ${prefix}containers[${i}]` }
        : undefined;
    default:
      return undefined;
  }
}
