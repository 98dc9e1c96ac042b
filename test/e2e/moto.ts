/**
 * The moto AWS emulator (PyPI `moto[server]`, installed by `scripts/e2e-setup.sh moto`),
 * served on 127.0.0.1 only, stopped on exit and after a time limit.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { cacheDir } from '../support/terraform-cli';

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the aws provider's endpoint (AWS_ENDPOINT_URL). */
  readonly endpoint: string;
  /**
   * `http://127.0.0.1:<port>`, for HTTP_PROXY: S3 Control puts the account id in front of the
   * host (`123456789012.127.0.0.1`), which no resolver knows; this proxy sends such requests
   * to moto with their Host header. (Loopback addresses are never proxied, so nothing else
   * goes through it.)
   */
  readonly proxy: string;
  stop(): Promise<void>;
}

export function findMoto(): string | undefined {
  const bin = path.join(cacheDir(), 'moto-venv', 'bin', 'moto_server');
  return fs.existsSync(path.join(cacheDir(), 'moto-venv', '.complete')) && fs.existsSync(bin) ? bin : undefined;
}

export async function startMoto(binary: string, logDir: string, timeoutMs = 120 * 60_000): Promise<MotoServer> {
  fs.mkdirSync(logDir, { recursive: true });
  const port = await freePort();
  const log = fs.openSync(path.join(logDir, 'moto.log'), 'a');
  // ACM issues a requested certificate at once (its DNS validation cannot happen here).
  const child: ChildProcess = spawn(binary, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
    detached: true,
    // AWS managed policies (arn:aws:iam::aws:policy/...) exist in AWS; moto loads them on request.
    env: { ...process.env, MOTO_ACM_VALIDATION_WAIT: '0', MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let stopped = false;
  const kill = (signal: NodeJS.Signals) => {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => kill('SIGKILL');
  process.on('exit', onExit);
  // A signal ends Node without the 'exit' event: stop moto, then end as the signal asked.
  const onSignal = (signal: NodeJS.Signals) => {
    kill('SIGKILL');
    process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, onSignal);
  const timer = setTimeout(() => kill('SIGKILL'), timeoutMs);
  timer.unref();
  const proxyServer = http.createServer((req, res) => {
    // A proxy request names the whole URL; WHATWG URL refuses a host like 123456789012.127.0.0.1.
    const target = (req.url ?? '/').replace(/^[a-z]+:\/\/[^/]*/i, '') || '/';
    const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: target, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  proxyServer.unref();
  const proxy = `http://127.0.0.1:${(proxyServer.address() as net.AddressInfo).port}`;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    proxyServer.close();
    clearTimeout(timer);
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
    kill('SIGTERM');
    const deadline = Date.now() + 5000;
    while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(100);
    kill('SIGKILL');
    fs.closeSync(log);
  };
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await answers(`${endpoint}/moto-api/`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`moto did not start (see ${path.join(logDir, 'moto.log')})`);
    }
    await sleep(200);
  }
  return { endpoint, proxy, stop };
}

function answers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
    server.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
