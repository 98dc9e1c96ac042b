/**
 * Issue 19, deliverable 3: every audit message names the prop to change, and its advice works.
 *
 * One row per finding kind: props that trigger it, the change its message advises, and the check
 * that the finding is gone once the advice is applied. Rows marked `manifest` or `terraform` are
 * for rules the library's constructs never trip (a removed apiVersion, a dangling selector, an
 * IRSA trust): there the object is written through KubeManifest or a raw provider resource, whose
 * props are the Kubernetes (or Terraform) fields the message names.
 *
 * The stacks are read with `GoldenPathAudit.evaluate` (what `cdk.tf.json` holds) and never
 * written, so the CLI parse hook has nothing to do here; test/audit-defaults.test.ts synthesizes.
 */
import { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudfrontDistribution, CloudfrontDistributionConfig } from '@cdktf/provider-aws/lib/cloudfront-distribution';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { ALL_RULES, GoldenPathAudit, Severity } from '../lib/audit';
import { PolicyDocument } from '../lib/aws/policy-document';
import { KubeAwsCdn } from '../lib/constructs/kube-aws-cdn';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeIngress } from '../lib/constructs/kube-ingress';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeScaledObject, KubeScaledObjectProps } from '../lib/constructs/kube-scaled-object';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { ContainerProps } from '../lib/k8s/container';
import { NGINX, newStack } from './support/synth';

const CONTEXT = { environment: 'production', region: 'us-east-2', clusterName: 'prod', slaTarget: 3 as const };

type Build = (s: TerraformStack) => void;

function findingsOf(build: Build) {
  const { stack } = newStack(CONTEXT);
  build(stack);
  return new GoldenPathAudit({ strict: true, log: false, reportDir: false }).evaluate(stack).findings;
}

// ---------------------------------------------------------------- building blocks

const ns = (s: TerraformStack) => new KubeNamespace(s, 'ns', { namespace: 'shop' });
/** A container with a port and a probe; `extra` adds or overrides fields. */
const web = (extra: Partial<ContainerProps> = {}): ContainerProps => ({ ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080, ...extra });
const deploy = (s: TerraformStack, props: Partial<KubeDeploymentProps> = {}, container: ContainerProps = web()) =>
  new KubeDeployment(s, 'web', { namespace: ns(s), name: 'web', containers: [container], ...props });
const manifest = (s: TerraformStack, id: string, object: any) => new KubeManifest(s, id, { object });
const aws = (s: TerraformStack) => new AwsProvider(s, 'aws', { region: 'us-east-1' });
const SECRET = (name: string) => ({ secretName: 'db', key: name });
const TRIGGER = { type: 'prometheus', metadata: { serverAddress: 'http://prometheus:9090', query: 'sum(rate(http_requests_total[2m]))', threshold: '100' } };
const scaled = (s: TerraformStack, props: Partial<KubeScaledObjectProps>) =>
  new KubeScaledObject(s, 'scaling', { target: deploy(s), maxReplicaCount: 10, triggers: [TRIGGER], ...props });

const labels = { app: 'legacy' };
const container = (extra: object = {}) => ({
  name: 'app', image: 'registry.example.com/shop/api:1.4.2',
  ports: [{ name: 'http', containerPort: 8080 }],
  livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
  readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
  resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '128Mi', 'ephemeral-storage': '100Mi' } },
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  ...extra,
});
/** A Deployment written as a raw manifest (KubeManifest): its props are the Kubernetes fields. */
const rawDeployment = (s: TerraformStack, spec: object = {}, podSpec: object = {}, c: object = {}) => {
  manifest(s, 'sa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'legacy', namespace: 'shop' } });
  return manifest(s, 'dep', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'shop' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: 'legacy', containers: [container(c)], ...podSpec } }, ...spec },
  });
};
const pdb = (s: TerraformStack, spec: object = {}) => manifest(s, 'pdb', {
  apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy', namespace: 'shop' },
  spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: labels }, ...spec },
});
const service = (s: TerraformStack, selector: Record<string, string> = labels) => manifest(s, 'svc', {
  apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy', namespace: 'shop' }, spec: { selector, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
});
const hpa = (s: TerraformStack, spec: object = {}) => manifest(s, 'hpa', {
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'legacy', namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'legacy' }, minReplicas: 2, maxReplicas: 6, ...spec },
});
const trust = (condition: object, extra: object[] = []) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/ABC' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }, ...extra],
});
const ISSUER = 'oidc.eks.us-east-2.amazonaws.com/id/ABC';
const exactTrust = (sa = 'legacy') => trust({ StringEquals: { [`${ISSUER}:sub`]: `system:serviceaccount:shop:${sa}`, [`${ISSUER}:aud`]: 'sts.amazonaws.com' } });
const role = (s: TerraformStack, assumeRolePolicy: string) => { aws(s); return new IamRole(s, 'role', { name: 'legacy', assumeRolePolicy }); };
const policy = (s: TerraformStack, statement: object) => { aws(s); return new IamPolicy(s, 'policy', { name: 'legacy', policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }); };
const distribution = (s: TerraformStack, change: Partial<CloudfrontDistributionConfig> = {}, origin: Record<string, unknown> = {}) => {
  aws(s);
  return new CloudfrontDistribution(s, 'cdn', {
    enabled: true,
    webAclId: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cdn/1',
    origin: [{ originId: 'alb', domainName: 'legacy.example.com', customOriginConfig: { originProtocolPolicy: 'https-only', originSslProtocols: ['TLSv1.2'], httpPort: 80, httpsPort: 443 }, ...origin }],
    defaultCacheBehavior: { targetOriginId: 'alb', viewerProtocolPolicy: 'redirect-to-https', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'], cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
    restrictions: { geoRestriction: { restrictionType: 'none' } },
    viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x', minimumProtocolVersion: 'TLSv1.2_2021', sslSupportMethod: 'sni-only' },
    ...change,
  });
};
const ingressManifest = (s: TerraformStack, spec: object, annotations?: Record<string, string>) => {
  service(s);
  rawDeployment(s);
  return manifest(s, 'ing', {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'legacy', namespace: 'shop', ...(annotations ? { annotations } : {}) },
    spec: { rules: [{ host: 'legacy.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'legacy', port: { name: 'http' } } } }] } }], ...spec },
  });
};
const TLS = { tls: [{ hosts: ['legacy.example.com'], secretName: 'legacy-tls' }] };
const ROLE_BINDING = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'legacy', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'legacy' }, subjects: [{ kind: 'ServiceAccount', name: 'legacy', namespace: 'shop' }] };
const preStop = (d: KubeDeployment, seconds: number) => d.deployment.resource.addOverride('manifest.spec.template.spec.containers.0.lifecycle', { preStop: { sleep: { seconds } } });

// ---------------------------------------------------------------- the table

interface Advice {
  readonly rule: string;
  readonly severity: Severity;
  readonly what: string;
  /** Which finding of the rule this row is about (rules report several kinds). */
  readonly match: RegExp;
  /** The prop (or, for manifest/terraform rows, the field) the message must name. */
  readonly names: string;
  /** How the object is written: a construct's props, a KubeManifest, or a raw provider resource. */
  readonly via: 'props' | 'manifest' | 'terraform';
  readonly trigger: Build;
  /** The trigger with the message's advice applied. */
  readonly advised: Build;
}

const ADVICE: Advice[] = [
  // ---- security
  { rule: 'GP-SEC-001', severity: 'error', what: 'host network', match: /hostNetwork/, names: 'hostNetwork', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, { hostNetwork: true }), advised: (s) => rawDeployment(s) },
  { rule: 'GP-SEC-002', severity: 'info', what: 'uid 1000', match: /runs as uid/, names: 'uid: 10001', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, {}, web({ uid: 10001 })) },
  { rule: 'GP-SEC-003', severity: 'error', what: 'writable root filesystem', match: /writable root/, names: 'readOnly: true', via: 'props',
    trigger: (s) => deploy(s, {}, web({ readOnly: false })), advised: (s) => deploy(s, {}, web({ readOnly: true })) },
  { rule: 'GP-SEC-003', severity: 'info', what: 'no writable /tmp', match: /no writable \/tmp/, names: 'tmpDirectories', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, { tmpDirectories: { tmp: { mountPath: '/tmp' } } }) },
  { rule: 'GP-SEC-004', severity: 'warn', what: 'API token without a RoleBinding', match: /API token/, names: 'defaultPermissionsEnabled', via: 'props',
    trigger: (s) => deploy(s, { defaultPermissionsEnabled: false }), advised: (s) => deploy(s, { defaultPermissionsEnabled: true }) },
  { rule: 'GP-SEC-005', severity: 'error', what: 'default ServiceAccount', match: /default ServiceAccount/, names: 'serviceAccountName', via: 'manifest',
    trigger: (s) => manifest(s, 'dep', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'legacy', namespace: 'shop' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } } } }),
    advised: (s) => rawDeployment(s) },
  { rule: 'GP-SEC-006', severity: 'error', what: ':latest image', match: /latest/, names: 'imageTag', via: 'props',
    trigger: (s) => deploy(s, {}, web({ imageTag: 'latest' })), advised: (s) => deploy(s, {}, web({ imageTag: '1.27.1' })) },
  { rule: 'GP-SEC-006', severity: 'info', what: 'no digest', match: /no digest/, names: 'imageTag', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, {}, web({ imageTag: `sha256:${'a'.repeat(64)}` })) },
  { rule: 'GP-SEC-006', severity: 'info', what: 'pull policy IfNotPresent', match: /imagePullPolicy/, names: 'imagePullPolicy', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, {}, web({ imagePullPolicy: 'Always' })) },
  { rule: 'GP-SEC-007', severity: 'error', what: 'literal password in commonEnv', match: /DB_PASSWORD holds/, names: 'commonEnvFromSecrets', via: 'props',
    trigger: (s) => deploy(s, { commonEnv: { DB_PASSWORD: 'hunter22' } }), advised: (s) => deploy(s, { commonEnvFromSecrets: { DB_PASSWORD: SECRET('password') } }) },
  { rule: 'GP-SEC-008', severity: 'info', what: 'secret read from env', match: /reads secrets from env/, names: 'secretMounts', via: 'props',
    trigger: (s) => deploy(s, { commonEnvFromSecrets: { DB_PASSWORD: SECRET('password') } }), advised: (s) => deploy(s, { secretMounts: { db: { mountPath: '/etc/db' } } }) },
  { rule: 'GP-SEC-009', severity: 'error', what: 'static AWS keys', match: /static AWS credentials/, names: 'awsIamPolicy', via: 'props',
    trigger: (s) => deploy(s, { commonEnvFromSecrets: { AWS_ACCESS_KEY_ID: SECRET('id') } }),
    advised: (s) => deploy(s, { awsProvider: aws(s), awsIamPolicy: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::shop/*'] }] }) }) },
  { rule: 'GP-SEC-011', severity: 'error', what: 'wildcard Role for a ServiceAccount', match: /grants/, names: 'exact resources and verbs', via: 'manifest',
    trigger: (s) => { manifest(s, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'legacy', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }] }); manifest(s, 'rb', ROLE_BINDING); },
    advised: (s) => { manifest(s, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'legacy', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }); manifest(s, 'rb', ROLE_BINDING); } },
  // ---- network
  { rule: 'GP-NET-001', severity: 'info', what: 'no NetworkPolicy inside the mesh', match: /no NetworkPolicy/, names: 'networkPolicy', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, { networkPolicy: { allowedIngress: [{ namespace: 'shop' }] } }) },
  { rule: 'GP-NET-001', severity: 'warn', what: 'no NetworkPolicy outside the mesh', match: /no NetworkPolicy/, names: 'networkPolicy', via: 'props',
    trigger: (s) => deploy(s, { linkerdEnabled: false }), advised: (s) => deploy(s, { linkerdEnabled: false, networkPolicy: { allowedIngress: [{ namespace: 'shop' }] } }) },
  { rule: 'GP-NET-001', severity: 'error', what: 'NetworkPolicy without Egress', match: /do not cover Egress/, names: 'policyType', via: 'manifest',
    trigger: (s) => { rawDeployment(s); manifest(s, 'np', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'legacy', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] } }); },
    advised: (s) => { rawDeployment(s); manifest(s, 'np', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'legacy', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } }); } },
  { rule: 'GP-NET-003', severity: 'error', what: 'Ingress without TLS', match: /no tls section/, names: 'spec.tls', via: 'manifest',
    trigger: (s) => ingressManifest(s, {}), advised: (s) => ingressManifest(s, TLS) },
  { rule: 'GP-NET-003', severity: 'error', what: 'nginx snippet annotation', match: /raw nginx config/, names: 'remove it', via: 'manifest',
    trigger: (s) => ingressManifest(s, TLS, { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers "X: y";' }), advised: (s) => ingressManifest(s, TLS) },
  { rule: 'GP-NET-004', severity: 'error', what: 'liveness probe on an undeclared port', match: /liveness probe uses port/, names: 'livenessProbePort', via: 'props',
    trigger: (s) => deploy(s, {}, web({ livenessProbePort: 9090 })), advised: (s) => deploy(s, {}, web({ livenessProbePort: 8080 })) },
  { rule: 'GP-NET-004', severity: 'error', what: 'readiness probe on an undeclared port', match: /readiness probe uses port/, names: 'readinessProbePort', via: 'props',
    trigger: (s) => deploy(s, {}, web({ readinessProbePort: 9090 })), advised: (s) => deploy(s, {}, web({ readinessProbePort: 8080 })) },
  { rule: 'GP-NET-004', severity: 'error', what: 'Service selecting nothing', match: /selector matches no workload/, names: 'spec.selector', via: 'manifest',
    trigger: (s) => { rawDeployment(s); service(s, { app: 'legacy-v2' }); }, advised: (s) => { rawDeployment(s); service(s); } },
  // ---- reliability
  { rule: 'GP-REL-001', severity: 'error', what: 'no readiness probe', match: /no readiness probe/, names: 'livenessProbeType', via: 'props',
    trigger: (s) => deploy(s, {}, { ...NGINX, ports: { http: { port: 8080 } } }), advised: (s) => deploy(s, {}, { ...NGINX, ports: { http: { port: 8080 } }, livenessProbeType: 'HTTP', livenessProbePort: 8080 }) },
  { rule: 'GP-REL-001', severity: 'warn', what: 'no liveness probe', match: /no liveness probe/, names: 'livenessProbeType', via: 'props',
    trigger: (s) => deploy(s, {}, { ...NGINX }), advised: (s) => deploy(s, {}, { ...NGINX, livenessProbeType: 'exec', livenessProbeCommand: ['/bin/health'] }) },
  { rule: 'GP-REL-002', severity: 'info', what: 'readiness shares the liveness handler', match: /share the handler/, names: 'readinessProbeRoute', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, {}, web({ livenessProbeRoute: '/livez', readinessProbeRoute: '/readyz' })) },
  { rule: 'GP-REL-002', severity: 'error', what: 'identical probes', match: /are identical/, names: 'readinessProbeRoute', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, {}, { readinessProbe: { httpGet: { path: '/livez', port: 'http' } } }), advised: (s) => rawDeployment(s, {}, {}, { readinessProbe: { httpGet: { path: '/readyz', port: 'http' } } }) },
  { rule: 'GP-REL-003', severity: 'warn', what: 'liveness checks the database', match: /looks like a readiness or dependency check/, names: 'livenessProbeRoute', via: 'props',
    trigger: (s) => deploy(s, {}, web({ livenessProbeRoute: '/health/db', readinessProbeRoute: '/readyz' })), advised: (s) => deploy(s, {}, web({ livenessProbeRoute: '/livez', readinessProbeRoute: '/readyz' })) },
  { rule: 'GP-REL-005', severity: 'warn', what: 'grace period too short behind a Service', match: /almost no time/, names: 'terminationGracePeriodSeconds', via: 'props',
    trigger: (s) => deploy(s, { terminationGracePeriodSeconds: 3 }), advised: (s) => deploy(s, { terminationGracePeriodSeconds: 30 }) },
  { rule: 'GP-REL-005', severity: 'warn', what: 'grace period shorter than a preStop hook (escape hatch)', match: /does not cover/, names: 'terminationGracePeriodSeconds', via: 'props',
    trigger: (s) => preStop(deploy(s, { terminationGracePeriodSeconds: 12 }), 10), advised: (s) => preStop(deploy(s, { terminationGracePeriodSeconds: 15 }), 10) },
  { rule: 'GP-REL-005', severity: 'info', what: 'a preStop sleep (seed 004: Don\'t)', match: /preStop sleep/, names: 'remove the preStop hook', via: 'props',
    trigger: (s) => preStop(deploy(s), 10), advised: (s) => deploy(s) },
  { rule: 'GP-REL-006', severity: 'error', what: 'replicas under an HPA', match: /replicas is set/, names: 'remove replicas', via: 'manifest',
    trigger: (s) => { rawDeployment(s, { replicas: 3 }); hpa(s); }, advised: (s) => { rawDeployment(s); hpa(s); } },
  { rule: 'GP-REL-007', severity: 'warn', what: 'one replica behind a Service', match: /can run with 1 replica/, names: 'replicas', via: 'props',
    trigger: (s) => deploy(s, { replicas: 1 }), advised: (s) => deploy(s, { replicas: 2 }) },
  { rule: 'GP-REL-007', severity: 'warn', what: 'KEDA minimum of one', match: /can run with 1 replica/, names: 'minReplicaCount', via: 'props',
    trigger: (s) => scaled(s, { minReplicaCount: 1, fallback: { failureThreshold: 3, replicas: 4 } }), advised: (s) => scaled(s, { minReplicaCount: 2, fallback: { failureThreshold: 3, replicas: 4 } }) },
  { rule: 'GP-REL-007', severity: 'info', what: 'single-replica StatefulSet', match: /can run with 1 replica/, names: 'replicas', via: 'props',
    trigger: (s) => new KubeStatefulSet(s, 'db', { namespace: ns(s), name: 'db', containers: [web()], volumeMounts: { data: { mountPath: '/data' } } }),
    advised: (s) => new KubeStatefulSet(s, 'db', { namespace: ns(s), name: 'db', replicas: 2, containers: [web()], volumeMounts: { data: { mountPath: '/data' } } }) },
  { rule: 'GP-REL-008', severity: 'error', what: 'HPA memory target at the memory limit', match: /scales on memory/, names: 'targetMemoryUtilization', via: 'props',
    trigger: (s) => deploy(s, { horizontalAutoscaling: { minReplicas: 2, maxReplicas: 4, targetMemoryUtilization: 100 } }, web({ memoryLimitMultiplier: 1 })),
    advised: (s) => deploy(s, { horizontalAutoscaling: { minReplicas: 2, maxReplicas: 4, targetMemoryUtilization: 99 } }, web({ memoryLimitMultiplier: 1 })) },
  { rule: 'GP-REL-008', severity: 'error', what: 'HPA maxReplicas not above minReplicas', match: /is not above minReplicas/, names: 'maxReplicas', via: 'manifest',
    trigger: (s) => { rawDeployment(s); hpa(s, { minReplicas: 3, maxReplicas: 3 }); }, advised: (s) => { rawDeployment(s); hpa(s, { minReplicas: 3, maxReplicas: 6 }); } },
  { rule: 'GP-REL-009', severity: 'warn', what: 'KEDA scale to zero of a Service-backed workload', match: /to zero/, names: 'minReplicaCount', via: 'props',
    trigger: (s) => scaled(s, { minReplicaCount: 0 }), advised: (s) => scaled(s, { minReplicaCount: 2 }) },
  { rule: 'GP-REL-009', severity: 'info', what: 'KEDA without fallback', match: /no fallback/, names: 'fallback', via: 'props',
    trigger: (s) => scaled(s, {}), advised: (s) => scaled(s, { fallback: { failureThreshold: 3, replicas: 4 } }) },
  { rule: 'GP-REL-010', severity: 'error', what: 'several replicas without a PDB', match: /no PodDisruptionBudget/, names: 'maxUnavailable: 1', via: 'manifest',
    trigger: (s) => rawDeployment(s, { replicas: 3 }), advised: (s) => { rawDeployment(s, { replicas: 3 }); pdb(s); } },
  { rule: 'GP-REL-011', severity: 'error', what: 'PDB maxUnavailable 0', match: /maxUnavailable is 0/, names: 'voluntaryDisruptionsEnabled', via: 'props',
    trigger: (s) => deploy(s, { voluntaryDisruptionsEnabled: false }), advised: (s) => deploy(s, { voluntaryDisruptionsEnabled: true }) },
  { rule: 'GP-REL-011', severity: 'error', what: 'PDB without unhealthyPodEvictionPolicy', match: /unhealthyPodEvictionPolicy is unset/, names: 'unhealthyPodEvictionPolicy', via: 'manifest',
    trigger: (s) => { rawDeployment(s, { replicas: 3 }); pdb(s, { unhealthyPodEvictionPolicy: undefined }); }, advised: (s) => { rawDeployment(s, { replicas: 3 }); pdb(s); } },
  { rule: 'GP-REL-011', severity: 'info', what: 'batch PDB with an unbounded job', match: /no time limit/, names: 'activeDeadlineSeconds', via: 'manifest',
    trigger: (s) => { manifest(s, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'legacy', namespace: 'shop' }, spec: { template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [container()] } } } }); pdb(s, { maxUnavailable: 0 }); },
    advised: (s) => { manifest(s, 'job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'legacy', namespace: 'shop' }, spec: { activeDeadlineSeconds: 3600, template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [container()] } } } }); pdb(s, { maxUnavailable: 0 }); } },
  { rule: 'GP-REL-012', severity: 'warn', what: 'no spread', match: /one zone or on one node/, names: 'azSpreadPreferred', via: 'props',
    trigger: (s) => deploy(s, { replicas: 2, azSpreadPreferred: false, hostAntiAffinityRequired: false, instanceTypeAntiAffinityRequired: false }),
    advised: (s) => deploy(s, { replicas: 2, azSpreadPreferred: true, hostAntiAffinityRequired: false, instanceTypeAntiAffinityRequired: false }) },
  { rule: 'GP-REL-012', severity: 'error', what: 'incomplete topologySpreadConstraint', match: /lacks labelSelector/, names: 'labelSelector', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' }] }),
    advised: (s) => rawDeployment(s, {}, { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }] }) },
  { rule: 'GP-REL-015', severity: 'warn', what: 'CronJob concurrencyPolicy Allow', match: /concurrencyPolicy/, names: 'concurrencyPolicy', via: 'props',
    trigger: (s) => new KubeCronJob(s, 'cron', { namespace: ns(s), name: 'cron', cronSchedule: '0 3 * * *', concurrencyPolicy: 'Allow', containers: [{ ...NGINX, command: ['true'] }] }),
    advised: (s) => new KubeCronJob(s, 'cron', { namespace: ns(s), name: 'cron', cronSchedule: '0 3 * * *', concurrencyPolicy: 'Forbid', containers: [{ ...NGINX, command: ['true'] }] }) },
  // ---- resources
  { rule: 'GP-RES-001', severity: 'error', what: 'no CPU request', match: /no cpu request/, names: 'minimumCpu', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, {}, { resources: { requests: { memory: '128Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '128Mi', 'ephemeral-storage': '100Mi' } } }),
    advised: (s) => rawDeployment(s) },
  { rule: 'GP-RES-002', severity: 'error', what: 'no memory limit', match: /no memory limit/, names: 'resources.limits.memory', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, {}, { resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' }, limits: { 'ephemeral-storage': '100Mi' } } }),
    advised: (s) => rawDeployment(s) },
  { rule: 'GP-RES-002', severity: 'info', what: 'limit above the request', match: /differs from its request/, names: 'memoryLimitMultiplier: 1', via: 'props',
    trigger: (s) => deploy(s), advised: (s) => deploy(s, {}, web({ memoryLimitMultiplier: 1 })) },
  { rule: 'GP-RES-003', severity: 'error', what: 'CPU limit', match: /CPU limit/, names: 'maximumCpu', via: 'props',
    trigger: (s) => deploy(s, {}, web({ maximumCpu: 500 })), advised: (s) => deploy(s) },
  { rule: 'GP-RES-004', severity: 'warn', what: 'no ephemeral-storage limit', match: /ephemeral-storage/, names: 'ephemeral-storage', via: 'manifest',
    trigger: (s) => rawDeployment(s, {}, {}, { resources: { requests: { cpu: '100m', memory: '128Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '128Mi' } } }),
    advised: (s) => rawDeployment(s) },
  // ---- operations
  { rule: 'GP-OPS-001', severity: 'error', what: 'object in the default namespace', match: /default namespace/, names: 'namespace', via: 'manifest',
    trigger: (s) => manifest(s, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: 'default' }, data: { a: 'b' } }),
    advised: (s) => manifest(s, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: 'shop' }, data: { a: 'b' } }) },
  { rule: 'GP-OPS-001', severity: 'warn', what: 'Namespace without a Pod Security label', match: /enforce label/, names: 'podSecurityStandard', via: 'manifest',
    trigger: (s) => manifest(s, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'legacy' } }), advised: (s) => new KubeNamespace(s, 'ns', { namespace: 'legacy' }) },
  { rule: 'GP-OPS-003', severity: 'error', what: 'removed apiVersion', match: /policy\/v1beta1/, names: 'policy/v1', via: 'manifest',
    trigger: (s) => { rawDeployment(s); manifest(s, 'pdb', { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'legacy', namespace: 'shop' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }); },
    advised: (s) => { rawDeployment(s); pdb(s); } },
  { rule: 'GP-OPS-004', severity: 'error', what: 'invalid label value', match: /not a valid label value/, names: 'extraLabels', via: 'manifest',
    trigger: (s) => manifest(s, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: 'shop', labels: { team: 'a b' } }, data: {} }),
    advised: (s) => manifest(s, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'legacy', namespace: 'shop', labels: { team: 'a-b' } }, data: {} }) },
  // ---- AWS: IRSA, IAM, CloudFront
  { rule: 'GP-IRSA-001', severity: 'error', what: 'StringLike trust', match: /StringLike/, names: 'StringEquals', via: 'terraform',
    trigger: (s) => { rawDeployment(s); role(s, exactTrust().replace('StringEquals', 'StringLike')); }, advised: (s) => { rawDeployment(s); role(s, exactTrust()); } },
  { rule: 'GP-IRSA-002', severity: 'error', what: 'trust for a ServiceAccount the stack does not emit', match: /does not emit/, names: 'serviceAccount', via: 'terraform',
    trigger: (s) => { rawDeployment(s); role(s, exactTrust('worker')); }, advised: (s) => { rawDeployment(s); role(s, exactTrust('legacy')); } },
  { rule: 'GP-IRSA-003', severity: 'error', what: 'any AWS principal', match: /any AWS principal/, names: 'exact role', via: 'terraform',
    trigger: (s) => { rawDeployment(s); role(s, JSON.stringify({ ...JSON.parse(exactTrust()), Statement: [...JSON.parse(exactTrust()).Statement, { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] })); },
    advised: (s) => { rawDeployment(s); role(s, exactTrust()); } },
  { rule: 'GP-IAM-001', severity: 'error', what: 'Action "*"', match: /allows action "\*"/, names: 'Action', via: 'terraform',
    trigger: (s) => policy(s, { Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::shop/*' }), advised: (s) => policy(s, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop/*' }) },
  { rule: 'GP-IAM-002', severity: 'error', what: 'write on Resource "*"', match: /on Resource "\*"/, names: 'Resource', via: 'terraform',
    trigger: (s) => policy(s, { Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }), advised: (s) => policy(s, { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::shop/*' }) },
  { rule: 'GP-IAM-002', severity: 'info', what: 'read on Resource "*"', match: /read actions/, names: 'Resource', via: 'terraform',
    trigger: (s) => policy(s, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }), advised: (s) => policy(s, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shop/*' }) },
  { rule: 'GP-IAM-003', severity: 'error', what: 'AdministratorAccess attached', match: /AdministratorAccess/, names: 'least-privilege policy', via: 'terraform',
    trigger: (s) => { const r = role(s, exactTrust()); rawDeployment(s); new IamRolePolicyAttachment(s, 'admin', { role: r.name, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }); },
    advised: (s) => { const r = role(s, exactTrust()); rawDeployment(s); new IamRolePolicyAttachment(s, 'admin', { role: r.name, policyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }); } },
  { rule: 'GP-CF-001', severity: 'error', what: 'viewer HTTP allowed', match: /allows HTTP/, names: 'redirect-to-https', via: 'terraform',
    trigger: (s) => distribution(s, { defaultCacheBehavior: { targetOriginId: 'alb', viewerProtocolPolicy: 'allow-all', allowedMethods: ['GET', 'HEAD'], cachedMethods: ['GET', 'HEAD'] } }),
    advised: (s) => distribution(s) },
  { rule: 'GP-CF-002', severity: 'error', what: 'old TLS policy', match: /minimum_protocol_version is TLSv1;/, names: 'minimumProtocolVersion', via: 'terraform',
    trigger: (s) => distribution(s, { viewerCertificate: { acmCertificateArn: 'arn:aws:acm:us-east-1:111122223333:certificate/x', minimumProtocolVersion: 'TLSv1', sslSupportMethod: 'sni-only' } }),
    advised: (s) => distribution(s) },
  { rule: 'GP-CF-003', severity: 'error', what: 'KubeAwsCdn without a web ACL', match: /no WAF/, names: 'webAclArn', via: 'props',
    trigger: (s) => cdn(s), advised: (s) => cdn(s, 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cdn/0123') },
  { rule: 'GP-CF-005', severity: 'error', what: 'HTTP to the origin', match: /origin_protocol_policy/, names: 'https-only', via: 'terraform',
    trigger: (s) => distribution(s, {}, { customOriginConfig: { originProtocolPolicy: 'http-only', originSslProtocols: ['TLSv1.2'], httpPort: 80, httpsPort: 443 } }), advised: (s) => distribution(s) },
  { rule: 'GP-CF-006', severity: 'error', what: 'S3 origin without OAC', match: /no origin access control/, names: 'origin_access_control_id', via: 'terraform',
    trigger: (s) => distribution(s, {}, { domainName: 'shop-assets.s3.us-east-1.amazonaws.com', customOriginConfig: undefined, s3OriginConfig: undefined }),
    advised: (s) => distribution(s, {}, { domainName: 'shop-assets.s3.us-east-1.amazonaws.com', customOriginConfig: undefined, originAccessControlId: 'E123' }) },
];

function cdn(s: TerraformStack, webAclArn?: string) {
  const provider = aws(s);
  const app = deploy(s);
  return new KubeAwsCdn(s, 'cdn', {
    name: 'shop', globalProvider: provider, awsProvider: provider, hostedZoneNames: ['example.com'],
    originConfigs: new KubeIngress(s, 'ing', { namespace: app.namespaceName, name: 'shop', domains: ['shop.example.com'], ingressConfigs: [{ service: app.serviceName!, servicePort: 8080 }], cdnModeEnabled: true }).cdnOriginConfigs,
    ...(webAclArn ? { webAclArn } : {}),
  });
}

describe('every audit message names the prop to change, and following its advice clears the finding', () => {
  test.each(ADVICE.map((a) => [`${a.rule} ${a.severity} (${a.via}): ${a.what}`, a] as const))('%s', (_title, a) => {
    const of = (build: Build) => findingsOf(build).filter((f) => f.rule === a.rule && f.severity === a.severity && a.match.test(f.message));
    const before = of(a.trigger);
    expect(before.length).toBeGreaterThan(0);
    for (const f of before) expect(f.message).toContain(a.names);
    expect(of(a.advised).map((f) => f.message)).toEqual([]);
  });

  test('every rule has at least one row', () => {
    const covered = new Set(ADVICE.map((a) => a.rule));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('advice the issue reported as not working', () => {
  test('GP-RES-002 no longer advises maximumMemory: setting it equal to minimumMemory leaves the limit at 1.3 x the request', () => {
    const findings = findingsOf((s) => deploy(s, {}, web({ minimumMemory: 256, maximumMemory: 256 }))).filter((f) => f.rule === 'GP-RES-002');
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/memory limit \d+ differs from its request 256Mi.*set memoryLimitMultiplier: 1/)]);
    expect(findings[0].message).not.toMatch(/set maximumMemory/);
  });

  test('GP-CF-003 names the prop (webAclArn), not only the Terraform field', () => {
    const [f] = findingsOf((s) => cdn(s)).filter((x) => x.rule === 'GP-CF-003');
    expect(f.message).toMatch(/set webAclArn/);
  });

  test('GP-REL-001 on readiness advises the prop that works: readinessProbeType alone is refused by the library', () => {
    const [f] = findingsOf((s) => deploy(s, {}, { ...NGINX, ports: { http: { port: 8080 } } })).filter((x) => x.rule === 'GP-REL-001' && x.severity === 'error');
    expect(f.message).toMatch(/set livenessProbeType/);
    expect(f.message).not.toMatch(/add one \(readinessProbeType/);
  });
});
