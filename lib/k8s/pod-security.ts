import { isListToken, isToken } from '../core/validation';
import type { PodSecurityStandard } from './namespace';

/**
 * The Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/)
 * as one pure evaluator of a pod template: the `baseline` and `restricted` levels, control by
 * control, with the allowed values of the Pod Security admission of Kubernetes v1.35/v1.36
 * (what a namespace labelled `enforce-version: latest` gets; the library's namespaces are).
 *
 * It reads the object as emitted (containers, init containers and ephemeral containers; pod-level
 * and container-level security contexts with the container-level override semantics of the
 * admission), so the synth-time check of the workload constructs and the audit rule GP-SEC-001
 * share one implementation of the controls.
 *
 * A deploy-time value (a CDKTF token: a list token of capabilities, a boolean token for
 * `privileged`, a `${...}` string of the synthesized JSON) cannot be decided at synth: the
 * control that reads it is skipped for that field (recorded in `undecided`), never failed.
 * Known elements of a partly known list (`['NET_ADMIN', token]`) are still checked.
 *
 * Left out on purpose: the user-namespace relaxations are applied as in v1.35+ (a pod with
 * `hostUsers: false` skips the restricted `runAsNonRoot` / `runAsUser` controls and the baseline
 * `/proc` mount type control); on an older cluster such a pod can still be refused.
 */

/** A control of the Pod Security Standards (the names of the Kubernetes documentation, camelCased). */
export type PodSecurityControl =
  | 'hostProcess'
  | 'hostNamespaces'
  | 'privilegedContainers'
  | 'capabilities'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'hostProbesAndLifecycleHooks'
  | 'appArmor'
  | 'seLinux'
  | 'procMountType'
  | 'seccomp'
  | 'sysctls'
  | 'volumeTypes'
  | 'privilegeEscalation'
  | 'runningAsNonRoot'
  | 'runningAsNonRootUser';

/** Titles of the controls, as the Kubernetes documentation names them. */
export const POD_SECURITY_CONTROL_TITLES: Readonly<Record<PodSecurityControl, string>> = {
  hostProcess: 'HostProcess',
  hostNamespaces: 'Host Namespaces',
  privilegedContainers: 'Privileged Containers',
  capabilities: 'Capabilities',
  hostPathVolumes: 'HostPath Volumes',
  hostPorts: 'Host Ports',
  hostProbesAndLifecycleHooks: 'Host Probes / Lifecycle Hooks',
  appArmor: 'AppArmor',
  seLinux: 'SELinux',
  procMountType: '/proc Mount Type',
  seccomp: 'Seccomp',
  sysctls: 'Sysctls',
  volumeTypes: 'Volume Types',
  privilegeEscalation: 'Privilege Escalation',
  runningAsNonRoot: 'Running as Non-root',
  runningAsNonRootUser: 'Running as Non-root user',
};

/** Capabilities the baseline level lets a container add (Docker's default set, without NET_RAW). */
export const BASELINE_ADDABLE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];
/** The one capability the restricted level lets a container add. */
export const RESTRICTED_ADDABLE_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];
/** The "safe" sysctls of the baseline level (policy version 1.32+). */
const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
];
/** The volume types the restricted level allows (`image` since Kubernetes 1.33). */
const RESTRICTED_VOLUME_TYPES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];
/** SELinux types the baseline level allows (besides none). */
const BASELINE_SELINUX_TYPES: readonly string[] = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_ALLOWED = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ALLOWED = ['RuntimeDefault', 'Localhost'];

/** Which container of the pod a violation is about. */
export interface PodSecurityContainerRef {
  readonly list: 'containers' | 'initContainers' | 'ephemeralContainers';
  readonly index: number;
  readonly name: string;
}

/** One field of the pod that a control forbids. */
export interface PodSecurityViolation {
  readonly control: PodSecurityControl;
  /**
   * The least strict level that forbids it: `baseline` (only `privileged` admits the pod) or
   * `restricted` (`baseline` admits it).
   */
  readonly level: 'baseline' | 'restricted';
  /** The field in the pod template, e.g. `spec.containers[0].securityContext.capabilities.add`. */
  readonly field: string;
  /** The offending value (for capabilities, sysctls and the like: only the forbidden entries). */
  readonly value: unknown;
  /** The container, for a container-level field. */
  readonly container?: PodSecurityContainerRef;
  /** What is wrong, in terms of the object: `container app adds capabilities NET_ADMIN`. */
  readonly message: string;
  /** How to change the object. */
  readonly fix: string;
}

/** A control not decided at synth because its input is a deploy-time token. */
export interface PodSecurityUndecided {
  readonly control: PodSecurityControl;
  readonly field: string;
  readonly value: unknown;
}

export interface PodSecurityResult {
  readonly level: PodSecurityStandard;
  /** Forbidden fields, in the order of the controls (baseline first), then of the containers. */
  readonly violations: readonly PodSecurityViolation[];
  /** Controls skipped for a field holding a deploy-time token. */
  readonly undecided: readonly PodSecurityUndecided[];
}

export interface PodSecurityOptions {
  /**
   * Is this value only known at apply? The default recognizes CDKTF tokens; the audit also passes
   * the `${...}` strings of the synthesized JSON.
   * @default isToken
   */
  readonly isDeployTime?: (value: unknown) => boolean;
}

/** A pod template: `spec` is a PodSpec, `metadata` its object metadata (annotations are read). */
export interface PodTemplateLike {
  readonly metadata?: any;
  readonly spec: any;
}

const STRICTNESS: Record<string, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Is `level` at least as strict as `than`? */
export function isAtLeastAsStrict(level: PodSecurityStandard, than: PodSecurityStandard): boolean {
  return STRICTNESS[level] >= STRICTNESS[than];
}

function asList(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Evaluate a pod template against a level (`privileged` admits everything). */
export function evaluatePodSecurity(template: PodTemplateLike, level: PodSecurityStandard, options: PodSecurityOptions = {}): PodSecurityResult {
  const violations: PodSecurityViolation[] = [];
  const undecided: PodSecurityUndecided[] = [];
  if (level !== 'baseline' && level !== 'restricted') return { level, violations, undecided };
  const deployTime = options.isDeployTime ?? isToken;
  const restricted = level === 'restricted';
  const spec: Record<string, any> = isObject(template?.spec) ? template.spec : {};
  const meta: Record<string, any> = isObject(template?.metadata) ? template.metadata : {};
  const psc: Record<string, any> = isObject(spec.securityContext) ? spec.securityContext : {};
  const windows = spec.os?.name === 'windows';
  const userNamespace = spec.hostUsers === false;

  const fail = (control: PodSecurityControl, lvl: 'baseline' | 'restricted', field: string, value: unknown, message: string, fix: string, container?: PodSecurityContainerRef) =>
    violations.push({ control, level: lvl, field, value, message, fix, ...(container ? { container } : {}) });
  /** False (and recorded as undecided) when the value is a deploy-time token. */
  const known = (control: PodSecurityControl, field: string, value: unknown): boolean => {
    // A list is unknown as a whole only when it is a list token; its elements are checked one by one.
    if (value !== undefined && value !== null && (Array.isArray(value) ? isListToken(value) : deployTime(value))) {
      undecided.push({ control, field, value });
      return false;
    }
    return true;
  };

  // Containers in the order the admission visits them: init containers, containers, ephemeral containers.
  interface Visited { readonly c: Record<string, any>; readonly sc: Record<string, any>; readonly ref: PodSecurityContainerRef; readonly path: string; readonly where: string }
  const containers: Visited[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const items = spec[list];
    if (!known('privilegedContainers', `spec.${list}`, items)) continue;
    asList(items).forEach((c, index) => {
      if (!isObject(c)) return;
      const name = String(c.name);
      const kind = list === 'initContainers' ? 'init container' : list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
      containers.push({ c, sc: isObject(c.securityContext) ? c.securityContext : {}, ref: { list, index, name }, path: `spec.${list}[${index}]`, where: `${kind} ${name}` });
    });
  }

  // ---- baseline ----
  // HostProcess
  const hostProcess = psc.windowsOptions?.hostProcess;
  if (known('hostProcess', 'spec.securityContext.windowsOptions.hostProcess', hostProcess) && hostProcess === true) {
    fail('hostProcess', 'baseline', 'spec.securityContext.windowsOptions.hostProcess', true, 'windowsOptions.hostProcess is true', 'remove it');
  }
  for (const k of containers) {
    const field = `${k.path}.securityContext.windowsOptions.hostProcess`;
    const value = k.sc.windowsOptions?.hostProcess;
    if (known('hostProcess', field, value) && value === true) fail('hostProcess', 'baseline', field, true, `${k.where} is a Windows hostProcess container`, 'remove it', k.ref);
  }
  // Host Namespaces
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    const value = spec[key];
    if (known('hostNamespaces', `spec.${key}`, value) && value === true) {
      fail('hostNamespaces', 'baseline', `spec.${key}`, true, `${key} is true`, 'remove it (pods must not share host namespaces)');
    }
  }
  // Privileged Containers
  for (const k of containers) {
    const field = `${k.path}.securityContext.privileged`;
    if (known('privilegedContainers', field, k.sc.privileged) && k.sc.privileged === true) {
      fail('privilegedContainers', 'baseline', field, true, `${k.where} is privileged`, 'set securityContext.privileged to false', k.ref);
    }
  }
  // Capabilities (baseline; the restricted version below replaces it)
  const added = (k: Visited): string[] | undefined => {
    const field = `${k.path}.securityContext.capabilities.add`;
    const add = k.sc.capabilities?.add;
    if (!known('capabilities', field, add)) return undefined;
    return asList(add).filter((cap, i) => known('capabilities', `${field}[${i}]`, cap)).map(String);
  };
  if (!restricted) {
    for (const k of containers) {
      const bad = (added(k) ?? []).filter((cap) => !BASELINE_ADDABLE_CAPABILITIES.includes(cap));
      if (bad.length > 0) {
        fail('capabilities', 'baseline', `${k.path}.securityContext.capabilities.add`, bad, `${k.where} adds capabilities ${bad.join(', ')}`,
          `the baseline level allows adding only ${BASELINE_ADDABLE_CAPABILITIES.join(', ')}`, k.ref);
      }
    }
  }
  // HostPath Volumes (and, restricted, Volume Types)
  asList(known('hostPathVolumes', 'spec.volumes', spec.volumes) ? spec.volumes : undefined).forEach((vol, i) => {
    if (!isObject(vol)) return;
    const types = Object.keys(vol).filter((key) => key !== 'name' && vol[key] !== undefined && vol[key] !== null);
    if (types.includes('hostPath')) {
      fail('hostPathVolumes', 'baseline', `spec.volumes[${i}].hostPath`, vol.hostPath, `volume ${vol.name} is a hostPath`, 'use an emptyDir, a PVC or a projected volume');
    } else if (restricted && types.length > 0 && !types.some((type) => RESTRICTED_VOLUME_TYPES.includes(type))) {
      fail('volumeTypes', 'restricted', `spec.volumes[${i}].${types[0]}`, types[0], `volume ${vol.name} has type ${types[0]}, not allowed by the restricted profile`,
        `use a PVC or CSI volume (restricted allows ${RESTRICTED_VOLUME_TYPES.join(', ')})`);
    }
  });
  // Host Ports
  for (const k of containers) {
    asList(k.c.ports).forEach((port, j) => {
      const field = `${k.path}.ports[${j}].hostPort`;
      const hostPort = isObject(port) ? port.hostPort : undefined;
      if (known('hostPorts', field, hostPort) && hostPort !== undefined && hostPort !== null && hostPort !== 0 && hostPort !== '0') {
        fail('hostPorts', 'baseline', field, hostPort, `${k.where} uses hostPort ${hostPort}`, 'expose it through a Service instead', k.ref);
      }
    });
  }
  // Host Probes / Lifecycle Hooks
  for (const k of containers) {
    const handlers: Array<[string, any]> = [
      ['livenessProbe', k.c.livenessProbe], ['readinessProbe', k.c.readinessProbe], ['startupProbe', k.c.startupProbe],
      ['lifecycle.postStart', k.c.lifecycle?.postStart], ['lifecycle.preStop', k.c.lifecycle?.preStop],
    ];
    for (const [name, handler] of handlers) {
      for (const kind of ['httpGet', 'tcpSocket']) {
        const field = `${k.path}.${name}.${kind}.host`;
        const host = handler?.[kind]?.host;
        if (known('hostProbesAndLifecycleHooks', field, host) && host !== undefined && host !== null && host !== '') {
          fail('hostProbesAndLifecycleHooks', 'baseline', field, host, `${k.where} probe or hook sets a host`, "remove it (the pod's own IP is used)", k.ref);
        }
      }
    }
  }
  // AppArmor: the fields, and the deprecated annotations
  const appArmor = (who: string, field: string, type: unknown, ref?: PodSecurityContainerRef) => {
    if (known('appArmor', field, type) && type !== undefined && type !== null && !APPARMOR_ALLOWED.includes(String(type))) {
      fail('appArmor', 'baseline', field, type, `${who} sets appArmorProfile type ${type}`, 'use RuntimeDefault or Localhost, or remove it', ref);
    }
  };
  appArmor('pod', 'spec.securityContext.appArmorProfile.type', psc.appArmorProfile?.type);
  for (const k of containers) appArmor(k.where, `${k.path}.securityContext.appArmorProfile.type`, k.sc.appArmorProfile?.type, k.ref);
  if (isObject(meta.annotations)) {
    for (const [key, value] of Object.entries(meta.annotations)) {
      if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
      const field = `metadata.annotations["${key}"]`;
      if (known('appArmor', field, value) && !(value === '' || value === 'runtime/default' || String(value).startsWith('localhost/'))) {
        fail('appArmor', 'baseline', field, value, `annotation ${key} is ${value}`, 'use runtime/default or localhost/<profile>, or remove it');
      }
    }
  }
  // SELinux
  const seLinux = (who: string, base: string, opts: any, ref?: PodSecurityContainerRef) => {
    if (!isObject(opts)) return;
    if (known('seLinux', `${base}.type`, opts.type) && opts.type !== undefined && opts.type !== null && opts.type !== '' && !BASELINE_SELINUX_TYPES.includes(String(opts.type))) {
      fail('seLinux', 'baseline', `${base}.type`, opts.type, `${who === 'pod' ? '' : `${who} `}seLinuxOptions.type ${opts.type} is not allowed`,
        `remove it, or use one of ${BASELINE_SELINUX_TYPES.join(', ')}`, ref);
    }
    for (const key of ['user', 'role'] as const) {
      const value = opts[key];
      if (known('seLinux', `${base}.${key}`, value) && value !== undefined && value !== null && value !== '') {
        fail('seLinux', 'baseline', `${base}.${key}`, value, `${who} sets seLinuxOptions.${key}`, 'remove it', ref);
      }
    }
  };
  seLinux('pod', 'spec.securityContext.seLinuxOptions', psc.seLinuxOptions);
  for (const k of containers) seLinux(k.where, `${k.path}.securityContext.seLinuxOptions`, k.sc.seLinuxOptions, k.ref);
  // /proc Mount Type (baseline relaxes it for user-namespace pods; restricted does not)
  if (restricted || !userNamespace) {
    for (const k of containers) {
      const field = `${k.path}.securityContext.procMount`;
      const value = k.sc.procMount;
      if (known('procMountType', field, value) && value !== undefined && value !== null && value !== 'Default') {
        fail('procMountType', 'baseline', field, value, `${k.where} sets procMount ${value}`, 'remove it', k.ref);
      }
    }
  }
  // Seccomp (baseline: not Unconfined; the restricted version below replaces it)
  if (!restricted) {
    const seccomp = (who: string, field: string, type: unknown, ref?: PodSecurityContainerRef) => {
      if (known('seccomp', field, type) && type !== undefined && type !== null && !SECCOMP_ALLOWED.includes(String(type))) {
        fail('seccomp', 'baseline', field, type, `${who} sets seccompProfile type ${type}`, 'use RuntimeDefault (or Localhost with a profile), or remove it', ref);
      }
    };
    seccomp('pod', 'spec.securityContext.seccompProfile.type', psc.seccompProfile?.type);
    for (const k of containers) seccomp(k.where, `${k.path}.securityContext.seccompProfile.type`, k.sc.seccompProfile?.type, k.ref);
  }
  // Sysctls
  asList(known('sysctls', 'spec.securityContext.sysctls', psc.sysctls) ? psc.sysctls : undefined).forEach((s, i) => {
    const field = `spec.securityContext.sysctls[${i}].name`;
    const name = isObject(s) ? s.name : undefined;
    if (known('sysctls', field, name) && name !== undefined && !SAFE_SYSCTLS.includes(String(name))) {
      fail('sysctls', 'baseline', field, name, `unsafe sysctl ${name}`, `remove it (the safe ones are ${SAFE_SYSCTLS.join(', ')})`);
    }
  });

  if (!restricted) return { level, violations, undecided };

  // ---- restricted ----
  // Privilege Escalation (Linux pods)
  if (!windows) {
    for (const k of containers) {
      const field = `${k.path}.securityContext.allowPrivilegeEscalation`;
      const value = k.sc.allowPrivilegeEscalation;
      if (known('privilegeEscalation', field, value) && value !== false) {
        fail('privilegeEscalation', 'restricted', field, value ?? null, `${k.where} does not set allowPrivilegeEscalation: false`, 'set it', k.ref);
      }
    }
  }
  // Running as Non-root (skipped for user-namespace pods)
  if (!userNamespace) {
    const podNonRoot = psc.runAsNonRoot;
    const podKnown = known('runningAsNonRoot', 'spec.securityContext.runAsNonRoot', podNonRoot);
    if (podKnown && podNonRoot === false) {
      fail('runningAsNonRoot', 'restricted', 'spec.securityContext.runAsNonRoot', false, 'pod sets runAsNonRoot: false', 'set it to true, or remove it and set it on every container');
    }
    for (const k of containers) {
      const field = `${k.path}.securityContext.runAsNonRoot`;
      const value = k.sc.runAsNonRoot;
      if (!known('runningAsNonRoot', field, value)) continue;
      if (value === true) continue;
      if (value === undefined || value === null) {
        if (!podKnown) continue;
        if (podNonRoot === true) continue;
      }
      fail('runningAsNonRoot', 'restricted', field, value ?? null, `${k.where} does not set runAsNonRoot: true (container or pod securityContext)`, 'set it', k.ref);
    }
    // Running as Non-root user
    const isRoot = (uid: unknown) => uid === 0 || uid === '0';
    if (known('runningAsNonRootUser', 'spec.securityContext.runAsUser', psc.runAsUser) && isRoot(psc.runAsUser)) {
      fail('runningAsNonRootUser', 'restricted', 'spec.securityContext.runAsUser', psc.runAsUser, 'pod runAsUser is 0 (root)', 'run as a non-root uid');
    }
    for (const k of containers) {
      const field = `${k.path}.securityContext.runAsUser`;
      if (known('runningAsNonRootUser', field, k.sc.runAsUser) && isRoot(k.sc.runAsUser)) {
        fail('runningAsNonRootUser', 'restricted', field, k.sc.runAsUser, `${k.where} runs as uid 0`, 'use a non-root uid', k.ref);
      }
    }
  }
  if (!windows) {
    // Seccomp: RuntimeDefault or Localhost, on the pod or on every container
    const podType = psc.seccompProfile?.type;
    const podTypeKnown = known('seccomp', 'spec.securityContext.seccompProfile.type', podType);
    if (podTypeKnown && podType !== undefined && podType !== null && !SECCOMP_ALLOWED.includes(String(podType))) {
      fail('seccomp', 'restricted', 'spec.securityContext.seccompProfile.type', podType, `pod seccompProfile type ${podType} is not allowed`, 'set securityContext.seccompProfile.type: RuntimeDefault');
    }
    for (const k of containers) {
      const field = `${k.path}.securityContext.seccompProfile.type`;
      const type = k.sc.seccompProfile?.type;
      if (!known('seccomp', field, type)) continue;
      const ok = type === undefined || type === null ? podTypeKnown && SECCOMP_ALLOWED.includes(String(podType)) || !podTypeKnown : SECCOMP_ALLOWED.includes(String(type));
      if (!ok) fail('seccomp', 'restricted', field, type ?? null, `${k.where} has no RuntimeDefault seccomp profile`, 'set securityContext.seccompProfile.type: RuntimeDefault', k.ref);
    }
    // Capabilities: drop ALL, add only NET_BIND_SERVICE
    for (const k of containers) {
      const bad = (added(k) ?? []).filter((cap) => !RESTRICTED_ADDABLE_CAPABILITIES.includes(cap));
      if (bad.length > 0) {
        fail('capabilities', bad.every((cap) => BASELINE_ADDABLE_CAPABILITIES.includes(cap)) ? 'restricted' : 'baseline', `${k.path}.securityContext.capabilities.add`, bad,
          `${k.where} adds capabilities ${bad.join(', ')}`, 'only NET_BIND_SERVICE may be added', k.ref);
      }
      const field = `${k.path}.securityContext.capabilities.drop`;
      const drop = k.sc.capabilities?.drop;
      if (!known('capabilities', field, drop)) continue;
      const dropped = asList(drop);
      if (dropped.includes('ALL')) continue;
      if (dropped.some((d, i) => !known('capabilities', `${field}[${i}]`, d))) continue;
      fail('capabilities', 'restricted', field, drop ?? null, `${k.where} does not drop ALL capabilities`, 'set securityContext.capabilities.drop to ["ALL"]', k.ref);
    }
  }
  return { level, violations, undecided };
}

/** One pod template of an emitted object, with the way back from pod fields to object fields. */
export interface PodTemplateView {
  readonly template: PodTemplateLike;
  /**
   * The field of the object that holds a field of the pod template: `spec.containers[0].name`
   * of a Deployment is `spec.template.spec.containers[0].name`.
   */
  readonly objectField: (podField: string) => string;
  /** For Argo objects: the index of the template in `spec.templates`. */
  readonly templateIndex?: number;
}

const TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'];
const ARGO_KINDS = ['WorkflowTemplate', 'ClusterWorkflowTemplate', 'Workflow', 'CronWorkflow'];

function mapper(pairs: Array<[string, string]>): (podField: string) => string {
  const sorted = [...pairs].sort((a, b) => b[0].length - a[0].length);
  return (podField) => {
    for (const [from, to] of sorted) {
      if (podField === from || podField.startsWith(`${from}.`) || podField.startsWith(`${from}[`)) return `${to}${podField.slice(from.length)}`;
    }
    return podField;
  };
}

/**
 * The pod templates of a Kubernetes object: a Pod, the template of a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, ReplicationController or Job, the job template of a CronJob, and for
 * Argo (WorkflowTemplate, Workflow, CronWorkflow) the pod of each template that runs containers,
 * assembled as Argo does (workflow-level security context, volumes, host network and pod
 * metadata; template-level containers, init containers, sidecars, volumes and security context).
 * `podSpecPatch` strings are not applied.
 */
export function podTemplatesOf(object: any): PodTemplateView[] {
  const kind = object?.kind;
  if (kind === 'Pod') return isObject(object.spec) ? [{ template: { metadata: object.metadata, spec: object.spec }, objectField: (f) => f }] : [];
  if (TEMPLATE_KINDS.includes(kind) || kind === 'CronJob') {
    const base = kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
    const template = kind === 'CronJob' ? object.spec?.jobTemplate?.spec?.template : object.spec?.template;
    if (!isObject(template) || !isObject(template.spec)) return [];
    return [{ template: { metadata: template.metadata, spec: template.spec }, objectField: mapper([['spec', `${base}.spec`], ['metadata', `${base}.metadata`]]) }];
  }
  if (!ARGO_KINDS.includes(kind)) return [];
  const specPath = kind === 'CronWorkflow' ? 'spec.workflowSpec' : 'spec';
  const ws = kind === 'CronWorkflow' ? object.spec?.workflowSpec : object.spec;
  if (!isObject(ws) || !Array.isArray(ws.templates)) return [];
  const out: PodTemplateView[] = [];
  ws.templates.forEach((t: any, i: number) => {
    if (!isObject(t)) return;
    const tp = `${specPath}.templates[${i}]`;
    const pairs: Array<[string, string]> = [['spec', specPath]];
    const containers: any[] = [];
    const add = (c: unknown, path: string) => {
      if (!isObject(c)) return;
      pairs.push([`spec.containers[${containers.length}]`, path]);
      containers.push(c);
    };
    add(t.container, `${tp}.container`);
    add(t.script, `${tp}.script`);
    asList(t.containerSet?.containers).forEach((c, k) => add(c, `${tp}.containerSet.containers[${k}]`));
    if (containers.length === 0) return; // dag, steps, suspend, resource, http templates run no pod of their own
    asList(t.sidecars).forEach((c, k) => add(c, `${tp}.sidecars[${k}]`));
    const initContainers = asList(t.initContainers);
    pairs.push(['spec.initContainers', `${tp}.initContainers`]);
    const volumes: any[] = [];
    asList(ws.volumes).forEach((vol, k) => { pairs.push([`spec.volumes[${volumes.length}]`, `${specPath}.volumes[${k}]`]); volumes.push(vol); });
    asList(t.volumes).forEach((vol, k) => { pairs.push([`spec.volumes[${volumes.length}]`, `${tp}.volumes[${k}]`]); volumes.push(vol); });
    const securityContext = isObject(t.securityContext) ? t.securityContext : ws.securityContext;
    pairs.push(['spec.securityContext', isObject(t.securityContext) ? `${tp}.securityContext` : `${specPath}.securityContext`]);
    const annotations = { ...(ws.podMetadata?.annotations ?? {}), ...(t.metadata?.annotations ?? {}) };
    for (const key of Object.keys(annotations)) {
      const fromTemplate = t.metadata?.annotations && key in t.metadata.annotations;
      pairs.push([`metadata.annotations["${key}"]`, `${fromTemplate ? `${tp}.metadata` : `${specPath}.podMetadata`}.annotations["${key}"]`]);
    }
    const spec: Record<string, unknown> = { containers, initContainers, volumes };
    if (securityContext !== undefined) spec.securityContext = securityContext;
    for (const key of ['hostNetwork', 'hostPID', 'hostIPC', 'hostUsers'] as const) if (ws[key] !== undefined) spec[key] = ws[key];
    out.push({ template: { metadata: { annotations }, spec }, objectField: mapper(pairs), templateIndex: i });
  });
  return out;
}
