#!/usr/bin/env node
/**
 * List the stacks of a synthesized CDKTF app in dependency order (a stack after every stack it
 * depends on), read from cdktf.out/manifest.json: `stacks.<name>.dependencies` and
 * `stacks.<name>.workingDirectory` (relative to the manifest's directory).
 *
 *   node scripts/ci/stack-order.js [--manifest cdktf.out/manifest.json] [--names]
 *
 * Prints one line per stack, `<name>\t<directory>\t<dependency,dependency>`, or only the names
 * with --names. Stacks that are ready at the same time come in name order, so the output is stable.
 * Fails on a dependency the manifest does not list and on a dependency cycle. Used by
 * scripts/ci/plan-stacks.sh and the workflows (docs/ci.md).
 */
'use strict';
const fs = require('fs');
const path = require('path');

function fail(message) {
  process.stderr.write(`stack-order: ${message}\n`);
  process.exit(1);
}

function orderStacks(manifest, manifestDir) {
  const stacks = manifest && manifest.stacks;
  if (!stacks || typeof stacks !== 'object') fail('the manifest has no "stacks" object');
  const byName = new Map();
  for (const [key, s] of Object.entries(stacks)) {
    const name = s.name || key;
    byName.set(name, {
      name,
      dir: path.join(manifestDir, s.workingDirectory || path.join('stacks', name)),
      deps: [...(s.dependencies || [])].sort(),
    });
  }
  for (const s of byName.values()) {
    for (const d of s.deps) if (!byName.has(d)) fail(`stack ${s.name} depends on ${d}, which the manifest does not list`);
  }
  const done = new Set();
  const out = [];
  while (out.length < byName.size) {
    const ready = [...byName.values()].filter((s) => !done.has(s.name) && s.deps.every((d) => done.has(d))).sort((a, b) => (a.name < b.name ? -1 : 1));
    if (ready.length === 0) {
      fail(`dependency cycle among: ${[...byName.keys()].filter((n) => !done.has(n)).sort().join(', ')}`);
    }
    // One at a time keeps name order among the ready stacks while still honouring every dependency.
    done.add(ready[0].name);
    out.push(ready[0]);
  }
  return out;
}

const args = process.argv.slice(2);
let manifestFile = 'cdktf.out/manifest.json';
let namesOnly = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--manifest') manifestFile = args[++i];
  else if (args[i] === '--names') namesOnly = true;
  else fail(`unknown argument ${args[i]} (usage: stack-order.js [--manifest file] [--names])`);
}
if (!manifestFile || !fs.existsSync(manifestFile)) fail(`no manifest at ${manifestFile}: run \`npm run synth\` first`);
let manifest;
try {
  manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
} catch (e) {
  fail(`cannot parse ${manifestFile}: ${e.message}`);
}
for (const s of orderStacks(manifest, path.dirname(manifestFile))) {
  process.stdout.write(namesOnly ? `${s.name}\n` : `${s.name}\t${s.dir}\t${s.deps.join(',')}\n`);
}
