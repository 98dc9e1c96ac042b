import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';

/** Structure checks of the CI workflows: the plan on pull requests and the ordered deploy on main. */

type Step = { name?: string; id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  strategy?: { matrix?: Record<string, unknown>; 'fail-fast'?: boolean };
  outputs?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
};
type Workflow = { name: string; on: Record<string, unknown>; permissions?: Record<string, string>; concurrency?: { group: string; 'cancel-in-progress'?: boolean }; jobs: Record<string, Job> };

const WORKFLOWS = path.resolve(__dirname, '..', '.github', 'workflows');
const read = (file: string) => fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
const load = (file: string) => parse(read(file)) as Workflow;

const needsOf = (job: Job) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.split('@')[0] === action);
const permission = (wf: Workflow, job: Job, scope: string) => job.permissions?.[scope] ?? wf.permissions?.[scope];

/** Every step that uses a third-party action pins a version. */
function expectPinnedActions(wf: Workflow): void {
  for (const job of Object.values(wf.jobs)) {
    for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@v?\d[\w.]*$/);
  }
}

/** No stored AWS keys: neither secret references nor the key inputs of configure-aws-credentials. */
function expectNoStoredAwsKeys(file: string): void {
  const text = read(file);
  expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|aws-session-token/i);
  expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/);
  expect(text).not.toMatch(/secrets\.\w*AWS\w*/i);
}

/** Jobs using configure-aws-credentials assume a role through OIDC and hold id-token: write. */
function expectOidcCredentials(wf: Workflow, jobNames: string[]): void {
  for (const name of jobNames) {
    const job = wf.jobs[name];
    const creds = uses(job, 'aws-actions/configure-aws-credentials');
    expect(creds).toHaveLength(1);
    expect(String(creds[0].with?.['role-to-assume'])).toMatch(/^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/);
    expect(permission(wf, job, 'id-token')).toBe('write');
  }
}

describe('.github/workflows/plan.yml', () => {
  const wf = load('plan.yml');

  test('runs on every pull request and nothing else', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.on.pull_request).toBeNull(); // no branch or path filter
  });

  test('the first job runs npm ci, npm test and the synth, in that order', () => {
    const lines = wf.jobs.synth.steps.map((s) => s.run).filter((r): r is string => r !== undefined);
    const order = ['npm ci', 'npm test', 'npm run synth'].map((c) => lines.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  test('the stack list comes from cdktf.out/manifest.json and feeds the plan matrix', () => {
    const synth = wf.jobs.synth;
    const listStep = synth.steps.find((s) => s.id === 'stacks')!;
    expect(listStep.run).toContain('cdktf.out/manifest.json');
    expect(listStep.run).toContain('$GITHUB_OUTPUT');
    expect(synth.outputs?.stacks).toBe('${{ steps.stacks.outputs.stacks }}');

    const plan = wf.jobs.plan;
    expect(needsOf(plan)).toEqual(['synth']);
    expect(plan.strategy?.matrix?.stack).toBe('${{ fromJSON(needs.synth.outputs.stacks) }}');
    expect(plan.strategy?.['fail-fast']).toBe(false);
  });

  test('each matrix job runs terraform init and terraform plan in its stack directory', () => {
    const plan = wf.jobs.plan;
    const init = plan.steps.find((s) => /^terraform init\b/.test(s.run ?? ''))!;
    const tfplan = plan.steps.find((s) => /(^|\n)\s*terraform plan\b/.test(s.run ?? ''))!;
    expect(init).toBeDefined();
    expect(tfplan).toBeDefined();
    expect(plan.steps.indexOf(init)).toBeLessThan(plan.steps.indexOf(tfplan));
    for (const step of [init, tfplan]) expect((step as Step & { 'working-directory'?: string })['working-directory']).toBe('${{ env.STACK_DIR }}');
    expect(plan.env?.STACK_DIR).toBe('${{ matrix.stack.dir }}');
    expect(uses(plan, 'hashicorp/setup-terraform')).toHaveLength(1);
  });

  test('never applies', () => {
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        expect(step.run ?? '').not.toMatch(/terraform\s+apply|cdktf\s+(deploy|apply|destroy)|terraform\s+destroy|-auto-approve/);
      }
    }
  });

  test('reads AWS credentials from OIDC, never from stored keys', () => {
    expectOidcCredentials(wf, ['plan']);
    expectNoStoredAwsKeys('plan.yml');
    expect(wf.permissions).toEqual({ contents: 'read' }); // least privilege by default, widened per job
  });

  test('posts adds / changes / destroys per stack as one (updated) PR comment', () => {
    const summarize = wf.jobs.plan.steps.find((s) => s.name === 'Summarize the plan')!;
    expect(summarize.run).toContain('terraform show -json tfplan');
    for (const field of ['add', 'change', 'destroy']) expect(summarize.run).toContain(`${field}:`);

    const comment = wf.jobs.comment;
    expect(needsOf(comment)).toEqual(expect.arrayContaining(['plan']));
    expect(comment.if).toContain('!cancelled()'); // also reports failed plans
    expect(comment.permissions?.['pull-requests']).toBe('write');
    const script = String(uses(comment, 'actions/github-script')[0].with?.script);
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(script).toMatch(/\| stack \| status \| add \| change \| destroy \|/);
  });

  test('uploads audit.sarif only when it exists', () => {
    const [upload] = uses(wf.jobs.synth, 'github/codeql-action/upload-sarif');
    expect(upload.if).toContain("hashFiles('cdktf.out/audit.sarif') != ''");
    expect(upload.with?.sarif_file).toBe('cdktf.out/audit.sarif');
    expect(wf.jobs.synth.permissions?.['security-events']).toBe('write');
  });

  test('pins every action version', () => expectPinnedActions(wf));
});

describe('.github/workflows/deploy.yml', () => {
  const wf = load('deploy.yml');
  const ENVIRONMENTS = ['development', 'staging', 'production'];

  test('runs on push to main only', () => {
    expect(Object.keys(wf.on)).toEqual(['push']);
    expect(wf.on.push).toEqual({ branches: ['main'] });
  });

  test('tests before deploying anything', () => {
    expect(runs(wf.jobs.test)).toMatch(/npm ci[\s\S]*npm test/);
    expect(needsOf(wf.jobs.development)).toEqual(['test']);
  });

  test('deploys development -> staging -> production, each in its GitHub environment', () => {
    expect(needsOf(wf.jobs.staging)).toEqual(['development']);
    expect(needsOf(wf.jobs.production)).toEqual(['staging']);
    for (const env of ENVIRONMENTS) {
      const job = wf.jobs[env];
      const name = typeof job.environment === 'string' ? job.environment : job.environment?.name;
      expect(name).toBe(env); // production approval comes from this environment's protection rules
      expect(job.env?.GOLDEN_PATH_ENV).toBe(env);
      expect(job.if).toBeUndefined(); // nothing skips a stage
    }
  });

  test('each environment job deploys its stacks with cdktf deploy --auto-approve', () => {
    for (const env of ENVIRONMENTS) {
      expect(runs(wf.jobs[env])).toMatch(/npx cdktf deploy '\*' --auto-approve/);
      expect(uses(wf.jobs[env], 'hashicorp/setup-terraform')).toHaveLength(1);
    }
  });

  test('two deploys never overlap', () => {
    expect(wf.concurrency?.group).toMatch(/^deploy-/);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
    for (const env of ENVIRONMENTS) {
      expect(wf.jobs[env].concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
    }
  });

  test('reads AWS credentials from OIDC, never from stored keys', () => {
    expectOidcCredentials(wf, ENVIRONMENTS);
    expectNoStoredAwsKeys('deploy.yml');
  });

  test('pins every action version', () => expectPinnedActions(wf));
});
