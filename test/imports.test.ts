import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const DIRS = ['lib', 'stacks', 'environments', 'terragrunt-compat', 'bench', 'test'];
const ROOT_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](@cdktf\/provider-[a-z0-9-]+)['"]/g;

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'out' ? [] : sourceFiles(p);
    return /\.(ts|js)$/.test(e.name) ? [p] : [];
  });
}

describe('provider imports', () => {
  const files = [...DIRS.flatMap((d) => sourceFiles(path.join(ROOT, d))), path.join(ROOT, 'main.ts')].filter((f) => f !== __filename);

  test('no file imports a provider package root (it costs ~5 s and ~780 MB per process)', () => {
    const offenders = files.flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return [...text.matchAll(ROOT_IMPORT)].map((m) => `${path.relative(ROOT, f)}: ${m[1]}`);
    });
    expect(offenders).toEqual([]);
  });

  test('the check recognises a root import and accepts a deep one', () => {
    // Built from parts so that this file itself holds no root import for repository-wide greps to find.
    const root = (p: string) => `'@cdktf/provider-${p}'`;
    const sample = [`import { AwsProvider } from ${root('aws')};`, `const k = require(${root('kubernetes')});`, `import { IamRole } from '@cdktf/provider-aws/lib/iam-role';`].join('\n');
    expect([...sample.matchAll(ROOT_IMPORT)].map((m) => m[1])).toEqual(['@cdktf/provider-aws', '@cdktf/provider-kubernetes']);
  });

  test('files were found in every layer', () => {
    for (const d of ['lib', 'stacks', 'test']) expect(files.some((f) => f.startsWith(path.join(ROOT, d)))).toBe(true);
  });
});

describe('package root import stays light', () => {
  // `npm run bench` holds the root's cold import to 150 ms; these modules are only needed by the
  // environments loader, the audit renderer and Helm values, so they load on first use.
  const deferred = ['yaml', 'zod'];

  /** Runs `use` on a fresh copy of the package root; returns the deferred modules it loaded. */
  function modulesLoadedBy(use: (lib: typeof import('../lib')) => void): string[] {
    const loaded: string[] = [];
    jest.isolateModules(() => {
      for (const m of deferred) {
        jest.doMock(m, () => {
          loaded.push(m);
          return jest.requireActual(m);
        });
      }
      use(require('../lib') as typeof import('../lib'));
    });
    return loaded.sort();
  }

  test('importing the package root loads neither yaml nor zod', () => {
    expect(modulesLoadedBy(() => undefined)).toEqual([]);
  });

  test('they load on first use, and the loader works', () => {
    const loaded = modulesLoadedBy((lib) => {
      expect(lib.loadEnvironments(path.join(ROOT, 'environments')).length).toBeGreaterThan(0);
    });
    expect(loaded).toEqual(['yaml', 'zod']);
  });
});
