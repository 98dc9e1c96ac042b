import { isIP } from 'net';
import { Fn, TerraformLocal, TerraformProvider, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Annotations as KubernetesAnnotations } from '@cdktf/provider-kubernetes/lib/annotations';
import { EnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { PolicyDocument, PolicyStatement, validatePolicyJson } from '../aws/policy-document';
import { checkConstructProps } from './construct-props';
import { enableCollisionCheck } from './collisions';
// AWS provider classes, loaded on first use (aws-classes.ts).
import { DataAwsCallerIdentity, DataAwsEksCluster, DataAwsIamOpenidConnectProvider, DataAwsPartition, IamPolicy, IamRole, IamRolePolicyAttachment } from './aws-classes';


/** The annotation the EKS pod identity webhook reads to inject web-identity credentials. */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Field manager used for the ServiceAccount annotation (as Panfactum). */
export const IRSA_FIELD_MANAGER = 'terraform-aws';
/** Default STS audience of EKS-projected service-account tokens. */
export const DEFAULT_STS_AUDIENCE = 'sts.amazonaws.com';

/**
 * S3 actions whose source address is seen as the VPC address (they travel through the
 * S3 gateway endpoint), so the IP restriction tests `aws:VpcSourceIp` for them. Same
 * list as Panfactum's kube_sa_auth_aws.
 */
export const S3_VPC_ENDPOINT_ACTIONS: readonly string[] = [
  's3:AbortMultipartUpload', 's3:AssociateAccessGrantsIdentityCenter', 's3:BypassGovernanceRetention', 's3:Create*',
  's3:Delete*', 's3:Describe*', 's3:DissociateAccessGrantsIdentityCenter', 's3:GetAccess*', 's3:GetAccountPublicAccessBlock',
  's3:GetAnalyticsConfiguration', 's3:GetBucket*', 's3:GetData*', 's3:GetEncryptionConfiguration',
  's3:GetIntelligentTieringConfiguration', 's3:GetInventoryConfiguration', 's3:GetInventoryReport', 's3:GetJob*',
  's3:GetLifecycleConfiguration', 's3:GetMetricsConfiguration', 's3:GetMulti*', 's3:GetReplicationConfiguration',
  's3:GetStorage*', 's3:Initiate*', 's3:List*', 's3:ObjectOwnerOverrideToBucketOwner', 's3:Pause*',
  's3:PutAccelerateConfiguration', 's3:PutAccess*', 's3:PutAccountPublicAccessBlock', 's3:PutAnalyticsConfiguration',
  's3:PutBucket*', 's3:PutData*', 's3:PutEncryptionConfiguration', 's3:PutIntelligentTieringConfiguration',
  's3:PutInventoryConfiguration', 's3:PutJob*', 's3:PutLifecycleConfiguration', 's3:PutMetricsConfiguration',
  's3:PutMulti*', 's3:PutReplicationConfiguration', 's3:PutStorage*', 's3:PutTagging', 's3:PutVersioning',
  's3:Replicat*', 's3:Restore*', 's3:Submit*', 's3:TagResource', 's3:UntagResource', 's3:Update*',
];
/** Object read/write actions, exempt from the IP restriction when presigned URLs must work anywhere. */
export const S3_OBJECT_ACTIONS: readonly string[] = ['s3:GetObject*', 's3:PutObject*'];

/**
 * Props of `KubeSaAuthAws`: the ServiceAccount, the cluster and the IAM policy of the IRSA role.
 *
 * @group Edge & AWS
 */
export interface KubeSaAuthAwsProps {
  /** Name of the ServiceAccount allowed to assume the role (exact; no wildcards). */
  readonly serviceAccount: string;
  /** Namespace of that ServiceAccount (exact; no wildcards). */
  readonly serviceAccountNamespace: string;
  /**
   * The permissions granted to the role: a JSON policy document string (literal or a token
   * such as `data.aws_iam_policy_document.x.json`) or a typed `PolicyDocument`. Written as IAM
   * reads it: policy variables such as `${aws:username}` are escaped for Terraform by the
   * library, so do not escape them yourself.
   */
  readonly iamPolicyJson: string | PolicyDocument;
  /**
   * Add `eks.amazonaws.com/role-arn` to an existing ServiceAccount (typed `kubernetes_annotations`,
   * field manager `terraform-aws`, force). Set false when you render the ServiceAccount yourself
   * and put `serviceAccountAnnotations` into its manifest.
   * @default true
   */
  readonly annotateServiceAccount?: boolean;
  /**
   * CIDRs or IP addresses allowed to use the role's credentials. When non-empty an extra
   * deny policy ("ip-blocks") refuses every call from other addresses (calls that AWS services
   * make on the role's behalf are exempt). Unlike Panfactum the cluster's subnets and NAT IPs are
   * NOT added for you: include the VPC CIDR and the NAT gateway public IPs, or the pods lock themselves out.
   * @default [] (no IP restriction)
   */
  readonly ipAllowList?: string[];
  /**
   * Leave `s3:GetObject*` / `s3:PutObject*` out of the IP restriction so presigned URLs made
   * with these credentials work from any address. Only meaningful with `ipAllowList`.
   * @default false
   */
  readonly allowPublicS3PresignedUrls?: boolean;
  /**
   * Longest session the role allows, in seconds (3600-43200).
   * @default 43200 (12 hours)
   */
  readonly maxSessionDurationSeconds?: number;
  /** AWS tags for the role and the policies. @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Description of the permissions policy.
   * @default "Permissions for ServiceAccount <namespace>/<name>"
   */
  readonly description?: string;
  /**
   * The cluster's OIDC issuer URL (`https://oidc.eks.<region>.amazonaws.com/id/<ID>`). The provider
   * ARN is then built from the current account and partition. Give at most one of
   * oidcIssuerUrl, oidcProviderArn and eksClusterName.
   * @default - derived from oidcProviderArn, else looked up from eksClusterName
   */
  readonly oidcIssuerUrl?: string;
  /**
   * ARN of the IAM OIDC provider of the cluster (`arn:aws:iam::<account>:oidc-provider/<issuer host/path>`).
   * @default - built from oidcIssuerUrl, else looked up from eksClusterName
   */
  readonly oidcProviderArn?: string;
  /**
   * EKS cluster whose issuer (data `aws_eks_cluster`) and IAM OIDC provider (data
   * `aws_iam_openid_connect_provider`) are looked up at plan time.
   * @default - EnvironmentContext.of(this).clusterName, when neither oidcIssuerUrl nor oidcProviderArn is given
   */
  readonly eksClusterName?: string;
  /**
   * The `aud` the tokens carry (the `eks.amazonaws.com/audience` annotation, if you changed it).
   * @default "sts.amazonaws.com" ("sts.amazonaws.com.cn" when the issuer is literally in a China region)
   */
  readonly audience?: string;
  /** AWS provider for the IAM resources and lookups. @default - the stack's default aws provider */
  readonly awsProvider?: TerraformProvider;
  /** Kubernetes provider for the annotation. @default - the stack's default kubernetes provider */
  readonly kubernetesProvider?: TerraformProvider;
}

const CIDR4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}(\/(3[0-2]|[12]?\d))?$/;
const OIDC_PROVIDER_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):oidc-provider\/([^\s]+)$/;
const ISSUER_URL = /^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s]*)?$/i;

/** True when `value` is an IPv4/IPv6 address or CIDR block. */
export function isCidrOrIp(value: string): boolean {
  if (CIDR4.test(value)) return true;
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0 || isIP(address) !== 6) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= 128);
}

/**
 * IAM role for a Kubernetes ServiceAccount (IRSA), the port of Panfactum's kube_sa_auth_aws.
 *
 * Pods using the ServiceAccount get short-lived credentials for this role through their
 * projected token; no static keys exist. The trust policy lets only
 * `system:serviceaccount:<namespace>:<name>` with audience `sts.amazonaws.com` from this
 * cluster's OIDC issuer assume the role (both `sub` and `aud` are pinned, unlike Panfactum
 * which checks only `sub`).
 *
 * Children (construct ids are stable API): `Role`, `Policy`, `PolicyAttachment`,
 * `IpBlocksPolicy` + `IpBlocksAttachment` (with ipAllowList), `ServiceAccountAnnotation`
 * (with annotateServiceAccount), and the lookups `CallerIdentity`, `Partition`, `Cluster`,
 * `OidcProvider`, `IssuerHost` as needed.
 *
 * @group Edge & AWS
 */
export class KubeSaAuthAws extends Construct {
  /** ARN of the role. */
  public readonly roleArn: string;
  /** Name of the role (generated from the ServiceAccount name). */
  public readonly roleName: string;
  /** ARN of the permissions policy. */
  public readonly policyArn: string;
  /** ARN of the IP restriction policy, when ipAllowList is set. */
  public readonly ipBlocksPolicyArn?: string;
  /** Annotations to put on the ServiceAccount: `{ "eks.amazonaws.com/role-arn": roleArn }`. */
  public readonly serviceAccountAnnotations: Record<string, string>;
  /** The trust (assume-role) policy, as rendered into the role. */
  public readonly trustPolicyJson: string;
  /** The ARN of the OIDC provider trusted by the role (may be a token). */
  public readonly oidcProviderArn: string;
  /** The issuer without `https://`, used as condition key prefix (may be a token). */
  public readonly oidcIssuerHost: string;
  /** The audience pinned in the trust policy. */
  public readonly audience: string;
  /** Resolved defaults. */
  public readonly annotateServiceAccount: boolean;
  public readonly maxSessionDurationSeconds: number;
  public readonly ipAllowList: string[];
  /** Escape hatches. */
  public readonly role: IamRole;
  public readonly policy: IamPolicy;
  public readonly ipBlocksPolicy?: IamPolicy;
  public readonly annotation?: KubernetesAnnotations;

  constructor(scope: Construct, id: string, props: KubeSaAuthAwsProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeSaAuthAws', props);
    enableCollisionCheck(this); // its AWS names must be unique in the account (lib/constructs/collisions.ts)
    const v = new PropValidator(this);
    const sa = v.required('serviceAccount', props.serviceAccount);
    const ns = v.required('serviceAccountNamespace', props.serviceAccountNamespace);
    rejectWildcard(v, 'serviceAccount', sa);
    rejectWildcard(v, 'serviceAccountNamespace', ns);
    v.dnsSubdomain('serviceAccount', sa);
    v.dnsLabel('serviceAccountNamespace', ns);
    v.required('iamPolicyJson', props.iamPolicyJson);

    this.annotateServiceAccount = v.knownAtSynth('annotateServiceAccount', props.annotateServiceAccount ?? true, 'it decides whether the ServiceAccount annotation resource is created');
    v.knownAtSynth('allowPublicS3PresignedUrls', props.allowPublicS3PresignedUrls, 'it decides which actions the IP restriction policy lists');
    this.maxSessionDurationSeconds = v.integer('maxSessionDurationSeconds', props.maxSessionDurationSeconds ?? 43200, 3600, 43200,
      'use a whole number of seconds from 3600 (1 hour) to 43200 (12 hours)');
    this.ipAllowList = [...(props.ipAllowList ?? [])];
    if (!isToken(props.ipAllowList)) {
      this.ipAllowList.forEach((cidr, i) => {
        if (isToken(cidr)) return;
        if (typeof cidr !== 'string' || !isCidrOrIp(cidr)) {
          v.fail(`ipAllowList[${i}]`, cidr, 'use an IPv4/IPv6 address or CIDR block such as "203.0.113.7" or "10.0.0.0/16"', 'is not an IP address or CIDR');
        }
      });
    }
    const tags = props.tags ?? {};
    const providers = { aws: props.awsProvider, kubernetes: props.kubernetesProvider };

    // ---- who is trusted: the OIDC provider and the issuer host (condition key prefix) ----
    const trust = this.resolveIssuer(v, props, providers.aws);
    this.oidcProviderArn = trust.providerArn;
    this.oidcIssuerHost = trust.host;
    this.audience = props.audience ?? trust.defaultAudience;
    if (!isToken(this.audience) && (this.audience.trim() === '' || this.audience.includes('://'))) {
      v.fail('audience', this.audience, 'give the bare audience, e.g. "sts.amazonaws.com"', 'is not an audience');
    }
    refuseWildcard(v, 'audience', this.audience, 'give the exact audience the tokens carry, e.g. "sts.amazonaws.com": a wildcard would accept tokens minted for any audience');

    const trustDoc = new PolicyDocument({
      kind: 'trust',
      statements: [
        {
          Sid: 'ServiceAccountWebIdentity',
          Effect: 'Allow',
          Principal: { Federated: this.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            // `sub` pins namespace and name: no other pod in the cluster can take this role.
            // `aud` pins the token to STS so a token minted for another audience is refused.
            StringEquals: {
              [`${this.oidcIssuerHost}:sub`]: `system:serviceaccount:${ns}:${sa}`,
              [`${this.oidcIssuerHost}:aud`]: this.audience,
            },
          },
        },
      ],
    });
    this.trustPolicyJson = trustDoc.toJson(this, 'trustPolicy');

    // ---- the role and its permissions ----
    const policyJson = props.iamPolicyJson instanceof PolicyDocument
      ? props.iamPolicyJson.toJson(this, 'iamPolicyJson')
      : // IAM's own text; its literal `${...}` (policy variables) are escaped when the resource is written.
        validatePolicyJson(this, 'iamPolicyJson', props.iamPolicyJson, 'identity');

    const namePrefix = `${truncate(sa, 37)}-`;
    this.role = new IamRole(this, 'Role', {
      namePrefix,
      assumeRolePolicy: this.trustPolicyJson,
      maxSessionDuration: this.maxSessionDurationSeconds,
      description: `IRSA role for ServiceAccount ${ns}/${sa}`,
      tags,
      provider: providers.aws,
    });
    this.policy = new IamPolicy(this, 'Policy', {
      namePrefix,
      policy: policyJson,
      description: props.description ?? `Permissions for ServiceAccount ${ns}/${sa}`,
      tags,
      provider: providers.aws,
    });
    new IamRolePolicyAttachment(this, 'PolicyAttachment', {
      role: this.role.name,
      policyArn: this.policy.arn,
      provider: providers.aws,
    });

    if (this.ipAllowList.length > 0 || isToken(props.ipAllowList)) {
      this.ipBlocksPolicy = new IamPolicy(this, 'IpBlocksPolicy', {
        namePrefix: `${truncate(sa, 26)}-ip-blocks-`,
        policy: renderIpBlocksPolicy(this, props.ipAllowList ?? [], props.allowPublicS3PresignedUrls ?? false),
        description: `Deny use of the credentials of ServiceAccount ${ns}/${sa} from addresses outside the allow list`,
        tags,
        provider: providers.aws,
      });
      new IamRolePolicyAttachment(this, 'IpBlocksAttachment', {
        role: this.role.name,
        policyArn: this.ipBlocksPolicy.arn,
        provider: providers.aws,
      });
      this.ipBlocksPolicyArn = this.ipBlocksPolicy.arn;
    }

    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.policyArn = this.policy.arn;
    this.serviceAccountAnnotations = { [ROLE_ARN_ANNOTATION]: this.roleArn };

    if (this.annotateServiceAccount) {
      this.annotation = new KubernetesAnnotations(this, 'ServiceAccountAnnotation', {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: sa, namespace: ns },
        annotations: this.serviceAccountAnnotations,
        fieldManager: IRSA_FIELD_MANAGER,
        force: true,
        provider: providers.kubernetes,
      });
    }
  }

  private resolveIssuer(v: PropValidator, props: KubeSaAuthAwsProps, provider?: TerraformProvider):
    { providerArn: string; host: string; defaultAudience: string } {
    const given = (['oidcIssuerUrl', 'oidcProviderArn', 'eksClusterName'] as const).filter((k) => props[k] !== undefined);
    if (given.length > 1) {
      v.fail(given.join('/'), Object.fromEntries(given.map((k) => [k, props[k]])),
        'give only one of oidcIssuerUrl, oidcProviderArn and eksClusterName', 'conflict');
    }
    const chinaAudience = (host: string) => (!isToken(host) && /\.amazonaws\.com\.cn(\/|$)/.test(host) ? 'sts.amazonaws.com.cn' : DEFAULT_STS_AUDIENCE);

    if (props.oidcProviderArn !== undefined) {
      const arn = props.oidcProviderArn;
      if (isToken(arn)) {
        // The host is everything after "oidc-provider/"; a local keeps it a plain reference.
        const host = new TerraformLocal(this, 'IssuerHost', Fn.element(Fn.split('oidc-provider/', arn), 1)).asString;
        return { providerArn: arn, host, defaultAudience: DEFAULT_STS_AUDIENCE };
      }
      refuseWildcard(v, 'oidcProviderArn', arn,
        'give the exact ARN of the cluster\'s IAM OIDC provider (aws iam list-open-id-connect-providers): a wildcard would trust the tokens of other clusters\' issuers');
      if (arn.includes('://')) {
        v.fail('oidcProviderArn', arn, 'an OIDC provider ARN has no URL scheme: arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<ID>', 'contains "https://"');
      }
      const m = OIDC_PROVIDER_ARN.exec(arn);
      if (!m) {
        v.fail('oidcProviderArn', arn, 'use the ARN of an IAM OIDC provider: arn:aws:iam::<12-digit account>:oidc-provider/<issuer host and path>', 'is not an OIDC provider ARN');
      }
      const host = m[3].replace(/\/+$/, '');
      return { providerArn: arn, host, defaultAudience: m[1] === 'aws-cn' ? 'sts.amazonaws.com.cn' : chinaAudience(host) };
    }

    if (props.oidcIssuerUrl !== undefined) {
      const url = props.oidcIssuerUrl;
      let host: string;
      if (isToken(url)) {
        host = new TerraformLocal(this, 'IssuerHost', Fn.replace(url, 'https://', '')).asString;
      } else {
        refuseWildcard(v, 'oidcIssuerUrl', url,
          'give the exact issuer URL of the cluster (aws eks describe-cluster --query cluster.identity.oidc.issuer): a wildcard would trust the tokens of other issuers');
        if (!url.startsWith('https://')) {
          v.fail('oidcIssuerUrl', url, 'give the issuer URL exactly as EKS reports it, starting with "https://" (aws eks describe-cluster --query cluster.identity.oidc.issuer)', 'is not an https URL');
        }
        if (!ISSUER_URL.test(url)) {
          v.fail('oidcIssuerUrl', url, 'give a URL such as https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE', 'is not a valid issuer URL');
        }
        host = url.slice('https://'.length).replace(/\/+$/, '');
      }
      const partition = new DataAwsPartition(this, 'Partition', { provider });
      const caller = new DataAwsCallerIdentity(this, 'CallerIdentity', { provider });
      return {
        providerArn: `arn:${partition.partition}:iam::${caller.accountId}:oidc-provider/${host}`,
        host,
        defaultAudience: chinaAudience(host),
      };
    }

    const clusterName = props.eksClusterName ?? EnvironmentContext.of(this).clusterName;
    if (clusterName === undefined || (!isToken(clusterName) && clusterName.trim() === '')) {
      v.fail('oidcIssuerUrl', undefined,
        'give oidcIssuerUrl, oidcProviderArn or eksClusterName, or set clusterName with EnvironmentContext.set(stack, { clusterName })',
        'no OIDC issuer: cannot tell which cluster may assume the role');
    }
    const cluster = new DataAwsEksCluster(this, 'Cluster', { name: clusterName, provider });
    const issuerUrl = cluster.identity.get(0).oidc.get(0).issuer;
    const oidc = new DataAwsIamOpenidConnectProvider(this, 'OidcProvider', { url: issuerUrl, provider });
    const host = new TerraformLocal(this, 'IssuerHost', Fn.replace(issuerUrl, 'https://', '')).asString;
    return { providerArn: oidc.arn, host, defaultAudience: DEFAULT_STS_AUDIENCE };
  }
}

function rejectWildcard(v: PropValidator, field: string, value: string): void {
  if (!isToken(value) && typeof value === 'string' && /[*?]/.test(value)) {
    v.fail(field, value, 'name one exact ServiceAccount and namespace; give every workload its own role instead of a wildcard', 'contains a wildcard');
  }
}

/** IRSA trusts one issuer and one audience: `*` and `?` (IAM wildcards) are refused there. */
function refuseWildcard(v: PropValidator, field: string, value: string, fix: string): void {
  if (!isToken(value) && typeof value === 'string' && /[*?]/.test(value)) v.fail(field, value, fix, 'contains a wildcard');
}

function truncate(value: string, max: number): string {
  return isToken(value) ? Fn.substr(value, 0, max) : value.slice(0, max);
}

const ALLOW_LIST_PLACEHOLDER = 'IPALLOWLISTPLACEHOLDER';

/**
 * The ip-blocks policy as a JSON string. A literal list is written into the JSON; a list
 * token (a variable) cannot be, so a placeholder is swapped for `jsonencode(list)` at plan time.
 */
function renderIpBlocksPolicy(scope: Construct, allowList: string[], allowPublicS3PresignedUrls: boolean): string {
  if (!Token.isUnresolved(allowList)) {
    return ipBlocksPolicy(allowList, allowPublicS3PresignedUrls).toJson(scope, 'ipAllowList');
  }
  // Fn.rawString escapes for Terraform itself (a token: the one escaping path leaves it alone).
  const template = ipBlocksPolicy([ALLOW_LIST_PLACEHOLDER], allowPublicS3PresignedUrls).toPolicyJson(scope, 'ipAllowList');
  return Fn.replace(Fn.rawString(template), Fn.rawString(`["${ALLOW_LIST_PLACEHOLDER}"]`), Fn.jsonencode(allowList));
}

/**
 * The deny policy of Panfactum's kube_sa_auth_aws "ip-blocks": refuse any call made with the
 * role's credentials from an address outside `allowList`, unless an AWS service makes it on
 * the role's behalf. S3 calls are tested on their VPC source address (they go through the
 * gateway endpoint), everything else on the public source address.
 *
 * @group Edge & AWS
 */
export function ipBlocksPolicy(allowList: string[], allowPublicS3PresignedUrls = false): PolicyDocument {
  const viaService = { 'aws:ViaAWSService': 'false' };
  const statements: PolicyStatement[] = [
    {
      Sid: 'DenyNonS3OutsideAllowList',
      Effect: 'Deny',
      NotAction: ['s3:*'],
      Resource: ['*'],
      Condition: { NotIpAddress: { 'aws:SourceIp': allowList }, BoolIfExists: viaService },
    },
    {
      Sid: 'DenyS3OutsideAllowList',
      Effect: 'Deny',
      Action: [...S3_VPC_ENDPOINT_ACTIONS, ...(allowPublicS3PresignedUrls ? [] : S3_OBJECT_ACTIONS)],
      Resource: ['*'],
      Condition: { NotIpAddress: { 'aws:VpcSourceIp': allowList }, BoolIfExists: viaService },
    },
  ];
  return new PolicyDocument({ kind: 'identity', statements });
}
