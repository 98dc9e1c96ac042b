import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The API reference (`npm run docs`, typedoc.json) lists only user-facing symbols of the package
 * root, each in one of the families of docs/api-landing.md, and every construct and its props
 * interface has a summary of its own. Runs typedoc once with JSON output (about 4-6 s).
 */
const ROOT = path.resolve(__dirname, '..');
const FAMILIES = ['Workloads', 'Networking', 'Edge & AWS', 'Configuration', 'App', 'Maintenance', 'Audit', 'Core'];
const INTERNAL = ['PropValidator', 'BoundValidator', 'buildPod', 'buildScheduling', 'buildService', 'RawFinding', 'RuleDefinition', 'ALL_RULES', 'FIELDS', 'emitHorizontalAutoscaler', 'validateKubernetesObject', 'renderBundle', 'emitSupport', 'addCachedImages'];

interface Reflection {
  id: number;
  name: string;
  kind: number;
  comment?: { summary?: Array<{ text: string }>; modifierTags?: string[]; blockTags?: Array<{ tag: string }> };
  children?: Reflection[];
  signatures?: Reflection[];
  groups?: Array<{ title: string; children: number[] }>;
}

function summary(r: Reflection | undefined): string {
  const own = r?.comment ?? r?.signatures?.[0]?.comment;
  return (own?.summary ?? []).map((p) => p.text).join('').trim();
}

function walk(r: Reflection, visit: (r: Reflection) => void): void {
  visit(r);
  for (const c of [...(r.children ?? []), ...(r.signatures ?? [])]) walk(c, visit);
}

/** Construct classes declared in lib/constructs, with the name of their props interface. */
function constructClasses(): Array<{ name: string; props: string }> {
  const dir = path.join(ROOT, 'lib', 'constructs');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).flatMap((f) =>
    [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/^export (?:abstract )?class (\w+)/gm)].map((m) => ({
      name: m[1],
      props: m[1] === 'KubeWorkload' ? 'KubeWorkloadConstructProps' : `${m[1]}Props`,
    })),
  );
}

describe('the API reference', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'api-reference-'));
  const json = path.join(tmp, 'api.json');
  // `--skipErrorChecking`: `npm test` type-checks the code before jest (scripts/checks.js); typedoc
  // checking it again cost about 3 s of this file.
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--json', json, '--out', path.join(tmp, 'html'), '--skipErrorChecking', '--logLevel', 'Error'], { cwd: ROOT, stdio: 'pipe' });
  const project = JSON.parse(fs.readFileSync(json, 'utf8')) as Reflection;
  const top = project.children ?? [];
  const byName = new Map(top.map((c) => [c.name, c]));
  const lib = require('../lib') as Record<string, unknown>;

  test('has no internal symbol', () => {
    const names: string[] = [];
    walk(project, (r) => names.push(r.name));
    expect(names.filter((n) => INTERNAL.includes(n) || /^build\w*Model$/.test(n))).toEqual([]);
    const tagged: string[] = [];
    walk(project, (r) => {
      if (r.comment?.modifierTags?.includes('@internal')) tagged.push(r.name);
    });
    expect(tagged).toEqual([]);
  });

  test('lists only what the package root exports', () => {
    const runtime = top.filter((c) => c.kind === 128 || c.kind === 64 || c.kind === 32).map((c) => c.name);
    expect(runtime.filter((n) => !(n in lib))).toEqual([]);
  });

  test('every construct class is exported from the root with its props interface, each with a summary of its own', () => {
    const constructs = constructClasses();
    expect(constructs.length).toBeGreaterThanOrEqual(25);
    const problems: string[] = [];
    const summaries = new Map<string, string>();
    for (const { name, props } of constructs) {
      if (typeof lib[name] !== 'function') problems.push(`${name} is not exported from the package root`);
      for (const n of [name, props]) {
        const r = byName.get(n);
        if (!r) problems.push(`${n} is not in the API reference`);
        else if (!summary(r)) problems.push(`${n} has no summary`);
        else if (summaries.has(summary(r))) problems.push(`${n} shares its summary with ${summaries.get(summary(r))}`);
        else summaries.set(summary(r), n);
      }
    }
    expect(problems).toEqual([]);
  });

  test('every symbol is in one of the families, and every family is used', () => {
    const groups = project.groups ?? [];
    expect(groups.map((g) => g.title).sort()).toEqual([...FAMILIES].sort());
    const grouped = new Set(groups.flatMap((g) => g.children));
    expect(top.filter((c) => !grouped.has(c.id)).map((c) => c.name)).toEqual([]);
  });

  test('the landing page names every family', () => {
    const landing = fs.readFileSync(path.join(ROOT, 'docs', 'api-landing.md'), 'utf8');
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'typedoc.json'), 'utf8')).readme).toBe('docs/api-landing.md');
    for (const f of FAMILIES) expect(landing).toContain(`**${f}**`);
  });
});
