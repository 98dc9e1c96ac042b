import * as fs from 'fs';
import * as path from 'path';

/**
 * The example app (main.ts and stacks/) is built only from the public API (issue 16): it
 * imports the library from its package root ('../lib' or './lib'), never from a deep path
 * such as '../lib/constructs/kube-deployment', so a consumer can write the same app against
 * the published package.
 */
const ROOT = path.resolve(__dirname, '..');
const LIB_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"]((?:\.\.?\/)+lib(?:\/[^'"]*)?)['"]/g;

/** The deep library imports of a source text (imports of the root, `../lib` or `./lib`, pass). */
export function deepLibImports(text: string): string[] {
  return [...text.matchAll(LIB_IMPORT)].map((m) => m[1]).filter((spec) => !/^(?:\.\.?\/)+lib\/?$/.test(spec) && !/^(?:\.\.?\/)+lib\/index$/.test(spec));
}

describe('the example app uses only the public API', () => {
  const files = [
    path.join(ROOT, 'main.ts'),
    ...fs.readdirSync(path.join(ROOT, 'stacks')).filter((f) => f.endsWith('.ts')).map((f) => path.join(ROOT, 'stacks', f)),
  ];

  test('main.ts and stacks/ import nothing from a deep path of lib/', () => {
    const offenders = files.flatMap((f) => deepLibImports(fs.readFileSync(f, 'utf8')).map((spec) => `${path.relative(ROOT, f)}: ${spec}`));
    expect(offenders).toEqual([]);
  });

  test('the check recognises a deep import and accepts the root', () => {
    const sample = [
      "import { KubeDeployment } from '../lib/constructs/kube-deployment';",
      "import type { EnvironmentConfig } from '../lib/config';",
      "const a = require('./lib/audit');",
      "import { EnvironmentStack } from '../lib';",
      "import { App } from './lib/';",
      "import { buildStacks } from './stacks/app';",
    ].join('\n');
    expect(deepLibImports(sample)).toEqual(['../lib/constructs/kube-deployment', '../lib/config', './lib/audit']);
  });

  test('files were found', () => {
    expect(files.length).toBeGreaterThan(5);
  });
});
