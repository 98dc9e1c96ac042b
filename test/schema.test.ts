import { execFileSync } from 'child_process';
import * as path from 'path';
import { Lazy, Token } from 'cdktf';
import {
  BUILTIN_KINDS,
  isKindRegistered,
  registerKind,
  registerSchemalessKind,
  registeredKinds,
  SchemaProblem,
  validateKubernetesObject,
} from '../lib/k8s/schema';
import { findUnknownFields, linkGraph } from '../lib/k8s/schema/known-fields';

type Obj = { apiVersion: string; kind: string; [k: string]: any };

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'apps', labels: { 'app.kubernetes.io/name': name }, ...extra });

function podSpec(): any {
  return {
    serviceAccountName: 'web',
    containers: [
      {
        name: 'web',
        image: 'nginx:1.27',
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [{ name: 'A', value: '1' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi', 'nvidia.com/gpu': 1 } },
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 8080 }, failureThreshold: 3 },
        securityContext: { runAsNonRoot: true, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }],
    nodeSelector: { 'kubernetes.io/arch': 'arm64', anything: 'goes' },
    tolerations: [{ key: 'spot', operator: 'Exists', effect: 'NoSchedule' }],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { id: 'web' } } } },
        ],
      },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { id: 'web' } } }],
  };
}

const template = () => ({ metadata: { labels: { id: 'web' }, annotations: { 'linkerd.io/inject': 'enabled' } }, spec: podSpec() });

function deployment(): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('web'),
    spec: {
      replicas: 2,
      selector: { matchLabels: { id: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: template(),
    },
  };
}

/** One valid object of every built-in kind. */
function validObjects(): Obj[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web', { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' } }), automountServiceAccountToken: false },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web'),
      spec: { type: 'ClusterIP', selector: { id: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('web-config'), data: { 'config.yaml': 'a: 1', ANY_KEY: 'x' }, binaryData: { blob: 'aGVsbG8=' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: meta('web-secret'), type: 'Opaque', stringData: { password: 'x' }, data: { token: 'dG9rZW4=' } },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('data'),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'ebs-standard', resources: { requests: { storage: '10Gi' } } },
    },
    deployment(),
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        serviceName: 'db',
        replicas: 3,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: { id: 'db' } },
        template: template(),
        volumeClaimTemplates: [
          { metadata: { name: 'data', labels: { id: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } },
        ],
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
      },
    },
    { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'), spec: { selector: { matchLabels: { id: 'web' } }, template: template(), updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } } } },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('migrate'), spec: { backoffLimit: 2, ttlSecondsAfterFinished: 600, template: { ...template(), spec: { ...podSpec(), restartPolicy: 'Never' } } } },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('nightly'),
      spec: {
        schedule: '0 3 * * *',
        concurrencyPolicy: 'Forbid',
        timeZone: 'Etc/UTC',
        jobTemplate: { metadata: { labels: { id: 'nightly' } }, spec: { template: { ...template(), spec: { ...podSpec(), restartPolicy: 'OnFailure' } } } },
      },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta('web'), spec: { maxUnavailable: 1, selector: { matchLabels: { id: 'web' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader'), rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('reader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'apps' }],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:controller:web' }, rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'web-metrics' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:controller:web' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'apps' }],
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 10,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
        rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('web'),
      spec: {
        podSelector: { matchLabels: { id: 'web' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['ingress'] }] } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      },
    },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'workload-important' }, value: 10000000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority', description: 'x' },
    {
      apiVersion: 'autoscaling.k8s.io/v1',
      kind: 'VerticalPodAutoscaler',
      metadata: meta('web'),
      spec: {
        targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        updatePolicy: { updateMode: 'Auto' },
        resourcePolicy: { containerPolicies: [{ containerName: '*', minAllowed: { memory: '100Mi', cpu: '100m' }, maxAllowed: { memory: '1Gi' }, controlledValues: 'RequestsAndLimits' }] },
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: meta('web'),
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicaCount: 1, maxReplicaCount: 5, triggers: [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '60' } }] },
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: meta('web'),
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'store' }, refreshInterval: '1h', target: { name: 'web', creationPolicy: 'Owner' }, data: [{ secretKey: 'password', remoteRef: { key: '/web/password' } }] },
    },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: meta('web'),
      spec: { secretName: 'web-tls', dnsNames: ['app.example.com'], duration: '2160h0m0s', renewBefore: '720h0m0s', privateKey: { rotationPolicy: 'Always' }, issuerRef: { name: 'public', kind: 'ClusterIssuer', group: 'cert-manager.io' } },
    },
  ];
}

/** The single problem at `path` (fails when there is none). */
function problemAt(problems: SchemaProblem[], p: string): SchemaProblem {
  const found = problems.filter((x) => x.path === p);
  if (found.length === 0) throw new Error(`no problem at ${p}; got ${JSON.stringify(problems)}`);
  return found[0];
}

describe('valid objects', () => {
  it('covers every built-in kind', () => {
    const kinds = new Set(validObjects().map((o) => `${o.apiVersion} ${o.kind}`));
    expect(BUILTIN_KINDS.map((k) => `${k.apiVersion} ${k.kind}`).filter((k) => !kinds.has(k))).toEqual([]);
  });

  it.each(validObjects().map((o) => [`${o.apiVersion} ${o.kind}`, o] as const))('%s passes', (_name, obj) => {
    expect(validateKubernetesObject(obj)).toEqual([]);
  });

  it('accepts arbitrary keys in maps (labels, annotations, data, nodeSelector, requests, matchLabels)', () => {
    const d = deployment();
    d.metadata.labels['example.com/any-key_1.x'] = 'Any.Value-2';
    d.metadata.annotations = { 'whatever.example.com/free-text': 'spaces and {json: "ok"}' };
    d.spec.template.spec.nodeSelector['node.example.com/custom'] = 'yes';
    d.spec.template.spec.containers[0].resources.requests['ephemeral-storage'] = '1Gi';
    d.spec.selector.matchLabels['custom-key'] = 'v';
    expect(validateKubernetesObject(d)).toEqual([]);
  });
});

describe('shape problems (OpenAPI schema)', () => {
  it('reports a wrong type with its path', () => {
    const d = deployment();
    d.spec.replicas = '2';
    const p = problemAt(validateKubernetesObject(d), '/spec/replicas');
    expect(p.message).toBe('wrong type: expected integer, got string "2"');
    expect(p.value).toBe('2');
  });

  it('reports a missing required field at the missing field', () => {
    const d = deployment();
    delete d.spec.template.spec.containers[0].name;
    const p = problemAt(validateKubernetesObject(d), '/spec/template/spec/containers/0/name');
    expect(p.message).toBe('missing required field "name"');
    expect(p.value).toBeUndefined();
  });

  it('reports a bad enum value with the allowed values', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicy = 'always';
    const problems = validateKubernetesObject(d);
    expect(problems).toEqual([
      {
        path: '/spec/template/spec/containers/0/imagePullPolicy',
        message: 'unsupported value "always": must be one of "Always", "IfNotPresent", "Never" (did you mean "Always"?)',
        value: 'always',
      },
    ]);
  });

  it('reports a bad quantity', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.requests.memory = '128MB';
    const p = problemAt(validateKubernetesObject(d), '/spec/template/spec/containers/0/resources/requests/memory');
    expect(p.message).toMatch(/^invalid quantity "128MB": must be a number or a string such as "250m"/);
    expect(p.value).toBe('128MB');
  });

  it('reports a quantity of the wrong type', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].resources.limits.memory = true;
    const p = problemAt(validateKubernetesObject(d), '/spec/template/spec/containers/0/resources/limits/memory');
    expect(p.message).toMatch(/^invalid quantity: .* got boolean true$/);
  });

  it('reports an IntOrString of the wrong type', () => {
    const d = deployment();
    d.spec.strategy.rollingUpdate.maxSurge = 1.5;
    const p = problemAt(validateKubernetesObject(d), '/spec/strategy/rollingUpdate/maxSurge');
    expect(p.message).toBe('wrong type: expected an integer or a string, got number 1.5');
  });

  it('reports a missing required field of the VerticalPodAutoscaler CRD', () => {
    const vpa = validObjects().find((o) => o.kind === 'VerticalPodAutoscaler')!;
    delete vpa.spec.targetRef.kind;
    vpa.spec.updatePolicy.updateMode = 'Sometimes';
    const problems = validateKubernetesObject(vpa);
    expect(problemAt(problems, '/spec/targetRef/kind').message).toBe('missing required field "kind"');
    expect(problemAt(problems, '/spec/updatePolicy/updateMode').message).toBe('unsupported value "Sometimes": must be one of "Off", "Initial", "Recreate", "Auto"');
  });

  it('reports every problem, not only the first', () => {
    const d = deployment();
    d.spec.replicas = -0.5;
    d.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    const paths = validateKubernetesObject(d).map((p) => p.path);
    expect(paths).toEqual(['/spec/replicas', '/spec/template/spec/containers/0/ports/0/containerPort']);
  });
});

describe('unknown fields', () => {
  it('reports an unknown top-level field', () => {
    const d = deployment();
    d.specs = {};
    expect(validateKubernetesObject(d)).toEqual([{ path: '/specs', message: 'unknown field "specs"', value: {} }]);
  });

  it('reports an unknown field inside a container', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    expect(validateKubernetesObject(d)).toEqual([
      { path: '/spec/template/spec/containers/0/imagePullPolicyy', message: 'unknown field "imagePullPolicyy"', value: 'Always' },
    ]);
  });

  it('reports an unknown field inside a probe', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].readinessProbe.httpGet.pth = '/x';
    d.spec.template.spec.containers[0].livenessProbe.periodSecond = 3;
    const problems = validateKubernetesObject(d);
    expect(problems).toEqual([
      { path: '/spec/template/spec/containers/0/readinessProbe/httpGet/pth', message: 'unknown field "pth"', value: '/x' },
      { path: '/spec/template/spec/containers/0/livenessProbe/periodSecond', message: 'unknown field "periodSecond"', value: 3 },
    ]);
  });

  it('reports unknown fields in metadata, volumes and the VPA CRD', () => {
    const d = deployment();
    d.metadata.label = { a: 'b' };
    d.spec.template.spec.volumes[0].emptyDir.size = '1Gi';
    expect(validateKubernetesObject(d).map((p) => [p.path, p.message])).toEqual([
      ['/metadata/label', 'unknown field "label"'],
      ['/spec/template/spec/volumes/0/emptyDir/size', 'unknown field "size"'],
    ]);
    const vpa = validObjects().find((o) => o.kind === 'VerticalPodAutoscaler')!;
    vpa.spec.resourcePolicy.containerPolicies[0].maxAlowed = {};
    expect(validateKubernetesObject(vpa).map((p) => p.path)).toEqual(['/spec/resourcePolicy/containerPolicies/0/maxAlowed']);
  });

  it('walks "*" entries: typed map values are checked, free-form extra keys are accepted', () => {
    // The shapes CRD declarations produce: a map of typed objects, and an object open to extra keys.
    const types = linkGraph({ Root: { secrets: 'SecretMap', extra: 'Open' }, SecretMap: { '*': 'Ref' }, Ref: { name: 0, key: 0 }, Open: { known: 0, '*': 0 } });
    const problems: SchemaProblem[] = [];
    findUnknownFields({ secrets: { a: { name: 'x' }, b: { nam: 'y' } }, extra: { known: 1, anything: { deep: true } }, other: 1 }, types.get('Root')!, () => false, problems);
    expect(problems).toEqual([
      { path: '/secrets/b/nam', message: 'unknown field "nam"', value: 'y' },
      { path: '/other', message: 'unknown field "other"', value: 1 },
    ]);
    expect(() => linkGraph({ A: { b: 'Missing' } })).toThrow(/A refers to missing type Missing/);
  });

  it('ignores undefined values (they are dropped from the JSON)', () => {
    const d = deployment();
    d.spec.template.spec.containers[0].notAField = undefined;
    expect(validateKubernetesObject(d)).toEqual([]);
  });
});

describe('names and labels', () => {
  it('reports an invalid object name', () => {
    const d = deployment();
    d.metadata.name = 'My_App';
    const p = problemAt(validateKubernetesObject(d), '/metadata/name');
    expect(p.message).toMatch(/^invalid name "My_App": must be an RFC 1123 subdomain/);
    expect(p.value).toBe('My_App');
  });

  it('applies the rule of the kind: a Namespace is a label, a Service starts with a letter, a CronJob has 52 characters', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } };
    expect(problemAt(validateKubernetesObject(ns), '/metadata/name').message).toMatch(/must be an RFC 1123 label/);
    const svc = validObjects().find((o) => o.kind === 'Service')!;
    svc.metadata.name = '1web';
    expect(problemAt(validateKubernetesObject(svc), '/metadata/name').message).toMatch(/must be an RFC 1035 label/);
    const cron = validObjects().find((o) => o.kind === 'CronJob')!;
    cron.metadata.name = 'x'.repeat(53);
    expect(problemAt(validateKubernetesObject(cron), '/metadata/name').message).toBe(`invalid name "${'x'.repeat(53)}": must be at most 52 characters (it has 53)`);
  });

  it('reports a missing name and an invalid namespace', () => {
    const d = deployment();
    delete d.metadata.name;
    d.metadata.namespace = 'Apps';
    const problems = validateKubernetesObject(d);
    expect(problemAt(problems, '/metadata/name').message).toBe('missing required field "name"');
    expect(problemAt(problems, '/metadata/namespace').message).toMatch(/^invalid namespace "Apps"/);
  });

  it('reports an invalid label key and value in metadata.labels', () => {
    const d = deployment();
    d.metadata.labels = { 'bad key': 'ok', good: 'bad value!' };
    const problems = validateKubernetesObject(d);
    expect(problemAt(problems, '/metadata/labels/bad key').message).toMatch(/^invalid label key "bad key"/);
    expect(problemAt(problems, '/metadata/labels/good')).toEqual({
      path: '/metadata/labels/good',
      message: "invalid label value \"bad value!\": must be empty or letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
      value: 'bad value!',
    });
  });

  it('reports invalid labels in the pod template, with the key escaped in the pointer', () => {
    const d = deployment();
    d.spec.template.metadata.labels['Example.com/x'] = 'v'.repeat(64);
    const problems = validateKubernetesObject(d);
    expect(problems.map((p) => p.path)).toEqual(['/spec/template/metadata/labels/Example.com~1x', '/spec/template/metadata/labels/Example.com~1x']);
    expect(problems[0].message).toMatch(/^invalid label key "Example.com\/x": the prefix before '\/' must be a lower-case DNS subdomain/);
    expect(problems[1].message).toBe('invalid label value "' + 'v'.repeat(64) + '": must be at most 63 characters (it has 64)');
  });

  it('reports invalid labels in CronJob job and pod templates and in selectors', () => {
    const cron = validObjects().find((o) => o.kind === 'CronJob')!;
    cron.spec.jobTemplate.metadata.labels.id = '-x';
    cron.spec.jobTemplate.spec.template.metadata.labels.id = 'y-';
    const pdb = validObjects().find((o) => o.kind === 'PodDisruptionBudget')!;
    pdb.spec.selector.matchLabels = { id: 'a b' };
    expect(validateKubernetesObject(cron).map((p) => p.path)).toEqual(['/spec/jobTemplate/metadata/labels/id', '/spec/jobTemplate/spec/template/metadata/labels/id']);
    expect(validateKubernetesObject(pdb).map((p) => p.path)).toEqual(['/spec/selector/matchLabels/id']);
  });

  it('reports an invalid annotation key', () => {
    const d = deployment();
    d.metadata.annotations = { '/no-prefix': 'x' };
    expect(problemAt(validateKubernetesObject(d), '/metadata/annotations/~1no-prefix').message).toMatch(/^invalid annotation key "\/no-prefix"/);
  });
});

describe('deploy-time tokens', () => {
  it('never reports a value that is an unresolved token', () => {
    const d = deployment();
    d.metadata.name = Token.asString(Lazy.stringValue({ produce: () => 'web' }));
    d.metadata.labels.version = Token.asString(Lazy.stringValue({ produce: () => 'v1' }));
    d.spec.replicas = Token.asNumber(Lazy.numberValue({ produce: () => 3 }));
    d.spec.template.spec.containers[0].imagePullPolicy = Token.asString(Lazy.stringValue({ produce: () => 'Always' }));
    d.spec.template.spec.containers[0].resources.requests.memory = Token.asString(Lazy.stringValue({ produce: () => '1Gi' }));
    d.spec.template.spec.tolerations = Lazy.anyValue({ produce: () => [] });
    expect(validateKubernetesObject(d)).toEqual([]);
  });
});

describe('registry', () => {
  it('reports a kind with no registered schema', () => {
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'web' } };
    expect(isKindRegistered('example.com/v1', 'Widget')).toBe(false);
    expect(validateKubernetesObject(obj)).toEqual([{ path: '', message: 'no schema registered for example.com/v1 Widget', value: 'example.com/v1 Widget' }]);
  });

  it('reports a known kind under an unknown apiVersion', () => {
    const d = { ...deployment(), apiVersion: 'apps/v1beta1' };
    expect(validateKubernetesObject(d)[0].message).toBe('no schema registered for apps/v1beta1 Deployment');
  });

  it('accepts a kind registered as schemaless, still checking its metadata', () => {
    registerSchemalessKind('example.com/v1', 'Widget', 'CRD without published models');
    expect(isKindRegistered('example.com/v1', 'Widget')).toBe(true);
    expect(registeredKinds()).toContainEqual({ apiVersion: 'example.com/v1', kind: 'Widget', schemalessReason: 'CRD without published models' });
    expect(validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec: { anything: 1 } } as Obj)).toEqual([]);
    const bad = validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'W!' } } as Obj);
    expect(bad.map((p) => p.path)).toEqual(['/metadata/name']);
  });

  it('requires a reason for a schemaless kind', () => {
    expect(() => registerSchemalessKind('example.com/v1', 'Gadget', ' ')).toThrow(/needs a reason/);
  });

  it('registers a kind from its model module at run time', () => {
    registerKind({ apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscalerCheckpoint', module: '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscalerCheckpoint' }, { checkUnknownFields: false });
    const ok = { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscalerCheckpoint', metadata: { name: 'c' }, spec: { containerName: 'web' } };
    expect(validateKubernetesObject(ok)).toEqual([]);
    const bad = { ...ok, spec: { containerName: 3 } };
    expect(validateKubernetesObject(bad)).toEqual([{ path: '/spec/containerName', message: 'wrong type: expected string, got number 3', value: 3 }]);
  });

  it('reports a registered kind whose unknown fields cannot be checked, or whose module is missing', () => {
    registerKind({ apiVersion: 'autoscaling.k8s.io/v1beta2', kind: 'VerticalPodAutoscaler', module: '@kubernetes-models/autoscaler/autoscaling.k8s.io/v1beta2/VerticalPodAutoscaler' });
    const vpa = { apiVersion: 'autoscaling.k8s.io/v1beta2', kind: 'VerticalPodAutoscaler', metadata: { name: 'v' }, spec: { targetRef: { kind: 'Deployment', name: 'web' } } };
    expect(validateKubernetesObject(vpa)[0].message).toMatch(/^no known-fields data for autoscaling.k8s.io\/v1beta2 VerticalPodAutoscaler .* run node scripts\/gen-known-fields.js$/);
    registerKind({ apiVersion: 'velero.io/v1', kind: 'Schedule', module: '@kubernetes-models/velero/velero.io/v1/Schedule' });
    expect(validateKubernetesObject({ apiVersion: 'velero.io/v1', kind: 'Schedule', metadata: { name: 's' } } as Obj)[0].message).toMatch(
      /^cannot load schema module @kubernetes-models\/velero\/velero.io\/v1\/Schedule for velero.io\/v1 Schedule/,
    );
  });

  it('rejects objects without apiVersion or kind', () => {
    expect(validateKubernetesObject({ kind: 'Deployment' } as unknown as Obj)).toEqual([{ path: '/apiVersion', message: 'missing required field "apiVersion"', value: undefined }]);
    expect(validateKubernetesObject({ apiVersion: 'v1' } as unknown as Obj)).toEqual([{ path: '/kind', message: 'missing required field "kind"', value: undefined }]);
  });
});

describe('performance', () => {
  // Jest runs code inside a vm context that makes it several times slower than Node itself,
  // so the timing runs in a plain Node process (TypeScript transpiled in memory).
  const child = `
    const ts = require('typescript');
    require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(require('fs').readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText, file);
    const { validateKubernetesObject } = require(process.argv[1]);
    const obj = JSON.parse(process.argv[2]);
    if (validateKubernetesObject(obj).length !== 0) throw new Error('fixture is invalid');
    for (let i = 0; i < 2000; i++) validateKubernetesObject(obj);
    let best = Infinity;
    for (let batch = 0; batch < 5; batch++) {
      const n = 2000, start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) validateKubernetesObject(obj);
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6 / n);
    }
    process.stdout.write(String(best));
  `;

  it('validates a typical Deployment in under 0.1 ms after warm-up (plain Node)', () => {
    const root = path.resolve(__dirname, '..');
    const out = execFileSync(process.execPath, ['-e', child, path.join(root, 'lib/k8s/schema/index.ts'), JSON.stringify(deployment())], { cwd: root, encoding: 'utf8' });
    const perObjectMs = Number(out);
    expect(perObjectMs).toBeGreaterThan(0);
    expect(perObjectMs).toBeLessThan(0.1); // typically 0.01-0.03 ms
  });
});

describe('generated known-fields graph', () => {
  it('is up to date with kinds.ts and the installed kubernetes-models', () => {
    const root = path.resolve(__dirname, '..');
    const out = execFileSync(process.execPath, [path.join(root, 'scripts/gen-known-fields.js'), '--check'], { cwd: root, encoding: 'utf8' });
    expect(out).toMatch(/is up to date/);
  });
});
