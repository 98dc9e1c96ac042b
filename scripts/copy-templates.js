#!/usr/bin/env node
// After `tsc`: copies the CI workflows and the scripts they call to dist/templates, where
// `cdktf-golden-path init` (lib/cli/init.ts) finds them in the published package.
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const targets = [
  [path.join(root, '.github', 'workflows'), path.join(root, 'dist', 'templates', 'workflows')],
  [path.join(root, 'scripts', 'ci'), path.join(root, 'dist', 'templates', 'ci')],
];
for (const [from, to] of targets) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const f of fs.readdirSync(from)) fs.copyFileSync(path.join(from, f), path.join(to, f));
}
