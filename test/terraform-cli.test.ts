/**
 * The tier-1 judge itself: real Terraform and OpenTofu must refuse what is wrong, and the
 * harness must tie each refusal to its stack and construct path. (Every stack the other
 * test files synthesize is parsed by test/support/cli-parse-hook.ts.)
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeJob } from '../lib/constructs/kube-job';
import { errorDiagnostics, parseWithCli, providerRequirements, requireClis, versionMeeting } from './support/terraform-cli';

const clis = requireClis();
let workDir: string;
beforeAll(() => (workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-cli-test-'))));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** A stack as KubeJob emitted it before the fix: an interpolation where a bare reference belongs. */
function interpolatedReplaceTrigger(): any {
  return {
    terraform: { required_providers: { kubernetes: { source: 'kubernetes', version: '2.38.0' } } },
    resource: {
      terraform_data: { trigger: { triggers_replace: { a: 1 } } },
      kubernetes_manifest: {
        job: {
          '//': { metadata: { path: 'test/migration/Job/Resource', uniqueId: 'job' } },
          manifest: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'm' } },
          lifecycle: { replace_triggered_by: ['${terraform_data.trigger}'] },
        },
      },
    },
  };
}

describe.each(clis.map((c) => [c.name, c] as const))('%s', (_name, cli) => {
  test('refuses an interpolated replace_triggered_by, naming the stack and the construct path', async () => {
    const good = { name: 'good', json: { resource: { terraform_data: { x: { input: 'ok' } } } } };
    const problems = await parseWithCli(cli, [good, { name: 'broken', json: interpolatedReplaceTrigger(), origin: 'hand-written' }], workDir);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) {
      expect(p).toMatchObject({ cli: cli.name, stack: 'broken', origin: 'hand-written', constructPath: 'test/migration/Job/Resource' });
      expect(p.message).toMatch(/replace_triggered_by/);
    }
  });

  test('refuses a reference to a resource that does not exist in depends_on', async () => {
    const json = { resource: { terraform_data: { a: { input: 1, depends_on: ['${terraform_data.b}'] } } } };
    const problems = await parseWithCli(cli, [{ name: 'deps', json }], workDir);
    expect(problems.map((p) => p.stack)).toContain('deps');
  });

  test('accepts what KubeJob emits now (a bare reference)', async () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'job');
    new KubernetesProvider(stack, 'kubernetes', {});
    new KubeJob(stack, 'migration', { namespace: 'web', name: 'migrate', containers: [{ name: 'm', imageRegistry: 'ghcr.io', imageRepository: 'acme/api', imageTag: '1.0.0', command: ['./migrate'] }] });
    const json = JSON.parse(Testing.synth(stack, true));
    const [address] = Object.keys(json.resource.terraform_data);
    const job = Object.values<any>(json.resource.kubernetes_manifest).find((r) => r.manifest.kind === 'Job');
    expect(job.lifecycle.replace_triggered_by).toEqual([`terraform_data.${address}`]);
    expect(await parseWithCli(cli, [{ name: 'job', json }], workDir)).toEqual([]);
  });
});

describe('harness', () => {
  test('keeps Error blocks and drops warnings and the init summary', () => {
    const output = [
      'Terraform encountered problems...',
      'Warning: Backend configuration ignored',
      '  on s0/cdk.tf.json line 2, in terraform.backend:',
      '',
      'Error: Terraform encountered problems during initialisation, including problems',
      'with the configuration, described below.',
      '',
      'Error: Invalid character',
      '',
      '  on s1/cdk.tf.json line 7, in resource.x.y.lifecycle.replace_triggered_by:',
      '   7:   "${a.b}"',
    ].join('\n');
    const blocks = errorDiagnostics(output);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatch(/^Error: Invalid character[\s\S]*line 7/);
  });

  test('picks a provider version meeting each constraint', () => {
    expect(versionMeeting('6.25.0')).toBe('6.25.0');
    expect(versionMeeting('>= 2.38')).toBe('2.38.0');
    expect(versionMeeting('~> 3.1, < 4.0')).toBe('3.1.0');
    expect(providerRequirements([{ name: 's', json: { terraform: { required_providers: { k8s: { source: 'hashicorp/kubernetes', version: '2.38.0' } } } } }])).toEqual([
      { namespace: 'hashicorp', type: 'kubernetes', version: '2.38.0' },
    ]);
  });
});
