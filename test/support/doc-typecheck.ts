import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { extractBlocks, markdownFiles } from './markdown';

/**
 * Type-checks what a consumer copies from the docs: every compilable ```ts block of README.md and
 * docs/*.md, exactly as written (imports unchanged), and every examples/*.ts, in one program,
 * from files placed in `project` so that `cdktf-golden-path` resolves the way it does for a
 * consumer: `project/node_modules/cdktf-golden-path` (the installed tarball: its package.json
 * `types` and the compiled .d.ts). The other dependencies (cdktf, constructs, the providers,
 * @types/node) come from `nodeModules`, as they would from the consumer's own node_modules.
 * Returns one line per error, naming the markdown file, block and line.
 */
export function typeCheckDocsAgainst(project: string, root: string, nodeModules: string): { problems: string[]; files: number; ms: number } {
  const dir = path.join(project, 'doc-blocks');
  fs.mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, string>();
  const blocks = markdownFiles(root).flatMap((f) => extractBlocks(fs.readFileSync(f, 'utf8'), path.relative(root, f).split(path.sep).join('/')));
  for (const b of blocks.filter((x) => !x.nocompile)) {
    const name = path.join(dir, `${b.file.replace(/[^A-Za-z0-9]+/g, '_')}_${b.index}.ts`);
    fs.writeFileSync(name, `${b.code}\nexport {};\n`);
    byFile.set(path.resolve(name), `${b.file}: ts block ${b.index} (markdown line ${b.line})`);
  }
  // The examples import each other (./providers): copied together, unchanged.
  const examples = path.join(dir, 'examples');
  fs.mkdirSync(examples, { recursive: true });
  for (const f of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.ts'))) {
    fs.copyFileSync(path.join(root, 'examples', f), path.join(examples, f));
    byFile.set(path.resolve(examples, f), `examples/${f}`);
  }
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
    typeRoots: [path.join(nodeModules, '@types')],
    // Tried first for every package name; what is not there (cdktf-golden-path) resolves from
    // the file's own node_modules, i.e. the installed tarball.
    baseUrl: project,
    paths: { '*': [path.join(nodeModules, '*')] },
  });
  const own = program.getSourceFiles().filter((sf) => byFile.has(path.resolve(sf.fileName)));
  const problems = [...program.getOptionsDiagnostics(), ...own.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])]
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (!d.file || d.start === undefined) return msg;
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${byFile.get(path.resolve(d.file.fileName)) ?? d.file.fileName}, line ${line + 1}: ${msg}`;
    });
  if (own.length !== byFile.size) problems.push(`only ${own.length} of ${byFile.size} files were compiled`);
  // Where `cdktf-golden-path` came from: it must be the installed package's declarations.
  const resolved = ts.resolveModuleName('cdktf-golden-path', path.join(dir, 'x.ts'), program.getCompilerOptions(), ts.sys).resolvedModule?.resolvedFileName ?? '(unresolved)';
  const packed = path.join(project, 'node_modules', 'cdktf-golden-path', 'dist', 'lib', 'index.d.ts');
  if (path.resolve(resolved) !== path.resolve(packed)) problems.push(`cdktf-golden-path resolved to ${resolved}, not the packed ${packed}`);
  return { problems, files: byFile.size, ms: Date.now() - started };
}
