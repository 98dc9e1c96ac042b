import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Runs `fn` while holding a lock shared by every jest worker: `npm pack` rebuilds dist/ (prepack),
 * and two builds at once could pack a half-written file.
 */
function withPackLock<T>(fn: () => T): T {
  const lock = path.join(os.tmpdir(), 'cdktf-golden-path-pack.lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed run is stale after 3 minutes.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 180_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`packLibrary: ${lock} is held for too long`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Packs the library as npm would publish it (prepack builds it) into a new temporary directory;
 * returns the tarball's path. Within one `jest` run the library is packed once
 * (`GOLDEN_PATH_PACK_DIR`, set by the global setup): the test files that need it copy that tarball.
 */
export function packLibrary(prefix: string): { tmp: string; tarball: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const shared = process.env.GOLDEN_PATH_PACK_DIR;
  const pack = (dest: string) =>
    (execFileSync('npm', ['pack', '--pack-destination', dest, '--silent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'silent' } }).trim().split('\n').pop() as string);
  const name = withPackLock(() => {
    if (!shared) return pack(tmp);
    const done = path.join(shared, 'packed');
    if (!fs.existsSync(done)) fs.writeFileSync(done, pack(shared));
    const packed = fs.readFileSync(done, 'utf8');
    fs.copyFileSync(path.join(shared, packed), path.join(tmp, packed));
    return packed;
  });
  return { tmp, tarball: path.join(tmp, name) };
}

/** Installs the tarball as `<project>/node_modules/cdktf-golden-path` (what `npm install <tarball>` unpacks); returns that directory. */
export function installTarball(tarball: string, project: string): string {
  const installed = path.join(project, 'node_modules', 'cdktf-golden-path');
  fs.mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  return installed;
}

/**
 * Offline stand-in for `npm install` of the other dependencies: links every package of this
 * repository's node_modules (the peers, tsx, typescript, @types/node, cdktf-cli, ...) into the
 * project's, and their executables into `node_modules/.bin` (so `npx cdktf`, and the `npx tsx` of
 * cdktf.json's app, run without the registry). Returns the `.bin` directory.
 */
export function linkRepositoryModules(project: string): string {
  const from = path.join(ROOT, 'node_modules');
  const to = path.join(project, 'node_modules');
  fs.mkdirSync(to, { recursive: true });
  const bin = path.join(to, '.bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const entry of fs.readdirSync(path.join(from, '.bin'))) {
    if (!fs.existsSync(path.join(bin, entry))) fs.symlinkSync(fs.realpathSync(path.join(from, '.bin', entry)), path.join(bin, entry));
  }
  for (const entry of fs.readdirSync(from)) {
    if (entry === 'cdktf-golden-path' || entry === '.bin' || entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      fs.mkdirSync(path.join(to, entry), { recursive: true });
      for (const sub of fs.readdirSync(path.join(from, entry))) {
        if (!fs.existsSync(path.join(to, entry, sub))) fs.symlinkSync(path.join(from, entry, sub), path.join(to, entry, sub), 'dir');
      }
    } else if (!fs.existsSync(path.join(to, entry))) fs.symlinkSync(path.join(from, entry), path.join(to, entry), 'dir');
  }
  return bin;
}
