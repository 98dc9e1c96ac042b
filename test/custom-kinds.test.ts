import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { buildCorpusApp } from './corpus';
import { buildStacks } from '../stacks/app';
import { CHART_CRDS, CUSTOM_KINDS, CustomKindName, customKindApiVersion, customKindCrdName, findCustomKind } from '../lib/k8s/custom-kinds';
import { BUILT_IN_API_GROUPS } from '../lib/app/requirements';
import { EXTERNAL_SECRET_API_VERSION } from '../lib/k8s/config';
import { IMAGE_CACHE_API_VERSION, IMAGE_CACHE_KIND } from '../lib/k8s/image-cache';
import { WORKFLOW_TEMPLATE_API_VERSION, WORKFLOW_TEMPLATE_KIND } from '../lib/k8s/workflow-spec';
import { isKindRegistered } from '../lib/k8s/schema';
import { crdSources } from './e2e/crds';
import { VELERO_CHART_REPOSITORY } from '../lib/constructs/kube-velero';
import { EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY } from '../lib/constructs/kube-external-snapshotter';
import { NODE_IMAGE_CACHE_CHART_REPOSITORY } from '../lib/constructs/kube-node-image-cache-controller';

/**
 * The table of custom kinds (lib/k8s/custom-kinds.ts) is complete and agrees with what the
 * library emits: every custom kind of every corpus and example stack is in it, with the version
 * emitted; every entry is emitted somewhere; the defaults are versions the upstream release serves.
 */
const KINDS = Object.keys(CUSTOM_KINDS) as CustomKindName[];

const emitted = new Map<string, Set<string>>(); // `<apiVersion> <kind>` -> stacks
const releases: Array<{ chart: string; repository: string }> = [];

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-kinds-'));
  const app = new App({ outdir });
  buildCorpusApp(app);
  buildStacks(app, { only: ['development'], audit: false });
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  for (const [name, s] of Object.entries<any>(manifest.stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8'));
    for (const r of Object.values<any>(json.resource?.kubernetes_manifest ?? {})) {
      const key = `${r.manifest.apiVersion} ${r.manifest.kind}`;
      emitted.set(key, new Set([...(emitted.get(key) ?? []), name]));
    }
    for (const r of Object.values<any>(json.resource?.helm_release ?? {})) releases.push({ chart: r.chart, repository: r.repository });
  }
});

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

describe('the custom kinds table', () => {
  test('every custom kind a corpus or example stack emits is in the table, with the version emitted', () => {
    const custom = [...emitted.keys()].filter((k) => !BUILT_IN_API_GROUPS.has(groupOf(k.split(' ')[0])));
    expect(custom.length).toBeGreaterThanOrEqual(8);
    const problems = custom.filter((k) => {
      const [apiVersion, kind] = k.split(' ');
      const entry = findCustomKind(groupOf(apiVersion), kind);
      return !entry || `${entry.group}/${entry.version}` !== apiVersion;
    });
    expect(problems).toEqual([]);
  });

  test('every entry is emitted by some stack (no stale entry), as customKindApiVersion says', () => {
    expect(KINDS.filter((k) => !emitted.has(`${customKindApiVersion(k)} ${k}`))).toEqual([]);
  });

  test('the built-in groups hold no custom kind', () => {
    expect(KINDS.filter((k) => BUILT_IN_API_GROUPS.has(CUSTOM_KINDS[k].group))).toEqual([]);
  });

  test('each default version is served by the upstream release checked, and is its storage version', () => {
    for (const k of KINDS) {
      const e = CUSTOM_KINDS[k];
      const v = e.upstream.versions.find((x) => x.name === e.version);
      expect([k, v?.served, v?.storage]).toEqual([k, true, true]);
      expect(e.upstream.versions.filter((x) => x.storage)).toHaveLength(1);
      expect([k, /^\d{4}-\d{2}-\d{2}$/.test(e.upstream.checked), /^\d{4}-\d{2}-\d{2}$/.test(e.upstream.releaseDate)]).toEqual([k, true, true]);
      expect(customKindCrdName(k)).toBe(`${e.plural}.${e.group}`);
    }
  });

  test('the builders\' own constants agree with the table', () => {
    expect(EXTERNAL_SECRET_API_VERSION).toBe(customKindApiVersion('ExternalSecret'));
    expect([IMAGE_CACHE_API_VERSION, IMAGE_CACHE_KIND]).toEqual([customKindApiVersion('ImageCache'), 'ImageCache']);
    expect([WORKFLOW_TEMPLATE_API_VERSION, WORKFLOW_TEMPLATE_KIND]).toEqual([customKindApiVersion('WorkflowTemplate'), 'WorkflowTemplate']);
  });

  test('KubeManifest validates every custom kind in its default version', () => {
    expect(KINDS.filter((k) => !isKindRegistered(customKindApiVersion(k), k))).toEqual([]);
  });

  test('the e2e tier installs a CRD for every custom kind, in the version emitted', () => {
    const sources = crdSources().map((s) => `${s.group}/${s.version} ${s.kind}`).sort();
    expect(sources).toEqual(KINDS.map((k) => `${customKindApiVersion(k)} ${k}`).sort());
  });

  test('the charts known to bring CRDs are the ones the constructs install, and bring the kinds emitted next to them', () => {
    expect(CHART_CRDS.map((c) => [c.chart, c.repository])).toEqual([
      ['velero', VELERO_CHART_REPOSITORY],
      ['snapshot-controller', EXTERNAL_SNAPSHOTTER_CHART_REPOSITORY],
      ['kube-fledged', NODE_IMAGE_CACHE_CHART_REPOSITORY],
    ]);
    for (const c of CHART_CRDS) expect([c.chart, releases.some((r) => r.chart === c.chart && r.repository === c.repository)]).toEqual([c.chart, true]);
    const brought = new Set(CHART_CRDS.flatMap((c) => c.crds));
    expect(['Schedule', 'VolumeSnapshotClass', 'ImageCache'].filter((k) => !brought.has(customKindCrdName(k as CustomKindName)))).toEqual([]);
  });
});

describe('customKindApiVersion', () => {
  test('the default, or the override (a version, or the whole apiVersion of the same group)', () => {
    expect(customKindApiVersion('ExternalSecret')).toBe('external-secrets.io/v1');
    expect(customKindApiVersion('ExternalSecret', { ExternalSecret: 'v1beta1' })).toBe('external-secrets.io/v1beta1');
    expect(customKindApiVersion('ExternalSecret', { ExternalSecret: 'external-secrets.io/v1beta1' })).toBe('external-secrets.io/v1beta1');
    expect(customKindApiVersion('ScaledObject', { ExternalSecret: 'v1beta1' })).toBe('keda.sh/v1alpha1');
    expect(customKindApiVersion('VerticalPodAutoscaler')).toBe('autoscaling.k8s.io/v1');
  });

  test('refuses another group, a version that is no Kubernetes version, and an unknown kind', () => {
    expect(() => customKindApiVersion('ExternalSecret', { ExternalSecret: 'keda.sh/v1' })).toThrow(/cannot be "keda.sh\/v1".*external-secrets\.io/);
    expect(() => customKindApiVersion('ExternalSecret', { ExternalSecret: 'v1.0' })).toThrow(/cannot be/);
    expect(() => customKindApiVersion('ExternalSecret', { ExternalSecret: '' })).toThrow(/cannot be/);
    expect(() => customKindApiVersion('Deployment' as CustomKindName)).toThrow(/not a custom kind/);
    expect(() => customKindApiVersion('toString' as CustomKindName)).toThrow(/not a custom kind/);
  });
});
