/**
 * Issue 19, deliverable 5: the containers of a pod share one network namespace, so a port (and
 * protocol) can be bound by one of them only; and every message names the prop path as the user
 * wrote it (`containers[1].ports.http.port`, `extraPodLabels["app.kubernetes.io/part-of"]`), never a
 * container name in place of its index.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { keyPath } from '../lib/core/paths';
import { ContainerProps } from '../lib/k8s/container';
import { errorOf } from './support/errors';
import { NGINX, manifest, newStack, synth } from './support/synth';

const main: ContainerProps = { ...NGINX, name: 'app', ports: { http: { port: 8080 } } };
const sidecar = (ports: ContainerProps['ports'], extra: Partial<ContainerProps> = {}): ContainerProps => ({ ...NGINX, name: 'sidecar', ports, ...extra });
const deploy = (containers: ContainerProps[], props: Partial<KubeDeploymentProps> = {}) =>
  new KubeDeployment(newStack().stack, 'api', { namespace: 'web', name: 'api', containers, ...props });

describe('a port is bound by one container of the pod', () => {
  test('two containers on 8080/TCP are refused, even with different servicePorts', () => {
    const e = errorOf(() => deploy([{ ...main, ports: { http: { port: 8080, servicePort: 80 } } }, sidecar({ metrics: { port: 8080, servicePort: 9090 } })]));
    expect(e.field).toBe('containers[1].ports.metrics.port');
    expect(e.value).toBe(8080);
    expect(e.message).toMatch(/is already used by another container of the pod/);
    expect(e.fix).toMatch(/share one network namespace.*TCP port 8080 \(containers\[0\]\.ports\.http\.port already does\)/);
  });

  test('a native sidecar (init container with restartPolicy Always) shares the pod\'s network too', () => {
    const e = errorOf(() => deploy([main, sidecar({ admin: { port: 8080 } }, { init: true, restartPolicy: 'Always' })]));
    expect(e.field).toBe('containers[1].ports.admin.port');
  });

  test('the same number with another protocol, and two names for one port in one container, are fine', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', {
      namespace: 'web', name: 'api',
      containers: [{ ...main, ports: { http: { port: 8080 }, alt: { port: 8080, servicePort: 8081 } } }, sidecar({ dns: { port: 8080, protocol: 'UDP', servicePort: 53 } })],
    });
    const ports = manifest(synth(stack), 'Deployment').spec.template.spec.containers.map((c: any) => c.ports);
    expect(ports).toEqual([
      [{ name: 'http', containerPort: 8080, protocol: 'TCP' }, { name: 'alt', containerPort: 8080, protocol: 'TCP' }],
      [{ name: 'dns', containerPort: 8080, protocol: 'UDP' }],
    ]);
  });
});

describe('one field-path style: the prop path as written', () => {
  test.each<[string, () => unknown, string]>([
    ['a port name used by two containers', () => deploy([main, sidecar({ http: { port: 9090 } })]), 'containers[1].ports.http'],
    ['two ports on one Service port', () => deploy([main, sidecar({ metrics: { port: 9090, servicePort: 8080 } })]), 'containers[1].ports.metrics.servicePort'],
    ['a port out of range under a non-identifier name', () => deploy([{ ...main, ports: { 'grpc-web': { port: 70000 } } }]), 'containers[0].ports["grpc-web"].port'],
    ['a label value under a dotted key', () => deploy([main], { extraPodLabels: { 'app.kubernetes.io/part-of': 'a b' } }), 'extraPodLabels["app.kubernetes.io/part-of"]'],
    ['a label value under a plain key (the same path as a bad key would get)', () => deploy([main], { extraPodLabels: { team: 'a b' } }), 'extraPodLabels.team'],
    ['a secret mount named like a Secret', () => deploy([main], { secretMounts: { 'db-creds': { mountPath: 'relative' } } }), 'secretMounts["db-creds"].mountPath'],
  ])('%s', (_what, build, field) => {
    expect(errorOf(build).field).toBe(field);
  });

  test('keyPath: identifiers with a dot, anything else in brackets', () => {
    expect(keyPath('ports', 'http')).toBe('ports.http');
    expect(keyPath('containers[1].env', 'DB_URL')).toBe('containers[1].env.DB_URL');
    expect(keyPath('extraLabels', 'a b')).toBe('extraLabels["a b"]');
    expect(keyPath('', 'x')).toBe('x');
  });

  test('no error field in lib/ names a container by its name instead of its index', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts') && !e.name.endsWith('.generated.ts')) files.push(p);
      }
    };
    walk(path.join(__dirname, '..', 'lib'));
    const offending = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n')
      .map((line, i) => ({ line, at: `${path.relative(path.join(__dirname, '..'), f)}:${i + 1}` }))
      .filter(({ line }) => /`(init)?[cC]ontainers\.\$\{/.test(line)));
    expect(offending.map((o) => o.at)).toEqual([]);
  });
});
