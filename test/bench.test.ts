import { App, TerraformStack } from 'cdktf';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { withoutTokenTraces } from '../lib/constructs/kube-manifest';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { Summary, evaluateTargets, median, niceStep, renderChart, resultsTable, summarize, table, targetsTable } from '../bench/report';
import type { WorkerResult } from '../bench/workers/common';

function result(impl: string, n: number, synthCpuMs: number, extra: Partial<WorkerResult> = {}): WorkerResult {
  return { impl, n, importMs: 100, importCpuMs: 90, constructMs: 1, synthOnlyMs: 1, synthMs: synthCpuMs, synthCpuMs, objects: n * 8, kinds: {}, peakRssMb: 100, liveHeapMb: 50, notes: [], ...extra };
}

function summary(impl: Summary['impl'], n: number, usPerObject: number, extra: Partial<Summary> = {}): Summary {
  return { impl, n, objects: n * 8, importMs: 200, synthMs: 1, synthCpuMs: (usPerObject * n * 8) / 1000, usPerObject, peakRssMb: 100, liveHeapMb: 50, reps: 1, ...extra };
}

describe('bench report helpers', () => {
  test('median of odd, even and empty lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  test('summarize keeps the lowest-CPU repetition, the median import and the highest RSS', () => {
    const s = summarize([
      result('ours', 10, 50, { importMs: 300, peakRssMb: 120 }),
      result('ours', 10, 40, { importMs: 100, peakRssMb: 110 }),
      result('ours', 100, 400, { importMs: 200 }),
    ]);
    expect(s).toHaveLength(2);
    expect(s[0]).toMatchObject({ impl: 'ours', n: 10, synthCpuMs: 40, importMs: 200, peakRssMb: 120, reps: 2, usPerObject: 500 });
    expect(s[1]).toMatchObject({ n: 100, reps: 1 });
  });

  test('targets: all met', () => {
    const t = evaluateTargets([
      summary('ours', 100, 100, { importMs: 250 }),
      summary('cdk8s-plus', 100, 120),
      summary('raw', 100, 80),
      summary('ours', 1000, 105, { peakRssMb: 390 }),
      summary('cdk8s-plus', 1000, 120),
      summary('raw', 1000, 80),
    ], { typecheckMs: 9_000, npmTestMs: 45_000, npmTestPassed: true });
    expect(t.filter((x) => !x.met)).toEqual([]);
    expect(targetsTable(t)).not.toMatch(/MISSED|SKIPPED/);
    expect(t.map((x) => x.name)).toContain('synth linear in N (cost N=1000 / N=100)');
  });

  test('targets: each limit can be missed, and missing data is a miss', () => {
    const t = evaluateTargets([
      summary('ours', 100, 100, { importMs: 301 }),
      summary('cdk8s-plus', 100, 99),
      summary('raw', 100, 66),
      summary('ours', 1000, 120, { peakRssMb: 401 }),
      summary('raw', 1000, 100),
    ]);
    const status = Object.fromEntries(t.map((x) => [x.name, x.met]));
    expect(status).toEqual({
      'cold import of the package root': false,
      'time/object vs cdk8s-plus, N=100': false,
      'time/object vs raw CDKTF, N=100': false,
      'time/object vs cdk8s-plus, N=1000': false, // no cdk8s-plus data
      'time/object vs raw CDKTF, N=1000': true,
      'synth linear in N (cost N=1000 / N=100)': false, // 12x
      'peak RSS, 3 x 1000 workloads': false,
      'type-check (tsc --noEmit, cold)': false, // not run
      'npm test (cold caches)': false,
    });
    expect(targetsTable(t)).toMatch(/MISSED/);
    expect(targetsTable(t)).toMatch(/type-check \(tsc --noEmit, cold\) *\| <= 15 s *\| *not run *\| SKIPPED/);
    expect(t.find((x) => x.name.includes('cdk8s-plus, N=1000'))?.measured).toBe('n/ax');
  });

  test('test-loop targets: slow or failing runs are misses', () => {
    const base = [summary('ours', 100, 100), summary('raw', 100, 80), summary('cdk8s-plus', 100, 120)];
    const loop = (typecheckMs: number, npmTestMs: number, npmTestPassed = true) =>
      Object.fromEntries(evaluateTargets(base, { typecheckMs, npmTestMs, npmTestPassed }).filter((x) => /type-check|npm test/.test(x.name)).map((x) => [x.name, [x.met, x.measured]]));
    expect(loop(15_000, 60_000)).toEqual({ 'type-check (tsc --noEmit, cold)': [true, '15.0 s'], 'npm test (cold caches)': [true, '60.0 s'] });
    expect(loop(15_001, 60_001)).toEqual({ 'type-check (tsc --noEmit, cold)': [false, '15.0 s'], 'npm test (cold caches)': [false, '60.0 s'] });
    expect(loop(5_000, 30_000, false)['npm test (cold caches)']).toEqual([false, '30.0 s (FAILED)']);
  });

  test('tables are aligned Markdown', () => {
    const text = table(['a', 'bb'], [['1', '22'], ['333', '4']]);
    const lines = text.split('\n');
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[1]).toMatch(/^\|-+\|-+\|$/);
    const r = resultsTable([summary('ours', 10, 100), summary('cdk8s-plus', 10, 50), summary('raw', 10, 80)]);
    expect(r).toMatch(/cdktf-golden-path .*2\.00x .*1\.25x/);
  });

  test('niceStep picks 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(0.3)).toBe(0.5);
    expect(niceStep(130)).toBe(200);
    expect(niceStep(400)).toBe(500);
    expect(niceStep(0)).toBe(1);
  });

  test('chart: one polyline per implementation with a point per N, escaped text', () => {
    const svg = renderChart([summary('ours', 10, 300), summary('ours', 100, 200), summary('ours', 1000, 210), summary('raw', 10, 250), summary('raw', 100, 180)], 'a < b');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<circle/g)).toHaveLength(5);
    expect(svg).toContain('a &lt; b');
    expect(svg).not.toContain('NaN');
    expect(renderChart([summary('ours', 10, 300)])).toEqual(renderChart([summary('ours', 10, 300)]));
  });
});

describe('withoutTokenTraces (KubeManifest emission)', () => {
  test('tokens created inside carry no creation trace; outside they still do', () => {
    const stack = new TerraformStack(new App(), 's');
    const inside = withoutTokenTraces(() => new Manifest(stack, 'a', { manifest: { kind: 'ConfigMap' } }));
    const outside = new Manifest(stack, 'b', { manifest: { kind: 'ConfigMap' } });
    expect((inside.fieldManager as unknown as { creationStack: string[] }).creationStack).toEqual([]);
    expect((outside.fieldManager as unknown as { creationStack: string[] }).creationStack.length).toBeGreaterThan(0);
  });

  test('a real Error thrown inside keeps its message and stack; the formatter is restored', () => {
    const before = Error.prepareStackTrace;
    let caught: Error | undefined;
    try {
      withoutTokenTraces(() => {
        throw new Error('boom');
      });
    } catch (e) {
      caught = e as Error;
    }
    expect(caught?.stack).toMatch(/^Error: boom\n\s+at /);
    expect(Error.prepareStackTrace).toBe(before);
  });

  test('a previous formatter still formats real errors inside', () => {
    const before = Error.prepareStackTrace;
    Error.prepareStackTrace = (err) => `custom: ${(err as Error).message}`;
    try {
      const stack = withoutTokenTraces(() => new Error('x').stack);
      expect(stack).toBe('custom: x');
    } finally {
      Error.prepareStackTrace = before;
    }
  });

  test('KubeManifest output is unchanged: the object is read at synth, edits land', () => {
    const app = new App();
    const stack = new TerraformStack(app, 's');
    const m = new KubeManifest(stack, 'cm', { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } } as never });
    (m.object as unknown as { data: Record<string, string> }).data = { k: 'v' };
    const json = JSON.parse(JSON.stringify((stack as unknown as { toTerraform(): unknown }).toTerraform()));
    const r = Object.values(json.resource.kubernetes_manifest)[0] as { manifest: unknown };
    expect(r.manifest).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' }, data: { k: 'v' } });
  });

  test('a dependency keeps its logical id open for overrideLogicalId until synth', () => {
    const stack = new TerraformStack(new App(), 's');
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'n' } }) as never;
    const first = new KubeManifest(stack, 'first', { object: cm('a') });
    new KubeManifest(stack, 'second', { object: cm('b'), dependsOn: [first.resource] });
    expect(() => first.resource.overrideLogicalId('renamed')).not.toThrow();
    const json = JSON.parse(JSON.stringify((stack as unknown as { toTerraform(): unknown }).toTerraform()));
    const second = Object.entries(json.resource.kubernetes_manifest).find(([k]) => k !== 'renamed')?.[1] as { depends_on: string[] };
    expect(second.depends_on).toEqual(['kubernetes_manifest.renamed']);
  });
});
