import { AuditBundle, AwsItem, RawFinding, RuleDefinition, asArray, finding, isTokenString, ofKind } from '../model';
import {
  appliesToAllResources, conditionScopesCaller, conditionScopesResource, coversAllRoles, grantingPatterns, grantsAction, isAllow,
  isReadOnlyPattern, isServiceWildcard, literals, resourceCouldBe,
} from '../iam';

/** Parse a policy JSON string; undefined when it is not statically readable (a token). */
export function readPolicy(json: unknown): any | undefined {
  if (typeof json !== 'string') return typeof json === 'object' && json !== null ? json : undefined;
  const trimmed = json.trim();
  if (!trimmed.startsWith('{')) return undefined;
  try { return JSON.parse(trimmed); } catch { return undefined; }
}

function statements(doc: any): any[] {
  return asArray<any>(doc?.Statement);
}

/** Trust policies (IAM role assume_role_policy) in the bundle. */
function trustPolicies(bundle: AuditBundle): Array<{ item: AwsItem; doc: any }> {
  return bundle.aws.filter((a) => a.type === 'aws_iam_role').map((item) => ({ item, doc: readPolicy(item.attributes.assume_role_policy) })).filter((x) => x.doc);
}

/** Identity policies: aws_iam_policy, aws_iam_role_policy, inline policies of aws_iam_role. */
function identityPolicies(bundle: AuditBundle): Array<{ item: AwsItem; doc: any }> {
  const out: Array<{ item: AwsItem; doc: any }> = [];
  for (const item of bundle.aws) {
    if (['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'].includes(item.type)) {
      const doc = readPolicy(item.attributes.policy);
      if (doc) out.push({ item, doc });
    }
    if (item.type === 'aws_iam_role') {
      for (const ip of asArray<any>(item.attributes.inline_policy)) {
        const doc = readPolicy(ip.policy);
        if (doc) out.push({ item, doc });
      }
    }
  }
  return out;
}

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

function isWebIdentity(s: any): boolean {
  const fed = asArray<string>(s.Principal?.Federated);
  return fed.some((f) => typeof f === 'string' && (f.includes('oidc-provider/') || isTokenString(f))) || literals(s.Action).some((a) => a.trim().toLowerCase() === WEB_IDENTITY.toLowerCase());
}

/** Condition entries of one operator family (`StringEquals`, `StringLike`, any case, any ForAnyValue:/IfExists form). */
function conditionEntries(cond: any, family: RegExp): Array<[string, unknown]> {
  if (typeof cond !== 'object' || cond === null) return [];
  return Object.entries(cond).filter(([op]) => family.test(op)).flatMap(([, entries]) => (typeof entries === 'object' && entries !== null ? Object.entries(entries) : []));
}

/** GP-IRSA-001 (locked): exact IRSA trust. */
function irsaTrust(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { item, doc } of trustPolicies(bundle)) {
    for (const s of statements(doc).filter((x) => isAllow(x) && isWebIdentity(x))) {
      const f = (msg: string) => out.push(finding('GP-IRSA-001', item, msg));
      const actions = asArray<string>(s.Action);
      if (s.NotAction !== undefined || actions.length !== 1 || typeof actions[0] !== 'string' || actions[0].trim().toLowerCase() !== WEB_IDENTITY.toLowerCase()) {
        f(`trust statement allows ${s.NotAction !== undefined ? 'everything but NotAction' : actions.join(', ')}; allow only sts:AssumeRoleWithWebIdentity`);
      }
      const cond = s.Condition ?? {};
      if (Object.keys(cond).some((op) => /like/i.test(op))) f('trust uses StringLike; pin the ServiceAccount with StringEquals on <issuer>:sub');
      if (Object.keys(cond).some((op) => /ifexists/i.test(op))) f('trust uses an IfExists condition, which passes when the key is missing; use StringEquals');
      const eq = conditionEntries(cond, /^StringEquals$/i);
      const sub = eq.find(([k]) => k.toLowerCase().endsWith(':sub'));
      const aud = eq.find(([k]) => k.toLowerCase().endsWith(':aud'));
      if (!sub) f('trust has no StringEquals <issuer>:sub condition, so any ServiceAccount in the cluster can assume it; add system:serviceaccount:<namespace>:<name>');
      else for (const v of asArray<string>(sub[1] as any)) if (typeof v === 'string' && !isTokenString(v) && /[*?]/.test(v)) f(`trust sub ${v} contains a wildcard; name the exact ServiceAccount`);
      if (!aud) f('trust has no StringEquals <issuer>:aud condition; add sts.amazonaws.com');
      else for (const v of asArray<string>(aud[1] as any)) if (typeof v === 'string' && !isTokenString(v) && /[*?]/.test(v)) f(`trust aud ${v} contains a wildcard; use sts.amazonaws.com`);
    }
  }
  return out;
}

/** GP-IRSA-002: the trusted ServiceAccount exists, issuer host is bare. */
function irsaBinding(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const sas = ofKind(bundle, 'ServiceAccount').map((s) => s.object.metadata);
  for (const { item, doc } of trustPolicies(bundle)) {
    for (const s of statements(doc).filter((x) => x.Effect === 'Allow' && isWebIdentity(x))) {
      for (const [key, value] of Object.entries(s.Condition?.StringEquals ?? {})) {
        if (/^https?:\/\//.test(key)) out.push(finding('GP-IRSA-002', item, `condition key ${key} starts with https://; use the bare issuer host`));
        if (!key.endsWith(':sub')) continue;
        for (const v of asArray<string>(value as any)) {
          if (typeof v !== 'string' || isTokenString(v)) continue;
          const m = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(v);
          if (!m) { out.push(finding('GP-IRSA-002', item, `sub ${v} is not system:serviceaccount:<namespace>:<name>; fix it`)); continue; }
          const nsManaged = sas.some((x) => x?.namespace === m[1]);
          if (nsManaged && !sas.some((x) => x?.namespace === m[1] && x?.name === m[2])) out.push(finding('GP-IRSA-002', item, `trusts ServiceAccount ${m[1]}/${m[2]}, which this stack does not emit; fix the trusted name (KubeSaAuthAws: serviceAccount and serviceAccountNamespace)`));
        }
      }
    }
  }
  return out;
}

/** GP-IRSA-003 (locked): no other principals or actions in a trust. */
function trustPrincipals(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { item, doc } of trustPolicies(bundle)) {
    for (const s of statements(doc).filter(isAllow)) {
      const aws = asArray<string>(s.Principal?.AWS);
      if (s.Principal === '*' || aws.some((p) => p === '*' || (typeof p === 'string' && (/:root$/.test(p) || /^\d{12}$/.test(p))))) {
        out.push(finding('GP-IRSA-003', item, 'trust allows any AWS principal or a whole account (Principal.AWS "*", an account id or :root); name the exact role'));
      }
      if (s.NotPrincipal !== undefined) out.push(finding('GP-IRSA-003', item, 'trust uses Allow with NotPrincipal, which trusts every principal not listed; name the principals with Principal'));
      const assume = ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'].filter((a) => grantsAction(s, a));
      // AWS services assume roles on their own terms; any other principal in the statement needs a caller condition.
      const onlyServices = typeof s.Principal === 'object' && s.Principal !== null && Object.keys(s.Principal).length > 0 && Object.keys(s.Principal).every((k) => k === 'Service');
      if (!isWebIdentity(s) && assume.length > 0 && !onlyServices && !conditionScopesCaller(s.Condition)) {
        const how = [...new Set(assume.flatMap((a) => grantingPatterns(s, a)))].join(', ');
        out.push(finding('GP-IRSA-003', item, `trust allows ${assume.join(', ')} (${how}) without a Condition naming the caller; add aws:SourceAccount, aws:SourceArn or sts:ExternalId, or remove the statement`));
      }
    }
  }
  return out;
}

/** GP-IAM-001: wildcard actions. */
function wildcardActions(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { item, doc } of identityPolicies(bundle)) {
    for (const s of statements(doc).filter(isAllow)) {
      if (s.NotAction !== undefined) out.push(finding('GP-IAM-001', item, `statement ${s.Sid ?? ''} uses Allow with NotAction, which grants everything else; list the actions in Action instead`.replace('  ', ' '), 'error'));
      for (const a of literals(s.Action)) {
        if (isServiceWildcard(a)) out.push(finding('GP-IAM-001', item, `allows action "${a}"; list the specific actions the workload calls in the statement's Action (awsIamPolicy / iamPolicyJson)`, 'error'));
        else if (/[*?]/.test(a)) out.push(finding('GP-IAM-001', item, `allows wildcard action "${a}"; list the specific actions in the statement's Action (awsIamPolicy / iamPolicyJson) if you can`, 'warn'));
      }
    }
  }
  return out;
}

/**
 * GP-IAM-002: write actions on every resource. A statement reaches every resource with Resource
 * "*" (or an ARN that is "*" for its service, `arn:aws:s3:::*`) or with Allow + NotResource. A
 * Condition excuses it only when it scopes the resource (iam.ts `conditionScopesResource`).
 */
function wildcardResources(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const { item, doc } of identityPolicies(bundle)) {
    for (const s of statements(doc).filter(isAllow)) {
      const sid = s.Sid ? `statement ${s.Sid} ` : '';
      if (s.NotResource !== undefined) {
        out.push(finding('GP-IAM-002', item, `${sid}uses Allow with NotResource, which grants its actions on every other resource; list the resources with Resource`, 'error'));
        continue;
      }
      if (!appliesToAllResources(s) || conditionScopesResource(s.Condition)) continue;
      const actions = literals(s.Action).filter((a) => !isServiceWildcard(a)); // "*" and "svc:*" are GP-IAM-001 errors
      const writes = actions.filter((a) => !isReadOnlyPattern(a));
      const condition = s.Condition ? ' (its Condition does not scope the resource: use aws:ResourceTag/<key> or an ARN)' : '';
      // Actions that support no resource-level permissions can only be granted on "*": nothing to advise.
      const scopable = actions.filter((a) => !NO_RESOURCE_LEVEL.some((re) => re.test(a.trim())));
      if (writes.length > 0) out.push(finding('GP-IAM-002', item, `${sid}allows ${writes.join(', ')} on Resource "*"${condition}; scope the statement's Resource to ARNs (e.g. arn:aws:ec2:*:*:volume/*) or add a Condition on the resource's tags`, 'error'));
      else if (scopable.length > 0) out.push(finding('GP-IAM-002', item, `${sid}allows read actions ${scopable.join(', ')} on Resource "*"; scope the statement's Resource to the ARNs they read`, 'info'));
    }
  }
  return out;
}

/**
 * Read actions that support no resource-level permissions (the Service Authorization Reference lists
 * no resource type for them), so their only Resource is "*".
 */
const NO_RESOURCE_LEVEL: readonly RegExp[] = [
  /^ec2:Describe[A-Za-z]*$/i, /^sts:GetCallerIdentity$/i, /^s3:ListAllMyBuckets$/i, /^ecr:GetAuthorizationToken$/i,
  /^kms:List(Keys|Aliases)$/i, /^sqs:ListQueues$/i, /^sns:ListTopics$/i,
];

const ADMIN_POLICIES = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/i;
/** IAM actions that let a principal grant itself (or someone else) more permissions. */
const ESCALATION_ACTIONS = [
  'iam:CreatePolicy', 'iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy',
  'iam:PutRolePolicy', 'iam:PutUserPolicy', 'iam:PutGroupPolicy', 'iam:UpdateAssumeRolePolicy', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile', 'iam:AddUserToGroup', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:PutUserPermissionsBoundary',
  'iam:DeleteUserPermissionsBoundary',
];

/** GP-IAM-003 (locked): admin policies, PassRole or AssumeRole on every role, privilege escalation. Conditions do not excuse it. */
function privilegeEscalation(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const item of bundle.aws) {
    const arns = [item.attributes.policy_arn, ...asArray<string>(item.attributes.managed_policy_arns), ...asArray<string>(item.attributes.policy_arns)];
    for (const arn of arns) if (typeof arn === 'string' && ADMIN_POLICIES.test(arn)) out.push(finding('GP-IAM-003', item, `attaches ${arn.split('/').pop()}; attach a least-privilege policy instead`));
  }
  for (const { item, doc } of identityPolicies(bundle)) {
    for (const s of statements(doc).filter(isAllow)) {
      const via = (action: string) => grantingPatterns(s, action).map((p) => (p === 'NotAction' ? 'NotAction' : `"${p}"`)).join(', ');
      if (grantsAction(s, 'iam:PassRole') && coversAllRoles(s)) out.push(finding('GP-IAM-003', item, `allows iam:PassRole (${via('iam:PassRole')}) on every role; restrict it to the role ARNs the workload passes`));
      if (grantsAction(s, 'sts:AssumeRole') && coversAllRoles(s)) out.push(finding('GP-IAM-003', item, `allows sts:AssumeRole (${via('sts:AssumeRole')}) on every role; name the role ARNs`));
      if (!resourceCouldBe(s, 'iam')) continue;
      const escalations = ESCALATION_ACTIONS.filter((a) => grantsAction(s, a));
      if (escalations.length > 0) {
        const patterns = [...new Set(escalations.flatMap((a) => grantingPatterns(s, a)))];
        const spelledOut = patterns.every((p) => escalations.includes(p));
        const through = spelledOut ? '' : ` (through ${patterns.map((p) => (p === 'NotAction' ? 'NotAction' : `"${p}"`)).join(', ')})`;
        out.push(finding('GP-IAM-003', item, `allows ${escalations.join(', ')}${through}, which can escalate privileges; remove it from workload roles`));
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- CloudFront

function distributions(bundle: AuditBundle): AwsItem[] {
  return bundle.aws.filter((a) => a.type === 'aws_cloudfront_distribution');
}

function first(v: any): any {
  return Array.isArray(v) ? v[0] : v;
}

const GOOD_TLS = ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'];

function cfHttps(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of distributions(bundle)) {
    const behaviors = [{ name: 'default', b: first(d.attributes.default_cache_behavior) }, ...asArray<any>(d.attributes.ordered_cache_behavior).map((b) => ({ name: b.path_pattern, b }))];
    for (const { name, b } of behaviors) {
      if (b?.viewer_protocol_policy === 'allow-all') out.push(finding('GP-CF-001', d, `cache behavior ${name} allows HTTP (viewer_protocol_policy allow-all); use redirect-to-https (KubeAwsCdn always does)`));
    }
  }
  return out;
}

function cfTls(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of distributions(bundle)) {
    const vc = first(d.attributes.viewer_certificate) ?? {};
    if (vc.cloudfront_default_certificate === true) out.push(finding('GP-CF-002', d, 'uses the default *.cloudfront.net certificate (TLS 1.0 allowed); use an ACM certificate (KubeAwsCdn: domains) with minimumProtocolVersion TLSv1.2_2021 or newer'));
    else if (!isTokenString(vc.minimum_protocol_version) && !GOOD_TLS.includes(vc.minimum_protocol_version)) out.push(finding('GP-CF-002', d, `minimum_protocol_version is ${vc.minimum_protocol_version ?? 'unset'}; set minimumProtocolVersion to TLSv1.2_2021 or newer`));
  }
  return out;
}

function cfWaf(bundle: AuditBundle): RawFinding[] {
  return distributions(bundle).filter((d) => !d.attributes.web_acl_id).map((d) => finding('GP-CF-003', d, 'has no WAF; set webAclArn to a WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) with the AWS managed common and known-bad-inputs rule sets (Terraform web_acl_id)'));
}

function cfOrigins(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of distributions(bundle)) {
    for (const o of asArray<any>(d.attributes.origin)) {
      const c = first(o.custom_origin_config);
      if (!c) continue;
      if (c.origin_protocol_policy !== 'https-only' && !isTokenString(c.origin_protocol_policy)) out.push(finding('GP-CF-005', d, `origin ${o.origin_id} uses origin_protocol_policy ${c.origin_protocol_policy}; use https-only (KubeAwsCdn origins always are)`));
      const weak = asArray<string>(c.origin_ssl_protocols).filter((p) => ['SSLv3', 'TLSv1', 'TLSv1.1'].includes(p));
      if (weak.length > 0) out.push(finding('GP-CF-005', d, `origin ${o.origin_id} allows ${weak.join(', ')}; use origin_ssl_protocols ["TLSv1.2"] (KubeAwsCdn origins always do)`));
    }
  }
  return out;
}

function cfS3(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const d of distributions(bundle)) {
    for (const o of asArray<any>(d.attributes.origin)) {
      const isS3 = typeof o.domain_name === 'string' && /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$/.test(o.domain_name) && !/s3-website/.test(o.domain_name);
      const oai = first(o.s3_origin_config)?.origin_access_identity;
      if (o.origin_access_control_id) continue;
      if (oai) out.push(finding('GP-CF-006', d, `origin ${o.origin_id} uses a legacy origin access identity; switch to origin access control (OAC)`, 'warn'));
      else if (isS3) out.push(finding('GP-CF-006', d, `S3 origin ${o.origin_id} has no origin access control; add origin_access_control_id and restrict the bucket policy to this distribution`, 'error'));
    }
  }
  return out;
}

export const AWS_RULES: RuleDefinition[] = [
  { id: 'GP-IRSA-001', title: 'Exact IRSA trust', category: 'irsa', severity: 'error', locked: true, check: irsaTrust,
    help: 'Web-identity trust allows only sts:AssumeRoleWithWebIdentity with StringEquals on <issuer>:sub (one ServiceAccount) and <issuer>:aud; no StringLike or wildcards.' },
  { id: 'GP-IRSA-002', title: 'IRSA trust matches the ServiceAccount', category: 'irsa', severity: 'error', check: irsaBinding,
    help: 'The trusted sub names a ServiceAccount the stack emits; the issuer host has no https://.' },
  { id: 'GP-IRSA-003', title: 'No other trusted principals', category: 'irsa', severity: 'error', locked: true, check: trustPrincipals,
    help: 'Trust policies do not allow Principal.AWS "*", account roots or NotPrincipal, nor sts:AssumeRole/TagSession (any case, wildcards included) without a condition naming the caller (aws:SourceAccount, aws:SourceArn, sts:ExternalId, ...).' },
  { id: 'GP-IAM-001', title: 'No wildcard actions', category: 'iam', severity: 'error', check: wildcardActions,
    help: 'Action "*" or "service:*" (any case) and Allow with NotAction are errors; partial wildcards (s3:Get*, s3:?etObject) a warning.' },
  { id: 'GP-IAM-002', title: 'No write actions on Resource "*"', category: 'iam', severity: 'error', check: wildcardResources,
    help: 'Write actions need resource ARNs or a Condition that scopes the resource (aws:ResourceTag/<key>, aws:RequestTag/<key>, ...); Allow with NotResource is an error; read actions on "*" are advisory, and not reported at all for actions that support no resource-level permissions (ec2:Describe*, sts:GetCallerIdentity, ...).' },
  { id: 'GP-IAM-003', title: 'No privilege escalation', category: 'iam', severity: 'error', locked: true, check: privilegeEscalation,
    help: 'No AdministratorAccess/PowerUserAccess/IAMFullAccess, no iam:PassRole or sts:AssumeRole on every role, no policy-writing IAM actions; actions match as IAM matches them (any case, * and ? wildcards, NotAction).' },
  { id: 'GP-CF-001', title: 'CloudFront viewers use HTTPS', category: 'cloudfront', severity: 'error', check: cfHttps,
    help: 'No cache behavior uses viewer_protocol_policy allow-all.' },
  { id: 'GP-CF-002', title: 'CloudFront TLS policy', category: 'cloudfront', severity: 'error', check: cfTls,
    help: 'An ACM certificate with minimum_protocol_version TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025.' },
  { id: 'GP-CF-003', title: 'CloudFront WAF', category: 'cloudfront', severity: 'error', check: cfWaf,
    help: 'A WAFv2 web ACL is attached (KubeAwsCdn webAclArn; Terraform web_acl_id).' },
  { id: 'GP-CF-005', title: 'CloudFront origins use HTTPS', category: 'cloudfront', severity: 'error', check: cfOrigins,
    help: 'Custom origins are https-only with TLSv1.2.' },
  { id: 'GP-CF-006', title: 'S3 origins use OAC', category: 'cloudfront', severity: 'error', check: cfS3,
    help: 'S3 origins use origin access control (legacy OAI is a warning).' },
];
