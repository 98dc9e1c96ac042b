import { TerraformVariable } from 'cdktf';
import { KubePriorityClasses, KubePriorityClassesProps } from '../lib/constructs/kube-priority-classes';
import { MAX_USER_PRIORITY, PriorityClassNames } from '../lib/k8s/priority-class';
import { manifest, manifestResource, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

function classes(props?: KubePriorityClassesProps) {
  const { stack } = newStack();
  const c = new KubePriorityClasses(stack, 'priorities', props);
  const out = synth(stack);
  return { c, out };
}

describe('KubePriorityClasses defaults (seed 000)', () => {
  const { c, out } = classes();

  test('creates exactly cluster-important and workload-important', () => {
    expect(out.manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['PriorityClass/cluster-important', 'PriorityClass/workload-important']);
    expect(c.priorityClassNames).toEqual(['cluster-important', 'workload-important']);
    expect(Object.keys(c.priorityClasses)).toEqual(['cluster-important', 'workload-important']);
  });

  test('cluster-important: 100000000, preempts lower, not the global default', () => {
    expect(manifest(out, 'PriorityClass', 'cluster-important')).toEqual({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: 'cluster-important', labels: { 'panfactum.com/module': 'kube_priority_classes', 'app.kubernetes.io/managed-by': 'cdktf-golden-path' } },
      value: 100000000,
      preemptionPolicy: 'PreemptLowerPriority',
      description: 'Losing this pod would leave the cluster in a degraded state; some functionality would be lost.',
    });
  });

  test('workload-important: 10000000', () => {
    const w = manifest(out, 'PriorityClass', 'workload-important');
    expect(w.value).toBe(10000000);
    expect(w.description).toMatch(/degraded state/);
    expect(w.metadata).not.toHaveProperty('namespace');
  });

  test('names are exported for priorityClassName', () => {
    expect(PriorityClassNames).toEqual({ clusterImportant: 'cluster-important', workloadImportant: 'workload-important' });
  });

  test('server-side apply through kubernetes_manifest', () => {
    expect(manifestResource(out, 'PriorityClass', 'cluster-important').field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
  });
});

describe('KubePriorityClasses props', () => {
  test('more classes with every field', () => {
    const { out } = classes({
      priorityClasses: {
        'batch-low': { value: -10, preemptionPolicy: 'Never', description: 'Batch jobs that may wait.' },
        'app-default': { value: 1000, globalDefault: true },
      },
    });
    expect(out.manifests.map((m) => m.metadata.name).sort()).toEqual(['app-default', 'batch-low', 'cluster-important', 'workload-important']);
    expect(manifest(out, 'PriorityClass', 'batch-low')).toMatchObject({ value: -10, preemptionPolicy: 'Never', description: 'Batch jobs that may wait.' });
    // Not the global default: written by leaving globalDefault out (the API server does not store false).
    expect(manifest(out, 'PriorityClass', 'batch-low')).not.toHaveProperty('globalDefault');
    const d = manifest(out, 'PriorityClass', 'app-default');
    expect(d).toMatchObject({ value: 1000, globalDefault: true, preemptionPolicy: 'PreemptLowerPriority' });
    expect(d).not.toHaveProperty('description');
  });

  test('the highest user value, 999999999, is accepted', () => {
    const { out } = classes({ priorityClasses: { top: { value: MAX_USER_PRIORITY } } });
    expect(manifest(out, 'PriorityClass', 'top').value).toBe(999999999);
  });

  test('panfactumClassesEnabled false: only the given classes, which may then reuse the names', () => {
    const { out } = classes({ panfactumClassesEnabled: false, priorityClasses: { 'cluster-important': { value: 5 } } });
    expect(out.manifests.map((m) => m.metadata.name)).toEqual(['cluster-important']);
    expect(manifest(out, 'PriorityClass').value).toBe(5);
  });

  test('a token value does not throw', () => {
    const { stack } = newStack();
    const value = new TerraformVariable(stack, 'value', { type: 'number' }).numberValue;
    new KubePriorityClasses(stack, 'p', { priorityClasses: { custom: { value } } });
    expect(manifest(synth(stack), 'PriorityClass', 'custom').value).toBe('${var.value}');
  });

  test.each<[string, KubePriorityClassesProps, string]>([
    ['value 1000000000 (reserved for system classes)', { priorityClasses: { huge: { value: 1_000_000_000 } } }, 'priorityClasses.huge.value'],
    ['value 2000001000', { priorityClasses: { huge: { value: 2_000_001_000 } } }, 'priorityClasses.huge.value'],
    ['value fractional', { priorityClasses: { odd: { value: 1.5 } } }, 'priorityClasses.odd.value'],
    ['system- name', { priorityClasses: { 'system-mine': { value: 10 } } }, 'priorityClasses["system-mine"]'],
    ['invalid name', { priorityClasses: { 'Not Valid': { value: 10 } } }, 'priorityClasses["Not Valid"]'],
    ['preemptionPolicy invalid', { priorityClasses: { a: { value: 1, preemptionPolicy: 'Always' as 'Never' } } }, 'priorityClasses.a.preemptionPolicy'],
    ['two global defaults', { priorityClasses: { a: { value: 1, globalDefault: true }, b: { value: 2, globalDefault: true } } }, 'priorityClasses.globalDefault'],
    ['redefines a Panfactum class', { priorityClasses: { 'workload-important': { value: 5 } } }, 'priorityClasses["workload-important"]'],
  ])('%s', (_, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubePriorityClasses(stack, 'priorities', props));
    expect(e.path).toBe('test/priorities');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });
});
