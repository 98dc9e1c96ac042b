import { TerraformVariable } from 'cdktf';
import { KubeCronJob, KubeCronJobProps } from '../lib/constructs/kube-cron-job';
import { ValidationError } from '../lib/core/errors';
import { selectorId } from '../lib/core/naming';
import { cronProblem, isTimeZone } from '../lib/k8s/cron-job';
import { NGINX, manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const TASK = { ...NGINX, name: 'task', command: ['sh', '-c', 'echo hi'] };

function cron(props: Partial<KubeCronJobProps> = {}, context?: Parameters<typeof newStack>[0]) {
  const { stack } = newStack(context);
  const c = new KubeCronJob(stack, 'cleanup', { namespace: 'ops', name: 'cleanup', cronSchedule: '0 3 * * *', containers: [TASK], ...props } as KubeCronJobProps);
  const out = synth(stack);
  const obj = manifest(out, 'CronJob');
  return { stack, c, out, obj, job: obj.spec.jobTemplate, pod: obj.spec.jobTemplate.spec.template };
}

function fails(props: Partial<KubeCronJobProps>, field: string): ValidationError {
  const { stack } = newStack();
  const e = errorOf(() => new KubeCronJob(stack, 'cleanup', { namespace: 'ops', name: 'cleanup', cronSchedule: '0 3 * * *', containers: [TASK], ...props } as KubeCronJobProps));
  expect(e.path).toBe('test/cleanup');
  expect(e.field).toBe(field);
  expect(e.fix.length).toBeGreaterThan(10);
  return e;
}

describe('KubeCronJob defaults', () => {
  const { c, out, obj, job, pod } = cron();
  const id = selectorId('CronJob', 'ops', 'cleanup');

  test('emits CronJob, ServiceAccount, Role, RoleBinding, PDB and VPA; no Service', () => {
    expect(out.manifests.map((m) => m.kind).sort()).toEqual(['CronJob', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'ServiceAccount', 'VerticalPodAutoscaler']);
  });

  test('exposes name, namespace, ServiceAccount, selector and labels', () => {
    expect(c.name).toBe('cleanup');
    expect(c.namespaceName).toBe('ops');
    expect(c.serviceAccountName).toBe(`cleanup-${id.slice(0, 8)}`);
    expect(c.matchLabels).toEqual({ id });
    expect(c.labels).toEqual(pod.metadata.labels);
    expect(c.cronJob.object.kind).toBe('CronJob');
  });

  test('CronJob spec: Forbid, 1 failed / 0 successful, 900 s starting deadline, not suspended, no time zone', () => {
    expect(obj.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', failedJobsHistoryLimit: 1, successfulJobsHistoryLimit: 0, startingDeadlineSeconds: 900, suspend: false });
    expect(obj.spec.timeZone).toBeUndefined();
  });

  test('no Reloader annotation; module label', () => {
    expect(obj.metadata.annotations).toBeUndefined();
    expect(obj.metadata.labels['panfactum.com/module']).toBe('kube_cron_job');
  });

  test('Job template: 24 h deadline, backoff 6, 1 x 1, TTL 600, replacement Failed, pod labels', () => {
    const { template, ...spec } = job.spec;
    expect(spec).toEqual({ activeDeadlineSeconds: 86400, backoffLimit: 6, parallelism: 1, completions: 1, ttlSecondsAfterFinished: 600, podReplacementPolicy: 'Failed' });
    expect(job.metadata).toEqual({ labels: pod.metadata.labels });
    expect(job.spec.podFailurePolicy).toBeUndefined();
  });

  test('pod: restart OnFailure, 90 s grace, no anti-affinity or spread, burstable and spot tolerated', () => {
    expect(pod.spec.restartPolicy).toBe('OnFailure');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(90);
    expect(pod.spec.affinity).toBeUndefined();
    expect(pod.spec.topologySpreadConstraints).toBeUndefined();
    expect(pod.spec.tolerations.map((t: any) => t.key)).toEqual(['burstable', 'spot', 'arm64']);
    expect(pod.spec.schedulerName).toBe('panfactum');
    expect(pod.metadata.labels['panfactum.com/prevent-lifetime-eviction']).toBe('false');
  });

  test('PDB maxUnavailable 0 (runs are not disrupted) with AlwaysAllow', () => {
    expect(manifest(out, 'PodDisruptionBudget').spec).toEqual({ selector: { matchLabels: { id } }, maxUnavailable: 0, unhealthyPodEvictionPolicy: 'AlwaysAllow' });
  });

  test('VPA: Initial mode targeting the CronJob, no eviction requirements', () => {
    const vpa = manifest(out, 'VerticalPodAutoscaler');
    expect(vpa.spec.targetRef).toEqual({ apiVersion: 'batch/v1', kind: 'CronJob', name: 'cleanup' });
    expect(vpa.spec.updatePolicy).toEqual({ updateMode: 'Initial' });
    expect(vpa.spec.resourcePolicy.containerPolicies).toEqual([{ containerName: 'task', minAllowed: { memory: '100Mi', cpu: '10m' } }]);
  });

  test('the CronJob is applied after its ServiceAccount and PDB', () => {
    const deps = manifestResource(out, 'CronJob').depends_on.join(' ');
    expect(deps).toMatch(/ServiceAccount/);
    expect(deps).toMatch(/PodDisruptionBudget/);
  });
});

describe('KubeCronJob props', () => {
  test('every batch setting reaches the CronJob', () => {
    const { obj, job, pod, out } = cron({
      cronSchedule: '*/15 9-17 * JAN-MAR,OCT mon-fri',
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      failedJobsHistoryLimit: 3,
      successfulJobsHistoryLimit: 2,
      suspend: true,
      startingDeadlineSeconds: 60,
      activeDeadlineSeconds: 3600,
      backoffLimit: 0,
      ttlSecondsAfterFinished: 0,
      podReplacementPolicy: 'TerminatingOrFailed',
      podParallelism: 2,
      podCompletions: 4,
      restartPolicy: 'Never',
      jobAnnotations: { 'example.com/kind': 'cleanup' },
      disruptionsEnabled: true,
      extraLabels: { team: 'ops' },
      extraAnnotations: { 'example.com/owner': 'ops' },
    });
    expect(obj.spec).toMatchObject({ schedule: '*/15 9-17 * JAN-MAR,OCT mon-fri', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Replace', failedJobsHistoryLimit: 3, successfulJobsHistoryLimit: 2, suspend: true, startingDeadlineSeconds: 60 });
    expect(job.spec).toMatchObject({ activeDeadlineSeconds: 3600, backoffLimit: 0, ttlSecondsAfterFinished: 0, podReplacementPolicy: 'TerminatingOrFailed', parallelism: 2, completions: 4 });
    expect(job.metadata.annotations).toEqual({ 'example.com/kind': 'cleanup' });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(obj.metadata.labels.team).toBe('ops');
    expect(obj.metadata.annotations).toEqual({ 'example.com/owner': 'ops' });
    expect(manifest(out, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  test('macros are accepted', () => {
    expect(cron({ cronSchedule: '@hourly' }).obj.spec.schedule).toBe('@hourly');
  });

  test('vpaEnabled false: no VPA; anti-affinity can be turned on', () => {
    const { out, pod } = cron({ vpaEnabled: false, hostAntiAffinityRequired: true });
    expect(out.manifests.some((m) => m.kind === 'VerticalPodAutoscaler')).toBe(false);
    expect(pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey).toBe('kubernetes.io/hostname');
  });

  test('commonSecrets use a typed Secret', () => {
    const { stack } = newStack();
    const secret = new TerraformVariable(stack, 'secret', { type: 'string', sensitive: true }).stringValue;
    new KubeCronJob(stack, 'c', { namespace: 'ops', name: 'c', cronSchedule: '@daily', containers: [TASK], commonSecrets: { TOKEN: secret } });
    expect(Object.keys(synth(stack).json.resource.kubernetes_secret_v1)).toHaveLength(1);
  });
});

describe('KubeCronJob errors', () => {
  test.each<[string, Partial<KubeCronJobProps>, string]>([
    ['schedule missing', { cronSchedule: undefined as any }, 'cronSchedule'],
    ['schedule 6 fields', { cronSchedule: '0 0 3 * * *' }, 'cronSchedule'],
    ['schedule 4 fields', { cronSchedule: '0 3 * *' }, 'cronSchedule'],
    ['minute 60', { cronSchedule: '60 * * * *' }, 'cronSchedule'],
    ['hour 24', { cronSchedule: '0 24 * * *' }, 'cronSchedule'],
    ['day of month 0', { cronSchedule: '0 0 0 * *' }, 'cronSchedule'],
    ['day of month 32', { cronSchedule: '0 0 32 * *' }, 'cronSchedule'],
    ['month 13', { cronSchedule: '0 0 1 13 *' }, 'cronSchedule'],
    ['month name', { cronSchedule: '0 0 1 JANUARY *' }, 'cronSchedule'],
    ['day of week 7', { cronSchedule: '0 0 * * 7' }, 'cronSchedule'],
    ['day name', { cronSchedule: '0 0 * * FUN' }, 'cronSchedule'],
    ['step 0', { cronSchedule: '*/0 * * * *' }, 'cronSchedule'],
    ['step not a number', { cronSchedule: '*/x * * * *' }, 'cronSchedule'],
    ['two slashes', { cronSchedule: '*/2/3 * * * *' }, 'cronSchedule'],
    ['reversed range', { cronSchedule: '0 17-9 * * *' }, 'cronSchedule'],
    ['empty list element', { cronSchedule: '0 1,,2 * * *' }, 'cronSchedule'],
    ['? in minute', { cronSchedule: '? * * * *' }, 'cronSchedule'],
    ['range of three', { cronSchedule: '0 1-2-3 * * *' }, 'cronSchedule'],
    ['unknown macro', { cronSchedule: '@often' }, 'cronSchedule'],
    ['TZ in schedule', { cronSchedule: 'TZ=UTC 0 3 * * *' }, 'cronSchedule'],
    ['time zone', { timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['time zone offset', { timeZone: '+02:00' }, 'timeZone'],
    ['concurrencyPolicy', { concurrencyPolicy: 'forbid' as any }, 'concurrencyPolicy'],
    ['failedJobsHistoryLimit', { failedJobsHistoryLimit: -1 }, 'failedJobsHistoryLimit'],
    ['successfulJobsHistoryLimit', { successfulJobsHistoryLimit: 1.5 }, 'successfulJobsHistoryLimit'],
    ['startingDeadlineSeconds', { startingDeadlineSeconds: 5 }, 'startingDeadlineSeconds'],
    ['backoffLimit', { backoffLimit: -1 }, 'backoffLimit'],
    ['podReplacementPolicy', { podReplacementPolicy: 'Always' as any }, 'podReplacementPolicy'],
    ['restartPolicy', { restartPolicy: 'Always' as any }, 'restartPolicy'],
    ['podParallelism', { podParallelism: 0 }, 'podParallelism'],
    ['podCompletions', { podCompletions: 0 }, 'podCompletions'],
    ['activeDeadlineSeconds', { activeDeadlineSeconds: 0 }, 'activeDeadlineSeconds'],
    ['ttlSecondsAfterFinished', { ttlSecondsAfterFinished: -1 }, 'ttlSecondsAfterFinished'],
    ['jobAnnotations', { jobAnnotations: { 'bad key!': 'x' } }, 'jobAnnotations["bad key!"]'],
    ['container ports', { containers: [{ ...TASK, ports: { http: { port: 80 } } }] }, 'containers[0].ports'],
    ['container probe', { containers: [{ ...TASK, livenessProbeType: 'exec', livenessProbeCommand: ['true'] }] }, 'containers[0].livenessProbeType'],
    ['name', { name: 'Cleanup' }, 'name'],
  ])('%s', (_label, props, field) => {
    fails(props, field);
  });

  test('the schedule error says which field is wrong', () => {
    expect(fails({ cronSchedule: '0 25 * * *' }, 'cronSchedule').message).toMatch(/hour field "25": 25 is out of range \(allowed: 0-23\)/);
    expect(fails({ cronSchedule: 'TZ=UTC 0 3 * * *' }, 'cronSchedule').fix).toMatch(/timeZone/);
  });
});

describe('cron model', () => {
  test.each(['* * * * *', '0 0 1 1 0', '59 23 31 12 6', '0,30 */2 1-15/2 feb-nov/3 SUN-SAT', '5/10 * ? * ?', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@HOURLY', ' 0 3 * * * '])('valid: %s', (expr) => {
    expect(cronProblem(expr)).toBeUndefined();
  });

  test('time zones: IANA names and aliases, nothing else', () => {
    for (const tz of ['UTC', 'Etc/UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'US/Eastern', 'Etc/GMT+5']) expect(isTimeZone(tz)).toBe(true);
    for (const tz of ['', 'Berlin', 'Europe/Nowhere', 'UTC+1', '../etc']) expect(isTimeZone(tz)).toBe(false);
  });
});

describe('KubeCronJob tokens', () => {
  test('token schedule, time zone and numbers pass through', () => {
    const { stack } = newStack();
    const schedule = new TerraformVariable(stack, 'schedule', { type: 'string' }).stringValue;
    const tz = new TerraformVariable(stack, 'tz', { type: 'string' }).stringValue;
    const backoff = new TerraformVariable(stack, 'backoff', { type: 'number' }).numberValue;
    expect(() => new KubeCronJob(stack, 'c', { namespace: 'ops', name: 'c', cronSchedule: schedule, timeZone: tz, backoffLimit: backoff, containers: [TASK] })).not.toThrow();
    const obj = manifest(synth(stack), 'CronJob');
    expect(obj.spec.schedule).toBe('${var.schedule}');
    expect(obj.spec.timeZone).toBe('${var.tz}');
    expect(obj.spec.jobTemplate.spec.backoffLimit).toBe('${var.backoff}');
  });
});
