import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { parse } from 'yaml';
import { buildStacks, maintenanceStackName } from '../stacks/app';
import { ClusterMaintenanceStack } from '../stacks/maintenance-stack';
import { loadEnvironments } from '../lib/config';
import { ENVIRONMENTS_DIR } from '../stacks/app';

/** Synthesize the example app (all environments) into a temp dir, with validations (schema checks) on. */
function synthApp() {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-maint-'));
  const app = new App({ outdir, skipValidation: false });
  const built = buildStacks(app, { only: undefined });
  app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(outdir, manifest.stacks[name].synthesizedStackPath), 'utf8'));
  return { outdir, built, manifest, read };
}

describe('ClusterMaintenanceStack in the example app', () => {
  const { built, manifest, read } = synthApp();
  const envs = ['development', 'production', 'sandbox', 'staging'];

  test('one maintenance stack per environment and region, beside each app stack', () => {
    const names = Object.keys(manifest.stacks).sort();
    for (const env of envs) {
      expect(names).toContain(`${env}-us-east-2-maintenance`);
      expect(names).toContain(`${env}-us-east-2-app`);
    }
    expect(built.maintenanceStacks.map((s) => s.node.id).sort()).toEqual(envs.map((e) => `${e}-us-east-2-maintenance`));
  });

  test('each app stack depends on its maintenance stack (cdktf deploy orders them)', () => {
    for (const env of envs) {
      expect(manifest.stacks[`${env}-us-east-2-app`].dependencies).toEqual([`${env}-us-east-2-maintenance`]);
      expect(manifest.stacks[`${env}-us-east-2-maintenance`].dependencies).toEqual([]);
    }
  });

  test('the maintenance stack has its own providers, state and all six controllers', () => {
    const prod = read('production-us-east-2-maintenance');
    expect(Object.keys(prod.provider).sort()).toEqual(expect.arrayContaining(['aws', 'helm', 'kubernetes']));
    expect(prod.terraform.backend.local.path).toBe('terraform.production-us-east-2-maintenance.tfstate');
    const charts = Object.values<any>(prod.resource.helm_release).map((r) => r.chart).sort();
    expect(charts).toEqual(['descheduler', 'kube-fledged', 'pvc-autoresizer', 'reloader', 'snapshot-controller', 'velero']);
    const kinds = Object.values<any>(prod.resource.kubernetes_manifest).map((r) => `${r.manifest.kind}/${r.manifest.metadata.name}`);
    expect(kinds).toEqual(expect.arrayContaining([
      'PriorityClass/cluster-important', 'Namespace/reloader', 'Namespace/velero', 'Schedule/hourly', 'VolumeSnapshotClass/ebs',
      'PodDisruptionBudget/descheduler', 'VerticalPodAutoscaler/velero',
    ]));
    expect(Object.keys(prod.resource.aws_s3_bucket)).toHaveLength(1);
    expect(Object.keys(prod.output).sort()).toEqual(['backup_bucket', 'backup_bucket_arn', 'velero_role_arn']);
  });

  test('every release waits for the PriorityClasses; Velero also for the snapshot controller and its class', () => {
    const prod = read('production-us-east-2-maintenance');
    const pcIds = Object.entries<any>(prod.resource.kubernetes_manifest).filter(([, r]) => r.manifest.kind === 'PriorityClass').map(([id]) => `kubernetes_manifest.${id}`);
    expect(pcIds.length).toBeGreaterThanOrEqual(1);
    for (const r of Object.values<any>(prod.resource.helm_release)) expect(r.depends_on).toEqual(expect.arrayContaining(pcIds));
    const velero = Object.values<any>(prod.resource.helm_release).find((r) => r.chart === 'velero');
    const snapId = Object.entries<any>(prod.resource.helm_release).find(([, r]) => r.chart === 'snapshot-controller')![0];
    expect(velero.depends_on).toContain(`helm_release.${snapId}`);
  });

  test('environment and SLA reach the controllers (development: one pvc-autoresizer replica)', () => {
    const values = (stack: string) => parse(Object.values<any>(read(stack).resource.helm_release).find((r) => r.chart === 'pvc-autoresizer').values[0]);
    expect(values('production-us-east-2-maintenance').controller.replicas).toBe(2);
    expect(values('development-us-east-2-maintenance').controller.replicas).toBe(1);
    expect(values('production-us-east-2-maintenance').controller.podLabels['panfactum.com/environment']).toBe('production');
  });
});

describe('ClusterMaintenanceStack props', () => {
  const [environment] = loadEnvironments(ENVIRONMENTS_DIR, { only: ['production'] });
  const region = environment.regions[0];

  test('one set of props configures every controller; the image cache controller and PriorityClasses can be left out', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-maint-'));
    const app = new App({ outdir });
    const stack = new ClusterMaintenanceStack(app, maintenanceStackName(environment, region), {
      environment,
      region,
      maintenance: {
        priorityClassesEnabled: false,
        nodeImageCacheController: false,
        reloader: { autoReloadAll: true },
        descheduler: { maxPodLifetimeSeconds: 7200 },
        velero: { backupSchedule: '0 */2 * * *', backupTtl: '3h' },
        externalSnapshotter: { volumeSnapshotClassName: 'ebs-snapshots' },
        pvcAutoresizer: { pvcAutoresizerHelmVersion: '0.14.0' },
      },
    });
    app.synth();
    expect(stack.nodeImageCacheController).toBeUndefined();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
    const rel = (chart: string) => Object.values<any>(json.resource.helm_release).find((r) => r.chart === chart);
    expect(rel('kube-fledged')).toBeUndefined();
    expect(parse(rel('reloader').values[0]).reloader.autoReloadAll).toBe(true);
    expect(parse(rel('descheduler').values[0]).deschedulerPolicy.profiles[2].pluginConfig[1].args.maxPodLifeTimeSeconds).toBe(7200);
    expect(rel('pvc-autoresizer').version).toBe('0.14.0');
    const kinds = Object.values<any>(json.resource.kubernetes_manifest).map((r) => r.manifest);
    expect(kinds.some((m) => m.kind === 'PriorityClass')).toBe(false);
    expect(kinds.find((m) => m.kind === 'Schedule').spec).toMatchObject({ schedule: '0 */2 * * *', template: { ttl: '3h' } });
    expect(kinds.some((m) => m.kind === 'VolumeSnapshotClass' && m.metadata.name === 'ebs-snapshots')).toBe(true);
  });

  test('bad props fail at construction', () => {
    expect(() => new ClusterMaintenanceStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'gp-')) }), 'x', {
      environment, region, maintenance: { velero: { backupTtl: '30m' } },
    })).toThrow(/backupTtl/);
  });
});
