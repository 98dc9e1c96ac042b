/**
 * Deferred module loading. The package root is imported by every stack file and every test
 * worker, so modules only some code paths need (the YAML parser, the config schema library)
 * are loaded on first use instead of at import: `npm run bench` measures the root's cold import.
 */

/** A function that computes `load()` once, on its first call, and returns the same value after. */
export function lazy<T>(load: () => T): () => T {
  let loaded = false;
  let value: T;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value;
  };
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** The `yaml` package, loaded on first use. */
export const yamlModule = lazy(() => require('yaml') as typeof import('yaml'));
/** The `zod` package, loaded on first use. */
export const zodModule = lazy(() => require('zod') as typeof import('zod'));
/* eslint-enable @typescript-eslint/no-require-imports */
