import { ALL_RULES, AuditBundle, evaluateAudit } from '../lib/audit';
import { looksLikeSecret } from '../lib/audit/rules/security';
import { labelProblem, nameProblem } from '../lib/audit/rules/operations';

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
    lifecycle: { preStop: { sleep: { seconds: 10 } } },
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
  const bundle = (): AuditBundle => ({
    k8s: [...k8sObjects, ...extra].map((object) => ({ object, path: `stack/${object.kind}/${object.metadata.name}` })),
    aws: [role, policy, cf, ...awsExtra],
  });
  return { ns, sa, dep, pod, c: pod.containers[0], svc, pdb, hpa, np, ing, cron, role, policyDoc, cf, k8sObjects, extra, awsExtra, bundle };
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
  ['GP-REL-005', 'info', 'no preStop', (g) => { delete g.c.lifecycle; }],
  ['GP-REL-005', 'warn', 'grace period shorter than preStop', (g) => { g.pod.terminationGracePeriodSeconds = 12; }],
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
  ['GP-IAM-002', 'info', 'read on Resource "*"', (g) => { g.policyDoc.Statement[0] = { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' }; }],
  ['GP-IAM-003', 'error', 'AdministratorAccess attached', (g) => { g.awsExtra.push({ type: 'aws_iam_role_policy_attachment', path: 'stack/irsa/Admin', attributes: { policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } }); }],
  ['GP-IAM-003', 'error', 'iam:PassRole on "*"', (g) => { g.policyDoc.Statement.push({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } }); }],
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

describe('context-dependent severities', () => {
  test('one replica is advisory at SLA target 1, a warning otherwise, and strict wants 3', () => {
    const g = golden();
    g.k8sObjects.splice(g.k8sObjects.indexOf(g.hpa), 1);
    g.dep.spec.replicas = 1;
    expect(run(g, { slaTarget: 1, strict: false }).findings.find((f) => f.rule === 'GP-REL-007')?.severity).toBe('info');
    expect(run(g, { slaTarget: 3, strict: false }).findings.find((f) => f.rule === 'GP-REL-007')?.severity).toBe('warn');
    g.dep.spec.replicas = 2;
    expect(run(g, { slaTarget: 3, strict: false }).findings.filter((f) => f.rule === 'GP-REL-007')).toEqual([]);
    const strict = run(g, { slaTarget: 3, strict: true });
    expect(strict.findings.find((f) => f.rule === 'GP-REL-007')?.severity).toBe('warn');
    expect(strict.failing.map((f) => f.rule)).toContain('GP-REL-007');
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
  ])('looksLikeSecret(%s, %s) = %s', (name, value, expected) => {
    expect(looksLikeSecret(name, value)).toBe(expected);
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
