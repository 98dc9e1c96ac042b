import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformVariable, Testing } from 'cdktf';
import {
  CLUSTER_PROFILES,
  EnvironmentContext,
  KubeDeployment,
  KubeExternalSecret,
  KubeIngress,
  KubeNamespace,
  KubeNodeImageCache,
  KubeScaledObject,
  KubeStatefulSet,
  KubeWorkflowTemplate,
  loadEnvironments,
  resolveClusterProfile,
} from '../lib';
import type { ClusterProfile } from '../lib';
import { buildStacks } from '../stacks/app';
import { CUSTOM_KINDS, CustomKind } from '../lib/k8s/custom-kinds';
import { errorOf } from './support/errors';
import { NGINX, manifest, newStack, synth } from './support/synth';

const EKS = { environment: 'sandbox', region: 'us-west-2', clusterProfile: 'eks' as ClusterProfile };
const WEB = { ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP' as const, livenessProbePort: 8080, livenessProbeRoute: '/' };

function deployment(clusterProfile?: ClusterProfile, props: Record<string, unknown> = {}) {
  const { stack } = newStack({ environment: 'sandbox', region: 'us-west-2', ...(clusterProfile ? { clusterProfile } : {}) });
  new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB], tmpDirectories: { scratch: { mountPath: '/scratch' } }, ...props });
  return synth(stack);
}

/** Every string key and value of an object tree. */
function strings(o: unknown): string[] {
  if (typeof o === 'string') return [o];
  if (Array.isArray(o)) return o.flatMap(strings);
  if (o && typeof o === 'object') return Object.entries(o).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

describe('resolveClusterProfile', () => {
  test('no profile is a Panfactum cluster; names resolve to their profiles', () => {
    expect(resolveClusterProfile(undefined)).toBe(CLUSTER_PROFILES.panfactum);
    expect(resolveClusterProfile('eks')).toBe(CLUSTER_PROFILES.eks);
    expect(EnvironmentContext.of(newStack().stack).cluster).toBe(CLUSTER_PROFILES.panfactum);
  });

  test('an object overrides capabilities of its base, "eks" when none is given', () => {
    const c = resolveClusterProfile({ vpa: true, nodeClasses: ['spot'] });
    expect(c).toMatchObject({ profile: 'eks', overridden: true, vpa: true, nodeClasses: ['spot'], linkerd: false, storageClass: 'gp3' });
    expect(resolveClusterProfile({ base: 'panfactum', linkerd: false })).toMatchObject({ profile: 'panfactum', linkerd: false, vpa: true, binPackingScheduler: 'panfactum' });
  });

  test('the profile is checked: names, node classes, no deploy-time tokens', () => {
    const { stack } = newStack();
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterProfile: { base: 'eks', nodeClasses: ['gpu'] } } as never)).field).toBe('environmentContext.clusterProfile.nodeClasses[0]');
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterProfile: { storageClass: 'GP3' } })).field).toBe('environmentContext.clusterProfile.storageClass');
    expect(errorOf(() => EnvironmentContext.set(stack, { clusterProfile: { base: 'aks' } } as never)).field).toBe('environmentContext.clusterProfile.base');
    // Defaults and checks follow the profile at synth: a deploy-time value is refused, whatever its kind.
    const v = new TerraformVariable(stack, 'v', {});
    for (const [key, value] of [['nodeClasses', v.listValue], ['vpa', v.booleanValue], ['storageClass', v.stringValue]] as const) {
      const e = errorOf(() => EnvironmentContext.set(stack, { clusterProfile: { base: 'eks', [key]: value } } as never));
      expect([e.field, e.message]).toEqual([`environmentContext.clusterProfile.${key}`, expect.stringContaining('must be known at synth')]);
    }
  });
});

describe('a workload on the eks profile emits only what a stock EKS cluster accepts', () => {
  const eks = deployment('eks');
  const pod = manifest(eks, 'Deployment').spec.template;

  test('default scheduler, no Panfactum node-class tolerations or affinity, no Linkerd annotation', () => {
    expect(pod.spec.schedulerName).toBeUndefined();
    expect(pod.spec.tolerations).toBeUndefined();
    expect(pod.metadata.annotations).toBeUndefined();
  });

  test('no VerticalPodAutoscaler, no Kyverno labels, no Reloader annotation', () => {
    expect(eks.manifests.map((m) => m.kind)).not.toContain('VerticalPodAutoscaler');
    const text = strings(eks.manifests);
    for (const k of ['panfactum.com/scheduler-enabled', 'panfactum.com/pull-through-cache-enabled', 'panfactum.com/spot-enabled', 'panfactum.com/arm64-enabled', 'panfactum.com/prevent-lifetime-eviction', 'linkerd.io/inject', 'reloader.stakater.com/auto']) {
      expect(text).not.toContain(k);
    }
  });

  test('scratch volumes and StatefulSet claims use gp3', () => {
    const volume = pod.spec.volumes.find((v: any) => v.name === 'scratch');
    expect(volume.ephemeral.volumeClaimTemplate.spec.storageClassName).toBe('gp3');
    const { stack } = newStack(EKS);
    new KubeStatefulSet(stack, 'db', { namespace: 'web', name: 'db', containers: [WEB], volumeMounts: { data: { mountPath: '/data' } } });
    expect(manifest(synth(stack), 'StatefulSet').spec.volumeClaimTemplates[0].spec.storageClassName).toBe('gp3');
  });

  test('the Panfactum default is unchanged: scheduler, tolerations, Linkerd, VPA, ebs-standard', () => {
    const pf = deployment();
    const t = manifest(pf, 'Deployment').spec.template;
    expect(t.spec.schedulerName).toBe('panfactum');
    expect(t.spec.tolerations.map((x: any) => x.key)).toEqual(['burstable', 'spot', 'arm64']);
    expect(t.metadata.annotations['linkerd.io/inject']).toBe('enabled');
    expect(pf.manifests.map((m) => m.kind)).toContain('VerticalPodAutoscaler');
    expect(t.spec.volumes.find((v: any) => v.name === 'scratch').ephemeral.volumeClaimTemplate.spec.storageClassName).toBe('ebs-standard');
  });

  test('a declared capability comes back, and only that one', () => {
    const out = deployment({ base: 'eks', vpa: true, nodeClasses: ['spot'], binPackingScheduler: 'bin-packer', storageClass: 'io2' });
    const t = manifest(out, 'Deployment').spec.template;
    expect(t.spec.schedulerName).toBe('bin-packer');
    expect(t.spec.tolerations.map((x: any) => x.key)).toEqual(['spot']);
    expect(out.manifests.map((m) => m.kind)).toContain('VerticalPodAutoscaler');
    expect(t.spec.volumes.find((v: any) => v.name === 'scratch').ephemeral.volumeClaimTemplate.spec.storageClassName).toBe('io2');
    expect(t.metadata.annotations).toBeUndefined();
  });
});

describe('a prop that needs an absent capability fails at synth, naming the capability and how to declare it', () => {
  const cases: Array<[string, Record<string, unknown>, string, string]> = [
    ['vpaEnabled', { vpaEnabled: true }, 'vpaEnabled', 'vpa'],
    ['a Linkerd proxy setting', { linkerdProxyCpuRequest: 100 }, 'linkerdProxyCpuRequest', 'linkerd'],
    ['linkerdEnabled', { linkerdEnabled: true }, 'linkerdEnabled', 'linkerd'],
    ['Spot nodes', { spotNodesEnabled: true }, 'spotNodesEnabled', 'nodeClasses'],
    ['controller nodes', { controllerNodesRequired: true }, 'controllerNodesRequired', 'nodeClasses'],
    ['the bin-packing scheduler', { panfactumSchedulerEnabled: true }, 'panfactumSchedulerEnabled', 'binPackingScheduler'],
    ['the pull-through cache label', { pullThroughCacheEnabled: true }, 'pullThroughCacheEnabled', 'kyverno'],
    ['image pre-pulling', { containers: [{ ...WEB, imagePrepullEnabled: true }] }, 'containers[0].imagePrepullEnabled', 'imageCache'],
  ];
  test.each(cases)('%s', (_name, props, field, capability) => {
    const e = errorOf(() => deployment('eks', props));
    expect(e.field).toBe(field);
    expect(e.message).toContain(`cluster capability "${capability}"`);
    expect(e.message).toContain('the cluster profile "eks"');
    expect(e.fix).toContain(`clusterProfile: { base: 'eks', ${capability}:`);
    expect(e.fix).toContain('cluster_profile: { base: eks,');
  });

  test('turning a switch off asks for nothing', () => {
    expect(() => deployment('eks', { vpaEnabled: false, linkerdEnabled: false, spotNodesEnabled: false, panfactumSchedulerEnabled: false, linkerdOpaquePorts: [] })).not.toThrow();
  });

  test('constructs that are an add-on: KEDA, External Secrets, Argo, the image cache, ingress-nginx, cert-manager, Linkerd namespaces', () => {
    const build = (fn: (stack: any) => void) => {
      const { stack } = newStack(EKS);
      return errorOf(() => fn(stack));
    };
    const api = (stack: any) => new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
    expect(build((s) => new KubeScaledObject(s, 'so', { target: api(s), maxReplicaCount: 5, triggers: [{ type: 'cpu', metadata: { value: '60' } }] })).message).toContain('"keda"');
    expect(build((s) => new KubeExternalSecret(s, 'es', { namespace: 'web', name: 'db', secretStoreRef: { name: 'ssm' }, data: { p: { key: '/p' } } })).message).toContain('"externalSecrets"');
    expect(build((s) => new KubeWorkflowTemplate(s, 'wf', { namespace: 'web', name: 'wf', templates: [{ name: 'main', containers: [NGINX] }] })).message).toContain('"argoWorkflows"');
    expect(build((s) => new KubeNodeImageCache(s, 'cache')).message).toContain('"imageCache"');
    expect(build((s) => new KubeIngress(s, 'ing', { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }] })).message).toContain('"ingressNginxClass"');
    expect(build((s) => new KubeNamespace(s, 'ns', { namespace: 'web', linkerdInject: true })).message).toContain('"linkerd"');
    const { stack } = newStack({ ...EKS, clusterProfile: { base: 'eks', ingressNginxClass: 'nginx' } });
    const e = errorOf(() => new KubeIngress(stack, 'ing', { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }], generateCertEnabled: true }));
    expect(e.message).toContain('"certManager"');
  });

  test('cert-manager without a default issuer asks for certIssuerName; the declared class and issuer are used', () => {
    const props = { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }], generateCertEnabled: true };
    const a = newStack({ ...EKS, clusterProfile: { base: 'eks', ingressNginxClass: 'nginx', certManager: true } });
    expect(errorOf(() => new KubeIngress(a.stack, 'ing', props)).field).toBe('certIssuerName');
    const b = newStack({ ...EKS, clusterProfile: { base: 'eks', ingressNginxClass: 'public-nginx', certManager: true, certIssuerName: 'letsencrypt' } });
    new KubeIngress(b.stack, 'ing', props);
    const out = synth(b.stack);
    expect(manifest(out, 'Certificate').spec.issuerRef).toEqual({ name: 'letsencrypt', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    expect(out.manifests.filter((m) => m.kind === 'Ingress').every((m) => m.spec.ingressClassName === 'public-nginx')).toBe(true);
  });
});

describe('custom API versions follow the profile', () => {
  test('every custom kind another upstream release serves in another version has a capability choosing it (today: ExternalSecret only)', () => {
    const choosable = (Object.values(CUSTOM_KINDS) as CustomKind[]).filter((k) => (k.otherVersions ?? []).length > 0);
    expect(choosable.map((k) => k.kind)).toEqual(['ExternalSecret']);
    // The capability's values are the default version and the other ones upstream served.
    const es: CustomKind = CUSTOM_KINDS.ExternalSecret;
    const values = [`${es.group}/${es.version}`, ...es.otherVersions!.map((o) => `${es.group}/${o.version}`)];
    expect(values).toEqual(['external-secrets.io/v1', 'external-secrets.io/v1beta1']);
    expect(CLUSTER_PROFILES.panfactum.externalSecretsApiVersion).toBe(values[0]);
    expect(CLUSTER_PROFILES.eks.externalSecretsApiVersion).toBe(values[0]);
  });

  const es = (clusterProfile: ClusterProfile) => {
    const { stack } = newStack({ ...EKS, clusterProfile });
    new KubeExternalSecret(stack, 'es', { namespace: 'web', name: 'db', secretStoreRef: { name: 'ssm' }, data: { password: { key: '/db/password' } } });
    return manifest(synth(stack), 'ExternalSecret');
  };
  test('external-secrets.io/v1 by default; v1beta1 only for an operator before 0.17, schema-checked the same', () => {
    expect(es({ base: 'eks', externalSecrets: true }).apiVersion).toBe('external-secrets.io/v1');
    expect(es('panfactum').apiVersion).toBe('external-secrets.io/v1');
    const old = es({ base: 'eks', externalSecrets: true, externalSecretsApiVersion: 'external-secrets.io/v1beta1' });
    expect(old.apiVersion).toBe('external-secrets.io/v1beta1');
    expect(old.spec.data).toEqual([{ secretKey: 'password', remoteRef: { key: '/db/password' } }]);
  });
});

describe('seed 000 integrations', () => {
  test('defaultEnvEnabled: false also stops Kyverno from injecting them (panfactum.com/inject-env-enabled on the pods only)', () => {
    const pf = deployment(undefined, { defaultEnvEnabled: false });
    expect(manifest(pf, 'Deployment').spec.template.metadata.labels['panfactum.com/inject-env-enabled']).toBe('false');
    expect(manifest(pf, 'Deployment').metadata.labels['panfactum.com/inject-env-enabled']).toBeUndefined();
    expect(manifest(deployment(undefined), 'Deployment').spec.template.metadata.labels['panfactum.com/inject-env-enabled']).toBeUndefined();
    // No Kyverno, no label.
    expect(manifest(deployment('eks', { defaultEnvEnabled: false }), 'Deployment').spec.template.metadata.labels['panfactum.com/inject-env-enabled']).toBeUndefined();
  });

  test('images marked for the node image cache in a stack without one give a synth warning; with one, none', () => {
    const warnings = (withCache: boolean) => {
      const { stack } = newStack({ environment: 'production' });
      if (withCache) new KubeNodeImageCache(stack, 'cache');
      new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [WEB] });
      Testing.synth(stack, true);
      return stack.node.metadata.filter((m) => m.type === 'warn' || m.type === '@cdktf/warn').map((m) => String(m.data));
    };
    const w = warnings(false);
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('has no KubeNodeImageCache');
    expect(w[0]).toContain('docker.io/library/nginx:1.27.1');
    expect(warnings(true)).toEqual([]);
  });
});

describe('cluster_profile in the environments files', () => {
  function tree(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-profile-'));
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), text);
    }
    return root;
  }
  const region = 'aws_region: us-west-2\nkube_cluster_name: c\n';

  test('a name, then a map merged key by key over the levels (snake_case keys)', () => {
    const root = tree({
      'global.yaml': 'cluster_profile: eks\n',
      'sandbox/environment.yaml': 'environment: sandbox\ncluster_profile:\n  vpa: true\n  node_classes: [spot]\n',
      'sandbox/us-west-2/region.yaml': `${region}cluster_profile:\n  ingress_nginx_class: nginx\n  vpa: false\n`,
    });
    const [env] = loadEnvironments(root);
    expect(env.regions[0].clusterProfile).toEqual({ base: 'eks', vpa: false, nodeClasses: ['spot'], ingressNginxClass: 'nginx' });
  });

  test('an unknown capability or a bad value is a ConfigError naming the file and key', () => {
    const bad = (yaml: string) => {
      const root = tree({ 'sandbox/environment.yaml': `environment: sandbox\n${yaml}`, 'sandbox/us-west-2/region.yaml': region });
      try {
        loadEnvironments(root);
      } catch (e) {
        return String((e as Error).message);
      }
      return 'no error';
    };
    expect(bad('cluster_profile: gke\n')).toMatch(/environment\.yaml.*cluster_profile/s);
    expect(bad('cluster_profile:\n  vpaa: true\n')).toMatch(/cluster_profile/);
    expect(bad('cluster_profile:\n  node_classes: [gpu]\n')).toMatch(/cluster_profile/);
  });
});

describe('the sandbox example environment (issue 15 "Done when")', () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gp-sandbox-')) });
  const built = buildStacks(app, { only: ['sandbox'] });
  app.synth();
  const stacks = [...built.appStacks, ...built.maintenanceStacks].map((s) => JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', s.node.id, 'cdk.tf.json'), 'utf8')));
  const manifests = stacks.flatMap((j) => Object.values<any>(j.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest));
  const text = JSON.stringify(stacks);

  test('synthesizes with the strict audit on, both stacks', () => {
    expect(built.appStacks.map((s) => s.node.id)).toEqual(['sandbox-us-east-2-app']);
    expect(manifests.length).toBeGreaterThan(50);
  });

  test('no panfactum scheduler, storage class, Linkerd annotation, VPA or Kyverno label anywhere', () => {
    expect(text).not.toMatch(/"schedulerName"|schedulerName:/);
    expect(text).not.toMatch(/ebs-standard/);
    expect(text).not.toMatch(/linkerd/);
    expect(manifests.filter((m) => m.kind === 'VerticalPodAutoscaler')).toEqual([]);
    expect(text).not.toMatch(/panfactum\.com\/(scheduler-enabled|pull-through-cache-enabled|arm64-enabled|burstable-enabled|spot-enabled|controller-enabled|inject-env-enabled)/);
    expect(text).not.toMatch(/"key":"(spot|burstable|arm64|controller|workflow)"/);
  });

  test('ExternalSecrets are external-secrets.io/v1; volumes are gp3; Ingresses use the declared class', () => {
    const es = manifests.filter((m) => m.kind === 'ExternalSecret');
    expect(es.length).toBeGreaterThan(0);
    expect(es.every((m) => m.apiVersion === 'external-secrets.io/v1')).toBe(true);
    const claims = manifests.filter((m) => m.kind === 'StatefulSet').flatMap((m) => m.spec.volumeClaimTemplates ?? []);
    expect(claims.map((c: any) => c.spec.storageClassName)).toEqual(['gp3']);
    expect(manifests.filter((m) => m.kind === 'Ingress').every((m) => m.spec.ingressClassName === 'nginx')).toBe(true);
  });
});
