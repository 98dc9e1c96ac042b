/**
 * Arbitraries shared by several targets: the environment, containers, pod and workload props,
 * network peers, namespace references. Every one produces valid, realistic props (the corpus
 * in test/corpus/ shows the same shapes); the mutator makes them hostile.
 */
import * as fc from 'fast-check';
import { FuzzRef } from '../model';
import { asMap, mapOf } from '../mutate';
import { absPath, cidr, dnsLabel, duration, envMap, envName, freeText, image, labelKey, labelValue, labels, portName, portNumber } from '../values';

const contextProps = {
  environment: fc.constantFrom('production', 'staging', 'dev-1'),
  region: fc.constantFrom('us-east-2', 'eu-west-1'),
  slaTarget: fc.constantFrom(1, 2, 3),
  clusterName: fc.constantFrom('primary', 'corp-cluster'),
  extraLabels: labels(2),
};

/** The EnvironmentContext of a case (none in a fifth of the cases). */
export const context: fc.Arbitrary<Record<string, unknown> | undefined> = fc.option(fc.record(contextProps, { requiredKeys: [] }), { freq: 5, nil: undefined });

/** An EnvironmentContext that names the cluster (IRSA roles of workloads look its issuer up). */
export const clusterContext: fc.Arbitrary<Record<string, unknown> | undefined> = fc.record(contextProps, { requiredKeys: ['clusterName'] });

/** A namespace by name, or a KubeNamespace construct. */
export const namespaceRef: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: dnsLabel(20) },
  { weight: 1, arbitrary: dnsLabel(20).map((namespace) => new FuzzRef('namespace', { namespace })) },
);

const stringList = (item: fc.Arbitrary<string>, max = 3, min = 0) => fc.array(item, { minLength: min, maxLength: max });

/** Ports of a container (names unique by construction: a map). */
const containerPorts = mapOf(
  portName,
  fc.record(
    {
      port: portNumber,
      protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'),
      servicePort: portNumber,
      exposeOnService: fc.boolean(),
    },
    { requiredKeys: ['port'] },
  ),
  2,
);

/** Probe settings consistent with the container's ports. */
const probes = fc.oneof(
  fc.constant({}),
  fc.record(
    { livenessProbeType: fc.constant('HTTP'), livenessProbePort: portNumber, livenessProbeRoute: fc.constantFrom('/healthz', '/', '/-/ready', '/a b'), livenessProbeScheme: fc.constantFrom('HTTP', 'HTTPS') },
    { requiredKeys: ['livenessProbeType', 'livenessProbePort'] },
  ),
  fc.record({ livenessProbeType: fc.constant('TCP'), livenessProbePort: portNumber }),
  fc.record({ livenessProbeType: fc.constant('exec'), livenessProbeCommand: stringList(freeText, 3, 1) }),
  fc.record(
    { livenessProbeType: fc.constant('exec'), livenessProbeCommand: stringList(freeText, 2, 1), readinessProbeType: fc.constant('HTTP'), readinessProbePort: portNumber, readinessProbeRoute: fc.constant('/ready') },
    { requiredKeys: ['livenessProbeType', 'livenessProbeCommand', 'readinessProbeType', 'readinessProbePort'] },
  ),
);

/** Container settings every kind of container may have. */
const containerBase = fc.record(
  {
    command: stringList(freeText, 3),
    args: stringList(freeText, 3),
    workingDir: absPath,
    imagePullPolicy: fc.constantFrom('Always', 'IfNotPresent', 'Never'),
    minimumMemory: fc.oneof(fc.constantFrom(32, 64, 100, 256, 1024), fc.integer({ min: 1, max: 65536 })),
    minimumCpu: fc.oneof(fc.constantFrom(10, 50, 100, 250), fc.integer({ min: 1, max: 8000 })),
    memoryLimitMultiplier: fc.constantFrom(1, 1.3, 1.5, 2),
    uid: fc.integer({ min: 1, max: 65534 }),
    runAsRoot: fc.boolean(),
    privileged: fc.boolean(),
    linuxCapabilities: stringList(fc.constantFrom('NET_BIND_SERVICE', 'SYS_PTRACE', 'CHOWN', 'SYS_ADMIN'), 2),
    seccompProfileType: fc.constantFrom('RuntimeDefault', 'Unconfined'),
    readOnly: fc.boolean(),
    env: envMap(3),
    imagePrepullEnabled: fc.boolean(),
    imagePinEnabled: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Upper bounds at or above the requests. */
const limits = (c: Record<string, any>) =>
  fc.record({ maximumMemory: fc.integer({ min: 0, max: 4096 }), maximumCpu: fc.integer({ min: 0, max: 4000 }) }, { requiredKeys: [] }).map((l) => {
    const out: Record<string, number> = {};
    if (l.maximumMemory !== undefined) out.maximumMemory = (c.minimumMemory ?? 100) + l.maximumMemory;
    if (l.maximumCpu !== undefined) out.maximumCpu = (c.minimumCpu ?? 10) + l.maximumCpu;
    return out;
  });

/** A regular container: ports, probes, resources. */
export const regularContainer: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(dnsLabel(15), image, containerBase, containerPorts, probes, fc.constantFrom('seccomp', 'none', 'none', 'none'))
  .chain(([name, img, base, ports, probe, seccomp]) =>
    limits(base).map((lim) => {
      const c: Record<string, unknown> = { name, ...img, ...base, ...lim, ...probe };
      if (Object.keys(ports).length > 0) c.ports = ports;
      if (base.uid !== undefined && (base as any).runAsRoot) delete c.uid;
      if (seccomp === 'seccomp') Object.assign(c, { seccompProfileType: 'Localhost', seccompLocalhostProfile: 'profiles/app.json' });
      return c;
    }),
  );

/** An init container (runs to completion: no ports, no probes). */
export const initContainer: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(dnsLabel(15), image, containerBase)
  .map(([name, img, base]) => ({ name, init: true, ...img, ...base }));

/** A native sidecar (an init container with restartPolicy Always: ports and probes allowed). */
export const sidecarContainer: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(dnsLabel(15), image, containerPorts, probes)
  .map(([name, img, ports, probe]) => ({ name, init: true, restartPolicy: 'Always', ...img, ...(Object.keys(ports).length ? { ports } : {}), ...probe }));

/** The containers of a pod: one or two regular ones, maybe init containers and a sidecar; names unique. */
export const containers: fc.Arbitrary<Array<Record<string, unknown>>> = fc
  .tuple(
    fc.array(regularContainer, { minLength: 1, maxLength: 2 }),
    fc.array(initContainer, { maxLength: 1 }),
    fc.array(sidecarContainer, { maxLength: 1 }),
  )
  .map(([regular, init, sidecar]) => [...init, ...sidecar, ...regular])
  .filter((cs) => new Set(cs.map((c) => c.name)).size === cs.length);

/**
 * Make generated pod props consistent, as a user's would be: port names and Service ports unique
 * in the pod, probes on ports, no uid with runAsRoot, burstable nodes only with Spot nodes, each
 * env var set once, mount paths unique, Service props only with an exposed port.
 */
export function repairPod(p: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...p };
  const portNames = new Set<string>();
  const servicePorts = new Set<number>();
  const envNames = new Set<string>();
  for (const key of ['commonEnv', 'commonSecrets', 'commonEnvFromSecrets', 'commonEnvFromConfigMaps']) {
    if (!out[key]) continue;
    const kept = asMapOf(out[key], (k) => !envNames.has(k));
    Object.keys(kept).forEach((k) => envNames.add(k));
    out[key] = kept;
  }
  const fixContainers = (list: Array<Record<string, any>>) => list.map((c: Record<string, any>) => {
      const cc: Record<string, any> = { ...c };
      if (cc.runAsRoot) delete cc.uid;
      if (cc.env) cc.env = asMapOf(cc.env, (k) => !envNames.has(k));
      if (cc.ports) {
        cc.ports = asMapOf(cc.ports, (name, port: any) => {
          const sp = port.servicePort ?? port.port;
          const exposed = port.exposeOnService !== false;
          if (portNames.has(name) || (exposed && servicePorts.has(sp))) return false;
          portNames.add(name);
          if (exposed) servicePorts.add(sp);
          return true;
        });
        if (Object.keys(cc.ports).length === 0) delete cc.ports;
      }
      return cc;
    });
  if (Array.isArray(out.containers)) out.containers = fixContainers(out.containers);
  // an Argo WorkflowTemplate: each container template's pod
  if (Array.isArray(out.templates)) {
    out.templates = out.templates.map((t: Record<string, any>) => {
      if (!Array.isArray(t.containers)) return t;
      portNames.clear();
      servicePorts.clear();
      return { ...t, containers: fixContainers(t.containers) };
    });
  }
  if (out.spotNodesEnabled === false) out.burstableNodesEnabled = false;
  // a privileged container or one adding capabilities beyond the baseline set needs a privileged namespace
  const BASELINE_CAPS = ['NET_BIND_SERVICE', 'CHOWN'];
  const needsPrivileged = out.hostNetwork || [...(out.containers ?? []), ...(out.templates ?? []).flatMap((t: any) => t.containers ?? [])]
    .some((c: any) => c.privileged || c.seccompProfileType === 'Unconfined' || (c.linuxCapabilities ?? []).some((cap: string) => !BASELINE_CAPS.includes(cap)));
  if (needsPrivileged && out.namespace !== undefined) {
    const name = out.namespace instanceof FuzzRef ? (out.namespace.args.namespace as string) : out.namespace;
    out.namespace = new FuzzRef('namespace', { namespace: name, podSecurityStandard: 'privileged' });
  }
  // mount paths unique across scratch dirs, mounts (and their subPaths) and StatefulSet volumes
  const paths = new Set<string>(['/etc/podinfo']);
  const unique = (path: string): string => {
    let candidate = path;
    for (let i = 2; paths.has(candidate); i++) candidate = `${path}-${i}`;
    paths.add(candidate);
    return candidate;
  };
  for (const key of ['tmpDirectories', 'volumeMounts', 'secretMounts', 'configMapMounts']) {
    if (!out[key]) continue;
    const m: Record<string, any> = out[key];
    for (const [k, v] of Object.entries(m)) {
      const mountPath = unique(v.mountPath);
      for (const sub of v.subPaths ?? []) paths.add(`${mountPath}/${sub}`);
      m[k] = { ...v, mountPath };
    }
  }
  const exposed = (out.containers ?? []).some((c: any) => (!c.init || c.restartPolicy === 'Always') && Object.values(c.ports ?? {}).some((p: any) => p.exposeOnService !== false));
  if (!exposed) for (const k of Object.keys(out)) if (/^(service[A-Z]|extraService)/.test(k)) delete out[k];
  return out;
}

/** A copy of a map (kept a map for the mutator) with the entries `keep` accepts. */
function asMapOf(m: Record<string, unknown>, keep: (k: string, v: unknown) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) if (keep(k, v)) out[k] = v;
  return asMap(out);
}

const tmpDirectories = mapOf(
  fc.constantFrom('scratch', 'cache', 'tmp', 'work-dir'),
  fc.record({ mountPath: absPath, sizeMb: fc.integer({ min: 1, max: 20000 }), nodeLocal: fc.boolean() }, { requiredKeys: ['mountPath'] }),
  2,
);
const mountSource = fc.record({ mountPath: absPath, optional: fc.boolean(), subPaths: fc.uniqueArray(fc.constantFrom('config.yaml', 'key.pem', 'a.b', 'settings'), { maxLength: 2 }) }, { requiredKeys: ['mountPath'] });
const dataKeyRef = fc.constantFrom('password', 'LOG_LEVEL', 'config.yaml', 'api-token');
const nodePreference = fc.oneof(
  fc.record({ weight: fc.integer({ min: 1, max: 100 }), operator: fc.constantFrom('In', 'NotIn'), values: stringList(labelValue.filter((s) => s !== ''), 2, 1) }),
  fc.record({ weight: fc.integer({ min: 1, max: 100 }), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const toleration = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constant('Equal'), value: labelValue, effect: fc.constantFrom('NoSchedule', 'PreferNoSchedule', 'NoExecute') }, { requiredKeys: ['key', 'operator'] }),
  fc.record({ key: labelKey, operator: fc.constant('Exists'), effect: fc.constantFrom('NoSchedule', 'NoExecute') }, { requiredKeys: ['operator'] }),
);

/** Scheduling switches and constraints. */
export const schedulingProps = {
  spotNodesEnabled: fc.boolean(),
  burstableNodesEnabled: fc.boolean(),
  armNodesEnabled: fc.boolean(),
  controllerNodesEnabled: fc.boolean(),
  controllerNodesRequired: fc.boolean(),
  nodeRequirements: mapOf(labelKey, stringList(labelValue.filter((s) => s !== ''), 2, 1), 2),
  nodePreferences: mapOf(labelKey, nodePreference, 2),
  extraTolerations: fc.array(toleration, { maxLength: 2 }),
  hostAntiAffinityRequired: fc.boolean(),
  instanceTypeAntiAffinityRequired: fc.boolean(),
  azAntiAffinityRequired: fc.boolean(),
  azSpreadPreferred: fc.boolean(),
  azSpreadRequired: fc.boolean(),
  podAffinityMatchLabels: labels(2),
  panfactumSchedulerEnabled: fc.boolean(),
  lifetimeEvictionsEnabled: fc.boolean(),
  pullThroughCacheEnabled: fc.boolean(),
  ciliumRequired: fc.boolean(),
  linkerdRequired: fc.boolean(),
};

/** Pod props (PodProps besides containers). */
export const podProps = {
  commonEnv: envMap(3),
  commonSecrets: mapOf(envName, freeText, 2),
  commonEnvFromSecrets: mapOf(envName, fc.record({ secretName: dnsLabel(20), key: dataKeyRef }), 2),
  commonEnvFromConfigMaps: mapOf(envName, fc.record({ configMapName: dnsLabel(20), key: dataKeyRef }), 2),
  defaultEnvEnabled: fc.boolean(),
  tmpDirectories,
  secretMounts: mapOf(dnsLabel(20), mountSource, 1),
  configMapMounts: mapOf(dnsLabel(20), mountSource, 1),
  mountOwner: fc.integer({ min: 0, max: 65534 }),
  extraPodLabels: labels(2),
  extraPodAnnotations: mapOf(labelKey, freeText, 2),
  priorityClassName: fc.constantFrom('workload-important', 'system-cluster-critical', 'default-priority'),
  dnsPolicy: fc.constantFrom('ClusterFirst', 'Default', 'ClusterFirstWithHostNet'),
  terminationGracePeriodSeconds: fc.integer({ min: 0, max: 86400 }),
  defaultPermissionsEnabled: fc.boolean(),
  linkerdEnabled: fc.boolean(),
  linkerdNativeSidecarEnabled: fc.boolean(),
  linkerdProxyCpuRequest: fc.integer({ min: 1, max: 1000 }),
  linkerdProxyMemoryRequest: fc.integer({ min: 1, max: 64 }),
  linkerdOpaquePorts: fc.array(portNumber, { maxLength: 2 }),
  ...schedulingProps,
};

/** A network peer (a CIDR, or pods by namespace and labels), with ports. */
export const networkPeer = fc.oneof(
  fc.record({ cidr, ports: fc.array(fc.record({ port: portNumber, protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: ['port'] }), { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['cidr'] }),
  fc.record({ namespace: dnsLabel(20), podLabels: labels(2).filter((l) => Object.keys(l).length > 0), ports: fc.array(fc.record({ port: fc.integer({ min: 1, max: 60000 }), endPort: fc.integer({ min: 0, max: 100 }) }).map((p) => ({ port: p.port, endPort: p.port + p.endPort })), { minLength: 1, maxLength: 1 }) }, { requiredKeys: ['namespace'] }),
  fc.record({ podLabels: labels(2).filter((l) => Object.keys(l).length > 0) }),
);

/** A workload NetworkPolicy. */
export const workloadNetworkPolicy = fc.record(
  {
    allowedIngress: fc.array(networkPeer, { maxLength: 2 }),
    allowedEgress: fc.array(networkPeer, { maxLength: 2 }),
    allowIngressController: fc.record({ namespace: dnsLabel(20), podLabels: labels(1).filter((l) => Object.keys(l).length > 0) }, { requiredKeys: [] }),
    allowDns: fc.boolean(),
    allowLinkerd: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** An IAM policy: JSON text with IAM variables, or a PolicyDocument. */
export const iamPolicy: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/home/${aws:username}/*' }] }),
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Q', Effect: 'Allow', Action: ['sqs:ReceiveMessage'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': '${aws:PrincipalTag/team}' } } }] }),
  ),
  fc.constantFrom('s3:GetObject', 'logs:PutLogEvents', 'ssm:GetParameter').map((action) =>
    new FuzzRef('policy', { statements: [{ Effect: 'Allow', Action: [action], Resource: ['arn:aws:s3:::corpus-data/${aws:username}/*'] }] })),
);

/** Workload props (WorkloadProps besides containers) and the construct-level ones. */
export const workloadProps = {
  ...podProps,
  vpaEnabled: fc.boolean(),
  extraLabels: labels(2),
  extraAnnotations: mapOf(labelKey, freeText, 2),
  serviceAccountAnnotations: mapOf(labelKey, freeText, 1),
  networkPolicy: workloadNetworkPolicy,
  awsIamPolicy: iamPolicy,
  awsIpAllowList: stringList(cidr, 2),
};

/** A Terraform duration. */
export { duration };
