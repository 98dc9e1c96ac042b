import { App, TerraformStack } from 'cdktf';
import { EnvironmentContext, KubeAwsCdn, KubeDeployment, KubeIngress, KubeNamespace, PolicyDocument } from 'cdktf-golden-path';
import { addProviders } from './providers';

/**
 * A public web service: a Deployment behind ingress-nginx (KubeIngress in CDN mode, with a
 * cert-manager certificate), CloudFront in front of it (KubeAwsCdn), and read access to one S3
 * bucket through IRSA (`awsIamPolicy`): no AWS keys anywhere.
 */
export function webServiceStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'example-web-service');
  const { awsGlobal } = addProviders(stack, { awsGlobal: true });
  // clusterName is what the IRSA role trusts (the cluster's OIDC provider is looked up by it).
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 2, clusterName: 'production-primary' });

  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'web' });
  const web = new KubeDeployment(stack, 'web', {
    namespace,
    name: 'web',
    replicas: 2,
    containers: [{
      name: 'web',
      imageRegistry: 'docker.io',
      imageRepository: 'nginxinc/nginx-unprivileged',
      imageTag: '1.27.1',
      minimumMemory: 128,                               // MB; the limit is 1.3 x this
      minimumCpu: 50,                                   // millicores; no CPU limit is set
      ports: { http: { port: 8080, servicePort: 80 } }, // a ClusterIP Service named "web"
      livenessProbeType: 'HTTP',
      livenessProbePort: 8080,
      livenessProbeRoute: '/',
    }],
    // IRSA: the Deployment gets its own IAM role, trusted by its ServiceAccount only.
    awsIamPolicy: new PolicyDocument({
      statements: [{ Sid: 'ReadAssets', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::example-web-assets/*'] }],
    }),
  });

  // In CDN mode the Ingress serves an origin host that only CloudFront may reach.
  const ingress = new KubeIngress(stack, 'web-ingress', {
    namespace,
    name: 'web',
    domains: ['app.example.com'],
    ingressConfigs: [{
      service: web.serviceName!,
      servicePort: 80,
      cdn: { pathMatchBehavior: { 'assets/*': { defaultTtl: 604800 } } }, // cache static assets for a week
    }],
    cdnModeEnabled: true,
    generateCertEnabled: true,
  });

  new KubeAwsCdn(stack, 'web-cdn', {
    name: 'web',
    originConfigs: ingress.cdnOriginConfigs,
    globalProvider: awsGlobal!,         // us-east-1: the ACM certificate and the CloudFront Functions
    hostedZoneNames: ['example.com'],   // Route53 zone of app.example.com
    loggingEnabled: true,
  });
  return stack;
}
