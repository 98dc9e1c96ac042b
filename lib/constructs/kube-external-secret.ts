import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { moduleLabels } from '../core/labels';
import { PropValidator } from '../core/validation';
import { ExternalSecretProps, buildExternalSecret } from '../k8s/config';
import { isKindRegistered, registerKind } from '../k8s/schema';
import { customKindApiVersion } from '../k8s/custom-kinds';
import { KubeManifest } from './kube-manifest';
import { NamespaceRef, namespaceDependencies, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

/**
 * Props of KubeExternalSecret.
 *
 * @group Workloads
 */
export interface KubeExternalSecretProps extends Omit<ExternalSecretProps, 'namespace'> {
  /** Namespace name, or the KubeNamespace construct (then the ExternalSecret is applied after it). */
  readonly namespace: NamespaceRef;
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

/**
 * An ExternalSecret (external-secrets.io/v1, seed 004): the External Secrets
 * Operator reads values from a secret manager (by default through a ClusterSecretStore,
 * e.g. AWS SSM Parameter Store) and writes them into a Kubernetes Secret, re-reading
 * every hour. Only the references live in code and Terraform state, never the values.
 * Mount the Secret with `secretMounts: { [es.secretName]: { mountPath } }`.
 *
 * @example
 * const secrets = new KubeExternalSecret(stack, 'secrets', {
 *   namespace: 'web', name: 'api-secrets',
 *   secretStoreRef: { name: 'cluster-parameter-store' },
 *   data: { password: { key: '/api/password' } },
 * });
 *
 * @group Workloads
 */
export class KubeExternalSecret extends Construct {
  /** Name of the ExternalSecret. */
  public readonly externalSecretName: string;
  /** Name of the Kubernetes Secret it creates. */
  public readonly secretName: string;
  /** Namespace of both. */
  public readonly namespaceName: string;
  /** The emitted ExternalSecret (escape hatch: `.object`, `.resource`). */
  public readonly externalSecret: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeExternalSecretProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeExternalSecret', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const env = EnvironmentContext.of(this);
    if (!env.cluster.externalSecrets) {
      v.capability('name', props.name, env.cluster, 'externalSecrets', 'External Secrets Operator (CRD externalsecrets.external-secrets.io)', 'true',
        'create the Secret another way (KubeDeployment commonSecrets from sensitive variables, or a kubernetes_secret)');
    }
    const built = buildExternalSecret(v, { ...props, namespace: ns }, moduleLabels(env, 'kube_external_secret'));
    // The same spec under the version the cluster's operator serves (v1beta1 before ESO 0.17).
    const apiVersion = customKindApiVersion('ExternalSecret', { ExternalSecret: env.cluster.externalSecretsApiVersion });
    const object = built.apiVersion === apiVersion ? built : { ...built, apiVersion: apiVersion as typeof built.apiVersion };
    if (!isKindRegistered(object.apiVersion, 'ExternalSecret')) {
      // Checked like v1 objects, with the packaged v1beta1 model; registered only when a cluster profile asks for it.
      registerKind({ apiVersion: object.apiVersion, kind: 'ExternalSecret', module: '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret' });
    }
    this.externalSecret = new KubeManifest(this, 'ExternalSecret', { object, provider: props.provider, dependsOn: namespaceDependencies(props.namespace) });
    this.externalSecretName = props.name;
    this.secretName = object.spec!.target!.name!;
    this.namespaceName = ns;
  }
}
