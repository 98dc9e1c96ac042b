import { TerraformOutput, TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { PolicyDocument, KubeAwsCdn, KubeDeployment, KubeIngress, NamespaceRef } from '../lib';

export interface EdgeExampleProps {
  /** The web Deployment to publish (must expose a Service). */
  readonly web: KubeDeployment;
  /** The us-east-1 AWS provider (StackProviders.awsGlobal). */
  readonly globalProvider: TerraformProvider;
  /** The regional AWS provider. @default - the stack's default aws provider */
  readonly awsProvider?: TerraformProvider;
  /** Namespace of the ingress and the extra workload (a KubeNamespace orders them after it). @default - the web Deployment's namespace */
  readonly namespace?: NamespaceRef;
  /** Public domain of the app. @default "app.example.com" */
  readonly domain?: string;
  /** Route53 zone holding the domain (looked up by name at plan time). @default "example.com" */
  readonly hostedZoneName?: string;
  /** Bucket the assets-sync workload may read. @default "example-app-assets" */
  readonly assetsBucketName?: string;
}

/** What addEdgeExamples creates. */
export interface EdgeExamples {
  readonly ingress: KubeIngress;
  readonly cdn: KubeAwsCdn;
  /** The WAFv2 web ACL in front of the CDN (GP-CF-003). */
  readonly webAcl: Wafv2WebAcl;
  /** A workload with S3 read access through IRSA (awsIamPolicy). */
  readonly assetsSync: KubeDeployment;
}

/**
 * The example app's edge: the web Deployment behind ingress-nginx (KubeIngress in CDN mode,
 * cert-manager certificate, security headers, rate limits) and CloudFront (KubeAwsCdn with
 * an ACM certificate in us-east-1, static assets cached longer, access logs, a WAFv2 web ACL with
 * the AWS managed common and known-bad-inputs rule sets), plus an
 * `assets-sync` Deployment that reads one S3 bucket through an IRSA role (awsIamPolicy):
 * no static AWS keys anywhere.
 */
export function addEdgeExamples(stack: Construct, props: EdgeExampleProps): EdgeExamples {
  const { web } = props;
  const domain = props.domain ?? 'app.example.com';
  const bucket = props.assetsBucketName ?? 'example-app-assets';
  if (!web.serviceName) throw new Error('addEdgeExamples: the web Deployment exposes no port, so it has no Service to route to');

  const ingress = new KubeIngress(stack, 'web-ingress', {
    namespace: props.namespace ?? web.namespaceName,
    name: 'web',
    domains: [domain],
    ingressConfigs: [
      {
        service: web.serviceName,
        servicePort: 80,
        cdn: { pathMatchBehavior: { 'assets/*': { defaultTtl: 604800, cookiesInCacheKey: [], headersInCacheKey: [] } } },
      },
    ],
    cdnModeEnabled: true,
    generateCertEnabled: true,
    cspEnabled: true,
    permissionsPolicyEnabled: true,
    bodySizeLimitMb: 10,
    idleTimeoutSeconds: 60,
  });

  // CloudFront takes a web ACL of scope CLOUDFRONT, created in us-east-1 (GP-CF-003).
  const managedRule = (name: string, priority: number) => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managed_rule_group_statement: { name, vendor_name: 'AWS' } },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
  });
  const webAcl = new Wafv2WebAcl(stack, 'web-cdn-waf', {
    provider: props.globalProvider,
    name: 'web-cdn',
    description: 'Example app CDN: AWS managed common and known-bad-inputs rules',
    scope: 'CLOUDFRONT',
    defaultAction: { allow: {} },
    rule: [managedRule('AWSManagedRulesCommonRuleSet', 1), managedRule('AWSManagedRulesKnownBadInputsRuleSet', 2)],
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'web-cdn', sampledRequestsEnabled: true },
  });

  const cdn = new KubeAwsCdn(stack, 'web-cdn', {
    name: 'web',
    description: 'Example app CDN',
    originConfigs: ingress.cdnOriginConfigs,
    globalProvider: props.globalProvider,
    awsProvider: props.awsProvider,
    hostedZoneNames: [props.hostedZoneName ?? 'example.com'],
    loggingEnabled: true,
    loggingExpireAfterDays: 30,
    customErrorResponses: [{ errorCode: 503, errorCachingMinTtl: 10 }],
    webAclArn: webAcl.arn,
  });

  const assetsSync = new KubeDeployment(stack, 'assets-sync', {
    namespace: props.namespace ?? web.namespaceName,
    name: 'assets-sync',
    containers: [
      {
        name: 'sync',
        imageRegistry: 'public.ecr.aws',
        imageRepository: 'aws-cli/aws-cli',
        imageTag: '2.17.0',
        // Each round touches a heartbeat; the exec probe restarts the pod when the loop has stalled for 15 minutes.
        command: ['/bin/sh', '-c', `while true; do touch /tmp/heartbeat; aws s3 sync s3://${bucket} /tmp/assets --only-show-errors; sleep 300; done`],
        minimumMemory: 100,
        minimumCpu: 20,
        livenessProbeType: 'exec',
        livenessProbeCommand: ['/bin/sh', '-c', 'test $(( $(date +%s) - $(stat -c %Y /tmp/heartbeat) )) -lt 900'],
      },
    ],
    tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 256, nodeLocal: true } },
    awsProvider: props.awsProvider,
    awsIamPolicy: new PolicyDocument({
      statements: [
        { Sid: 'ListAssets', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`] },
        { Sid: 'ReadAssets', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${bucket}/*`] },
      ],
    }),
  });

  new TerraformOutput(stack, 'web_cdn_distribution_id', { value: cdn.distributionId });
  new TerraformOutput(stack, 'web_cdn_domain_name', { value: cdn.distributionDomainName });
  new TerraformOutput(stack, 'assets_sync_role_arn', { value: assetsSync.awsRole!.roleArn });
  return { ingress, cdn, webAcl, assetsSync };
}
