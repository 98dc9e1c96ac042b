import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubePriorityClasses } from '../lib/constructs/kube-priority-classes';
import { EnvironmentContext } from '../lib/core/context';
import { buildStacks } from '../stacks/app';
import {
  REQUIREMENTS_FILE, StackRequirements, formatSummary, stackRequirements, summarizeSynth, synthRequirements, writeSynthRequirements,
} from '../lib';
import { NODE_IMAGE_CACHE_CHART_REPOSITORY } from '../lib/constructs/kube-node-image-cache-controller';

/**
 * What a stack needs from its cluster (issue 15, deliverable 4), read from synthesized stacks:
 * the custom kinds of its kubernetes_manifest objects, the Helm releases it installs and the CRDs
 * they bring, across the stacks of an app.
 */

const kinds = (r: StackRequirements) => r.crds.map((c) => `${c.apiVersion} ${c.kind}`);

describe('stackRequirements', () => {
  /** A stack with two custom kinds, built-in kinds and a dependency. */
  function shop() {
    const app = Testing.app();
    const base = new TerraformStack(app, 'base');
    const stack = new TerraformStack(app, 'shop');
    stack.addDependency(base);
    new KubernetesProvider(stack, 'kubernetes', {});
    EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 3 });
    const meta = (name: string) => ({ name, namespace: 'web' });
    new KubeManifest(stack, 'cert', { object: { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: meta('web'), spec: { secretName: 'web-tls', dnsNames: ['web.example.com'], issuerRef: { name: 'public', kind: 'ClusterIssuer' } } } as any });
    new KubeManifest(stack, 'vpa-a', { object: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: meta('a'), spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'a' } } } as any });
    new KubeManifest(stack, 'vpa-b', { object: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: meta('b'), spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'b' } } } as any });
    new KubeManifest(stack, 'config', { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings'), data: { a: 'b' } } as any });
    return stack;
  }

  test('lists the custom kinds of the kubernetes_manifest objects, with the CRD names and the objects; built-in kinds need none', () => {
    const stack = shop();
    const r = stackRequirements(stack);
    expect(r.stack).toBe('shop');
    expect(r.dependencies).toEqual(['base']);
    expect(kinds(r)).toEqual(['autoscaling.k8s.io/v1 VerticalPodAutoscaler', 'cert-manager.io/v1 Certificate']);
    expect(r.crds.map((c) => c.crd)).toEqual(['verticalpodautoscalers.autoscaling.k8s.io', 'certificates.cert-manager.io']);
    expect(r.crds[0].resources).toHaveLength(2);
    expect(r.crds[0].resources.every((a) => /^kubernetes_manifest\.vpa-[ab]_/.test(a))).toBe(true);
    expect(r.helmReleases).toEqual([]);
    // Read from the objects: the Certificate's ClusterIssuer.
    expect(r.capabilities).toEqual(['clusterIssuer:public']);
    // The same from the synthesized JSON.
    const json = JSON.parse(Testing.synth(stack));
    const fromJson = stackRequirements(json, { name: 'shop' });
    expect(fromJson.crds).toEqual(r.crds);
    for (const address of r.crds.flatMap((c) => c.resources)) expect(json.resource.kubernetes_manifest[address.split('.')[1]]).toBeDefined();
  });

  test('records the capabilities given (a list, or per stack) beside those read from the objects, sorted', () => {
    const stack = shop();
    expect(stackRequirements(stack, { capabilities: ['vpa', 'cert-manager'] }).capabilities).toEqual(['cert-manager', 'clusterIssuer:public', 'vpa']);
    expect(stackRequirements(stack, { capabilities: (name) => [`scheduler:${name}`] }).capabilities).toEqual(['clusterIssuer:public', 'scheduler:shop']);
  });

  test('reads what the objects rely on: scheduler, storage, ingress and priority classes, node-class tolerations, Linkerd', () => {
    const app = Testing.app();
    const pf = new TerraformStack(app, 'pf');
    new KubernetesProvider(pf, 'kubernetes', {});
    new KubeDeployment(pf, 'api', { namespace: 'web', name: 'api', containers: [{ name: 'a', imageRegistry: 'docker.io', imageRepository: 'x/y', imageTag: '1' }], tmpDirectories: { t: { mountPath: '/t' } }, priorityClassName: 'workload-important' });
    expect(stackRequirements(pf).capabilities).toEqual([
      'linkerd', 'nodeClass:arm64', 'nodeClass:burstable', 'nodeClass:spot', 'priorityClass:workload-important', 'scheduler:panfactum', 'storageClass:ebs-standard',
    ]);
    const eks = new TerraformStack(app, 'eks');
    new KubernetesProvider(eks, 'kubernetes', {});
    EnvironmentContext.set(eks, { clusterProfile: 'eks' });
    new KubeDeployment(eks, 'api', { namespace: 'web', name: 'api', containers: [{ name: 'a', imageRegistry: 'docker.io', imageRepository: 'x/y', imageTag: '1' }], tmpDirectories: { t: { mountPath: '/t' } } });
    expect(stackRequirements(eks).capabilities).toEqual(['storageClass:gp3']);
    // A PriorityClass the stack (or a stack it depends on) creates is not asked of the cluster.
    const own = new TerraformStack(app, 'own');
    new KubernetesProvider(own, 'kubernetes', {});
    new KubePriorityClasses(own, 'priorities');
    new KubeDeployment(own, 'api', { namespace: 'web', name: 'api', containers: [{ name: 'a', imageRegistry: 'docker.io', imageRepository: 'x/y', imageTag: '1' }], priorityClassName: 'workload-important' });
    const fromOwn = stackRequirements(own);
    expect(fromOwn.capabilities.filter((c) => c.startsWith('priorityClass:'))).toEqual([]);
  });

  test('an unknown custom kind is listed without a CRD name, unless a CRD object of the stack defines it; deploy-time apiVersions are left out', () => {
    const json = {
      resource: {
        kubernetes_manifest: {
          widget: { manifest: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'x' } } },
          gadget: { manifest: { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'x' } } },
          gadgets: { manifest: { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'gadgets.example.com' }, spec: { group: 'example.com', names: { kind: 'Gadget', plural: 'gadgets' } } } },
          dynamic: { manifest: { apiVersion: '${var.api_version}', kind: 'Thing', metadata: { name: 't' } } },
        },
      },
    };
    const r = stackRequirements(json, { name: 'x' });
    expect(r.crds).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Gadget', apiVersion: 'example.com/v1', crd: 'gadgets.example.com', resources: ['kubernetes_manifest.gadget'], installedBy: { stack: 'x', resource: 'kubernetes_manifest.gadgets' } },
      { group: 'example.com', version: 'v1', kind: 'Widget', apiVersion: 'example.com/v1', resources: ['kubernetes_manifest.widget'] },
    ]);
  });
});

describe('the example app (development): requirements across stacks', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'requirements-'));
  const app = new App({ outdir });
  buildStacks(app, { only: ['development'], audit: false });
  app.synth();
  const all = writeSynthRequirements(outdir);
  const byName = new Map(all.map((r) => [r.stack, r]));
  const appStack = byName.get('development-us-east-2-app')!;
  const maintenance = byName.get('development-us-east-2-maintenance')!;

  test('the app stack needs the CRDs of its workloads; kube-fledged\'s ImageCache comes with a chart of the maintenance stack it depends on', () => {
    expect(appStack.dependencies).toEqual(['development-us-east-2-maintenance']);
    expect(kinds(appStack)).toEqual([
      'argoproj.io/v1alpha1 WorkflowTemplate', 'autoscaling.k8s.io/v1 VerticalPodAutoscaler', 'cert-manager.io/v1 Certificate',
      'external-secrets.io/v1 ExternalSecret', 'kubefledged.io/v1alpha2 ImageCache',
    ]);
    const imageCache = appStack.crds.find((c) => c.kind === 'ImageCache')!;
    expect(imageCache.installedBy?.stack).toBe('development-us-east-2-maintenance');
    expect(imageCache.installedBy?.chart).toBe('kube-fledged');
    const release = maintenance.helmReleases.find((h) => h.resource === imageCache.installedBy?.resource)!;
    expect(release).toMatchObject({ chart: 'kube-fledged', repository: NODE_IMAGE_CACHE_CHART_REPOSITORY, crds: ['imagecaches.kubefledged.io'] });
    expect(appStack.crds.filter((c) => c.kind !== 'ImageCache').every((c) => c.installedBy === undefined)).toBe(true);
    expect(appStack.helmReleases).toEqual([]);
  });

  test('the maintenance stack installs six charts; Velero\'s Schedule and the VolumeSnapshotClass come with its own charts', () => {
    expect(maintenance.helmReleases.map((h) => h.chart).sort()).toEqual(['descheduler', 'kube-fledged', 'pvc-autoresizer', 'reloader', 'snapshot-controller', 'velero']);
    expect(kinds(maintenance)).toEqual(['autoscaling.k8s.io/v1 VerticalPodAutoscaler', 'snapshot.storage.k8s.io/v1 VolumeSnapshotClass', 'velero.io/v1 Schedule']);
    const own = maintenance.crds.filter((c) => c.installedBy).map((c) => [c.kind, c.installedBy!.stack, c.installedBy!.chart]);
    expect(own).toEqual([['VolumeSnapshotClass', maintenance.stack, 'snapshot-controller'], ['Schedule', maintenance.stack, 'velero']]);
    for (const h of maintenance.helmReleases) {
      expect(h.resource).toMatch(/^helm_release\./);
      expect(h.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    }
  });

  test('requirements.json beside each cdk.tf.json holds the same, and the synth summary records it', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    for (const r of all) {
      const file = path.join(outdir, path.dirname(manifest.stacks[r.stack].synthesizedStackPath), REQUIREMENTS_FILE);
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(r)));
    }
    expect(synthRequirements(outdir)).toEqual(all);
    expect(summarizeSynth(outdir).map((s) => s.requirements)).toEqual(all);
  });

  test('formatSummary: the CRDs at the end of each stack line and one line on where they are, only when asked; every CRD at info', () => {
    const summary = summarizeSynth(outdir);
    expect(formatSummary(summary)).not.toMatch(/CRD|requirements\.json/);
    const text = formatSummary(summary, { requirements: true });
    expect(text.split('\n')).toHaveLength(summary.length + 2);
    expect(text).toMatch(/^ {2}development-us-east-2-app: \d+ resources \(.*\); needs 5 CRDs \(WorkflowTemplate, VerticalPodAutoscaler, Certificate, ExternalSecret; installed by development-us-east-2-maintenance: ImageCache\)$/m);
    expect(text).toMatch(/^ {2}development-us-east-2-maintenance: .*; needs 3 CRDs \(VerticalPodAutoscaler; installed by its own charts: VolumeSnapshotClass, Schedule\)$/m);
    expect(text).toMatch(/^What each stack needs from its cluster: .*<stack>\/requirements\.json; check a cluster before deploying: npx cdktf-golden-path preflight/m);
    const info = formatSummary(summary, { requirements: true, level: 'info' });
    expect(info).toMatch(/^ {4}CRD kubefledged\.io\/v1alpha2 ImageCache \(imagecaches\.kubefledged\.io\): \d+ object\(s\), installed by development-us-east-2-maintenance helm_release\.\S+$/m);
    expect(info).toMatch(/^ {4}CRD velero\.io\/v1 Schedule \(schedules\.velero\.io\): 1 object\(s\), installed by helm_release\.\S+$/m);
    expect(info).toMatch(/^ {4}Helm velero 9\.1\.3 \(brings 13 CRDs\)$/m);
  });
});
