import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Every ```ts block in docs/**\/*.md and README.md is type-checked against the repository's
 * lib/, so the examples cannot drift from the API. Each block is its own module; imports from
 * 'cdktf-golden-path' (and relative imports such as './lib/...') are pointed at the repo.
 * Mark a block ```ts nocompile to leave it out on purpose (sparingly).
 */
const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, '.cache', 'docs-examples');

export interface DocBlock {
  /** Markdown file, relative to the repo root. */
  readonly file: string;
  /** 1-based number among the file's ts blocks. */
  readonly index: number;
  /** 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly code: string;
  readonly nocompile: boolean;
}

function markdownFiles(): string[] {
  const files = [path.join(ROOT, 'README.md')];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && p !== path.join(ROOT, 'docs', 'api')) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) files.push(p);
    }
  };
  walk(path.join(ROOT, 'docs'));
  return files.filter((f) => fs.existsSync(f)).sort();
}

/** The ts/typescript fenced blocks of a markdown text. */
export function extractBlocks(text: string, file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = text.split('\n');
  let open: { fence: string; ts: boolean; nocompile: boolean; start: number; body: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!open) {
      const m = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(line);
      if (m) {
        const lang = m[2].toLowerCase();
        open = { fence: m[1], ts: lang === 'ts' || lang === 'typescript', nocompile: /\bnocompile\b/.test(m[3]), start: i + 2, body: [] };
      }
    } else if (line.trim().startsWith(open.fence[0].repeat(open.fence.length)) && line.trim().replace(new RegExp(`^\\${open.fence[0]}+`), '') === '') {
      if (open.ts) blocks.push({ file, index: blocks.length + 1, line: open.start, code: open.body.join('\n'), nocompile: open.nocompile });
      open = undefined;
    } else {
      open.body.push(line);
    }
  }
  return blocks;
}

/** Point the package name and repo-relative imports at this checkout. */
export function rewriteImports(code: string, exampleDir: string): string {
  const toRepo = (target: string): string => {
    let rel = path.relative(exampleDir, path.join(ROOT, target)).split(path.sep).join('/');
    if (!rel.startsWith('.')) rel = `./${rel}`;
    return rel;
  };
  return code.replace(/(from\s+|import\s+|import\(\s*|require\(\s*)(['"])([^'"]+)\2/g, (all, lead: string, q: string, spec: string) => {
    if (spec === 'cdktf-golden-path') return `${lead}${q}${toRepo('lib')}${q}`;
    if (spec.startsWith('cdktf-golden-path/')) return `${lead}${q}${toRepo(spec.slice('cdktf-golden-path/'.length))}${q}`;
    if (spec.startsWith('./') || spec.startsWith('../')) return `${lead}${q}${toRepo(spec.replace(/^(\.\.?\/)+/, ''))}${q}`;
    return all;
  });
}

describe('documentation examples', () => {
  const all = markdownFiles().flatMap((f) => extractBlocks(fs.readFileSync(f, 'utf8'), path.relative(ROOT, f).split(path.sep).join('/')));
  const blocks = all.filter((b) => !b.nocompile);

  test('the extractor finds fenced ts blocks, their numbers, lines and the nocompile marker', () => {
    const md = ['# T', '```ts', 'const a = 1;', '```', '```sh', 'npm test', '```', '````typescript nocompile', 'x', '````', '~~~ts', 'const b = 2;', '~~~'].join('\n');
    expect(extractBlocks(md, 'x.md')).toEqual([
      { file: 'x.md', index: 1, line: 3, code: 'const a = 1;', nocompile: false },
      { file: 'x.md', index: 2, line: 9, code: 'x', nocompile: true },
      { file: 'x.md', index: 3, line: 12, code: 'const b = 2;', nocompile: false },
    ]);
    expect(rewriteImports("import { A } from 'cdktf-golden-path';\nimport { B } from './lib/config';\nimport { C } from 'cdktf';", path.join(ROOT, '.cache', 'x'))).toBe(
      "import { A } from '../../lib';\nimport { B } from '../../lib/config';\nimport { C } from 'cdktf';",
    );
  });

  test('the docs have examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(new Set(blocks.map((b) => b.file)).size).toBeGreaterThanOrEqual(5);
    expect(all.filter((b) => b.nocompile).length).toBeLessThanOrEqual(3); // sparingly
  });

  test('every ts example type-checks against lib/ (one program)', () => {
    fs.rmSync(OUT, { recursive: true, force: true });
    fs.mkdirSync(OUT, { recursive: true });
    const byFile = new Map<string, DocBlock>();
    for (const b of blocks) {
      const name = path.join(OUT, `${b.file.replace(/[^A-Za-z0-9]+/g, '_')}_${b.index}.ts`);
      // `export {}` keeps each block in its own module scope.
      fs.writeFileSync(name, `${rewriteImports(b.code, OUT)}\nexport {};\n`);
      byFile.set(path.resolve(name), b);
    }
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      lib: ['lib.es2022.d.ts'],
      strict: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    };
    const program = ts.createProgram([...byFile.keys()], options);
    // Only the examples' own diagnostics: lib/ itself is type-checked by `npm run typecheck`.
    const examples = program.getSourceFiles().filter((sf) => byFile.has(path.resolve(sf.fileName)));
    expect(examples).toHaveLength(byFile.size);
    const problems = [
      ...program.getOptionsDiagnostics(),
      ...program.getGlobalDiagnostics(),
      ...examples.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]),
    ]
      .filter((d) => d.category === ts.DiagnosticCategory.Error)
      .map((d) => {
        const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
        const block = d.file ? byFile.get(path.resolve(d.file.fileName)) : undefined;
        if (!d.file || d.start === undefined) return `(global): ${message}`;
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        if (!block) return `${path.relative(ROOT, d.file.fileName)}:${line + 1}: ${message}`;
        return `${block.file}: ts block ${block.index} (line ${block.line + line}): ${message}`;
      });
    expect(problems).toEqual([]);
  });
});
