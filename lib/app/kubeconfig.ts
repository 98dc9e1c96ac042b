/**
 * A kubeconfig reader and a minimal Kubernetes API client for the preflight: the files of
 * `KUBECONFIG` (merged as kubectl merges them) or `~/.kube/config`, one context, its cluster
 * (server, CA data or file, TLS server name, insecure-skip-tls-verify) and user (client
 * certificate and key, data or files; bearer token or token file; basic auth; `exec`
 * credential plugins such as `aws eks get-token`, run as kubectl runs them). Internal.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { yamlModule } from '../core/lazy';

type Json = Record<string, any>;

/** What a request to the cluster is made with. */
export interface ClusterConnection {
  /** The kubeconfig file(s) read. */
  readonly files: readonly string[];
  readonly context: string;
  /** `https://host:port` (a path prefix kept). */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
  readonly basic?: { readonly username: string; readonly password: string };
  readonly insecureSkipTlsVerify: boolean;
  readonly tlsServerName?: string;
  /** How the user authenticates, for messages: `client certificate`, `token`, `exec: aws`, ... */
  readonly auth: string;
}

/** A kubeconfig problem: the message says what to fix. */
export class KubeconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KubeconfigError';
    Object.setPrototypeOf(this, KubeconfigError.prototype);
  }
}

const expandHome = (p: string): string => (p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p);

/** The kubeconfig files in effect: the given path(s), else KUBECONFIG, else ~/.kube/config. */
export function kubeconfigFiles(kubeconfig?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const list = kubeconfig ?? env.KUBECONFIG;
  if (list !== undefined && list !== '') {
    const files = list.split(path.delimiter).filter((f) => f !== '').map((f) => path.resolve(expandHome(f)));
    // kubectl skips missing files of KUBECONFIG, but a path given on purpose must exist.
    const existing = files.filter((f) => fs.existsSync(f));
    if (existing.length === 0) throw new KubeconfigError(`no kubeconfig found at ${files.join(', ')} (${kubeconfig !== undefined ? '--kubeconfig' : 'KUBECONFIG'})`);
    return existing;
  }
  const home = path.join(os.homedir(), '.kube', 'config');
  if (!fs.existsSync(home)) throw new KubeconfigError(`no kubeconfig: ${home} does not exist and KUBECONFIG is not set (give --kubeconfig PATH)`);
  return [home];
}

interface Named<T> {
  readonly value: T;
  /** The directory of the file it came from (relative paths in it are relative to that). */
  readonly dir: string;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, Named<Json>>;
  users: Map<string, Named<Json>>;
  contexts: Map<string, Named<Json>>;
}

/** Merge kubeconfig files as kubectl does: the first file that sets a name or current-context wins. */
function merge(files: readonly string[]): Merged {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    let doc: Json;
    try {
      doc = (yamlModule().parse(fs.readFileSync(file, 'utf8')) ?? {}) as Json;
    } catch (e) {
      throw new KubeconfigError(`${file} is not a readable kubeconfig: ${(e as Error).message.split('\n')[0]}`);
    }
    const dir = path.dirname(file);
    if (!merged.currentContext && typeof doc['current-context'] === 'string' && doc['current-context'] !== '') merged.currentContext = doc['current-context'];
    for (const [list, key, into] of [['clusters', 'cluster', merged.clusters], ['users', 'user', merged.users], ['contexts', 'context', merged.contexts]] as const) {
      for (const entry of Array.isArray(doc[list]) ? doc[list] : []) {
        if (entry && typeof entry.name === 'string' && !into.has(entry.name)) into.set(entry.name, { value: (entry[key] ?? {}) as Json, dir });
      }
    }
  }
  return merged;
}

function readFileOf(dir: string, file: string, what: string): Buffer {
  const p = path.resolve(dir, expandHome(file));
  try {
    return fs.readFileSync(p);
  } catch (e) {
    throw new KubeconfigError(`cannot read the ${what} ${p}: ${(e as Error).message}`);
  }
}

function dataOrFile(entry: Json, dir: string, dataKey: string, fileKey: string, what: string): Buffer | undefined {
  if (typeof entry[dataKey] === 'string' && entry[dataKey] !== '') return Buffer.from(entry[dataKey], 'base64');
  if (typeof entry[fileKey] === 'string' && entry[fileKey] !== '') return readFileOf(dir, entry[fileKey], what);
  return undefined;
}

/**
 * Run an `exec` credential plugin (client.authentication.k8s.io ExecCredential) and return its
 * credential: a token, or a client certificate and key.
 */
export function runExecPlugin(exec: Json, dir: string, cluster: { server: string; ca?: Buffer; insecureSkipTlsVerify: boolean; tlsServerName?: string }, timeoutMs = 60_000): { token?: string; cert?: Buffer; key?: Buffer } {
  const command = exec.command;
  if (typeof command !== 'string' || command === '') throw new KubeconfigError('the user\'s exec credential plugin has no command');
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  // As kubectl: a command with a path separator is relative to the kubeconfig's directory.
  const program = command.includes('/') && !path.isAbsolute(command) ? path.resolve(dir, command) : command;
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of Array.isArray(exec.env) ? exec.env : []) if (e && typeof e.name === 'string') env[e.name] = String(e.value ?? '');
  const spec: Json = { interactive: false };
  if (exec.provideClusterInfo === true) {
    spec.cluster = {
      server: cluster.server,
      ...(cluster.ca ? { 'certificate-authority-data': cluster.ca.toString('base64') } : {}),
      ...(cluster.insecureSkipTlsVerify ? { 'insecure-skip-tls-verify': true } : {}),
      ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    };
  }
  env.KUBERNETES_EXEC_INFO = JSON.stringify({ apiVersion, kind: 'ExecCredential', spec });
  const run = spawnSync(program, args, { env, encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  const shown = [command, ...args].join(' ');
  if (run.error) {
    const hint = typeof exec.installHint === 'string' ? ` ${exec.installHint.trim()}` : '';
    throw new KubeconfigError(`the exec credential plugin \`${shown}\` could not run: ${run.error.message}.${hint}`);
  }
  if (run.status !== 0) throw new KubeconfigError(`the exec credential plugin \`${shown}\` exited with ${run.status}: ${(run.stderr || run.stdout).trim().slice(0, 1000)}`);
  let cred: Json;
  try {
    cred = JSON.parse(run.stdout) as Json;
  } catch {
    throw new KubeconfigError(`the exec credential plugin \`${shown}\` did not print an ExecCredential (JSON): ${run.stdout.slice(0, 200)}`);
  }
  const status = (cred.status ?? {}) as Json;
  if (typeof status.token === 'string' && status.token !== '') return { token: status.token };
  if (typeof status.clientCertificateData === 'string' && typeof status.clientKeyData === 'string') {
    return { cert: Buffer.from(status.clientCertificateData), key: Buffer.from(status.clientKeyData) };
  }
  throw new KubeconfigError(`the exec credential plugin \`${shown}\` returned neither status.token nor status.clientCertificateData and clientKeyData`);
}

/** Resolve the context (the given one, else current-context) of the kubeconfig to a connection. */
export function loadKubeconfig(options: { kubeconfig?: string; context?: string; env?: NodeJS.ProcessEnv } = {}): ClusterConnection {
  const files = kubeconfigFiles(options.kubeconfig, options.env);
  const merged = merge(files);
  const contextName = options.context ?? merged.currentContext;
  if (!contextName) throw new KubeconfigError(`${files.join(', ')} has no current-context: give --context (one of ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  const context = merged.contexts.get(contextName);
  if (!context) throw new KubeconfigError(`context ${JSON.stringify(contextName)} is not in ${files.join(', ')} (contexts: ${[...merged.contexts.keys()].join(', ') || 'none'})`);
  const clusterName = context.value.cluster;
  const cluster = typeof clusterName === 'string' ? merged.clusters.get(clusterName) : undefined;
  if (!cluster) throw new KubeconfigError(`context ${contextName}: cluster ${JSON.stringify(clusterName)} is not in the kubeconfig`);
  const c = cluster.value;
  if (typeof c.server !== 'string' || c.server === '') throw new KubeconfigError(`cluster ${clusterName} has no server`);
  if (c['proxy-url']) throw new KubeconfigError(`cluster ${clusterName} uses proxy-url, which the preflight does not support: run it where the API server is reachable directly`);
  const ca = dataOrFile(c, cluster.dir, 'certificate-authority-data', 'certificate-authority', 'certificate authority');
  const insecureSkipTlsVerify = c['insecure-skip-tls-verify'] === true;
  const tlsServerName = typeof c['tls-server-name'] === 'string' ? c['tls-server-name'] : undefined;
  const userName = context.value.user;
  const user = typeof userName === 'string' ? merged.users.get(userName) : undefined;
  const u = user?.value ?? {};
  const dir = user?.dir ?? cluster.dir;
  let cert = dataOrFile(u, dir, 'client-certificate-data', 'client-certificate', 'client certificate');
  let key = dataOrFile(u, dir, 'client-key-data', 'client-key', 'client key');
  let token: string | undefined;
  let auth = 'none';
  if (typeof u.token === 'string' && u.token !== '') {
    token = u.token;
    auth = 'token';
  } else if (typeof u.tokenFile === 'string' && u.tokenFile !== '') {
    token = readFileOf(dir, u.tokenFile, 'token file').toString('utf8').trim();
    auth = 'token file';
  }
  if (u['auth-provider']) throw new KubeconfigError(`user ${userName} uses an auth-provider (${u['auth-provider']?.name ?? 'unnamed'}), which kubectl itself no longer supports: use an exec credential plugin`);
  if (!token && u.exec) {
    const credential = runExecPlugin(u.exec as Json, dir, { server: c.server, ca, insecureSkipTlsVerify, tlsServerName });
    token = credential.token;
    if (credential.cert) [cert, key] = [credential.cert, credential.key];
    auth = `exec: ${String((u.exec as Json).command)}`;
  }
  if (cert && !key) throw new KubeconfigError(`user ${userName} has a client certificate but no client key`);
  if (cert && auth === 'none') auth = 'client certificate';
  const basic = typeof u.username === 'string' && typeof u.password === 'string' ? { username: u.username, password: u.password } : undefined;
  if (basic && auth === 'none') auth = 'basic';
  return { files, context: contextName, server: c.server.replace(/\/+$/, ''), ca, cert, key, token, basic, insecureSkipTlsVerify, tlsServerName, auth };
}

/** A GET of `urlPath` on the API server as the kubeconfig's user; the body parsed as JSON (undefined when it is not). */
export function getJson(conn: ClusterConnection, urlPath: string, timeoutMs = 15_000): Promise<{ status: number; body: any }> {
  return requestJson(conn, 'GET', urlPath, { timeoutMs });
}

/** A request to the API server as the kubeconfig's user, with an optional JSON body; the answer parsed as JSON (undefined when it is not). */
export function requestJson(
  conn: ClusterConnection,
  method: string,
  urlPath: string,
  options: { body?: unknown; contentType?: string; timeoutMs?: number } = {},
): Promise<{ status: number; body: any }> {
  const url = new URL(conn.server + urlPath);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string | number> = { Accept: 'application/json' };
  if (payload !== undefined) Object.assign(headers, { 'Content-Type': options.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  if (conn.token) headers.Authorization = `Bearer ${conn.token}`;
  else if (conn.basic) headers.Authorization = `Basic ${Buffer.from(`${conn.basic.username}:${conn.basic.password}`).toString('base64')}`;
  const requestOptions: https.RequestOptions = {
    method, headers, timeout: timeoutMs,
    ...(url.protocol === 'https:' ? {
      ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecureSkipTlsVerify,
      ...(conn.tlsServerName ? { servername: conn.tlsServerName } : {}),
    } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? https : http).request(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let body: any;
        try { body = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { body = undefined; }
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${conn.server} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
