import { ALL_RULES, AuditBundle, evaluateAudit } from '../lib/audit';
import { looksLikeSecret } from '../lib/audit/rules/security';
import { labelProblem, nameProblem } from '../lib/audit/rules/operations';
import { actionMatches, conditionScopesResource, coversAllRoles } from '../lib/audit/iam';
import { policyDocumentFromData } from '../lib/audit/terraform-view';

/** A container that passes every rule. */
function goldenContainer(name: string): any {
  return {
    name,
    image: 'registry.example.com/shop/api:1.4.2@sha256:0f3a',
    imagePullPolicy: 'Always',
    ports: [{ name: 'http', containerPort: 8080 }],
    startupProbe: { httpGet: { path: '/livez', port: 'http' }, periodSeconds: 1, failureThreshold: 60 },
    livenessProbe: { httpGet: { path: '/livez', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 2 },
    env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db' }],
    resources: { requests: { cpu: '100m', memory: '256Mi', 'ephemeral-storage': '100Mi' }, limits: { memory: '256Mi', 'ephemeral-storage': '100Mi' } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
}

function goldenPodSpec(sa: string): any {
  return {
    serviceAccountName: sa,
    automountServiceAccountToken: false,
    terminationGracePeriodSeconds: 30,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [goldenContainer('api')],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
  };
}

const trust = (sub: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-2.amazonaws.com/id/ABC' }, Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: { StringEquals: { 'oidc.eks.us-east-2.amazonaws.com/id/ABC:sub': sub, 'oidc.eks.us-east-2.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com' } },
  }],
});

/** A bundle that produces no finding at all; each test breaks one thing. */
function golden() {
  const labels = { 'app.kubernetes.io/name': 'api' };
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' }, automountServiceAccountToken: false };
  const cronSa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'report', namespace: 'shop' }, automountServiceAccountToken: false };
  const pod = goldenPodSpec('api');
  pod.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }];
  pod.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels } } }] } };
  const dep: any = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } } };
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'shop' }, spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } };
  const pdb: any = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api', namespace: 'shop' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: labels } } };
  const hpa: any = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 6, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } };
  const np: any = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ namespaceSelector: {} }] }], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] } };
  const npReport: any = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'report', namespace: 'shop' }, spec: { podSelector: { matchLabels: { job: 'report' } }, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: labels } }] }], egress: [{ ports: [{ port: 443 }] }] } };
  const ing: any = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: 'shop' }, spec: { tls: [{ hosts: ['api.example.com'], secretName: 'api-tls' }], rules: [{ host: 'api.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { name: 'http' } } } }] } }] } };
  const cronPod = goldenPodSpec('report');
  cronPod.restartPolicy = 'OnFailure';
  const cron: any = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'shop' }, spec: { schedule: '0 3 * * *', startingDeadlineSeconds: 300, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { activeDeadlineSeconds: 3600, backoffLimit: 2, template: { metadata: { labels: { job: 'report' } }, spec: cronPod } } } } };
  const role: any = { type: 'aws_iam_role', path: 'stack/irsa/Role', attributes: { assume_role_policy: trust('system:serviceaccount:shop:api') } };
  const policyDoc: any = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::shop-uploads/*' }] };
  const policy: any = { type: 'aws_iam_policy', path: 'stack/irsa/Policy', attributes: { get policy() { return JSON.stringify(policyDoc); } } };
  const cf: any = {
    type: 'aws_cloudfront_distribution', path: 'stack/cdn/Distribution', attributes: {
      web_acl_id: 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/cdn/1',
      default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
      ordered_cache_behavior: [{ path_pattern: '/static/*', viewer_protocol_policy: 'https-only' }],
      viewer_certificate: { acm_certificate_arn: 'arn:aws:acm:us-east-1:111122223333:certificate/x', minimum_protocol_version: 'TLSv1.2_2021', ssl_support_method: 'sni-only' },
      origin: [
        { origin_id: 'alb', domain_name: 'shop.example.com', custom_origin_config: { origin_protocol_policy: 'https-only', origin_ssl_protocols: ['TLSv1.2'], http_port: 80, https_port: 443 } },
        { origin_id: 'assets', domain_name: 'shop-assets.s3.us-east-2.amazonaws.com', origin_access_control_id: 'E123' },
      ],
    },
  };
  const k8sObjects: any[] = [ns, sa, cronSa, dep, svc, pdb, hpa, np, npReport, ing, cron];
  const extra: any[] = [];
  const awsExtra: any[] = [];
  const helm: any[] = [];
  const bundle = (): AuditBundle => ({
    k8s: [...k8sObjects, ...extra].map((object) => ({ object, path: `stack/${object.kind}/${object.metadata.name}` })),
    aws: [role, policy, cf, ...awsExtra],
    helmReleases: helm,
  });
  return { ns, sa, dep, pod, c: pod.containers[0], svc, pdb, hpa, np, ing, cron, role, policyDoc, cf, k8sObjects, extra, awsExtra, helm, bundle };
}

function externalSecret(templateData: Record<string, string>): any {
  return {
    apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: 'db', namespace: 'shop' },
    spec: { secretStoreRef: { name: 'cluster-parameter-store', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'password', remoteRef: { key: '/shop/db/password' } }], target: { name: 'db', template: { data: templateData } } },
  };
}

function scaledJob(trigger: any): any {
  return { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledJob', metadata: { name: 'worker', namespace: 'shop' }, spec: { jobTargetRef: { template: { spec: {} } }, triggers: [trigger] } };
}

type G = ReturnType<typeof golden>;
const ctx = { slaTarget: 3 as const, strict: false };
const run = (g: G, context: { slaTarget: 1 | 2 | 3; strict: boolean } = ctx) => evaluateAudit(g.bundle(), { context });

describe('the golden bundle', () => {
  test('produces no finding at all', () => {
    expect(run(golden()).findings.map((f) => `${f.rule} ${f.message}`)).toEqual([]);
  });
});

/** [rule, expected severity, what is broken, mutation]. Each rule: at least one triggering object. */
const CASES: Array<[string, 'error' | 'warn' | 'info', string, (g: G) => void]> = [
  ['GP-SEC-001', 'error', 'hostNetwork', (g) => { g.pod.hostNetwork = true; }],
  ['GP-SEC-001', 'error', 'privileged container', (g) => { g.c.securityContext.privileged = true; }],
  ['GP-SEC-001', 'error', 'added capability', (g) => { g.c.securityContext.capabilities.add = ['SYS_ADMIN']; }],
  ['GP-SEC-001', 'error', 'hostPath volume', (g) => { g.pod.volumes.push({ name: 'h', hostPath: { path: '/var' } }); }],
  ['GP-SEC-001', 'error', 'privilege escalation not disabled', (g) => { delete g.c.securityContext.allowPrivilegeEscalation; }],
  ['GP-SEC-002', 'info', 'uid 1000', (g) => { g.pod.securityContext.runAsUser = 1000; }],
  ['GP-SEC-003', 'error', 'writable root filesystem', (g) => { g.c.securityContext.readOnlyRootFilesystem = false; }],
  ['GP-SEC-003', 'info', 'read-only root without /tmp', (g) => { g.c.volumeMounts = []; }],
  ['GP-SEC-004', 'warn', 'API token mounted without RBAC', (g) => { delete g.pod.automountServiceAccountToken; delete (g.sa as any).automountServiceAccountToken; }],
  ['GP-SEC-005', 'error', 'default ServiceAccount', (g) => { delete g.pod.serviceAccountName; }],
  ['GP-SEC-005', 'error', 'ServiceAccount not in the stack', (g) => { g.pod.serviceAccountName = 'ghost'; }],
  ['GP-SEC-005', 'error', 'shared ServiceAccount', (g) => { g.cron.spec.jobTemplate.spec.template.spec.serviceAccountName = 'api'; }],
  ['GP-SEC-006', 'error', ':latest image', (g) => { g.c.image = 'nginx:latest'; }],
  ['GP-SEC-006', 'info', 'image without digest', (g) => { g.c.image = 'registry.example.com/shop/api:1.4.2'; }],
  ['GP-SEC-007', 'error', 'literal password in env', (g) => { g.c.env.push({ name: 'DB_PASSWORD', value: 'hunter22' }); }],
  ['GP-SEC-007', 'error', 'API key in a ConfigMap', (g) => { g.extra.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { api_key: 'sk_live_123456' } }); }],
  ['GP-SEC-008', 'info', 'secret from env', (g) => { g.c.env.push({ name: 'TOKEN', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } }); }],
  ['GP-SEC-009', 'error', 'AWS key from a secret ref', (g) => { g.c.env.push({ name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's', key: 'id' } } }); }],
  ['GP-SEC-009', 'error', 'AWS key in Secret data', (g) => { g.extra.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'aws', namespace: 'shop' }, data: { AWS_SECRET_ACCESS_KEY: 'eA==' } }); }],
  ['GP-SEC-011', 'error', 'wildcard Role bound to a ServiceAccount', (g) => {
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'api', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }] });
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'api', namespace: 'shop' }, roleRef: { kind: 'Role', name: 'api', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }] });
  }],
  ['GP-NET-001', 'warn', 'no NetworkPolicy', (g) => { g.k8sObjects.splice(g.k8sObjects.indexOf(g.np), 1); }],
  ['GP-NET-001', 'info', 'no NetworkPolicy inside the Linkerd mesh', (g) => { g.k8sObjects.splice(g.k8sObjects.indexOf(g.np), 1); (g.ns.metadata as any).annotations = { 'linkerd.io/inject': 'enabled' }; }],
  ['GP-NET-001', 'error', 'NetworkPolicy without Egress', (g) => { g.np.spec.policyTypes = ['Ingress']; delete g.np.spec.egress; }],
  ['GP-NET-003', 'error', 'Ingress without TLS', (g) => { delete g.ing.spec.tls; }],
  ['GP-NET-003', 'error', 'nginx snippet annotation', (g) => { g.ing.metadata.annotations = { 'nginx.ingress.kubernetes.io/configuration-snippet': 'more_set_headers x;' }; }],
  ['GP-NET-004', 'error', 'Service selecting nothing', (g) => { (g.svc.spec.selector as any) = { 'app.kubernetes.io/name': 'apx' }; }],
  ['GP-NET-004', 'error', 'probe on an undeclared port', (g) => { g.c.readinessProbe.httpGet.port = 9090; }],
  ['GP-NET-004', 'error', 'Ingress backend missing', (g) => { g.ing.spec.rules[0].http.paths[0].backend.service.name = 'web'; }],
  ['GP-REL-001', 'error', 'no readiness probe', (g) => { delete g.c.readinessProbe; }],
  ['GP-REL-001', 'warn', 'no liveness probe', (g) => { delete g.c.livenessProbe; }],
  ['GP-REL-002', 'error', 'identical probes', (g) => { g.c.livenessProbe = { ...g.c.readinessProbe }; }],
  ['GP-REL-002', 'info', 'same handler, liveness more tolerant', (g) => { g.c.livenessProbe = { ...g.c.readinessProbe, failureThreshold: 20 }; }],
  ['GP-REL-003', 'warn', 'liveness checks the database', (g) => { g.c.livenessProbe.httpGet.path = '/health/db'; }],
  ['GP-REL-005', 'warn', 'grace period too short for a Service-backed app to finish its requests', (g) => { g.pod.terminationGracePeriodSeconds = 3; }],
  ['GP-REL-005', 'info', 'a preStop sleep (seed 004: Don\'t)', (g) => { g.c.lifecycle = { preStop: { sleep: { seconds: 10 } } }; }],
  ['GP-REL-005', 'warn', 'grace period shorter than the preStop hook', (g) => { g.c.lifecycle = { preStop: { exec: { command: ['sh', '-c', 'sleep 10'] } } }; g.pod.terminationGracePeriodSeconds = 12; }],
  ['GP-REL-006', 'error', 'replicas under HPA', (g) => { g.dep.spec.replicas = 3; }],
  ['GP-REL-007', 'warn', 'single replica', (g) => { g.k8sObjects.splice(g.k8sObjects.indexOf(g.hpa), 1); g.dep.spec.replicas = 1; }],
  ['GP-REL-008', 'error', 'HPA max <= min', (g) => { g.hpa.spec.maxReplicas = 3; }],
  ['GP-REL-008', 'error', 'HPA target missing', (g) => { g.hpa.spec.scaleTargetRef.name = 'gone'; }],
  ['GP-REL-009', 'error', 'ScaledObject and HPA on one target', (g) => { g.extra.push({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'api', namespace: 'shop' }, spec: { scaleTargetRef: { name: 'api' }, minReplicaCount: 3, fallback: { failureThreshold: 3, replicas: 3 }, triggers: [] } }); }],
  ['GP-REL-010', 'error', 'no PDB', (g) => { g.k8sObjects.splice(g.k8sObjects.indexOf(g.pdb), 1); }],
  ['GP-REL-011', 'error', 'PDB maxUnavailable 0', (g) => { g.pdb.spec.maxUnavailable = 0; }],
  ['GP-REL-011', 'error', 'PDB without unhealthyPodEvictionPolicy', (g) => { delete g.pdb.spec.unhealthyPodEvictionPolicy; }],
  ['GP-REL-012', 'warn', 'no spread', (g) => { delete g.pod.topologySpreadConstraints; delete g.pod.affinity; }],
  ['GP-REL-012', 'error', 'invalid spread constraint', (g) => { delete g.pod.topologySpreadConstraints[0].labelSelector; }],
  ['GP-REL-015', 'warn', 'CronJob without startingDeadlineSeconds', (g) => { delete g.cron.spec.startingDeadlineSeconds; }],
  ['GP-RES-001', 'error', 'no CPU request', (g) => { delete g.c.resources.requests.cpu; }],
  ['GP-RES-002', 'error', 'no memory limit', (g) => { delete g.c.resources.limits.memory; }],
  ['GP-RES-002', 'info', 'memory limit above request', (g) => { g.c.resources.limits.memory = '333Mi'; }],
  ['GP-RES-003', 'error', 'CPU limit', (g) => { g.c.resources.limits.cpu = '500m'; }],
  ['GP-RES-004', 'warn', 'no ephemeral-storage limit', (g) => { delete g.c.resources.limits['ephemeral-storage']; }],
  ['GP-OPS-001', 'error', 'default namespace', (g) => { g.svc.metadata.namespace = 'default'; }],
  ['GP-OPS-001', 'error', 'no namespace', (g) => { delete (g.pdb.metadata as any).namespace; }],
  ['GP-OPS-001', 'warn', 'Namespace without PSS label', (g) => { g.ns.metadata.labels = {} as any; }],
  ['GP-OPS-003', 'error', 'removed apiVersion', (g) => { g.pdb.apiVersion = 'policy/v1beta1'; }],
  ['GP-OPS-004', 'error', 'invalid name', (g) => { g.extra.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Name', namespace: 'shop' }, data: {} }); }],
  ['GP-OPS-004', 'error', 'invalid label value', (g) => { (g.ns.metadata.labels as any).team = 'a b'; }],
  ['GP-IRSA-001', 'error', 'StringLike trust', (g) => { g.role.attributes.assume_role_policy = trust('system:serviceaccount:shop:api').replace('StringEquals', 'StringLike'); }],
  ['GP-IRSA-001', 'error', 'wildcard sub', (g) => { g.role.attributes.assume_role_policy = trust('system:serviceaccount:shop:*'); }],
  ['GP-IRSA-002', 'error', 'trust for a ServiceAccount the stack does not emit', (g) => { g.role.attributes.assume_role_policy = trust('system:serviceaccount:shop:worker'); }],
  ['GP-IRSA-003', 'error', 'any AWS principal', (g) => {
    const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
    doc.Statement.push({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' });
    g.role.attributes.assume_role_policy = JSON.stringify(doc);
  }],
  ['GP-IAM-001', 'error', 'Action "*"', (g) => { g.policyDoc.Statement[0].Action = '*'; }],
  ['GP-IAM-001', 'warn', 'partial wildcard', (g) => { g.policyDoc.Statement[0].Action = 's3:Get*'; }],
  ['GP-IAM-002', 'error', 'write on Resource "*"', (g) => { g.policyDoc.Statement[0].Resource = '*'; }],
  ['GP-IAM-002', 'info', 'read on Resource "*"', (g) => { g.policyDoc.Statement[0] = { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }; }],
  ['GP-IAM-003', 'error', 'AdministratorAccess attached', (g) => { g.awsExtra.push({ type: 'aws_iam_role_policy_attachment', path: 'stack/irsa/Admin', attributes: { policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }); }],
  ['GP-IAM-003', 'error', 'iam:PassRole on "*"', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }); }],
  // GP-SEC-007 widened (issue 14): each of these passed before.
  ['GP-SEC-007', 'error', 'DATABASE_URL with a password', (g) => { g.c.env.push({ name: 'DATABASE_URL', value: 'postgres://app:hunter22@db.shop:5432/app' }); }],
  ['GP-SEC-007', 'error', '--password= in args', (g) => { g.c.args = ['--user=app', '--password=hunter22']; }],
  ['GP-SEC-007', 'error', '--password <value> in args', (g) => { g.c.args = ['--password', 'hunter22']; }],
  ['GP-SEC-007', 'error', 'password in a shell script', (g) => { g.c.command = ['sh', '-c', 'PGPASSWORD=hunter22 psql -h db -U app']; }],
  ['GP-SEC-007', 'error', 'DB_PWD', (g) => { g.c.env.push({ name: 'DB_PWD', value: 'hunter22' }); }],
  ['GP-SEC-007', 'error', 'JWT_SIGNING_KEY', (g) => { g.c.env.push({ name: 'JWT_SIGNING_KEY', value: 'c2lnbmluZy1rZXk' }); }],
  ['GP-SEC-007', 'error', 'password annotation', (g) => { (g.dep.metadata as any).annotations = { 'example.com/db-password': 'hunter22' }; }],
  ['GP-SEC-007', 'error', 'client-secret annotation with a value that is no object name', (g) => { (g.svc.metadata as any).annotations = { 'example.com/client-secret': 'Zx9Qk2vLm8Pq' }; }],
  ['GP-SEC-007', 'error', 'URL with credentials in a pod template annotation', (g) => { g.dep.spec.template.metadata.annotations = { 'example.com/upstream': 'https://svc:s3cr3t@upstream.example.com' }; }],
  ['GP-SEC-007', 'error', 'CDN origin header with a literal secret', (g) => { g.cf.attributes.origin[0].custom_header = [{ name: 'X-Origin-Verify', value: 'shared-secret-123' }]; }],
  ['GP-SEC-007', 'error', 'CDN origin header with an API key', (g) => { g.cf.attributes.origin[0].custom_header = [{ name: 'X-Api-Key', value: 'k-123456' }]; }],
  ['GP-SEC-007', 'error', 'ExternalSecret template with a literal password', (g) => { g.extra.push(externalSecret({ DATABASE_URL: 'postgres://app:hunter22@db/app' })); }],
  ['GP-SEC-007', 'error', 'ExternalSecret template with a literal value by name', (g) => { g.extra.push(externalSecret({ password: 'hunter22' })); }],
  ['GP-SEC-007', 'error', 'KEDA trigger metadata password', (g) => { g.extra.push(scaledJob({ type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', password: 'hunter22' } })); }],
  ['GP-SEC-007', 'error', 'KEDA trigger metadata connection string', (g) => { g.extra.push(scaledJob({ type: 'postgresql', metadata: { connection: 'postgres://app:hunter22@db/app', query: 'select 1', targetQueryValue: '1' } })); }],
  ['GP-SEC-007', 'error', 'literal Secret data (commonSecrets)', (g) => { g.extra.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-secrets', namespace: 'shop' }, type: 'Opaque', data: { API_KEY: 'sk-literal' } }); }],
  ['GP-SEC-007', 'error', 'Helm set value with a password', (g) => { g.helm.push({ type: 'helm_release', path: 'stack/redis', attributes: { namespace: 'cache', set: [{ name: 'auth.password', value: 'hunter22' }] } }); }],
  // GP-IAM-* / GP-IRSA-003: actions matched as IAM does (issue 14); each passed before.
  ['GP-IAM-003', 'error', 'iam:passrole (lower case) on "*"', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:passrole', Resource: '*' }); }],
  ['GP-IAM-003', 'error', 'sts:assumerole (lower case) on "*"', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'sts:assumerole', Resource: '*' }); }],
  ['GP-IAM-003', 'error', 'iam:Pass?ole on "*"', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:Pass?ole', Resource: '*' }); }],
  ['GP-IAM-003', 'error', 'iam:PassRole on every role of the account', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/*' }); }],
  ['GP-IAM-003', 'error', 'iam:Put* (escalation through a wildcard)', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:Put*', Resource: 'arn:aws:iam::111122223333:role/shop-*' }); }],
  ['GP-IAM-003', 'error', 'Allow + NotAction grants PassRole', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }); }],
  ['GP-IAM-002', 'error', 'Allow + NotResource', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 's3:PutObject', NotResource: 'arn:aws:s3:::shop-audit/*' }); }],
  ['GP-IAM-002', 'error', 'write on "*" with a Condition that does not scope the resource', (g) => { g.policyDoc.Statement[0].Resource = '*'; (g.policyDoc.Statement[0] as any).Condition = { Bool: { 'aws:SecureTransport': 'true' } }; }],
  ['GP-IAM-002', 'error', 'write on "*" with an IfExists tag condition', (g) => { g.policyDoc.Statement[0].Resource = '*'; (g.policyDoc.Statement[0] as any).Condition = { StringEqualsIfExists: { 'aws:ResourceTag/team': 'shop' } }; }],
  ['GP-IAM-002', 'error', 'write on "*" with a wildcard tag condition', (g) => { g.policyDoc.Statement[0].Resource = '*'; (g.policyDoc.Statement[0] as any).Condition = { StringLike: { 'aws:ResourceTag/team': '*' } }; }],
  ['GP-IAM-002', 'error', 'write on arn:aws:s3:::* (the same as "*")', (g) => { g.policyDoc.Statement[0].Resource = 'arn:aws:s3:::*'; }],
  ['GP-IRSA-003', 'error', 'sts:assumerole (lower case) trust without a condition', (g) => {
    const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
    doc.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:assumerole' });
    g.role.attributes.assume_role_policy = JSON.stringify(doc);
  }],
  ['GP-IRSA-003', 'error', 'an AWS principal next to a service principal', (g) => {
    const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
    doc.Statement.push({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com', AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:AssumeRole' });
    g.role.attributes.assume_role_policy = JSON.stringify(doc);
  }],
  ['GP-IRSA-003', 'error', 'trust condition that does not name the caller', (g) => {
    const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
    doc.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:SecureTransport': 'true' } } });
    g.role.attributes.assume_role_policy = JSON.stringify(doc);
  }],
  ['GP-CF-001', 'error', 'behaviour allowing HTTP', (g) => { g.cf.attributes.ordered_cache_behavior[0].viewer_protocol_policy = 'allow-all'; }],
  ['GP-CF-002', 'error', 'default certificate', (g) => { g.cf.attributes.viewer_certificate = { cloudfront_default_certificate: true }; }],
  ['GP-CF-002', 'error', 'old TLS policy', (g) => { g.cf.attributes.viewer_certificate.minimum_protocol_version = 'TLSv1'; }],
  ['GP-CF-003', 'error', 'no WAF', (g) => { delete g.cf.attributes.web_acl_id; }],
  ['GP-CF-005', 'error', 'HTTP to the origin', (g) => { g.cf.attributes.origin[0].custom_origin_config.origin_protocol_policy = 'match-viewer'; }],
  ['GP-CF-006', 'error', 'S3 origin without OAC', (g) => { delete g.cf.attributes.origin[1].origin_access_control_id; }],
  ['GP-CF-006', 'warn', 'S3 origin with a legacy OAI', (g) => { delete g.cf.attributes.origin[1].origin_access_control_id; g.cf.attributes.origin[1].s3_origin_config = { origin_access_identity: 'origin-access-identity/cloudfront/E1' }; }],
];

describe('every rule triggers on a broken object and stays quiet on the golden one', () => {
  test.each(CASES)('%s (%s): %s', (rule, severity, _what, mutate) => {
    const g = golden();
    mutate(g);
    const hits = run(g).findings.filter((f) => f.rule === rule);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((h) => h.severity)).toContain(severity);
    for (const h of hits) expect(h.message).toMatch(/;|: /); // says what to change
  });

  test('every rule has at least one triggering case', () => {
    const covered = new Set(CASES.map(([r]) => r));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  test('rule ids are unique and well-formed, locked rules are error level', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^GP-(SEC|NET|REL|RES|OPS|IRSA|IAM|CF)-\d{3}$/);
      if (r.locked) expect(r.severity).toBe('error');
    }
    expect(ALL_RULES.filter((r) => r.locked).map((r) => r.id).sort()).toEqual(['GP-IAM-003', 'GP-IRSA-001', 'GP-IRSA-003', 'GP-SEC-001', 'GP-SEC-007', 'GP-SEC-009', 'GP-SEC-011']);
  });
});

describe('what stays quiet: references, scoped statements, settings about secrets', () => {
  const quiet = (rule: string, mutate: (g: G) => void) => {
    const g = golden();
    mutate(g);
    return run(g).findings.filter((f) => f.rule === rule).map((f) => f.message);
  };

  test.each([
    ['DATABASE_URL whose password is another env var', (g: G) => { g.c.env.push({ name: 'DATABASE_URL', value: 'postgres://app:$(DB_PASSWORD)@db.shop:5432/app' }); }],
    ['DATABASE_URL without a password', (g: G) => { g.c.env.push({ name: 'DATABASE_URL', value: 'postgres://db.shop:5432/app' }); }],
    ['--password from an env var, a file and a shell variable', (g: G) => { g.c.args = ['--password=$(DB_PASSWORD)', '--password-file=/run/secrets/db', '--token', '$TOKEN']; }],
    ['a script that reads the password from the environment', (g: G) => { g.c.command = ['sh', '-c', 'PGPASSWORD="$DB_PASSWORD" psql --host db --username app']; }],
    ['PWD (the working directory)', (g: G) => { g.c.env.push({ name: 'PWD', value: '/app' }); }],
    ['a signing key id and a key file', (g: G) => { g.c.env.push({ name: 'JWT_SIGNING_KEY_ID', value: 'k1' }, { name: 'JWT_SIGNING_KEY_FILE', value: '/run/secrets/jwt' }); }],
    ['annotations naming Secrets, store paths and checksums', (g: G) => {
      g.ing.metadata.annotations = { 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth', 'nginx.ingress.kubernetes.io/auth-tls-secret': 'shop/ca' };
      g.dep.spec.template.metadata.annotations = { 'checksum/secret': 'a1b2c3d4e5f6', 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/db', 'secret.reloader.stakater.com/reload': 'api-secrets' };
    }],
    ['an origin header whose value is a deploy-time value', (g: G) => { g.cf.attributes.origin[0].custom_header = [{ name: 'X-Origin-Verify', value: '${random_password.origin.result}' }]; }],
    ['an ExternalSecret template that uses the synced value', (g: G) => { g.extra.push(externalSecret({ DATABASE_URL: 'postgres://app:{{ .password }}@db/app', password: '{{ .password }}' })); }],
    ['KEDA metadata that names the env var', (g: G) => { g.extra.push(scaledJob({ type: 'redis', metadata: { address: 'redis:6379', listName: 'jobs', passwordFromEnv: 'REDIS_PASSWORD' } })); }],
    ['Secret data from a sensitive TerraformVariable', (g: G) => { g.extra.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-secrets', namespace: 'shop' }, type: 'Opaque', data: { API_KEY: '${var.api_key}' } }); }],
    ['escaped text is literal, interpolations are not', (g: G) => { g.c.env.push({ name: 'DB_PASSWORD', value: '${var.db_password}' }); }],
  ])('GP-SEC-007 quiet: %s', (_what, mutate) => {
    expect(quiet('GP-SEC-007', mutate)).toEqual([]);
  });

  test('a literal password that contains "${" (escaped in cdk.tf.json as "$${") is still a literal', () => {
    expect(quiet('GP-SEC-007', (g) => { g.c.env.push({ name: 'DB_PASSWORD', value: 'pa$${ss' }); })).toHaveLength(1);
  });

  test.each([
    ['iam:PassRole on one role', { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/shop-worker' }],
    ['"*" on one bucket (no IAM resource)', { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::shop-uploads/*' }],
    ['a Deny', { Effect: 'Deny', Action: 'iam:*', Resource: '*' }],
  ])('GP-IAM-003 quiet: %s', (_what, statement) => {
    expect(quiet('GP-IAM-003', (g) => { g.policyDoc.Statement.push(statement as any); })).toEqual([]);
  });

  test.each([
    ['a resource tag condition', { StringEquals: { 'aws:ResourceTag/team': 'shop' } }],
    ['a service resource tag condition (any key case)', { StringLike: { 'ec2:resourceTag/ebs.csi.aws.com/cluster': 'true' } }],
    ['the tags a create call must set', { StringEquals: { 'aws:RequestTag/team': 'shop' } }],
  ])('GP-IAM-002 quiet: a write on "*" scoped by %s', (_what, condition) => {
    expect(quiet('GP-IAM-002', (g) => { g.policyDoc.Statement[0].Resource = '*'; (g.policyDoc.Statement[0] as any).Condition = condition; })).toEqual([]);
  });

  test('a trust statement for an AWS service alone needs no caller condition', () => {
    expect(quiet('GP-IRSA-003', (g) => {
      const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
      doc.Statement.push({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
      g.role.attributes.assume_role_policy = JSON.stringify(doc);
    })).toEqual([]);
  });

  test('a trust statement for another account that names its caller with sts:ExternalId', () => {
    expect(quiet('GP-IRSA-003', (g) => {
      const doc = JSON.parse(trust('system:serviceaccount:shop:api'));
      doc.Statement.push({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/ci' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'shop-ci' } } });
      g.role.attributes.assume_role_policy = JSON.stringify(doc);
    })).toEqual([]);
  });
});

describe('context-dependent severities', () => {
  test('one replica is advisory at SLA target 1, a warning otherwise; strict mode wants 2 as well (seed 004)', () => {
    const g = golden();
    g.k8sObjects.splice(g.k8sObjects.indexOf(g.hpa), 1);
    g.dep.spec.replicas = 1;
    expect(run(g, { slaTarget: 1, strict: false }).findings.find((f) => f.rule === 'GP-REL-007')?.severity).toBe('info');
    expect(run(g, { slaTarget: 3, strict: false }).findings.find((f) => f.rule === 'GP-REL-007')?.severity).toBe('warn');
    const strictOne = run(g, { slaTarget: 3, strict: true });
    expect(strictOne.failing.map((f) => f.rule)).toContain('GP-REL-007');
    g.dep.spec.replicas = 2;
    expect(run(g, { slaTarget: 3, strict: false }).findings.filter((f) => f.rule === 'GP-REL-007')).toEqual([]);
    expect(run(g, { slaTarget: 3, strict: true }).findings.filter((f) => f.rule === 'GP-REL-007')).toEqual([]);
  });

  test('a ServiceAccount with a RoleBinding may mount its token (the pod reads its own Pod)', () => {
    const g = golden();
    delete g.pod.automountServiceAccountToken;
    delete (g.sa as any).automountServiceAccountToken;
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'pod-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] });
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'pod-reader', namespace: 'shop' }, roleRef: { kind: 'Role', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'shop' }] });
    expect(run(g).findings).toEqual([]);
  });

  test('a wildcard Role bound only to a group of people is not workload RBAC', () => {
    const g = golden();
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'namespace:admin', namespace: 'shop' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] });
    g.extra.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'namespace:admins', namespace: 'shop' }, roleRef: { kind: 'Role', name: 'namespace:admin', apiGroup: 'rbac.authorization.k8s.io' }, subjects: [{ kind: 'Group', name: 'system:admins', apiGroup: 'rbac.authorization.k8s.io' }] });
    expect(run(g).findings).toEqual([]);
  });

  test('selectors in namespaces where Helm installs objects are not reported as dangling', () => {
    const g = golden();
    g.extra.push({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'chart', namespace: 'shop' }, spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'chart' } } } });
    expect(run(g).findings.map((f) => f.rule)).toEqual(['GP-NET-004']);
    expect(evaluateAudit({ ...g.bundle(), opaqueNamespaces: ['shop'] }, { context: ctx }).findings).toEqual([]);
  });

  test('overrides change a severity or turn a rule off', () => {
    const g = golden();
    g.c.resources.limits.cpu = '1';
    expect(evaluateAudit(g.bundle(), { context: ctx, overrides: { 'GP-RES-003': 'warn' } }).failing).toEqual([]);
    expect(evaluateAudit(g.bundle(), { context: ctx, overrides: { 'GP-RES-003': 'off' } }).findings).toEqual([]);
  });
});

describe('helpers', () => {
  test.each([
    ['DB_PASSWORD', 'hunter22', true],
    ['API_TOKEN', 'abc', true],
    ['AWS_WEB_IDENTITY_TOKEN_FILE', '/var/run/secrets/token', false],
    ['TOKEN_TTL_SECONDS', '3600', false],
    ['LOG_LEVEL', 'debug', false],
    ['ANYTHING', 'AKIAABCDEFGHIJKLMNOP', true],
    ['SECRET', '${TfToken[TOKEN.1]}', false],
    ['PASSWORD', '', false],
    ['DB_PWD', 'hunter22', true],
    ['PWD', '/app', false],
    ['dbPassword', 'hunter22', true],
    ['STRIPE_SIGNING_KEY', 'whsec_123', true],
    ['SIGNING_KEY_ID', 'k1', false],
    ['DATABASE_URL', 'postgres://u:p@h', true],
    ['DATABASE_URL', 'postgres://u@h', false],
    ['CONNECTION', 'Server=db;Database=app;Password=hunter22;', true],
    ['AUTH_HEADER_VALUE', 'Bearer abcdefghijklmnopqrstuvwx', true],
    ['passwordFromEnv', 'REDIS_PASSWORD', false],
    ['BYPASS_CACHE', 'sometimes', false],
  ])('looksLikeSecret(%s, %s) = %s', (name, value, expected) => {
    expect(looksLikeSecret(name, value)).toBe(expected);
  });

  test.each([
    ['iam:PassRole', 'iam:PassRole', true],
    ['iam:passrole', 'iam:PassRole', true],
    ['IAM:PASSROLE', 'iam:PassRole', true],
    ['iam:Pass?ole', 'iam:PassRole', true],
    ['iam:Pass*', 'iam:PassRole', true],
    ['*', 'iam:PassRole', true],
    ['iam:*Role', 'iam:PassRole', true],
    ['iam:Pass?', 'iam:PassRole', false],
    ['s3:*', 'iam:PassRole', false],
    ['iam:PassRole.', 'iam:PassRole', false],
  ])('actionMatches(%s, %s) = %s (as IAM matches actions)', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  test.each([
    [{ StringEquals: { 'aws:ResourceTag/team': 'shop' } }, true],
    [{ 'ForAnyValue:StringLike': { 'aws:RequestTag/team': 'shop-*' } }, true],
    [{ StringEquals: { 'aws:ResourceTag/team': '${var.team}' } }, true],
    [{ StringEqualsIfExists: { 'aws:ResourceTag/team': 'shop' } }, false],
    [{ StringNotEquals: { 'aws:ResourceTag/team': 'other' } }, false],
    [{ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, false],
    [{ StringLike: { 'aws:ResourceTag/team': '*' } }, false],
    [{ Bool: { 'aws:SecureTransport': 'true' } }, false],
    [{ StringEquals: { 'aws:RequestedRegion': 'us-east-2' } }, false],
    [{ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } }, false],
    [{ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, false],
  ])('conditionScopesResource(%j) = %s', (condition, expected) => {
    expect(conditionScopesResource(condition)).toBe(expected);
  });

  test.each([
    ['*', true],
    ['arn:aws:iam::*:role/*', true],
    ['arn:aws:iam::111122223333:role/*', true],
    ['arn:aws:iam::111122223333:role*', true],
    ['arn:aws:iam::111122223333:role/shop-*', false],
    ['arn:aws:iam::111122223333:role/shop-worker', false],
    ['arn:aws:s3:::bucket/*', false],
  ])('coversAllRoles(Resource %s) = %s', (resource, expected) => {
    expect(coversAllRoles({ Effect: 'Allow', Action: 'iam:PassRole', Resource: resource })).toBe(expected);
  });

  test('a DataAwsIamPolicyDocument is read as the JSON policy it renders', () => {
    expect(policyDocumentFromData({
      statement: [
        { sid: 'Pass', effect: 'Allow', not_actions: ['s3:*'], resources: ['*'], condition: [{ test: 'StringEquals', variable: 'aws:ResourceTag/team', values: ['shop'] }] },
        { actions: ['sts:AssumeRole'], principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::444455556666:role/ci'] }] },
      ],
    })).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Pass', Effect: 'Allow', NotAction: ['s3:*'], Resource: ['*'], Condition: { StringEquals: { 'aws:ResourceTag/team': ['shop'] } } },
        { Effect: 'Allow', Action: ['sts:AssumeRole'], Principal: { AWS: ['arn:aws:iam::444455556666:role/ci'] } },
      ],
    });
  });

  test('names and labels', () => {
    expect(nameProblem('Role', 'namespace:admin')).toBeUndefined();
    expect(nameProblem('Service', 'a.b')).toBeDefined();
    expect(nameProblem('ConfigMap', 'a.b')).toBeUndefined();
    expect(labelProblem('app.kubernetes.io/name', 'web')).toBeUndefined();
    expect(labelProblem('app.kubernetes.io/name', 'x'.repeat(64))).toBeDefined();
    expect(labelProblem('a/b/c', 'x')).toBeDefined();
  });
});
