import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadEnvironments } from '../lib/config';

/**
 * Issue 14, deliverable 3, for the environments loader: whatever the files or the options hold,
 * loadEnvironments throws a ConfigError naming the file (or option) and the problem, never a
 * ReferenceError or plain Error, and never prints the content of a file outside the tree.
 */

/** The ConfigError thrown by `fn` (anything else fails the test with its own stack). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

let root: string;
const REGION = 'aws_region: us-east-2\nkube_cluster_name: prod\n';

/** A tree with one environment `prod` and region `us-east-2`; `files` adds or replaces files (relative paths). */
function tree(files: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(root, 'env-'));
  const all: Record<string, string> = { 'prod/environment.yaml': 'environment: prod\n', 'prod/us-east-2/region.yaml': REGION, ...files };
  for (const [rel, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-config-hardening-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('YAML that the parser accepts but cannot turn into values', () => {
  test('an alias bomb (billion laughs) is a ConfigError, quickly', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    ].join('\n');
    const dir = tree({ 'prod/environment.yaml': `environment: prod\n${bomb}\n` });
    const started = Date.now();
    const err = configError(() => loadEnvironments(dir, { displayRoot: dir }));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(err.file).toBe('prod/environment.yaml');
    expect(err.message).toContain('invalid YAML: Excessive alias count');
    expect(err.message).toContain('more than 100 alias expansions');
  });

  test('an alias without its anchor', () => {
    const err = configError(() => loadEnvironments(tree({ 'prod/environment.yaml': 'environment: *nope\n' })));
    expect(err.message).toMatch(/invalid YAML: Unresolved alias/);
  });

  test('a `<<` merge of something that is not a map (YAML 1.1)', () => {
    const err = configError(() => loadEnvironments(tree({ 'prod/environment.yaml': '%YAML 1.1\n---\nenvironment: &x prod\nextra_tags:\n  <<: *x\n' })));
    expect(err.message).toMatch(/invalid YAML: Merge sources must be maps/);
  });
});

describe('options from JavaScript', () => {
  test("only: 'prod' is refused (it would be split into letters), naming the option and the list to give", () => {
    const err = configError(() => loadEnvironments(tree(), { only: 'prod' as unknown as string[] }));
    expect(err.file).toBe('loadEnvironments()');
    expect(err.key).toBe('options.only');
    expect(err.expected).toContain('["prod"]');
    expect(loadEnvironments(tree(), { only: ['prod'] }).map((e) => e.name)).toEqual(['prod']);
  });

  test('other wrong options and a wrong root', () => {
    expect(configError(() => loadEnvironments(tree(), { only: [5] as unknown as string[] })).key).toBe('options.only[0]');
    expect(configError(() => loadEnvironments(tree(), { includeUserFiles: 'no' as unknown as boolean })).key).toBe('options.includeUserFiles');
    expect(configError(() => loadEnvironments(tree(), { onyl: ['prod'] } as never)).key).toBe('options.onyl');
    expect(configError(() => loadEnvironments(tree(), null as never)).key).toBe('options');
    expect(configError(() => loadEnvironments(5 as unknown as string)).key).toBe('rootDir');
  });
});

describe('files reached through a symbolic link', () => {
  test('the content of a file outside the environments directory is never printed', () => {
    const secretDir = fs.mkdtempSync(path.join(root, 'outside-'));
    const secret = path.join(secretDir, 'system-file');
    fs.writeFileSync(secret, 'root:x:0:0:SECRET-FIRST-LINE:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n');
    const dir = tree();
    fs.symlinkSync(secret, path.join(dir, 'prod', 'environment.user.yaml'));
    const err = configError(() => loadEnvironments(dir, { displayRoot: dir }));
    expect(err.message).not.toContain('SECRET');
    expect(err.message).not.toContain('root:x');
    expect(err.file).toBe('prod/environment.user.yaml');
    expect(err.message).toContain(`its content is not shown: the file is a link to ${fs.realpathSync(secret)}, outside the environments directory`);
  });

  test('unknown keys of an outside file are not printed either; a link inside the tree is read as usual', () => {
    const outside = path.join(fs.mkdtempSync(path.join(root, 'outside-')), 'user.yaml');
    fs.writeFileSync(outside, 'password_hint: SECRET\n');
    const dir = tree({ 'prod/shared.yaml': 'sla_target: "high"\n' });
    fs.symlinkSync(outside, path.join(dir, 'prod', 'environment.user.yaml'));
    const err = configError(() => loadEnvironments(dir, { displayRoot: dir }));
    expect(err.message).not.toContain('SECRET');
    expect(err.message).not.toContain('password_hint');
    expect(err.issues[0].line).toBe(1);

    const inside = tree({ 'prod/shared.yaml': 'sla_target: "high"\n' });
    fs.symlinkSync(path.join(inside, 'prod', 'shared.yaml'), path.join(inside, 'prod', 'environment.user.yaml'));
    expect(configError(() => loadEnvironments(inside, { displayRoot: inside })).message).toContain('sla_target = "high"');
  });

  test('an outside file that is valid is used (a per-developer override kept elsewhere)', () => {
    const outside = path.join(fs.mkdtempSync(path.join(root, 'outside-')), 'user.yaml');
    fs.writeFileSync(outside, 'sla_target: 1\n');
    const dir = tree();
    fs.symlinkSync(outside, path.join(dir, 'prod', 'environment.user.yaml'));
    expect(loadEnvironments(dir)[0].slaTarget).toBe(1);
  });
});
