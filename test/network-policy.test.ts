import { TerraformVariable } from 'cdktf';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace, KubeNamespaceProps } from '../lib/constructs/kube-namespace';
import { KubeNetworkPolicy, KubeNetworkPolicyProps } from '../lib/constructs/kube-network-policy';
import { EnvironmentContext } from '../lib/core/context';
import { PropValidator } from '../lib/core/validation';
import { buildPeer, buildWorkloadNetworkPolicy } from '../lib/k8s/network-policy';
import { NGINX, manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const policies = (out: ReturnType<typeof synth>) => out.manifests.filter((m) => m.kind === 'NetworkPolicy');
const byName = (out: ReturnType<typeof synth>, name: string) => manifest(out, 'NetworkPolicy', name);

const DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [
    { port: 53, protocol: 'UDP' },
    { port: 53, protocol: 'TCP' },
  ],
};
const LINKERD_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'linkerd' } } }],
  ports: [
    { port: 8080, protocol: 'TCP' },
    { port: 8086, protocol: 'TCP' },
    { port: 8090, protocol: 'TCP' },
  ],
};
const LINKERD_ADMIN = { from: [{ namespaceSelector: {} }], ports: [{ port: 4191, protocol: 'TCP' }] };

function namespace(props: Partial<KubeNamespaceProps> = {}) {
  const { stack } = newStack();
  const ns = new KubeNamespace(stack, 'ns', { namespace: 'web', ...props });
  return { ns, out: synth(stack) };
}

describe('KubeNamespace networkPolicy', () => {
  test('off by default: no NetworkPolicy', () => {
    const { ns, out } = namespace();
    expect(policies(out)).toHaveLength(0);
    expect(ns.networkPolicies).toEqual([]);
  });

  describe('defaults when the object is given', () => {
    const { ns, out } = namespace({ networkPolicy: {} });
    test('default-deny, allow-dns, allow-same-namespace, allow-linkerd', () => {
      expect(ns.networkPolicies.map((p) => p.object.metadata.name)).toEqual(['default-deny', 'allow-dns', 'allow-same-namespace', 'allow-linkerd']);
      expect(policies(out)).toHaveLength(4);
      for (const p of policies(out)) {
        expect(p.metadata.namespace).toBe('web');
        expect(p.metadata.labels).toEqual({ 'panfactum.com/module': 'kube_namespace', 'app.kubernetes.io/managed-by': 'cdktf-golden-path' });
        expect(p.spec.podSelector).toEqual({});
      }
    });
    test('default-deny denies both directions', () => {
      expect(byName(out, 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });
    test('allow-dns: CoreDNS in kube-system on UDP and TCP 53', () => {
      expect(byName(out, 'allow-dns').spec).toEqual({ podSelector: {}, policyTypes: ['Egress'], egress: [DNS] });
    });
    test('allow-same-namespace: both directions within the namespace', () => {
      expect(byName(out, 'allow-same-namespace').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] });
    });
    test('allow-linkerd: control plane egress, proxy admin 4191 ingress', () => {
      expect(byName(out, 'allow-linkerd').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [LINKERD_ADMIN], egress: [LINKERD_EGRESS] });
    });
    test('policies are applied after the namespace', () => {
      const r = Object.values(out.manifestResources).find((x: any) => x.manifest.metadata.name === 'default-deny') as any;
      expect(r.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.ns_Namespace_/)]);
    });
  });

  test('every allow can be turned off; linkerd follows linkerdInject', () => {
    const { out } = namespace({ linkerdInject: false, networkPolicy: { allowDns: false, allowSameNamespace: false } });
    expect(policies(out).map((p) => p.metadata.name)).toEqual(['default-deny']);
    const { out: out2 } = namespace({ linkerdInject: false, networkPolicy: { allowLinkerd: true } });
    expect(policies(out2).map((p) => p.metadata.name)).toContain('allow-linkerd');
  });

  test('denyByDefault false emits nothing', () => {
    expect(policies(namespace({ networkPolicy: { denyByDefault: false } }).out)).toHaveLength(0);
  });

  test('ingress controller, allowed ingress and egress', () => {
    const { out } = namespace({
      networkPolicy: {
        allowIngressController: {},
        allowedIngress: [{ namespace: 'monitoring', podLabels: { app: 'prometheus' }, ports: [{ port: 9090 }] }],
        allowedEgress: [
          { cidr: '10.0.0.0/16', except: ['10.0.5.0/24'], ports: [{ port: 443 }] },
          { namespace: 'database' },
          { podLabels: { app: 'cache' }, ports: [{ port: 6379, protocol: 'TCP' }, { port: 30000, endPort: 30100, protocol: 'UDP' }] },
        ],
      },
    });
    expect(byName(out, 'allow-ingress-controller').spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }] }],
    });
    expect(byName(out, 'allow-ingress').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
    expect(byName(out, 'allow-egress').spec).toEqual({
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.5.0/24'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
        { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'database' } } }] },
        {
          to: [{ podSelector: { matchLabels: { app: 'cache' } } }],
          ports: [
            { port: 6379, protocol: 'TCP' },
            { port: 30000, endPort: 30100, protocol: 'UDP' },
          ],
        },
      ],
    });
  });

  test('custom ingress controller namespace and labels; IPv6 block', () => {
    const { out } = namespace({ networkPolicy: { allowIngressController: { namespace: 'ingress', podLabels: { app: 'nginx' } }, allowedEgress: [{ cidr: 'fd00::/8' }] } });
    expect(byName(out, 'allow-ingress-controller').spec.ingress[0].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress' } }, podSelector: { matchLabels: { app: 'nginx' } } },
    ]);
    expect(byName(out, 'allow-egress').spec.egress[0]).toEqual({ to: [{ ipBlock: { cidr: 'fd00::/8' } }] });
  });

  test.each<[string, KubeNamespaceProps['networkPolicy'], string]>([
    ['allow rules without deny', { denyByDefault: false, allowedEgress: [{ namespace: 'db' }] }, 'networkPolicy.denyByDefault'],
    ['empty peer', { allowedEgress: [{}] }, 'networkPolicy.allowedEgress[0]'],
    ['cidr and namespace', { allowedEgress: [{ cidr: '10.0.0.0/8', namespace: 'db' }] }, 'networkPolicy.allowedEgress[0].cidr'],
    ['bad cidr', { allowedEgress: [{ cidr: '10.0.0.0' }] }, 'networkPolicy.allowedEgress[0].cidr'],
    ['prefix too long', { allowedEgress: [{ cidr: '10.0.0.0/33' }] }, 'networkPolicy.allowedEgress[0].cidr'],
    ['host bits', { allowedEgress: [{ cidr: '10.0.0.1/8' }] }, 'networkPolicy.allowedEgress[0].cidr'],
    ['except outside', { allowedEgress: [{ cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }] }, 'networkPolicy.allowedEgress[0].except[0]'],
    ['except not narrower', { allowedEgress: [{ cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] }] }, 'networkPolicy.allowedEgress[0].except[0]'],
    ['except without cidr', { allowedEgress: [{ namespace: 'db', except: ['10.0.0.0/24'] }] }, 'networkPolicy.allowedEgress[0].except'],
    ['bad namespace', { allowedIngress: [{ namespace: 'DB' }] }, 'networkPolicy.allowedIngress[0].namespace'],
    ['empty podLabels', { allowedIngress: [{ podLabels: {} }] }, 'networkPolicy.allowedIngress[0].podLabels'],
    ['bad label', { allowedIngress: [{ podLabels: { app: 'a b' } }] }, 'networkPolicy.allowedIngress[0].podLabels.app'],
    ['empty ports', { allowedEgress: [{ namespace: 'db', ports: [] }] }, 'networkPolicy.allowedEgress[0].ports'],
    ['bad port', { allowedEgress: [{ namespace: 'db', ports: [{ port: 70000 }] }] }, 'networkPolicy.allowedEgress[0].ports[0].port'],
    ['bad protocol', { allowedEgress: [{ namespace: 'db', ports: [{ port: 53, protocol: 'udp' as 'UDP' }] }] }, 'networkPolicy.allowedEgress[0].ports[0].protocol'],
    ['endPort below port', { allowedEgress: [{ namespace: 'db', ports: [{ port: 100, endPort: 50 }] }] }, 'networkPolicy.allowedEgress[0].ports[0].endPort'],
    ['bad ingress controller namespace', { allowIngressController: { namespace: 'Ingress' } }, 'networkPolicy.allowIngressController.namespace'],
  ])('%s', (_name, networkPolicy, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeNamespace(stack, 'ns', { namespace: 'web', networkPolicy }));
    expect(e.path).toBe('test/ns');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });

  test('host-bit error suggests the network address', () => {
    const { stack } = newStack();
    expect(errorOf(() => new KubeNamespace(stack, 'ns', { namespace: 'web', networkPolicy: { allowedEgress: [{ cidr: '10.1.2.3/16' }] } })).fix).toContain('"10.1.0.0/16"');
  });
});

describe('KubeNetworkPolicy (workload layer)', () => {
  function setup(props: Partial<KubeNetworkPolicyProps> = {}) {
    const { stack } = newStack();
    const api = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...NGINX, ports: { http: { port: 8080 } } }] });
    const np = new KubeNetworkPolicy(stack, 'policy', { workload: api, ...props });
    const out = synth(stack);
    return { api, np, out, policy: manifest(out, 'NetworkPolicy') };
  }

  describe('defaults', () => {
    const { api, np, policy } = setup();
    test('selects the workload pods by their one id label, both policy types', () => {
      expect(np.name).toBe('api-network-policy');
      expect(policy.metadata).toEqual({
        name: 'api-network-policy',
        namespace: 'web',
        labels: { 'panfactum.com/module': 'kube_network_policy', 'app.kubernetes.io/managed-by': 'cdktf-golden-path', 'panfactum.com/workload': 'api' },
      });
      expect(policy.spec.podSelector).toEqual({ matchLabels: api.matchLabels });
      expect(Object.keys(policy.spec.podSelector.matchLabels)).toHaveLength(1);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
    });
    test('ingress: only the Linkerd admin port; egress: DNS and the Linkerd control plane', () => {
      expect(policy.spec.ingress).toEqual([LINKERD_ADMIN]);
      expect(policy.spec.egress).toEqual([DNS, LINKERD_EGRESS]);
    });
  });

  test('ingress peers get the workload ports (plus the Linkerd inbound port) unless they give their own', () => {
    const { policy } = setup({
      ports: [{ port: 8080 }, { port: 8080 }],
      allowedIngress: [{ namespace: 'gateway' }, { podLabels: { app: 'worker' }, ports: [{ port: 9000 }] }],
      allowIngressController: {},
    });
    expect(policy.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 4143, protocol: 'TCP' }] },
      { from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ port: 9000, protocol: 'TCP' }, { port: 4143, protocol: 'TCP' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 8080, protocol: 'TCP' }, { port: 4143, protocol: 'TCP' }] },
      LINKERD_ADMIN,
    ]);
  });

  test('the workload exposedPorts are the default ports', () => {
    const { stack } = newStack();
    const workload = { name: 'svc', namespaceName: 'web', matchLabels: { id: 'abc' }, exposedPorts: [{ port: 5432 }] };
    new KubeNetworkPolicy(stack, 'p', { workload, allowedIngress: [{ namespace: 'app' }], allowLinkerd: false, allowDns: false, allowedEgress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }] }] });
    const policy = manifest(synth(stack), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(policy.spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] }]);
  });

  test('without known ports an ingress peer may use every port', () => {
    const { stack } = newStack();
    new KubeNetworkPolicy(stack, 'p', { workload: { name: 'svc', namespaceName: 'web', matchLabels: { id: 'abc' } }, allowedIngress: [{ namespace: 'app' }] });
    expect(manifest(synth(stack), 'NetworkPolicy').spec.ingress[0]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app' } } }] });
  });

  test('token values do not throw', () => {
    const { stack } = newStack();
    const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
    const port = new TerraformVariable(stack, 'port', { type: 'number' });
    new KubeNetworkPolicy(stack, 'p', { workload: { name: 'svc', namespaceName: 'web', matchLabels: { id: 'abc' } }, allowedEgress: [{ cidr: cidr.stringValue, ports: [{ port: port.numberValue }] }] });
    expect(manifest(synth(stack), 'NetworkPolicy').spec.egress[2].to).toEqual([{ ipBlock: { cidr: '${var.cidr}' } }]);
  });

  test.each<[string, Partial<KubeNetworkPolicyProps>, string]>([
    ['empty selector', { workload: { name: 'x', namespaceName: 'web', matchLabels: {} } }, 'matchLabels'],
    ['bad namespace', { workload: { name: 'x', namespaceName: 'Web', matchLabels: { id: 'a' } } }, 'namespace'],
    ['bad peer', { allowedIngress: [{}] }, 'allowedIngress[0]'],
    ['bad egress cidr', { allowedEgress: [{ cidr: '300.0.0.0/8' }] }, 'allowedEgress[0].cidr'],
    ['bad ingress controller', { allowIngressController: { podLabels: { 'a b': 'c' } } }, 'allowIngressController.podLabels["a b"]'],
  ])('%s', (_name, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeNetworkPolicy(stack, 'p', { workload: { name: 'svc', namespaceName: 'web', matchLabels: { id: 'abc' } }, ...props } as KubeNetworkPolicyProps));
    expect(e.path).toBe('test/p');
    expect(e.field).toBe(field);
  });

  test('the model function names fields under networkPolicy. for controllers', () => {
    const v = new PropValidator('stack/api');
    const env = EnvironmentContext.of(newStack().stack);
    const e = errorOf(() => buildWorkloadNetworkPolicy(v, env, { name: 'api', namespace: 'web', matchLabels: { id: 'a' } }, { allowedEgress: [{}] }, { module: 'kube_deployment' }));
    expect(e.field).toBe('networkPolicy.allowedEgress[0]');
    const p = buildWorkloadNetworkPolicy(v, env, { name: 'api', namespace: 'web', matchLabels: { id: 'a' } }, {}, { module: 'kube_deployment' });
    expect(p.metadata.labels?.['panfactum.com/module']).toBe('kube_deployment');
    expect(buildPeer(v, 'p', { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] })).toEqual({ peer: { ipBlock: { cidr: '192.168.0.0/16', except: ['192.168.1.0/24'] } }, ports: undefined });
  });
});
