import { TerraformVariable } from 'cdktf';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeIngress, KubeIngressProps } from '../lib/constructs/kube-ingress';
import { KubeStatefulSet, KubeStatefulSetProps } from '../lib/constructs/kube-stateful-set';
import { ValidationError } from '../lib/core/errors';
import { buildProbes } from '../lib/k8s/container';
import { NGINX, manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

/**
 * D4 of issue 14: objects the Kubernetes API server would refuse are refused at synth with a
 * ValidationError naming the construct path, the prop, the value and the fix. Deploy-time
 * tokens are never refused by these checks.
 */

const WEB = { ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP' as const, livenessProbePort: 8080 };

function deploy(props: Partial<KubeDeploymentProps> = {}, container: Record<string, unknown> = {}) {
  const { stack } = newStack();
  new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, ...container }], ...props } as KubeDeploymentProps);
  return manifest(synth(stack), 'Deployment').spec.template.spec;
}

function deployFails(props: Partial<KubeDeploymentProps>, container: Record<string, unknown>, field: string, value?: unknown): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...WEB, ...container }], ...props } as KubeDeploymentProps));
  expect(e.path).toBe('test/api');
  expect(e.field).toBe(field);
  if (value !== undefined) expect(e.value).toEqual(value);
  expect(e.fix.length).toBeGreaterThan(20);
  expect(e.message).toContain(e.fix);
  return e;
}

const ING: KubeIngressProps = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] };

function ingressFails(props: Partial<KubeIngressProps>, field: string, value?: unknown): ValidationError {
  const { stack } = newStack({ environment: 'production', region: 'us-east-2' });
  const e = errorOf(() => new KubeIngress(stack, 'ing', { ...ING, ...props }));
  expect(e.path).toBe('test/ing');
  expect(e.field).toBe(field);
  if (value !== undefined) expect(e.value).toEqual(value);
  expect(e.fix.length).toBeGreaterThan(20);
  return e;
}

function ingresses(props: Partial<KubeIngressProps>) {
  const { stack } = newStack({ environment: 'production', region: 'us-east-2' });
  new KubeIngress(stack, 'ing', { ...ING, ...props });
  return synth(stack).manifests.filter((m) => m.kind === 'Ingress');
}

describe('seccomp Localhost needs a profile', () => {
  test('seccompProfileType Localhost without seccompLocalhostProfile is refused', () => {
    const e = deployFails({}, { seccompProfileType: 'Localhost' }, 'containers[0].seccompLocalhostProfile');
    expect(e.fix).toMatch(/seccompLocalhostProfile/);
  });

  test('Localhost with a profile emits localhostProfile', () => {
    const spec = deploy({}, { seccompProfileType: 'Localhost', seccompLocalhostProfile: 'profiles/audit.json' });
    expect(spec.containers[0].securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/audit.json' });
  });

  test('a profile with another type (or the default RuntimeDefault) is refused', () => {
    deployFails({}, { seccompLocalhostProfile: 'profiles/audit.json' }, 'containers[0].seccompLocalhostProfile', 'profiles/audit.json');
    deployFails({}, { seccompProfileType: 'Unconfined', seccompLocalhostProfile: 'p.json' }, 'containers[0].seccompLocalhostProfile', 'p.json');
  });

  test('the profile is a relative path without ".."', () => {
    deployFails({}, { seccompProfileType: 'Localhost', seccompLocalhostProfile: '/var/lib/kubelet/seccomp/p.json' }, 'containers[0].seccompLocalhostProfile');
    deployFails({}, { seccompProfileType: 'Localhost', seccompLocalhostProfile: 'profiles/../p.json' }, 'containers[0].seccompLocalhostProfile');
    deployFails({}, { seccompProfileType: 'Localhost', seccompLocalhostProfile: '' }, 'containers[0].seccompLocalhostProfile');
  });

  test('tokens are never refused', () => {
    const { stack } = newStack();
    const profile = new TerraformVariable(stack, 'profile', { type: 'string' }).stringValue;
    const type = new TerraformVariable(stack, 'type', { type: 'string' }).stringValue;
    new KubeDeployment(stack, 'a', { namespace: 'web', name: 'a', containers: [{ ...WEB, seccompProfileType: 'Localhost', seccompLocalhostProfile: profile }] });
    new KubeDeployment(stack, 'b', { namespace: 'web', name: 'b', containers: [{ ...WEB, seccompProfileType: type as any, seccompLocalhostProfile: 'p.json' }] });
    new KubeDeployment(stack, 'c', { namespace: 'web', name: 'c', containers: [{ ...WEB, seccompProfileType: type as any }] });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('subPath and mountPath without ".."', () => {
  test('a subPaths entry ".." is refused', () => {
    const e = deployFails({ configMapMounts: { settings: { mountPath: '/etc/app', subPaths: ['..'] } } }, {}, 'configMapMounts.settings.subPaths[0]', '..');
    expect(e.message).toMatch(/\.\./);
  });

  test('a subPaths entry starting with ".." is refused', () => {
    deployFails({ secretMounts: { creds: { mountPath: '/etc/creds', subPaths: ['ok.txt', '..data'] } } }, {}, 'secretMounts.creds.subPaths[1]', '..data');
  });

  test('mountPath with a ".." segment is refused (secret, config map, tmp directory, StatefulSet volume)', () => {
    deployFails({ secretMounts: { creds: { mountPath: '/s/..' } } }, {}, 'secretMounts.creds.mountPath', '/s/..');
    deployFails({ configMapMounts: { settings: { mountPath: '/a/../b' } } }, {}, 'configMapMounts.settings.mountPath', '/a/../b');
    deployFails({ tmpDirectories: { cache: { mountPath: '/tmp/..' } } }, {}, 'tmpDirectories.cache.mountPath', '/tmp/..');
    const { stack } = newStack();
    const e = errorOf(() => new KubeStatefulSet(stack, 'db', {
      namespace: 'web', name: 'db', containers: [WEB], volumeMounts: { data: { mountPath: '/data/..', initialSizeGb: 1 } },
    } as unknown as KubeStatefulSetProps));
    expect(e.field).toBe('volumeMounts.data.mountPath');
  });

  test('token keys and mount paths are never refused', () => {
    const { stack } = newStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string' }).stringValue;
    const path = new TerraformVariable(stack, 'path', { type: 'string' }).stringValue;
    new KubeDeployment(stack, 'api', {
      namespace: 'web', name: 'api', containers: [WEB],
      configMapMounts: { settings: { mountPath: '/etc/app', subPaths: [key, 'a.yaml'] }, other: { mountPath: path } },
    });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('Ingress backend service names are DNS-1035 labels', () => {
  test('service "1api" is refused', () => {
    const e = ingressFails({ ingressConfigs: [{ service: '1api', servicePort: 80 }] }, 'ingressConfigs[0].service', '1api');
    expect(e.message).toMatch(/DNS-1035|letter/);
  });

  test('the service of a later entry is checked too', () => {
    ingressFails({ ingressConfigs: [{ service: 'web', servicePort: 80 }, { pathPrefix: '/api/', service: '9-api', servicePort: 80 }] }, 'ingressConfigs[1].service', '9-api');
  });

  test('valid names and tokens are accepted', () => {
    const { stack } = newStack({ environment: 'production', region: 'us-east-2' });
    const svc = new TerraformVariable(stack, 'svc', { type: 'string' }).stringValue;
    new KubeIngress(stack, 'ing', { ...ING, ingressConfigs: [{ service: 'api-v1', servicePort: 80 }, { pathPrefix: '/t/', service: svc, servicePort: 80 }] });
    expect(() => synth(stack)).not.toThrow();
  });
});

describe('probes always have a handler', () => {
  test('an HTTP liveness probe without a port is refused', () => {
    deployFails({}, { livenessProbePort: undefined }, 'containers[0].livenessProbePort');
  });

  test('a TCP readiness probe inheriting no port from an exec liveness probe is refused', () => {
    deployFails({}, { livenessProbeType: 'exec', livenessProbeCommand: ['/bin/ok'], livenessProbePort: undefined, readinessProbeType: 'TCP' }, 'containers[0].readinessProbePort');
  });

  test('an exec probe with an empty command is refused', () => {
    deployFails({}, { livenessProbeType: 'exec', livenessProbeCommand: [], livenessProbePort: undefined }, 'containers[0].livenessProbeCommand');
  });

  test('an unknown probe type is refused instead of emitting a probe with no handler', () => {
    deployFails({}, { livenessProbeType: 'http' }, 'containers[0].livenessProbeType', 'http');
    deployFails({}, { readinessProbeType: 'GRPC' }, 'containers[0].readinessProbeType', 'GRPC');
  });

  test('a token probe type is refused (it decides the handler); a token port is not', () => {
    const { stack } = newStack();
    const type = new TerraformVariable(stack, 'type', { type: 'string' }).stringValue;
    const e = errorOf(() => new KubeDeployment(stack, 'a', { namespace: 'web', name: 'a', containers: [{ ...WEB, livenessProbeType: type as any }] }));
    expect(e.field).toBe('containers[0].livenessProbeType');
    const port = new TerraformVariable(stack, 'port', { type: 'number' }).numberValue;
    new KubeDeployment(stack, 'b', { namespace: 'web', name: 'b', containers: [{ ...WEB, livenessProbePort: port }] });
    expect(() => synth(stack)).not.toThrow();
  });

  test('buildProbes never emits a probe without a handler (unknown type, missing port or command)', () => {
    const base = { ...NGINX };
    expect(errorOf(() => buildProbes({ ...base, livenessProbeType: 'grpc' as any, livenessProbePort: 8080 })).field).toBe('livenessProbeType');
    expect(errorOf(() => buildProbes({ ...base, livenessProbeType: 'HTTP' })).field).toBe('livenessProbePort');
    expect(errorOf(() => buildProbes({ ...base, livenessProbeType: 'TCP', livenessProbePort: 80, readinessProbeType: 'exec' })).field).toBe('readinessProbeCommand');
    expect(errorOf(() => buildProbes({ ...base, livenessProbeType: 'exec', livenessProbeCommand: [] })).field).toBe('livenessProbeCommand');
    const e = errorOf(() => buildProbes({ ...base, livenessProbeType: 'TCP' }));
    expect(e.fix).toMatch(/livenessProbePort/);
  });

  test('every emitted probe has exactly one handler', () => {
    const spec = deploy({}, { readinessProbeType: 'TCP' });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
      const p = spec.containers[0][probe];
      expect(['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => p[h] !== undefined)).toHaveLength(1);
    }
  });
});

describe('no duplicate objects for one Ingress', () => {
  const rule = { path: '/old/(.*)', target: 'https://example.com/new/$1' };

  test('two identical redirectRules are refused', () => {
    const e = ingressFails({ redirectRules: [rule, { ...rule }] }, 'redirectRules[1].path', rule.path);
    expect(e.message).toContain('redirectRules[0]');
  });

  test('two redirectRules for the same path and host are refused, even with different targets', () => {
    ingressFails({ redirectRules: [rule, { ...rule, target: '/other/$1', permanent: true }] }, 'redirectRules[1].path', rule.path);
  });

  test('the same redirect path on different hosts is accepted', () => {
    const list = ingresses({ domains: ['a.example.com', 'b.example.com'], redirectRules: [{ ...rule, domains: ['a.example.com'] }, { ...rule, domains: ['b.example.com'] }] });
    expect(list).toHaveLength(3);
    expect(new Set(list.map((i) => i.metadata.name)).size).toBe(3);
  });

  test('two identical rewriteRules are refused', () => {
    const r = { match: 'v1/(.*)', rewrite: '$1' };
    ingressFails({ ingressConfigs: [{ service: 'web', servicePort: 80, rewriteRules: [r, { ...r }] }] }, 'ingressConfigs[0].rewriteRules[1].match');
  });

  test('token redirect paths are never refused', () => {
    const { stack } = newStack({ environment: 'production', region: 'us-east-2' });
    const p1 = new TerraformVariable(stack, 'p1', { type: 'string' }).stringValue;
    const p2 = new TerraformVariable(stack, 'p2', { type: 'string' }).stringValue;
    new KubeIngress(stack, 'ing', { ...ING, redirectRules: [{ path: p1, target: '/x' }, { path: p2, target: '/x' }] });
    expect(() => synth(stack)).not.toThrow();
  });
});
