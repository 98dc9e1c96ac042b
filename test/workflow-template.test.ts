import { TerraformVariable } from 'cdktf';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeNodeImageCache } from '../lib/constructs/kube-node-image-cache';
import { KubeWorkflowTemplate, KubeWorkflowTemplateProps } from '../lib/constructs/kube-workflow-template';
import { selectorId } from '../lib/core/naming';
import { registeredKinds } from '../lib/k8s/schema';
import { NGINX, manifest, newStack, synth } from './support/synth';
import { addClusterExtrasExamples } from '../stacks/example-cluster-extras';
import { errorOf } from './support/errors';

const JOB = { ...NGINX, name: 'main', command: ['sh', '-c', 'echo {{inputs.parameters.msg}}'] };
const BASE: KubeWorkflowTemplateProps = {
  namespace: 'web',
  name: 'report',
  templates: [{ name: 'main', containers: [{ ...NGINX, name: 'main' }] }],
};

function build(props: Partial<KubeWorkflowTemplateProps> = {}) {
  const { stack } = newStack();
  const wf = new KubeWorkflowTemplate(stack, 'wf', { ...BASE, ...props } as KubeWorkflowTemplateProps);
  const out = synth(stack);
  return { stack, wf, out, spec: manifest(out, 'WorkflowTemplate').spec, obj: manifest(out, 'WorkflowTemplate') };
}

describe('KubeWorkflowTemplate defaults', () => {
  const { wf, out, spec, obj } = build();
  const id = selectorId('WorkflowTemplate', 'web', 'report');

  test('emits the WorkflowTemplate, ServiceAccount, Role and RoleBinding; the kind is schemaless with a reason', () => {
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['Role', 'RoleBinding', 'ServiceAccount', 'WorkflowTemplate']);
    expect(obj.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(obj.metadata).toMatchObject({ name: 'report', namespace: 'web' });
    expect(obj.metadata.labels['panfactum.com/module']).toBe('wf_spec');
    expect(registeredKinds().find((k) => k.kind === 'WorkflowTemplate')).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', schemalessReason: expect.stringContaining('Argo') });
  });

  test('workflow-level defaults: entrypoint, deadline, pod GC, TTL, ServiceAccount', () => {
    expect(spec.entrypoint).toBe('main');
    expect(spec.activeDeadlineSeconds).toBe(86400);
    expect(spec.podGC).toEqual({ strategy: 'OnPodSuccess' });
    expect(spec.ttlStrategy).toEqual({ secondsAfterSuccess: 600, secondsAfterFailure: 86400 });
    expect(spec.serviceAccountName).toBe(`report-${id.slice(0, 8)}`);
    expect(wf.serviceAccountName).toBe(spec.serviceAccountName);
    expect(spec.arguments).toBeUndefined();
    expect(spec.parallelism).toBeUndefined();
  });

  test('the Role lets the pods read pods and write Argo task results', () => {
    expect(manifest(out, 'Role').rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] },
    ]);
    expect(manifest(out, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: wf.serviceAccountName, namespace: 'web' }]);
  });

  test('the container comes from the pod model: security context, resources, default env, mounts', () => {
    const c = spec.templates[0].container;
    expect(c.securityContext).toEqual({
      runAsUser: 1000,
      runAsGroup: 1000,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.resources.requests).toEqual({ cpu: '10m', memory: '100Mi', 'ephemeral-storage': '100Mi' });
    expect(c.env.map((e: any) => e.name)).toContain('POD_NAME');
    expect(c.volumeMounts).toEqual([{ name: 'podinfo', mountPath: '/etc/podinfo' }]);
    expect(spec.volumes[0].name).toBe('podinfo');
  });

  test('a Deployment with the same container gets the same container spec', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'dep', { namespace: 'web', name: 'report', containers: [{ ...NGINX, name: 'main' }] });
    const dep = manifest(synth(stack), 'Deployment').spec.template.spec.containers[0];
    const wfc = spec.templates[0].container;
    expect(wfc.securityContext).toEqual(dep.securityContext);
    expect(wfc.resources).toEqual(dep.resources);
    expect(wfc.image).toEqual(dep.image);
  });

  test('scheduling: workflow defaults (burstable and spot, no host anti-affinity, no lifetime eviction), Panfactum scheduler', () => {
    expect(spec.schedulerName).toBe('panfactum');
    expect(spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64']);
    expect(spec.affinity).toBeUndefined();
    expect(spec.podMetadata.labels).toMatchObject({ id, 'panfactum.com/prevent-lifetime-eviction': 'true', 'panfactum.com/burstable-enabled': 'true' });
    expect(spec.podMetadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(spec.securityContext).toEqual({ fsGroup: 1000, fsGroupChangePolicy: 'OnRootMismatch' });
    expect(spec.dnsPolicy).toBe('ClusterFirst');
    expect(JSON.parse(spec.podSpecPatch)).toEqual({ terminationGracePeriodSeconds: 90 });
  });

  test('each container template retries 3 times with backoff', () => {
    expect(spec.templates[0].retryStrategy).toEqual({ limit: 3, retryPolicy: 'Always', backoff: { duration: '10s', factor: 2 } });
    expect(spec.templates[0].activeDeadlineSeconds).toBeUndefined();
  });
});

describe('KubeWorkflowTemplate props', () => {
  test('DAG with parameters, inputs, init containers and per-template settings', () => {
    const { spec } = build({
      entrypoint: 'pipeline',
      arguments: [{ name: 'date', default: 'today', enum: ['today', 'yesterday'], description: 'Day to report' }, { name: 'bucket' }],
      activeDeadlineSeconds: 3600,
      retryLimit: 1,
      parallelism: 2,
      podGc: { strategy: 'OnPodCompletion', deleteDelayDuration: '30s' },
      ttlStrategy: { secondsAfterSuccess: 60, secondsAfterFailure: 120 },
      commonEnv: { LOG_LEVEL: 'info' },
      templates: [
        {
          name: 'pipeline',
          dag: [
            { name: 'extract', template: 'echo', arguments: { msg: 'extract' } },
            { name: 'load', template: 'echo', dependencies: ['extract'], when: '{{workflow.parameters.date}} == today' },
          ],
        },
        {
          name: 'echo',
          inputs: [{ name: 'msg', default: 'hello' }],
          activeDeadlineSeconds: 600,
          retryLimit: 5,
          containers: [{ ...NGINX, name: 'setup', init: true }, JOB],
        },
      ],
    });
    expect(spec.entrypoint).toBe('pipeline');
    expect(spec.arguments).toEqual({ parameters: [{ name: 'date', value: 'today', enum: ['today', 'yesterday'], description: 'Day to report' }, { name: 'bucket' }] });
    expect(spec.activeDeadlineSeconds).toBe(3600);
    expect(spec.parallelism).toBe(2);
    expect(spec.podGC).toEqual({ strategy: 'OnPodCompletion', deleteDelayDuration: '30s' });
    expect(spec.ttlStrategy).toEqual({ secondsAfterSuccess: 60, secondsAfterFailure: 120 });
    const [dag, echo] = spec.templates;
    expect(dag).toEqual({
      name: 'pipeline',
      dag: {
        tasks: [
          { name: 'extract', template: 'echo', arguments: { parameters: [{ name: 'msg', value: 'extract' }] } },
          { name: 'load', template: 'echo', dependencies: ['extract'], when: '{{workflow.parameters.date}} == today' },
        ],
      },
    });
    expect(echo.inputs).toEqual({ parameters: [{ name: 'msg', default: 'hello' }] });
    expect(echo.activeDeadlineSeconds).toBe(600);
    expect(echo.retryStrategy.limit).toBe(5);
    expect(echo.container.name).toBe('main');
    expect(echo.container.command).toEqual(['sh', '-c', 'echo {{inputs.parameters.msg}}']);
    expect(echo.container.env).toContainEqual({ name: 'LOG_LEVEL', value: 'info' });
    expect(echo.initContainers.map((c: any) => c.name)).toEqual(['setup']);
  });

  test('steps templates and several container templates share one pod model', () => {
    const { spec } = build({
      templates: [
        { name: 'main', steps: [[{ name: 'a', template: 'first' }], [{ name: 'b', template: 'second' }, { name: 'c', template: 'first' }]] },
        { name: 'first', containers: [{ ...NGINX, name: 'one' }] },
        { name: 'second', containers: [{ ...NGINX, name: 'two', minimumMemory: 256, runAsRoot: true }] },
      ],
    });
    expect(spec.templates[0].steps).toEqual([[{ name: 'a', template: 'first' }], [{ name: 'b', template: 'second' }, { name: 'c', template: 'first' }]]);
    expect(spec.templates[1].container.name).toBe('one');
    expect(spec.templates[2].container.resources.requests.memory).toBe('256Mi');
    expect(spec.templates[2].container.securityContext.runAsUser).toBe(0);
  });

  test('scheduling props, tmp directories, secrets and priority class reach the spec', () => {
    const { out, spec } = build({
      hostAntiAffinityRequired: true,
      azSpreadRequired: true,
      controllerNodesRequired: true,
      priorityClassName: 'workload-important',
      terminationGracePeriodSeconds: 30,
      tmpDirectories: { scratch: { mountPath: '/tmp', nodeLocal: true } },
      commonSecrets: { TOKEN: 'abc' },
    });
    expect(spec.affinity.podAntiAffinity).toBeDefined();
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toContainEqual({ key: 'panfactum.com/class', operator: 'In', values: ['controller'] });
    expect(spec.podPriorityClassName).toBe('workload-important');
    const patch = JSON.parse(spec.podSpecPatch);
    expect(patch.terminationGracePeriodSeconds).toBe(30);
    expect(patch.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
    expect(spec.volumes.map((v: any) => v.name)).toEqual(['scratch', 'podinfo']);
    expect(spec.templates[0].container.env).toContainEqual({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: spec.serviceAccountName, key: 'TOKEN', optional: false } } });
    expect(out.json.resource.kubernetes_secret_v1).toBeDefined();
  });

  test('defaultPermissionsEnabled false still grants Argo task results', () => {
    const { out } = build({ defaultPermissionsEnabled: false });
    expect(manifest(out, 'Role').rules).toEqual([{ apiGroups: ['argoproj.io'], resources: ['workflowtaskresults'], verbs: ['create', 'patch'] }]);
    expect(manifest(out, 'RoleBinding').roleRef.name).toBe(manifest(out, 'ServiceAccount').metadata.name);
  });

  test('labels, annotations, KubeNamespace dependency', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    new KubeWorkflowTemplate(stack, 'wf', { ...BASE, namespace: ns, extraLabels: { team: 'data' }, extraAnnotations: { 'example.com/owner': 'data' } });
    const out = synth(stack);
    const obj = manifest(out, 'WorkflowTemplate');
    expect(obj.metadata.labels.team).toBe('data');
    expect(obj.metadata.annotations).toEqual({ 'example.com/owner': 'data' });
    const r = Object.values(out.manifestResources).find((x: any) => x.manifest.kind === 'WorkflowTemplate') as any;
    expect(r.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/ns_Namespace/)]));
  });

  test('container images join the stack node image cache', () => {
    const { stack } = newStack();
    const cache = new KubeNodeImageCache(stack, 'cache');
    new KubeWorkflowTemplate(stack, 'wf', {
      ...BASE,
      templates: [
        { name: 'main', steps: [[{ name: 'a', template: 'a' }, { name: 'b', template: 'b' }]] },
        { name: 'a', containers: [{ ...NGINX, name: 'one' }] },
        { name: 'b', containers: [{ ...NGINX, name: 'two', imageRepository: 'library/redis', imageTag: '7.2', imagePinEnabled: false }] },
      ],
    });
    expect(cache.pinnedImages).toEqual(['docker.io/library/nginx:1.27.1']);
    expect(cache.prepulledImages).toEqual(['docker.io/library/redis:7.2']);
  });

  test('token values do not throw', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' });
    const deadline = new TerraformVariable(stack, 'deadline', { type: 'number' });
    new KubeWorkflowTemplate(stack, 'wf', { ...BASE, activeDeadlineSeconds: deadline.numberValue, templates: [{ name: 'main', containers: [{ ...NGINX, imageTag: tag.stringValue }] }] });
    const spec = manifest(synth(stack), 'WorkflowTemplate').spec;
    expect(spec.templates[0].container.image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
    expect(spec.activeDeadlineSeconds).toBe('${var.deadline}');
  });
});

describe('KubeWorkflowTemplate errors', () => {
  const c = (name = 'main') => ({ ...NGINX, name });
  test.each<[string, Partial<KubeWorkflowTemplateProps>, string]>([
    ['no templates', { templates: [] }, 'templates'],
    ['bad template name', { templates: [{ name: 'a_b', containers: [c()] }] }, 'templates[0].name'],
    ['duplicate template', { templates: [{ name: 'a', containers: [c()] }, { name: 'a', containers: [c()] }] }, 'templates[1].name'],
    ['template does nothing', { templates: [{ name: 'a' }] }, 'templates[0]'],
    ['mixed template', { templates: [{ name: 'a', containers: [c()], steps: [[{ name: 's', template: 'a' }]] }] }, 'templates[0]'],
    ['two regular containers', { templates: [{ name: 'a', containers: [c('x'), c('y')] }] }, 'templates[0].containers'],
    ['only init containers', { templates: [{ name: 'a', containers: [{ ...c(), init: true }] }] }, 'templates[0].containers'],
    ['bad container in second template', { templates: [{ name: 'a', containers: [c()] }, { name: 'b', containers: [{ ...c(), imageTag: 'a b' }] }] }, 'templates[1].containers[0].imageTag'],
    ['bad container in first template', { templates: [{ name: 'a', containers: [{ ...c(), minimumMemory: 0 }] }] }, 'templates[0].containers[0].minimumMemory'],
    ['pod-level prop keeps its own name', { commonEnv: { 'BAD NAME': 'x' } }, 'commonEnv["BAD NAME"]'],
    ['no container template', { templates: [{ name: 'a', steps: [[{ name: 's', template: 'b' }]] }, { name: 'b', steps: [[{ name: 's', template: 'a' }]] }] }, 'templates'],
    ['unknown entrypoint', { entrypoint: 'nope' }, 'entrypoint'],
    ['unknown task template', { templates: [{ name: 'd', dag: [{ name: 't', template: 'nope' }] }, { name: 'main', containers: [c()] }] }, 'templates[0].dag[0].template'],
    ['recursive template', { templates: [{ name: 'd', dag: [{ name: 't', template: 'd' }] }, { name: 'main', containers: [c()] }] }, 'templates[0].dag[0].template'],
    ['duplicate task', { templates: [{ name: 'd', dag: [{ name: 't', template: 'main' }, { name: 't', template: 'main' }] }, { name: 'main', containers: [c()] }] }, 'templates[0].dag[1].name'],
    ['unknown dependency', { templates: [{ name: 'd', dag: [{ name: 't', template: 'main', dependencies: ['x'] }] }, { name: 'main', containers: [c()] }] }, 'templates[0].dag[0].dependencies[0]'],
    [
      'dependency cycle',
      { templates: [{ name: 'd', dag: [{ name: 'a', template: 'main', dependencies: ['b'] }, { name: 'b', template: 'main', dependencies: ['a'] }] }, { name: 'main', containers: [c()] }] },
      'templates[0].dag',
    ],
    ['empty steps group', { templates: [{ name: 's', steps: [[]] }, { name: 'main', containers: [c()] }] }, 'templates[0].steps[0]'],
    ['unknown step template', { templates: [{ name: 's', steps: [[{ name: 'x', template: 'nope' }]] }, { name: 'main', containers: [c()] }] }, 'templates[0].steps[0][0].template'],
    ['unknown argument', { templates: [{ name: 's', steps: [[{ name: 'x', template: 'main', arguments: { nope: '1' } }]] }, { name: 'main', containers: [c()] }] }, 'templates[0].steps[0][0].arguments.nope'],
    ['missing required input', { templates: [{ name: 's', dag: [{ name: 'x', template: 'main' }] }, { name: 'main', inputs: [{ name: 'msg' }], containers: [c()] }] }, 'templates[0].dag[0].arguments'],
    ['bad parameter name', { arguments: [{ name: 'a b' }] }, 'arguments[0].name'],
    ['duplicate parameter', { arguments: [{ name: 'a' }, { name: 'a' }] }, 'arguments[1].name'],
    ['default outside enum', { arguments: [{ name: 'a', default: 'x', enum: ['y'] }] }, 'arguments[0].default'],
    ['deadline on a dag', { templates: [{ name: 'd', activeDeadlineSeconds: 5, dag: [{ name: 't', template: 'main' }] }, { name: 'main', containers: [c()] }] }, 'templates[0].activeDeadlineSeconds'],
    ['retries on steps', { templates: [{ name: 's', retryLimit: 1, steps: [[{ name: 't', template: 'main' }]] }, { name: 'main', containers: [c()] }] }, 'templates[0].retryLimit'],
    ['bad deadline', { activeDeadlineSeconds: 0 }, 'activeDeadlineSeconds'],
    ['bad retry limit', { retryLimit: -1 }, 'retryLimit'],
    ['bad parallelism', { parallelism: 0 }, 'parallelism'],
    ['bad pod GC strategy', { podGc: { strategy: 'Never' as 'OnPodSuccess' } }, 'podGc.strategy'],
    ['bad pod GC delay', { podGc: { deleteDelayDuration: '5 minutes' } }, 'podGc.deleteDelayDuration'],
    ['bad TTL', { ttlStrategy: { secondsAfterSuccess: -1 } }, 'ttlStrategy.secondsAfterSuccess'],
    ['name too long', { name: 'a'.repeat(53) }, 'name'],
  ])('%s', (_name, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeWorkflowTemplate(stack, 'wf', { ...BASE, ...props } as KubeWorkflowTemplateProps));
    expect(e.path).toBe('test/wf');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});

test('the pods are schema-checked at synth although the WorkflowTemplate kind is schemaless', () => {
  const { stack } = newStack();
  // A wrong type in the props is refused at construction by the props type check ...
  expect(errorOf(() => new KubeWorkflowTemplate(stack, 'bad', { ...BASE, templates: [{ name: 'main', containers: [{ ...NGINX, args: [42 as unknown as string] }] }] })).field)
    .toBe('templates[0].containers[0].args[0]');
  // ... and what reaches the pods otherwise (an edit of the emitted object) is checked at synth.
  const wf = new KubeWorkflowTemplate(stack, 'wf', { ...BASE, templates: [{ name: 'main', containers: [{ ...NGINX, args: ['a'] }] }] });
  (wf.workflowTemplate.object as any).spec.templates[0].container.args.push(42);
  const e = errorOf(() => synth(stack));
  expect(e.path).toBe('test/wf');
  expect(e.field).toBe('templates[0].pod.spec.containers[0].args[1]');
});

describe('example', () => {
  test('addClusterExtrasExamples synthesizes with every object schema-checked', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'example', networkPolicy: { allowIngressController: {} } });
    addClusterExtrasExamples(stack, ns);
    const out = synth(stack);
    const kinds = new Set(out.manifests.map((m) => m.kind));
    for (const k of ['WorkflowTemplate', 'ImageCache', 'NetworkPolicy']) expect(kinds.has(k)).toBe(true);
  });
});
