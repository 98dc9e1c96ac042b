import { Fn, Token } from 'cdktf';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { addNumbers, bytesQuantity, checkMemoryMb, checkMillicores, cpuQuantity, mbQuantity, memoryLimitBytes } from '../core/units';
import { keyPath } from '../core/paths';
import type { IContainer, IEnvVar, IProbe, ISecurityContext, IVolumeMount } from './types';

/**
 * How a probe checks the container. Same values as Panfactum's `liveness_probe_type`.
 *
 * @group Workloads
 */
export type ProbeType = 'exec' | 'HTTP' | 'TCP';
export const PROBE_TYPES: readonly ProbeType[] = ['exec', 'HTTP', 'TCP'];

/**
 * A named container port (Panfactum's `ports` map value).
 *
 * @group Workloads
 */
export interface ContainerPort {
  /** Port the container listens on. */
  readonly port: number;
  /** TCP, UDP or SCTP. @default "TCP" */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /** Port on the Service, when it differs from `port`. @default - same as `port` */
  readonly servicePort?: number;
  /** Whether the workload's Service exposes this port. @default true */
  readonly exposeOnService?: boolean;
}

/**
 * One container of a pod: the fields of Panfactum's `containers` list in lowerCamelCase,
 * with the same units (memory in MB, CPU in millicores).
 *
 * @group Workloads
 */
export interface ContainerProps {
  /** Unique container name within the pod (RFC 1123 label). */
  readonly name: string;
  /** Run as an init container (to completion, before the regular containers). @default false */
  readonly init?: boolean;
  /**
   * For an init container only: `Always` makes it a native sidecar that runs for the
   * pod's lifetime (Kubernetes 1.29+). @default - a regular init container
   */
  readonly restartPolicy?: 'Always';
  /** Image registry host, e.g. `docker.io` or `123456789012.dkr.ecr.us-east-2.amazonaws.com`. */
  readonly imageRegistry: string;
  /** Repository within the registry, e.g. `library/nginx`. */
  readonly imageRepository: string;
  /** Image tag (or `sha256:...` digest), e.g. `1.27.1`. */
  readonly imageTag: string;
  /** Command as a list; an empty list keeps the image's entrypoint. @default [] (the image's entrypoint) */
  readonly command?: string[];
  /** Arguments passed to the command. @default - the image's default arguments */
  readonly args?: string[];
  /** Working directory. @default - the image's working directory */
  readonly workingDir?: string;
  /** When to pull the image. @default "IfNotPresent" */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Run privileged (also stops dropping capabilities). @default false */
  readonly privileged?: boolean;
  /**
   * Memory request in MB (MiB); the VPA never goes below it. At most 33554432 (32 TiB, the memory of the
   * largest EC2 instance): a larger value is refused as a unit mistake (bytes given for MB).
   * @default 100
   */
  readonly minimumMemory?: number;
  /** Upper bound for the VPA's memory recommendation, in MB (not a pod limit; see memoryLimitMultiplier). At most 33554432 (32 TiB). @default - no upper bound */
  readonly maximumMemory?: number;
  /** Memory limit = request x this multiplier; 1 makes the limit equal to the request (Guaranteed memory). @default 1.3 */
  readonly memoryLimitMultiplier?: number;
  /**
   * CPU request in millicores (1000 = 1 CPU); the VPA never goes below it. At most 1920000 (the 1,920
   * vCPUs of the largest EC2 instance, u7inh-32tb.480xlarge).
   * @default 10
   */
  readonly minimumCpu?: number;
  /** CPU limit in millicores and the VPA's CPU upper bound (at most 1920000). CPU limits throttle; leave unset unless needed. @default - no CPU limit */
  readonly maximumCpu?: number;
  /** Run as uid/gid 0 and allow privilege escalation. @default false */
  readonly runAsRoot?: boolean;
  /** uid and gid the container runs as (when not root). @default 1000 */
  readonly uid?: number;
  /** Linux capabilities to add (all others are dropped). @default [] */
  readonly linuxCapabilities?: string[];
  /** Seccomp profile type; `Unconfined` opts out. @default "RuntimeDefault" */
  readonly seccompProfileType?: 'RuntimeDefault' | 'Unconfined' | 'Localhost';
  /**
   * The profile of a `Localhost` seccomp type: a path relative to the kubelet's seccomp directory
   * (`<kubelet root>/seccomp`), e.g. `"profiles/audit.json"`. Required with `seccompProfileType:
   * "Localhost"` and refused with any other type (the API server does the same).
   * @default - none (only allowed when seccompProfileType is not "Localhost")
   */
  readonly seccompLocalhostProfile?: string;
  /** Read-only root filesystem; write to `tmpDirectories` instead. @default true */
  readonly readOnly?: boolean;
  /** Environment variables of this container only (set after the common ones). @default {} */
  readonly env?: Record<string, string>;
  /** Liveness probe type; no probes at all when unset. @default - no probes */
  readonly livenessProbeType?: ProbeType;
  /** Command for an `exec` liveness probe. @default - none */
  readonly livenessProbeCommand?: string[];
  /** Port for an `HTTP` or `TCP` liveness probe. @default - none */
  readonly livenessProbePort?: number;
  /** Path for an `HTTP` liveness probe. @default "/" */
  readonly livenessProbeRoute?: string;
  /** Scheme for an `HTTP` liveness probe. @default "HTTP" */
  readonly livenessProbeScheme?: 'HTTP' | 'HTTPS';
  /** Readiness probe type. @default - the liveness probe type */
  readonly readinessProbeType?: ProbeType;
  /** Readiness exec command. @default - the liveness command */
  readonly readinessProbeCommand?: string[];
  /** Readiness port. @default - the liveness port */
  readonly readinessProbePort?: number;
  /** Readiness HTTP path. @default - the liveness route */
  readonly readinessProbeRoute?: string;
  /** Readiness HTTP scheme. @default - the liveness scheme */
  readonly readinessProbeScheme?: 'HTTP' | 'HTTPS';
  /** Named ports, e.g. `{ http: { port: 8080 } }`. @default {} */
  readonly ports?: Record<string, ContainerPort>;
  /** Pre-pull this image onto new nodes (node image cache controller). @default - true when the cluster profile declares `imageCache` (panfactum: yes; eks: no) */
  readonly imagePrepullEnabled?: boolean;
  /** Pin this image on nodes so it is never garbage collected (node image cache controller). @default - true when the cluster profile declares `imageCache` (panfactum: yes; eks: no) */
  readonly imagePinEnabled?: boolean;
}

/** A container's props with every default applied. */
export interface ResolvedContainer {
  readonly name: string;
  readonly init: boolean;
  readonly image: string;
  readonly imageRegistry: string;
  readonly imageRepository: string;
  readonly imageTag: string;
  readonly minimumMemory: number;
  readonly maximumMemory?: number;
  readonly minimumCpu: number;
  readonly maximumCpu?: number;
  readonly ports: Record<string, Required<Pick<ContainerPort, 'port' | 'protocol' | 'exposeOnService'>> & { servicePort: number }>;
  readonly imagePrepullEnabled: boolean;
  readonly imagePinEnabled: boolean;
  readonly props: ContainerProps;
}

/** Settings shared by every container of a pod that the container builder needs. */
export interface ContainerContext {
  /** Env vars common to every container, already in Panfactum's order. */
  readonly commonEnv: IEnvVar[];
  /** Volume mounts common to every container. */
  readonly volumeMounts: IVolumeMount[];
  /** Sum of node-local tmp directory sizes in MB (adds to the ephemeral-storage request). */
  readonly nodeLocalTmpMb: number;
  /** Add the 16 default variables (POD_IP ... NODE_NAME). */
  readonly defaultEnvEnabled: boolean;
  readonly terminationGracePeriodSeconds: number;
}

const CAPABILITY = /^[A-Z_]+$/;

/** Validate a container's props and apply defaults. `field` is the prop path, e.g. `containers[0]`. */
export function resolveContainer(v: PropValidator, field: string, c: ContainerProps): ResolvedContainer {
  const f = (name: string) => `${field}.${name}`;
  v.required(f('name'), c.name);
  v.dnsLabel(f('name'), c.name);
  v.required(f('imageRegistry'), c.imageRegistry);
  v.required(f('imageRepository'), c.imageRepository);
  v.required(f('imageTag'), c.imageTag);
  if (!isToken(c.imageRegistry) && /[/:@\s]|^https?:/.test(c.imageRegistry.replace(/:\d+$/, ''))) {
    v.fail(f('imageRegistry'), c.imageRegistry, 'give only the registry host (and port), e.g. "docker.io"; put the path in imageRepository and the tag in imageTag', 'is not a registry host');
  }
  if (!isToken(c.imageRepository) && !/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(c.imageRepository)) {
    v.fail(f('imageRepository'), c.imageRepository, 'use a lower-case repository path such as "library/nginx", without the registry or tag', 'is not an image repository');
  }
  if (!isToken(c.imageTag) && !/^([\w][\w.-]{0,127}|sha256:[a-f0-9]{64})$/.test(c.imageTag)) {
    v.fail(f('imageTag'), c.imageTag, 'use a tag of letters, digits, ".", "_" and "-" (at most 128) or a "sha256:<64 hex>" digest', 'is not an image tag');
  }
  // These decide the shape of the pod (which list a container is in, its user, its probe
  // handlers, the image cache), so a deploy-time token cannot stand for them.
  const init = v.knownAtSynth(f('init'), c.init ?? false, 'it decides whether the container is an init container');
  if (init) v.knownAtSynth(f('restartPolicy'), c.restartPolicy, 'it decides whether the init container is a native sidecar (with ports and probes)');
  v.knownAtSynth(f('runAsRoot'), c.runAsRoot, 'it decides the container\'s user and security context, which the Pod Security checks read at synth');
  v.knownAtSynth(f('privileged'), c.privileged, 'it decides the container\'s security context, which the Pod Security checks read at synth');
  v.knownAtSynth(f('imagePrepullEnabled'), c.imagePrepullEnabled, 'it decides whether the image joins the node image cache');
  v.knownAtSynth(f('imagePinEnabled'), c.imagePinEnabled, 'it decides whether the image joins the node image cache');
  if (c.restartPolicy !== undefined) {
    v.oneOf(f('restartPolicy'), c.restartPolicy, ['Always'] as const);
    if (!init) v.fail(f('restartPolicy'), c.restartPolicy, 'restartPolicy applies to init containers only (native sidecars); remove it or set init: true');
  }
  if (c.imagePullPolicy !== undefined) v.oneOf(f('imagePullPolicy'), c.imagePullPolicy, ['Always', 'IfNotPresent', 'Never'] as const);
  // Upper bounds: the largest EC2 instance (32 TiB, 1,920 vCPUs); above them a unit mistake is named (core/units.ts).
  const minimumMemory = checkMemoryMb(v, f('minimumMemory'), c.minimumMemory ?? 100);
  const minimumCpu = checkMillicores(v, f('minimumCpu'), c.minimumCpu ?? 10);
  if (c.maximumMemory !== undefined) {
    v.number(f('maximumMemory'), c.maximumMemory, minimumMemory, Number.MAX_VALUE, `use a value of at least minimumMemory (${minimumMemory} MB), or leave it unset`);
    checkMemoryMb(v, f('maximumMemory'), c.maximumMemory);
  }
  if (c.maximumCpu !== undefined) {
    v.number(f('maximumCpu'), c.maximumCpu, minimumCpu, Number.MAX_VALUE, `use a value of at least minimumCpu (${minimumCpu} millicores), or leave it unset`);
    checkMillicores(v, f('maximumCpu'), c.maximumCpu);
  }
  v.number(f('memoryLimitMultiplier'), c.memoryLimitMultiplier ?? 1.3, 1, 100, 'use a multiplier of at least 1 (1 makes the limit equal to the request)');
  if (c.uid !== undefined) {
    v.integer(f('uid'), c.uid, 1, 2147483647, 'use a non-zero uid; set runAsRoot: true to run as root');
    if (c.runAsRoot) v.exclusive(f('runAsRoot'), c.runAsRoot, f('uid'), c.uid, 'a root container runs as uid 0; remove uid or runAsRoot');
  }
  // A list token (the whole list known at apply) is checked by the API server, not here.
  for (const [i, cap] of (isListToken(c.linuxCapabilities) ? [] : c.linuxCapabilities ?? []).entries()) {
    if (!isToken(cap) && !CAPABILITY.test(cap)) {
      v.fail(`${f('linuxCapabilities')}[${i}]`, cap, 'use a capability name without the CAP_ prefix, e.g. "NET_BIND_SERVICE"', 'is not a capability name');
    }
    if (!isToken(cap) && cap.startsWith('CAP_')) v.fail(`${f('linuxCapabilities')}[${i}]`, cap, `drop the CAP_ prefix: "${cap.slice(4)}"`);
  }
  if (c.seccompProfileType !== undefined) v.oneOf(f('seccompProfileType'), c.seccompProfileType, ['RuntimeDefault', 'Unconfined', 'Localhost'] as const);
  validateSeccomp(v, field, c);
  for (const k of Object.keys(c.env ?? {})) v.envVarName(keyPath(f('env'), k), k);
  if (c.workingDir !== undefined) v.absolutePath(f('workingDir'), c.workingDir);

  const ports: ResolvedContainer['ports'] = {};
  for (const [name, p] of Object.entries(c.ports ?? {})) {
    const pf = keyPath(f('ports'), name);
    if (!isToken(name) && (name.length > 15 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) || !/[a-z]/.test(name) || name.includes('--'))) {
      v.fail(pf, name, 'port names are at most 15 lower-case letters, digits and single dashes, with at least one letter (an IANA_SVC_NAME such as "http")', 'is not a valid port name');
    }
    v.port(`${pf}.port`, p.port);
    v.knownAtSynth(`${pf}.exposeOnService`, p.exposeOnService, 'it decides whether the Service has this port');
    if (p.servicePort !== undefined) v.port(`${pf}.servicePort`, p.servicePort);
    const protocol = p.protocol ?? 'TCP';
    v.oneOf(`${pf}.protocol`, protocol, ['TCP', 'UDP', 'SCTP'] as const);
    ports[name] = { port: p.port, protocol, servicePort: p.servicePort ?? p.port, exposeOnService: p.exposeOnService ?? true };
  }
  if (init && Object.keys(ports).length > 0 && c.restartPolicy !== 'Always') {
    v.fail(f('ports'), c.ports, 'init containers run to completion and cannot serve ports; remove ports, or make it a native sidecar with restartPolicy: "Always"');
  }
  validateProbes(v, field, c, init, ports);

  return {
    name: c.name,
    init,
    image: imageReference(c.imageRegistry, c.imageRepository, c.imageTag),
    imageRegistry: c.imageRegistry,
    imageRepository: c.imageRepository,
    imageTag: c.imageTag,
    minimumMemory,
    maximumMemory: c.maximumMemory,
    minimumCpu,
    maximumCpu: c.maximumCpu,
    ports,
    imagePrepullEnabled: c.imagePrepullEnabled ?? true,
    imagePinEnabled: c.imagePinEnabled ?? true,
    props: c,
  };
}

/** The API server requires `localhostProfile` for type Localhost and refuses it for every other type. */
function validateSeccomp(v: PropValidator, field: string, c: ContainerProps): void {
  const f = (name: string) => `${field}.${name}`;
  const type = c.seccompProfileType ?? 'RuntimeDefault';
  const profile = c.seccompLocalhostProfile;
  // A type only known at apply cannot be checked against the profile here; the API server does.
  if (isToken(type)) {
    if (profile !== undefined) v.relativePath(f('seccompLocalhostProfile'), profile, 'profiles/app.json');
    return;
  }
  if (type === 'Localhost') {
    if (profile === undefined || profile === null) {
      v.fail(f('seccompLocalhostProfile'), profile,
        'set seccompLocalhostProfile to the profile\'s path relative to the kubelet seccomp directory (e.g. "profiles/app.json"), or use seccompProfileType: "RuntimeDefault"',
        'is missing: seccompProfileType "Localhost" needs a profile');
    }
    v.relativePath(f('seccompLocalhostProfile'), profile, 'profiles/app.json');
  } else if (profile !== undefined) {
    v.fail(f('seccompLocalhostProfile'), profile,
      `remove seccompLocalhostProfile, or set seccompProfileType: "Localhost" (a profile is only allowed with type Localhost; the type is ${JSON.stringify(type)})`,
      'is set without seccompProfileType "Localhost"');
  }
}

function validateProbes(v: PropValidator, field: string, c: ContainerProps, init: boolean, ports: ResolvedContainer['ports']): void {
  const f = (name: string) => `${field}.${name}`;
  const handler = 'it decides which probe handler (exec, httpGet or tcpSocket) the container gets';
  v.knownAtSynth(f('livenessProbeType'), c.livenessProbeType, handler);
  v.knownAtSynth(f('readinessProbeType'), c.readinessProbeType, handler);
  const hasReadinessInput = c.readinessProbeType ?? c.readinessProbeCommand ?? c.readinessProbePort ?? c.readinessProbeRoute;
  if (c.livenessProbeType === undefined) {
    const stray = c.livenessProbeCommand ?? c.livenessProbePort ?? c.livenessProbeRoute ?? hasReadinessInput;
    if (stray !== undefined) {
      v.fail(f('livenessProbeType'), undefined, 'set livenessProbeType ("exec", "HTTP" or "TCP"); probe settings have no effect without it (readiness falls back to the liveness probe)', 'is missing while other probe fields are set');
    }
    return;
  }
  if (init && c.restartPolicy !== 'Always') {
    v.fail(f('livenessProbeType'), c.livenessProbeType, 'init containers cannot have probes; remove them, or make the container a native sidecar with restartPolicy: "Always"');
  }
  for (const kind of ['liveness', 'readiness'] as const) {
    const type = kind === 'liveness' ? c.livenessProbeType : c.readinessProbeType ?? c.livenessProbeType;
    const typeField = f(`${kind}ProbeType`);
    v.oneOf(typeField, type, PROBE_TYPES);
    const command = kind === 'liveness' ? c.livenessProbeCommand : c.readinessProbeCommand ?? c.livenessProbeCommand;
    const port = kind === 'liveness' ? c.livenessProbePort : c.readinessProbePort ?? c.livenessProbePort;
    const route = kind === 'liveness' ? c.livenessProbeRoute : c.readinessProbeRoute ?? c.livenessProbeRoute;
    const scheme = kind === 'liveness' ? c.livenessProbeScheme : c.readinessProbeScheme ?? c.livenessProbeScheme;
    if (type === 'exec') {
      if (!command || (!isToken(command) && command.length === 0)) {
        v.fail(f(`${kind}ProbeCommand`), command, `an exec ${kind} probe needs ${kind}ProbeCommand, e.g. ["/bin/health"]`, 'is missing');
      }
    } else {
      if (port === undefined) {
        const only = Object.values(ports).map((p) => p.port);
        const hint = only.length > 0 ? ` (this container declares ports ${only.join(', ')})` : '';
        v.fail(f(`${kind}ProbePort`), port, `an ${type} ${kind} probe needs ${kind}ProbePort${hint}`, 'is missing');
      }
      v.port(f(`${kind}ProbePort`), port);
      if (type === 'HTTP') {
        if (route !== undefined && !isToken(route) && !route.startsWith('/')) v.fail(f(`${kind}ProbeRoute`), route, 'start the path with "/", e.g. "/healthz"');
        if (scheme !== undefined) v.oneOf(f(`${kind}ProbeScheme`), scheme, ['HTTP', 'HTTPS'] as const);
      }
    }
  }
}

type ProbeTarget = Pick<IProbe, 'exec' | 'httpGet' | 'tcpSocket'>;

/**
 * The one handler of a probe. A probe without a handler (an unknown type, an HTTP/TCP probe
 * without a port, an exec probe without a command) is refused by the API server, so it is
 * refused here too, whoever calls this (resolveContainer validates the props first).
 */
function probeTarget(v: PropValidator, kind: 'liveness' | 'readiness', type: ProbeType, command?: string[], port?: number, route?: string, scheme?: 'HTTP' | 'HTTPS'): ProbeTarget {
  const field = `${kind}ProbeType`;
  v.knownAtSynth(field, type, 'it decides which probe handler (exec, httpGet or tcpSocket) the container gets');
  switch (type) {
    case 'exec':
      if (!command || (!isToken(command) && command.length === 0)) {
        v.fail(`${kind}ProbeCommand`, command, `an exec ${kind} probe needs ${kind}ProbeCommand, e.g. ["/bin/health"]`, 'is missing');
      }
      return { exec: { command } };
    case 'HTTP':
    case 'TCP':
      if (port === undefined || port === null) v.fail(`${kind}ProbePort`, port, `an ${type} ${kind} probe needs ${kind}ProbePort, e.g. 8080`, 'is missing');
      return type === 'HTTP' ? { httpGet: { path: route ?? '/', port, scheme: scheme ?? 'HTTP' } } : { tcpSocket: { port } };
    default:
      return v.fail(field, type, `use one of ${PROBE_TYPES.map((t) => JSON.stringify(t)).join(', ')}; a probe must have exactly one handler`, 'is not a probe type');
  }
}

/** The liveness, readiness and startup probes (timings as Panfactum: 1 s period, 3 s timeout). */
export function buildProbes(c: ContainerProps, v: PropValidator = new PropValidator(undefined)): Pick<IContainer, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  if (c.livenessProbeType === undefined) return {};
  const liveness = probeTarget(v, 'liveness', c.livenessProbeType, c.livenessProbeCommand, c.livenessProbePort, c.livenessProbeRoute, c.livenessProbeScheme);
  const readiness = probeTarget(
    v,
    'readiness',
    c.readinessProbeType ?? c.livenessProbeType,
    c.readinessProbeCommand ?? c.livenessProbeCommand,
    c.readinessProbePort ?? c.livenessProbePort,
    c.readinessProbeRoute ?? c.livenessProbeRoute,
    c.readinessProbeScheme ?? c.livenessProbeScheme,
  );
  return {
    // The startup probe guards slow starts: up to 120 one-second attempts before liveness takes over.
    startupProbe: { ...liveness, failureThreshold: 120, periodSeconds: 1, timeoutSeconds: 3 },
    readinessProbe: { ...readiness, successThreshold: 1, failureThreshold: 3, periodSeconds: 1, timeoutSeconds: 3 },
    livenessProbe: { ...liveness, successThreshold: 1, failureThreshold: 15, periodSeconds: 1, timeoutSeconds: 3 },
  };
}

/** Requests and limits: no CPU limit unless maximumCpu; memory limit = request x multiplier. */
export function buildResources(c: ResolvedContainer, nodeLocalTmpMb: number): IContainer['resources'] {
  const ephemeral = mbQuantity(addNumbers(nodeLocalTmpMb, 100));
  const limits: Record<string, string> = {
    memory: bytesQuantity(memoryLimitBytes(c.minimumMemory, c.props.memoryLimitMultiplier ?? 1.3)),
    'ephemeral-storage': ephemeral,
  };
  if (c.maximumCpu !== undefined) limits.cpu = cpuQuantity(c.maximumCpu);
  return {
    requests: { cpu: cpuQuantity(c.minimumCpu), memory: mbQuantity(c.minimumMemory), 'ephemeral-storage': ephemeral },
    limits,
  };
}

/** The container security context: non-root uid 1000, drop ALL, read-only root FS, no escalation. */
export function buildSecurityContext(c: ContainerProps): ISecurityContext {
  const runAsRoot = c.runAsRoot ?? false;
  const privileged = c.privileged ?? false;
  const caps = c.linuxCapabilities ?? [];
  const uid = runAsRoot ? 0 : c.uid ?? 1000;
  const sc: ISecurityContext = {
    runAsUser: uid,
    runAsGroup: uid,
    runAsNonRoot: !runAsRoot,
    // CAP_SYS_ADMIN requires escalation; a capability list only known at apply is asked there.
    allowPrivilegeEscalation: runAsRoot || privileged || (isToken(caps) ? (Token.asAny(Fn.contains(caps, 'SYS_ADMIN')) as unknown as boolean) : caps.includes('SYS_ADMIN')),
    readOnlyRootFilesystem: c.readOnly ?? true,
    privileged,
    capabilities: { add: caps.length > 0 ? [...caps] : undefined, drop: privileged ? undefined : ['ALL'] },
    seccompProfile: {
      type: c.seccompProfileType ?? 'RuntimeDefault',
      ...(c.seccompLocalhostProfile !== undefined ? { localhostProfile: c.seccompLocalhostProfile } : {}),
    },
  };
  if (!sc.capabilities?.add && !sc.capabilities?.drop) delete sc.capabilities;
  else if (!sc.capabilities.add) delete sc.capabilities.add;
  return sc;
}

/**
 * The 16 variables every Panfactum container gets (seed 000), through the downward API
 * where Kubernetes offers the value and as literals where the library knows it.
 */
export function defaultEnv(c: ResolvedContainer, terminationGracePeriodSeconds: number): IEnvVar[] {
  const field = (name: string, fieldPath: string): IEnvVar => ({ name, valueFrom: { fieldRef: { fieldPath } } });
  const resource = (name: string, res: string): IEnvVar => ({ name, valueFrom: { resourceFieldRef: { containerName: c.name, resource: res } } });
  return [
    field('POD_IP', 'status.podIP'),
    field('POD_NAME', 'metadata.name'),
    field('POD_NAMESPACE', 'metadata.namespace'),
    field('POD_SERVICE_ACCOUNT', 'spec.serviceAccountName'),
    { name: 'POD_TERMINATION_GRACE_PERIOD_SECONDS', value: String(terminationGracePeriodSeconds) },
    { name: 'CONTAINER_IMAGE', value: c.image },
    { name: 'CONTAINER_IMAGE_TAG', value: c.imageTag },
    { name: 'CONTAINER_IMAGE_REPO', value: c.imageRepository },
    { name: 'CONTAINER_IMAGE_REGISTRY', value: c.imageRegistry },
    resource('CONTAINER_CPU_REQUEST', 'requests.cpu'),
    resource('CONTAINER_MEMORY_REQUEST', 'requests.memory'),
    resource('CONTAINER_MEMORY_LIMIT', 'limits.memory'),
    resource('CONTAINER_EPHEMERAL_STORAGE_REQUEST', 'requests.ephemeral-storage'),
    resource('CONTAINER_EPHEMERAL_STORAGE_LIMIT', 'limits.ephemeral-storage'),
    field('NODE_IP', 'status.hostIP'),
    field('NODE_NAME', 'spec.nodeName'),
  ];
}

/** Build one container from its resolved props and the pod-wide context. */
export function buildContainer(c: ResolvedContainer, ctx: ContainerContext): IContainer {
  const own: IEnvVar[] = Object.entries(c.props.env ?? {}).map(([name, value]) => (value === '' ? { name } : { name, value }));
  const explicit = [...ctx.commonEnv, ...own];
  const explicitNames = new Set(explicit.map((e) => e.name));
  // A variable the user sets explicitly replaces the default one of the same name.
  const defaults = ctx.defaultEnvEnabled ? defaultEnv(c, ctx.terminationGracePeriodSeconds).filter((e) => !explicitNames.has(e.name)) : [];
  const p = c.props;
  const container: IContainer = {
    name: c.name,
    image: c.image,
    imagePullPolicy: p.imagePullPolicy ?? 'IfNotPresent',
    command: p.command && p.command.length > 0 ? [...p.command] : undefined,
    args: p.args && p.args.length > 0 ? [...p.args] : undefined,
    workingDir: p.workingDir,
    env: [...defaults, ...explicit],
    ports: c.init && p.restartPolicy !== 'Always' ? undefined : portsOf(c),
    ...(c.init && p.restartPolicy !== 'Always' ? {} : buildProbes(p)),
    restartPolicy: c.init ? p.restartPolicy : undefined,
    resources: buildResources(c, ctx.nodeLocalTmpMb),
    securityContext: buildSecurityContext(p),
    volumeMounts: ctx.volumeMounts.map((m) => ({ ...m })),
  };
  return stripUndefined(container);
}

function portsOf(c: ResolvedContainer): IContainer['ports'] {
  const entries = Object.entries(c.ports);
  if (entries.length === 0) return undefined;
  return entries.map(([name, p]) => ({ name, containerPort: p.port, protocol: p.protocol }));
}

/** Remove keys whose value is undefined (the emitted JSON must not carry nulls). */
export function stripUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) {
    if (o[k] === undefined) delete o[k];
  }
  return o;
}

/**
 * `registry/repository:tag`, or `registry/repository@sha256:...` for a digest. When the tag is a
 * deploy-time token, Terraform picks the separator (`startswith(tag, "sha256:")`), so a token
 * that holds a digest gives a valid reference too.
 */
export function imageReference(registry: string, repository: string, tag: string): string {
  if (!isToken(tag)) return `${registry}/${repository}${tag.startsWith('sha256:') ? '@' : ':'}${tag}`;
  const separator = Token.asString(Fn.conditional(Fn.startswith(tag, 'sha256:'), '@', ':'));
  return `${registry}/${repository}${separator}${tag}`;
}
