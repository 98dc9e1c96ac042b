/**
 * The AWS provider classes the library uses, each loaded on first use (core/lazy-class.ts): importing
 * the package root loads no AWS provider module (docs/performance.md, import time). Deep imports only.
 */
import { lazyClass } from '../core/lazy-class';
// Every module that creates provider elements loads the one escaping path (core/terraform-strings.ts).
import '../core/terraform-strings';

/* eslint-disable @typescript-eslint/no-require-imports */
export const AcmCertificate = lazyClass(() => (require('@cdktf/provider-aws/lib/acm-certificate') as typeof import('@cdktf/provider-aws/lib/acm-certificate')).AcmCertificate);
export type AcmCertificate = InstanceType<typeof AcmCertificate>;
export const AcmCertificateValidation = lazyClass(() => (require('@cdktf/provider-aws/lib/acm-certificate-validation') as typeof import('@cdktf/provider-aws/lib/acm-certificate-validation')).AcmCertificateValidation);
export type AcmCertificateValidation = InstanceType<typeof AcmCertificateValidation>;
export const AwsProvider = lazyClass(() => (require('@cdktf/provider-aws/lib/provider') as typeof import('@cdktf/provider-aws/lib/provider')).AwsProvider);
export type AwsProvider = InstanceType<typeof AwsProvider>;
export const CloudfrontCachePolicy = lazyClass(() => (require('@cdktf/provider-aws/lib/cloudfront-cache-policy') as typeof import('@cdktf/provider-aws/lib/cloudfront-cache-policy')).CloudfrontCachePolicy);
export type CloudfrontCachePolicy = InstanceType<typeof CloudfrontCachePolicy>;
export const CloudfrontDistribution = lazyClass(() => (require('@cdktf/provider-aws/lib/cloudfront-distribution') as typeof import('@cdktf/provider-aws/lib/cloudfront-distribution')).CloudfrontDistribution);
export type CloudfrontDistribution = InstanceType<typeof CloudfrontDistribution>;
export const CloudfrontFunction = lazyClass(() => (require('@cdktf/provider-aws/lib/cloudfront-function') as typeof import('@cdktf/provider-aws/lib/cloudfront-function')).CloudfrontFunction);
export type CloudfrontFunction = InstanceType<typeof CloudfrontFunction>;
export const CloudfrontOriginRequestPolicy = lazyClass(() => (require('@cdktf/provider-aws/lib/cloudfront-origin-request-policy') as typeof import('@cdktf/provider-aws/lib/cloudfront-origin-request-policy')).CloudfrontOriginRequestPolicy);
export type CloudfrontOriginRequestPolicy = InstanceType<typeof CloudfrontOriginRequestPolicy>;
export const CloudfrontResponseHeadersPolicy = lazyClass(() => (require('@cdktf/provider-aws/lib/cloudfront-response-headers-policy') as typeof import('@cdktf/provider-aws/lib/cloudfront-response-headers-policy')).CloudfrontResponseHeadersPolicy);
export type CloudfrontResponseHeadersPolicy = InstanceType<typeof CloudfrontResponseHeadersPolicy>;
export const DataAwsCallerIdentity = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-caller-identity') as typeof import('@cdktf/provider-aws/lib/data-aws-caller-identity')).DataAwsCallerIdentity);
export type DataAwsCallerIdentity = InstanceType<typeof DataAwsCallerIdentity>;
export const DataAwsEc2ManagedPrefixList = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list') as typeof import('@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list')).DataAwsEc2ManagedPrefixList);
export type DataAwsEc2ManagedPrefixList = InstanceType<typeof DataAwsEc2ManagedPrefixList>;
export const DataAwsEksCluster = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-eks-cluster') as typeof import('@cdktf/provider-aws/lib/data-aws-eks-cluster')).DataAwsEksCluster);
export type DataAwsEksCluster = InstanceType<typeof DataAwsEksCluster>;
export const DataAwsIamOpenidConnectProvider = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider') as typeof import('@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider')).DataAwsIamOpenidConnectProvider);
export type DataAwsIamOpenidConnectProvider = InstanceType<typeof DataAwsIamOpenidConnectProvider>;
export const DataAwsPartition = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-partition') as typeof import('@cdktf/provider-aws/lib/data-aws-partition')).DataAwsPartition);
export type DataAwsPartition = InstanceType<typeof DataAwsPartition>;
export const DataAwsRegion = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-region') as typeof import('@cdktf/provider-aws/lib/data-aws-region')).DataAwsRegion);
export type DataAwsRegion = InstanceType<typeof DataAwsRegion>;
export const DataAwsRoute53Zone = lazyClass(() => (require('@cdktf/provider-aws/lib/data-aws-route53-zone') as typeof import('@cdktf/provider-aws/lib/data-aws-route53-zone')).DataAwsRoute53Zone);
export type DataAwsRoute53Zone = InstanceType<typeof DataAwsRoute53Zone>;
export const IamPolicy = lazyClass(() => (require('@cdktf/provider-aws/lib/iam-policy') as typeof import('@cdktf/provider-aws/lib/iam-policy')).IamPolicy);
export type IamPolicy = InstanceType<typeof IamPolicy>;
export const IamRole = lazyClass(() => (require('@cdktf/provider-aws/lib/iam-role') as typeof import('@cdktf/provider-aws/lib/iam-role')).IamRole);
export type IamRole = InstanceType<typeof IamRole>;
export const IamRolePolicyAttachment = lazyClass(() => (require('@cdktf/provider-aws/lib/iam-role-policy-attachment') as typeof import('@cdktf/provider-aws/lib/iam-role-policy-attachment')).IamRolePolicyAttachment);
export type IamRolePolicyAttachment = InstanceType<typeof IamRolePolicyAttachment>;
export const Route53Record = lazyClass(() => (require('@cdktf/provider-aws/lib/route53-record') as typeof import('@cdktf/provider-aws/lib/route53-record')).Route53Record);
export type Route53Record = InstanceType<typeof Route53Record>;
export const S3Bucket = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket') as typeof import('@cdktf/provider-aws/lib/s3-bucket')).S3Bucket);
export type S3Bucket = InstanceType<typeof S3Bucket>;
export const S3BucketLifecycleConfiguration = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration') as typeof import('@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration')).S3BucketLifecycleConfiguration);
export type S3BucketLifecycleConfiguration = InstanceType<typeof S3BucketLifecycleConfiguration>;
export const S3BucketOwnershipControls = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-ownership-controls') as typeof import('@cdktf/provider-aws/lib/s3-bucket-ownership-controls')).S3BucketOwnershipControls);
export type S3BucketOwnershipControls = InstanceType<typeof S3BucketOwnershipControls>;
export const S3BucketPolicy = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-policy') as typeof import('@cdktf/provider-aws/lib/s3-bucket-policy')).S3BucketPolicy);
export type S3BucketPolicy = InstanceType<typeof S3BucketPolicy>;
export const S3BucketPublicAccessBlock = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-public-access-block') as typeof import('@cdktf/provider-aws/lib/s3-bucket-public-access-block')).S3BucketPublicAccessBlock);
export type S3BucketPublicAccessBlock = InstanceType<typeof S3BucketPublicAccessBlock>;
export const S3BucketServerSideEncryptionConfigurationA = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration') as typeof import('@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration')).S3BucketServerSideEncryptionConfigurationA);
export type S3BucketServerSideEncryptionConfigurationA = InstanceType<typeof S3BucketServerSideEncryptionConfigurationA>;
export const S3BucketVersioningA = lazyClass(() => (require('@cdktf/provider-aws/lib/s3-bucket-versioning') as typeof import('@cdktf/provider-aws/lib/s3-bucket-versioning')).S3BucketVersioningA);
export type S3BucketVersioningA = InstanceType<typeof S3BucketVersioningA>;
/* eslint-enable @typescript-eslint/no-require-imports */
