import { KubeNamespace, KubeNamespaceProps } from '../lib/constructs/kube-namespace';
import { manifest, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

function ns(props: Partial<KubeNamespaceProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const c = new KubeNamespace(stack, 'ns', { namespace: 'web', ...props });
  return { c, out: synth(stack) };
}

describe('KubeNamespace', () => {
  test('defaults: baseline enforced, restricted audited, Linkerd injection, admin and reader roles', () => {
    const { c, out } = ns({}, { environment: 'production', region: 'us-east-2' });
    expect(c.namespaceName).toBe('web');
    const n = manifest(out, 'Namespace');
    expect(n.metadata).toEqual({
      name: 'web',
      labels: {
        'panfactum.com/environment': 'production',
        'panfactum.com/region': 'us-east-2',
        'panfactum.com/module': 'kube_namespace',
        'app.kubernetes.io/managed-by': 'cdktf-golden-path',
        'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
        'loadbalancer/enabled': 'false',
        'monitoring/enabled': 'true',
        name: 'web',
        'pod-security.kubernetes.io/enforce': 'baseline',
        'pod-security.kubernetes.io/enforce-version': 'latest',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/audit': 'restricted',
      },
      annotations: { 'linkerd.io/inject': 'enabled' },
    });
    expect(manifest(out, 'Role', 'namespace:admin').rules).toEqual([{ apiGroups: ['', '*'], resources: ['*'], verbs: ['*'] }]);
    const reader = manifest(out, 'Role', 'namespace:reader');
    expect(reader.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    expect(reader.rules.every((r: any) => r.verbs.join() === 'get,list,watch')).toBe(true);
    expect(manifest(out, 'RoleBinding', 'namespace:admins').subjects).toEqual([{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'system:admins' }]);
    expect(manifest(out, 'RoleBinding', 'namespace:readers').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'namespace:reader' });
  });

  test('options', () => {
    const { out } = ns({
      linkerdInject: false,
      loadbalancerEnabled: true,
      monitoringEnabled: false,
      podSecurityStandard: 'restricted',
      podSecurityAuditStandard: 'restricted',
      adminGroups: ['platform'],
      readerGroups: [],
      extraLabels: { team: 'web' },
    });
    const n = manifest(out, 'Namespace');
    expect(n.metadata.annotations).toBeUndefined();
    expect(n.metadata.labels).toMatchObject({ 'loadbalancer/enabled': 'true', 'monitoring/enabled': 'false', 'pod-security.kubernetes.io/enforce': 'restricted', team: 'web' });
    expect(out.manifests.filter((m) => m.kind === 'RoleBinding').map((m) => m.metadata.name)).toEqual(['namespace:admins']);
    expect(manifest(out, 'RoleBinding').subjects[0].name).toBe('platform');
  });

  test.each<[string, Partial<KubeNamespaceProps>, string]>([
    ['default', { namespace: 'default' }, 'namespace'],
    ['kube-system', { namespace: 'kube-system' }, 'namespace'],
    ['kube-public', { namespace: 'kube-public' }, 'namespace'],
    ['capital letters', { namespace: 'Web' }, 'namespace'],
    ['too long', { namespace: 'a'.repeat(64) }, 'namespace'],
    ['unknown standard', { podSecurityStandard: 'strict' as 'baseline' }, 'podSecurityStandard'],
    ['audit looser than enforce', { podSecurityStandard: 'restricted', podSecurityAuditStandard: 'baseline' }, 'podSecurityAuditStandard'],
    ['bad extra label', { extraLabels: { 'a b': 'c' } }, 'extraLabels["a b"]'],
    ['empty group name', { adminGroups: [''] }, 'adminGroups[0]'],
  ])('refuses %s', (_n, props, field) => {
    const { stack } = newStack();
    const caught = errorOf(() => new KubeNamespace(stack, 'ns', { namespace: 'web', ...props }));
    expect(caught.field).toBe(field);
    expect(caught.path).toBe('test/ns');
  });
});
