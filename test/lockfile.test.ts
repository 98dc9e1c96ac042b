import * as fs from 'fs';
import * as path from 'path';

/** `npm ci` refuses a lock that lacks an optional dependency's entry (see scripts/lock-platform-stubs.js). */
test('package-lock.json has an entry for every optional dependency, so npm ci accepts it', () => {
  const lock = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package-lock.json'), 'utf8'));
  const packages: Record<string, { optionalDependencies?: Record<string, string> }> = lock.packages;
  const missing = Object.entries(packages).flatMap(([key, entry]) =>
    Object.keys(entry.optionalDependencies ?? {}).filter((dep) => !packages[`${key}/node_modules/${dep}`] && !packages[`node_modules/${dep}`]).map((dep) => `${key || '<root>'} -> ${dep}`),
  );
  expect(missing).toEqual([]);
});
