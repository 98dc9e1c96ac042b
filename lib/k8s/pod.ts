import { Fn } from 'cdktf';
import { AnnotationKeys, LabelKeys, backupExclusionLabels } from '../core/labels';
import { fitName } from '../core/naming';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { MAX_EBS_VOLUME_MB, addNumbers, checkMemoryMb, checkMillicores, cpuQuantity, mbQuantity } from '../core/units';
import { keyPath } from '../core/paths';
import { ContainerProps, ResolvedContainer, buildContainer, resolveContainer, stripUndefined } from './container';
import { SchedulingProps, buildScheduling, validateScheduling } from './scheduling';
import { DEFAULT_CLUSTER, ResolvedClusterCapabilities } from '../core/cluster-profile';
import type { IEnvVar, IPodSpec, IPodTemplateSpec, IRole, IRoleBinding, IVolume, IVolumeMount, Named } from './types';

/**
 * A scratch directory (Panfactum's `tmp_directories` value).
 *
 * @group Workloads
 */
export interface TmpDirectory {
  /** Where the directory is mounted in every container. */
  readonly mountPath: string;
  /** Size limit in MB (MiB); at most 67108864 (64 TiB, the largest EBS volume). @default 100 */
  readonly sizeMb?: number;
  /** Use node-local disk (an emptyDir: faster start, uses the node's limited disk) instead of an EBS volume. @default false */
  readonly nodeLocal?: boolean;
}

/**
 * How a Secret or ConfigMap is mounted (Panfactum's `secret_mounts` / `config_map_mounts` value).
 *
 * @group Workloads
 */
export interface MountSource {
  /** Directory the keys appear in. */
  readonly mountPath: string;
  /** Start the pod even when the Secret/ConfigMap does not exist. @default false */
  readonly optional?: boolean;
  /** Mount only these keys, each as `<mountPath>/<key>`. @default [] (every key, as a directory) */
  readonly subPaths?: string[];
}

/**
 * An environment variable read from a key of an existing Secret.
 *
 * @group Workloads
 */
export interface EnvFromSecret {
  /** Name of the Secret (in the pod's namespace). */
  readonly secretName: string;
  /** Key within the Secret. */
  readonly key: string;
}

/**
 * An environment variable read from a key of an existing ConfigMap.
 *
 * @group Workloads
 */
export interface EnvFromConfigMap {
  /** Name of the ConfigMap (in the pod's namespace). */
  readonly configMapName: string;
  /** Key within the ConfigMap. */
  readonly key: string;
}

/**
 * Pod inputs shared by every controller (Panfactum's kube_pod plus the Linkerd toggles of
 * seed 002). Scheduling inputs come from SchedulingProps.
 *
 * @group Workloads
 */
export interface PodProps extends SchedulingProps {
  /** The containers; at least one must be a regular (non-init) container. */
  readonly containers: ContainerProps[];
  /** Plain environment variables for every container; an empty string sets a variable with no value. @default {} */
  readonly commonEnv?: Record<string, string>;
  /**
   * Secret environment variables for every container, stored in a generated Secret
   * (values never appear in plan output). Pass sensitive TerraformVariables or other
   * tokens, not literals in code. @default {}
   */
  readonly commonSecrets?: Record<string, string>;
  /** Environment variables from keys of existing Secrets. @default {} */
  readonly commonEnvFromSecrets?: Record<string, EnvFromSecret>;
  /** Environment variables from keys of existing ConfigMaps. @default {} */
  readonly commonEnvFromConfigMaps?: Record<string, EnvFromConfigMap>;
  /** Set the 16 default variables (POD_IP, POD_NAME, ... NODE_NAME) in every container; false also sets the pod label `panfactum.com/inject-env-enabled: "false"` where Panfactum's Kyverno policies run (cluster profile `kyverno`), so they are not injected either. @default true */
  readonly defaultEnvEnabled?: boolean;
  /** Scratch directories keyed by name. @default {} */
  readonly tmpDirectories?: Record<string, TmpDirectory>;
  /** Secrets to mount as files, keyed by Secret name. @default {} */
  readonly secretMounts?: Record<string, MountSource>;
  /** ConfigMaps to mount as files, keyed by ConfigMap name. @default {} */
  readonly configMapMounts?: Record<string, MountSource>;
  /** Group that owns mounted volumes (pod fsGroup). @default 1000 */
  readonly mountOwner?: number;
  /** Extra pod labels (highest precedence; selector labels cannot be overridden). @default {} */
  readonly extraPodLabels?: Record<string, string>;
  /** Extra pod annotations (override the ones the library sets). @default {} */
  readonly extraPodAnnotations?: Record<string, string>;
  /** Pod priority class, e.g. "workload-important". @default - the cluster default priority */
  readonly priorityClassName?: string;
  /** Pod DNS policy. @default "ClusterFirst" */
  readonly dnsPolicy?: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** Seconds between SIGTERM and SIGKILL. @default 90 */
  readonly terminationGracePeriodSeconds?: number;
  /** Use the node's network namespace. @default false */
  readonly hostNetwork?: boolean;
  /** Let the pod's ServiceAccount get and list pods in its namespace (to read its own manifest). @default true */
  readonly defaultPermissionsEnabled?: boolean;
  /** Inject the Linkerd proxy (`linkerd.io/inject`); only where the cluster profile declares `linkerd`. @default - true when the cluster profile declares `linkerd` (panfactum: yes; eks: no) */
  readonly linkerdEnabled?: boolean;
  /** Run the Linkerd proxy as a native sidecar; false sets `config.alpha.linkerd.io/proxy-enable-native-sidecar: "false"`. @default true */
  readonly linkerdNativeSidecarEnabled?: boolean;
  /** Linkerd proxy CPU request in millicores (at most 1920000, the largest EC2 instance). @default - Linkerd's default */
  readonly linkerdProxyCpuRequest?: number;
  /** Linkerd proxy memory request in MB (at most 33554432, 32 TiB). @default - Linkerd's default */
  readonly linkerdProxyMemoryRequest?: number;
  /** Linkerd proxy memory limit in MB (at most 33554432, 32 TiB). @default - Linkerd's default */
  readonly linkerdProxyMemoryLimit?: number;
  /** Ports the proxy passes through without mTLS (e.g. a database's own TLS port). @default [] */
  readonly linkerdOpaquePorts?: number[];
}

/**
 * Pod restart policy.
 *
 * @group Workloads
 */
export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** What a controller passes to the pod builder besides the user's props. */
export interface PodBuildInput {
  readonly namespace: string;
  readonly workloadName: string;
  /** Selector labels (the `id` label). */
  readonly matchLabels: Record<string, string>;
  readonly serviceAccountName: string;
  /** Name of the generated Secret holding commonSecrets. */
  readonly secretName: string;
  /** Name of the pod-reader Role (default: serviceAccountName). */
  readonly roleName?: string;
  /** Name of the pod-reader RoleBinding (default: serviceAccountName). */
  readonly roleBindingName?: string;
  /** Labels every object of the module carries (environment, module, managed-by). */
  readonly moduleLabels: Record<string, string>;
  readonly restartPolicy: RestartPolicy;
  /** Volumes defined by the controller itself (StatefulSet claims), mounted in every container. */
  readonly extraVolumeMounts?: Record<string, { mountPath: string }>;
  /** What the cluster provides (the environment context's cluster profile). @default - a Panfactum cluster */
  readonly cluster?: ResolvedClusterCapabilities;
}

/** A port exposed on the workload's Service. */
export interface ExposedPort {
  readonly name: string;
  readonly port: number;
  readonly servicePort: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/** Everything the pod builder produces. */
export interface PodModel {
  readonly template: IPodTemplateSpec;
  /** Pod labels (selector labels included). */
  readonly labels: Record<string, string>;
  readonly matchLabels: Record<string, string>;
  readonly containers: ResolvedContainer[];
  /** Ports of regular containers that the Service should expose. */
  readonly exposedPorts: ExposedPort[];
  /** commonSecrets, for the generated Secret (undefined when there are none). */
  readonly secretData?: Record<string, string>;
  readonly role?: Named<IRole>;
  readonly roleBinding?: Named<IRoleBinding>;
}

/** Panfactum mounts Secrets and ConfigMaps with mode 0551. */
const MOUNT_MODE = 0o551;

/** Validate the pod props and build the pod template and its supporting objects. */
export function buildPod(v: PropValidator, input: PodBuildInput, props: PodProps): PodModel {
  const cluster = input.cluster ?? DEFAULT_CLUSTER;
  validateScheduling(v, props, cluster);
  validatePodProps(v, props, cluster);
  v.nonEmpty('containers', props.containers, 'give at least one container, e.g. [{ name: "app", imageRegistry: "docker.io", imageRepository: "library/nginx", imageTag: "1.27.1" }]');
  const containers = props.containers.map((c, i) => resolveContainer(v, `containers[${i}]`, c));
  const seen = new Map<string, number>();
  containers.forEach((c, i) => {
    if (seen.has(c.name)) v.fail(`containers[${i}].name`, c.name, `container names must be unique (containers[${seen.get(c.name)}] has the same name)`, 'is a duplicate');
    seen.set(c.name, i);
  });
  if (!containers.some((c) => !c.init || c.props.restartPolicy === 'Always')) {
    v.fail('containers', props.containers.map((c) => c.name), 'add at least one regular container (init: false); a pod of init containers only never runs');
  }

  const exposedPorts = collectExposedPorts(v, containers);
  const volumes: IVolume[] = [];
  const mounts: IVolumeMount[] = [];
  const mountPaths = new Map<string, string>();
  const addMount = (m: IVolumeMount, field: string) => {
    if (mountPaths.has(m.mountPath)) v.fail(field, m.mountPath, `mount paths must be unique (also used by ${mountPaths.get(m.mountPath)})`, 'is mounted twice');
    mountPaths.set(m.mountPath, field);
    mounts.push(m);
  };
  const volumeNames = new Set<string>();
  const addVolume = (vol: IVolume, field: string) => {
    if (volumeNames.has(vol.name)) v.fail(field, vol.name, 'rename it: two volumes of this pod would get the same name');
    volumeNames.add(vol.name);
    volumes.push(vol);
  };

  // 1. scratch directories: node-local emptyDirs first, then EBS-backed ephemeral volumes.
  const tmp = Object.entries(props.tmpDirectories ?? {});
  for (const [key, dir] of tmp) v.knownAtSynth(`${keyPath('tmpDirectories', key)}.nodeLocal`, dir?.nodeLocal, 'it decides the kind of volume (emptyDir or an EBS-backed ephemeral volume)');
  let nodeLocalTmpMb = 0;
  const tmpVolumes: IVolume[] = [];
  for (const [key, dir] of [...tmp.filter(([, d]) => d.nodeLocal), ...tmp.filter(([, d]) => !d.nodeLocal)]) {
    const field = keyPath('tmpDirectories', key);
    const name = key.toLowerCase().replace(/[^a-z0-9]/g, '');
    if (name.length === 0) v.fail(field, key, 'use a key with at least one letter or digit; it names the volume');
    // The volume name is a DNS-1123 label: the API server refuses more than 63 characters (found by the fuzz suite).
    if (name.length > 63) v.fail(field, key, `use a shorter key: its letters and digits name the volume, at most 63 (it has ${name.length})`, 'is too long');
    // A scratch volume is an EBS volume (or the node's EBS root disk): at most 64 TiB.
    const sizeMb = checkMemoryMb(v, `${field}.sizeMb`, dir.sizeMb ?? 100, 1, MAX_EBS_VOLUME_MB, 'the largest EBS volume (64 TiB for gp3 and io2)');
    v.absolutePath(`${field}.mountPath`, dir.mountPath);
    if (dir.nodeLocal) {
      nodeLocalTmpMb = addNumbers(nodeLocalTmpMb, sizeMb);
      tmpVolumes.push({ name, emptyDir: { sizeLimit: mbQuantity(sizeMb) } });
    } else {
      tmpVolumes.push({
        name,
        ephemeral: {
          volumeClaimTemplate: {
            // Scratch space is never backed up. Velero selects on labels; the annotation is
            // Panfactum's form of the same contract (kept for its tooling).
            metadata: {
              labels: { ...input.moduleLabels, ...backupExclusionLabels() },
              annotations: { [AnnotationKeys.veleroExcludeFromBackups]: 'true' },
            },
            spec: { accessModes: ['ReadWriteOnce'], storageClassName: cluster.storageClass, volumeMode: 'Filesystem', resources: { requests: { storage: mbQuantity(sizeMb) } } },
          },
        },
      });
    }
    addMount({ name, mountPath: dir.mountPath }, `${field}.mountPath`);
  }
  tmpVolumes.forEach((vol) => addVolume(vol, keyPath('tmpDirectories', vol.name)));

  // 2. volumes the controller defines (StatefulSet claims)
  for (const [name, m] of Object.entries(input.extraVolumeMounts ?? {})) addMount({ name, mountPath: m.mountPath }, `${keyPath('volumeMounts', name)}.mountPath`);

  // 3. Secret and 4. ConfigMap mounts
  const sourceMounts = (kind: 'secret' | 'configMap', sources: Record<string, MountSource> | undefined) => {
    for (const [sourceName, m] of Object.entries(sources ?? {})) {
      const field = keyPath(kind === 'secret' ? 'secretMounts' : 'configMapMounts', sourceName);
      v.dnsSubdomain(field, sourceName);
      v.absolutePath(`${field}.mountPath`, m.mountPath);
      // A name only known at apply (an immutable KubeConfigMap's configMapName) is rewritten by Terraform.
      const safeName = isToken(sourceName) ? Fn.replace(sourceName, '.', '-') : sourceName.replace(/\./g, '-');
      const volName = fitName(`${kind === 'secret' ? 'secret' : 'config-map'}-${safeName}`, 63);
      addVolume(
        kind === 'secret'
          ? { name: volName, secret: { secretName: sourceName, defaultMode: MOUNT_MODE, optional: m.optional ?? false } }
          : { name: volName, configMap: { name: sourceName, defaultMode: MOUNT_MODE, optional: m.optional ?? false } },
        field,
      );
      if (isListToken(m.subPaths)) {
        v.knownAtSynth(`${field}.subPaths`, m.subPaths, 'each key becomes its own volume mount, so the list itself must be known (its keys may be tokens)',
          'give the keys as a list in code ([key.stringValue, "config.yaml"]: each key may be a token), or leave subPaths out to mount every key as a directory');
      }
      const subPaths = m.subPaths ?? [];
      if (!Array.isArray(subPaths)) v.fail(`${field}.subPaths`, subPaths, 'give a list of keys, e.g. ["config.yaml"]', 'is not a list');
      if (subPaths.length === 0) {
        addMount({ name: volName, mountPath: m.mountPath, readOnly: true }, `${field}.mountPath`);
      } else {
        subPaths.forEach((key, i) => {
          const kf = `${field}.subPaths[${i}]`;
          if (!isToken(key) && typeof key !== 'string') v.fail(kf, key, 'give the key of the Secret/ConfigMap as a string, e.g. "config.yaml"', 'is not a key');
          // The API server refuses a subPath with a '..' segment, and a key '.', '..' or starting with '..'.
          if (!isToken(key) && (key === '.' || key.startsWith('..'))) {
            v.fail(kf, key, 'give a key of the Secret/ConfigMap such as "config.yaml"; a key is never ".", ".." or starts with ".." (a subPath must stay inside the volume)', key === '.' ? 'is not a valid key' : "must not contain '..'");
          }
          if (!isToken(key)) v.relativePath(kf, key, 'config.yaml');
          if (!isToken(key) && !/^[-._a-zA-Z0-9]+$/.test(key)) v.fail(`${field}.subPaths`, key, 'use a key of the Secret/ConfigMap (letters, digits, "-", "_", ".")', 'is not a valid key');
          addMount({ name: volName, mountPath: `${m.mountPath.replace(/\/$/, '')}/${key}`, subPath: key, readOnly: true }, `${field}.subPaths`);
        });
      }
    }
  };
  sourceMounts('secret', props.secretMounts);
  sourceMounts('configMap', props.configMapMounts);

  // 5. pod metadata under /etc/podinfo
  addVolume(
    { name: 'podinfo', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } }] } },
    'podinfo',
  );
  addMount({ name: 'podinfo', mountPath: '/etc/podinfo' }, 'podinfo');

  const commonEnv = buildCommonEnv(v, props, input.secretName, containers);
  const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 90;
  const ctx = { commonEnv, volumeMounts: mounts, nodeLocalTmpMb, defaultEnvEnabled: props.defaultEnvEnabled ?? true, terminationGracePeriodSeconds };

  const scheduling = buildScheduling(props, input.matchLabels, input.workloadName, cluster);
  for (const key of Object.keys(props.extraPodLabels ?? {})) {
    if (key in input.matchLabels) v.fail(keyPath('extraPodLabels', key), props.extraPodLabels?.[key], `"${key}" is a selector label set by the library; choose another key`);
  }
  // Seed 000: with the default variables off, Panfactum's Kyverno policy must not inject them either.
  const injectEnvLabel: Record<string, string> = cluster.kyverno && props.defaultEnvEnabled === false ? { [LabelKeys.injectEnvEnabled]: 'false' } : {};
  const labels = { ...input.moduleLabels, ...scheduling.labels, ...injectEnvLabel, ...(props.extraPodLabels ?? {}) };
  const annotations = { ...(cluster.linkerd ? linkerdAnnotations(props) : {}), ...(props.extraPodAnnotations ?? {}) };

  const spec: IPodSpec = stripUndefined({
    priorityClassName: props.priorityClassName,
    serviceAccountName: input.serviceAccountName,
    dnsPolicy: props.dnsPolicy ?? 'ClusterFirst',
    hostNetwork: props.hostNetwork ? true : undefined,
    restartPolicy: input.restartPolicy,
    terminationGracePeriodSeconds,
    securityContext: { fsGroup: props.mountOwner ?? 1000, fsGroupChangePolicy: 'OnRootMismatch' },
    schedulerName: scheduling.schedulerName,
    tolerations: scheduling.tolerations.length > 0 ? scheduling.tolerations : undefined,
    affinity: scheduling.affinity,
    topologySpreadConstraints: scheduling.topologySpreadConstraints,
    volumes,
    initContainers: containers.some((c) => c.init) ? containers.filter((c) => c.init).map((c) => buildContainer(c, ctx)) : undefined,
    containers: containers.filter((c) => !c.init).map((c) => buildContainer(c, ctx)),
  } as IPodSpec);

  const secretData = props.commonSecrets && Object.keys(props.commonSecrets).length > 0 ? { ...props.commonSecrets } : undefined;
  const rbac = props.defaultPermissionsEnabled ?? true;
  const objectLabels = { ...input.moduleLabels, ...scheduling.labels };
  return {
    template: { metadata: Object.keys(annotations).length > 0 ? { labels, annotations } : { labels }, spec },
    labels,
    matchLabels: { ...input.matchLabels },
    containers,
    exposedPorts,
    secretData,
    role: rbac
      ? {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: input.roleName ?? input.serviceAccountName, namespace: input.namespace, labels: objectLabels },
          rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
        }
      : undefined,
    roleBinding: rbac
      ? {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: input.roleBindingName ?? input.serviceAccountName, namespace: input.namespace, labels: objectLabels },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: input.roleName ?? input.serviceAccountName },
          subjects: [{ kind: 'ServiceAccount', name: input.serviceAccountName, namespace: input.namespace }],
        }
      : undefined,
  };
}

/** The Linkerd props: each needs Linkerd in the cluster. */
const LINKERD_PROPS = ['linkerdEnabled', 'linkerdNativeSidecarEnabled', 'linkerdProxyCpuRequest', 'linkerdProxyMemoryRequest', 'linkerdProxyMemoryLimit', 'linkerdOpaquePorts'] as const;

function validatePodProps(v: PropValidator, p: PodProps, cluster: ResolvedClusterCapabilities): void {
  if (!cluster.linkerd) {
    for (const k of LINKERD_PROPS) {
      // Turning the proxy off (or leaving a setting empty) asks for nothing.
      if (p[k] === undefined || (k === 'linkerdEnabled' && p[k] === false) || (k === 'linkerdOpaquePorts' && p[k]?.length === 0)) continue;
      v.capability(k, p[k], cluster, 'linkerd', 'the Linkerd service mesh (its proxy injector reads this)', 'true', `remove ${k}`);
    }
  }
  v.labels('extraPodLabels', p.extraPodLabels);
  v.annotations('extraPodAnnotations', p.extraPodAnnotations);
  if (p.terminationGracePeriodSeconds !== undefined) v.integer('terminationGracePeriodSeconds', p.terminationGracePeriodSeconds, 0, 86400, 'use whole seconds from 0 to 86400');
  if (p.mountOwner !== undefined) v.integer('mountOwner', p.mountOwner, 0, 2147483647, 'use a group id of 0 or more');
  if (p.dnsPolicy !== undefined) v.oneOf('dnsPolicy', p.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'] as const);
  if (p.dnsPolicy === 'None') v.fail('dnsPolicy', p.dnsPolicy, 'dnsPolicy "None" needs a dnsConfig, which this library does not set; use "ClusterFirst" or "Default"');
  if (p.priorityClassName !== undefined) v.dnsSubdomain('priorityClassName', p.priorityClassName);
  if (p.linkerdProxyCpuRequest !== undefined) checkMillicores(v, 'linkerdProxyCpuRequest', p.linkerdProxyCpuRequest);
  if (p.linkerdProxyMemoryRequest !== undefined) checkMemoryMb(v, 'linkerdProxyMemoryRequest', p.linkerdProxyMemoryRequest);
  if (p.linkerdProxyMemoryLimit !== undefined) {
    v.number('linkerdProxyMemoryLimit', p.linkerdProxyMemoryLimit, p.linkerdProxyMemoryRequest ?? 1, Number.MAX_VALUE, 'use MB of at least linkerdProxyMemoryRequest');
    checkMemoryMb(v, 'linkerdProxyMemoryLimit', p.linkerdProxyMemoryLimit);
  }
  (p.linkerdOpaquePorts ?? []).forEach((port, i) => v.port(`linkerdOpaquePorts[${i}]`, port));
  for (const [k, ref] of Object.entries(p.commonEnvFromSecrets ?? {})) {
    v.dnsSubdomain(`${keyPath('commonEnvFromSecrets', k)}.secretName`, ref.secretName);
    v.required(`${keyPath('commonEnvFromSecrets', k)}.key`, ref.key);
  }
  for (const [k, ref] of Object.entries(p.commonEnvFromConfigMaps ?? {})) {
    v.dnsSubdomain(`${keyPath('commonEnvFromConfigMaps', k)}.configMapName`, ref.configMapName);
    v.required(`${keyPath('commonEnvFromConfigMaps', k)}.key`, ref.key);
  }
}

/** Common env in Panfactum's order: generated Secret, existing Secrets, ConfigMaps, plain values. */
function buildCommonEnv(v: PropValidator, p: PodProps, secretName: string, containers: ResolvedContainer[]): IEnvVar[] {
  const env: IEnvVar[] = [];
  const origin = new Map<string, string>();
  const add = (field: string, e: IEnvVar) => {
    v.envVarName(field, e.name);
    if (origin.has(e.name)) v.fail(field, e.name, `each variable may be set once; it is also set by ${origin.get(e.name)}`, 'is set twice');
    origin.set(e.name, field);
    env.push(e);
  };
  for (const name of Object.keys(p.commonSecrets ?? {})) {
    // The name is also the key of the generated Secret: at most 253 characters, not "." or ".."
    // (found by the fuzz suite; environment variable names allow both).
    if (name.length > 253) v.fail(keyPath('commonSecrets', name), name, `use a name of at most 253 characters (it has ${name.length}): it is also the key of the generated Secret`, 'is too long');
    if (name === '.' || name === '..') v.fail(keyPath('commonSecrets', name), name, 'use a name with a letter: it is also the key of the generated Secret, which cannot be "." or ".."', 'is not a Secret key');
    add(keyPath('commonSecrets', name), { name, valueFrom: { secretKeyRef: { name: secretName, key: name, optional: false } } });
  }
  for (const [name, ref] of Object.entries(p.commonEnvFromSecrets ?? {})) {
    add(keyPath('commonEnvFromSecrets', name), { name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key, optional: false } } });
  }
  for (const [name, ref] of Object.entries(p.commonEnvFromConfigMaps ?? {})) {
    add(keyPath('commonEnvFromConfigMaps', name), { name, valueFrom: { configMapKeyRef: { name: ref.configMapName, key: ref.key, optional: false } } });
  }
  for (const [name, value] of Object.entries(p.commonEnv ?? {})) {
    add(keyPath('commonEnv', name), value === '' ? { name } : { name, value });
  }
  containers.forEach((c, i) => {
    for (const name of Object.keys(c.props.env ?? {})) {
      if (origin.has(name)) v.fail(keyPath(`containers[${i}].env`, name), name, `it is already set for every container by ${origin.get(name)}; remove one of them`, 'is set twice');
    }
  });
  return env;
}

function linkerdAnnotations(p: PodProps): Record<string, string> {
  const a: Record<string, string> = { [AnnotationKeys.linkerdInject]: p.linkerdEnabled ?? true ? 'enabled' : 'disabled' };
  if (p.linkerdNativeSidecarEnabled === false) a[AnnotationKeys.linkerdNativeSidecar] = 'false';
  if (p.linkerdProxyCpuRequest !== undefined) a[AnnotationKeys.linkerdProxyCpuRequest] = cpuQuantity(p.linkerdProxyCpuRequest);
  if (p.linkerdProxyMemoryRequest !== undefined) a[AnnotationKeys.linkerdProxyMemoryRequest] = mbQuantity(p.linkerdProxyMemoryRequest);
  if (p.linkerdProxyMemoryLimit !== undefined) a[AnnotationKeys.linkerdProxyMemoryLimit] = mbQuantity(p.linkerdProxyMemoryLimit);
  if (p.linkerdOpaquePorts && p.linkerdOpaquePorts.length > 0) a[AnnotationKeys.linkerdOpaquePorts] = p.linkerdOpaquePorts.join(',');
  return a;
}

function collectExposedPorts(v: PropValidator, containers: ResolvedContainer[]): ExposedPort[] {
  const out = new Map<string, ExposedPort & { owner: string; field: string }>();
  const servicePorts = new Map<number, string>();
  // The containers of a pod share one network namespace: a port (and protocol) can be bound once.
  const listening = new Map<string, { field: string; container: number }>();
  containers.forEach((c, i) => {
    if (c.init && c.props.restartPolicy !== 'Always') return;
    for (const [name, p] of Object.entries(c.ports)) {
      const field = keyPath(`containers[${i}].ports`, name);
      const prev = out.get(name);
      if (prev) v.fail(field, name, `port names must be unique in the pod (${prev.field} of container "${prev.owner}" has the same name); rename one`, 'is a duplicate');
      if (!isToken(p.port) && !isToken(p.protocol)) {
        const bound = `${p.port}/${p.protocol}`;
        const other = listening.get(bound);
        if (other && other.container !== i) {
          v.fail(`${field}.port`, p.port,
            `the containers of a pod share one network namespace, so only one of them can listen on ${p.protocol} port ${p.port} (${other.field}.port already does); give one of them another port`,
            'is already used by another container of the pod');
        }
        if (!other) listening.set(bound, { field, container: i });
      }
      out.set(name, { name, port: p.port, servicePort: p.servicePort, protocol: p.protocol, owner: c.name, field });
      if (p.exposeOnService) {
        const key = p.servicePort;
        const other = servicePorts.get(key);
        if (other && !isToken(key)) v.fail(`${field}.servicePort`, key, `two exposed ports would share Service port ${key} (also ${other}); set a different servicePort`, 'is a duplicate');
        servicePorts.set(key, field);
      }
    }
  });
  return [...out.values()]
    .filter((p) => containers.some((c) => c.ports[p.name]?.exposeOnService && c.name === p.owner))
    .map(({ name, port, servicePort, protocol }) => ({ name, port, servicePort, protocol }));
}
