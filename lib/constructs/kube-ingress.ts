import { TerraformIterator, TerraformProvider, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { CdnOriginConfig } from '../aws/cdn';
import { IngressProps, buildIngressModel } from '../k8s/ingress';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';
// AWS provider classes, loaded on first use (aws-classes.ts).
import { DataAwsEc2ManagedPrefixList } from './aws-classes';


/** AWS's managed prefix list of the addresses CloudFront connects to origins from (IPv4). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';

/**
 * Props of `KubeIngress`: the namespace, hosts, routes, TLS and CDN settings of an ingress.
 *
 * @group Edge & AWS
 */
export interface KubeIngressProps extends Omit<IngressProps, 'namespace'> {
  /** Namespace name, or the KubeNamespace construct (then the objects are applied after it). */
  readonly namespace: NamespaceRef;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
  /**
   * AWS provider (any region) that reads CloudFront's origin-facing address ranges (the managed
   * prefix list `com.amazonaws.global.cloudfront.origin-facing`: ec2:DescribeManagedPrefixLists
   * and ec2:GetManagedPrefixListEntries at plan time) for the CDN origin protection. Only used
   * with cdnModeEnabled and cdnOriginProtectionEnabled.
   * @default - the stack's default aws provider
   */
  readonly awsProvider?: TerraformProvider;
  /**
   * Wait until cert-manager reports the Certificate Ready before the apply succeeds
   * (only with generateCertEnabled).
   * @default true
   */
  readonly waitForCertificate?: boolean;
}

/**
 * Public HTTPS routing through ingress-nginx (Panfactum's kube_ingress) without the
 * Panfactum Lua plugin: one Ingress per routing entry and rewrite rule (regex paths,
 * `rewrite-target`), redirects as `permanent-redirect`/`temporal-redirect` Ingresses,
 * rate limits, CORS through the controller's `enable-cors`, timeouts, body size, cookie
 * affinity, security response headers through a `custom-headers` ConfigMap, TLS from a
 * cert-manager Certificate (`<name>-tls`, ClusterIssuer `public`, 90 d / renew 30 d) or the
 * controller's default certificate, external-dns hostnames, and `cdnOriginConfigs` for
 * KubeAwsCdn in CDN mode, where the routes only answer CloudFront's origin-facing addresses
 * (`whitelist-source-range` from the AWS managed prefix list, `cdnOriginProtectionEnabled`).
 * Every value written into nginx.conf is refused with line breaks, `{`, `}` or `;` in it. The
 * construct emits no `*-snippet` annotation, and refuses one in `extraAnnotations` unless
 * `allowSnippetAnnotations` is true.
 *
 * Children: `Certificate`, `ResponseHeaders` (ConfigMap), `CloudFrontOriginFacing` (the prefix
 * list look-up, in CDN mode with the origin protection), `Ingress<n>` (in order).
 *
 * @example
 * new KubeIngress(stack, 'web-ingress', {
 *   namespace: 'web', name: 'web', domains: ['app.example.com'],
 *   ingressConfigs: [{ service: web.serviceName!, servicePort: 80 }],
 *   generateCertEnabled: true,
 * });
 *
 * @group Edge & AWS
 */
export class KubeIngress extends Construct {
  /** Names of the Ingress objects. */
  public readonly ingressNames: string[];
  /** The domains served (sorted, deduplicated). */
  public readonly domains: string[];
  /** Origins for KubeAwsCdn (empty unless cdnModeEnabled). */
  public readonly cdnOriginConfigs: CdnOriginConfig[];
  /** Headers set on every response (also the names the controller must allow). */
  public readonly responseHeaders: Record<string, string>;
  /** Origin host per domain in CDN mode (`<hash>.<domain>`). */
  public readonly originHosts: Record<string, string>;
  /**
   * The addresses the routes answer in CDN mode with the origin protection (the comma-separated
   * `whitelist-source-range`, a Terraform expression over the prefix list); undefined otherwise.
   */
  public readonly cdnOriginSourceRanges?: string;
  /** Secret holding the generated certificate, with generateCertEnabled. */
  public readonly certificateSecretName?: string;
  /** Escape hatches. */
  public readonly ingresses: KubeManifest[];
  public readonly certificate?: KubeManifest;
  public readonly headersConfigMap?: KubeManifest;
  public readonly cloudFrontOriginFacing?: DataAwsEc2ManagedPrefixList;

  constructor(scope: Construct, id: string, props: KubeIngressProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeIngress', props);
    const v = new PropValidator(this);
    const ns = namespaceName(v.required('namespace', props.namespace));
    // CloudFront's origin-facing ranges, read at plan time (they change: never copied into code).
    if (props.cdnModeEnabled === true && props.cdnOriginProtectionEnabled !== false) {
      this.cloudFrontOriginFacing = new DataAwsEc2ManagedPrefixList(this, 'CloudFrontOriginFacing', {
        name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
        provider: props.awsProvider,
        lifecycle: {
          // An empty allow list would let ingress-nginx answer every address: fail the plan instead.
          postcondition: [{ condition: '${length(self.entries) > 0}', errorMessage: `The managed prefix list ${CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST} has no entries: the CDN origin protection would hold no CloudFront address.` }],
        },
      });
      if (props.awsProvider === undefined) {
        // Checked at synth: the stack's providers may be created after this construct.
        this.node.addValidation({
          validate: () => (TerraformStack.of(this).node.findAll().some((c) => c instanceof TerraformProvider && c.terraformResourceType === 'aws' && c.alias === undefined)
            ? []
            : [`${this.node.path}: the CDN origin protection reads CloudFront's address ranges with an AWS provider, and the stack has no default aws provider. Fix: add an AwsProvider to the stack, pass awsProvider, or set cdnOriginProtectionEnabled: false (see docs/cdn.md "Origin protection").`]),
        });
      }
    }
    const cloudFrontOriginRanges = this.cloudFrontOriginFacing
      ? Token.asList(TerraformIterator.fromList(this.cloudFrontOriginFacing.entries).pluckProperty('cidr'))
      : undefined;
    const model = buildIngressModel(v, EnvironmentContext.of(this), { ...props, namespace: ns }, { cloudFrontOriginRanges });
    const provider = props.provider;
    const after = namespaceDependencies(props.namespace);
    const before = [...after];
    if (model.certificate) {
      this.certificate = new KubeManifest(this, 'Certificate', {
        object: model.certificate,
        provider,
        dependsOn: after,
        waitForFields: (props.waitForCertificate ?? true) ? { 'status.conditions[0].status': 'True' } : undefined,
      });
      before.push(this.certificate.resource);
    }
    if (model.headersConfigMap) {
      this.headersConfigMap = new KubeManifest(this, 'ResponseHeaders', { object: model.headersConfigMap, provider, dependsOn: after });
      before.push(this.headersConfigMap.resource);
    }
    this.ingresses = model.ingresses.map((obj, i) => new KubeManifest(this, `Ingress${i}`, { object: obj, provider, dependsOn: before }));
    this.ingressNames = model.ingresses.map((i) => i.metadata.name);
    this.domains = [...new Set(props.domains)].sort();
    this.cdnOriginConfigs = model.cdnOriginConfigs;
    this.responseHeaders = model.responseHeaders;
    this.originHosts = model.originHosts;
    this.cdnOriginSourceRanges = model.cdnOriginSourceRanges;
    this.certificateSecretName = model.certificateSecretName;
  }
}
