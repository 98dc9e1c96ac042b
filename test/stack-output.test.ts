/**
 * Pins the exact text of every example and corpus stack (`test/e2e/stacks.ts`: the example app
 * in every environment and the real-CLI corpus, what the end-to-end tier applies) by its
 * SHA-256, against test/fixtures/stack-output.json. A change to how the library synthesizes
 * (the emitter's fast paths, the chunked writer, docs/performance.md) must leave these bytes as
 * they are; a change that means to alter the output shows here as the stacks it alters.
 *
 * Accept a deliberate change:  UPDATE_STACK_OUTPUT=1 npx jest test/stack-output.test.ts
 * and say in the commit why the output changed (and in CHANGELOG.md when users see it).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeAll } from './e2e/stacks';

const FIXTURE = path.join(__dirname, 'fixtures', 'stack-output.json');
const UPDATE_COMMAND = 'UPDATE_STACK_OUTPUT=1 npx jest test/stack-output.test.ts';

test('every example and corpus stack synthesizes to the pinned bytes', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-output-'));
  try {
    const digests: Record<string, string> = {};
    // CDKTF's default local backend writes the state next to the working directory: the
    // checkout's own path is the one part of the text that depends on where it is.
    const checkout = JSON.stringify(process.cwd()).slice(1, -1);
    for (const stack of synthesizeAll(outdir)) {
      const text = fs.readFileSync(path.join(stack.dir, 'cdk.tf.json'), 'utf8').split(checkout).join('<checkout>');
      digests[stack.name] = createHash('sha256').update(text).digest('hex');
    }
    if (process.env.UPDATE_STACK_OUTPUT === '1') {
      fs.writeFileSync(FIXTURE, `${JSON.stringify(digests, null, 2)}\n`);
      return;
    }
    const pinned = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as Record<string, string>;
    const changed = Object.keys({ ...pinned, ...digests }).filter((name) => pinned[name] !== digests[name]).sort();
    if (changed.length > 0) {
      throw new Error(`the synthesized text of ${changed.length} stack(s) changed: ${changed.join(', ')}.\nIf that is meant, run ${UPDATE_COMMAND} and say why in the commit.`);
    }
    expect(Object.keys(digests).length).toBeGreaterThanOrEqual(15);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
