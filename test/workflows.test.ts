import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';

/**
 * The CI workflows (docs/ci.md): their structure (the plan on pull requests, the plan-then-apply
 * deploy on main) and the scripts they call (scripts/ci/), run against a manifest fixture in CDKTF's
 * format and a fake `terraform` on PATH that records every command. Offline and fast.
 */

type Step = { name?: string; id?: string; uses?: string; run?: string; if?: string; 'continue-on-error'?: boolean; with?: Record<string, unknown>; env?: Record<string, string> };
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

const ROOT = path.resolve(__dirname, '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const CI = path.join(ROOT, 'scripts', 'ci');
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
function expectOidcCredentials(wf: Workflow, jobNames: string[], role = /^\$\{\{ vars\.AWS_\w+_ROLE_ARN \}\}$/): void {
  for (const name of jobNames) {
    const job = wf.jobs[name];
    const creds = uses(job, 'aws-actions/configure-aws-credentials');
    expect(creds).toHaveLength(1);
    expect(String(creds[0].with?.['role-to-assume'])).toMatch(role);
    expect(permission(wf, job, 'id-token')).toBe('write');
  }
}

const envName = (job: Job) => (typeof job.environment === 'string' ? job.environment : job.environment?.name);

describe('.github/workflows/plan.yml', () => {
  const wf = load('plan.yml');

  test('runs on every pull request and nothing else', () => {
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.on.pull_request).toBeNull(); // no branch or path filter
  });

  test('the first job runs npm ci, npm test and the synth, in that order (synthesized once)', () => {
    const lines = wf.jobs.synth.steps.map((s) => s.run).filter((r): r is string => r !== undefined);
    const order = ['npm ci', 'npm test', 'npm run synth'].map((c) => lines.indexOf(c));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    for (const [name, job] of Object.entries(wf.jobs)) if (name !== 'synth') expect(runs(job)).not.toMatch(/npm run synth|cdktf synth/);
  });

  test('the SARIF upload is optional and can never fail the job (private repositories without code scanning)', () => {
    const [upload] = uses(wf.jobs.synth, 'github/codeql-action/upload-sarif');
    expect(upload['continue-on-error']).toBe(true);
    expect(upload.if).toContain("hashFiles('cdktf.out/audit.sarif') != ''");
    expect(upload.if).toContain("vars.UPLOAD_SARIF != 'false'");
    expect(upload.with?.sarif_file).toBe('cdktf.out/audit.sarif');
    // Every other step of the job runs before or without it: nothing depends on its outcome.
    expect(JSON.stringify(wf)).not.toMatch(/steps\.[\w-]+\.outcome/);
  });

  test('one plan job plans every stack in dependency order with the plan script, from the synthesized output', () => {
    const plan = wf.jobs.plan;
    expect(needsOf(plan)).toEqual(['synth']);
    expect(plan.strategy).toBeUndefined(); // no per-stack matrix: the order matters
    const [download] = uses(plan, 'actions/download-artifact');
    expect(download.with?.name).toBe('cdktf-out');
    const [upload] = uses(wf.jobs.synth, 'actions/upload-artifact');
    expect(upload.with?.name).toBe('cdktf-out');
    const step = plan.steps.find((s) => (s.run ?? '').includes('scripts/ci/plan-stacks.sh'))!;
    expect(step.run).toBe('bash scripts/ci/plan-stacks.sh plans cdktf.out/manifest.json');
    expect(step.env?.PLAN_LOCK).toBe('false'); // a pull request never takes the state lock
    expect(plan.steps.indexOf(uses(plan, 'hashicorp/setup-terraform')[0])).toBeLessThan(plan.steps.indexOf(step));
    expect(plan.steps.indexOf(uses(plan, 'aws-actions/configure-aws-credentials')[0])).toBeLessThan(plan.steps.indexOf(step));
  });

  test('uploads the plans with their terraform show text, and a summary, even when a plan failed', () => {
    const plan = wf.jobs.plan;
    const uploads = uses(plan, 'actions/upload-artifact');
    expect(uploads.map((u) => u.with?.path)).toEqual(['plans/', 'plans/summary.md']);
    for (const u of uploads) expect(u.if).toContain('!cancelled()');
    const summary = plan.steps.find((s) => (s.run ?? '').includes('scripts/ci/plan-summary.js'))!;
    expect(summary.if).toContain('!cancelled()');
    expect(summary.run).toContain('$GITHUB_STEP_SUMMARY');
  });

  test('never applies', () => {
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        expect(step.run ?? '').not.toMatch(/terraform\s+apply|apply-plans|cdktf\s+(deploy|apply|destroy)|terraform\s+destroy|-auto-approve/);
      }
    }
  });

  test('reads AWS credentials from OIDC, never from stored keys', () => {
    expectOidcCredentials(wf, ['plan'], /^\$\{\{ vars\.AWS_PLAN_ROLE_ARN \}\}$/);
    expectNoStoredAwsKeys('plan.yml');
    expect(wf.permissions).toEqual({ contents: 'read' }); // least privilege by default, widened per job
    expect(wf.jobs.synth.permissions?.['id-token']).toBeUndefined(); // tests and synth run without AWS access
  });

  test('posts the summary as one (updated) PR comment, also when the plan failed', () => {
    const comment = wf.jobs.comment;
    expect(needsOf(comment)).toEqual(expect.arrayContaining(['plan']));
    expect(comment.if).toContain('!cancelled()');
    expect(comment.permissions?.['pull-requests']).toBe('write');
    expect(uses(comment, 'actions/download-artifact')[0].with?.name).toBe('plan-summary');
    const script = String(uses(comment, 'actions/github-script')[0].with?.script);
    expect(script).toContain('updateComment');
    expect(script).toContain('createComment');
    expect(script).toContain('plan-summary/summary.md');
  });

  test('pins every action version', () => expectPinnedActions(wf));
});

describe('.github/workflows/deploy.yml', () => {
  const wf = load('deploy.yml');
  const ENVIRONMENTS = ['development', 'staging', 'production'];
  const APPLY_ENVIRONMENT: Record<string, string> = { development: 'development', staging: 'staging', production: 'production-apply' };

  test('runs on push to main and on demand', () => {
    expect(Object.keys(wf.on).sort()).toEqual(['push', 'workflow_dispatch']);
    expect(wf.on.push).toEqual({ branches: ['main'] });
  });

  test('tests before planning anything', () => {
    expect(runs(wf.jobs.test)).toMatch(/npm ci[\s\S]*npm test/);
    expect(needsOf(wf.jobs['plan-development'])).toEqual(['test']);
  });

  test('development -> staging -> production, each planned then applied when its plan has changes', () => {
    const chain = ['test', ...ENVIRONMENTS.flatMap((e) => [`plan-${e}`, `apply-${e}`])];
    expect(Object.keys(wf.jobs).sort()).toEqual([...chain].sort());
    expect(needsOf(wf.jobs['plan-development'])).toEqual(['test']);
    expect(wf.jobs['plan-development'].if).toBeUndefined();
    ENVIRONMENTS.forEach((env, i) => {
      const plan = wf.jobs[`plan-${env}`];
      const apply = wf.jobs[`apply-${env}`];
      // The apply job (and its reviewers) only when there is something to apply.
      expect(plan.outputs?.changes).toBe('${{ steps.changes.outputs.changes }}');
      const step = plan.steps.find((x) => x.id === 'changes');
      expect(step?.run).toBe('bash scripts/ci/has-changes.sh plans >> "$GITHUB_OUTPUT"');
      expect(plan.steps.indexOf(step!)).toBeGreaterThan(plan.steps.findIndex((x) => /plan-stacks\.sh/.test(x.run ?? '')));
      expect(needsOf(apply)).toEqual([`plan-${env}`]);
      expect(apply.if).toBe(`needs.plan-${env}.outputs.changes == 'true'`);
      if (i === 0) return;
      // The next environment: after the previous apply succeeded, or when it was skipped because
      // its plan had nothing to apply; never after a failed plan or apply, never when cancelled.
      const prev = ENVIRONMENTS[i - 1];
      expect(needsOf(plan)).toEqual([`plan-${prev}`, `apply-${prev}`]);
      expect(plan.if).toBe(`\${{ !cancelled() && needs.plan-${prev}.result == 'success' && (needs.apply-${prev}.result == 'success' || needs.apply-${prev}.result == 'skipped') }}`);
    });
  });

  test('each plan job synthesizes its environment, plans in dependency order, shows the plans and saves them', () => {
    for (const env of ENVIRONMENTS) {
      const job = wf.jobs[`plan-${env}`];
      expect(envName(job)).toBe(env);
      expect(job.env?.GOLDEN_PATH_ENV).toBe(env);
      const lines = job.steps.map((s) => s.run ?? '');
      const synth = lines.indexOf('npm run synth');
      const plan = lines.indexOf('bash scripts/ci/plan-stacks.sh plans cdktf.out/manifest.json');
      const show = lines.findIndex((l) => /scripts\/ci\/plan-summary\.js plans .* --show >> "\$GITHUB_STEP_SUMMARY"/.test(l));
      expect(synth).toBeGreaterThanOrEqual(0);
      expect(plan).toBeGreaterThan(synth);
      expect(show).toBeGreaterThan(plan);
      const [upload] = uses(job, 'actions/upload-artifact');
      expect(upload.with?.name).toBe(`deploy-${env}`);
      expect(String(upload.with?.path).split('\n').filter(Boolean)).toEqual(['plans/', 'cdktf.out/', '!cdktf.out/**/.terraform/**']);
      expect(upload.with?.['include-hidden-files']).toBe(true); // the dependency lock files
      expect(upload.if).toBeUndefined(); // a failed plan saves nothing to apply
      expect(runs(job)).not.toMatch(/terraform\s+apply|apply-plans/);
    }
  });

  test('each apply job applies exactly the saved plans of its plan job: no synth, no new plan, no auto-approve', () => {
    for (const env of ENVIRONMENTS) {
      const job = wf.jobs[`apply-${env}`];
      expect(needsOf(job)).toEqual([`plan-${env}`]);
      const [download] = uses(job, 'actions/download-artifact');
      expect(download.with).toEqual({ name: `deploy-${env}`, path: '.' });
      expect(runs(job)).toContain('bash scripts/ci/apply-plans.sh plans');
      expect(runs(job)).not.toMatch(/npm (ci|run synth)|cdktf|plan-stacks|terraform\s+plan/);
      expect(job.env?.GOLDEN_PATH_ENV).toBeUndefined();
    }
    expect(read('deploy.yml')).not.toMatch(/auto-approve|cdktf\s+deploy/);
    // The apply script hands Terraform the saved plan file and nothing that would plan anew.
    const script = fs.readFileSync(path.join(CI, 'apply-plans.sh'), 'utf8');
    expect(script).toContain('apply -input=false -no-color "$plan_dir/$stack.tfplan"');
    expect(script).not.toMatch(/auto-approve/);
  });

  test('production is approved after its plan is shown: the apply job has its own environment and needs the plan job', () => {
    const plan = wf.jobs['plan-production'];
    const apply = wf.jobs['apply-production'];
    expect(envName(plan)).toBe('production');
    expect(envName(apply)).toBe('production-apply');
    expect(envName(apply)).not.toBe(envName(plan));
    expect(needsOf(apply)).toEqual(['plan-production']);
    for (const env of ENVIRONMENTS) expect(envName(wf.jobs[`apply-${env}`])).toBe(APPLY_ENVIRONMENT[env]);
  });

  test('two deploys never overlap', () => {
    expect(wf.concurrency?.group).toMatch(/^deploy-/);
    expect(wf.concurrency?.['cancel-in-progress']).toBe(false);
    for (const env of ENVIRONMENTS) {
      expect(wf.jobs[`apply-${env}`].concurrency).toEqual({ group: `deploy-${env}`, 'cancel-in-progress': false });
    }
  });

  test('reads AWS credentials from OIDC: a plan role to plan, the deploy role only to apply', () => {
    expectOidcCredentials(wf, ENVIRONMENTS.map((e) => `plan-${e}`), /^\$\{\{ vars\.AWS_PLAN_ROLE_ARN \}\}$/);
    expectOidcCredentials(wf, ENVIRONMENTS.map((e) => `apply-${e}`), /^\$\{\{ vars\.AWS_DEPLOY_ROLE_ARN \}\}$/);
    expectNoStoredAwsKeys('deploy.yml');
    expect(wf.jobs.test.permissions?.['id-token']).toBeUndefined();
  });

  test('pins every action version', () => expectPinnedActions(wf));
});

/* ------------------------------------------------------------------ scripts/ci */

/** A manifest in CDKTF 0.21's format (cdktf.out/manifest.json), app stacks listed before their dependency. */
function manifestFixture(): Record<string, unknown> {
  const stack = (name: string, dependencies: string[]) => ({
    annotations: [],
    constructPath: name,
    dependencies,
    name,
    stackMetadataPath: `stacks/${name}/metadata.json`,
    synthesizedStackPath: `stacks/${name}/cdk.tf.json`,
    workingDirectory: `stacks/${name}`,
  });
  return {
    version: '0.21.0',
    stacks: {
      'development-us-east-2-app': stack('development-us-east-2-app', ['development-us-east-2-maintenance']),
      'development-us-east-2-maintenance': stack('development-us-east-2-maintenance', []),
      'development-eu-west-1-app': stack('development-eu-west-1-app', ['development-eu-west-1-maintenance']),
      'development-eu-west-1-maintenance': stack('development-eu-west-1-maintenance', []),
    },
  };
}

/** A stand-in `terraform` that records `$*` (one line per call) and acts as FAKE_TF_PLAN / FAKE_TF_APPLY say. */
const FAKE_TERRAFORM = `#!/usr/bin/env bash
echo "$*" >> "$FAKE_TF_LOG"
chdir=""; out=""; plan_file=""
for a in "$@"; do
  case "$a" in
    -chdir=*) chdir="\${a#-chdir=}" ;;
    -out=*) out="\${a#-out=}" ;;
    *.tfplan) plan_file="$a" ;;
  esac
done
stack="$(basename "$chdir")"
verdict() { for item in $1; do [ "\${item%%=*}" = "$stack" ] && { echo "\${item#*=}"; return; }; done; echo "$2"; }
case "$2" in
  init) echo "Terraform has been successfully initialized!" ;;
  plan)
    case "$(verdict "\${FAKE_TF_PLAN:-}" 2)" in
      0) touch "$out"; echo "No changes."; exit 0 ;;
      2) echo "plan of $stack" > "$out"; echo "Plan: 1 to add, 1 to change, 1 to destroy."; exit 2 ;;
      crd) echo 'Error: API did not recognize GroupVersionKind from manifest (CRD may not be installed)'
           echo 'no matches for kind "ExternalSecret" in group "external-secrets.io"'; exit 1 ;;
      *) echo "Error: Invalid provider configuration"; exit 1 ;;
    esac ;;
  show)
    if [ "$3" = "-json" ]; then
      echo '{"resource_changes":[{"change":{"actions":["create"]}},{"change":{"actions":["update"]}},{"change":{"actions":["delete","create"]}},{"change":{"actions":["no-op"]}}]}'
    else
      echo "terraform show of $stack"
    fi ;;
  apply)
    [ -f "$plan_file" ] || { echo "no plan file"; exit 1; }
    if [ "$(verdict "\${FAKE_TF_APPLY:-}" ok)" = stale ]; then echo "Error: Saved plan is stale"; exit 1; fi
    echo "Apply complete!" ;;
  *) echo "unexpected: $*"; exit 3 ;;
esac
`;

describe('scripts/ci', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const MAINT_EU = 'development-eu-west-1-maintenance';
  const APP_EU = 'development-eu-west-1-app';
  const MAINT_US = 'development-us-east-2-maintenance';
  const APP_US = 'development-us-east-2-app';
  const ORDER = [MAINT_EU, APP_EU, MAINT_US, APP_US];

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-scripts-'));
    fs.mkdirSync(path.join(tmp, 'bin'));
    fs.writeFileSync(path.join(tmp, 'bin', 'terraform'), FAKE_TERRAFORM, { mode: 0o755 });
    fs.mkdirSync(path.join(tmp, 'cdktf.out'));
    fs.writeFileSync(path.join(tmp, 'cdktf.out', 'manifest.json'), JSON.stringify(manifestFixture()));
    env = { ...process.env, PATH: `${path.join(tmp, 'bin')}${path.delimiter}${process.env.PATH}`, FAKE_TF_LOG: path.join(tmp, 'terraform.log') };
    delete env.PLAN_LOCK;
    delete env.TERRAFORM;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const run = (cmd: string, args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(cmd, args, { cwd: tmp, env: { ...env, ...extra }, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, out: r.stdout + r.stderr };
  };
  const terraformCalls = () => (fs.existsSync(env.FAKE_TF_LOG!) ? fs.readFileSync(env.FAKE_TF_LOG!, 'utf8').split('\n') : []).filter(Boolean).map((l) => l.split(tmp).join('<tmp>'));
  const planList = () => fs.readFileSync(path.join(tmp, 'plans', 'plans.tsv'), 'utf8').trim().split('\n').map((l) => l.split('\t'));
  const plan = (extra: NodeJS.ProcessEnv = {}) => run('bash', [path.join(CI, 'plan-stacks.sh'), 'plans'], extra);
  const apply = (extra: NodeJS.ProcessEnv = {}) => run('bash', [path.join(CI, 'apply-plans.sh'), 'plans'], extra);

  describe('stack-order.js', () => {
    test('lists the stacks of a manifest in dependency order, with their directories and dependencies', () => {
      const r = run('node', [path.join(CI, 'stack-order.js'), '--manifest', 'cdktf.out/manifest.json']);
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split('\n')).toEqual([
        `${MAINT_EU}\tcdktf.out/stacks/${MAINT_EU}\t`,
        `${APP_EU}\tcdktf.out/stacks/${APP_EU}\t${MAINT_EU}`,
        `${MAINT_US}\tcdktf.out/stacks/${MAINT_US}\t`,
        `${APP_US}\tcdktf.out/stacks/${APP_US}\t${MAINT_US}`,
      ]);
      expect(run('node', [path.join(CI, 'stack-order.js'), '--names']).stdout.trim().split('\n')).toEqual(ORDER);
    });

    test('refuses an unknown dependency, a cycle and a missing manifest, saying which', () => {
      const m = manifestFixture() as { stacks: Record<string, { dependencies: string[] }> };
      m.stacks[MAINT_EU].dependencies = ['nowhere'];
      fs.writeFileSync(path.join(tmp, 'cdktf.out', 'manifest.json'), JSON.stringify(m));
      let r = run('node', [path.join(CI, 'stack-order.js')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`stack ${MAINT_EU} depends on nowhere`);

      m.stacks[MAINT_EU].dependencies = [APP_EU];
      fs.writeFileSync(path.join(tmp, 'cdktf.out', 'manifest.json'), JSON.stringify(m));
      r = run('node', [path.join(CI, 'stack-order.js')]);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`dependency cycle among: ${APP_EU}, ${MAINT_EU}`);

      r = run('node', [path.join(CI, 'stack-order.js'), '--manifest', 'missing.json']);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('run `npm run synth` first');
    });
  });

  describe('plan-stacks.sh', () => {
    test('inits, plans to a saved plan file and shows each stack, dependencies first', () => {
      const r = plan({ PLAN_LOCK: 'false', FAKE_TF_PLAN: `${MAINT_US}=0` });
      expect(r.status).toBe(0);
      const perStack = (s: string, lock: string) => [
        `-chdir=cdktf.out/stacks/${s} init -input=false -no-color`,
        `-chdir=cdktf.out/stacks/${s} plan -input=false -no-color -detailed-exitcode ${lock}-out=<tmp>/plans/${s}.tfplan`,
        `-chdir=cdktf.out/stacks/${s} show -no-color <tmp>/plans/${s}.tfplan`,
        `-chdir=cdktf.out/stacks/${s} show -json <tmp>/plans/${s}.tfplan`,
      ];
      expect(terraformCalls()).toEqual(ORDER.flatMap((s) => perStack(s, '-lock=false ')));
      expect(planList().map(([s, dir, status]) => [s, dir, status])).toEqual([
        [MAINT_EU, `cdktf.out/stacks/${MAINT_EU}`, 'changes'],
        [APP_EU, `cdktf.out/stacks/${APP_EU}`, 'changes'],
        [MAINT_US, `cdktf.out/stacks/${MAINT_US}`, 'no-changes'],
        [APP_US, `cdktf.out/stacks/${APP_US}`, 'changes'],
      ]);
      for (const s of ORDER) {
        expect(fs.existsSync(path.join(tmp, 'plans', `${s}.tfplan`))).toBe(true);
        expect(fs.readFileSync(path.join(tmp, 'plans', `${s}.txt`), 'utf8')).toBe(`terraform show of ${s}\n`);
      }
      expect(r.stdout).toContain(`terraform show of ${APP_US}`); // the plan text is in the job log

      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      expect(plan().status).toBe(0); // without PLAN_LOCK=false the state lock is taken
      expect(terraformCalls().filter((c) => c.includes(' plan '))).toEqual(ORDER.map((s) => perStack(s, '')[1]));
    });

    test('reports an app plan that needs its maintenance stack applied first, without failing', () => {
      const r = plan({ FAKE_TF_PLAN: `${APP_EU}=crd` });
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`::warning::${APP_EU} plan needs the maintenance stack applied first: needs ${MAINT_EU} applied first (its CRDs do not exist in the cluster yet)`);
      const row = planList().find(([s]) => s === APP_EU)!;
      expect(row[2]).toBe('needs-dependency');
      expect(fs.existsSync(path.join(tmp, 'plans', `${APP_EU}.tfplan`))).toBe(false);
      const summary = run('node', [path.join(CI, 'plan-summary.js'), 'plans']);
      expect(summary.stdout).toContain(`| \`${APP_EU}\` | :hourglass: needs-dependency: needs ${MAINT_EU} applied first`);
      expect(summary.stdout).toContain('the app plan needs the maintenance stack applied first');
    });

    test('fails on any other plan error, and on a missing CRD when the maintenance stack has nothing pending', () => {
      let r = plan({ FAKE_TF_PLAN: `${APP_EU}=error` });
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`::error::terraform plan failed for ${APP_EU}`);
      expect(planList().find(([s]) => s === APP_EU)![2]).toBe('failed');
      expect(planList().map(([s]) => s)).toEqual(ORDER); // the other stacks are still planned and reported

      r = plan({ FAKE_TF_PLAN: `${MAINT_EU}=0 ${APP_EU}=crd` });
      expect(r.status).toBe(1);
      expect(planList().find(([s]) => s === APP_EU)![2]).toBe('failed');
    });
  });

  test('plan-summary.js counts adds, changes and destroys like Terraform and can include the plan text', () => {
    expect(plan({ FAKE_TF_PLAN: `${MAINT_US}=0 ${APP_US}=error` }).status).toBe(1);
    const r = run('node', [path.join(CI, 'plan-summary.js'), 'plans', 'Plan for development', '--show']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('### Plan for development');
    expect(r.stdout).toContain(`| \`${MAINT_EU}\` | :warning: changes | 2 | 1 | 1 |`); // a replacement is one add and one destroy
    expect(r.stdout).toContain(`| \`${MAINT_US}\` | :white_check_mark: no-changes |`);
    expect(r.stdout).toContain(`| \`${APP_US}\` | :x: failed | - | - | - |`);
    expect(r.stdout).toContain(`<details><summary>terraform show: ${APP_EU}</summary>`);
    expect(r.stdout).toContain(`terraform show of ${APP_EU}`);
  });

  describe('apply-plans.sh', () => {
    test('applies exactly the saved plans that have changes, maintenance before app, nothing planned again', () => {
      expect(plan({ FAKE_TF_PLAN: `${MAINT_US}=0` }).status).toBe(0);
      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      const r = apply();
      expect(r.status).toBe(0);
      expect(terraformCalls()).toEqual(
        [MAINT_EU, APP_EU, APP_US].flatMap((s) => [
          `-chdir=cdktf.out/stacks/${s} init -input=false -no-color`,
          `-chdir=cdktf.out/stacks/${s} apply -input=false -no-color <tmp>/plans/${s}.tfplan`,
        ]),
      );
      expect(r.stdout).toContain(`${MAINT_US}: no changes, nothing to apply`);
    });

    test('skips a stack that needs its dependency applied first, with a warning', () => {
      expect(plan({ FAKE_TF_PLAN: `${APP_EU}=crd` }).status).toBe(0);
      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      const r = apply();
      expect(r.status).toBe(0);
      expect(terraformCalls().filter((c) => c.includes(' apply '))).toEqual([MAINT_EU, MAINT_US, APP_US].map((s) => `-chdir=cdktf.out/stacks/${s} apply -input=false -no-color <tmp>/plans/${s}.tfplan`));
      expect(r.stdout).toContain(`::warning::${APP_EU} was not applied: needs ${MAINT_EU} applied first`);
    });

    test('applies nothing when a plan failed or a saved plan is missing', () => {
      expect(plan({ FAKE_TF_PLAN: `${APP_US}=error` }).status).toBe(1);
      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      let r = apply();
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`::error::${APP_US}: its plan failed; nothing is applied`);
      expect(terraformCalls()).toEqual([]);

      expect(plan().status).toBe(0);
      fs.rmSync(path.join(tmp, 'plans', `${APP_EU}.tfplan`));
      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      r = apply();
      expect(r.status).toBe(1);
      expect(r.stdout).toContain(`saved plan ${APP_EU}.tfplan is missing`);
      expect(terraformCalls()).toEqual([]);
    });

    test('stops at the first failing apply (a stale plan): the app is not applied after its maintenance stack failed', () => {
      expect(plan().status).toBe(0);
      fs.writeFileSync(env.FAKE_TF_LOG!, '');
      const r = apply({ FAKE_TF_APPLY: `${MAINT_EU}=stale` });
      expect(r.status).not.toBe(0);
      expect(r.out).toContain('Saved plan is stale');
      expect(terraformCalls().filter((c) => c.includes(' apply '))).toEqual([`-chdir=cdktf.out/stacks/${MAINT_EU} apply -input=false -no-color <tmp>/plans/${MAINT_EU}.tfplan`]);
    });
  });
});

describe('scripts/ci/has-changes.sh', () => {
  const run = (tsv: string | undefined) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'has-changes-'));
    if (tsv !== undefined) fs.writeFileSync(path.join(dir, 'plans.tsv'), tsv);
    return spawnSync('bash', [path.join(CI, 'has-changes.sh'), dir], { encoding: 'utf8' });
  };
  test('changes=true when any stack has changes; false when every plan is empty or needs a dependency', () => {
    const both = run('dev-maintenance\td1\tno-changes\t\ndev-app\td2\tchanges\t\n');
    expect([both.status, both.stdout]).toEqual([0, 'changes=true\n']);
    const none = run('dev-maintenance\td1\tno-changes\t\ndev-app\td2\tno-changes\t\n');
    expect([none.status, none.stdout]).toEqual([0, 'changes=false\n']);
    expect(none.stderr).toContain('nothing to apply');
    // A stack literally named "changes" with no changes is not a change.
    expect(run('changes\td\tno-changes\t\n').stdout).toBe('changes=false\n');
  });
  test('fails when nothing was planned (no plans.tsv)', () => {
    const r = run(undefined);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('plans.tsv does not exist');
  });
});
