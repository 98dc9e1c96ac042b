import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { ValidationError } from '../lib/core/errors';
import { EnvironmentContext } from '../lib/core/context';
import { ExampleAppStack } from '../stacks/example-app-stack';
import { buildApp } from '../stacks/app';
import {
  AUDIT_JSON, AUDIT_SARIF, EXEMPTION_REASONS_ANNOTATION, GoldenPathAudit, GoldenPathAuditOptions, bundleFromScope, enableAudit, renderBundle, suppressAudit,
} from '../lib/audit';
import { NGINX } from './support/synth';

const quiet: GoldenPathAuditOptions = { log: false, reportDir: false };

function stackWith(build: (stack: TerraformStack) => void, options: GoldenPathAuditOptions = quiet) {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'shop');
  new KubernetesProvider(stack, 'kubernetes', {});
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 3 });
  build(stack);
  const audit = enableAudit(stack, options);
  return { app, stack, audit };
}

/** The synth error (validation failure) text, or '' when synth passes. */
function synthError(stack: TerraformStack): string {
  try { Testing.synth(stack, true); return ''; } catch (e: any) { return String(e.message); }
}

/** A workload written by hand, the way a new user might. */
function badDeployment(scope: Construct, id = 'legacy'): KubeManifest {
  return new KubeManifest(scope, id, {
    object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'default' },
      spec: {
        replicas: 2, selector: { matchLabels: { app: 'legacy' } },
        template: {
          metadata: { labels: { app: 'legacy' } },
          spec: {
            serviceAccountName: 'legacy', automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'app', image: 'registry.example.com/legacy:2.1.0@sha256:0f3a', imagePullPolicy: 'Always',
              env: [{ name: 'DB_PASSWORD', value: 'hunter22' }],
              resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '64Mi' }, limits: { cpu: '500m', memory: '128Mi', 'ephemeral-storage': '64Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    } as any,
  });
}

function saAndPdb(scope: Construct) {
  new KubeManifest(scope, 'legacy-sa', { object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy', namespace: 'default' }, automountServiceAccountToken: false } as any });
  new KubeManifest(scope, 'legacy-pdb', { object: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy', namespace: 'default' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'legacy' } } } } as any });
}

function wildcardPolicy(scope: Construct) {
  return new IamPolicy(scope, 'admin-ish', { name: 'legacy', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::legacy/*' }] }) });
}

function httpDistribution(scope: Construct) {
  return new CloudfrontDistribution(scope, 'cdn', {
    enabled: true,
    webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cdn/1',
    origin: [{ originId: 'alb', domainName: 'legacy.example.com', customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], httpPort: 80, httpsPort: 443 } }],
    defaultCacheBehavior: { targetOriginId: 'alb', viewerProtocolPolicy: 'allow-all', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x', minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
  });
}

describe('done when: a new user\'s workload fails synth with one clear line per problem', () => {
  test('literal password, no probes, CPU limit, default namespace, "*" IAM action, CloudFront allowing HTTP', () => {
    const { stack } = stackWith((s) => {
      badDeployment(s);
      saAndPdb(s);
      wildcardPolicy(s);
      httpDistribution(s);
    });
    const message = synthError(stack);
    const lines = message.split('\n').filter((l) => /GP-[A-Z]+-\d{3}/.test(l));
    const rules = lines.map((l) => /(GP-[A-Z]+-\d{3})/.exec(l)![1]);
    expect([...new Set(rules)].sort()).toEqual(['GP-CF-001', 'GP-IAM-001', 'GP-OPS-001', 'GP-REL-001', 'GP-RES-003', 'GP-SEC-007']);
    const line = (rule: string) => lines.filter((l) => l.includes(rule));
    expect(line('GP-SEC-007')).toEqual([expect.stringMatching(/container app env DB_PASSWORD holds a literal secret; move it to a Secret/)]);
    expect(line('GP-REL-001')).toEqual([expect.stringMatching(/no readiness probe; add one/)]);
    expect(line('GP-RES-003')).toEqual([expect.stringMatching(/CPU limit \(500m\); remove it/)]);
    expect(line('GP-IAM-001')).toEqual([expect.stringMatching(/aws_iam_policy \(shop\/admin-ish\): allows action "\*"/)]);
    expect(line('GP-CF-001')).toEqual([expect.stringMatching(/cache behavior default allows HTTP .*use redirect-to-https/)]);
    expect(line('GP-OPS-001').length).toBe(3); // Deployment, ServiceAccount, PDB each in default
    expect(line('GP-OPS-001')[0]).toMatch(/in the default namespace; give the app its own namespace/);
    for (const l of lines) expect(l).toMatch(/^\s*\[shop\] GP-[A-Z]+-\d{3} error: .+ \(shop\/[^)]+\): .+/);
  });

  test('the same objects, fixed, pass', () => {
    const { stack } = stackWith((s) => {
      const ns = new KubeNamespace(s, 'ns', { namespace: 'legacy' });
      new KubeDeployment(s, 'web', { namespace: ns, name: 'legacy', replicas: 3, containers: [{ ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/' }], tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64 } } });
    });
    expect(synthError(stack)).toBe('');
  });
});

describe('the example stacks pass clean', () => {
  test('no error and no warning in any example stack, apart from the listed deviations of examples other issues own', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-app-'));
    const app = new App({ outdir });
    buildApp(app);
    // Known deviations in examples other constructs own, to be fixed there or suppressed with their reason
    // (see the audit report of issue 7). Everything else must be clean.
    const waivers = [
      { rule: 'GP-REL-011', path: '*-maintenance/velero/PodDisruptionBudget', reason: 'Velero runs on controller nodes that autoscaling never drains; its PDB blocks voluntary disruption during backups' },
      { rule: 'GP-IAM-002', path: '*-maintenance/velero', reason: 'velero-plugin-for-aws needs EBS snapshot calls on volumes it discovers at runtime' },
      { rule: 'GP-CF-003', path: '*-app/web-cdn', reason: 'example CDN: no WAFv2 web ACL is created in the example environments yet' },
      { rule: 'GP-REL-001', path: '*-app/assets-sync', reason: 'example sync worker: no probe yet (an exec probe on the sync loop is the fix)' },
      { rule: 'GP-REL-007', path: '*-app/redis', reason: 'example single-node Redis cache behind a Service; data is rebuildable' },
      { rule: 'GP-REL-015', path: '*-app/cleanup', reason: 'example CronJob sets jobTemplate ttlSecondsAfterFinished (kube-linter job-ttl-seconds-after-finished)' },
    ];
    const logs: string[] = [];
    const audit = enableAudit(app, { log: (t) => logs.push(t), waivers });
    app.synth();
    for (const s of app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c))) {
      const result = audit.evaluate(s);
      const loud = result.findings.filter((f) => !f.suppressedBy && f.severity !== 'info');
      expect(loud.map((f) => `${s.node.id} ${f.rule} ${f.message}`)).toEqual([]);
    }
    expect(logs.join('\n')).toMatch(/Golden-path audit production-us-east-2-app: 0 error\(s\), 0 warning\(s\)/);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, AUDIT_JSON), 'utf8'));
    expect(report.stacks.map((s: any) => s.stack).sort()).toEqual(expect.arrayContaining(['production-us-east-2-app', 'development-us-east-2-app']));
    expect(report.stacks.every((s: any) => s.passed)).toBe(true);
    expect(fs.existsSync(path.join(outdir, AUDIT_SARIF))).toBe(true);
  });
});

describe('suppressions', () => {
  const cpuLimited = (s: TerraformStack) => {
    const ns = new KubeNamespace(s, 'ns', { namespace: 'batch' });
    const web = new KubeDeployment(s, 'web', { namespace: ns, name: 'batch', replicas: 3, containers: [{ ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/' }], tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64 } } });
    (web.deployment.object as any).spec.template.spec.containers[0].resources.limits.cpu = '1';
    return web;
  };

  test('a reasoned suppression on a subtree hides the finding and is listed in the report', () => {
    const logs: string[] = [];
    const { stack, audit } = stackWith((s) => { suppressAudit(cpuLimited(s), 'GP-RES-003', { reason: 'batch worker: CPU capped so it cannot starve the API pods', expires: '2099-01-31' }); }, { log: (t) => logs.push(t), reportDir: false });
    expect(synthError(stack)).toBe('');
    const result = audit.evaluate(stack);
    expect(result.findings.find((f) => f.rule === 'GP-RES-003')?.suppressedBy?.reason).toMatch(/batch worker/);
    expect(result.suppressions).toEqual([expect.objectContaining({ rule: 'GP-RES-003', path: 'shop/web', source: 'construct', matched: 1, expired: false, expires: '2099-01-31' })]);
    expect(logs.join('\n')).toMatch(/suppressed\s+GP-RES-003/);
    expect(logs.join('\n')).toMatch(/GP-RES-003 at shop\/web \(construct, until 2099-01-31, 1 finding\(s\)\): batch worker/);
  });

  test.each([
    ['no reason', {} as any, /reason/],
    ['a short reason', { reason: 'because' }, /shorter than 10/],
    ['a bad date', { reason: 'a good long reason', expires: '31.01.2027' }, /YYYY-MM-DD/],
  ])('suppressAudit refuses %s', (_what, options, fix) => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => suppressAudit(stack, 'GP-RES-003', options)).toThrow(ValidationError);
    try { suppressAudit(stack, 'GP-RES-003', options); } catch (e: any) { expect(`${e.message} ${e.fix ?? ''}`).toMatch(fix); }
  });

  test('an unknown rule is refused', () => {
    expect(() => suppressAudit(new TerraformStack(Testing.app(), 's'), 'GP-XXX-999', { reason: 'long enough reason' })).toThrow(/not a golden-path audit rule/);
  });

  test('an expired suppression no longer suppresses and is reported itself', () => {
    const { stack, audit } = stackWith((s) => { suppressAudit(cpuLimited(s), 'GP-RES-003', { reason: 'temporary cap during the migration', expires: '2026-01-31' }); }, { ...quiet, now: new Date('2026-02-01T00:00:00Z') });
    const message = synthError(stack);
    expect(message).toMatch(/GP-RES-003 error/);
    const result = audit.evaluate(stack);
    expect(result.findings.find((f) => f.rule === 'GP-OPS-005')?.message).toMatch(/expired on 2026-01-31 and no longer applies/);
    expect(result.suppressions[0]).toEqual(expect.objectContaining({ expired: true, matched: 1 }));
  });

  test('valid through its expiry day', () => {
    const { stack } = stackWith((s) => { suppressAudit(cpuLimited(s), 'GP-RES-003', { reason: 'temporary cap during the migration', expires: '2026-01-31' }); }, { ...quiet, now: new Date('2026-01-31T12:00:00Z') });
    expect(synthError(stack)).toBe('');
  });

  test('a locked rule cannot be suppressed per construct, only waived in the app options', () => {
    const { stack } = stackWith((s) => { badDeployment(s); });
    expect(() => suppressAudit(stack, 'GP-SEC-007', { reason: 'we will rotate it next week' })).toThrow(/locked rule.*waivers/s);
    const waived = stackWith((s) => { badDeployment(s); saAndPdb(s); }, { ...quiet, overrides: { 'GP-RES-003': 'off', 'GP-OPS-001': 'off', 'GP-REL-001': 'off' }, waivers: [{ rule: 'GP-SEC-007', path: 'shop/legacy', reason: 'test fixture value, not a real credential' }] });
    expect(synthError(waived.stack)).toBe('');
    expect(waived.audit.evaluate(waived.stack).suppressions[0]).toEqual(expect.objectContaining({ source: 'waiver', matched: 1 }));
  });

  test('options are validated: locked rules cannot be lowered, waivers need a reason', () => {
    expect(() => new GoldenPathAudit({ overrides: { 'GP-SEC-009': 'warn' } })).toThrow(/locked/);
    expect(() => new GoldenPathAudit({ overrides: { 'GP-NOPE-001': 'off' } })).toThrow(/not a golden-path audit rule/);
    expect(() => new GoldenPathAudit({ overrides: { 'GP-RES-003': 'loud' as any } })).toThrow(/not a severity/);
    expect(() => new GoldenPathAudit({ waivers: [{ rule: 'GP-SEC-009', path: 'a/b', reason: '' }] })).toThrow(/reason/);
    expect(() => new GoldenPathAudit({ waivers: [{ rule: 'GP-SEC-009', path: '', reason: 'a long enough reason' }] })).toThrow(/path/);
    expect(() => enableAudit(Testing.app())).toThrow(/no TerraformStack/);
  });

  test('strict mode fails on warnings', () => {
    const build = (s: TerraformStack) => {
      const ns = new KubeNamespace(s, 'ns', { namespace: 'web' });
      new KubeDeployment(s, 'web', { namespace: ns, name: 'web', replicas: 3, containers: [{ ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/health/db' }], tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64 } } });
    };
    expect(synthError(stackWith(build).stack)).toBe('');
    expect(synthError(stackWith(build, { ...quiet, strict: true }).stack)).toMatch(/GP-REL-003 warn: .*\/health\/db/);
  });
});

/** The SARIF 2.1.0 fields we emit, as a JSON-schema subset of the official schema. */
const SARIF_SUBSET = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string', format: 'uri' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['tool'],
        properties: {
          tool: {
            type: 'object', required: ['driver'],
            properties: {
              driver: {
                type: 'object', required: ['name'],
                properties: {
                  name: { type: 'string', minLength: 1 },
                  version: { type: 'string' },
                  rules: {
                    type: 'array',
                    items: {
                      type: 'object', required: ['id'],
                      properties: {
                        id: { type: 'string' }, name: { type: 'string', pattern: '^[A-Za-z0-9]+$' },
                        shortDescription: { $ref: '#/$defs/message' }, fullDescription: { $ref: '#/$defs/message' }, help: { $ref: '#/$defs/message' },
                        defaultConfiguration: { type: 'object', properties: { level: { enum: ['none', 'note', 'warning', 'error'] } }, additionalProperties: false },
                        properties: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' }, uniqueItems: true } } },
                      },
                      additionalProperties: false,
                    },
                  },
                },
                additionalProperties: false,
              },
            },
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          results: {
            type: 'array',
            items: {
              type: 'object', required: ['message'],
              properties: {
                ruleId: { type: 'string' }, ruleIndex: { type: 'integer', minimum: -1 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: { $ref: '#/$defs/message' },
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string', format: 'uri-reference' } }, additionalProperties: false },
                          region: { type: 'object', properties: { startLine: { type: 'integer', minimum: 1 } }, additionalProperties: false },
                        },
                        additionalProperties: false,
                      },
                      logicalLocations: { type: 'array', items: { type: 'object', properties: { fullyQualifiedName: { type: 'string' }, kind: { type: 'string' } }, additionalProperties: false } },
                    },
                    additionalProperties: false,
                  },
                },
                partialFingerprints: { type: 'object', additionalProperties: { type: 'string' } },
                suppressions: {
                  type: 'array', uniqueItems: true,
                  items: { type: 'object', required: ['kind'], properties: { kind: { enum: ['inSource', 'external'] }, status: { enum: ['accepted', 'underReview', 'rejected'] }, justification: { type: 'string' } }, additionalProperties: false },
                },
              },
              additionalProperties: false,
            },
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
  $defs: { message: { type: 'object', required: ['text'], properties: { text: { type: 'string' } }, additionalProperties: false } },
};

describe('reports', () => {
  test('audit.json and a schema-valid audit.sarif land in the app outdir', () => {
    const { stack, app } = stackWith((s) => {
      badDeployment(s);
      saAndPdb(s);
      suppressAudit(s.node.findChild('legacy'), 'GP-RES-003', { reason: 'CPU capped for the legacy batch loop' });
    }, { log: false });
    synthError(stack);
    const outdir = app.outdir;
    const sarif = JSON.parse(fs.readFileSync(path.join(outdir, AUDIT_SARIF), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const validate = ajv.compile(SARIF_SUBSET);
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    const results = sarif.runs[0].results;
    const rules = sarif.runs[0].tool.driver.rules;
    for (const r of results) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(results.find((r: any) => r.ruleId === 'GP-SEC-007')).toEqual(expect.objectContaining({
      level: 'error',
      locations: [expect.objectContaining({ physicalLocation: expect.objectContaining({ artifactLocation: { uri: expect.stringMatching(/stacks\/shop\/cdk\.tf\.json$/) } }), logicalLocations: [{ fullyQualifiedName: 'shop/legacy', kind: 'resource' }] })],
    }));
    expect(results.find((r: any) => r.ruleId === 'GP-RES-003').suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'CPU capped for the legacy batch loop' }]);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, AUDIT_JSON), 'utf8'));
    expect(json.stacks[0]).toEqual(expect.objectContaining({ stack: 'shop', passed: false }));
    expect(json.stacks[0].suppressions).toEqual([expect.objectContaining({ rule: 'GP-RES-003', reason: 'CPU capped for the legacy batch loop', matched: 1 })]);
  });

  test('the SARIF schema subset rejects a malformed result (the validator can fail)', () => {
    const validate = new Ajv({ strict: false, validateFormats: false }).compile(SARIF_SUBSET);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'x' } }] }] })).toBe(false);
  });

  test('reportDir writes elsewhere', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-reports-'));
    const { stack } = stackWith((s) => { new KubeNamespace(s, 'ns', { namespace: 'web' }); }, { log: false, reportDir: dir });
    expect(synthError(stack)).toBe('');
    expect(fs.readdirSync(dir).sort()).toEqual([AUDIT_JSON, AUDIT_SARIF]);
  });
});

describe('manifest bundle (npm run render)', () => {
  test('one YAML file per namespace, with exemption annotations only in the rendered copy', () => {
    const app = Testing.app();
    const stack = new ExampleAppStack(app, 'production-us-east-2-app', {
      environment: { name: 'production' } as any,
      region: { name: 'us-east-2', awsRegion: 'us-east-2', slaTarget: 3, kubeClusterName: 'prod', kubeApiServer: 'https://k8s.example.com', kubeConfigContext: 'prod' } as any,
    });
    Testing.synth(stack);
    const files = renderBundle([{ stack: 'production-us-east-2-app', bundle: bundleFromScope(stack) }]);
    expect(files.map((f) => f.file)).toContain('production-us-east-2-app/web.yaml');
    expect(files.every((f) => /^production-us-east-2-app\/[a-z0-9-_]+\.yaml$/.test(f.file))).toBe(true);
    const yaml = files.find((f) => f.file === 'production-us-east-2-app/web.yaml')!.content;
    expect(yaml).toMatch(/kind: Deployment/);
    expect(yaml).toMatch(/polaris\.fairwinds\.com\/cpuLimitsMissing-exempt: "true"/);
    expect(yaml).toMatch(/kube-score\/ignore: container-security-context-user-group-id,container-image-pull-policy,pod-probes-identical/);
    expect(yaml).toMatch(/checkov\.io\/skip1: "?CKV_K8S_11=no CPU limit on purpose/);
    expect(yaml).toContain(EXEMPTION_REASONS_ANNOTATION);
    const applied = (Object.values(JSON.parse(Testing.synth(stack)).resource.kubernetes_manifest) as any[]).find((r) => r.manifest.kind === 'Deployment' && r.manifest.metadata.name === 'web').manifest;
    expect(JSON.stringify(applied)).not.toMatch(/cpuLimitsMissing|kube-score|checkov|exemption-reasons/);
  });
});
