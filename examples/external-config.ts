import { App, TerraformStack, dependable } from 'cdktf';
import { EnvironmentContext, KubeConfigMap, KubeDeployment, KubeExternalSecret, KubeNamespace } from 'cdktf-golden-path';
import { addProviders } from './providers';

/**
 * Configuration from outside the code: a ConfigMap mounted as files, and an ExternalSecret that
 * the External Secrets operator syncs from AWS SSM Parameter Store into a Secret, mounted as
 * files too. The secret's value never appears in code or in Terraform state.
 */
export function externalConfigStack(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'example-external-config');
  addProviders(stack);
  EnvironmentContext.set(stack, { environment: 'production', region: 'us-east-2', slaTarget: 2 });

  const namespace = new KubeNamespace(stack, 'namespace', { namespace: 'billing' });
  const config = new KubeConfigMap(stack, 'config', {
    namespace,
    name: 'billing-config',
    data: { 'settings.yaml': 'currency: EUR\nretries: 3\n' },
  });
  const secrets = new KubeExternalSecret(stack, 'secrets', {
    namespace,
    name: 'billing-secrets',
    secretStoreRef: { name: 'cluster-parameter-store' }, // a ClusterSecretStore your cluster provides
    data: { 'stripe-key': { key: '/billing/stripe-key' } },
  });

  const api = new KubeDeployment(stack, 'api', {
    namespace,
    name: 'billing-api',
    replicas: 2,
    containers: [{
      name: 'api',
      imageRegistry: 'ghcr.io',
      imageRepository: 'acme/billing-api',
      imageTag: '5.0.2',
      minimumMemory: 256,
      ports: { http: { port: 8080 } },
      livenessProbeType: 'HTTP',
      livenessProbePort: 8080,
      livenessProbeRoute: '/healthz',
    }],
    // Keyed by the object's name: /etc/billing/config/settings.yaml and /etc/billing/secrets/stripe-key.
    configMapMounts: { [config.configMapName]: { mountPath: '/etc/billing/config' } },
    secretMounts: { [secrets.secretName]: { mountPath: '/etc/billing/secrets' } },
  });
  // Apply the Deployment after its ConfigMap and ExternalSecret, so the first pods find them.
  api.deployment.resource.dependsOn = [
    ...(api.deployment.resource.dependsOn ?? []),
    dependable(config.configMap.resource),
    dependable(secrets.externalSecret.resource),
  ];
  return stack;
}
