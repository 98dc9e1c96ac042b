import { TerraformVariable, Testing } from 'cdktf';
import { KubeConfigMap, KubeConfigMapProps } from '../lib/constructs/kube-config-map';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeExternalSecret, KubeExternalSecretProps } from '../lib/constructs/kube-external-secret';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { contentHash } from '../lib/k8s/config';
import { validateKubernetesObject } from '../lib/k8s/schema';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const MODULE_LABELS = (module: string) => ({ 'panfactum.com/module': module, 'app.kubernetes.io/managed-by': 'cdktf-golden-path' });

function configMap(props: Partial<KubeConfigMapProps> = {}) {
  const { stack } = newStack();
  const c = new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'api-config', data: { LOG_LEVEL: 'info' }, ...props } as KubeConfigMapProps);
  const out = synth(stack);
  return { c, out, cm: manifest(out, 'ConfigMap') };
}

describe('KubeConfigMap', () => {
  test('defaults: a mutable v1 ConfigMap with the data and module labels', () => {
    const { c, out, cm } = configMap();
    expect(cm).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: 'web', labels: MODULE_LABELS('kube_config_map') }, data: { LOG_LEVEL: 'info' } });
    expect(c.configMapName).toBe('api-config');
    expect(c.namespaceName).toBe('web');
    expect(manifestResource(out, 'ConfigMap').field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
  });

  test('binaryData, extraLabels and extraAnnotations', () => {
    const { cm } = configMap({ binaryData: { 'logo.png': Buffer.from([1, 2, 3]).toString('base64') }, extraLabels: { team: 'web' }, extraAnnotations: { 'example.com/owner': 'web' } });
    expect(cm.binaryData).toEqual({ 'logo.png': 'AQID' });
    expect(cm.metadata.labels.team).toBe('web');
    expect(cm.metadata.annotations).toEqual({ 'example.com/owner': 'web' });
  });

  test('an empty ConfigMap has neither data nor binaryData', () => {
    const { cm } = configMap({ data: undefined });
    expect(cm).not.toHaveProperty('data');
    expect(cm).not.toHaveProperty('binaryData');
  });

  test('immutable: immutable true and a content-hashed name that changes with the data', () => {
    const a = configMap({ immutable: true });
    expect(a.cm.immutable).toBe(true);
    expect(a.cm.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
    expect(a.c.configMapName).toBe(a.cm.metadata.name);
    expect(configMap({ immutable: true }).cm.metadata.name).toBe(a.cm.metadata.name);
    expect(configMap({ immutable: true, data: { LOG_LEVEL: 'debug' } }).cm.metadata.name).not.toBe(a.cm.metadata.name);
    expect(contentHash({ a: 'b' }, {})).not.toBe(contentHash({}, { a: 'b' }));
  });

  test('a KubeNamespace orders it after the namespace', () => {
    const { stack } = newStack();
    const namespace = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    new KubeConfigMap(stack, 'config', { namespace, name: 'c', data: { a: 'b' } });
    expect(manifestResource(synth(stack), 'ConfigMap').depends_on).toEqual([expect.stringMatching(/Namespace/)]);
  });

  test('token values do not throw', () => {
    const { stack } = newStack();
    const level = new TerraformVariable(stack, 'level', { type: 'string' }).stringValue;
    new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'c', data: { LOG_LEVEL: level } });
    expect(manifest(synth(stack), 'ConfigMap').data.LOG_LEVEL).toBe('${var.level}');
  });

  test.each<[string, Partial<KubeConfigMapProps>, string]>([
    ['name invalid', { name: 'Api Config' }, 'name'],
    ['namespace invalid', { namespace: 'Web' }, 'namespace'],
    ['data key with a slash', { data: { 'conf/app.yaml': 'x' } }, 'data["conf/app.yaml"]'],
    ['data value not a string', { data: { PORT: 8080 as unknown as string } }, 'data.PORT'],
    ['binaryData not base64', { binaryData: { 'a.bin': 'not base64!' } }, 'binaryData["a.bin"]'],
    ['key in data and binaryData', { data: { a: 'x' }, binaryData: { a: 'AQID' } }, 'binaryData.a'],
    ['more than 1 MiB', { data: { big: 'x'.repeat(1024 * 1024 + 1) } }, 'data'],
    ['extraLabels invalid value', { extraLabels: { team: 'a b' } }, 'extraLabels.team'],
  ])('%s', (_, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'api-config', data: { LOG_LEVEL: 'info' }, ...props } as KubeConfigMapProps));
    expect(e.path).toBe('test/config');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

const ES: KubeExternalSecretProps = { namespace: 'web', name: 'api-secrets', secretStoreRef: { name: 'cluster-parameter-store' }, data: { password: { key: '/api/password' } } };

function externalSecret(props: Partial<KubeExternalSecretProps> = {}) {
  const { stack } = newStack();
  const c = new KubeExternalSecret(stack, 'secrets', { ...ES, ...props } as KubeExternalSecretProps);
  const out = synth(stack);
  return { c, out, es: manifest(out, 'ExternalSecret') };
}

describe('KubeExternalSecret', () => {
  test('defaults (seed 004): ClusterSecretStore, refresh 1h, target named after it, creationPolicy Owner', () => {
    const { c, es } = externalSecret();
    expect(es).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'api-secrets', namespace: 'web', labels: MODULE_LABELS('kube_external_secret') },
      spec: {
        secretStoreRef: { name: 'cluster-parameter-store', kind: 'ClusterSecretStore' },
        refreshInterval: '1h',
        target: { name: 'api-secrets', creationPolicy: 'Owner' },
        data: [{ secretKey: 'password', remoteRef: { key: '/api/password' } }],
      },
    });
    expect(c.secretName).toBe('api-secrets');
    expect(c.externalSecretName).toBe('api-secrets');
    expect(c.namespaceName).toBe('web');
  });

  // External Secrets Operator 0.17.0 (May 2025) stopped serving external-secrets.io/v1beta1
  // ("v0.17.0 Stops serving v1beta1 apis", release notes); v1 is served from 0.16.2 on with the
  // same ExternalSecret spec. An object emitted as v1beta1 fails at plan on current clusters.
  test('emits external-secrets.io/v1, never v1beta1 (ESO 0.17.0 stopped serving v1beta1)', () => {
    const { es } = externalSecret();
    expect(es.apiVersion).toBe('external-secrets.io/v1');
    expect(es.apiVersion).not.toBe('external-secrets.io/v1beta1');
    // The v1 object is schema-checked (with the v1beta1 model, same shape) ...
    expect(validateKubernetesObject(es)).toEqual([]);
    expect(validateKubernetesObject({ ...es, spec: { ...es.spec, refreshInterval: 3600 } }).map((p) => p.path)).toEqual(['/spec/refreshInterval']);
    // ... and a v1beta1 one is refused, escape hatches (KubeManifest) included, unless a cluster
    // profile declared an operator before 0.17 (test/cluster-profile.test.ts).
    expect(validateKubernetesObject({ ...es, apiVersion: 'external-secrets.io/v1beta1' })).toEqual([
      { path: '', message: 'no schema registered for external-secrets.io/v1beta1 ExternalSecret', value: 'external-secrets.io/v1beta1 ExternalSecret' },
    ]);
  });

  test('every prop reaches the object', () => {
    const { c, es } = externalSecret({
      secretStoreRef: { name: 'vault', kind: 'SecretStore' },
      refreshInterval: '15m',
      target: {
        name: 'api-env',
        creationPolicy: 'Merge',
        deletionPolicy: 'Delete',
        immutable: false,
        template: { type: 'kubernetes.io/basic-auth', engineVersion: 'v2', metadata: { labels: { a: 'b' } }, data: { username: 'app', password: '{{ .password }}' } },
      },
      data: { password: { key: '/api/db', property: 'password', version: '3' } },
      dataFrom: [{ extract: { key: '/api/config' } }, { find: { path: '/api/', name: { regexp: '^flag-' }, tags: { team: 'web' } } }],
      extraLabels: { team: 'web' },
      extraAnnotations: { 'example.com/owner': 'web' },
    });
    expect(c.secretName).toBe('api-env');
    expect(es.metadata.labels.team).toBe('web');
    expect(es.metadata.annotations).toEqual({ 'example.com/owner': 'web' });
    expect(es.spec).toEqual({
      secretStoreRef: { name: 'vault', kind: 'SecretStore' },
      refreshInterval: '15m',
      target: {
        name: 'api-env',
        creationPolicy: 'Merge',
        deletionPolicy: 'Delete',
        immutable: false,
        template: { type: 'kubernetes.io/basic-auth', engineVersion: 'v2', metadata: { labels: { a: 'b' } }, data: { username: 'app', password: '{{ .password }}' } },
      },
      data: [{ secretKey: 'password', remoteRef: { key: '/api/db', property: 'password', version: '3' } }],
      dataFrom: [{ extract: { key: '/api/config' } }, { find: { path: '/api/', name: { regexp: '^flag-' }, tags: { team: 'web' } } }],
    });
  });

  test('dataFrom alone is enough; refreshInterval "0" syncs once', () => {
    const { es } = externalSecret({ data: undefined, dataFrom: [{ extract: { key: '/api/all' } }], refreshInterval: '0' });
    expect(es.spec).not.toHaveProperty('data');
    expect(es.spec.refreshInterval).toBe('0');
  });

  test('a workload mounts the Secret it creates by secretName', () => {
    const { stack } = newStack();
    const s = new KubeExternalSecret(stack, 'secrets', ES);
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [NGINX], secretMounts: { [s.secretName]: { mountPath: '/etc/secrets' } } });
    const pod = manifest(synth(stack), 'Deployment').spec.template.spec;
    expect(pod.volumes.some((v: any) => v.secret?.secretName === 'api-secrets')).toBe(true);
  });

  test('token keys do not throw', () => {
    const { stack } = newStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string' }).stringValue;
    const interval = new TerraformVariable(stack, 'interval', { type: 'string' }).stringValue;
    new KubeExternalSecret(stack, 'secrets', { ...ES, refreshInterval: interval, data: { password: { key } } });
    expect(manifest(synth(stack), 'ExternalSecret').spec.data[0].remoteRef.key).toBe('${var.key}');
  });

  test.each<[string, Partial<KubeExternalSecretProps>, string]>([
    ['name invalid', { name: 'API' }, 'name'],
    ['no secretStoreRef', { secretStoreRef: undefined }, 'secretStoreRef'],
    ['store name invalid', { secretStoreRef: { name: 'Store!' } }, 'secretStoreRef.name'],
    ['store kind invalid', { secretStoreRef: { name: 's', kind: 'Vault' as 'SecretStore' } }, 'secretStoreRef.kind'],
    ['refreshInterval not a duration', { refreshInterval: 'hourly' }, 'refreshInterval'],
    ['refreshInterval in days', { refreshInterval: '1d' }, 'refreshInterval'],
    ['target name invalid', { target: { name: 'Bad Name' } }, 'target.name'],
    ['creationPolicy invalid', { target: { creationPolicy: 'owner' as 'Owner' } }, 'target.creationPolicy'],
    ['deletionPolicy invalid', { target: { deletionPolicy: 'Keep' as 'Retain' } }, 'target.deletionPolicy'],
    ['deletionPolicy Delete with creationPolicy Orphan', { target: { creationPolicy: 'Orphan', deletionPolicy: 'Delete' } }, 'target.deletionPolicy'],
    ['template label invalid', { target: { template: { metadata: { labels: { a: 'b c' } } } } }, 'target.template.metadata.labels.a'],
    ['no data and no dataFrom', { data: {} }, 'data'],
    ['secret key invalid', { data: { 'db password': { key: '/x' } } }, 'data["db password"]'],
    ['remote key missing', { data: { password: { key: '' } } }, 'data.password.key'],
    ['dataFrom with both sources', { dataFrom: [{ extract: { key: '/a' }, find: { path: '/b' } }] }, 'dataFrom[0]'],
    ['dataFrom with no source', { dataFrom: [{}] }, 'dataFrom[0]'],
    ['find matching nothing', { dataFrom: [{ find: {} }] }, 'dataFrom[0].find'],
    ['find regexp invalid', { dataFrom: [{ find: { name: { regexp: '([' } } }] }, 'dataFrom[0].find.name.regexp'],
  ])('%s', (_, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeExternalSecret(stack, 'secrets', { ...ES, ...props } as KubeExternalSecretProps));
    expect(e.path).toBe('test/secrets');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

describe('commonSecrets (seed 004): typed Secret, and a warning for literals', () => {
  function warnings(stack: any): string[] {
    Testing.synth(stack, true);
    return (stack.node.findAll() as any[]).flatMap((c) => c.node.metadata.filter((m: any) => /warn/i.test(m.type)).map((m: any) => String(m.data)));
  }

  test('a literal value warns and points to a sensitive TerraformVariable or KubeExternalSecret; the value is in a kubernetes_secret_v1', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [NGINX], commonSecrets: { API_KEY: 'literal-value' } });
    const w = warnings(stack);
    expect(w.some((m) => m.includes('API_KEY') && m.includes('TerraformVariable') && m.includes('KubeExternalSecret'))).toBe(true);
    const out = synth(stack);
    expect(Object.keys(out.json.resource.kubernetes_secret_v1)).toHaveLength(1);
    expect(out.manifests.some((m) => m.kind === 'Secret')).toBe(false);
  });

  test('a sensitive variable does not warn', () => {
    const { stack } = newStack();
    const key = new TerraformVariable(stack, 'key', { type: 'string', sensitive: true }).stringValue;
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [NGINX], commonSecrets: { API_KEY: key } });
    expect(warnings(stack).filter((m) => m.includes('commonSecrets'))).toEqual([]);
  });
});
