import { Annotations, Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { PropValidator, isToken } from '../core/validation';

/**
 * IAM policy documents as typed objects.
 *
 * A document is built from statements shaped exactly like IAM JSON (`Sid`, `Effect`,
 * `Action`, ...), checked, and serialized ONCE to a literal JSON string. The string is
 * what goes into `aws_iam_policy.policy` / `aws_iam_role.assume_role_policy`, so static
 * checkers (Checkov, Trivy) can read it as they read hand-written JSON.
 *
 * Deploy-time tokens (an ARN attribute, a variable) may appear inside string values
 * and, when they resolve to a plain reference, even inside condition keys: the whole
 * document is one Terraform template string, so Terraform interpolates them wherever
 * they are. What must never happen is a token used as a key of an object that CDKTF
 * itself renders (an HCL map); this module never hands CDKTF such an object.
 */

/** The IAM policy language version. The older 2008-10-17 lacks policy variables. */
export const POLICY_VERSION = '2012-10-17';

/** Largest managed (identity) policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;
/** Default quota for a role trust policy (can be raised to 4096 through Service Quotas). */
export const TRUST_POLICY_DEFAULT_MAX_CHARS = 2048;
/** Hard ceiling for a role trust policy, even after a quota increase. */
export const TRUST_POLICY_HARD_MAX_CHARS = 4096;

/**
 * The effect of an IAM policy statement.
 *
 * @group Edge & AWS
 */
export type PolicyEffect = 'Allow' | 'Deny';

/**
 * One value or a list of values, as IAM accepts for Action, Resource and principals.
 *
 * @group Edge & AWS
 */
export type OneOrMany<T> = T | T[];

/**
 * A principal block: `"*"` or a map of principal type to identifiers.
 *
 * @group Edge & AWS
 */
export type PolicyPrincipal =
  | '*'
  | {
      readonly AWS?: OneOrMany<string>;
      readonly Service?: OneOrMany<string>;
      readonly Federated?: OneOrMany<string>;
      readonly CanonicalUser?: OneOrMany<string>;
    };

/**
 * Condition value: IAM accepts strings, numbers and booleans, alone or in lists.
 *
 * @group Edge & AWS
 */
export type PolicyConditionValue = string | number | boolean | Array<string | number | boolean>;

/**
 * Conditions: operator (`StringEquals`, `IpAddress`, `BoolIfExists`, ...) to a map of
 * condition key (`aws:SourceIp`, `<issuer>:sub`) to the value(s).
 *
 * @group Edge & AWS
 */
export type PolicyConditions = Record<string, Record<string, PolicyConditionValue>>;

/**
 * One statement, with the keys and casing of IAM JSON.
 *
 * @group Edge & AWS
 */
export interface PolicyStatement {
  /** Statement id: letters and digits only. @default - none */
  readonly Sid?: string;
  /** Allow or Deny. */
  readonly Effect: PolicyEffect;
  /** Actions (`s3:GetObject`). Exactly one of Action / NotAction. @default - none */
  readonly Action?: OneOrMany<string>;
  /** Every action except these. @default - none */
  readonly NotAction?: OneOrMany<string>;
  /** Resources (ARNs or `*`). Identity policies need one of Resource / NotResource. @default - none */
  readonly Resource?: OneOrMany<string>;
  /** Every resource except these. @default - none */
  readonly NotResource?: OneOrMany<string>;
  /** Who the statement applies to (trust and resource policies only). @default - none */
  readonly Principal?: PolicyPrincipal;
  /** Everyone except these (resource policies, with Deny). @default - none */
  readonly NotPrincipal?: PolicyPrincipal;
  /** Conditions. @default - none */
  readonly Condition?: PolicyConditions;
}

/**
 * The whole document as it is serialized.
 *
 * @group Edge & AWS
 */
export interface PolicyDocumentJson {
  readonly Version: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement[];
}

/**
 * What kind of policy a document is; it decides which rules apply.
 * - `identity`: attached to a role/user (managed policy). No Principal; Resource required; 6144-char limit.
 * - `trust`: a role's assume-role policy. Principal required; no Resource; 2048-char default quota.
 * - `resource`: a resource policy (bucket, queue). Principal required.
 *
 * @group Edge & AWS
 */
export type PolicyKind = 'identity' | 'trust' | 'resource';

/**
 * Props of `PolicyDocument`: its statements and the kind of policy it is.
 *
 * @group Edge & AWS
 */
export interface PolicyDocumentProps {
  /** The statements. @default [] (a document needs at least one before it is serialized) */
  readonly statements?: PolicyStatement[];
  /** Optional document `Id`. @default - none */
  readonly id?: string;
  /** Kind of policy (decides validation rules). @default 'identity' */
  readonly kind?: PolicyKind;
}

const SID = /^[A-Za-z0-9]*$/;
const ACTION = /^(\*|[a-zA-Z0-9-]+:[A-Za-z0-9*?]+)$/;
const CONDITION_OPERATOR =
  /^(ForAllValues:|ForAnyValue:)?(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike)(IfExists)?$|^Null$/;

/**
 * A typed IAM policy document. Build it, optionally validate it against a construct
 * (errors then name that construct), and call `toJson()` for the JSON string of a Terraform
 * attribute (`toPolicyJson()` is the same).
 *
 * ```ts
 * const doc = new PolicyDocument({ statements: [
 *   { Sid: 'ReadUploads', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`${bucket.arn}/*`] },
 * ] });
 * new IamPolicy(this, 'p', { policy: doc.toJson() });
 * ```
 *
 * @group Edge & AWS
 */
export class PolicyDocument {
  /** Parse a JSON policy string back into a document (tests, or adopting existing JSON). */
  public static fromJson(json: string, kind: PolicyKind = 'identity'): PolicyDocument {
    const parsed = parsePolicyJson(json);
    return new PolicyDocument({ statements: parsed.Statement, id: parsed.Id, kind });
  }

  public readonly kind: PolicyKind;
  public readonly id?: string;
  private readonly statements: PolicyStatement[];

  constructor(props: PolicyDocumentProps = {}) {
    this.kind = props.kind ?? 'identity';
    this.id = props.id;
    this.statements = [...(props.statements ?? [])];
  }

  /** Append statements. Returns the document for chaining. */
  public addStatements(...statements: PolicyStatement[]): this {
    this.statements.push(...statements);
    return this;
  }

  /** A copy of the statements. */
  public get statementList(): PolicyStatement[] {
    return [...this.statements];
  }

  /** The document as a plain object (Version first, then Id, then Statement). */
  public toObject(): PolicyDocumentJson {
    return {
      Version: POLICY_VERSION,
      ...(this.id !== undefined ? { Id: this.id } : {}),
      Statement: this.statements.map(normalizeStatement),
    };
  }

  /**
   * Serialize to compact JSON (no whitespace: it is what IAM counts against its limits), for a
   * Terraform attribute. Validates first; `scope` (a construct or a path string) and `field`
   * name the origin in errors. The JSON is IAM's own text: policy variables such as
   * `${aws:username}` stay as written, and are escaped for Terraform when a resource writes
   * them (core/terraform-strings), so do not escape them yourself. Same as `toPolicyJson()`.
   */
  public toJson(scope?: IConstruct | string, field = 'policy'): string {
    return this.toPolicyJson(scope, field);
  }

  /**
   * The policy JSON exactly as IAM reads it. Validates first, like `toJson()`.
   */
  public toPolicyJson(scope?: IConstruct | string, field = 'policy'): string {
    this.validate(scope, field);
    return JSON.stringify(this.toObject());
  }

  /**
   * Check the document. Throws ValidationError for a malformed statement or an oversized
   * document; adds a synth warning (when `scope` is a construct) when a trust policy passes
   * the 2048-character default quota.
   */
  public validate(scope?: IConstruct | string, field = 'policy'): void {
    const v = new PropValidator(scope);
    if (this.statements.length === 0) {
      v.fail(`${field}.Statement`, [], 'add at least one statement', 'is empty');
    }
    const sids = new Set<string>();
    this.statements.forEach((s, i) => {
      validateStatement(v, `${field}.Statement[${i}]`, s, this.kind);
      if (s.Sid !== undefined && !isToken(s.Sid)) {
        if (sids.has(s.Sid)) v.fail(`${field}.Statement[${i}].Sid`, s.Sid, 'give every statement a different Sid', 'is a duplicate');
        sids.add(s.Sid);
      }
    });
    checkSize(v, scope, field, JSON.stringify(this.toObject()), this.kind);
  }
}

function asList<T>(value: OneOrMany<T> | undefined): T[] | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function normalizeStatement(s: PolicyStatement): PolicyStatement {
  // Fixed key order, undefined keys dropped, single values kept as lists for stable diffs.
  const out: Record<string, unknown> = {};
  if (s.Sid !== undefined && s.Sid !== '') out.Sid = s.Sid;
  out.Effect = s.Effect;
  if (s.Principal !== undefined) out.Principal = s.Principal;
  if (s.NotPrincipal !== undefined) out.NotPrincipal = s.NotPrincipal;
  if (s.Action !== undefined) out.Action = asList(s.Action);
  if (s.NotAction !== undefined) out.NotAction = asList(s.NotAction);
  if (s.Resource !== undefined) out.Resource = asList(s.Resource);
  if (s.NotResource !== undefined) out.NotResource = asList(s.NotResource);
  if (s.Condition !== undefined && Object.keys(s.Condition).length > 0) out.Condition = s.Condition;
  return out as unknown as PolicyStatement;
}

function validateStatement(v: PropValidator, at: string, s: PolicyStatement, kind: PolicyKind): void {
  if (s === null || typeof s !== 'object') v.fail(at, s, 'give an object with Effect and Action', 'is not a statement');
  v.oneOf(`${at}.Effect`, s.Effect, ['Allow', 'Deny']);
  if (s.Sid !== undefined && !isToken(s.Sid) && !SID.test(s.Sid)) {
    v.fail(`${at}.Sid`, s.Sid, `use only letters and digits (e.g. ${JSON.stringify(String(s.Sid).replace(/[^A-Za-z0-9]/g, ''))})`, 'is not a valid Sid');
  }
  if (s.Action !== undefined && s.NotAction !== undefined) {
    v.fail(`${at}.Action/NotAction`, { Action: s.Action, NotAction: s.NotAction }, 'set only one of Action and NotAction', 'conflict');
  }
  const actions = asList(s.Action ?? s.NotAction);
  const actionField = s.NotAction !== undefined ? 'NotAction' : 'Action';
  if (actions === undefined || (!isToken(actions) && actions.length === 0)) {
    v.fail(`${at}.${actionField}`, s.Action ?? s.NotAction, 'list at least one action such as "s3:GetObject"', 'is empty');
  }
  if (!isToken(actions)) {
    actions.forEach((a, i) => {
      if (isToken(a)) return;
      if (typeof a !== 'string' || !ACTION.test(a)) {
        v.fail(`${at}.${actionField}[${i}]`, a, 'write actions as "<service>:<Action>", e.g. "s3:GetObject" or "s3:List*"', 'is not an IAM action');
      }
    });
  }
  if (s.Resource !== undefined && s.NotResource !== undefined) {
    v.fail(`${at}.Resource/NotResource`, { Resource: s.Resource, NotResource: s.NotResource }, 'set only one of Resource and NotResource', 'conflict');
  }
  const resources = asList(s.Resource ?? s.NotResource);
  if (resources !== undefined && !isToken(resources) && resources.length === 0) {
    v.fail(`${at}.${s.NotResource !== undefined ? 'NotResource' : 'Resource'}`, [], 'list at least one resource ARN (or "*")', 'is empty');
  }
  if (kind === 'identity') {
    if (s.Principal !== undefined || s.NotPrincipal !== undefined) {
      v.fail(`${at}.Principal`, s.Principal ?? s.NotPrincipal, 'remove Principal: a policy attached to a role applies to that role', 'is not allowed in an identity policy');
    }
    if (resources === undefined) {
      v.fail(`${at}.Resource`, undefined, 'add Resource (the ARNs the actions apply to, or "*")', 'is missing');
    }
  } else {
    if (s.Principal === undefined && s.NotPrincipal === undefined) {
      v.fail(`${at}.Principal`, undefined, `add Principal: a ${kind} policy must say who it applies to`, 'is missing');
    }
    if (kind === 'trust' && resources !== undefined) {
      v.fail(`${at}.Resource`, s.Resource ?? s.NotResource, 'remove Resource: a trust policy applies to the role it is attached to', 'is not allowed in a trust policy');
    }
  }
  if (s.Condition !== undefined) {
    for (const [operator, entries] of Object.entries(s.Condition)) {
      if (!isToken(operator) && !CONDITION_OPERATOR.test(operator)) {
        v.fail(`${at}.Condition.${operator}`, operator, 'use an IAM condition operator such as StringEquals, StringLike, IpAddress or BoolIfExists', 'is not a condition operator');
      }
      if (entries === null || typeof entries !== 'object' || Object.keys(entries).length === 0) {
        v.fail(`${at}.Condition.${operator}`, entries, 'map at least one condition key to its value(s)', 'is empty');
      }
      for (const key of Object.keys(entries)) {
        if (!isToken(key) && key.includes('://')) {
          v.fail(`${at}.Condition.${operator}["${key}"]`, key, 'condition keys never contain a URL scheme: drop "https://" (e.g. "oidc.eks.us-east-1.amazonaws.com/id/ABC:sub")', 'contains a URL scheme');
        }
      }
    }
  }
}

/** Length of a policy as IAM counts it: without whitespace outside string values. */
export function policySize(json: string): number {
  // Compact JSON already has no whitespace outside strings; strip any left (e.g. pretty input).
  let size = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      size++;
      if (c === '\\') {
        size++;
        i++;
      } else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      size++;
    } else if (!/\s/.test(c)) size++;
  }
  return size;
}

function checkSize(v: PropValidator, scope: IConstruct | string | undefined, field: string, json: string, kind: PolicyKind): void {
  // With tokens the real length is only known at apply time; the marker length is a rough stand-in.
  const hasTokens = Token.isUnresolved(json);
  const size = policySize(json);
  const construct = typeof scope === 'object' ? scope : undefined;
  if (kind === 'trust') {
    if (size > TRUST_POLICY_HARD_MAX_CHARS && !hasTokens) {
      v.fail(field, `${size} characters`, `a trust policy can never exceed ${TRUST_POLICY_HARD_MAX_CHARS} characters: split the subjects over several roles`, 'is too large');
    }
    if (size > TRUST_POLICY_DEFAULT_MAX_CHARS && construct) {
      Annotations.of(construct).addWarning(
        `${field}: the trust policy has ${size} characters${hasTokens ? ' before tokens are resolved' : ''}; IAM's default quota is ${TRUST_POLICY_DEFAULT_MAX_CHARS} (raise "Role trust policy length" to 4096 in Service Quotas, or use fewer subjects per role)`,
      );
    }
  } else if (size > MANAGED_POLICY_MAX_CHARS && !hasTokens) {
    v.fail(field, `${size} characters`, `a managed policy holds at most ${MANAGED_POLICY_MAX_CHARS} characters without whitespace: use wildcards (s3:Get*), fewer resources, or split it into several policies`, 'is too large');
  }
}

/** Parse a JSON policy string (literal) into its typed shape. Throws on malformed JSON. */
export function parsePolicyJson(json: string): PolicyDocumentJson {
  const parsed = JSON.parse(json) as PolicyDocumentJson & { Statement?: PolicyStatement | PolicyStatement[] };
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('a policy document is a JSON object');
  const statements = parsed.Statement === undefined ? [] : Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  return { ...parsed, Statement: statements };
}

/**
 * Validate a policy given as a JSON string (literal or token). A token is accepted as is;
 * a literal must parse and pass the same checks as a typed document.
 */
export function validatePolicyJson(scope: IConstruct | string | undefined, field: string, json: string, kind: PolicyKind = 'identity'): string {
  const v = new PropValidator(scope);
  if (isToken(json)) {
    // A partly literal template (`{"Statement": [... "${arn}" ...]}`) can still be parsed.
    try {
      PolicyDocument.fromJson(json, kind).validate(scope, field);
    } catch (e) {
      if (!(e instanceof SyntaxError)) throw e;
    }
    return json;
  }
  let doc: PolicyDocument | undefined;
  try {
    doc = PolicyDocument.fromJson(json, kind);
  } catch (e) {
    doc = undefined;
    v.fail(field, json, `give a JSON policy document ({"Version":"2012-10-17","Statement":[...]}) or a PolicyDocument`, `is not valid JSON (${(e as Error).message})`);
  }
  if (!doc || doc.statementList.length === 0) return v.fail(`${field}.Statement`, [], 'add at least one statement', 'is empty');
  doc.validate(scope, field);
  return json;
}
