import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { AddressInfo } from 'net';
import { adoptCommand, liveManifest, parseManifestImportId, prepareStateForUpdate } from '../lib/cli/adopt';

/**
 * `cdktf-golden-path adopt` against a small API server on 127.0.0.1 that answers discovery and
 * GETs the way kube-apiserver does (the real one is in the e2e adopt phase), and only with the
 * kubeconfig's bearer token.
 */
const TOKEN = 'test-token-123';
const DEPLOYMENT = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'shop', uid: 'u-1', resourceVersion: '42', generation: 3, creationTimestamp: '2024-01-01T00:00:00Z',
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    annotations: { 'deployment.kubernetes.io/revision': '3', 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'costs ${price} %{x}' },
    labels: { id: '9f2c4e1ab3d07765' },
  },
  spec: { selector: { matchLabels: { id: '9f2c4e1ab3d07765' } }, template: { metadata: { creationTimestamp: null, labels: { id: '9f2c4e1ab3d07765' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  status: { replicas: 2 },
};
const OBJECTS: Record<string, unknown> = {
  '/api/v1/namespaces/shop/serviceaccounts/9f2c4e1ab3d07765': { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: '9f2c4e1ab3d07765', namespace: 'shop' } },
  '/apis/apps/v1/namespaces/shop/deployments/web': DEPLOYMENT,
  '/api/v1/namespaces/shop/secrets/web-x1y2z': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-x1y2z', namespace: 'shop' } },
  '/api/v1/namespaces/shop': { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
};
const DISCOVERY: Record<string, unknown> = {
  '/api/v1': { resources: [
    { name: 'namespaces', kind: 'Namespace', namespaced: false }, { name: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
    { name: 'configmaps', kind: 'ConfigMap', namespaced: true }, { name: 'secrets', kind: 'Secret', namespaced: true }, { name: 'pods/log', kind: 'Pod', namespaced: true },
  ] },
  '/apis/apps/v1': { resources: [{ name: 'deployments', kind: 'Deployment', namespaced: true }, { name: 'deployments/status', kind: 'Deployment', namespaced: true }] },
};

let server: http.Server;
let base: string;
const asked: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    asked.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { kind: 'Status', code: 401, reason: 'Unauthorized' });
    if (req.method !== 'GET') return send(405, {});
    if (DISCOVERY[url.pathname]) return send(200, DISCOVERY[url.pathname]);
    if (url.pathname.startsWith('/apis/') && url.pathname.split('/').length === 4) return send(404, { kind: 'Status', code: 404 });
    const obj = OBJECTS[url.pathname];
    return obj ? send(200, obj) : send(404, { kind: 'Status', code: 404, reason: 'NotFound' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function workspace(token = TOKEN): { out: string; kubeconfig: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-adopt-cli-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kubeconfig, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: local', '  cluster:', `    server: ${base}`,
    'users:', '- name: me', '  user:', `    token: ${token}`,
    'contexts:', '- name: local', '  context:', '    cluster: local', '    user: me',
    'current-context: local', '',
  ].join('\n'));
  const out = path.join(dir, 'cdktf.out');
  const stackDir = path.join(out, 'stacks', 'shop');
  fs.mkdirSync(stackDir, { recursive: true });
  const file = path.join(stackDir, 'cdk.tf.json');
  fs.writeFileSync(file, JSON.stringify({
    resource: {
      kubernetes_manifest: {
        ns: { manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } },
        sa: { manifest: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: '9f2c4e1ab3d07765', namespace: 'shop' } } },
        deploy: { manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }, wait: { rollout: true } },
        settings: { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-settings', namespace: 'shop' } } },
        vpa: { manifest: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' } } },
      },
    },
    import: [
      { to: 'kubernetes_manifest.ns', id: 'apiVersion=v1,kind=Namespace,name=shop' },
      { to: 'kubernetes_manifest.sa', id: 'apiVersion=v1,kind=ServiceAccount,namespace=shop,name=9f2c4e1ab3d07765' },
      { to: 'kubernetes_manifest.deploy', id: 'apiVersion=apps/v1,kind=Deployment,namespace=shop,name=web' },
      { to: 'kubernetes_manifest.settings', id: 'apiVersion=v1,kind=ConfigMap,namespace=shop,name=web-settings' },
      { to: 'kubernetes_manifest.vpa', id: 'apiVersion=autoscaling.k8s.io/v1,kind=VerticalPodAutoscaler,namespace=shop,name=web' },
      { to: 'kubernetes_secret_v1.secret', id: 'shop/web-x1y2z' },
      { to: 'aws_iam_role.role', id: 'web-20240101' },
    ],
  }));
  return { out, kubeconfig, file };
}

describe('cdktf-golden-path adopt --filter-only', () => {
  test('keeps the imports of objects that exist, removes the others, keeps (unchecked) the AWS ones', async () => {
    const ws = workspace();
    const lines: string[] = [];
    const code = await adoptCommand(['--stack', 'shop', '--out', ws.out, '--kubeconfig', ws.kubeconfig, '--filter-only'], (l) => lines.push(l));
    expect(code).toBe(0);
    const json = JSON.parse(fs.readFileSync(ws.file, 'utf8'));
    expect(json.import.map((b: any) => b.to)).toEqual(['kubernetes_manifest.ns', 'kubernetes_manifest.sa', 'kubernetes_manifest.deploy', 'kubernetes_secret_v1.secret', 'aws_iam_role.role']);
    expect(lines.find((l) => l.includes('exist (imported)'))).toMatch(/4 exist \(imported\), 2 missing .* 1 not checked/);
    // the VPA's kind is not served (no CRD): missing, with the reason
    expect(lines.some((l) => /^missing\s+kubernetes_manifest\.vpa/.test(l))).toBe(true);
    // the manifests are untouched in this mode
    expect(json.resource.kubernetes_manifest.deploy.manifest).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } });
    expect(asked).toContain('/apis/apps/v1/namespaces/shop/deployments/web');
    expect(asked).toContain('/api/v1/namespaces/shop');
  });

  test('--dry-run writes nothing', async () => {
    const ws = workspace();
    const before = fs.readFileSync(ws.file, 'utf8');
    expect(await adoptCommand(['--stack', 'shop', '--out', ws.out, '--kubeconfig', ws.kubeconfig, '--dry-run'], () => undefined)).toBe(0);
    expect(fs.readFileSync(ws.file, 'utf8')).toBe(before);
  });

  test('a refused token fails the command (never a silent "missing")', async () => {
    const ws = workspace('wrong');
    await expect(adoptCommand(['--stack', 'shop', '--out', ws.out, '--kubeconfig', ws.kubeconfig], () => undefined)).rejects.toThrow(/answered 401/);
  });
});

describe('the import step (default mode)', () => {
  test('an imported object applies its live form: no status, no server metadata, template text escaped', async () => {
    const ws = workspace();
    expect(await adoptCommand(['--stack', 'shop', '--out', ws.out, '--kubeconfig', ws.kubeconfig], () => undefined)).toBe(0);
    const json = JSON.parse(fs.readFileSync(ws.file, 'utf8'));
    const deploy = json.resource.kubernetes_manifest.deploy;
    expect(deploy.wait).toBeUndefined();
    expect(deploy.manifest.status).toBeUndefined();
    expect(deploy.manifest.metadata).toEqual({
      name: 'web', namespace: 'shop', labels: { id: '9f2c4e1ab3d07765' }, annotations: { note: 'costs $${price} %%{x}' },
    });
    expect(deploy.manifest.spec.template.metadata).toEqual({ labels: { id: '9f2c4e1ab3d07765' } });
    // a missing object keeps the library's manifest (it is created)
    expect(json.resource.kubernetes_manifest.settings.manifest.kind).toBe('ConfigMap');
  });

  test('liveManifest keeps what someone applied and drops what the server set', () => {
    expect(liveManifest({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', uid: 'x', resourceVersion: '1', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } }, status: {} }))
      .toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' } });
  });
});

describe('prepareStateForUpdate', () => {
  test('copies object into manifest for the imported kubernetes_manifest instances only, and bumps the serial', () => {
    const obj = { value: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', labels: null } }, type: ['object', {}] };
    const state = {
      serial: 4,
      resources: [
        { mode: 'managed', type: 'kubernetes_manifest', name: 'sa', instances: [{ attributes: { manifest: { value: { kind: 'ServiceAccount' } }, object: obj } }] },
        { mode: 'managed', type: 'kubernetes_manifest', name: 'other', instances: [{ attributes: { manifest: { value: {} }, object: obj } }] },
      ],
    };
    expect(prepareStateForUpdate(state, new Set(['kubernetes_manifest.sa']))).toEqual(['kubernetes_manifest.sa']);
    expect(state.resources[0].instances[0].attributes.manifest).toEqual(obj);
    expect(state.resources[1].instances[0].attributes.manifest).toEqual({ value: {} });
    expect(state.serial).toBe(5);
    expect(prepareStateForUpdate(state, new Set(['kubernetes_manifest.sa']))).toEqual([]);
  });
});

test('parseManifestImportId reads the provider format and refuses anything else', () => {
  expect(parseManifestImportId('apiVersion=apps/v1,kind=Deployment,namespace=shop,name=web')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
  expect(parseManifestImportId('apiVersion=v1,kind=Namespace,name=shop')).toEqual({ apiVersion: 'v1', kind: 'Namespace', namespace: undefined, name: 'shop' });
  expect(() => parseManifestImportId('shop/web')).toThrow(/not a kubernetes_manifest import id/);
});
