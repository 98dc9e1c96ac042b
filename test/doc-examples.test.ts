import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { extractBlocks, markdownFiles } from './support/markdown';

/**
 * The consumer's view of the docs (issue 16): every ```ts block in README.md and docs/*.md is
 * written to a temporary project exactly as it stands (imports unchanged) and type-checked,
 * together with examples/*.ts, in one program where `cdktf-golden-path` resolves to
 * lib/index.ts through a tsconfig `paths` mapping, so a block can only use what the package
 * root exports, and only the imports a consumer would write are allowed.
 * (The packed package is checked by test/package.test.ts; building it here would cost a full
 * `tsc` build, so the mapping stands in for it.)
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

  test('every block and every examples/*.ts type-checks with cdktf-golden-path resolved by name (one program)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-doc-examples-'));
    const byFile = new Map<string, string>();
    for (const b of compiled) {
      const name = path.join(dir, `${b.file.replace(/[^A-Za-z0-9]+/g, '_')}_${b.index}.ts`);
      fs.writeFileSync(name, `${b.code}\nexport {};\n`); // imports exactly as documented
      byFile.set(path.resolve(name), `${b.file}: ts block ${b.index} (markdown line ${b.line})`);
    }
    const examplesDir = path.join(ROOT, 'examples');
    for (const f of fs.readdirSync(examplesDir).filter((f) => f.endsWith('.ts'))) byFile.set(path.resolve(examplesDir, f), `examples/${f}`);
    const started = Date.now();
    const program = ts.createProgram([...byFile.keys()], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      noUnusedLocals: false,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
      baseUrl: ROOT,
      paths: { 'cdktf-golden-path': ['lib/index.ts'], '*': ['node_modules/*'] },
    });
    const own = program.getSourceFiles().filter((sf) => byFile.has(path.resolve(sf.fileName)));
    expect(own).toHaveLength(byFile.size);
    const problems = [...program.getOptionsDiagnostics(), ...own.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])]
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        if (!d.file || d.start === undefined) return msg;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        return `${byFile.get(path.resolve(d.file.fileName)) ?? d.file.fileName}, line ${line + 1}: ${msg}`;
      });
    console.log(`type-checked ${byFile.size} files in one program in ${Date.now() - started} ms`);
    fs.rmSync(dir, { recursive: true, force: true });
    expect(problems).toEqual([]);
  });
});
