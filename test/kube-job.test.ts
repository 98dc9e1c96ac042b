import { TerraformVariable } from 'cdktf';
import { KubeJob, KubeJobProps } from '../lib/constructs/kube-job';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { ValidationError } from '../lib/core/errors';
import { selectorId } from '../lib/core/naming';
import { addWorkloadExamples } from '../stacks/example-workloads';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const MIGRATE = { ...NGINX, name: 'migrate', command: ['./migrate', 'up'] };

function job(props: Partial<KubeJobProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const j = new KubeJob(stack, 'migrate', { namespace: 'web', name: 'db-migrate', containers: [MIGRATE], ...props } as KubeJobProps);
  const out = synth(stack);
  const obj = manifest(out, 'Job');
  return { stack, j, out, obj, pod: obj.spec.template, resource: manifestResource(out, 'Job') };
}

function fails(props: Partial<KubeJobProps>, field: string): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeJob(stack, 'migrate', { namespace: 'web', name: 'db-migrate', containers: [MIGRATE], ...props } as KubeJobProps));
  expect(e.path).toBe('test/migrate');
  expect(e.field).toBe(field);
  expect(e.fix.length).toBeGreaterThan(10);
  return e;
}

describe('KubeJob defaults', () => {
  const { j, out, obj, pod, resource } = job();
  const id = selectorId('Job', 'web', 'db-migrate');

  test('emits Job, ServiceAccount, Role, RoleBinding, PDB and VPA, plus the replace trigger', () => {
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['Job', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'ServiceAccount', 'VerticalPodAutoscaler']);
    expect(Object.keys(out.json.resource.terraform_data)).toHaveLength(1);
  });

  test('exposes name, namespace, ServiceAccount, selector and labels', () => {
    expect(j.name).toBe('db-migrate');
    expect(j.namespaceName).toBe('web');
    expect(j.serviceAccountName).toBe(`db-migrate-${id.slice(0, 8)}`);
    expect(j.matchLabels).toEqual({ id });
    expect(j.labels).toEqual(pod.metadata.labels);
    expect(j.job.object.kind).toBe('Job');
  });

  test('Job spec: backoff 1, 24 h deadline, TTL 600, 1 x 1, Ignore-on-DisruptionTarget first', () => {
    const { template, ...spec } = obj.spec;
    expect(spec).toEqual({
      activeDeadlineSeconds: 86400,
      backoffLimit: 1,
      parallelism: 1,
      completions: 1,
      ttlSecondsAfterFinished: 600,
      podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
    });
    expect(obj.metadata.annotations).toBeUndefined();
    expect(obj.metadata.labels['panfactum.com/module']).toBe('kube_job');
  });

  test('pod: restart Never, 90 s grace, no anti-affinity or spread', () => {
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
    expect(pod.spec.affinity).toBeUndefined();
    expect(pod.spec.topologySpreadConstraints).toBeUndefined();
  });

  test('waits for status.succeeded = 1 with a 10m timeout', () => {
    expect(resource.wait).toEqual({ fields: { 'status.succeeded': '1' } });
    expect(resource.timeouts).toEqual({ create: '10m', update: '10m' });
  });

  test('replaced on any change: replace_triggered_by a terraform_data holding the whole Job', () => {
    const [triggerId, trigger] = Object.entries<any>(out.json.resource.terraform_data)[0];
    // Terraform's JSON syntax takes a bare reference here; "${...}" is refused at init.
    expect(resource.lifecycle).toEqual({ replace_triggered_by: [`terraform_data.${triggerId}`] });
    expect(trigger.triggers_replace).toEqual({ job: obj });
  });

  test('the replace trigger escapes literal ${ like the manifest (terraform validate refused "Invalid reference")', () => {
    const { out: escaped } = job({ containers: [{ ...MIGRATE, command: ['sh', '-c', 'echo ${USER} %{x}'] }] });
    const trigger: any = Object.values(escaped.json.resource.terraform_data)[0];
    expect(trigger.triggers_replace.job.spec.template.spec.containers[0].command[2]).toBe('echo $${USER} %%{x}');
    expect(manifest(escaped, 'Job').spec.template.spec.containers[0].command[2]).toBe('echo $${USER} %%{x}');
  });

  test('computed_fields keep the provider defaults and add the pod template labels the API server sets (e2e apply)', () => {
    expect(resource.computed_fields).toEqual(['metadata.labels', 'metadata.annotations', 'spec.template.metadata.labels']);
  });

  test('the Job is applied after its PDB and ServiceAccount', () => {
    const deps = resource.depends_on.join(' ');
    expect(deps).toMatch(/PodDisruptionBudget/);
    expect(deps).toMatch(/ServiceAccount/);
  });

  test('PDB maxUnavailable 0 AlwaysAllow; VPA Initial targeting kind Job (not CronJob)', () => {
    expect(manifest(out, 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { id } }, maxUnavailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'batch/v1', kind: 'Job', name: 'db-migrate' });
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Initial' });
  });
});

describe('KubeJob props', () => {
  test('batch settings, extra rules, labels and annotations', () => {
    const { obj, out } = job({
      backoffLimit: 3,
      activeDeadlineSeconds: 600,
      ttlSecondsAfterFinished: 86400,
      podParallelism: 2,
      podCompletions: 2,
      disruptionsEnabled: true,
      extraLabels: { team: 'web' },
      extraAnnotations: { 'example.com/owner': 'web' },
      extraPodFailurePolicyRules: [
        { action: 'FailJob', onExitCodes: { containerName: 'migrate', values: [42, 43] } },
        { onExitCodes: { operator: 'NotIn', values: [0, 1] } },
        { action: 'Count', onPodConditions: [{ type: 'ConfigIssue' }] },
      ],
    });
    expect(obj.spec).toMatchObject({ backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 86400, parallelism: 2, completions: 2 });
    expect(obj.spec.podFailurePolicy.rules).toEqual([
      { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
      { action: 'FailJob', onExitCodes: { containerName: 'migrate', operator: 'In', values: [42, 43] } },
      { action: 'Ignore', onExitCodes: { operator: 'NotIn', values: [0, 1] } },
      { action: 'Count', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
    ]);
    expect(obj.metadata.labels.team).toBe('web');
    expect(obj.metadata.annotations).toEqual({ 'example.com/owner': 'web' });
    expect(manifest(out, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('waitForSuccess waits for podCompletions, with a custom timeout', () => {
    expect(job({ podCompletions: 3, waitForSuccessTimeout: '30m' }).resource).toMatchObject({ wait: { fields: { 'status.succeeded': '3' } }, timeouts: { create: '30m', update: '30m' } });
  });

  test('waitForSuccess false: no wait, no timeouts', () => {
    const { resource } = job({ waitForSuccess: false });
    expect(resource.wait).toBeUndefined();
    expect(resource.timeouts).toBeUndefined();
  });

  test('vpaEnabled false: no VPA', () => {
    expect(job({ vpaEnabled: false }).out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
  });

  test('the example workloads synthesize (StatefulSet, CronJob, migration Job)', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'web' });
    const examples = addWorkloadExamples(stack, ns);
    const out = synth(stack);
    expect(manifest(out, 'StatefulSet', 'redis').spec.volumeClaimTemplates).toHaveLength(1);
    expect(examples.redis.volumeClaimTemplatesHash).toBe('6aa010b8576b');
    expect(manifest(out, 'CronJob', 'nightly-cleanup').spec.schedule).toBe('30 3 * * *');
    expect(manifest(out, 'Job', 'db-migrate').spec.template.spec.containers[0].env).toContainEqual({ name: 'REDIS_HOST', value: 'redis.web.svc.cluster.local' });
    expect(manifestResource(out, 'Job').depends_on.join(' ')).toMatch(/ns_Namespace/);
    expect(examples.migration.job.resource.terraformResourceType).toBe('kubernetes_manifest');
  });
});

describe('KubeJob errors', () => {
  test.each<[string, Partial<KubeJobProps>, string]>([
    ['backoffLimit', { backoffLimit: -1 }, 'backoffLimit'],
    ['activeDeadlineSeconds', { activeDeadlineSeconds: 1.5 }, 'activeDeadlineSeconds'],
    ['ttlSecondsAfterFinished', { ttlSecondsAfterFinished: -5 }, 'ttlSecondsAfterFinished'],
    ['podParallelism', { podParallelism: 0 }, 'podParallelism'],
    ['podCompletions', { podCompletions: -1 }, 'podCompletions'],
    ['rule action', { extraPodFailurePolicyRules: [{ action: 'Retry' as any, onExitCodes: { values: [1] } }] }, 'extraPodFailurePolicyRules[0].action'],
    ['rule FailIndex', { extraPodFailurePolicyRules: [{ action: 'FailIndex' as any, onExitCodes: { values: [1] } }] }, 'extraPodFailurePolicyRules[0].action'],
    ['rule with no match', { extraPodFailurePolicyRules: [{ action: 'FailJob' }] }, 'extraPodFailurePolicyRules[0]'],
    ['rule with both matches', { extraPodFailurePolicyRules: [{ onExitCodes: { values: [1] }, onPodConditions: [{ type: 'X' }] }] }, 'extraPodFailurePolicyRules[0]'],
    ['rule conditions empty', { extraPodFailurePolicyRules: [{ onPodConditions: [] }] }, 'extraPodFailurePolicyRules[0].onPodConditions'],
    ['rule condition type', { extraPodFailurePolicyRules: [{ onPodConditions: [{ type: '' }] }] }, 'extraPodFailurePolicyRules[0].onPodConditions[0].type'],
    ['rule operator', { extraPodFailurePolicyRules: [{ onExitCodes: { operator: 'in' as any, values: [1] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.operator'],
    ['rule values empty', { extraPodFailurePolicyRules: [{ onExitCodes: { values: [] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.values'],
    ['rule value range', { extraPodFailurePolicyRules: [{ onExitCodes: { values: [256] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.values[0]'],
    ['rule In 0', { extraPodFailurePolicyRules: [{ onExitCodes: { values: [0, 1] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.values'],
    ['rule duplicates', { extraPodFailurePolicyRules: [{ onExitCodes: { values: [1, 1] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.values'],
    ['rule container', { extraPodFailurePolicyRules: [{ onExitCodes: { containerName: 'other', values: [1] } }] }, 'extraPodFailurePolicyRules[0].onExitCodes.containerName'],
    ['waitForSuccessTimeout format', { waitForSuccessTimeout: 'ten minutes' }, 'waitForSuccessTimeout'],
    ['waitForSuccessTimeout without wait', { waitForSuccess: false, waitForSuccessTimeout: '10m' }, 'waitForSuccessTimeout'],
    ['container ports', { containers: [{ ...MIGRATE, ports: { http: { port: 80 } } }] }, 'containers[0].ports'],
    ['container readiness probe', { containers: [{ ...MIGRATE, readinessProbeType: 'TCP', readinessProbePort: 80 }] }, 'containers[0].readinessProbeType'],
    ['no containers', { containers: [] }, 'containers'],
    ['namespace', { namespace: 'Web' }, 'namespace'],
  ])('%s', (_label, props, field) => {
    fails(props, field);
  });
});

describe('KubeJob tokens', () => {
  test('a token image tag and token numbers pass through; the trigger holds the token so a new value replaces the Job', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue;
    const code = new TerraformVariable(stack, 'code', { type: 'number' }).numberValue;
    const completions = new TerraformVariable(stack, 'completions', { type: 'number' }).numberValue;
    expect(
      () =>
        new KubeJob(stack, 'm', {
          namespace: 'web',
          name: 'm',
          podCompletions: completions,
          containers: [{ ...MIGRATE, imageTag: tag }],
          extraPodFailurePolicyRules: [{ onExitCodes: { values: [code] } }],
        }),
    ).not.toThrow();
    const out = synth(stack);
    const obj = manifest(out, 'Job');
    expect(obj.spec.template.spec.containers[0].image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
    expect(obj.spec.podFailurePolicy.rules[1].onExitCodes.values).toEqual(['${var.code}']);
    expect(manifestResource(out, 'Job').wait).toEqual({ fields: { 'status.succeeded': '${var.completions}' } });
    const trigger: any = Object.values(out.json.resource.terraform_data)[0];
    expect(trigger.triggers_replace.job.spec.template.spec.containers[0].image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
  });
});
