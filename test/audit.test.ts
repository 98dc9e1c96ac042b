import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { App, TerraformIterator, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudfrontDistribution } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { IngressV1 } from '@cdktf/provider-kubernetes/lib/ingress-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { ValidationError } from '../lib/core/errors';
import { EnvironmentContext } from '../lib/core/context';
import { ExampleAppStack } from '../stacks/example-app-stack';
import { buildApp } from '../stacks/app';
import {
  AUDIT_JSON, AUDIT_SARIF, AuditWaiver, EXEMPTION_REASONS_ANNOTATION, GoldenPathAudit, GoldenPathAuditOptions, bundleFromScope, bundleFromTerraform, enableAudit, evaluateAudit,
  renderBundle, suppressAudit,
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
  test('no error and no warning in any example stack, in strict mode and with no waiver (issue 19)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-app-'));
    const app = new App({ outdir });
    buildApp(app, { audit: false });
    // The example's old waivers were for library defaults (Velero's PDB and IAM, the CronJob TTL) or inputs the
    // example now gives (a WAFv2 web ACL, an exec probe); none is needed.
    const waivers: AuditWaiver[] = [];
    const logs: string[] = [];
    const audit = enableAudit(app, { strict: true, log: (t) => logs.push(t), waivers });
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

/** A workload that passes the audit, to be broken by an escape hatch. */
function cleanWorkload(s: TerraformStack, extra: Partial<ConstructorParameters<typeof KubeDeployment>[2]> = {}): KubeDeployment {
  const ns = new KubeNamespace(s, 'ns', { namespace: 'web' });
  return new KubeDeployment(s, 'web', {
    namespace: ns, name: 'web', replicas: 3,
    containers: [{ ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, livenessProbeRoute: '/' }],
    tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64 } },
    ...extra,
  });
}

/** The rule ids and messages of the failing findings of a stack. */
function failing(stack: TerraformStack, audit: GoldenPathAudit): string[] {
  return audit.evaluate(stack).failing.map((f) => `${f.rule} ${f.path}: ${f.message}`);
}

describe('the audit reads what is synthesized (cdk.tf.json), whoever wrote it (issue 14)', () => {
  test('the clean workload passes (the baseline of the cases below)', () => {
    const { stack } = stackWith((s) => { cleanWorkload(s); });
    expect(synthError(stack)).toBe('');
  });

  test('addOverride(manifest.spec.template.spec.hostNetwork, true) on a KubeDeployment is a GP-SEC-001 error', () => {
    const { stack } = stackWith((s) => { cleanWorkload(s).deployment.resource.addOverride('manifest.spec.template.spec.hostNetwork', true); });
    expect(synthError(stack)).toMatch(/GP-SEC-001 error: Deployment web\/web \(shop\/web\/Deployment\): hostNetwork is true/);
  });

  test('a hostPath "/" volume added by addOverride is a GP-SEC-001 error', () => {
    const { stack } = stackWith((s) => {
      const web = cleanWorkload(s);
      const volumes = [...((web.deployment.object as any).spec.template.spec.volumes ?? []), { name: 'root', hostPath: { path: '/' } }];
      web.deployment.resource.addOverride('manifest.spec.template.spec.volumes', volumes);
    });
    expect(synthError(stack)).toMatch(/GP-SEC-001 error: .*volume root is a hostPath/);
  });

  test('a stack-level override of a manifest is audited too', () => {
    const { stack } = stackWith((s) => {
      const web = cleanWorkload(s);
      s.addOverride(`resource.kubernetes_manifest.${s.getLogicalId(web.deployment.resource)}.manifest.spec.template.spec.hostPID`, true);
    });
    expect(synthError(stack)).toMatch(/GP-SEC-001 error: .*hostPID is true/);
  });

  test('a raw Manifest (the provider class, not KubeManifest) is audited', () => {
    const { stack, audit } = stackWith((s) => {
      cleanWorkload(s);
      new Manifest(s, 'raw', {
        manifest: {
          apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'web' },
          spec: { serviceAccountName: 'web', containers: [{ name: 'sh', image: 'busybox:1.37.0', securityContext: { privileged: true } }] },
        },
      });
    });
    expect(failing(stack, audit)).toEqual(expect.arrayContaining([expect.stringMatching(/^GP-SEC-001 shop\/raw: container sh is privileged/)]));
  });

  test('a typed DeploymentV1 is audited: host network, added capability, literal password', () => {
    const { stack, audit } = stackWith((s) => {
      cleanWorkload(s);
      new DeploymentV1(s, 'typed', {
        metadata: { name: 'typed', namespace: 'web' },
        spec: {
          selector: { matchLabels: { app: 'typed' } },
          template: {
            metadata: { labels: { app: 'typed' } },
            spec: {
              hostNetwork: true,
              container: [{ name: 'app', image: 'nginx:1.27.1', env: [{ name: 'DB_PASSWORD', value: 'hunter22' }], securityContext: { capabilities: { add: ['NET_ADMIN'] } } }],
              volume: [{ name: 'root', hostPath: { path: '/' } }],
            },
          },
        },
      });
    });
    const lines = failing(stack, audit).filter((l) => l.includes('shop/typed'));
    expect(lines).toEqual(expect.arrayContaining([
      expect.stringMatching(/^GP-SEC-001 shop\/typed: hostNetwork is true/),
      expect.stringMatching(/^GP-SEC-001 shop\/typed: volume root is a hostPath/),
      expect.stringMatching(/^GP-SEC-001 shop\/typed: container app adds capabilities NET_ADMIN/),
      expect.stringMatching(/^GP-SEC-007 shop\/typed: container app env DB_PASSWORD holds a literal secret/),
    ]));
  });

  /** A golden-path workload written with the provider's typed resources only. */
  function typedWorkload(s: TerraformStack, runAsUser = '10001') {
    const labels = { 'app.kubernetes.io/name': 'api' };
    new NamespaceV1(s, 'ns', { metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } });
    new ServiceAccountV1(s, 'sa', { metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false });
    new DeploymentV1(s, 'dep', {
      metadata: { name: 'api', namespace: 'shop' },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'api', automountServiceAccountToken: false, terminationGracePeriodSeconds: 30,
            securityContext: { runAsNonRoot: true, runAsUser, runAsGroup: '10001', fsGroup: '10001', seccompProfile: { type: 'RuntimeDefault' } },
            topologySpreadConstraint: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: [{ matchLabels: labels }] }],
            affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: [{ matchLabels: labels }] } }] } },
            container: [{
              name: 'api', image: 'registry.example.com/shop/api:1.4.2@sha256:0f3a', imagePullPolicy: 'Always',
              port: [{ name: 'http', containerPort: 8080 }],
              startupProbe: { httpGet: { path: '/livez', port: 'http' }, periodSeconds: 1, failureThreshold: 60 },
              livenessProbe: { httpGet: { path: '/livez', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 2 },
              // A preStop hook that drains, not a sleep (seed 004 lists a preStop sleep under Don't).
              lifecycle: { preStop: [{ exec: { command: ['/app/drain', '--timeout=10s'] } }] },
              resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '100Mi' } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
              volumeMount: [{ name: 'tmp', mountPath: '/tmp' }],
            }],
            volume: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
          },
        },
      },
    });
    new ServiceV1(s, 'svc', { metadata: { name: 'api', namespace: 'shop' }, spec: { type: 'ClusterIP', selector: labels, port: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    new PodDisruptionBudgetV1(s, 'pdb', { metadata: { name: 'api', namespace: 'shop' }, spec: { maxUnavailable: '1', selector: { matchLabels: labels } } });
    new HorizontalPodAutoscalerV2(s, 'hpa', { metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 6, metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } });
    new NetworkPolicyV1(s, 'np', { metadata: { name: 'api', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: {} }] }], egress: [{ ports: [{ port: '53', protocol: 'UDP' }] }] } });
    new IngressV1(s, 'ing', { metadata: { name: 'api', namespace: 'shop' }, spec: { tls: [{ hosts: ['api.example.com'], secretName: 'api-tls' }], rule: [{ host: 'api.example.com', http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] } });
    new RoleV1(s, 'role', { metadata: { name: 'pod-reader', namespace: 'shop' }, rule: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    new RoleBindingV1(s, 'rb', { metadata: { name: 'pod-reader', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' }, subject: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }] });
  }

  test('typed resources are read in Kubernetes form: a golden-path workload written with them has no false finding', () => {
    const { stack, audit } = stackWith((s) => typedWorkload(s));
    Testing.synth(stack);
    // the typed PodDisruptionBudgetV1 has no unhealthyPodEvictionPolicy: the one true finding
    expect(audit.evaluate(stack).findings.map((f) => `${f.rule} ${f.path}`)).toEqual(['GP-REL-011 shop/pdb']);
  });

  test('a typed pod running as uid "0" (the provider types it as a string) is a GP-SEC-001 error', () => {
    const { stack, audit } = stackWith((s) => typedWorkload(s, '0'));
    expect(failing(stack, audit)).toEqual(expect.arrayContaining([expect.stringMatching(/^GP-SEC-001 shop\/dep: pod runAsUser is 0/)]));
  });

  test('containers from a CDKTF iterator (a dynamic block) are audited for what they write literally', () => {
    const { stack, audit } = stackWith((s) => {
      cleanWorkload(s);
      const images = new TerraformVariable(s, 'images', { type: 'list(string)' });
      const it = TerraformIterator.fromList(images.listValue);
      new DeploymentV1(s, 'fleet', {
        metadata: { name: 'fleet', namespace: 'web' },
        spec: {
          selector: { matchLabels: { app: 'fleet' } },
          template: {
            metadata: { labels: { app: 'fleet' } },
            spec: { container: it.dynamic({ name: 'agent', image: it.value, security_context: { privileged: true } }) },
          },
        },
      });
    });
    expect(failing(stack, audit)).toEqual(expect.arrayContaining([expect.stringMatching(/^GP-SEC-001 shop\/fleet: container agent is privileged/)]));
  });

  test('an IAM policy built with DataAwsIamPolicyDocument is audited (iam:passrole on "*")', () => {
    const { stack } = stackWith((s) => {
      const doc = new DataAwsIamPolicyDocument(s, 'doc', { statement: [{ effect: 'Allow', actions: ['iam:passrole'], resources: ['*'] }] });
      new IamPolicy(s, 'pass', { name: 'pass', policy: doc.json });
    });
    expect(synthError(stack)).toMatch(/GP-IAM-003 error: aws_iam_policy \(shop\/pass\): allows iam:PassRole \("iam:passrole"\) on every role/);
  });

  test('an IAM policy replaced by addOverride is audited', () => {
    const { stack } = stackWith((s) => {
      const policy = new IamPolicy(s, 'p', { name: 'p', policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }) });
      policy.addOverride('policy', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:assumerole', Resource: '*' }] }));
    });
    expect(synthError(stack)).toMatch(/GP-IAM-003 error: aws_iam_policy \(shop\/p\): allows sts:AssumeRole \("sts:assumerole"\) on every role/);
  });

  test('literal commonSecrets are a GP-SEC-007 error that advises a sensitive TerraformVariable or an ExternalSecret', () => {
    const { stack } = stackWith((s) => { cleanWorkload(s, { commonSecrets: { API_KEY: 'sk-live-literal' } }); });
    expect(synthError(stack)).toMatch(/GP-SEC-007 error: Secret web\/[^ ]+ \(shop\/web\/Secret\): Secret keys API_KEY hold literal values .*sensitive TerraformVariable.*ExternalSecret/);
  });

  test('commonSecrets from a sensitive TerraformVariable pass', () => {
    const { stack } = stackWith((s) => {
      const key = new TerraformVariable(s, 'api_key', { type: 'string', sensitive: true });
      cleanWorkload(s, { commonSecrets: { API_KEY: key.stringValue } });
    });
    expect(synthError(stack)).toBe('');
  });

  test('a typed SecretV1 with literal data is a GP-SEC-007 error', () => {
    const { stack } = stackWith((s) => {
      cleanWorkload(s);
      new SecretV1(s, 'token', { metadata: { name: 'token', namespace: 'web' }, data: { token: 'ghp-literal-value' } });
    });
    expect(synthError(stack)).toMatch(/GP-SEC-007 error: Secret web\/token \(shop\/token\): Secret keys token hold literal values/);
  });

  test('a literal secret containing "${" (escaped for Terraform) is still found', () => {
    const { stack } = stackWith((s) => {
      const web = cleanWorkload(s);
      (web.deployment.object as any).spec.template.spec.containers[0].env.push({ name: 'DB_PASSWORD', value: 'pa${ss-word' });
    });
    expect(synthError(stack)).toMatch(/GP-SEC-007 error: .*env DB_PASSWORD holds a literal secret/);
  });

  test('bundleFromTerraform over the written cdk.tf.json finds what the aspect found', () => {
    const { stack, audit } = stackWith((s) => { cleanWorkload(s).deployment.resource.addOverride('manifest.spec.template.spec.hostIPC', true); });
    const written = JSON.parse(Testing.synth(stack));
    const fromFile = evaluateAudit(bundleFromTerraform(written), { context: { slaTarget: 3, strict: false } }).failing.map((f) => `${f.rule} ${f.message}`);
    expect(fromFile).toEqual(audit.evaluate(stack).failing.map((f) => `${f.rule} ${f.message}`));
    expect(fromFile).toEqual([expect.stringMatching(/^GP-SEC-001 hostIPC is true/)]);
  });
});

describe('locked rules cannot be waived with a wildcard path (issue 14)', () => {
  test.each([
    ['*', /wildcard/],
    ['*/legacy', /wildcard/],
    ['*-app/legacy', /wildcard/],
    ['shop/*', /wildcard/],
    ['shop', /does not name a construct inside a stack/],
    ['shop/', /does not name a construct inside a stack/],
  ])('a waiver of GP-SEC-007 with path %s is refused', (path, reason) => {
    const make = () => new GoldenPathAudit({ waivers: [{ rule: 'GP-SEC-007', path, reason: 'accepted for the whole app, we promise' }] });
    expect(make).toThrow(ValidationError);
    expect(make).toThrow(reason);
    try { make(); } catch (e: any) { expect(e.message).toMatch(/waivers\[0\]\.path/); expect(e.message).toMatch(/one waiver per stack|<stack>\/<construct path>/); }
  });

  test('a wildcard path still works for a rule that is not locked, and a named construct for a locked one', () => {
    expect(() => new GoldenPathAudit({ waivers: [{ rule: 'GP-REL-007', path: '*-app/redis', reason: 'single-node cache, rebuildable' }] })).not.toThrow();
    expect(() => new GoldenPathAudit({ waivers: [{ rule: 'GP-SEC-007', path: 'shop/legacy', reason: 'test fixture value, not a real credential' }] })).not.toThrow();
  });

  test('evaluateAudit ignores a wildcard waiver of a locked rule even when it is passed in directly', () => {
    const { stack } = stackWith((s) => { badDeployment(s); });
    const bundle = bundleFromScope(stack);
    const result = evaluateAudit(bundle, { context: { slaTarget: 3, strict: false }, suppressions: [{ rule: 'GP-SEC-007', path: '*', reason: 'turn it off everywhere', source: 'waiver' }] });
    expect(result.failing.map((f) => f.rule)).toContain('GP-SEC-007');
  });
});
