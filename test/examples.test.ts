import { App, TerraformStack, Testing } from 'cdktf';

// The examples import from the package name, as a consumer's code does. Point it at this
// checkout's lib/ (the type-level mapping is examples/tsconfig.json).
jest.mock('cdktf-golden-path', () => jest.requireActual('../lib'), { virtual: true });

// Loaded with require(): the repository's tsconfig has no mapping for the package name, so the
// examples are type-checked by test/doc-examples.test.ts instead of by `npm run typecheck`.
type ExampleStack = (app: App) => TerraformStack;
const example = (file: string, fn: string): ExampleStack => require(`../examples/${file}`)[fn];
const webServiceStack = example('web-service', 'webServiceStack');
const workerCronStack = example('worker-cron', 'workerCronStack');
const databaseBackupsStack = example('database-backups', 'databaseBackupsStack');
const externalConfigStack = example('external-config', 'externalConfigStack');
const kedaAutoscalingStack = example('keda-autoscaling', 'kedaAutoscalingStack');

/** Synthesize one example stack; the parse hook also runs terraform and tofu on the output. */
function synth(build: ExampleStack): { json: any; manifests: any[]; kinds: string[] } {
  const app = Testing.app();
  const json = JSON.parse(Testing.synth(build(app)));
  const manifests = Object.values<any>(json.resource?.kubernetes_manifest ?? {}).map((r) => r.manifest);
  return { json, manifests, kinds: manifests.map((m) => m.kind) };
}
const find = (manifests: any[], kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);

describe('examples/', () => {
  test('web-service: Deployment, CDN-mode Ingress, CloudFront distribution and an IRSA role', () => {
    const { json, manifests, kinds } = synth(webServiceStack);
    expect(kinds).toEqual(expect.arrayContaining(['Namespace', 'Deployment', 'Service', 'Ingress', 'Certificate']));
    const sa = manifests.find((m) => m.kind === 'ServiceAccount' && m.metadata.namespace === 'web');
    expect(sa.metadata.annotations['eks.amazonaws.com/role-arn']).toContain('aws_iam_role.');
    expect(Object.keys(json.resource.aws_cloudfront_distribution ?? {})).toHaveLength(1);
    expect(Object.keys(json.resource.aws_iam_role ?? {}).length).toBeGreaterThanOrEqual(1);
    const ingress = manifests.find((m) => m.kind === 'Ingress');
    expect(ingress.metadata.annotations['nginx.ingress.kubernetes.io/whitelist-source-range']).toBeDefined(); // origin protection
  });

  test('worker-cron: a worker Deployment without a Service and a nightly CronJob', () => {
    const { manifests, kinds } = synth(workerCronStack);
    expect(find(manifests, 'Deployment', 'orders-worker')).toBeDefined();
    expect(kinds).not.toContain('Service');
    const cron = find(manifests, 'CronJob', 'nightly-report');
    expect(cron.spec.schedule).toBe('15 2 * * *');
    expect(cron.spec.concurrencyPolicy).toBe('Forbid');
  });

  test('database-backups: a StatefulSet whose scratch volume is labelled out of Velero backups', () => {
    const { json, manifests } = synth(databaseBackupsStack);
    const sts = find(manifests, 'StatefulSet', 'postgres');
    const claims = Object.fromEntries(sts.spec.volumeClaimTemplates.map((c: any) => [c.metadata.name, c]));
    expect(claims.data.metadata.labels?.['velero.io/exclude-from-backup']).toBeUndefined();
    expect(claims.scratch.metadata.labels['velero.io/exclude-from-backup']).toBe('true');
    expect(Object.values<any>(json.resource.helm_release).map((r) => r.chart)).toContain('velero');
    expect(find(manifests, 'Schedule', 'hourly')?.spec.schedule ?? JSON.stringify(json)).toContain('0 * * * *');
  });

  test('external-config: ConfigMap and ExternalSecret mounted into the Deployment', () => {
    const { manifests } = synth(externalConfigStack);
    expect(find(manifests, 'ConfigMap', 'billing-config')).toBeDefined();
    expect(find(manifests, 'ExternalSecret', 'billing-secrets').spec.data[0].remoteRef.key).toBe('/billing/stripe-key');
    const volumes = find(manifests, 'Deployment', 'billing-api').spec.template.spec.volumes;
    expect(volumes).toEqual(expect.arrayContaining([
      expect.objectContaining({ configMap: expect.objectContaining({ name: 'billing-config' }) }),
      expect.objectContaining({ secret: expect.objectContaining({ secretName: 'billing-secrets' }) }),
    ]));
  });

  test('keda-autoscaling: a ScaledObject drives the Deployment, which gives no replica count', () => {
    const { manifests } = synth(kedaAutoscalingStack);
    const so = find(manifests, 'ScaledObject', 'events-consumer');
    expect(so.spec.scaleTargetRef.name).toBe('events-consumer');
    expect(so.spec.maxReplicaCount).toBe(20);
    expect(so.spec.triggers[0].type).toBe('aws-sqs-queue');
    expect(find(manifests, 'Deployment', 'events-consumer').spec.replicas).toBeUndefined();
  });
});
