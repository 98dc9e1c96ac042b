import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { EnvironmentConfig, RegionConfig } from '../config/loader';
// AWS provider classes, loaded on first use (aws-classes.ts).
import { AwsProvider, DataAwsEksCluster } from '../constructs/aws-classes';


/**
 * The providers of one stack, configured from its environment and region (stacks create
 * providers; constructs never do).
 *
 * @group App
 */
export interface StackProviders {
  /** The AWS provider of the region. */
  readonly aws: AwsProvider;
  /** The us-east-1 AWS provider (alias `global`) for CloudFront certificates and functions. */
  readonly awsGlobal: AwsProvider;
  /** The Kubernetes provider of the region's cluster. */
  readonly kubernetes: KubernetesProvider;
  /** The Helm provider of the region's cluster. */
  readonly helm: HelmProvider;
}

/**
 * Configure the AWS (region and us-east-1), Kubernetes and Helm providers of a region in a
 * stack. Kubernetes and Helm reach the cluster through the EKS endpoint and
 * `aws eks get-token` (no stored credentials), or through a kubeconfig context when
 * `kube_config_context` is set. Nothing here contacts a cloud at synth time.
 *
 * Construct ids (stable, they are Terraform addresses): `aws`, `aws-global`, `cluster` (the
 * EKS data source, unless a kubeconfig context is used), `kubernetes`, `helm`.
 *
 * @group App
 */
export function configureProviders(stack: TerraformStack, env: EnvironmentConfig, region: RegionConfig): StackProviders {
  const tags = { 'panfactum.com/environment': env.name, 'panfactum.com/region': region.awsRegion, 'managed-by': 'cdktf-golden-path', ...region.extraTags };
  const common = {
    profile: region.awsProfile,
    allowedAccountIds: region.awsAccountId ? [region.awsAccountId] : undefined,
    defaultTags: [{ tags }],
  };
  const aws = new AwsProvider(stack, 'aws', { region: region.awsRegion, ...common });
  const awsGlobal = new AwsProvider(stack, 'aws-global', { alias: 'global', region: 'us-east-1', ...common });

  let kubeConfig: Record<string, unknown>;
  if (region.kubeConfigContext) {
    kubeConfig = { configPath: '~/.kube/config', configContext: region.kubeConfigContext };
  } else {
    const cluster = new DataAwsEksCluster(stack, 'cluster', { name: region.kubeClusterName, provider: aws });
    const execArgs = ['eks', 'get-token', '--cluster-name', region.kubeClusterName, '--region', region.awsRegion, ...(region.awsProfile ? ['--profile', region.awsProfile] : [])];
    kubeConfig = {
      host: region.kubeApiServer ?? cluster.endpoint,
      clusterCaCertificate: `\${base64decode(${cluster.fqn}.certificate_authority[0].data)}`,
      exec: [{ apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'aws', args: execArgs }],
    };
  }
  const kubernetes = new KubernetesProvider(stack, 'kubernetes', kubeConfig);
  const helm = new HelmProvider(stack, 'helm', {
    kubernetes: kubeConfig.exec
      ? { host: kubeConfig.host as string, clusterCaCertificate: kubeConfig.clusterCaCertificate as string, exec: (kubeConfig.exec as Array<{ apiVersion: string; command: string; args: string[] }>)[0] }
      : { configPath: kubeConfig.configPath as string, configContext: kubeConfig.configContext as string },
  });
  return { aws, awsGlobal, kubernetes, helm };
}

/**
 * Configure the state backend of a stack: S3 with encryption and locking (a DynamoDB table
 * when `tf_state_lock_table` is set, S3 lock files otherwise) when `tf_state_bucket` is set,
 * under the key `<stackName>/terraform.tfstate`; a local file `terraform.<stackName>.tfstate`
 * otherwise, so a project plans without a cloud account.
 *
 * @group App
 */
export function configureBackend(stack: TerraformStack, stackName: string, region: RegionConfig): void {
  const state = region.tfState;
  if (!state) {
    new LocalBackend(stack, { path: `terraform.${stackName}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: state.bucket,
    key: `${stackName}/terraform.tfstate`,
    region: state.region,
    encrypt: true,
    dynamodbTable: state.lockTable,
    profile: state.profile,
  });
  if (!state.lockTable) stack.addOverride('terraform.backend.s3.use_lockfile', true);
}
