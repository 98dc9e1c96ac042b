import { App, TerraformOutput, TerraformStack, TerraformVariable, dependable } from 'cdktf';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KubeCronJob, KubeDeployment, KubeManifest, KubeNamespace, KubeSaAuthAws, KubeWorkflowTemplate, PolicyDocument } from '../../lib';
import { corpusStack, image } from './stack';

export const IRSA_STACK = 'corpus-irsa';

/** A raw ServiceAccount for a KubeSaAuthAws to annotate. */
function serviceAccount(scope: TerraformStack, id: string, name: string, ns: KubeNamespace): KubeManifest {
  return new KubeManifest(scope, id, {
    object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns.namespaceName, labels: { 'app.kubernetes.io/name': name } } },
    dependsOn: [ns.namespace.resource],
  });
}

/**
 * `corpus-irsa`: IAM roles for ServiceAccounts, every way the issuer can be given.
 *
 * - KubeSaAuthAws trusting the EnvironmentContext cluster (looked up), another cluster by
 *   name, a literal issuer URL, a literal OIDC provider ARN (in another account), a provider ARN
 *   read from a data source, and an issuer URL variable.
 * - Permissions as a typed PolicyDocument (with an IAM policy variable and conditions) and as a
 *   literal JSON string (with `${aws:PrincipalTag/...}` variables); literal and IPv6 IP allow
 *   lists, presigned-URL exemption, session length, audience, tags, description; annotating an
 *   existing ServiceAccount or not.
 * - A managed policy attached to a role by ARN (an IamRolePolicyAttachment on `roleName`: the
 *   construct has no prop for managed policies).
 * - Workloads with `awsIamPolicy`: a Deployment (PolicyDocument, IP allow list), a CronJob
 *   (JSON string) and a WorkflowTemplate.
 */
export function buildIrsaStack(app: App): TerraformStack {
  const { stack, aws, kubernetes } = corpusStack(app, IRSA_STACK, { aws: true });
  const ns = new KubeNamespace(stack, 'ns-irsa', { namespace: 'corpus-irsa' });

  const readerSa = serviceAccount(stack, 'sa-reader', 'bucket-reader', ns);
  const reader = new KubeSaAuthAws(stack, 'irsa-context-cluster', {
    serviceAccount: 'bucket-reader',
    serviceAccountNamespace: ns.namespaceName,
    iamPolicyJson: new PolicyDocument({
      id: 'corpus-bucket-reader',
      statements: [
        { Sid: 'ListOwnPrefix', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: ['arn:aws:s3:::corpus-data'], Condition: { StringLike: { 's3:prefix': ['home/${aws:username}/*'] } } },
        { Sid: 'ReadOwnObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: ['arn:aws:s3:::corpus-data/home/${aws:username}/*'] },
        { Sid: 'DenyInsecure', Effect: 'Deny', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': false } } },
      ],
    }),
    annotateServiceAccount: true,
    kubernetesProvider: kubernetes,
    awsProvider: aws,
  });
  reader.annotation!.dependsOn = [dependable(readerSa.resource)];

  const writerSa = serviceAccount(stack, 'sa-writer', 'bucket-writer', ns);
  const writer = new KubeSaAuthAws(stack, 'irsa-named-cluster', {
    serviceAccount: 'bucket-writer',
    serviceAccountNamespace: ns.namespaceName,
    eksClusterName: 'corpus-other-cluster',
    iamPolicyJson: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'WriteTeamPrefix', Effect: 'Allow', Action: ['s3:PutObject', 's3:DeleteObject'], Resource: 'arn:aws:s3:::corpus-data/${aws:PrincipalTag/team}/*' },
        { Sid: 'UseKey', Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: 'arn:aws:kms:us-east-2:123456789012:key/11111111-2222-3333-4444-555555555555' },
      ],
    }),
    ipAllowList: ['10.0.0.0/16', '203.0.113.7', '2001:db8::/32'],
    allowPublicS3PresignedUrls: true,
    maxSessionDurationSeconds: 3600,
    audience: 'sts.amazonaws.com',
    tags: { team: 'data', 'cost-center': 'cc-1234' },
    description: 'Corpus: writes team prefixes of the data bucket',
  });
  writer.annotation!.dependsOn = [dependable(writerSa.resource)];
  new IamRolePolicyAttachment(stack, 'writer-managed-readonly', { role: writer.roleName, policyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' });

  new KubeSaAuthAws(stack, 'irsa-issuer-url', {
    serviceAccount: 'queue-consumer',
    serviceAccountNamespace: ns.namespaceName,
    oidcIssuerUrl: 'https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: 'arn:aws:sqs:us-west-2:123456789012:orders' }] }),
    annotateServiceAccount: false,
  });
  new KubeSaAuthAws(stack, 'irsa-provider-arn', {
    serviceAccount: 'cross-account',
    serviceAccountNamespace: ns.namespaceName,
    oidcProviderArn: 'arn:aws:iam::210987654321:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF',
    iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' }] }),
    annotateServiceAccount: false,
  });
  const oidc = new DataAwsIamOpenidConnectProvider(stack, 'shared-oidc', { url: 'https://oidc.eks.us-east-2.amazonaws.com/id/SHAREDCLUSTER0000000000000000000' });
  new KubeSaAuthAws(stack, 'irsa-provider-arn-token', {
    serviceAccount: 'shared-reader',
    serviceAccountNamespace: ns.namespaceName,
    oidcProviderArn: oidc.arn,
    iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: 'arn:aws:ssm:us-east-2:123456789012:parameter/corpus/*' }] }),
    annotateServiceAccount: false,
  });
  const issuer = new TerraformVariable(stack, 'external_issuer_url', {
    type: 'string',
    default: 'https://oidc.eks.ap-southeast-2.amazonaws.com/id/VARIABLEISSUER00000000000000000',
    description: 'Issuer of a cluster the corpus does not look up',
  });
  new KubeSaAuthAws(stack, 'irsa-issuer-variable', {
    serviceAccount: 'variable-issuer',
    serviceAccountNamespace: ns.namespaceName,
    oidcIssuerUrl: issuer.stringValue,
    iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['logs:PutLogEvents', 'logs:CreateLogStream'], Resource: 'arn:aws:logs:*:123456789012:log-group:/corpus/*' }] }),
    annotateServiceAccount: false,
  });

  // ---- workloads that ask for a role ----
  const uploader = new KubeDeployment(stack, 'uploader', {
    namespace: ns,
    name: 'uploader',
    containers: [{ name: 'uploader', ...image('public.ecr.aws', 'aws-cli/aws-cli', '2.17.0'), command: ['sh', '-c', 'while true; do aws s3 cp /tmp/out s3://corpus-data/uploads/ --recursive; sleep 60; done'] }],
    tmpDirectories: { out: { mountPath: '/tmp/out', sizeMb: 256 } },
    awsIamPolicy: new PolicyDocument({ statements: [{ Sid: 'Upload', Effect: 'Allow', Action: ['s3:PutObject'], Resource: ['arn:aws:s3:::corpus-data/uploads/*'] }] }),
    awsIpAllowList: ['10.0.0.0/16', '198.51.100.0/24'],
    awsProvider: aws,
  });
  new KubeCronJob(stack, 'rotator', {
    namespace: ns,
    name: 'key-rotator',
    cronSchedule: '0 4 * * 0',
    containers: [{ name: 'rotate', ...image('public.ecr.aws', 'aws-cli/aws-cli', '2.17.0'), command: ['aws', 'secretsmanager', 'rotate-secret', '--secret-id', 'corpus/api'] }],
    awsIamPolicy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'secretsmanager:RotateSecret', Resource: 'arn:aws:secretsmanager:us-east-2:123456789012:secret:corpus/api-*' }] }),
  });
  new KubeWorkflowTemplate(stack, 'exporter', {
    namespace: ns,
    name: 'exporter',
    templates: [{ name: 'export', containers: [{ name: 'export', ...image('public.ecr.aws', 'aws-cli/aws-cli', '2.17.0'), command: ['aws', 's3', 'ls'] }] }],
    awsIamPolicy: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }] }),
  });

  new TerraformOutput(stack, 'reader_role_arn', { value: reader.roleArn });
  new TerraformOutput(stack, 'writer_ip_blocks_policy_arn', { value: writer.ipBlocksPolicyArn! });
  new TerraformOutput(stack, 'uploader_role_arn', { value: uploader.awsRole!.roleArn });
  return stack;
}
