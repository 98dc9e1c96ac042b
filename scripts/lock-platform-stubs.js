#!/usr/bin/env node
/**
 * The npm registry mirror this project installs from serves only some platform builds
 * of packages with per-platform optional dependencies (@swc/core-*, @unrs/resolver-binding-*).
 * npm then leaves the missing ones out of package-lock.json, and `npm ci` refuses the lock
 * ("Missing: @swc/core-darwin-arm64@ from lock file"). This script adds an entry for each
 * missing optional platform package, with its os/cpu/libc, so `npm ci` sees a complete lock
 * and skips the packages that do not match the machine (they are never fetched).
 *
 * Run after `npm install` changes the lock: `node scripts/lock-platform-stubs.js`.
 */
const fs = require('fs');
const path = require('path');

const LOCK = path.resolve(__dirname, '..', 'package-lock.json');
const OS = ['darwin', 'linux', 'win32', 'android', 'freebsd', 'openharmony', 'sunos', 'aix', 'openbsd', 'netbsd'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32', universal: null };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.find((p) => OS.includes(p));
  const cpuPart = parts.find((p) => Object.prototype.hasOwnProperty.call(CPU, p) || p.startsWith('arm'));
  if (!os || !cpuPart) return undefined;
  const cpu = CPU[cpuPart] === undefined ? 'arm' : CPU[cpuPart];
  const libc = parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os: [os], ...(cpu ? { cpu: [cpu] } : {}), ...(os === 'linux' && libc ? { libc: [libc] } : {}) };
}

const lock = JSON.parse(fs.readFileSync(LOCK, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${key}/node_modules/${dep}`;
    const top = `node_modules/${dep}`;
    if (packages[nested] || packages[top]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[top] = { version, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
    added++;
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)));
fs.writeFileSync(LOCK, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} platform entries to package-lock.json`);
