import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * The naming contract: every prop of every public props interface has a doc comment, and
 * every optional prop states its default with `@default`.
 */
const ROOT = path.resolve(__dirname, '..');

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.ts$/.test(e.name) && !e.name.endsWith('.d.ts') && !e.name.includes('.generated.') ? [p] : [];
  });
}

interface Finding {
  readonly where: string;
  readonly problem: string;
}

function check(file: string): Finding[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: Finding[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !/Props$/.test(node.name.text)) return;
    if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member) || !member.name) continue;
      const name = `${path.relative(ROOT, file)} ${node.name.text}.${member.name.getText(source)}`;
      const docs = ts.getJSDocCommentsAndTags(member);
      if (docs.length === 0) out.push({ where: name, problem: 'has no doc comment' });
      else if (member.questionToken && !ts.getJSDocTags(member).some((t) => t.tagName.text === 'default')) out.push({ where: name, problem: 'is optional but has no @default' });
    }
  });
  return out;
}

describe('doc comments', () => {
  const all = [...files(path.join(ROOT, 'lib'))];

  test('every prop of every exported *Props interface is documented, optional ones with @default', () => {
    expect(all.flatMap(check).map((f) => `${f.where} ${f.problem}`)).toEqual([]);
  });

  test('the check finds an undocumented prop and a missing @default', () => {
    const tmp = path.join(require('os').tmpdir(), `doc-check-${process.pid}.ts`);
    fs.writeFileSync(tmp, 'export interface XProps {\n  a: string;\n  /** doc */\n  b?: number;\n  /** doc @default 1 */\n  c?: number;\n}\n');
    expect(check(tmp).map((f) => f.problem)).toEqual(['has no doc comment', 'is optional but has no @default']);
  });
});
