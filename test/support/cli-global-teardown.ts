/** Removes what the global setup made for the run (the shared packed tarball). */
import * as fs from 'fs';

export default function globalTeardown(): void {
  const shared = process.env.GOLDEN_PATH_PACK_DIR;
  if (shared) fs.rmSync(shared, { recursive: true, force: true });
}
