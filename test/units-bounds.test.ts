/**
 * Issue 19, deliverable 4: plausible upper bounds on size, CPU and count props, with messages that
 * name the unit mistake. The bounds come from AWS: the largest EC2 instances have 32 TiB of memory
 * (u7in-32tb.224xlarge, u7inh-32tb.480xlarge) and 1,920 vCPUs (u7inh-32tb.480xlarge); the largest EBS
 * volume is 64 TiB (65,536 GiB for gp3 and io2, EC2 CreateVolume). Tokens are never rejected.
 */
import { TerraformStack, TerraformVariable } from 'cdktf';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeDescheduler } from '../lib/constructs/kube-descheduler';
import { KubeJob } from '../lib/constructs/kube-job';
import { KubeStatefulSet, KubeStatefulSetProps } from '../lib/constructs/kube-stateful-set';
import { MAX_EBS_VOLUME_GB, MAX_NODE_CPU_MILLICORES, MAX_NODE_MEMORY_MB, describeMb } from '../lib/core/units';
import { ContainerProps } from '../lib/k8s/container';
import { errorOf } from './support/errors';
import { NGINX, newStack } from './support/synth';

const deploy = (container: Partial<ContainerProps> = {}, props: Partial<KubeDeploymentProps> = {}, stack: TerraformStack = newStack().stack) =>
  new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ ...NGINX, ...container }], ...props });
const statefulSet = (volume: object, stack: TerraformStack = newStack().stack) =>
  new KubeStatefulSet(stack, 'db', { namespace: 'data', name: 'db', containers: [NGINX], volumeMounts: { data: { mountPath: '/data', ...volume } } } as KubeStatefulSetProps);

describe('the bounds are real AWS limits', () => {
  test('32 TiB of memory, 1,920 vCPUs, 64 TiB EBS volumes', () => {
    expect(describeMb(MAX_NODE_MEMORY_MB)).toBe('32 TiB');
    expect(MAX_NODE_CPU_MILLICORES / 1000).toBe(1920);
    expect(describeMb(MAX_EBS_VOLUME_GB * 1024)).toBe('64 TiB');
    expect(describeMb(268435456)).toBe('256 TiB');
    expect(describeMb(512)).toBe('512 MiB');
  });
});

describe('memory in MB', () => {
  test('268435456 (bytes by mistake) is refused: it is 256 TiB, and the message says minimumMemory is in MB', () => {
    const e = errorOf(() => deploy({ minimumMemory: 268435456 }));
    expect(e.field).toBe('containers[0].minimumMemory');
    expect(e.message).toContain('268435456 MB is 256 TiB');
    expect(e.message).toContain('minimumMemory is in MB: did you pass bytes');
    expect(e.message).toContain('268435456 bytes is 256 MB');
    expect(e.message).toMatch(/largest EC2 instance/);
  });

  test.each<[string, Partial<ContainerProps>, Partial<KubeDeploymentProps>, string]>([
    ['maximumMemory', { maximumMemory: 64 * 2 ** 30 }, {}, 'containers[0].maximumMemory'],
    ['a scratch directory (an EBS volume: 64 TiB)', {}, { tmpDirectories: { cache: { mountPath: '/cache', sizeMb: 2 ** 40 } } }, 'tmpDirectories.cache.sizeMb'],
    ['the Linkerd proxy memory request', {}, { linkerdProxyMemoryRequest: 2 ** 30 }, 'linkerdProxyMemoryRequest'],
    ['the Linkerd proxy memory limit', {}, { linkerdProxyMemoryLimit: 2 ** 30 }, 'linkerdProxyMemoryLimit'],
  ])('%s has the same kind of bound', (_what, container, props, field) => {
    const e = errorOf(() => deploy(container, props));
    expect(e.field).toBe(field);
    expect(e.fix).toMatch(/is in MB: did you pass bytes/);
  });

  test('the largest instance\'s memory itself is accepted', () => {
    expect(() => deploy({ minimumMemory: MAX_NODE_MEMORY_MB, maximumMemory: MAX_NODE_MEMORY_MB })).not.toThrow();
  });
});

describe('CPU in millicores', () => {
  test('4000000 is refused: 4,000 CPUs, more than any EC2 instance', () => {
    const e = errorOf(() => deploy({ minimumCpu: 4_000_000 }));
    expect(e.field).toBe('containers[0].minimumCpu');
    expect(e.message).toContain('4000000 millicores is 4,000 CPUs');
    expect(e.message).toContain('minimumCpu is in millicores (1000 = 1 CPU)');
    expect(e.message).toMatch(/1,920 vCPUs/);
  });

  test('maximumCpu and the Linkerd proxy CPU request have the same bound; 1,920 CPUs is accepted', () => {
    expect(errorOf(() => deploy({ maximumCpu: 5_000_000 })).field).toBe('containers[0].maximumCpu');
    expect(errorOf(() => deploy({}, { linkerdProxyCpuRequest: 5_000_000 })).field).toBe('linkerdProxyCpuRequest');
    expect(() => deploy({ minimumCpu: MAX_NODE_CPU_MILLICORES })).not.toThrow();
  });
});

describe('storage in GB', () => {
  test('initialSizeGb 20480 (MB by mistake) is refused: its default autoresize ceiling (10 x) passes the largest EBS volume', () => {
    const e = errorOf(() => statefulSet({ initialSizeGb: 20480 }));
    expect(e.field).toBe('volumeMounts.data.initialSizeGb');
    expect(e.message).toContain('20480 GB is 20 TiB');
    expect(e.message).toContain('200 TiB');
    expect(e.message).toContain('initialSizeGb is in GB: did you pass MB? (20480 MB is 20 GB)');
  });

  test('a volume above 64 TiB is refused for each size prop', () => {
    for (const [volume, field] of [
      [{ initialSizeGb: 70000, sizeLimitGb: 70000 }, 'volumeMounts.data.initialSizeGb'],
      [{ sizeLimitGb: 100000 }, 'volumeMounts.data.sizeLimitGb'],
      [{ increaseGb: 70000 }, 'volumeMounts.data.increaseGb'],
    ] as const) {
      const e = errorOf(() => statefulSet(volume));
      expect(e.field).toBe(field);
      expect(e.message).toMatch(/largest EBS volume \(64 TiB for gp3 and io2\)/);
      expect(e.fix).toMatch(/is in GB: did you pass MB\?/);
    }
  });

  test('a 64 TiB volume is accepted (with a ceiling that fits), and so is 6553 GB with its default ceiling', () => {
    expect(() => statefulSet({ initialSizeGb: MAX_EBS_VOLUME_GB, sizeLimitGb: MAX_EBS_VOLUME_GB })).not.toThrow();
    expect(() => statefulSet({ initialSizeGb: 6553 })).not.toThrow();
  });
});

describe('counts', () => {
  test('replicas, backoffLimit and the descheduler\'s counts have upper bounds', () => {
    expect(errorOf(() => deploy({}, { replicas: 1_000_000 })).field).toBe('replicas');
    const { stack } = newStack();
    expect(errorOf(() => new KubeJob(stack, 'job', { namespace: 'ops', name: 'job', containers: [{ ...NGINX, command: ['true'] }], backoffLimit: 2 ** 31 - 1 })).field).toBe('backoffLimit');
    expect(errorOf(() => new KubeDescheduler(stack, 'd1', { maxEvictions: 10_000_000 })).field).toBe('maxEvictions');
    expect(errorOf(() => new KubeDescheduler(stack, 'd2', { podRestartThreshold: 1_000_000 })).field).toBe('podRestartThreshold');
  });
});

describe('tokens are never rejected', () => {
  test('deploy-time sizes, CPU and counts pass through', () => {
    const { stack } = newStack();
    const n = (name: string) => new TerraformVariable(stack, name, { type: 'number' }).numberValue;
    expect(() => deploy({ minimumMemory: n('mem'), maximumMemory: n('maxmem'), minimumCpu: n('cpu'), maximumCpu: n('maxcpu') },
      { tmpDirectories: { cache: { mountPath: '/cache', sizeMb: n('tmp') } }, linkerdProxyMemoryRequest: n('lmem'), linkerdProxyCpuRequest: n('lcpu'), replicas: n('replicas') }, stack)).not.toThrow();
    expect(() => statefulSet({ initialSizeGb: n('size'), increaseGb: n('inc') }, stack)).not.toThrow();
    expect(() => new KubeJob(stack, 'job', { namespace: 'ops', name: 'job', containers: [{ ...NGINX, command: ['true'] }], backoffLimit: n('backoff') })).not.toThrow();
  });
});
