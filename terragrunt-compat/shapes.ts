/**
 * The shape of a construct's props, as far as terragrunt-compat needs it to map Panfactum
 * inputs: which keys an object accepts (converted snake_case -> lowerCamelCase and
 * checked), which values are maps (their keys are data and are kept as written) and
 * which are lists. Generated from the TypeScript declarations by gen-prop-shapes.ts.
 */
export type PropShape =
  /** Any value, passed as written (strings, numbers, booleans, enums, unions with a primitive). */
  | 'value'
  /** An object with known keys. */
  | { readonly object: Readonly<Record<string, PropShape>> }
  /** A map: keys are kept; each value has the given shape. */
  | { readonly map: PropShape }
  /** A list: each item has the given shape. */
  | { readonly list: PropShape };
