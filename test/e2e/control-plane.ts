/**
 * A local Kubernetes control plane for the end-to-end tests: kine (etcd API on SQLite),
 * kube-apiserver and, optionally, kube-controller-manager, all run from the one binary that
 * `scripts/setup-control-plane.sh` builds from Go modules (k8s.io/kubernetes, k3s-io/kine)
 * into `${GOLDEN_PATH_CACHE:-~/.cache/cdktf-golden-path}/control-plane/<k8s>-<hash>/`.
 *
 * There are no nodes: Deployments get ReplicaSets and Pods (which stay Pending), admission
 * (PodSecurity included) and RBAC are real, namespaces are finalized by the namespace
 * controller. Everything listens on 127.0.0.1 only; certificates are generated here with
 * Node's `crypto` (no openssl needed).
 *
 *   const cp = await startControlPlane({ workDir: fs.mkdtempSync(...) });
 *   // cp.kubeconfigPath, cp.server, await cp.request('GET', '/api/v1/namespaces')
 *   await cp.stop();
 *
 * This is a module for tsx scripts and test setups, not a jest test.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as https from 'https';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { isExecutable } from '../support/terraform-cli';

export const SETUP_COMMAND = 'bash scripts/setup-control-plane.sh';

export interface StartControlPlaneOptions {
  /** Directory for certificates, the kubeconfig, the SQLite database and the logs (created if missing). */
  workDir: string;
  /** Everything is stopped after this long (default 20 min). */
  timeoutMs?: number;
  /** Start kube-controller-manager too (default true). */
  controllerManager?: boolean;
  /** The control-plane binary (default: `findControlPlaneBinary()`). */
  binary?: string;
  /** kine backend: SQLite file in workDir (default) or kine's in-memory store. */
  storage?: 'sqlite' | 'memory';
  /** Admission plugins to disable. Default: none with the controller manager; `ServiceAccount`
   * without it (no controller would create the `default` ServiceAccounts). */
  disableAdmissionPlugins?: string[];
  /** More kube-apiserver flags (later flags win). */
  extraApiserverArgs?: string[];
  /** More kube-controller-manager flags (later flags win). */
  extraControllerManagerArgs?: string[];
  /** How long to wait for readiness (default 120 s). */
  readyTimeoutMs?: number;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

export interface ControlPlaneTimings {
  /** From spawning kine to its port accepting connections. */
  kineReadyMs: number;
  /** From spawning kube-apiserver to `/readyz` answering 200. */
  apiserverReadyMs: number;
  /** From spawning kube-controller-manager to the `default` ServiceAccount existing in `default`. */
  controllerManagerReadyMs?: number;
  /** startControlPlane() as a whole. */
  totalMs: number;
}

export interface KubeResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

export interface ControlPlane {
  /** A kubeconfig (cluster admin, `system:masters`, certificates embedded). */
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  readonly caFile: string;
  /** Admin client certificate and key (PEM files). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  readonly workDir: string;
  /** kine.log, apiserver.log, controller-manager.log */
  readonly logDir: string;
  readonly binary: string;
  readonly timings: ControlPlaneTimings;
  /** Process ids (each is its own process group). */
  readonly pids: readonly number[];
  /** A request as the admin; JSON in and out. */
  request<T = any>(method: string, urlPath: string, body?: unknown, headers?: Record<string, string>): Promise<KubeResponse<T>>;
  /** Stops every process, one at a time (SIGTERM, then SIGKILL after 5 s); resolves when all are gone. Idempotent. */
  stop(): Promise<void>;
  /** True while no process of this control plane is left (after stop()). */
  processesGone(): boolean;
}

// ---------------------------------------------------------------------------------------------
// Finding the binary (same cache layout and hash as scripts/setup-control-plane.sh)

export function controlPlaneSourceDir(): string {
  return path.resolve(__dirname, '..', '..', 'scripts', 'control-plane');
}

export function controlPlaneCacheDir(): string {
  return path.join(process.env.GOLDEN_PATH_CACHE ?? path.join(os.homedir(), '.cache', 'cdktf-golden-path'), 'control-plane');
}

/** `<k8s-version>-<sha256(go.mod + go.sum + *.go sorted)[0:12]>`, as the setup script names it. */
export function controlPlaneBuildKey(srcDir = controlPlaneSourceDir()): string {
  const goMod = fs.readFileSync(path.join(srcDir, 'go.mod'));
  const version = /^\s*k8s\.io\/kubernetes\s+(v[0-9][^\s]*)/m.exec(goMod.toString('utf8'))?.[1];
  if (!version) throw new Error(`no k8s.io/kubernetes version in ${srcDir}/go.mod`);
  const goFiles = fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith('.go'))
    .sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1)); // LC_ALL=C order
  const hash = crypto.createHash('sha256');
  for (const f of ['go.mod', 'go.sum', ...goFiles]) hash.update(fs.readFileSync(path.join(srcDir, f)));
  return `${version}-${hash.digest('hex').slice(0, 12)}`;
}

/** The built binary: `GOLDEN_PATH_CONTROL_PLANE`, else the cache entry for the current sources; undefined when not built. */
export function findControlPlaneBinary(): string | undefined {
  const candidates: string[] = [];
  if (process.env.GOLDEN_PATH_CONTROL_PLANE) candidates.push(process.env.GOLDEN_PATH_CONTROL_PLANE);
  try {
    candidates.push(path.join(controlPlaneCacheDir(), controlPlaneBuildKey(), 'control-plane'));
  } catch {
    // sources not available (e.g. installed package): only the env var can point at a binary
  }
  return candidates.find(isExecutable);
}

// ---------------------------------------------------------------------------------------------
// Certificates: a minimal X.509 v3 writer on top of Node's crypto (ECDSA P-256, SHA-256)

namespace der {
  function len(n: number): Buffer {
    if (n < 0x80) return Buffer.from([n]);
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
    return Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  export function tlv(tag: number, ...content: Buffer[]): Buffer {
    const body = Buffer.concat(content);
    return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
  }
  export const seq = (...c: Buffer[]) => tlv(0x30, ...c);
  export const set = (...c: Buffer[]) => tlv(0x31, ...c);
  export const explicit = (n: number, ...c: Buffer[]) => tlv(0xa0 + n, ...c);
  export const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
  export const octets = (b: Buffer) => tlv(0x04, b);
  export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
  export const nul = () => Buffer.from([0x05, 0x00]);
  export function bits(b: Buffer, unused = 0): Buffer {
    return tlv(0x03, Buffer.from([unused]), b);
  }
  export function uint(b: Buffer): Buffer {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return tlv(0x02, v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
  }
  export function oid(dotted: string): Buffer {
    const [a, b, ...rest] = dotted.split('.').map(Number);
    const out = [40 * a + b];
    for (const n of rest) {
      const chunk = [n & 0x7f];
      for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
      out.push(...chunk);
    }
    return tlv(0x06, Buffer.from(out));
  }
  export function time(d: Date): Buffer {
    const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
    return d.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
  }
}

interface KeyPair {
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
}

interface CertSpec {
  commonName: string;
  organizations?: string[];
  isCA?: boolean;
  serverAuth?: boolean;
  clientAuth?: boolean;
  dnsNames?: string[];
  ips?: string[];
  days?: number;
}

function x509Name(cn: string, orgs: string[] = []): Buffer {
  const rdn = (type: string, value: string) => der.set(der.seq(der.oid(type), der.utf8(value)));
  return der.seq(...orgs.map((o) => rdn('2.5.4.10', o)), rdn('2.5.4.3', cn));
}

function ipBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  throw new Error(`only IPv4 SANs are supported: ${ip}`);
}

/** A PEM certificate for `key`, signed by `issuer` (self-signed when absent). */
function makeCert(spec: CertSpec, key: KeyPair, issuer?: { key: KeyPair; name: Buffer }): string {
  const ecdsaSha256 = der.seq(der.oid('1.2.840.10045.4.3.2'));
  const spki = key.publicKey.export({ type: 'spki', format: 'der' });
  const keyId = (k: KeyPair) => crypto.createHash('sha1').update(k.publicKey.export({ type: 'spki', format: 'der' })).digest();
  const subject = x509Name(spec.commonName, spec.organizations);
  const ext = (id: string, critical: boolean, value: Buffer) =>
    der.seq(der.oid(id), ...(critical ? [der.bool(true)] : []), der.octets(value));
  const extensions: Buffer[] = [
    ext('2.5.29.19', true, der.seq(...(spec.isCA ? [der.bool(true)] : []))), // basicConstraints
    // keyUsage: CA = digitalSignature|keyCertSign|cRLSign, leaf = digitalSignature
    ext('2.5.29.15', true, spec.isCA ? der.bits(Buffer.from([0x86]), 1) : der.bits(Buffer.from([0x80]), 7)),
    ext('2.5.29.14', false, der.octets(keyId(key))), // subjectKeyIdentifier
  ];
  if (issuer) extensions.push(ext('2.5.29.35', false, der.seq(der.tlv(0x80, keyId(issuer.key))))); // authorityKeyIdentifier
  const eku = [...(spec.serverAuth ? ['1.3.6.1.5.5.7.3.1'] : []), ...(spec.clientAuth ? ['1.3.6.1.5.5.7.3.2'] : [])];
  if (eku.length) extensions.push(ext('2.5.29.37', false, der.seq(...eku.map(der.oid))));
  const sans = [
    ...(spec.dnsNames ?? []).map((d) => der.tlv(0x82, Buffer.from(d, 'ascii'))),
    ...(spec.ips ?? []).map((ip) => der.tlv(0x87, ipBytes(ip))),
  ];
  if (sans.length) extensions.push(ext('2.5.29.17', false, der.seq(...sans)));
  const now = Date.now();
  const tbs = der.seq(
    der.explicit(0, der.uint(Buffer.from([2]))), // v3
    der.uint(crypto.randomBytes(16)),
    ecdsaSha256,
    issuer ? issuer.name : subject,
    der.seq(der.time(new Date(now - 3600_000)), der.time(new Date(now + (spec.days ?? 365) * 86400_000))),
    subject,
    spki,
    der.explicit(3, der.seq(...extensions)),
  );
  const signature = crypto.sign('sha256', tbs, (issuer?.key ?? key).privateKey);
  return pem('CERTIFICATE', der.seq(tbs, ecdsaSha256, der.bits(signature)));
}

function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

const ecKey = (): KeyPair => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const keyPem = (k: KeyPair) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

interface Pki {
  caFile: string;
  caPem: string;
  servingCertFile: string;
  servingKeyFile: string;
  adminCertFile: string;
  adminKeyFile: string;
  adminCertPem: string;
  adminKeyPem: string;
  kcmCertPem: string;
  kcmKeyPem: string;
  caKeyFile: string;
  saKeyFile: string;
  saPubFile: string;
}

function writePki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content, { mode: 0o600 });
    return file;
  };
  const caKey = ecKey();
  const caName = x509Name('cdktf-golden-path-e2e-ca');
  const caPem = makeCert({ commonName: 'cdktf-golden-path-e2e-ca', isCA: true, days: 3650 }, caKey);
  const issuer = { key: caKey, name: caName };
  const servingKey = ecKey();
  const servingPem = makeCert(
    {
      commonName: 'kube-apiserver',
      serverAuth: true,
      dnsNames: ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'],
      ips: ['127.0.0.1', '10.0.0.1'],
    },
    servingKey,
    issuer,
  );
  const adminKey = ecKey();
  const adminPem = makeCert({ commonName: 'e2e-admin', organizations: ['system:masters'], clientAuth: true }, adminKey, issuer);
  const kcmKey = ecKey();
  const kcmPem = makeCert(
    { commonName: 'system:kube-controller-manager', organizations: ['system:masters'], clientAuth: true },
    kcmKey,
    issuer,
  );
  const sa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    caFile: write('ca.crt', caPem),
    caPem,
    caKeyFile: write('ca.key', keyPem(caKey)),
    servingCertFile: write('apiserver.crt', servingPem + caPem),
    servingKeyFile: write('apiserver.key', keyPem(servingKey)),
    adminCertFile: write('admin.crt', adminPem),
    adminKeyFile: write('admin.key', keyPem(adminKey)),
    adminCertPem: adminPem,
    adminKeyPem: keyPem(adminKey),
    kcmCertPem: kcmPem,
    kcmKeyPem: keyPem(kcmKey),
    saKeyFile: write('sa.key', sa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    saPubFile: write('sa.pub', sa.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function kubeconfig(server: string, caPem: string, certPem: string, keyPem: string, user: string): string {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caPem)}`,
    'users:',
    `- name: ${user}`,
    '  user:',
    `    client-certificate-data: ${b64(certPem)}`,
    `    client-key-data: ${b64(keyPem)}`,
    'contexts:',
    '- name: e2e',
    '  context:',
    '    cluster: e2e',
    `    user: ${user}`,
    '    namespace: default',
    'current-context: e2e',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Child {
  name: string;
  proc: ChildProcess;
  exited: Promise<void>;
  exitInfo?: string;
}

/** Every process group we started and have not seen stopped, for the exit/signal handlers. */
const liveGroups = new Set<number>();
const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function onExit(): void {
  for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
  liveGroups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  onExit();
  // Only ours: behave like the default action would have (exit with 128 + signal number).
  if (process.listenerCount(signal) <= 1) process.exit(128 + (os.constants.signals[signal] ?? 1));
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', onExit);
  for (const s of signals) process.on(s, onSignal);
}

function removeHandlersIfIdle(): void {
  if (!handlersInstalled || liveGroups.size > 0) return;
  handlersInstalled = false;
  process.removeListener('exit', onExit);
  for (const s of signals) process.removeListener(s, onSignal);
}

function startChild(binary: string, name: string, args: string[], logDir: string): Child {
  const logFile = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `# ${new Date().toISOString()} ${binary} ${args.join(' ')}\n`);
  let proc: ChildProcess;
  try {
    proc = spawn(binary, args, {
      detached: true, // own process group: stop() kills the group
      stdio: ['ignore', fd, fd],
      env: { ...process.env, CONTROL_PLANE_PARENT_PID: String(process.pid) },
    });
  } finally {
    fs.closeSync(fd);
  }
  const child: Child = { name, proc, exited: Promise.resolve() };
  child.exited = new Promise<void>((resolve) => {
    proc.once('exit', (code, signal) => {
      child.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    proc.once('error', (err) => {
      child.exitInfo = `failed: ${err.message}`;
      resolve();
    });
  });
  if (proc.pid === undefined) throw new Error(`could not start ${binary} ${name}`);
  liveGroups.add(proc.pid);
  installHandlers();
  proc.unref(); // a forgotten stop() must not keep the runner alive; the exit handler kills the group
  return child;
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long each process gets between SIGTERM and SIGKILL in stop(). */
const STOP_GRACE_MS = 5000;

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Waits for `check` to return true, failing early if a child exits. */
async function waitFor(what: string, deadline: number, children: Child[], logDir: string, check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    const dead = children.find((c) => c.exitInfo);
    if (dead) {
      throw new Error(`${dead.name} ${dead.exitInfo} while waiting for ${what}; last log lines:\n${tail(path.join(logDir, `${dead.name}.log`))}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      const logs = children.map((c) => `--- ${c.name}.log\n${tail(path.join(logDir, `${c.name}.log`), 15)}`).join('\n');
      throw new Error(`timed out waiting for ${what}\n${logs}`);
    }
    await sleep(150);
  }
}

function httpsRequest(
  agent: https.Agent,
  server: string,
  method: string,
  urlPath: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<KubeResponse> {
  const url = new URL(urlPath, server);
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method,
        agent,
        headers: {
          Accept: 'application/json',
          ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON (e.g. /readyz): keep the text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: timeout`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * Starts kine, kube-apiserver and (by default) kube-controller-manager, waits until the
 * apiserver is ready (and the controller manager has created the `default` ServiceAccount),
 * writes `<workDir>/kubeconfig` and resolves. Throws with the tail of the failing log if a
 * process exits or readiness times out; nothing is left running then.
 */
export async function startControlPlane(opts: StartControlPlaneOptions): Promise<ControlPlane> {
  const t0 = Date.now();
  const log = opts.log ?? (() => undefined);
  const binary = opts.binary ?? findControlPlaneBinary();
  if (!binary) throw new Error(`control-plane binary not built; run: ${SETUP_COMMAND}`);
  const workDir = path.resolve(opts.workDir);
  const logDir = path.join(workDir, 'logs');
  const pkiDir = path.join(workDir, 'pki');
  fs.mkdirSync(logDir, { recursive: true });
  const withControllerManager = opts.controllerManager ?? true;
  const readyDeadline = () => Date.now() + (opts.readyTimeoutMs ?? 120_000);

  const pki = writePki(pkiDir);
  const [kinePort, apiPort] = [await freePort(), await freePort()];
  const server = `https://127.0.0.1:${apiPort}`;
  const children: Child[] = [];
  const agent = new https.Agent({ ca: pki.caPem, cert: pki.adminCertPem, key: pki.adminKeyPem, keepAlive: true });

  let stopped: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): Promise<void> => {
    if (stopped) return stopped;
    stopped = (async () => {
      if (timer) clearTimeout(timer);
      agent.destroy();
      // One at a time, in reverse order (controller manager, apiserver, kine): the apiserver's
      // graceful shutdown still writes to storage, so kine must outlive it.
      for (const c of [...children].reverse()) {
        if (c.proc.pid === undefined) continue;
        if (!c.exitInfo) {
          c.proc.ref(); // keep the event loop alive while we wait
          killGroup(c.proc.pid, 'SIGTERM');
          let graceTimer: NodeJS.Timeout | undefined;
          const grace = new Promise<void>((r) => (graceTimer = setTimeout(r, STOP_GRACE_MS)));
          await Promise.race([c.exited, grace]);
          clearTimeout(graceTimer);
        }
        killGroup(c.proc.pid, 'SIGKILL'); // the group may hold more than the leader
        await c.exited;
      }
      // Wait until the kernel reports every group empty (children of children included).
      const until = Date.now() + 5000;
      while (children.some((c) => c.proc.pid !== undefined && groupAlive(c.proc.pid)) && Date.now() < until) await sleep(50);
      for (const c of children) if (c.proc.pid !== undefined && !groupAlive(c.proc.pid)) liveGroups.delete(c.proc.pid);
      removeHandlersIfIdle();
      log('control plane stopped');
    })();
    return stopped;
  };

  try {
    // 1. Storage.
    const kineEndpoint =
      opts.storage === 'memory'
        ? 'memory://'
        : `sqlite://${path.join(workDir, 'kine', 'state.db')}?_journal_mode=WAL&_busy_timeout=30000&_synchronous=NORMAL&_txlock=immediate&cache=shared`;
    fs.mkdirSync(path.join(workDir, 'kine'), { recursive: true });
    let t = Date.now();
    children.push(startChild(binary, 'kine', ['kine', `--listen-address=127.0.0.1:${kinePort}`, `--endpoint=${kineEndpoint}`], logDir));
    await waitFor('kine', readyDeadline(), children, logDir, () => canConnect(kinePort));
    const kineReadyMs = Date.now() - t;
    log(`kine ready on 127.0.0.1:${kinePort} in ${kineReadyMs} ms`);

    // 2. kube-apiserver.
    const disable = opts.disableAdmissionPlugins ?? (withControllerManager ? [] : ['ServiceAccount']);
    const apiArgs = [
      'apiserver',
      `--etcd-servers=http://127.0.0.1:${kinePort}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${path.join(workDir, 'apiserver-certs')}`,
      `--tls-cert-file=${pki.servingCertFile}`,
      `--tls-private-key-file=${pki.servingKeyFile}`,
      `--client-ca-file=${pki.caFile}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${pki.saPubFile}`,
      `--service-account-signing-key-file=${pki.saKeyFile}`,
      '--authorization-mode=RBAC',
      '--enable-admission-plugins=PodSecurity',
      ...(disable.length ? [`--disable-admission-plugins=${disable.join(',')}`] : []),
      '--allow-privileged=true',
      // The "kubernetes" Service cannot point at a loopback address; do what the upstream test server does.
      '--endpoint-reconciler-type=none',
      '--profiling=false',
      ...(opts.extraApiserverArgs ?? []),
    ];
    t = Date.now();
    children.push(startChild(binary, 'apiserver', apiArgs, logDir));
    await waitFor('kube-apiserver /readyz', readyDeadline(), children, logDir, async () => {
      const res = await httpsRequest(agent, server, 'GET', '/readyz');
      return res.status === 200;
    });
    const apiserverReadyMs = Date.now() - t;
    log(`kube-apiserver ready at ${server} in ${apiserverReadyMs} ms`);

    const kubeconfigPath = path.join(workDir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, kubeconfig(server, pki.caPem, pki.adminCertPem, pki.adminKeyPem, 'e2e-admin'), { mode: 0o600 });

    // 3. kube-controller-manager.
    let controllerManagerReadyMs: number | undefined;
    if (withControllerManager) {
      const kcmConfig = path.join(pkiDir, 'controller-manager.kubeconfig');
      fs.writeFileSync(kcmConfig, kubeconfig(server, pki.caPem, pki.kcmCertPem, pki.kcmKeyPem, 'kube-controller-manager'), { mode: 0o600 });
      const kcmArgs = [
        'controller-manager',
        `--kubeconfig=${kcmConfig}`,
        `--authentication-kubeconfig=${kcmConfig}`,
        `--authorization-kubeconfig=${kcmConfig}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${await freePort()}`,
        `--cert-dir=${path.join(workDir, 'controller-manager-certs')}`,
        '--leader-elect=false',
        // Kubernetes 1.37 has no in-tree cloud controllers left, so "*" starts no cloud ones.
        '--controllers=*',
        '--use-service-account-credentials=false',
        `--service-account-private-key-file=${pki.saKeyFile}`,
        `--root-ca-file=${pki.caFile}`,
        `--cluster-signing-cert-file=${pki.caFile}`,
        `--cluster-signing-key-file=${pki.caKeyFile}`,
        '--profiling=false',
        ...(opts.extraControllerManagerArgs ?? []),
      ];
      t = Date.now();
      children.push(startChild(binary, 'controller-manager', kcmArgs, logDir));
      await waitFor('kube-controller-manager (default ServiceAccount)', readyDeadline(), children, logDir, async () => {
        const res = await httpsRequest(agent, server, 'GET', '/api/v1/namespaces/default/serviceaccounts/default');
        return res.status === 200;
      });
      controllerManagerReadyMs = Date.now() - t;
      log(`kube-controller-manager working in ${controllerManagerReadyMs} ms`);
    }

    const timeoutMs = opts.timeoutMs ?? 20 * 60_000;
    timer = setTimeout(() => {
      process.stderr.write(`[control-plane] ${timeoutMs} ms elapsed: stopping the control plane in ${workDir}\n`);
      void stop();
    }, timeoutMs);
    timer.unref();

    return {
      kubeconfigPath,
      server,
      caFile: pki.caFile,
      clientCertFile: pki.adminCertFile,
      clientKeyFile: pki.adminKeyFile,
      workDir,
      logDir,
      binary,
      timings: { kineReadyMs, apiserverReadyMs, controllerManagerReadyMs, totalMs: Date.now() - t0 },
      pids: children.map((c) => c.proc.pid as number),
      request: (method, urlPath, body, headers) => httpsRequest(agent, server, method, urlPath, body, headers),
      stop,
      processesGone: () => children.every((c) => c.proc.pid === undefined || !groupAlive(c.proc.pid)),
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** `control-plane version` of a binary (the pinned module versions), or undefined. */
export function controlPlaneVersion(binary = findControlPlaneBinary()): string | undefined {
  if (!binary) return undefined;
  const out = spawnSync(binary, ['version'], { encoding: 'utf8', timeout: 30_000 });
  return out.status === 0 ? out.stdout.trim() : undefined;
}
