/**
 * AWS helpers (`cdktf-golden-path/aws`): typed IAM policy documents and the CloudFront
 * (KubeAwsCdn) configuration types.
 */
export * from './policy-document';
export * from './cdn';
export * from './cdn-functions';
