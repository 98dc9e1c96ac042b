import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext, EnvironmentStack, EnvironmentStackProps, KubeDeployment, KubeNamespace } from '../lib';
import { addAutoscalingExamples } from './example-autoscaling';
import { addClusterExtrasExamples } from './example-cluster-extras';
import { addEdgeExamples } from './example-edge';
import { addWorkloadExamples } from './example-workloads';

/** The environment and region of the example app stack. */
export type ExampleAppStackProps = EnvironmentStackProps;

/**
 * The example application: a `web` namespace and a web Deployment (an unprivileged
 * nginx on port 8080 with HTTP probes) behind a ClusterIP Service, with every golden-path
 * default (non-root, read-only root filesystem, PDB, VPA, spread by SLA); beside it a
 * StatefulSet, a CronJob, a migration Job (the web rollout waits for it), an autoscaled
 * API with its ConfigMap and ExternalSecret, the node image cache, a network policy, an
 * Argo WorkflowTemplate, and the edge: KubeIngress and KubeAwsCdn (CloudFront) in front of
 * the web Deployment, and a workload with S3 read access through IRSA. The providers and the
 * backend come from EnvironmentStack.
 */
export class ExampleAppStack extends EnvironmentStack {
  public readonly web: KubeDeployment;

  constructor(scope: Construct, id: string, props: ExampleAppStackProps) {
    super(scope, id, props);
    const { environment, region } = props;

    // Inside the Linkerd mesh the proxies authorize traffic; on a cluster without it (the `eks`
    // profile) the namespace denies by default and allows what the app needs.
    const meshed = EnvironmentContext.of(this).cluster.linkerd;
    const namespace = new KubeNamespace(this, 'namespace', {
      namespace: 'web',
      ...(meshed
        ? {}
        : {
            networkPolicy: {
              allowIngressController: { namespace: 'ingress-nginx' },
              // HTTPS to AWS APIs and the internet; never the instance metadata endpoint.
              allowedEgress: [{ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'], ports: [{ port: 443 }] }],
            },
          }),
    });
    const workloads = addWorkloadExamples(this, namespace);
    this.web = new KubeDeployment(this, 'web', {
      namespace,
      name: 'web',
      // Roll out a new version only after its database migration succeeded.
      dependsOn: [workloads.migration.job.resource],
      replicas: region.slaTarget >= 2 ? 3 : 1,
      containers: [
        {
          name: 'nginx',
          imageRegistry: 'docker.io',
          imageRepository: 'nginxinc/nginx-unprivileged',
          imageTag: '1.27.1',
          minimumMemory: 64,
          minimumCpu: 50,
          ports: { http: { port: 8080, servicePort: 80 } },
          livenessProbeType: 'HTTP',
          livenessProbePort: 8080,
          livenessProbeRoute: '/',
        },
      ],
      tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64, nodeLocal: true } },
    });
    addAutoscalingExamples(this, namespace);
    addClusterExtrasExamples(this, namespace);
    // One public domain per environment (its reserved subdomain): a CloudFront alias is unique
    // across all of AWS, so the environments cannot all serve app.example.com.
    const domain = environment.subdomain ? `app.${environment.subdomain}.example.com` : undefined;
    addEdgeExamples(this, { web: this.web, globalProvider: this.providers.awsGlobal, awsProvider: this.providers.aws, namespace, domain });
    new TerraformOutput(this, 'web_service_name', { value: this.web.serviceName });
    new TerraformOutput(this, 'web_service_account_name', { value: this.web.serviceAccountName });
  }
}
