import * as fs from 'fs';
import * as path from 'path';

/** A fenced ts/typescript block of a markdown file. */
export interface DocBlock {
  /** Markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based number among the file's ts blocks. */
  readonly index: number;
  /** 1-based line of the block's first code line in the markdown file. */
  readonly line: number;
  readonly code: string;
  /** Marked ```ts nocompile: a deliberate fragment. */
  readonly nocompile: boolean;
  /** The reason given in a `<!-- nocompile: why -->` comment right before the block. */
  readonly reason?: string;
}

/** README.md and every docs/**\/*.md (not the generated API reference under docs/api), sorted. */
export function markdownFiles(root: string): string[] {
  const files = [path.join(root, 'README.md')];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && p !== path.join(root, 'docs', 'api')) walk(p);
      else if (e.isFile() && e.name.endsWith('.md')) files.push(p);
    }
  };
  walk(path.join(root, 'docs'));
  return files.filter((f) => fs.existsSync(f)).sort();
}

/** The ts/typescript fenced blocks of a markdown text (``` or ~~~ fences of any length). */
export function extractBlocks(text: string, file: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = text.split('\n');
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
    } else if (line.trim().startsWith(open.fence) && line.trim().replace(new RegExp(`^\\${open.fence[0]}+`), '') === '') {
      if (open.ts) {
        blocks.push({ file, index: blocks.length + 1, line: open.start, code: open.body.join('\n'), nocompile: open.nocompile, ...(open.reason ? { reason: open.reason } : {}) });
      }
      open = undefined;
      lastNonBlank = '';
    } else open.body.push(line);
  }
  return blocks;
}
