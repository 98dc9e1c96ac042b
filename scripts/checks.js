#!/usr/bin/env node
/**
 * The checks `npm test` runs before jest, two at a time (this machine class has 2 cores):
 * the type-check (`npm run typecheck`) in one lane, the generated-file checks
 * (`npm run check:prop-shapes`: prop shapes, then prop types) in the other. Each lane's output
 * is printed when it ends; the exit code is 1 when any check fails.
 */
const { spawn } = require('child_process');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (pkg, file) => path.join(root, 'node_modules', pkg, file);
const lanes = [
  [['tsc --noEmit -p tsconfig.json', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']]],
  [
    ['prop shapes', [bin('tsx', 'dist/cli.mjs'), 'terragrunt-compat/gen-prop-shapes.ts', '--check']],
    ['prop types', [bin('tsx', 'dist/cli.mjs'), 'scripts/gen-prop-types.ts', '--check']],
  ],
];

function run([name, args]) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      process.stdout.write(`${output}${output.endsWith('\n') || output === '' ? '' : '\n'}`);
      console.log(`${code === 0 ? 'ok  ' : 'FAIL'} ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      resolve(code === 0);
    });
  });
}

async function lane(steps) {
  for (const step of steps) if (!(await run(step))) return false;
  return true;
}

Promise.all(lanes.map(lane)).then((results) => process.exit(results.every(Boolean) ? 0 : 1));
