import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';

/**
 * The providers every example stack creates (constructs never create providers). The cluster is
 * reached through a kubeconfig context here; in CI you would use the EKS endpoint and
 * `aws eks get-token` instead. Import provider classes by deep path: a provider's package root
 * costs seconds and hundreds of MB to load.
 */
export function addProviders(stack: TerraformStack, opts: { helm?: boolean; awsGlobal?: boolean } = {}): { aws: AwsProvider; awsGlobal?: AwsProvider } {
  const aws = new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  new KubernetesProvider(stack, 'kubernetes', { configPath: '~/.kube/config', configContext: 'production-primary' });
  if (opts.helm) new HelmProvider(stack, 'helm', { kubernetes: { configPath: '~/.kube/config', configContext: 'production-primary' } });
  // CloudFront certificates and functions live in us-east-1: a second, aliased provider.
  const awsGlobal = opts.awsGlobal ? new AwsProvider(stack, 'aws-global', { alias: 'global', region: 'us-east-1' }) : undefined;
  return { aws, awsGlobal };
}
