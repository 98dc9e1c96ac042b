import { AuditBundle, K8sItem, PodView, RawFinding, RuleDefinition, asArray, finding, isTokenString, ofKind, pods } from '../model';

const RESTRICTED_VOLUME_TYPES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'];

function allContainers(p: PodView): Array<{ c: any; init: boolean }> {
  return [...p.initContainers.map((c) => ({ c, init: true })), ...p.containers.map((c) => ({ c, init: false }))];
}

/** GP-SEC-001: Pod Security Standards "restricted" (which includes "baseline"). */
function podSecurity(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    const s = p.spec;
    const psc = s.securityContext ?? {};
    const f = (msg: string) => out.push(finding('GP-SEC-001', p.item, msg));
    for (const k of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (s[k] === true) f(`${k} is true; remove it (pods must not share host namespaces)`);
    for (const v of asArray<any>(s.volumes)) {
      const type = Object.keys(v).find((k) => k !== 'name');
      if (type === 'hostPath') f(`volume ${v.name} is a hostPath; use an emptyDir, a PVC or a projected volume`);
      else if (type && !RESTRICTED_VOLUME_TYPES.includes(type)) f(`volume ${v.name} has type ${type}, not allowed by the restricted profile; use a PVC or CSI volume`);
    }
    for (const sc of asArray<any>(psc.sysctls)) if (!SAFE_SYSCTLS.includes(sc.name)) f(`unsafe sysctl ${sc.name}; remove it`);
    if (psc.seLinuxOptions?.type && !['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'].includes(psc.seLinuxOptions.type)) f(`seLinuxOptions.type ${psc.seLinuxOptions.type} is not allowed; remove it`);
    if (psc.windowsOptions?.hostProcess === true) f('windowsOptions.hostProcess is true; remove it');
    if (psc.runAsUser === 0) f('pod runAsUser is 0 (root); run as a non-root uid');
    for (const { c, init } of allContainers(p)) {
      const sc = c.securityContext ?? {};
      const where = `${init ? 'init container' : 'container'} ${c.name}`;
      if (sc.privileged === true) f(`${where} is privileged; set securityContext.privileged to false`);
      for (const port of asArray<any>(c.ports)) if (port.hostPort) f(`${where} uses hostPort ${port.hostPort}; expose it through a Service instead`);
      const add = asArray<string>(sc.capabilities?.add).filter((cap) => cap !== 'NET_BIND_SERVICE');
      if (add.length > 0) f(`${where} adds capabilities ${add.join(', ')}; only NET_BIND_SERVICE may be added`);
      if (!asArray<string>(sc.capabilities?.drop).includes('ALL')) f(`${where} does not drop ALL capabilities; set securityContext.capabilities.drop to ["ALL"]`);
      if (sc.allowPrivilegeEscalation !== false) f(`${where} does not set allowPrivilegeEscalation: false; set it`);
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) f(`${where} does not set runAsNonRoot: true (container or pod securityContext); set it`);
      if (sc.runAsUser === 0) f(`${where} runs as uid 0; use a non-root uid`);
      const seccomp = sc.seccompProfile?.type ?? psc.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') f(`${where} has no RuntimeDefault seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault`);
      if (sc.procMount && sc.procMount !== 'Default') f(`${where} sets procMount ${sc.procMount}; remove it`);
      if (sc.windowsOptions?.hostProcess === true) f(`${where} is a Windows hostProcess container; remove it`);
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe, c.lifecycle?.preStop, c.lifecycle?.postStart]) {
        if (probe?.httpGet?.host || probe?.tcpSocket?.host) f(`${where} probe or hook sets a host; remove it (the pod's own IP is used)`);
      }
    }
  }
  return out;
}

/** GP-SEC-002: kube-score and Checkov want uid/gid >= 10000. We run as 1000 (seed 000): advisory only. */
function highUid(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    const psc = p.spec.securityContext ?? {};
    for (const { c } of allContainers(p)) {
      const sc = c.securityContext ?? {};
      const uid = sc.runAsUser ?? psc.runAsUser;
      const gid = sc.runAsGroup ?? psc.runAsGroup;
      if (!(typeof uid === 'number' && uid >= 10000 && typeof gid === 'number' && gid >= 10000)) {
        out.push(finding('GP-SEC-002', p.item, `container ${c.name} runs as uid ${uid ?? 'unset'}/gid ${gid ?? 'unset'}; kube-score and Checkov expect >= 10000 (use runAsUser/runAsGroup 10001 if the image allows)`));
      }
    }
  }
  return out;
}

/** GP-SEC-003: read-only root filesystem, with a writable /tmp. */
function readOnlyRoot(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c, init } of allContainers(p)) {
      const where = `${init ? 'init container' : 'container'} ${c.name}`;
      if (c.securityContext?.readOnlyRootFilesystem !== true) {
        out.push(finding('GP-SEC-003', p.item, `${where} has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where it writes`));
      } else if (!asArray<any>(c.volumeMounts).some((m) => m.mountPath === '/tmp' && m.readOnly !== true)) {
        out.push(finding('GP-SEC-003', p.item, `${where} has a read-only root but no writable /tmp; if the app writes temporary files, mount an emptyDir at /tmp (tmpDirectories)`, 'info'));
      }
    }
  }
  return out;
}

/** ServiceAccounts (namespace/name) that a RoleBinding or ClusterRoleBinding in the bundle grants something to. */
export function boundServiceAccounts(bundle: AuditBundle): Set<string> {
  const set = new Set<string>();
  for (const b of ofKind(bundle, 'RoleBinding', 'ClusterRoleBinding')) {
    for (const s of asArray<any>(b.object.subjects)) {
      if (s.kind === 'ServiceAccount') set.add(`${s.namespace ?? b.object.metadata?.namespace}/${s.name}`);
    }
  }
  return set;
}

/** GP-SEC-004: Kubernetes API token mounted although the pod has no API permissions. */
function automountToken(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const bound = boundServiceAccounts(bundle);
  const sas = ofKind(bundle, 'ServiceAccount');
  for (const p of pods(bundle)) {
    const saName = p.spec.serviceAccountName ?? 'default';
    if (bound.has(`${p.namespace}/${saName}`)) continue; // the pod is granted API access on purpose (e.g. reads its own Pod)
    const sa = sas.find((s) => s.object.metadata?.namespace === p.namespace && s.object.metadata?.name === saName);
    const pod = p.spec.automountServiceAccountToken;
    const saFlag = sa?.object.automountServiceAccountToken;
    if (pod === true || (pod !== false && saFlag !== false)) {
      out.push(finding('GP-SEC-004', p.item, `the pod mounts a Kubernetes API token but its ServiceAccount ${saName} has no RoleBinding; set automountServiceAccountToken: false (IRSA still works)`));
    }
  }
  return out;
}

/** GP-SEC-005: own ServiceAccount per workload, emitted in the bundle. */
function serviceAccounts(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const sas = new Set(ofKind(bundle, 'ServiceAccount').map((s) => `${s.object.metadata?.namespace}/${s.object.metadata?.name}`));
  const users = new Map<string, string[]>();
  for (const p of pods(bundle)) {
    const sa = p.spec.serviceAccountName ?? p.spec.serviceAccount;
    if (!sa || sa === 'default') {
      out.push(finding('GP-SEC-005', p.item, 'the pod uses the default ServiceAccount; give the workload its own ServiceAccount'));
      continue;
    }
    if (isTokenString(sa)) continue;
    const key = `${p.namespace}/${sa}`;
    if (!sas.has(key)) out.push(finding('GP-SEC-005', p.item, `ServiceAccount ${key} is not in this stack; emit it with the workload`));
    users.set(key, [...(users.get(key) ?? []), `${p.kind}/${p.name}`]);
  }
  for (const [key, list] of users) {
    if (list.length > 1) {
      const first = pods(bundle).find((p) => `${p.namespace}/${p.spec.serviceAccountName}` === key && `${p.kind}/${p.name}` === list[1])!;
      out.push(finding('GP-SEC-005', first.item, `ServiceAccount ${key} is shared by ${list.join(', ')}; give each workload its own`));
    }
  }
  return out;
}

/** GP-SEC-006: image pinning and pull policy. */
function images(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c } of allContainers(p)) {
      const image: string = c.image ?? '';
      if (isTokenString(image)) continue;
      const lastSegment = image.split('/').pop() ?? '';
      const hasDigest = image.includes('@sha256:');
      const tag = lastSegment.split('@')[0].includes(':') ? lastSegment.split('@')[0].split(':').pop() : undefined;
      if (!hasDigest && (!tag || tag === 'latest')) {
        out.push(finding('GP-SEC-006', p.item, `container ${c.name} image ${image} has ${tag ? 'the :latest tag' : 'no tag'}; pin a version tag (and a digest)`, 'error'));
        continue;
      }
      if (!hasDigest) out.push(finding('GP-SEC-006', p.item, `container ${c.name} image ${image} has no digest; append @sha256:<digest> to make it immutable`, 'info'));
      if (c.imagePullPolicy !== 'Always') out.push(finding('GP-SEC-006', p.item, `container ${c.name} imagePullPolicy is ${c.imagePullPolicy ?? 'unset'}, not Always (fine for immutable tags behind the pull-through cache)`, 'info'));
    }
  }
  return out;
}

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|bearer|auth[_-]?key)/i;
const NOT_A_SECRET_NAME = /(_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_PORT|_SECONDS|_TTL|_TIMEOUT|_NAME)$/i;
const AWS_KEY_VALUE = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/** Does this literal look like a secret? Exported for tests. */
export function looksLikeSecret(name: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '' || isTokenString(value)) return false;
  if (AWS_KEY_VALUE.test(value) || PEM.test(value)) return true;
  if (!SECRET_NAME.test(name) || NOT_A_SECRET_NAME.test(name)) return false;
  if (value.startsWith('/') || /^(true|false|\d+)$/i.test(value)) return false; // a path, flag or number
  return true;
}

/** GP-SEC-007 (locked): literal secrets in env or ConfigMaps. */
function literalSecrets(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c } of allContainers(p)) {
      for (const e of asArray<any>(c.env)) {
        if (looksLikeSecret(e.name, e.value)) out.push(finding('GP-SEC-007', p.item, `container ${c.name} env ${e.name} holds a literal secret; move it to a Secret/ExternalSecret and reference it`));
      }
    }
  }
  for (const cm of ofKind(bundle, 'ConfigMap')) {
    for (const [k, v] of Object.entries(cm.object.data ?? {})) {
      if (looksLikeSecret(k, v)) out.push(finding('GP-SEC-007', cm, `ConfigMap key ${k} holds a secret; move it to a Secret/ExternalSecret`));
    }
  }
  return out;
}

/** GP-SEC-008: secrets injected as env vars (seed 004 recommends this; the checkers prefer files): advisory. */
function secretEnv(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c } of allContainers(p)) {
      const refs = asArray<any>(c.env).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name);
      const from = asArray<any>(c.envFrom).filter((e) => e.secretRef).map((e) => `envFrom ${e.secretRef.name}`);
      if (refs.length + from.length > 0) out.push(finding('GP-SEC-008', p.item, `container ${c.name} reads secrets from env (${[...refs, ...from].join(', ')}); mounting them as files keeps them out of process listings and crash dumps`));
    }
  }
  return out;
}

const AWS_KEY_NAMES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];

/** GP-SEC-009 (locked): static AWS credentials anywhere. */
function staticAwsKeys(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c } of allContainers(p)) {
      for (const e of asArray<any>(c.env)) {
        if (AWS_KEY_NAMES.includes(String(e.name).toUpperCase())) out.push(finding('GP-SEC-009', p.item, `container ${c.name} gets static AWS credentials (${e.name}); use IRSA (KubeSaAuthAws) instead`));
      }
    }
  }
  for (const item of ofKind(bundle, 'Secret', 'ConfigMap')) {
    const keys = [...Object.keys(item.object.data ?? {}), ...Object.keys(item.object.stringData ?? {})];
    for (const k of keys) if (AWS_KEY_NAMES.includes(k.toUpperCase())) out.push(finding('GP-SEC-009', item, `${item.object.kind} key ${k} holds static AWS credentials; use IRSA (KubeSaAuthAws) instead`));
  }
  return out;
}

function dangerousRules(rules: any[]): string[] {
  const problems: string[] = [];
  for (const r of rules) {
    const verbs = asArray<string>(r.verbs);
    const resources = asArray<string>(r.resources);
    if (verbs.includes('*')) problems.push('verbs "*"');
    if (resources.includes('*')) problems.push('resources "*"');
    for (const sub of ['pods/exec', 'pods/attach']) if (resources.includes(sub)) problems.push(sub);
    if (resources.includes('secrets') && verbs.some((v) => ['get', 'list', 'watch', '*'].includes(v))) problems.push('read access to secrets');
  }
  return [...new Set(problems)];
}

/** GP-SEC-011 (locked): workload RBAC (bound to a ServiceAccount, or unbound) that is too broad. */
function rbac(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const bindings = ofKind(bundle, 'RoleBinding', 'ClusterRoleBinding');
  const boundTo = (role: K8sItem) => bindings.filter((b) => b.object.roleRef?.kind === role.object.kind && b.object.roleRef?.name === role.object.metadata?.name && (role.object.kind === 'ClusterRole' || b.object.metadata?.namespace === role.object.metadata?.namespace));
  for (const role of ofKind(bundle, 'Role', 'ClusterRole')) {
    const bs = boundTo(role);
    const subjects = bs.flatMap((b) => asArray<any>(b.object.subjects));
    const forPods = bs.length === 0 || subjects.some((s) => s.kind === 'ServiceAccount');
    if (!forPods) continue; // access for people (groups/users), not for workloads
    const problems = dangerousRules(asArray<any>(role.object.rules));
    if (problems.length > 0) out.push(finding('GP-SEC-011', role, `grants ${problems.join(', ')} to workloads; list the exact resources and verbs the pod needs`));
  }
  for (const b of bindings) {
    if (b.object.roleRef?.name === 'cluster-admin' && asArray<any>(b.object.subjects).some((s) => s.kind === 'ServiceAccount')) {
      out.push(finding('GP-SEC-011', b, 'binds cluster-admin to a ServiceAccount; bind a least-privilege Role instead'));
    }
  }
  return out;
}

export const SECURITY_RULES: RuleDefinition[] = [
  { id: 'GP-SEC-001', title: 'Pod Security Standards (restricted)', category: 'security', severity: 'error', locked: true, check: podSecurity,
    help: 'Every pod must pass the Pod Security Standards restricted profile: no host namespaces, hostPath, hostPort, privileged containers or added capabilities; drop ALL; allowPrivilegeEscalation false; runAsNonRoot; RuntimeDefault seccomp.' },
  { id: 'GP-SEC-002', title: 'High uid/gid', category: 'security', severity: 'info', check: highUid,
    help: 'kube-score and Checkov CKV_K8S_40 want runAsUser/runAsGroup >= 10000. The library runs as 1000 (seed 000) so this is advisory.' },
  { id: 'GP-SEC-003', title: 'Read-only root filesystem', category: 'security', severity: 'error', check: readOnlyRoot,
    help: 'Every container (init containers too) sets readOnlyRootFilesystem: true (error). A missing writable /tmp is advisory: only apps that write temporary files need it.' },
  { id: 'GP-SEC-004', title: 'Kubernetes API token only when needed', category: 'security', severity: 'warn', check: automountToken,
    help: 'A pod whose ServiceAccount has no RoleBinding does not need a Kubernetes API token: set automountServiceAccountToken: false.' },
  { id: 'GP-SEC-005', title: 'Own ServiceAccount per workload', category: 'security', severity: 'error', check: serviceAccounts,
    help: 'Each workload uses its own ServiceAccount, emitted in the same stack; never the default one.' },
  { id: 'GP-SEC-006', title: 'Pinned images', category: 'security', severity: 'error', check: images,
    help: 'Images carry a version tag (not latest); a digest and imagePullPolicy Always are recommended.' },
  { id: 'GP-SEC-007', title: 'No literal secrets', category: 'security', severity: 'error', locked: true, check: literalSecrets,
    help: 'Env values and ConfigMap data must not contain secrets (names like password/token/secret, AWS keys, PEM keys). Use a Secret or ExternalSecret.' },
  { id: 'GP-SEC-008', title: 'Secrets as env vars', category: 'security', severity: 'info', check: secretEnv,
    help: 'Secrets referenced through env (secretKeyRef) are allowed (seed 004); mounting them as files is safer.' },
  { id: 'GP-SEC-009', title: 'No static AWS credentials', category: 'security', severity: 'error', locked: true, check: staticAwsKeys,
    help: 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN must not be given to pods from any source. Use IRSA.' },
  { id: 'GP-SEC-011', title: 'Least-privilege workload RBAC', category: 'security', severity: 'error', locked: true, check: rbac,
    help: 'Roles granted to ServiceAccounts must not use "*" verbs or resources, pods/exec, pods/attach, read secrets, or cluster-admin.' },
];
