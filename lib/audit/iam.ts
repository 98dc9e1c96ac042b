/**
 * IAM policy semantics the audit rules need, matched the way IAM evaluates them: action names
 * are case-insensitive, `*` matches any run of characters and `?` one character, in actions and
 * in resource ARNs; `NotAction` / `NotResource` with Allow grant everything not listed.
 */
import { asArray, isTokenString } from './model';

const PATTERNS = new Map<string, RegExp>();

/** An IAM wildcard pattern as a case-insensitive regular expression. */
export function iamPattern(pattern: string): RegExp {
  let re = PATTERNS.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'is');
    PATTERNS.set(pattern, re);
  }
  return re;
}

/** Does an action pattern of a policy (`iam:Pass*`, `IAM:passrole`, `*`) match an action? */
export function actionMatches(pattern: unknown, action: string): boolean {
  return typeof pattern === 'string' && !isTokenString(pattern) && iamPattern(pattern.trim()).test(action);
}

/** The literal strings of a policy element (`Action`, `Resource`, ...): tokens and non-strings left out. */
export function literals(v: unknown): string[] {
  return asArray<unknown>(v as any).filter((x): x is string => typeof x === 'string' && !isTokenString(x));
}

export function isAllow(s: any): boolean {
  return typeof s?.Effect === 'string' && s.Effect.toLowerCase() === 'allow';
}

/** Does this statement grant the action (Action matching it, or NotAction not excluding it)? */
export function grantsAction(s: any, action: string): boolean {
  if (!isAllow(s)) return false;
  if (s.Action !== undefined) return asArray<unknown>(s.Action).some((p) => actionMatches(p, action));
  if (s.NotAction !== undefined) {
    const excluded = asArray<unknown>(s.NotAction);
    if (excluded.some((p) => typeof p !== 'string' || isTokenString(p))) return false; // cannot tell at synth
    return !excluded.some((p) => actionMatches(p, action));
  }
  return false;
}

/** The action patterns of the statement that grant `action` (`NotAction` when it is granted that way). */
export function grantingPatterns(s: any, action: string): string[] {
  if (!grantsAction(s, action)) return [];
  if (s.Action !== undefined) return literals(s.Action).filter((p) => actionMatches(p, action));
  return ['NotAction'];
}

function arnParts(pattern: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const parts = pattern.split(':');
  if (parts.length < 6 || parts[0].toLowerCase() !== 'arn') return undefined;
  return { partition: parts[1], service: parts[2], region: parts[3], account: parts[4], resource: parts.slice(5).join(':') };
}

/**
 * Could the statement's resources include a resource of this service? `*`, a wildcard service
 * segment, `NotResource` and deploy-time values (unknown at synth) count as yes.
 */
export function resourceCouldBe(s: any, service: string): boolean {
  if (s.NotResource !== undefined) return true;
  return asArray<unknown>(s.Resource).some((r) => {
    if (typeof r !== 'string' || isTokenString(r)) return true;
    if (r.trim() === '*') return true;
    const arn = arnParts(r.trim());
    return arn === undefined ? false : iamPattern(arn.service).test(service);
  });
}

/**
 * Does the statement reach every role of the account (Resource `*`, `arn:aws:iam::*:role/*`,
 * `arn:aws:iam::<account>:role/*`, NotResource)? Probed with two unrelated role ARNs.
 */
export function coversAllRoles(s: any): boolean {
  if (s.NotResource !== undefined) return true;
  return literals(s.Resource).some((r) => {
    const p = r.trim();
    if (p === '*') return true;
    const arn = arnParts(p);
    const partition = arn && !/[*?]/.test(arn.partition) ? arn.partition : 'aws';
    const account = arn && /^\d{12}$/.test(arn.account) ? arn.account : '111122223333';
    const re = iamPattern(p);
    return re.test(`arn:${partition}:iam::${account}:role/golden-path-probe`) && re.test(`arn:${partition}:iam::${account}:role/service-role/zz-other`);
  });
}

/** Is a resource pattern the same as `*` for its service (`arn:aws:s3:::*`, `arn:*:ec2:*:*:*`)? */
export function isWildcardResource(pattern: string): boolean {
  const p = pattern.trim();
  if (/^[*?]+$/.test(p)) return true;
  const arn = arnParts(p);
  if (!arn) return false;
  const wild = (x: string) => x === '' || /^[*?]+$/.test(x);
  return wild(arn.region) && wild(arn.account) && /^[*?/:]+$/.test(arn.resource);
}

/** The statement applies to every resource: Resource `*` (or its ARN equivalent) or Allow with NotResource. */
export function appliesToAllResources(s: any): boolean {
  return s.NotResource !== undefined || literals(s.Resource).some(isWildcardResource);
}

/** Condition operators that require a value to match (no IfExists, no negation, no ForAllValues). */
const POSITIVE_OPERATORS = new Set(['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike', 'foranyvalue:stringequals', 'foranyvalue:stringequalsignorecase', 'foranyvalue:stringlike']);

/** Condition keys that identify the resource acted on (its tags, its ARN, where it lives). */
const RESOURCE_KEYS = /^([a-z0-9-]+:(resourcetag|requesttag)\/.+|ec2:(vpc|subnet|instanceprofile|createaction)|s3:prefix|kms:resourcealiases|secretsmanager:secretid|dynamodb:leadingkeys)$/i;

function scopingValue(v: unknown): boolean {
  return typeof v === 'string' && v.trim() !== '' && !/^[*?]+$/.test(v.trim());
}

/**
 * Does a Condition narrow the resources a statement acts on? Only when some entry compares a
 * key that identifies the resource (`aws:ResourceTag/<key>`, `<service>:ResourceTag/<key>`, the
 * tags a create call must set `aws:RequestTag/<key>`, `ec2:CreateAction`, `ec2:Vpc`, `s3:prefix`,
 * ...) with a positive operator (`StringEquals`, `StringLike`,
 * `ArnEquals`, `ArnLike`, no `IfExists`, no negation, no `ForAllValues`) against values that are
 * not just wildcards. Conditions on the caller, the network, the region, the time or the
 * service a role is passed to leave every resource reachable, so they do not count.
 * Deploy-time values are accepted (they are chosen by the app, not a wildcard).
 */
export function conditionScopesResource(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, entries] of Object.entries(condition as Record<string, unknown>)) {
    if (!POSITIVE_OPERATORS.has(operator.toLowerCase()) || typeof entries !== 'object' || entries === null) continue;
    for (const [key, values] of Object.entries(entries as Record<string, unknown>)) {
      if (!RESOURCE_KEYS.test(key)) continue;
      const vs = asArray<unknown>(values as any);
      if (vs.length > 0 && vs.every((v) => (typeof v === 'string' && isTokenString(v)) || scopingValue(v))) return true;
    }
  }
  return false;
}

/** Condition keys that tie a trust statement to one caller (who assumes, or on whose behalf). */
const TRUST_KEYS = /^(aws:sourceaccount|aws:sourcearn|aws:sourceorgid|aws:sourceorgpaths|aws:principalorgid|aws:principalorgpaths|aws:principalarn|aws:principalaccount|sts:externalid)$/i;

/** Does a trust statement's Condition name its caller (SourceAccount, SourceArn, ExternalId, ...) with a positive match? */
export function conditionScopesCaller(condition: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  for (const [operator, entries] of Object.entries(condition as Record<string, unknown>)) {
    if (!POSITIVE_OPERATORS.has(operator.toLowerCase()) || typeof entries !== 'object' || entries === null) continue;
    for (const [key, values] of Object.entries(entries as Record<string, unknown>)) {
      const vs = asArray<unknown>(values as any);
      if (TRUST_KEYS.test(key) && vs.length > 0 && vs.every((v) => (typeof v === 'string' && isTokenString(v)) || scopingValue(v))) return true;
    }
  }
  return false;
}

const READ_VERBS = /^[a-z0-9-]+:(Get|List|Describe|Head|View|Search|Query|Scan|Select|BatchGet|Lookup|Check|Filter|Read)/i;

/**
 * Is every action an action pattern can match read-only? The literal part before the first
 * wildcard must already name a read verb (`s3:Get*` yes; `s3:*Object`, `s3:?etObject` no).
 */
export function isReadOnlyPattern(pattern: string): boolean {
  const literalPrefix = pattern.split(/[*?]/)[0];
  return READ_VERBS.test(literalPrefix);
}

/** `*`, `svc:*` (any case, any run of `*`/`?` after the colon): every action of a service or all services. */
export function isServiceWildcard(pattern: string): boolean {
  return /^[*?]+$/.test(pattern.trim()) || /^[^:]*:[*?]+$/.test(pattern.trim());
}
