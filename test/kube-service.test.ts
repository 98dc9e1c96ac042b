import { TerraformVariable } from 'cdktf';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeService, KubeServiceProps } from '../lib/constructs/kube-service';
import { PropValidator } from '../lib/core/validation';
import { buildService, nlbAnnotations } from '../lib/k8s/service';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const BASE: KubeServiceProps = { namespace: 'web', name: 'api', ports: { http: { podPort: 8080 } }, matchLabels: { id: 'abc' } };

function svc(props: Partial<KubeServiceProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const c = new KubeService(stack, 'svc', { ...BASE, ...props } as KubeServiceProps);
  const out = synth(stack);
  return { c, out, s: manifest(out, 'Service') };
}

const P = 'service.beta.kubernetes.io/aws-load-balancer-';

describe('KubeService defaults', () => {
  const { c, out, s } = svc({}, { environment: 'production', region: 'us-east-2' });

  test('one v1 Service through kubernetes_manifest with server-side apply', () => {
    expect(out.manifests.map((m) => m.kind)).toEqual(['Service']);
    expect(manifestResource(out, 'Service').field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
  });

  test('metadata: name, namespace, module labels, no annotations', () => {
    expect(s.metadata).toEqual({
      name: 'api',
      namespace: 'web',
      labels: {
        'panfactum.com/environment': 'production',
        'panfactum.com/region': 'us-east-2',
        'panfactum.com/module': 'kube_service',
        'app.kubernetes.io/managed-by': 'cdktf-golden-path',
      },
    });
  });

  test('spec: ClusterIP, IPv4 single-stack, Cluster internal policy, service port = pod port over TCP, not headless', () => {
    expect(s.spec).toEqual({
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      selector: { id: 'abc' },
      ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
    });
  });

  test('exposes name, namespace and cluster DNS name', () => {
    expect(c.serviceName).toBe('api');
    expect(c.namespaceName).toBe('web');
    expect(c.clusterDomain).toBe('api.web.svc.cluster.local');
    expect(c.service.object.kind).toBe('Service');
  });
});

describe('KubeService props', () => {
  test('ports: servicePort and protocol, several ports in order', () => {
    const { s } = svc({ ports: { http: { podPort: 8080, servicePort: 80 }, dns: { podPort: 5353, protocol: 'UDP' } } });
    expect(s.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'dns', port: 5353, targetPort: 5353, protocol: 'UDP' },
    ]);
  });

  test('selector: a KubeDeployment selects its pods by the id label, same as its own Service', () => {
    const { stack } = newStack();
    const d = new KubeDeployment(stack, 'd', { namespace: 'web', name: 'api', containers: [{ ...NGINX, ports: { http: { port: 8080 } } }] });
    new KubeService(stack, 'public', { namespace: 'web', name: 'api-public', ports: { http: { podPort: 8080 } }, selector: d });
    const out = synth(stack);
    expect(manifest(out, 'Service', 'api-public').spec.selector).toEqual(d.matchLabels);
    expect(manifest(out, 'Service', 'api-public').spec.selector).toEqual(manifest(out, 'Service', 'api').spec.selector);
  });

  test('headlessEnabled: clusterIP None and not-ready pods published', () => {
    const { s } = svc({ headlessEnabled: true });
    expect(s.spec).toMatchObject({ clusterIP: 'None', clusterIPs: ['None'], publishNotReadyAddresses: true, type: 'ClusterIP' });
  });

  test('serviceIp sets clusterIP and clusterIPs', () => {
    const { s } = svc({ serviceIp: '172.20.0.50' });
    expect(s.spec).toMatchObject({ clusterIP: '172.20.0.50', clusterIPs: ['172.20.0.50'] });
  });

  test('internalTrafficPolicy Local', () => {
    expect(svc({ internalTrafficPolicy: 'Local' }).s.spec.internalTrafficPolicy).toBe('Local');
  });

  test('NodePort carries externalTrafficPolicy, no load balancer class or NLB annotations', () => {
    const { s } = svc({ type: 'NodePort', externalTrafficPolicy: 'Local' });
    expect(s.spec.type).toBe('NodePort');
    expect(s.spec.externalTrafficPolicy).toBe('Local');
    expect(s.spec.loadBalancerClass).toBeUndefined();
    expect(s.metadata.annotations).toBeUndefined();
  });

  test('publicDomainNames become the external-dns hostname annotation', () => {
    const { s } = svc({ publicDomainNames: ['api.example.com', 'www.example.com'] });
    expect(s.metadata.annotations).toEqual({ 'external-dns.alpha.kubernetes.io/hostname': 'api.example.com,www.example.com' });
  });

  test('extraLabels are added; extraAnnotations are added and override computed ones', () => {
    const { s } = svc({
      type: 'LoadBalancer',
      extraLabels: { team: 'payments' },
      extraAnnotations: { [`${P}scheme`]: 'internal', 'example.com/note': 'x' },
    });
    expect(s.metadata.labels.team).toBe('payments');
    expect(s.metadata.annotations[`${P}scheme`]).toBe('internal');
    expect(s.metadata.annotations['example.com/note']).toBe('x');
    expect(s.metadata.annotations[`${P}type`]).toBe('external');
  });

  test('a KubeNamespace orders the Service after it', () => {
    const { stack } = newStack();
    const namespace = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    new KubeService(stack, 'svc', { ...BASE, namespace });
    const out = synth(stack);
    expect(manifestResource(out, 'Service').depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.ns_Namespace_/)]);
    expect(manifest(out, 'Service').metadata.namespace).toBe('web');
  });

  test('provider is passed through', () => {
    const { stack } = newStack();
    const { KubernetesProvider } = jest.requireActual('@cdktf/provider-kubernetes/lib/provider');
    const other = new KubernetesProvider(stack, 'other', { alias: 'other' });
    new KubeService(stack, 'svc', { ...BASE, provider: other });
    expect(manifestResource(synth(stack), 'Service').provider).toBe('kubernetes.other');
  });
});

describe('KubeService LoadBalancer with the AWS NLB class (inventory 10.3)', () => {
  const { s } = svc({ type: 'LoadBalancer' });
  const a = s.metadata.annotations;

  test('spec: loadBalancerClass service.k8s.aws/nlb, externalTrafficPolicy Cluster', () => {
    expect(s.spec.type).toBe('LoadBalancer');
    expect(s.spec.loadBalancerClass).toBe('service.k8s.aws/nlb');
    expect(s.spec.externalTrafficPolicy).toBe('Cluster');
  });

  test.each([
    ['type', 'external'],
    ['backend-protocol', 'tcp'],
    ['scheme', 'internet-facing'],
    ['nlb-target-type', 'ip'],
    ['healthcheck-unhealthy-threshold', '2'],
    ['healthcheck-healthy-threshold', '2'],
    ['healthcheck-timeout', '2'],
    ['healthcheck-interval', '5'],
    ['attributes', 'zonal_shift.config.enabled=true'],
    [
      'target-group-attributes',
      'stickiness.enabled=true,stickiness.type=source_ip,preserve_client_ip.enabled=true,deregistration_delay.timeout_seconds=300,' +
        'deregistration_delay.connection_termination.enabled=true,target_health_state.unhealthy.connection_termination.enabled=false',
    ],
  ])('%s = %s', (key, value) => {
    expect(a[`${P}${key}`]).toBe(value);
  });

  test('exactly the eleven NLB annotations', () => {
    expect(Object.keys(a).sort()).toEqual(
      ['name', 'type', 'backend-protocol', 'scheme', 'nlb-target-type', 'healthcheck-unhealthy-threshold', 'healthcheck-healthy-threshold', 'healthcheck-timeout', 'healthcheck-interval', 'attributes', 'target-group-attributes']
        .map((k) => `${P}${k}`)
        .sort(),
    );
  });

  test('name: the Service name plus a hash of namespace/name, at most 32 characters, deterministic', () => {
    expect(a[`${P}name`]).toMatch(/^api-[0-9a-f]{16}$/);
    expect(svc({ type: 'LoadBalancer' }).s.metadata.annotations[`${P}name`]).toBe(a[`${P}name`]);
    expect(svc({ type: 'LoadBalancer', namespace: 'other' }).s.metadata.annotations[`${P}name`]).not.toBe(a[`${P}name`]);
    const long = svc({ type: 'LoadBalancer', name: 'a-very-long-service-name-for-the-public-api' }).s.metadata.annotations[`${P}name`];
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^[a-z0-9-]+$/);
  });

  test('deregistrationDelaySeconds reaches the target group attributes', () => {
    const { s: s2 } = svc({ type: 'LoadBalancer', deregistrationDelaySeconds: 60 });
    expect(s2.metadata.annotations[`${P}target-group-attributes`]).toContain('deregistration_delay.timeout_seconds=60,');
  });

  test('externalTrafficPolicy Local and public hostnames next to the NLB annotations', () => {
    const { s: s2 } = svc({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', publicDomainNames: ['api.example.com'] });
    expect(s2.spec.externalTrafficPolicy).toBe('Local');
    expect(s2.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('api.example.com');
    expect(s2.metadata.annotations[`${P}scheme`]).toBe('internet-facing');
  });

  test('another loadBalancerClass is honoured (not overwritten as in the HCL) and gets no NLB annotations', () => {
    const { s: s2 } = svc({ type: 'LoadBalancer', loadBalancerClass: 'example.com/lb' });
    expect(s2.spec.loadBalancerClass).toBe('example.com/lb');
    expect(s2.metadata.annotations).toBeUndefined();
  });

  test('the same model builds the Services of the controllers', () => {
    const v = new PropValidator('x');
    const built = buildService(v, { namespace: 'web', name: 'api', ports: { http: { podPort: 8080 } }, matchLabels: { id: 'abc' }, type: 'LoadBalancer' }, {});
    expect(built.metadata.annotations).toEqual(nlbAnnotations('web', 'api', 300));
    expect(built.metadata.annotations).toEqual(a);
  });
});

describe('KubeService validation', () => {
  test.each<[string, Partial<KubeServiceProps>, string | RegExp]>([
    ['name with upper case', { name: 'Api' }, 'name'],
    ['name starting with a digit', { name: '1api' }, 'name'],
    ['namespace invalid', { namespace: 'Web_' }, 'namespace'],
    ['no ports', { ports: {} }, 'ports'],
    ['port name too long', { ports: { 'a-very-long-port-name': { podPort: 80 } } }, 'ports["a-very-long-port-name"]'],
    ['port name all digits', { ports: { '80': { podPort: 80 } } }, 'ports["80"]'],
    ['podPort 0', { ports: { http: { podPort: 0 } } }, 'ports.http.podPort'],
    ['servicePort 70000', { ports: { http: { podPort: 80, servicePort: 70000 } } }, 'ports.http.servicePort'],
    ['protocol HTTP', { ports: { http: { podPort: 80, protocol: 'HTTP' as 'TCP' } } }, 'ports.http.protocol'],
    ['empty matchLabels', { matchLabels: {} }, 'matchLabels'],
    ['invalid matchLabels value', { matchLabels: { id: 'has space' } }, 'matchLabels.id'],
    ['type ExternalName', { type: 'ExternalName' }, 'type'],
    ['type misspelt', { type: 'Loadbalancer' as 'LoadBalancer' }, 'type'],
    ['serviceIp not IPv4', { serviceIp: '10.0.0' }, 'serviceIp'],
    ['headless with serviceIp', { headlessEnabled: true, serviceIp: '172.20.0.50' }, 'headlessEnabled/serviceIp'],
    ['headless LoadBalancer', { headlessEnabled: true, type: 'LoadBalancer' }, 'type'],
    ['internalTrafficPolicy lower case', { internalTrafficPolicy: 'local' as 'Local' }, 'internalTrafficPolicy'],
    ['externalTrafficPolicy invalid', { type: 'LoadBalancer', externalTrafficPolicy: 'Nearest' as 'Local' }, 'externalTrafficPolicy'],
    ['externalTrafficPolicy on ClusterIP', { externalTrafficPolicy: 'Local' }, 'externalTrafficPolicy'],
    ['loadBalancerClass on ClusterIP', { loadBalancerClass: 'service.k8s.aws/nlb' }, 'loadBalancerClass'],
    ['deregistrationDelaySeconds on ClusterIP', { deregistrationDelaySeconds: 30 }, 'deregistrationDelaySeconds'],
    ['deregistrationDelaySeconds with another class', { type: 'LoadBalancer', loadBalancerClass: 'example.com/lb', deregistrationDelaySeconds: 30 }, 'deregistrationDelaySeconds'],
    ['deregistrationDelaySeconds too long', { type: 'LoadBalancer', deregistrationDelaySeconds: 4000 }, 'deregistrationDelaySeconds'],
    ['publicDomainNames invalid', { publicDomainNames: ['Not A Host'] }, 'publicDomainNames[0]'],
    ['extraLabels invalid key', { extraLabels: { 'bad key': 'x' } }, 'extraLabels["bad key"]'],
    ['extraAnnotations invalid key', { extraAnnotations: { '/x': 'y' } }, 'extraAnnotations["/x"]'],
    ['matchLabels and selector', { selector: { matchLabels: { id: 'x' } } }, 'matchLabels/selector'],
    ['neither matchLabels nor selector', { matchLabels: undefined }, 'matchLabels'],
  ])('%s', (_, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeService(stack, 'svc', { ...BASE, ...props } as KubeServiceProps));
    expect(e.path).toBe('test/svc');
    if (typeof field === 'string') expect(e.field).toBe(field);
    else expect(e.field).toMatch(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });

  test('a number token written into an annotation reaches Terraform as a reference when nothing else in the object is deploy-time', () => {
    // Found while speeding up synth: the fast path took the text of a number token for plain text.
    const { stack } = newStack();
    const delay = new TerraformVariable(stack, 'delay', { type: 'number' }).numberValue;
    new KubeService(stack, 'lb', { ...BASE, name: 'lb', type: 'LoadBalancer', deregistrationDelaySeconds: delay });
    const attributes = manifest(synth(stack), 'Service', 'lb').metadata.annotations[`${P}target-group-attributes`];
    expect(attributes).toContain('deregistration_delay.timeout_seconds=${var.delay},');
    expect(attributes).not.toMatch(/e\+\d{3}/);
  });

  test('tokens do not throw and reach the Service', () => {
    const { stack } = newStack();
    const ip = new TerraformVariable(stack, 'ip', { type: 'string' }).stringValue;
    const delay = new TerraformVariable(stack, 'delay', { type: 'number' }).numberValue;
    const host = new TerraformVariable(stack, 'host', { type: 'string' }).stringValue;
    new KubeService(stack, 'lb', { ...BASE, name: 'lb', type: 'LoadBalancer', deregistrationDelaySeconds: delay, publicDomainNames: [host] });
    new KubeService(stack, 'fixed', { ...BASE, name: 'fixed', serviceIp: ip });
    const out = synth(stack);
    expect(manifest(out, 'Service', 'fixed').spec.clusterIP).toBe('${var.ip}');
    expect(manifest(out, 'Service', 'lb').metadata.annotations[`${P}target-group-attributes`]).toContain('deregistration_delay.timeout_seconds=${var.delay}');
  });
});
