/**
 * Tier 1, wired into every test file (jest `setupFilesAfterEnv`): each stack a test
 * synthesizes (`Testing.synth`, `app.synth()`) is collected, and after the file's tests the
 * real Terraform and OpenTofu CLIs parse them all (`init -backend=false`, stand-in providers).
 * A stack either CLI refuses fails the file with the CLI's message, the stack, the test
 * that made it and the construct path. See docs/testing.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { StackUnderTest, formatProblems, parseWithCli, requireClis, stackHash } from './terraform-cli';

const collected = new Map<string, StackUnderTest>();

function origin(): string {
  const state = expect.getState();
  const file = state.testPath ? path.relative(process.cwd(), state.testPath) : 'unknown file';
  return state.currentTestName ? `${file} › ${state.currentTestName}` : file;
}

function collect(name: string, json: unknown): void {
  const hash = stackHash(json);
  if (!collected.has(hash)) collected.set(hash, { name, json, origin: origin() });
}

const testingSynth = Testing.synth.bind(Testing);
Testing.synth = (stack, runValidations) => {
  const out = testingSynth(stack, runValidations);
  collect(stack.node.id, JSON.parse(out));
  return out;
};

const appSynth = App.prototype.synth;
App.prototype.synth = function synth(this: App): void {
  appSynth.call(this);
  const manifestFile = path.join(this.outdir, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  for (const [name, stack] of Object.entries<any>(manifest.stacks ?? {})) {
    const file = path.join(this.outdir, stack.synthesizedStackPath);
    if (fs.existsSync(file)) collect(name, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
};

afterAll(async () => {
  if (collected.size === 0) return;
  const stacks = [...collected.values()];
  collected.clear();
  const clis = requireClis();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-cli-parse-'));
  try {
    const problems = (await Promise.all(clis.map((cli) => parseWithCli(cli, stacks, workDir)))).flat();
    if (problems.length > 0) {
      throw new Error(`Real-CLI parse: ${problems.length} problem(s) in ${stacks.length} stack(s) synthesized by this file\n\n${formatProblems(problems)}`);
    }
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}, 180_000);
