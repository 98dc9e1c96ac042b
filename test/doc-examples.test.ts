import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { extractBlocks, markdownFiles } from './support/markdown';

/**
 * The consumer's view of the docs (issue 16): every ```ts block in README.md and docs/*.md may
 * import only what a consumer would (the package root, cdktf, constructs, provider deep paths).
 * test/package.test.ts then type-checks every block, exactly as written, and examples/*.ts
 * against the packed package's declarations (test/support/doc-typecheck.ts), reusing its
 * packed tarball.
 *
 * A block that is deliberately not compilable is marked ```ts nocompile and preceded by an
 * HTML comment giving the reason: <!-- nocompile: why -->.
 */
const ROOT = path.join(__dirname, '..');

const NODE_BUILTINS = new Set(['fs', 'path', 'os', 'child_process', 'util', 'crypto']);
/** Why an import specifier is not one a consumer would write, or undefined when it is fine. */
function badImport(spec: string): string | undefined {
  if (spec === 'cdktf-golden-path' || spec === 'cdktf' || spec === 'constructs' || NODE_BUILTINS.has(spec.replace(/^node:/, ''))) return undefined;
  if (spec.startsWith('cdktf-golden-path/')) return 'import from the package root, cdktf-golden-path';
  if (spec.startsWith('.')) return 'a repository path: import from cdktf-golden-path';
  if (/^@cdktf\/provider-[a-z]+$/.test(spec)) return 'a provider package root: import by deep path (@cdktf/provider-aws/lib/<resource>)';
  if (/^@cdktf\/provider-[a-z]+\/lib\/[a-z0-9-]+$/.test(spec)) return undefined;
  return 'not a dependency a consumer has';
}

describe('documentation examples, as a consumer compiles them', () => {
  const all = markdownFiles(ROOT).flatMap((f) => extractBlocks(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f).split(path.sep).join('/')));

  test('the extractor finds fenced ts blocks, their numbers, lines, the nocompile marker and its reason', () => {
    const md = ['# T', '```ts', 'const a = 1;', '```', '```sh', 'npm test', '```', '<!-- nocompile: a fragment -->', '````typescript nocompile', 'x', '````', '~~~ts', 'const b = 2;', '~~~'].join('\n');
    expect(extractBlocks(md, 'x.md')).toEqual([
      { file: 'x.md', index: 1, line: 3, code: 'const a = 1;', nocompile: false },
      { file: 'x.md', index: 2, line: 10, code: 'x', nocompile: true, reason: 'a fragment' },
      { file: 'x.md', index: 3, line: 13, code: 'const b = 2;', nocompile: false },
    ]);
  });
  const compiled = all.filter((b) => !b.nocompile);
  const fragments = all.filter((b) => b.nocompile);

  test('every fragment is marked with a reason, and they are counted', () => {
    expect(fragments.filter((b) => !b.reason).map((b) => `${b.file}:${b.line}`)).toEqual([]);
    // Printed so a run shows what is compiled and what is not.
    console.log(`doc blocks: ${compiled.length} compiled, ${fragments.length} marked nocompile (${fragments.map((b) => `${b.file}:${b.line}: ${b.reason}`).join('; ')})`);
    expect(compiled.length).toBeGreaterThanOrEqual(20);
    expect(new Set(compiled.map((b) => b.file)).size).toBeGreaterThanOrEqual(5);
    expect(fragments.length).toBeLessThanOrEqual(3);
  });

  test('blocks import only from the package name, cdktf, constructs and provider deep paths', () => {
    const problems: string[] = [];
    for (const b of compiled) {
      const sf = ts.createSourceFile('x.ts', b.code, ts.ScriptTarget.ES2022);
      for (const st of sf.statements) {
        if ((ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
          const why = badImport(st.moduleSpecifier.text);
          if (why) problems.push(`${b.file}:${b.line}: '${st.moduleSpecifier.text}': ${why}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

});
