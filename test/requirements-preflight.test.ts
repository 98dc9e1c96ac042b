import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { KubeconfigError, kubeconfigFiles, loadKubeconfig } from '../lib/app/kubeconfig';
import { preflightMain } from '../lib/cli/preflight';
import { main as cliMain } from '../lib/cli/init';
import { buildStacks } from '../stacks/app';

/**
 * The preflight's kubeconfig handling and command line, without a cluster (the check against a
 * real kube-apiserver is the `preflight` phase of `npm run e2e`, test/e2e/preflight.ts).
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
const b64 = (s: string) => Buffer.from(s).toString('base64');

function kubeconfig(file: string, doc: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, doc);
  return file;
}

describe('loadKubeconfig', () => {
  const dir = path.join(tmp, 'kube');
  fs.mkdirSync(path.join(dir, 'certs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'certs', 'client.crt'), 'CERT');
  fs.writeFileSync(path.join(dir, 'certs', 'client.key'), 'KEY');
  fs.writeFileSync(path.join(dir, 'certs', 'ca.crt'), 'CA-FILE');
  fs.writeFileSync(path.join(dir, 'token'), 'file-token\n');
  const first = kubeconfig(path.join(dir, 'first.yaml'), `
apiVersion: v1
kind: Config
current-context: admin
clusters:
  - name: local
    cluster: { server: "https://127.0.0.1:6443/", certificate-authority-data: ${b64('CA-DATA')} }
  - name: edge
    cluster: { server: "https://10.0.0.1", certificate-authority: certs/ca.crt, tls-server-name: api.internal }
users:
  - name: admin
    user: { client-certificate: certs/client.crt, client-key: certs/client.key }
  - name: robot
    user: { tokenFile: token }
contexts:
  - name: admin
    context: { cluster: local, user: admin }
  - name: robot
    context: { cluster: edge, user: robot }
`);
  const second = kubeconfig(path.join(tmp, 'other', 'second.yaml'), `
current-context: viewer
clusters:
  - name: local
    cluster: { server: "https://shadowed.example.com" }
users:
  - name: viewer
    user: { token: abc, client-certificate-data: ${b64('C2')}, client-key-data: ${b64('K2')} }
  - name: legacy
    user: { auth-provider: { name: oidc } }
contexts:
  - name: viewer
    context: { cluster: local, user: viewer }
  - name: legacy
    context: { cluster: local, user: legacy }
`);

  test('client certificate files relative to the kubeconfig, CA data, the current context', () => {
    const c = loadKubeconfig({ kubeconfig: first });
    expect(c).toMatchObject({ context: 'admin', server: 'https://127.0.0.1:6443', auth: 'client certificate', insecureSkipTlsVerify: false });
    expect([c.ca?.toString(), c.cert?.toString(), c.key?.toString(), c.token]).toEqual(['CA-DATA', 'CERT', 'KEY', undefined]);
  });

  test('a token file, a CA file and the TLS server name of another context', () => {
    const c = loadKubeconfig({ kubeconfig: first, context: 'robot' });
    expect(c).toMatchObject({ context: 'robot', server: 'https://10.0.0.1', token: 'file-token', auth: 'token file', tlsServerName: 'api.internal' });
    expect(c.ca?.toString()).toBe('CA-FILE');
  });

  test('KUBECONFIG files merge as kubectl merges them: the first current-context and the first entry of a name win', () => {
    const env = { KUBECONFIG: [path.join(tmp, 'missing.yaml'), second, first].join(path.delimiter) };
    expect(kubeconfigFiles(undefined, env)).toEqual([second, first]);
    const c = loadKubeconfig({ env });
    expect(c).toMatchObject({ context: 'viewer', server: 'https://shadowed.example.com', token: 'abc', auth: 'token' });
    expect(loadKubeconfig({ env, context: 'robot' }).server).toBe('https://10.0.0.1');
  });

  test('says what is wrong: a missing file, an unknown context, an auth-provider', () => {
    expect(() => loadKubeconfig({ kubeconfig: path.join(tmp, 'nope.yaml') })).toThrow(/no kubeconfig found at .*nope\.yaml \(--kubeconfig\)/);
    expect(() => loadKubeconfig({ kubeconfig: first, context: 'prod' })).toThrow(/context "prod" is not in .*\(contexts: admin, robot\)/);
    expect(() => loadKubeconfig({ kubeconfig: second, context: 'legacy' })).toThrow(KubeconfigError);
    expect(() => loadKubeconfig({ kubeconfig: second, context: 'legacy' })).toThrow(/auth-provider \(oidc\).*exec credential plugin/);
  });

  describe('exec credential plugins (run as kubectl runs them)', () => {
    // A real plugin: a node script that answers with an ExecCredential built from what it was given.
    const plugin = path.join(dir, 'bin', 'get-token.js');
    fs.mkdirSync(path.dirname(plugin), { recursive: true });
    fs.writeFileSync(plugin, `
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
if (process.argv[2] === 'fail') { console.error('token expired: log in again'); process.exit(3); }
if (process.argv[2] === 'cert') { console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { clientCertificateData: 'PEM-CERT', clientKeyData: 'PEM-KEY' } })); process.exit(0); }
const token = [process.argv[2], process.env.CLUSTER_NAME, info.kind, info.apiVersion, info.spec.interactive, info.spec.cluster && info.spec.cluster.server].join('|');
console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token } }));
`);
    const withExec = (exec: string) => kubeconfig(path.join(dir, `exec-${Math.random().toString(36).slice(2)}.yaml`), `
current-context: eks
clusters: [{ name: eks, cluster: { server: "https://eks.example.com", insecure-skip-tls-verify: true } }]
contexts: [{ name: eks, context: { cluster: eks, user: eks } }]
users: [{ name: eks, user: { exec: ${exec} } }]
`);

    test('a token, with args, env, KUBERNETES_EXEC_INFO and the cluster when asked', () => {
      const file = withExec(`{ apiVersion: client.authentication.k8s.io/v1beta1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}, eks-token], env: [{ name: CLUSTER_NAME, value: prod }], provideClusterInfo: true }`);
      const c = loadKubeconfig({ kubeconfig: file });
      expect(c.token).toBe('eks-token|prod|ExecCredential|client.authentication.k8s.io/v1beta1|false|https://eks.example.com');
      expect(c.auth).toBe(`exec: ${process.execPath}`);
      expect(c.insecureSkipTlsVerify).toBe(true);
    });

    test('a command with a path separator is relative to the kubeconfig file, as in kubectl', () => {
      const script = path.join(dir, 'bin', 'get-token-cli');
      fs.writeFileSync(script, `#!${process.execPath}\nrequire(${JSON.stringify(plugin)});\n`, { mode: 0o755 });
      const c = loadKubeconfig({ kubeconfig: withExec('{ apiVersion: client.authentication.k8s.io/v1, command: bin/get-token-cli, args: [relative] }') });
      expect(c.token).toBe('relative||ExecCredential|client.authentication.k8s.io/v1|false|');
    });

    test('a client certificate and key', () => {
      const c = loadKubeconfig({ kubeconfig: withExec(`{ apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}, cert] }`) });
      expect([c.cert?.toString(), c.key?.toString(), c.token]).toEqual(['PEM-CERT', 'PEM-KEY', undefined]);
    });

    test('a failing plugin and a missing command are reported with their output and install hint', () => {
      expect(() => loadKubeconfig({ kubeconfig: withExec(`{ command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}, fail] }`) })).toThrow(/exited with 3: token expired: log in again/);
      expect(() => loadKubeconfig({ kubeconfig: withExec('{ command: no-such-credential-helper-xyz, installHint: "Install the AWS CLI." }') })).toThrow(/could not run: .*ENOENT.*Install the AWS CLI\./);
    });
  });
});

describe('cdktf-golden-path preflight (command line)', () => {
  const out = path.join(tmp, 'cdktf.out');
  const app = new App({ outdir: out });
  buildStacks(app, { only: ['development'], audit: false });
  app.synth();
  const run = async (argv: string[]) => {
    const lines: string[] = [];
    const code = await preflightMain(argv, (l) => lines.push(l));
    return { code, text: lines.join('\n') };
  };

  test('usage errors exit 2 and say why', async () => {
    expect(await run(['--out'])).toEqual({ code: 2, text: expect.stringMatching(/--out needs a value\nusage: cdktf-golden-path preflight/) });
    expect(await run(['--verbose'])).toEqual({ code: 2, text: expect.stringMatching(/unknown argument --verbose/) });
    expect(await run(['--out', path.join(tmp, 'empty')])).toEqual({ code: 2, text: expect.stringMatching(/manifest\.json not found: synthesize the app first/) });
    expect(await run(['--out', out, '--stack', 'nope'])).toEqual({ code: 2, text: expect.stringMatching(/no stack nope in .* \(stacks: development-us-east-2-app, development-us-east-2-maintenance\)/) });
    expect(cliMain(['--help'], () => undefined)).toBe(0);
  });

  test('a cluster that cannot be reached is an error (exit 2), not a pass', async () => {
    // A port with nothing listening: bind one, then close it.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (server.address() as net.AddressInfo).port;
        server.close(() => resolve(p));
      });
    });
    const file = kubeconfig(path.join(tmp, 'closed.yaml'), `
current-context: c
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]
users: [{ name: u, user: { token: t } }]
`);
    const r = await run(['--out', out, '--kubeconfig', file]);
    expect(r.code).toBe(2);
    expect(r.text).toMatch(/ECONNREFUSED/);
  });
});
