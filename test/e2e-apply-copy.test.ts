/**
 * The copy of a stack the e2e apply runs (test/e2e/apply.ts): what cannot run here is taken
 * out or lifted, and the order of what remains is kept.
 */
import { applicableCopy, literalZoneIds, seedConfig, splitEmulatorDifferences } from './e2e/apply';

const stack = {
  resource: {
    helm_release: { velero: { name: 'velero', depends_on: ['kubernetes_manifest.ns', 'aws_iam_role.velero'] } },
    kubernetes_manifest: {
      ns: { manifest: { kind: 'Namespace' } },
      schedule: { manifest: { kind: 'Schedule' }, depends_on: ['helm_release.velero'] },
      job: { manifest: { kind: 'Job' }, wait: { fields: { 'status.succeeded': '1' } } },
    },
    aws_iam_role: { velero: { name: 'v' } },
    aws_s3_bucket: { backups: { bucket: 'b', lifecycle: { prevent_destroy: true } } },
    aws_cloudfront_cache_policy: { p: { name: 'p' } },
    aws_cloudfront_distribution: { d: { default_cache_behavior: { cache_policy_id: '${aws_cloudfront_cache_policy.p.id}' } } },
    aws_route53_record: { alias: { alias: { name: '${aws_cloudfront_distribution.d.domain_name}' } }, other: { name: 'x' } },
  },
  output: { cdn: { value: '${aws_cloudfront_distribution.d.id}' }, role: { value: '${aws_iam_role.velero.arn}' } },
};

describe('applicableCopy', () => {
  const { json, exclusions } = applicableCopy(stack);

  test('an edge to a removed Helm release becomes the release\'s own edges', () => {
    expect(json.resource.helm_release).toBeUndefined();
    expect(json.resource.kubernetes_manifest.schedule.depends_on).toEqual(['kubernetes_manifest.ns', 'aws_iam_role.velero']);
  });

  test('plan-only CloudFront resources and everything referring to them are removed, with reasons', () => {
    expect(json.resource.aws_cloudfront_cache_policy).toBeUndefined();
    expect(json.resource.aws_cloudfront_distribution).toBeUndefined();
    expect(Object.keys(json.resource.aws_route53_record)).toEqual(['other']);
    expect(Object.keys(json.output)).toEqual(['role']);
    expect(exclusions.removed.map((r) => r.address).sort()).toEqual([
      'aws_cloudfront_cache_policy.p', 'aws_cloudfront_distribution.d', 'aws_route53_record.alias', 'helm_release.velero',
    ]);
  });

  test('waits are dropped and prevent_destroy lifted, both listed; the input is not changed', () => {
    expect(json.resource.kubernetes_manifest.job.wait).toBeUndefined();
    expect(json.resource.aws_s3_bucket.backups.lifecycle.prevent_destroy).toBe(false);
    expect(exclusions.waitsDropped).toEqual(['kubernetes_manifest.job']);
    expect(exclusions.preventDestroyLifted).toEqual(['aws_s3_bucket.backups']);
    expect(stack.resource.aws_s3_bucket.backups.lifecycle.prevent_destroy).toBe(true);
  });
});

describe('seedConfig', () => {
  test('seeds literal zones, clusters and issuers; a looked-up issuer waits for the cluster', () => {
    const json = {
      data: {
        aws_route53_zone: { z: { name: 'example.com.' }, t: { name: '${var.zone}' } },
        aws_eks_cluster: { c: { name: 'prod' } },
        aws_iam_openid_connect_provider: { a: { url: 'https://oidc.example/id/A' }, b: { url: '${data.aws_eks_cluster.c.identity[0].oidc[0].issuer}' } },
      },
    };
    const first = seedConfig([{ name: 's', dir: '.', json, kind: 'example' }]);
    expect(first.resource.aws_route53_zone).toEqual({ zone0: { name: 'example.com' } });
    expect(first.resource.aws_eks_cluster.cluster0.name).toBe('prod');
    expect(Object.values<any>(first.resource.aws_iam_openid_connect_provider).map((p) => p.url)).toEqual(['https://oidc.example/id/A']);
    const second = seedConfig([{ name: 's', dir: '.', json, kind: 'example' }], ['https://oidc.moto/id/X', 'https://oidc.example/id/A']);
    expect(Object.values<any>(second.resource.aws_iam_openid_connect_provider).map((p) => p.url)).toEqual(['https://oidc.example/id/A', 'https://oidc.moto/id/X']);
  });
});

describe('emulator differences', () => {
  const change = (address: string, actions: string[], paths: string[], replacePaths: string[] = []) => ({ address, actions, paths, replacePaths });

  test('a certificate replaced for key_algorithm alone, and what follows it, are the emulator\'s; anything else is real', () => {
    const cert = change('aws_acm_certificate.c', ['create', 'delete'], ['arn'], ['key_algorithm']);
    const validation = change('aws_acm_certificate_validation.v', ['delete', 'create'], ['id']);
    const tags = change('aws_s3_bucket.b', ['update'], ['tags_all.owner']);
    const policy = change('aws_s3_bucket.b2', ['update'], ['policy']);
    const manifest = change('kubernetes_manifest.d', ['update'], ['manifest.spec.replicas']);
    const { real, emulator } = splitEmulatorDifferences([cert, validation, tags, policy, manifest]);
    expect(real.map((c) => c.address)).toEqual(['aws_s3_bucket.b2', 'kubernetes_manifest.d']);
    expect(emulator).toHaveLength(3);
  });

  test('a certificate replaced for its domain is a real change', () => {
    const { real } = splitEmulatorDifferences([change('aws_acm_certificate.c', ['create', 'delete'], ['domain_name'], ['domain_name', 'key_algorithm'])]);
    expect(real).toHaveLength(1);
  });
});

describe('hosted zones named by id', () => {
  test('literal zone ids of records and zone maps get a stand-in zone in the emulator', () => {
    const json = {
      resource: { aws_route53_record: { a: { zone_id: 'Z0123456789CORPUS' }, b: { zone_id: '${data.aws_route53_zone.z.zone_id}' } } },
      locals: { zones: { 'a.example.com': 'ZOTHER12345', 'b.example.com': '${data.aws_route53_zone.z.zone_id}' }, other: 'x' },
    };
    expect(literalZoneIds(json).sort()).toEqual(['Z0123456789CORPUS', 'ZOTHER12345']);
    const seed = seedConfig([{ name: 's', dir: '.', json, kind: 'corpus' }]);
    expect(seed.resource.aws_route53_zone.fixed_Z0123456789CORPUS.name).toBe('z0123456789corpus.e2e-fixed.example');
    expect(seed.resource.aws_route53_zone.fixed_ZOTHER12345.name).toBe('a.example.com');
    expect(seed.output.fixedzone_ZOTHER12345.value).toBe('${aws_route53_zone.fixed_ZOTHER12345.zone_id}');
  });

  test('a zone id whose apex is also looked up by name shares that zone', () => {
    const json = {
      data: { aws_route53_zone: { z: { name: 'corpus.example.com' } } },
      locals: { zones: { 'www.corpus.example.com': 'ZCORPUS1234', 'corpus.example.com': 'ZCORPUS1234' } },
    };
    const seed = seedConfig([{ name: 's', dir: '.', json, kind: 'corpus' }]);
    expect(Object.keys(seed.resource.aws_route53_zone)).toEqual(['zone0']);
    expect(seed.output.fixedzone_ZCORPUS1234.value).toBe('${aws_route53_zone.zone0.zone_id}');
  });
});
