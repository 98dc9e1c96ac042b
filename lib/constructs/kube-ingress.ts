import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { CdnOriginConfig } from '../aws/cdn';
import { IngressProps, buildIngressModel } from '../k8s/ingress';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';

export interface KubeIngressProps extends Omit<IngressProps, 'namespace'> {
  /** Namespace name, or the KubeNamespace construct (then the objects are applied after it). */
  readonly namespace: NamespaceRef;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
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
 * KubeAwsCdn in CDN mode. No `*-snippet` annotation is ever emitted.
 *
 * Children: `Certificate`, `ResponseHeaders` (ConfigMap), `Ingress<n>` (in order).
 *
 * @example
 * new KubeIngress(stack, 'web-ingress', {
 *   namespace: 'web', name: 'web', domains: ['app.example.com'],
 *   ingressConfigs: [{ service: web.serviceName!, servicePort: 80 }],
 *   generateCertEnabled: true,
 * });
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
  /** Secret holding the generated certificate, with generateCertEnabled. */
  public readonly certificateSecretName?: string;
  /** Escape hatches. */
  public readonly ingresses: KubeManifest[];
  public readonly certificate?: KubeManifest;
  public readonly headersConfigMap?: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeIngressProps) {
    super(scope, id);
    const v = new PropValidator(this);
    const ns = namespaceName(v.required('namespace', props.namespace));
    const model = buildIngressModel(v, EnvironmentContext.of(this), { ...props, namespace: ns });
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
    this.certificateSecretName = model.certificateSecretName;
  }
}
