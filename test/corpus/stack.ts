import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EnvironmentContext, EnvironmentContextProps } from '../../lib/core/context';

/** The region every corpus stack's default AWS provider uses. */
export const CORPUS_REGION = 'us-east-2';
/** The EKS cluster named in every corpus stack's EnvironmentContext (IRSA lookups use it). */
export const CORPUS_CLUSTER = 'corpus-cluster';
/** Kubeconfig context the Kubernetes and Helm providers point at. */
export const CORPUS_KUBE_CONTEXT = 'corpus';

/** Which providers a corpus stack declares besides Kubernetes (always present). */
export interface CorpusStackOptions {
  /** A default AWS provider in CORPUS_REGION. @default false */
  readonly aws?: boolean;
  /** Also an aliased AWS provider in us-east-1 (alias `global`) for CloudFront and ACM. @default false */
  readonly awsGlobal?: boolean;
  /** A Helm provider. @default false */
  readonly helm?: boolean;
  /** Overrides of the stack's EnvironmentContext (extraLabels are merged). @default - the corpus context */
  readonly context?: EnvironmentContextProps;
}

/** A corpus stack with the providers it asked for. */
export interface CorpusStack {
  readonly stack: TerraformStack;
  readonly kubernetes: KubernetesProvider;
  readonly aws?: AwsProvider;
  readonly awsGlobal?: AwsProvider;
  readonly helm?: HelmProvider;
}

/**
 * A stack as a consumer writes it: the stack creates its providers (constructs never do), all
 * imported by deep path, and attaches the EnvironmentContext. Nothing contacts a cloud at
 * synth. The AWS providers skip the credential, account-id and metadata-API checks, so
 * validating the stacks needs no AWS account (a plan still reads the data sources, e.g. the
 * EKS cluster of an IRSA role, through whatever endpoint the harness configures).
 */
export function corpusStack(app: App, name: string, options: CorpusStackOptions = {}): CorpusStack {
  const stack = new TerraformStack(app, name);
  const kubeConfig = { configPath: '~/.kube/config', configContext: CORPUS_KUBE_CONTEXT };
  const kubernetes = new KubernetesProvider(stack, 'kubernetes', kubeConfig);
  const offline = { skipCredentialsValidation: true, skipRequestingAccountId: true, skipMetadataApiCheck: 'true' };
  const defaultTags = [{ tags: { 'managed-by': 'cdktf-golden-path', corpus: name } }];
  const aws = options.aws || options.awsGlobal ? new AwsProvider(stack, 'aws', { region: CORPUS_REGION, defaultTags, ...offline }) : undefined;
  const awsGlobal = options.awsGlobal ? new AwsProvider(stack, 'aws-global', { alias: 'global', region: 'us-east-1', defaultTags, ...offline }) : undefined;
  const helm = options.helm ? new HelmProvider(stack, 'helm', { kubernetes: kubeConfig }) : undefined;
  EnvironmentContext.set(stack, {
    environment: 'corpus',
    region: CORPUS_REGION,
    slaTarget: 3,
    clusterName: CORPUS_CLUSTER,
    ...(options.context ?? {}),
    extraLabels: { 'corpus.example.com/stack': name, ...(options.context?.extraLabels ?? {}) },
  });
  return { stack, kubernetes, aws, awsGlobal, helm };
}

/** A pinned public image, split as the container props want it. */
export function image(registry: string, repository: string, tag: string): { imageRegistry: string; imageRepository: string; imageTag: string } {
  return { imageRegistry: registry, imageRepository: repository, imageTag: tag };
}
