import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { KubeConfigMap, KubeDeployment, KubeExternalSecret, KubeNamespace } from '../lib';

/** What addAutoscalingExamples creates. */
export interface AutoscalingExamples {
  readonly config: KubeConfigMap;
  readonly secrets: KubeExternalSecret;
  readonly api: KubeDeployment;
}

/**
 * Seed 004 in one place: an `api` Deployment scaled by a HorizontalPodAutoscaler (3 to 10
 * pods on 70% CPU; no fixed replica count), reading its settings from a ConfigMap (as
 * environment variables) and its password from an ExternalSecret synced from SSM
 * Parameter Store (mounted as files, never in code or Terraform state).
 */
export function addAutoscalingExamples(stack: Construct, namespace: KubeNamespace): AutoscalingExamples {
  const config = new KubeConfigMap(stack, 'api-config', {
    namespace,
    name: 'api-config',
    data: { LOG_LEVEL: 'info', FEATURE_FLAGS: 'search,checkout' },
  });
  const secrets = new KubeExternalSecret(stack, 'api-secrets', {
    namespace,
    name: 'api-secrets',
    secretStoreRef: { name: 'cluster-parameter-store' },
    data: { password: { key: '/api/password' } },
  });
  const api = new KubeDeployment(stack, 'api', {
    namespace,
    name: 'api',
    horizontalAutoscaling: { minReplicas: 3, maxReplicas: 10, targetCpuUtilization: 70 },
    containers: [
      {
        name: 'api',
        imageRegistry: 'docker.io',
        imageRepository: 'nginxinc/nginx-unprivileged',
        imageTag: '1.27.1',
        minimumMemory: 64,
        minimumCpu: 50,
        ports: { http: { port: 8080 } },
        livenessProbeType: 'HTTP',
        livenessProbePort: 8080,
        livenessProbeRoute: '/',
      },
    ],
    commonEnvFromConfigMaps: {
      LOG_LEVEL: { configMapName: config.configMapName, key: 'LOG_LEVEL' },
      FEATURE_FLAGS: { configMapName: config.configMapName, key: 'FEATURE_FLAGS' },
    },
    secretMounts: { [secrets.secretName]: { mountPath: '/etc/api/secrets' } },
  });
  // The pods need both objects at start: apply them first.
  api.deployment.resource.dependsOn = [...(api.deployment.resource.dependsOn ?? []), dependable(config.configMap.resource), dependable(secrets.externalSecret.resource)];
  return { config, secrets, api };
}
