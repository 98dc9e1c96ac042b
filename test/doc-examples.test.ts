import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The consumer's view of the docs (issue 16): every ```ts block in README.md and docs/*.md is
 * written to a temporary project exactly as it stands (imports unchanged) and type-checked,
 * together with examples/*.ts, in one program where `cdktf-golden-path` resolves to
 * lib/index.ts through a tsconfig `paths` mapping, so a block can only use what the package
 * root exports. test/docs.test.ts checks the same blocks with their imports rewritten to lib/;
 * this test adds the import rules, the fragment count and the package-name resolution.
 * (The packed package is checked by test/package.test.ts; building it here would cost a full
 * `tsc` build, so the mapping stands in for it.)
 *
 * A block that is deliberately not compilable is marked ```ts nocompile and preceded by an
 * HTML comment giving the reason: <!-- nocompile: why -->.
 */
const ROOT = path.join(__dirname, '..');

interface Block { file: string; index: number; line: number; code: string; nocompile: boolean; reason?: string }

function markdownFiles(): string[] {
  const out = [path.join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'api') walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(path.join(ROOT, 'docs'));
  return out.sort();
}

function blocksOf(file: string): Block[] {
  const rel = path.relative(ROOT, file).split(path.sep).join('/');
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: { fence: string; ts: boolean; nocompile: boolean; reason?: string; start: number; body: string[] } | undefined;
  let lastNonBlank = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!open) {
      const m = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(line);
      if (m) {
        const lang = m[2].toLowerCase();
        const reason = /^<!--\s*nocompile:\s*(.+?)\s*-->$/.exec(lastNonBlank.trim())?.[1];
        open = { fence: m[1], ts: lang === 'ts' || lang === 'typescript', nocompile: /\bnocompile\b/.test(m[3]), reason, start: i + 2, body: [] };
      } else if (line.trim() !== '') lastNonBlank = line;
    } else if (line.trim().startsWith(open.fence) && line.trim().replace(/^[`~]+/, '') === '') {
      if (open.ts) blocks.push({ file: rel, index: blocks.length + 1, line: open.start, code: open.body.join('\n'), nocompile: open.nocompile, reason: open.reason });
      open = undefined;
      lastNonBlank = '';
    } else open.body.push(line);
  }
  return blocks;
}

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
  const all = markdownFiles().flatMap(blocksOf);
  const compiled = all.filter((b) => !b.nocompile);
  const fragments = all.filter((b) => b.nocompile);

  test('every fragment is marked with a reason, and they are counted', () => {
    expect(fragments.filter((b) => !b.reason).map((b) => `${b.file}:${b.line}`)).toEqual([]);
    // Printed so a run shows what is compiled and what is not.
    console.log(`doc blocks: ${compiled.length} compiled, ${fragments.length} marked nocompile (${fragments.map((b) => `${b.file}:${b.line}: ${b.reason}`).join('; ')})`);
    expect(compiled.length).toBeGreaterThanOrEqual(20);
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
