/**
 * The CRDs the apply tier installs before planning (test/e2e/crds.ts): one for every custom
 * kind the constructs emit, each schema structural (the API server would accept it), and every
 * custom object the library emits valid against its schema with no field the API server would
 * prune (kubernetes_manifest would then report an inconsistent result after apply).
 */
import Ajv from 'ajv';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDaemonSet } from '../lib/constructs/kube-daemon-set';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeDescheduler } from '../lib/constructs/kube-descheduler';
import { KubeExternalSecret } from '../lib/constructs/kube-external-secret';
import { KubeExternalSnapshotter } from '../lib/constructs/kube-external-snapshotter';
import { KubeIngress } from '../lib/constructs/kube-ingress';
import { KubeJob } from '../lib/constructs/kube-job';
import { KubeNodeImageCache } from '../lib/constructs/kube-node-image-cache';
import { KubeNodeImageCacheController } from '../lib/constructs/kube-node-image-cache-controller';
import { KubePvcAutoresizer } from '../lib/constructs/kube-pvc-autoresizer';
import { KubeReloader } from '../lib/constructs/kube-reloader';
import { KubeScaledObject } from '../lib/constructs/kube-scaled-object';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeVelero } from '../lib/constructs/kube-velero';
import { KubeWorkflowTemplate } from '../lib/constructs/kube-workflow-template';
import { registeredKinds } from '../lib/k8s/schema';
import {
  API_APPROVED, CustomResourceDefinition, JSONSchemaProps, crdSources, customResourceDefinitions, isProtectedGroup, structuralSchemaProblems,
} from './e2e/crds';
import { NGINX, newStack, synth } from './support/synth';

/** API groups the kube-apiserver serves itself (no CRD). */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'policy', 'autoscaling', 'rbac.authorization.k8s.io', 'networking.k8s.io', 'scheduling.k8s.io',
  'storage.k8s.io', 'apiextensions.k8s.io', 'admissionregistration.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io',
  'certificates.k8s.io', 'node.k8s.io', 'events.k8s.io', 'flowcontrol.apiserver.k8s.io', 'apiregistration.k8s.io',
]);

function groupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const isCustom = (apiVersion: string) => !BUILT_IN_GROUPS.has(groupVersion(apiVersion).group);

/** A stack using every construct that emits a custom resource. */
function everyCustomResource(): any[] {
  const { stack } = newStack({ environment: 'production', region: 'us-east-2', clusterName: 'prod-cluster', slaTarget: 3 });
  new HelmProvider(stack, 'helm', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const web = { ...NGINX, ports: { http: { port: 8080 } } };
  const api = new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [web] });
  new KubeScaledObject(stack, 'scaling', {
    target: api,
    maxReplicaCount: 10,
    triggers: [{ type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: '100' } }],
  });
  new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [{ ...NGINX, name: 'db', ports: { tcp: { port: 5432 } } }], volumeMounts: { data: { mountPath: '/var/lib/data' } } });
  new KubeDaemonSet(stack, 'agent', { namespace: 'monitoring', name: 'node-agent', containers: [{ ...NGINX, name: 'agent', ports: { metrics: { port: 9100 } } }] });
  new KubeCronJob(stack, 'cleanup', { namespace: 'ops', name: 'cleanup', cronSchedule: '0 3 * * *', containers: [{ ...NGINX, name: 'task', command: ['sh', '-c', 'echo hi'] }] });
  new KubeJob(stack, 'migrate', { namespace: 'web', name: 'db-migrate', containers: [{ ...NGINX, name: 'migrate', command: ['sh', '-c', 'echo migrate'] }] });
  new KubeExternalSecret(stack, 'secrets', {
    namespace: 'web',
    name: 'api-secrets',
    secretStoreRef: { name: 'cluster-parameter-store' },
    target: { template: { type: 'kubernetes.io/basic-auth', engineVersion: 'v2', metadata: { labels: { a: 'b' } }, data: { username: 'app', password: '{{ .password }}' } } },
    data: { password: { key: '/api/password', property: 'password', version: '3' } },
    dataFrom: [{ extract: { key: '/api/config' } }, { find: { path: '/api/', name: { regexp: '^flag-' }, tags: { team: 'web' } } }],
  });
  new KubeWorkflowTemplate(stack, 'wf', {
    namespace: 'web',
    name: 'report',
    arguments: [{ name: 'date', default: 'today', enum: ['today', 'yesterday'], description: 'Day to report' }],
    templates: [{ name: 'main', containers: [{ ...NGINX, name: 'main', command: ['sh', '-c', 'echo {{workflow.parameters.date}}'] }] }],
  });
  new KubeIngress(stack, 'ing', { namespace: 'web', name: 'web', domains: ['app.example.com'], ingressConfigs: [{ service: 'web', servicePort: 80 }], generateCertEnabled: true });
  new KubeNodeImageCache(stack, 'cache', { images: [{ registry: 'docker.io', repository: 'library/busybox', tag: '1.36.1' }], imagePullSecrets: ['ecr-pull'], nodeSelector: { 'panfactum.com/class': 'spot' } });
  new KubeNodeImageCacheController(stack, 'fledged');
  new KubeVelero(stack, 'velero', { oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABCDEF0123456789' });
  new KubeExternalSnapshotter(stack, 'snap');
  new KubeReloader(stack, 'reloader');
  new KubeDescheduler(stack, 'descheduler');
  new KubePvcAutoresizer(stack, 'pvc');
  return synth(stack).manifests.filter((m) => isCustom(m.apiVersion));
}

const crds = customResourceDefinitions();
const emitted = everyCustomResource();

function crdFor(apiVersion: string, kind: string): CustomResourceDefinition | undefined {
  const { group, version } = groupVersion(apiVersion);
  return crds.find((c) => c.spec.group === group && c.spec.names.kind === kind && c.spec.versions.some((v) => v.name === version && v.served));
}

function schemaFor(apiVersion: string, kind: string): JSONSchemaProps {
  const crd = crdFor(apiVersion, kind);
  if (!crd) throw new Error(`no CRD for ${apiVersion} ${kind}`);
  return crd.spec.versions.find((v) => v.name === groupVersion(apiVersion).version)!.schema.openAPIV3Schema;
}

describe('the CRD list', () => {
  test('the custom kinds, generated from the model packages or written by hand', () => {
    expect(crdSources()).toEqual([
      { group: 'autoscaling.k8s.io', version: 'v1', kind: 'VerticalPodAutoscaler', source: 'generated' },
      { group: 'keda.sh', version: 'v1alpha1', kind: 'ScaledObject', source: 'generated' },
      { group: 'external-secrets.io', version: 'v1', kind: 'ExternalSecret', source: 'generated' },
      { group: 'cert-manager.io', version: 'v1', kind: 'Certificate', source: 'generated' },
      { group: 'kubefledged.io', version: 'v1alpha2', kind: 'ImageCache', source: 'hand-written' },
      { group: 'velero.io', version: 'v1', kind: 'Schedule', source: 'hand-written' },
      { group: 'snapshot.storage.k8s.io', version: 'v1', kind: 'VolumeSnapshotClass', source: 'hand-written' },
      { group: 'argoproj.io', version: 'v1alpha1', kind: 'WorkflowTemplate', source: 'hand-written' },
    ]);
    expect(crds.map((c) => `${c.spec.group}/${c.spec.versions[0].name} ${c.spec.names.kind}`)).toEqual(crdSources().map((s) => `${s.group}/${s.version} ${s.kind}`));
  });

  test.each(crds.map((c) => [c.metadata.name, c] as const))('%s: names, scope, one served storage version', (_name, crd) => {
    const { group, names, scope, versions } = crd.spec;
    expect(crd.apiVersion).toBe('apiextensions.k8s.io/v1');
    expect(crd.kind).toBe('CustomResourceDefinition');
    expect(crd.metadata.name).toBe(`${names.plural}.${group}`);
    expect(names.plural).toMatch(/^[a-z0-9]+$/);
    expect(names.singular).toBe(names.kind.toLowerCase());
    expect(names.listKind).toBe(`${names.kind}List`);
    expect(['Namespaced', 'Cluster']).toContain(scope);
    expect(versions.filter((v) => v.storage)).toHaveLength(1);
    expect(versions.every((v) => v.served)).toBe(true);
    // The API server refuses a CRD in a protected group (*.k8s.io, *.kubernetes.io) without it.
    if (isProtectedGroup(group)) expect(crd.metadata.annotations?.[API_APPROVED]).toMatch(/^https:\/\/github\.com\//);
    else expect(crd.metadata.annotations).toBeUndefined();
  });

  test('scope and status subresource as the real CRDs have them', () => {
    const summary = Object.fromEntries(crds.map((c) => [c.spec.names.kind, `${c.spec.scope}${c.spec.versions[0].subresources?.status ? ' +status' : ''}`]));
    expect(summary).toEqual({
      VerticalPodAutoscaler: 'Namespaced +status',
      ScaledObject: 'Namespaced +status',
      ExternalSecret: 'Namespaced +status',
      Certificate: 'Namespaced +status',
      ImageCache: 'Namespaced',
      Schedule: 'Namespaced +status',
      VolumeSnapshotClass: 'Cluster',
      WorkflowTemplate: 'Namespaced',
    });
  });

  test('the protected groups are the VPA\'s and the snapshotter\'s', () => {
    expect(crds.filter((c) => isProtectedGroup(c.spec.group)).map((c) => c.metadata.name)).toEqual([
      'verticalpodautoscalers.autoscaling.k8s.io', 'volumesnapshotclasses.snapshot.storage.k8s.io',
    ]);
    expect(['example.com', 'k8s.io.example.com', 'keda.sh'].filter(isProtectedGroup)).toEqual([]);
  });

  test('ExternalSecret is served as external-secrets.io/v1 only (ESO 0.17.0 stopped serving v1beta1)', () => {
    const es = crds.find((c) => c.spec.names.kind === 'ExternalSecret')!;
    expect(es.spec.versions.map((v) => v.name)).toEqual(['v1']);
  });

  test('generated schemas: apiVersion and kind are plain strings, quantities int-or-string, VPA evictionRequirements supplemented', () => {
    const vpa = schemaFor('autoscaling.k8s.io/v1', 'VerticalPodAutoscaler');
    expect(vpa.properties!.apiVersion).toEqual({ type: 'string' });
    expect(vpa.properties!.metadata).toEqual({ type: 'object' });
    const policy = vpa.properties!.spec.properties!.resourcePolicy.properties!.containerPolicies.items!;
    expect(policy.properties!.minAllowed).toEqual({ type: 'object', additionalProperties: { 'x-kubernetes-int-or-string': true } });
    expect(vpa.properties!.spec.properties!.updatePolicy.properties!.evictionRequirements.items!.required).toEqual(['changeRequirement', 'resources']);
    const cert = schemaFor('cert-manager.io/v1', 'Certificate');
    expect(cert.properties!.spec.required).toEqual(['issuerRef', 'secretName']);
    expect(cert.properties!.spec.properties!.privateKey.properties!.rotationPolicy).toEqual({ type: 'string', enum: ['Never', 'Always'] });
  });
});

describe('every custom kind the constructs emit has a CRD', () => {
  test('the stack emits all of them', () => {
    expect([...new Set(emitted.map((m) => `${m.apiVersion} ${m.kind}`))].sort()).toEqual([
      'argoproj.io/v1alpha1 WorkflowTemplate',
      'autoscaling.k8s.io/v1 VerticalPodAutoscaler',
      'cert-manager.io/v1 Certificate',
      'external-secrets.io/v1 ExternalSecret',
      'keda.sh/v1alpha1 ScaledObject',
      'kubefledged.io/v1alpha2 ImageCache',
      'snapshot.storage.k8s.io/v1 VolumeSnapshotClass',
      'velero.io/v1 Schedule',
    ]);
  });

  test.each(emitted.map((m) => [`${m.apiVersion} ${m.kind} ${m.metadata.name}`, m] as const))('%s: has a CRD of the matching scope', (_name, obj) => {
    const crd = crdFor(obj.apiVersion, obj.kind);
    expect(crd).toBeDefined();
    expect(crd!.spec.scope === 'Namespaced').toBe(typeof obj.metadata.namespace === 'string' && obj.metadata.namespace !== '');
  });

  test('every custom kind registered for validation has a CRD', () => {
    const custom = registeredKinds().filter((k) => isCustom(k.apiVersion));
    expect(custom.length).toBeGreaterThanOrEqual(8);
    expect(custom.filter((k) => !crdFor(k.apiVersion, k.kind)).map((k) => `${k.apiVersion} ${k.kind}`)).toEqual([]);
  });
});

describe('structural schemas', () => {
  test.each(crds.map((c) => [c.metadata.name, c] as const))('%s', (_name, crd) => {
    for (const v of crd.spec.versions) expect(structuralSchemaProblems(v.schema.openAPIV3Schema)).toEqual([]);
    expect(JSON.stringify(crd)).not.toMatch(/"\$(ref|schema|id)"/);
  });

  test('the checker reports what the API server refuses', () => {
    const root = (spec: unknown) => ({ type: 'object', properties: { spec } }) as JSONSchemaProps;
    const check = (spec: unknown) => structuralSchemaProblems(root(spec));
    expect(check({ type: 'object' })).toEqual([]);
    expect(check({ $ref: '#/definitions/x' })).toEqual(['openAPIV3Schema.properties.spec: forbidden keyword $ref', 'openAPIV3Schema.properties.spec: no type (only int-or-string and preserve-unknown-fields nodes may omit it)']);
    expect(check({ properties: { a: { type: 'string' } } })).toContain('openAPIV3Schema.properties.spec: no type (only int-or-string and preserve-unknown-fields nodes may omit it)');
    expect(check({ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } })).toEqual(['openAPIV3Schema.properties.spec: properties and additionalProperties are mutually exclusive']);
    expect(check({ type: 'object', additionalProperties: false })).toEqual(['openAPIV3Schema.properties.spec: additionalProperties must be a schema, not false']);
    expect(check({ type: 'array' })).toEqual(['openAPIV3Schema.properties.spec: an array needs items']);
    expect(check({ type: 'object', properties: { a: { type: 'string', nullable: true } }, oneOf: [{ required: ['a'] }] })).toEqual(['openAPIV3Schema.properties.spec: forbidden keyword oneOf']);
    expect(check({ anyOf: [{ type: 'integer' }, { type: 'string' }] })).toContain('openAPIV3Schema.properties.spec: anyOf is only allowed as the int-or-string pattern');
    expect(check({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] })).toEqual([]);
    expect(check({ 'x-kubernetes-preserve-unknown-fields': false })).toContain('openAPIV3Schema.properties.spec: x-kubernetes-preserve-unknown-fields must be true when set');
    expect(check({ type: 'object', required: ['a'] })).toEqual(['openAPIV3Schema.properties.spec: required field a is not in properties']);
    expect(check({ type: 'string', $schema: 'http://json-schema.org/draft-07/schema#' })).toEqual(['openAPIV3Schema.properties.spec: forbidden keyword $schema']);
    expect(structuralSchemaProblems({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } })).toEqual([
      'openAPIV3Schema.properties.metadata: only name and generateName may be restricted (found properties.labels)',
    ]);
  });
});

/**
 * The schema as ajv reads it, with the API server's pruning made an error: an object node
 * that does not preserve unknown fields accepts only the fields it names (root metadata is
 * ObjectMeta, checked by the API server itself).
 */
function forAjv(s: JSONSchemaProps, isRoot = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) {
    if (key.startsWith('x-kubernetes-')) continue;
    if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, JSONSchemaProps>).map(([name, child]) => [name, isRoot && name === 'metadata' ? { type: 'object' } : forAjv(child, false)]));
    } else if (key === 'items' || key === 'additionalProperties') out[key] = forAjv(value as JSONSchemaProps, false);
    else out[key] = value;
  }
  if (s['x-kubernetes-int-or-string']) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  if (s.type === 'object' && !s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validators = new Map<string, ReturnType<typeof ajv.compile>>();

function problems(obj: any): string[] {
  const key = `${obj.apiVersion} ${obj.kind}`;
  if (!validators.has(key)) validators.set(key, ajv.compile(forAjv(schemaFor(obj.apiVersion, obj.kind))));
  const validate = validators.get(key)!;
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty}, pruned by the API server)` : ''}`);
}

describe('the emitted objects validate against their CRD schemas (ajv), no field pruned', () => {
  test.each(emitted.map((m) => [`${m.apiVersion} ${m.kind} ${m.metadata.namespace ?? ''}/${m.metadata.name}`, m] as const))('%s', (_name, obj) => {
    expect(problems(obj)).toEqual([]);
  });

  test('the harness catches a wrong type, a missing required field and a field the API server would prune', () => {
    const vpa = emitted.find((m) => m.kind === 'VerticalPodAutoscaler');
    expect(problems({ ...vpa, spec: { ...vpa.spec, targetRef: { ...vpa.spec.targetRef, name: 3 } } })).toEqual(['/spec/targetRef/name must be string']);
    expect(problems({ ...vpa, spec: { ...vpa.spec, targetRef: undefined } })).toEqual(["/spec must have required property 'targetRef'"]);
    expect(problems({ ...vpa, spec: { ...vpa.spec, updatePolicy: { ...vpa.spec.updatePolicy, updateMod: 'Auto' } } })).toEqual([
      '/spec/updatePolicy must NOT have additional properties (updateMod, pruned by the API server)',
    ]);
    const wf = emitted.find((m) => m.kind === 'WorkflowTemplate');
    expect(problems({ ...wf, spec: { ...wf.spec, anything: { goes: 1 } } })).toEqual([]);
  });
});
