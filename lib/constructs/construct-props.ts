import { IConstruct } from 'constructs';
import { checkPropTypes } from '../core/prop-types';
import { PropValidator } from '../core/validation';
import { CONSTRUCT_PROP_TYPES, NAMED_PROP_TYPES } from './prop-types.generated';

/** An exported construct class of lib/constructs (its props type is in prop-types.generated.ts). */
export type CheckedConstruct = keyof typeof CONSTRUCT_PROP_TYPES;

/**
 * The first statement of every construct constructor, right after `super(scope, id)`: check the
 * props against the construct's props type (generated from the declarations by
 * scripts/gen-prop-types.ts) before anything reads them. Wrong JavaScript types, null, NaN, unknown
 * keys, sparse lists ... fail here with a ValidationError naming the prop path; deploy-time tokens
 * pass wherever a value of their kind is accepted. Use the props it returns: an IResolvable given
 * for a string, number or list comes back encoded as one (see lib/core/prop-types.ts).
 *
 *     constructor(scope: Construct, id: string, props: KubeFooProps) {
 *       super(scope, id);
 *       props = checkConstructProps(this, 'KubeFoo', props);
 */
export function checkConstructProps<T>(scope: IConstruct, construct: CheckedConstruct, props: T): T {
  return checkPropTypes(new PropValidator(scope), CONSTRUCT_PROP_TYPES[construct], props, { named: NAMED_PROP_TYPES, subject: construct });
}
