import { isToken } from '../../core/validation';
import { evaluatePodSecurity } from '../../k8s/pod-security';
import { AuditBundle, K8sItem, PodView, RawFinding, RuleDefinition, asArray, finding, isTokenString, ofKind, pods } from '../model';

function allContainers(p: PodView): Array<{ c: any; init: boolean }> {
  return [...p.initContainers.map((c) => ({ c, init: true })), ...p.containers.map((c) => ({ c, init: false }))];
}

/**
 * GP-SEC-001: Pod Security Standards "restricted" (which includes "baseline"), evaluated by the
 * same implementation of the controls as the workloads' synth-time check (lib/k8s/pod-security.ts).
 * A field holding a deploy-time value (`${...}`) is not decided here: the API server decides it.
 */
function podSecurity(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const isDeployTime = (v: unknown) => isTokenString(v) || isToken(v);
  for (const p of pods(bundle)) {
    const result = evaluatePodSecurity({ metadata: p.podMeta, spec: p.spec }, 'restricted', { isDeployTime });
    for (const v of result.violations) out.push(finding('GP-SEC-001', p.item, `${v.message}; ${v.fix}`));
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
        out.push(finding('GP-SEC-002', p.item, `container ${c.name} runs as uid ${uid ?? 'unset'}/gid ${gid ?? 'unset'}; kube-score and Checkov expect >= 10000: set uid: 10001 if the image allows (runAsUser and runAsGroup)`));
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
        out.push(finding('GP-SEC-003', p.item, `${where} has a writable root filesystem; set readOnly: true (securityContext.readOnlyRootFilesystem) and add tmpDirectories where the app writes`));
      } else if (!asArray<any>(c.volumeMounts).some((m) => m.mountPath === '/tmp' && m.readOnly !== true)) {
        out.push(finding('GP-SEC-003', p.item, `${where} has a read-only root but no writable /tmp; if the app writes temporary files, add tmpDirectories: { tmp: { mountPath: "/tmp" } }`, 'info'));
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
      out.push(finding('GP-SEC-004', p.item, `the pod mounts a Kubernetes API token but its ServiceAccount ${saName} has no RoleBinding in the stack; if the pod reads the Kubernetes API keep defaultPermissionsEnabled: true (the pod-reader Role), otherwise set automountServiceAccountToken: false on the pod (IRSA still works)`));
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
      out.push(finding('GP-SEC-005', p.item, 'the pod uses the default ServiceAccount; give the workload its own ServiceAccount (library workloads create one; serviceAccountName on your own manifest)'));
      continue;
    }
    if (isTokenString(sa)) continue;
    const key = `${p.namespace}/${sa}`;
    if (!sas.has(key)) out.push(finding('GP-SEC-005', p.item, `ServiceAccount ${key} is not in this stack; emit it with the workload (library workloads do), or fix serviceAccountName`));
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
        out.push(finding('GP-SEC-006', p.item, `container ${c.name} image ${image} has ${tag ? 'the :latest tag' : 'no tag'}; set imageTag to a version (e.g. "1.27.1") or a "sha256:<digest>"`, 'error'));
        continue;
      }
      if (!hasDigest) out.push(finding('GP-SEC-006', p.item, `container ${c.name} image ${image} has no digest; set imageTag to its "sha256:<digest>" to make it immutable`, 'info'));
      if (c.imagePullPolicy !== 'Always') out.push(finding('GP-SEC-006', p.item, `container ${c.name} imagePullPolicy is ${c.imagePullPolicy ?? 'unset'}, not Always (fine for immutable tags behind the pull-through cache); set imagePullPolicy: "Always" if the tag can move`, 'info'));
    }
  }
  return out;
}

// ---------------------------------------------------------------- GP-SEC-007: literal secrets

/** `dbPassword`, `DB-PASSWORD`, `db.password` -> `db_password`. */
function normalizeName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

/** Names that say the value is a secret (on the normalized name). */
const SECRET_WORDS = /(password|passwd|passphrase|secret|token|credential|bearer|api_?key|(^|_)(db|pg|my|redis|admin|root|user|smtp|ldap)?pass(_|$)|(^|_)[a-z]*pwd(_|$)|(signing|private|encryption|hmac|master|jwt|session|auth|access|client|account|license|shared_access|webhook)_?key(_|$)|connection_?string|conn_?str)/;
/** Names of settings about a secret rather than the secret (a file, an env var, a name, a length, ...). */
const NOT_A_SECRET_NAME = /(_|^)(file|files|path|dir|url|uri|endpoint|host|port|seconds|ttl|timeout|name|names|id|key_id|ref|hash|checksum|digest|length|enabled|required|header|policy|type|algorithm|alg|mode|version|size|count|expiry|lifetime|issuer|audience|from_env|from_secret|secret_name|mount|mount_path|location|field|key_name|rotation|provider|store|reload|auto)$/;

const AWS_KEY_VALUE = /\b(AKIA|ASIA)[0-9A-Z]{16}\b/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** `scheme://user:password@host` */
const URL_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s:@/'"]*:([^\s@/'"]+)@/gi;
/** `Password=...;` / `AccountKey=...` in connection strings. */
const CONNECTION_STRING_SECRET = /(?:^|;)\s*(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*([^;]+)/gi;
/** Authorization header values and well-known token formats. */
const TOKEN_VALUES = /\b(Bearer\s+[A-Za-z0-9._~+/-]{16,}=*|Basic\s+[A-Za-z0-9+/]{12,}={0,2}|gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20})/;

/**
 * A reference to a value held elsewhere, not the value: `$(DB_PASSWORD)` (Kubernetes env
 * expansion), `$DB_PASSWORD` / `${DB_PASSWORD}` (a shell variable), `{{ .password }}` (an
 * ExternalSecret template), `%s`, a deploy-time value, masked text (`****`).
 */
function isReference(v: string): boolean {
  const t = v.trim().replace(/^["']|["']$/g, '');
  return t === '' || isTokenString(t) || /^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$/.test(t) || /^\$\$?\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(t) || /\{\{.*\}\}/.test(t) || /^%[sv]$/.test(t) || /^[*x.]+$/i.test(t) || /^<[^>]*>$/.test(t);
}

/** What about the value itself reveals a secret, whatever its name; undefined when nothing does. */
export function secretInValue(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (AWS_KEY_VALUE.test(value)) return 'an AWS access key';
  if (PEM.test(value)) return 'a PEM private key';
  if (TOKEN_VALUES.test(value) && !isTokenString(value)) return 'a bearer/API token';
  for (const m of value.matchAll(URL_CREDENTIALS)) if (!isReference(m[1])) return 'a URL with a password (scheme://user:password@host)';
  for (const m of value.matchAll(CONNECTION_STRING_SECRET)) if (!isReference(m[1])) return 'a connection string with a password';
  return undefined;
}

/** Does the name say "secret" (and not "a setting about a secret")? */
export function isSecretName(name: string): boolean {
  const n = normalizeName(name);
  return SECRET_WORDS.test(n) && !NOT_A_SECRET_NAME.test(n);
}

/** Does this literal look like a secret (by its name, or by what the value is)? Exported for tests. */
export function looksLikeSecret(name: string, value: unknown): boolean {
  if (typeof value !== 'string' || value === '' || isTokenString(value)) return false;
  if (secretInValue(value)) return true;
  if (!isSecretName(name) || isReference(value)) return false;
  if (value.startsWith('/') || /^(true|false|yes|no|on|off|\d+)$/i.test(value)) return false; // a path, flag or number
  return true;
}

/** `--password=x`, `--db-password x`, `PGPASSWORD=x` in a command line or a shell script (`sh -c "..."`). */
export function secretsInCommand(argv: readonly unknown[]): string[] {
  const found: string[] = [];
  const words = argv.filter((a): a is string => typeof a === 'string');
  const check = (name: string, raw: string, shown: string) => {
    const value = raw.replace(/^(["'])(.*)\1$/, '$2');
    if (value.startsWith('$') || value.startsWith('@') || value === '-') return; // a variable, a file (@file), stdin
    if (looksLikeSecret(name, value)) found.push(shown);
  };
  words.forEach((w, i) => {
    const inValue = secretInValue(w);
    if (inValue) { found.push(`${inValue} in "${w.length > 40 ? `${w.slice(0, 37)}...` : w}"`); return; }
    const eq = /^--?([A-Za-z][\w.-]*)=(.*)$/s.exec(w);
    if (eq) { check(eq[1], eq[2], `--${eq[1].replace(/^-/, '')}=`); return; }
    const flag = /^--([A-Za-z][\w.-]*)$/.exec(w);
    if (flag && i + 1 < words.length && !words[i + 1].startsWith('-')) { check(flag[1], words[i + 1], `--${flag[1]} <value>`); return; }
    if (/\s/.test(w)) { // a script: flags and NAME=value assignments inside it
      for (const m of w.matchAll(/(?:^|[\s;&|(])--([A-Za-z][\w.-]*)(?:=|\s+)('[^']*'|"[^"]*"|[^\s;&|)'"]+)/g)) check(m[1], m[2], `--${m[1]} in the script`);
      for (const m of w.matchAll(/(?:^|[\s;&|(])([A-Za-z_][A-Za-z0-9_]*)=('[^']*'|"[^"]*"|[^\s;&|)'"]+)/g)) check(m[1], m[2], `${m[1]}= in the script`);
    }
  });
  return [...new Set(found)];
}

const FIX = 'move it to a Secret (synced by KubeExternalSecret) and read it with commonEnvFromSecrets or secretMounts';
/** Why a literal in Terraform is not a secret store, and what to do instead. */
const LITERAL_FIX = 'it is written in code, cdk.tf.json and the Terraform state; pass a sensitive TerraformVariable (sensitive: true) or sync it with an ExternalSecret (KubeExternalSecret)';

/** A Kubernetes object name, `namespace/name` or a lowercase store path (`database/creds/db`): how annotations refer to Secrets. */
const OBJECT_REFERENCE = /^[a-z0-9]([-a-z0-9._]*[a-z0-9])?(\/[a-z0-9]([-a-z0-9._]*[a-z0-9])?)*$/;

function annotationFindings(item: K8sItem, where: string, annotations: unknown, out: RawFinding[]): void {
  if (typeof annotations !== 'object' || annotations === null) return;
  for (const [key, value] of Object.entries(annotations as Record<string, unknown>)) {
    if (typeof value !== 'string') continue;
    const inValue = secretInValue(value);
    const last = key.split('/').pop() ?? key;
    let byName = false;
    if (!inValue && isSecretName(last) && !/(checksum|hash|digest)/i.test(key) && looksLikeSecret(last, value)) {
      // "secret" in an annotation key usually names a Secret object (auth-secret, agent-inject-secret-db):
      // then only a value that cannot be such a name is a literal secret.
      const onlySecretWord = !SECRET_WORDS.test(normalizeName(last).replace(/secrets?/g, ''));
      byName = !onlySecretWord || !OBJECT_REFERENCE.test(value);
    }
    if (inValue || byName) out.push(finding('GP-SEC-007', item, `${where}annotation ${key} holds ${inValue ?? 'a literal secret'}; annotations (extraAnnotations, extraPodAnnotations) are readable by anyone who can list the object: ${FIX}`));
  }
}

function envFindings(item: K8sItem, where: string, env: unknown, out: RawFinding[]): void {
  for (const e of asArray<any>(env as any)) {
    if (typeof e?.name !== 'string' || !looksLikeSecret(e.name, e.value)) continue;
    const inValue = secretInValue(e.value);
    out.push(finding('GP-SEC-007', item, `${where} env ${e.name} holds ${inValue ?? 'a literal secret'}; ${FIX} instead of env/commonEnv`));
  }
}

/** Every literal string value in a Secret (typed `kubernetes_secret_v1` or a manifest): keys with a literal value. */
function literalSecretKeys(o: any): string[] {
  const keys: string[] = [];
  for (const field of ['data', 'stringData', 'binaryData']) {
    for (const [k, v] of Object.entries(o?.[field] ?? {})) if (typeof v === 'string' && v !== '' && !isTokenString(v)) keys.push(k);
  }
  return keys;
}

/** GP-SEC-007 (locked): literal secrets anywhere in what is applied. */
function literalSecrets(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const { c, init } of allContainers(p)) {
      const where = `${init ? 'init container' : 'container'} ${c.name}`;
      envFindings(p.item, where, c.env, out);
      for (const shown of secretsInCommand([...asArray<unknown>(c.command), ...asArray<unknown>(c.args)])) {
        out.push(finding('GP-SEC-007', p.item, `${where} command line has a literal secret (${shown}); processes and the object show it: remove it from command/args and read it from a file (secretMounts) or an env var (commonEnvFromSecrets) instead`));
      }
    }
    annotationFindings(p.item, 'pod template ', p.podMeta?.annotations, out);
  }
  for (const item of bundle.k8s) {
    const o = item.object;
    annotationFindings(item, '', o?.metadata?.annotations, out);
    if (o?.kind === 'ConfigMap') {
      for (const [k, v] of Object.entries(o.data ?? {})) {
        if (looksLikeSecret(k, v)) out.push(finding('GP-SEC-007', item, `ConfigMap key ${k} holds ${secretInValue(v) ?? 'a secret'}; move it from the ConfigMap's data to a Secret (KubeExternalSecret)`));
      }
    }
    if (o?.kind === 'Secret') {
      const keys = literalSecretKeys(o);
      if (keys.length > 0) out.push(finding('GP-SEC-007', item, `Secret keys ${keys.join(', ')} hold literal values (commonSecrets or Secret data written in code); ${LITERAL_FIX}`));
    }
    if (o?.kind === 'ExternalSecret' || o?.kind === 'ClusterExternalSecret') {
      const template = o.kind === 'ExternalSecret' ? o.spec?.target?.template : o.spec?.externalSecretSpec?.target?.template;
      for (const [k, v] of Object.entries(template?.data ?? {})) {
        if (typeof v === 'string' && !/\{\{/.test(v) ? looksLikeSecret(k, v) : secretInValue(v) !== undefined) {
          out.push(finding('GP-SEC-007', item, `ExternalSecret template key ${k} holds ${secretInValue(v) ?? 'a literal secret'}; template it from the synced data ({{ .${k} }}) instead of writing the value`));
        }
      }
      for (const [i, t] of asArray<any>(template?.templateFrom).entries()) {
        const inValue = typeof t?.literal === 'string' ? secretInValue(t.literal) : undefined;
        if (inValue) out.push(finding('GP-SEC-007', item, `ExternalSecret templateFrom[${i}].literal holds ${inValue}; template it from the synced data instead of writing the value`));
      }
      annotationFindings(item, 'ExternalSecret template ', template?.metadata?.annotations, out);
    }
    if (o?.kind === 'ScaledObject' || o?.kind === 'ScaledJob') {
      for (const t of asArray<any>(o.spec?.triggers)) {
        for (const [k, v] of Object.entries(t?.metadata ?? {})) {
          const trigger = typeof t.type === 'string' ? `${t.type} trigger` : 'trigger';
          if (looksLikeSecret(k, v)) out.push(finding('GP-SEC-007', item, `KEDA ${trigger} metadata ${k} holds ${secretInValue(v) ?? 'a literal secret'}; remove it from the trigger's metadata and use authenticationRef (a TriggerAuthentication with secretTargetRef) or ${k}FromEnv`));
        }
      }
    }
  }
  for (const d of bundle.aws.filter((a) => a.type === 'aws_cloudfront_distribution')) {
    for (const o of asArray<any>(d.attributes.origin)) {
      for (const h of asArray<any>(o?.custom_header)) {
        if (typeof h?.name !== 'string' || typeof h.value !== 'string' || isTokenString(h.value) || h.value === '') continue;
        const inValue = secretInValue(h.value);
        if (inValue || isSecretName(h.name) || /(^|_)(authorization|auth|verify|signature|origin_secret)(_|$)/.test(normalizeName(h.name))) {
          out.push(finding('GP-SEC-007', d, `origin ${o.origin_id} sends header ${h.name} with ${inValue ?? 'a literal value'}; an origin secret written here is in code, cdk.tf.json and the Terraform state: pass a sensitive TerraformVariable (sensitive: true) or generate it (random_password) and rotate it`));
        }
      }
    }
  }
  for (const h of bundle.helmReleases ?? []) {
    for (const field of ['set', 'set_sensitive']) {
      for (const e of asArray<any>(h.attributes?.[field])) {
        const last = typeof e?.name === 'string' ? e.name.split('.').pop() ?? e.name : '';
        if (typeof e?.value !== 'string' || isTokenString(e.value) || e.value === '') continue;
        if ((field === 'set_sensitive' && !isReference(e.value)) || looksLikeSecret(last, e.value)) {
          out.push(finding('GP-SEC-007', h, `Helm value ${e.name} (${field}) holds a literal secret; ${LITERAL_FIX}`));
        }
      }
    }
    for (const v of asArray<unknown>(h.attributes?.values)) {
      const inValue = typeof v === 'string' ? secretInValue(v) : undefined;
      if (inValue) out.push(finding('GP-SEC-007', h, `Helm values hold ${inValue}; ${LITERAL_FIX}`));
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
      if (refs.length + from.length > 0) out.push(finding('GP-SEC-008', p.item, `container ${c.name} reads secrets from env (${[...refs, ...from].join(', ')}); mounting them as files (secretMounts instead of commonSecrets/commonEnvFromSecrets) keeps them out of process listings and crash dumps`));
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
        if (AWS_KEY_NAMES.includes(String(e.name).toUpperCase())) out.push(finding('GP-SEC-009', p.item, `container ${c.name} gets static AWS credentials (${e.name}); remove them and give the workload awsIamPolicy (IRSA through KubeSaAuthAws) instead`));
      }
    }
  }
  for (const item of ofKind(bundle, 'Secret', 'ConfigMap')) {
    const keys = [...Object.keys(item.object.data ?? {}), ...Object.keys(item.object.stringData ?? {})];
    for (const k of keys) if (AWS_KEY_NAMES.includes(k.toUpperCase())) out.push(finding('GP-SEC-009', item, `${item.object.kind} key ${k} holds static AWS credentials; remove them and give the workload awsIamPolicy (IRSA through KubeSaAuthAws) instead`));
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
    help: 'No secret is written as a literal in what Terraform applies: env values, command lines (--password=, PGPASSWORD=), ConfigMap data, annotations, ExternalSecret templates, KEDA trigger metadata, CloudFront origin headers, Helm set values, and Secret data written in code (commonSecrets). Detected by name (password, pwd, token, secret, *_SIGNING_KEY, ...) and by value (AWS keys, PEM keys, scheme://user:password@host, bearer tokens). Use a Secret synced by an ExternalSecret, or a sensitive TerraformVariable.' },
  { id: 'GP-SEC-008', title: 'Secrets as env vars', category: 'security', severity: 'info', check: secretEnv,
    help: 'Secrets referenced through env (secretKeyRef) are allowed (seed 004); mounting them as files is safer.' },
  { id: 'GP-SEC-009', title: 'No static AWS credentials', category: 'security', severity: 'error', locked: true, check: staticAwsKeys,
    help: 'AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN must not be given to pods from any source. Use IRSA.' },
  { id: 'GP-SEC-011', title: 'Least-privilege workload RBAC', category: 'security', severity: 'error', locked: true, check: rbac,
    help: 'Roles granted to ServiceAccounts must not use "*" verbs or resources, pods/exec, pods/attach, read secrets, or cluster-admin.' },
];
