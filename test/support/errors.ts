import { ValidationError } from '../../lib/core/errors';

/** The ValidationError `fn` throws (fails the test when it throws nothing or something else). */
export function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e; // an unexpected error fails the test with its own stack
    return e;
  }
  throw new Error('expected a ValidationError');
}
