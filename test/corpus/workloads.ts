import { App, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import {
  KubeConfigMap, KubeCronJob, KubeDaemonSet, KubeDeployment, KubeExternalSecret, KubeJob, KubeNamespace,
  KubeScaledObject, KubeService, KubeStatefulSet,
} from '../../lib';
import { corpusStack, image } from './stack';

export const WORKLOADS_STACK = 'corpus-workloads';

/**
 * `corpus-workloads`: every controller with its richest props, in three namespaces (one per
 * Pod Security Standard), the standalone Services of every type the library emits, the
 * configuration objects the pods read, and event-driven scaling.
 *
 * - KubeNamespace: baseline / restricted / privileged, admin and reader groups, the
 *   namespace network-policy layer with every allow setting, and one with it switched off.
 * - KubeDeployment `api`: init container, native sidecar, two regular containers, HTTP / TCP /
 *   exec probes, named ports (one not on the Service), every env source, node-local and EBS
 *   scratch dirs, Secret and ConfigMap mounts, HPA on memory with behaviour (VPA keeps CPU),
 *   PDB settings, workload NetworkPolicy, full scheduling, extra labels and annotations,
 *   NodePort Service with public names, waitForRollout; applied after the migration Job.
 * - KubeDeployment `worker`: every scheduling default turned the other way, no VPA, no Linkerd,
 *   scaled by a KEDA ScaledObject (several triggers, fallback, idle replicas, HPA config).
 * - KubeStatefulSet `postgres` (two claim templates, one out of backups, HPA on CPU and memory,
 *   Parallel pods, retention policy) and `redis` (no ports: only the headless Service).
 * - KubeDaemonSet `node-agent` (hostNetwork, privileged, rolling) and `log-agent` (OnDelete).
 * - KubeCronJob `report` (every option) and `nightly` (@daily); KubeJob `migrate`
 *   (waitForSuccess true, pod failure policy rules) and `seed` (waitForSuccess false, after migrate).
 * - KubeService: ClusterIP with a static IP, headless, NodePort, AWS NLB LoadBalancer, and a
 *   LoadBalancer of another class.
 * - KubeConfigMap (plain with nginx `${...}` text, immutable with binary data), KubeExternalSecret
 *   (template, data, dataFrom extract and find).
 */
export function buildWorkloadsStack(app: App): TerraformStack {
  const { stack } = corpusStack(app, WORKLOADS_STACK);

  // ---- namespaces: one per Pod Security Standard ----
  const apps = new KubeNamespace(stack, 'ns-apps', {
    namespace: 'corpus-apps',
    podSecurityStandard: 'baseline',
    podSecurityAuditStandard: 'restricted',
    adminGroups: ['corpus:admins', 'corpus:oncall'],
    readerGroups: ['corpus:readers', 'corpus:auditors'],
    loadbalancerEnabled: true,
    monitoringEnabled: true,
    linkerdInject: true,
    extraLabels: { 'corpus.example.com/team': 'platform', 'cost-center': 'cc-1234' },
    networkPolicy: {
      denyByDefault: true,
      allowDns: true,
      allowSameNamespace: true,
      allowLinkerd: true,
      allowIngressController: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
      allowedEgress: [
        { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '10.0.0.0/8'], ports: [{ port: 443 }, { port: 8443, endPort: 8450 }] },
        { namespace: 'corpus-data', podLabels: { 'app.kubernetes.io/name': 'postgres' }, ports: [{ port: 5432 }] },
        { cidr: 'fd00::/8', ports: [{ port: 53, protocol: 'UDP' }] },
      ],
      allowedIngress: [
        { namespace: 'monitoring', ports: [{ port: 9090 }] },
        { cidr: '10.10.0.0/16' },
      ],
    },
  });
  const data = new KubeNamespace(stack, 'ns-data', {
    namespace: 'corpus-data',
    podSecurityStandard: 'restricted',
    podSecurityAuditStandard: 'restricted',
    linkerdInject: false,
    readerGroups: [],
    monitoringEnabled: false,
    networkPolicy: { allowDns: true, allowSameNamespace: false, allowedIngress: [{ namespace: 'corpus-apps', ports: [{ port: 5432 }, { port: 6379 }] }] },
  });
  const agents = new KubeNamespace(stack, 'ns-agents', {
    namespace: 'corpus-agents',
    podSecurityStandard: 'privileged',
    podSecurityAuditStandard: 'baseline',
    adminGroups: ['corpus:node-admins'],
    networkPolicy: { denyByDefault: false },
  });

  // ---- configuration and secrets ----
  const config = new KubeConfigMap(stack, 'api-config', {
    namespace: apps,
    name: 'api-config',
    data: {
      LOG_LEVEL: 'debug',
      FEATURE_FLAGS: 'search,checkout',
      // nginx variables are `${name}` text the API server must receive verbatim.
      'nginx.conf': 'server {\n  listen 8080;\n  location / {\n    proxy_set_header Host ${host};\n    proxy_set_header X-Real-IP ${remote_addr};\n  }\n}\n',
      'template.tmpl': '%{ if enabled }on%{ endif }',
    },
    extraLabels: { 'corpus.example.com/config': 'api' },
    extraAnnotations: { 'corpus.example.com/owner': 'platform-team' },
  });
  const staticConfig = new KubeConfigMap(stack, 'api-static', {
    namespace: apps,
    name: 'api-static',
    immutable: true,
    data: { 'robots.txt': 'User-agent: *\nDisallow: /admin\n' },
    binaryData: { 'favicon.ico': Buffer.from([0, 0, 1, 0, 1, 0, 16, 16]).toString('base64') },
  });
  const secrets = new KubeExternalSecret(stack, 'api-secrets', {
    namespace: apps,
    name: 'api-secrets',
    secretStoreRef: { name: 'corpus-parameter-store', kind: 'SecretStore' },
    refreshInterval: '15m',
    target: {
      name: 'api-secrets-synced',
      creationPolicy: 'Owner',
      deletionPolicy: 'Delete',
      immutable: false,
      template: {
        type: 'Opaque',
        engineVersion: 'v2',
        metadata: { labels: { 'corpus.example.com/secret': 'api' }, annotations: { 'corpus.example.com/rotated-by': 'eso' } },
        data: { DATABASE_URL: 'postgres://{{ .username }}:{{ .password }}@postgres.corpus-data:5432/app' },
      },
    },
    data: {
      username: { key: '/corpus/api/db', property: 'username' },
      password: { key: '/corpus/api/db', property: 'password', version: '3' },
      'api-token': { key: '/corpus/api/token' },
    },
    dataFrom: [
      { extract: { key: '/corpus/api/feature-secrets' } },
      { find: { path: '/corpus/shared', name: { regexp: '^corpus-.*' }, tags: { team: 'platform' } } },
    ],
    extraLabels: { 'corpus.example.com/secret-source': 'ssm' },
    extraAnnotations: { 'corpus.example.com/doc': 'https://example.com/runbooks/secrets' },
  });
  const dbPassword = new TerraformVariable(stack, 'api_db_password', { type: 'string', sensitive: true, default: 'corpus-only', description: 'Password handed to the api pods through commonSecrets' });

  // ---- batch: the migration the api waits for, a follow-up Job that does not wait ----
  const migrate = new KubeJob(stack, 'migrate', {
    namespace: apps,
    name: 'db-migrate',
    containers: [
      {
        name: 'wait-for-db',
        init: true,
        ...image('docker.io', 'library/busybox', '1.37.0'),
        // No `${` here: see corpus-job-escaping (the Job's replace trigger does not escape it).
        command: ['sh', '-c', 'until nc -z postgres.corpus-data 5432; do echo "waiting in $HOME"; sleep 2; done'],
        minimumMemory: 32,
      },
      {
        name: 'migrate',
        ...image('ghcr.io', 'corpus/api', '1.4.0'),
        command: ['/app/migrate', 'up'],
        args: ['--verbose', '--lock-timeout=60s'],
        env: { MIGRATIONS_DIR: '/app/migrations' },
        minimumMemory: 256,
        minimumCpu: 100,
        maximumCpu: 1000,
      },
    ],
    commonEnvFromSecrets: { DATABASE_URL: { secretName: secrets.secretName, key: 'DATABASE_URL' } },
    waitForSuccess: true,
    waitForSuccessTimeout: '20m',
    backoffLimit: 3,
    activeDeadlineSeconds: 1800,
    ttlSecondsAfterFinished: 3600,
    extraPodFailurePolicyRules: [
      { action: 'FailJob', onExitCodes: { containerName: 'migrate', operator: 'In', values: [42, 43] } },
      { action: 'Ignore', onPodConditions: [{ type: 'ConfigIssue' }] },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0, 1] } },
    ],
    priorityClassName: 'workload-important',
    extraLabels: { 'corpus.example.com/kind': 'migration' },
  });
  new KubeJob(stack, 'seed', {
    namespace: apps,
    name: 'db-seed',
    containers: [{ name: 'seed', ...image('ghcr.io', 'corpus/api', '1.4.0'), command: ['/app/seed', '--all'], minimumMemory: 128 }],
    waitForSuccess: false,
    podParallelism: 3,
    podCompletions: 3,
    backoffLimit: 0,
    disruptionsEnabled: true,
    vpaEnabled: false,
    dependsOn: [migrate.job.resource],
  });

  // ---- the richest Deployment ----
  const api = new KubeDeployment(stack, 'api', {
    namespace: apps,
    name: 'api',
    containers: [
      {
        name: 'render-config',
        init: true,
        ...image('docker.io', 'library/busybox', '1.37.0'),
        // Literal shell and Terraform-looking text: must reach the API server as written.
        command: ['sh', '-c', 'echo "home=${HOME} user=${USER:-nobody}" > /tmp/scratch/env && echo "%{not a directive}"'],
        minimumMemory: 32,
        imagePrepullEnabled: false,
        imagePinEnabled: false,
      },
      {
        name: 'log-shipper',
        init: true,
        restartPolicy: 'Always',
        ...image('docker.io', 'fluent/fluent-bit', '3.1.9'),
        args: ['--config=/etc/fluent-bit/fluent-bit.conf'],
        ports: { shipper: { port: 2020, exposeOnService: false } },
        livenessProbeType: 'exec',
        livenessProbeCommand: ['/fluent-bit/bin/fluent-bit', '--version'],
        minimumMemory: 64,
        maximumMemory: 256,
        imagePinEnabled: false,
      },
      {
        name: 'api',
        ...image('ghcr.io', 'corpus/api', '1.4.0'),
        command: ['/app/server'],
        args: ['--listen=:8080', '--metrics=:9090'],
        workingDir: '/app',
        imagePullPolicy: 'Always',
        env: { GOMAXPROCS: '2', EMPTY_FLAG: '' },
        ports: { http: { port: 8080, servicePort: 80 }, grpc: { port: 9000, protocol: 'TCP' }, metrics: { port: 9090, exposeOnService: false } },
        livenessProbeType: 'HTTP',
        livenessProbePort: 8080,
        livenessProbeRoute: '/healthz',
        livenessProbeScheme: 'HTTP',
        readinessProbeType: 'HTTP',
        readinessProbePort: 8080,
        readinessProbeRoute: '/ready',
        minimumMemory: 256,
        maximumMemory: 2048,
        memoryLimitMultiplier: 1.5,
        minimumCpu: 100,
        maximumCpu: 2000,
        uid: 10001,
        linuxCapabilities: ['NET_BIND_SERVICE'],
        seccompProfileType: 'RuntimeDefault',
      },
      {
        name: 'cache',
        ...image('docker.io', 'library/redis', '7.4.1'),
        command: ['redis-server', '--port', '6380', '--save', ''],
        ports: { redis: { port: 6380 } },
        livenessProbeType: 'TCP',
        livenessProbePort: 6380,
        readinessProbeType: 'exec',
        readinessProbeCommand: ['redis-cli', '-p', '6380', 'ping'],
        minimumMemory: 64,
        readOnly: false,
        imagePrepullEnabled: true,
        imagePinEnabled: false,
      },
    ],
    commonEnv: { LOG_FORMAT: 'json', REGION: 'us-east-2', SHELL_HINT: 'use ${HOME}/bin' },
    commonSecrets: { DB_PASSWORD: dbPassword.stringValue },
    commonEnvFromSecrets: { API_TOKEN: { secretName: secrets.secretName, key: 'api-token' } },
    commonEnvFromConfigMaps: {
      LOG_LEVEL: { configMapName: config.configMapName, key: 'LOG_LEVEL' },
      FEATURE_FLAGS: { configMapName: config.configMapName, key: 'FEATURE_FLAGS' },
    },
    defaultEnvEnabled: true,
    tmpDirectories: {
      scratch: { mountPath: '/tmp/scratch', sizeMb: 64, nodeLocal: true },
      cache: { mountPath: '/var/cache/api', sizeMb: 2048 },
    },
    secretMounts: { [secrets.secretName]: { mountPath: '/etc/api/secrets', subPaths: ['username', 'password'] } },
    configMapMounts: {
      [config.configMapName]: { mountPath: '/etc/nginx/conf.d', optional: false },
      [staticConfig.configMapName]: { mountPath: '/srv/static', optional: true },
    },
    mountOwner: 10001,
    extraPodLabels: { 'corpus.example.com/tier': 'backend' },
    extraPodAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
    priorityClassName: 'workload-important',
    dnsPolicy: 'ClusterFirst',
    terminationGracePeriodSeconds: 45,
    linkerdEnabled: true,
    linkerdNativeSidecarEnabled: false,
    linkerdProxyCpuRequest: 25,
    linkerdProxyMemoryRequest: 32,
    linkerdProxyMemoryLimit: 128,
    linkerdOpaquePorts: [6380],
    // scheduling
    spotNodesEnabled: true,
    burstableNodesEnabled: true,
    armNodesEnabled: true,
    controllerNodesEnabled: false,
    nodeRequirements: { 'kubernetes.io/os': ['linux'], 'topology.kubernetes.io/zone': ['us-east-2a', 'us-east-2b', 'us-east-2c'] },
    nodePreferences: {
      'node.kubernetes.io/instance-type': { weight: 50, operator: 'In', values: ['m7g.large', 'm7i.large'] },
      'corpus.example.com/legacy': { weight: 10, operator: 'DoesNotExist' },
    },
    extraTolerations: [
      { key: 'corpus.example.com/dedicated', operator: 'Equal', value: 'api', effect: 'NoSchedule' },
      { key: 'corpus.example.com/draining', operator: 'Exists', effect: 'NoExecute' },
    ],
    hostAntiAffinityRequired: true,
    instanceTypeAntiAffinityRequired: true,
    azSpreadRequired: true,
    podAffinityMatchLabels: { 'app.kubernetes.io/name': 'redis' },
    panfactumSchedulerEnabled: true,
    lifetimeEvictionsEnabled: false,
    pullThroughCacheEnabled: false,
    ciliumRequired: true,
    linkerdRequired: false,
    // controller
    updateType: 'RollingUpdate',
    maxSurge: '50%',
    horizontalAutoscaling: {
      minReplicas: 3,
      maxReplicas: 12,
      targetMemoryUtilization: 80,
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 30 }, { type: 'Pods', value: 4, periodSeconds: 30 }] },
      scaleDown: { stabilizationWindowSeconds: 600, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
    },
    vpaEnabled: true,
    voluntaryDisruptionsEnabled: true,
    maxUnavailable: 2,
    unhealthyPodEvictionPolicy: 'IfHealthyBudget',
    extraLabels: { 'app.kubernetes.io/part-of': 'corpus', 'corpus.example.com/version': '1.4.0' },
    extraAnnotations: { 'corpus.example.com/runbook': 'https://example.com/runbooks/api' },
    serviceAccountAnnotations: { 'corpus.example.com/sa-owner': 'platform' },
    serviceName: 'api-svc',
    serviceType: 'NodePort',
    servicePublicDomainNames: ['api.corpus.example.com'],
    extraServiceLabels: { 'corpus.example.com/exposed': 'true' },
    extraServiceAnnotations: { 'corpus.example.com/lb-note': 'node-port' },
    waitForRollout: true,
    waitForRolloutTimeout: '15m',
    networkPolicy: {
      allowIngressController: { namespace: 'ingress-nginx' },
      allowedIngress: [
        { namespace: 'corpus-apps', podLabels: { 'corpus.example.com/tier': 'frontend' } },
        { namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ port: 9090 }] },
      ],
      allowedEgress: [
        { namespace: 'corpus-data', ports: [{ port: 5432 }] },
        { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'], ports: [{ port: 443 }] },
      ],
      allowDns: true,
      allowLinkerd: true,
    },
    dependsOn: [migrate.job.resource],
  });

  // ---- a worker with every default flipped, scaled by KEDA ----
  const worker = new KubeDeployment(stack, 'worker', {
    namespace: apps,
    name: 'queue-worker',
    containers: [
      {
        name: 'worker',
        ...image('ghcr.io', 'corpus/worker', 'sha256:' + 'a'.repeat(64)),
        command: ['/app/worker'],
        minimumMemory: 512,
        minimumCpu: 250,
        runAsRoot: false,
      },
    ],
    ignoreReplicaCount: true,
    updateType: 'Recreate',
    spotNodesEnabled: false,
    burstableNodesEnabled: false,
    armNodesEnabled: false,
    controllerNodesEnabled: true,
    controllerNodesRequired: false,
    hostAntiAffinityRequired: false,
    instanceTypeAntiAffinityRequired: false,
    azAntiAffinityRequired: false,
    azSpreadPreferred: true,
    panfactumSchedulerEnabled: false,
    vpaEnabled: false,
    voluntaryDisruptionsEnabled: false,
    defaultPermissionsEnabled: false,
    defaultEnvEnabled: false,
    linkerdEnabled: false,
    dnsPolicy: 'Default',
  });
  new KubeScaledObject(stack, 'worker-scaling', {
    target: worker,
    name: 'queue-worker-scaler',
    minReplicaCount: 1,
    maxReplicaCount: 40,
    idleReplicaCount: 0,
    pollingInterval: 15,
    cooldownPeriod: 120,
    fallback: { failureThreshold: 3, replicas: 6 },
    restoreToOriginalReplicaCount: true,
    horizontalPodAutoscalerConfig: {
      name: 'queue-worker-keda-hpa',
      scaleUp: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 10, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
    },
    triggers: [
      {
        type: 'aws-sqs-queue',
        name: 'orders',
        metadata: { queueURL: 'https://sqs.us-east-2.amazonaws.com/123456789012/orders', queueLength: '50', awsRegion: 'us-east-2' },
        authenticationRef: { name: 'keda-aws', kind: 'ClusterTriggerAuthentication' },
        useCachedMetrics: true,
      },
      {
        type: 'prometheus',
        name: 'backlog',
        metadata: { serverAddress: 'http://prometheus.monitoring:9090', query: 'sum(queue_backlog{queue="orders"})', threshold: '100' },
        metricType: 'AverageValue',
      },
      { type: 'cron', name: 'business-hours', metadata: { timezone: 'America/New_York', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '4' }, metricType: 'Value' },
    ],
  });

  // ---- stateful workloads ----
  const postgres = new KubeStatefulSet(stack, 'postgres', {
    namespace: data,
    name: 'postgres',
    containers: [
      {
        name: 'postgres',
        ...image('docker.io', 'library/postgres', '16.4'),
        env: { PGDATA: '/var/lib/postgresql/data/pgdata' },
        ports: { postgres: { port: 5432 } },
        livenessProbeType: 'exec',
        livenessProbeCommand: ['pg_isready', '-U', 'postgres'],
        readinessProbeType: 'TCP',
        readinessProbePort: 5432,
        minimumMemory: 1024,
        maximumMemory: 8192,
        minimumCpu: 250,
        uid: 999,
      },
      {
        name: 'exporter',
        ...image('quay.io', 'prometheuscommunity/postgres-exporter', 'v0.15.0'),
        ports: { metrics: { port: 9187, exposeOnService: false } },
        livenessProbeType: 'HTTP',
        livenessProbePort: 9187,
        livenessProbeRoute: '/metrics',
        minimumMemory: 64,
      },
    ],
    podManagementPolicy: 'Parallel',
    updateType: 'RollingUpdate',
    horizontalAutoscaling: { minReplicas: 2, maxReplicas: 5, targetCpuUtilization: 75, targetMemoryUtilization: 85 },
    volumeMounts: {
      data: {
        mountPath: '/var/lib/postgresql/data',
        storageClass: 'ebs-standard-retained',
        accessModes: ['ReadWriteOncePod'],
        initialSizeGb: 20,
        sizeLimitGb: 200,
        increaseThresholdPercent: 15,
        increaseGb: 5,
        backupsEnabled: true,
      },
      wal: { mountPath: '/var/lib/postgresql/wal', initialSizeGb: 5, backupsEnabled: false },
    },
    volumeRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' },
    serviceName: 'postgres-rw',
    serviceType: 'ClusterIP',
    mountOwner: 999,
    extraLabels: { 'app.kubernetes.io/name': 'postgres' },
    extraPodLabels: { 'app.kubernetes.io/name': 'postgres' },
    linkerdOpaquePorts: [5432],
    priorityClassName: 'workload-important',
    unhealthyPodEvictionPolicy: 'AlwaysAllow',
    waitForRollout: true,
    waitForRolloutTimeout: '30m',
  });
  new KubeStatefulSet(stack, 'redis', {
    namespace: data,
    name: 'redis',
    replicas: 3,
    containers: [{ name: 'redis', ...image('docker.io', 'library/redis', '7.4.1'), command: ['redis-server', '--appendonly', 'yes'], minimumMemory: 128 }],
    updateType: 'OnDelete',
    podManagementPolicy: 'OrderedReady',
    volumeMounts: { data: { mountPath: '/data', initialSizeGb: 1 } },
    azSpreadRequired: false,
    azSpreadPreferred: true,
    lifetimeEvictionsEnabled: true,
    voluntaryDisruptionsEnabled: false,
  });

  // ---- node agents ----
  new KubeDaemonSet(stack, 'node-agent', {
    namespace: agents,
    name: 'node-agent',
    containers: [
      {
        name: 'agent',
        ...image('docker.io', 'grafana/alloy', 'v1.5.0'),
        args: ['run', '/etc/alloy/config.alloy', '--server.http.listen-addr=0.0.0.0:12345'],
        ports: { http: { port: 12345 } },
        livenessProbeType: 'HTTP',
        livenessProbePort: 12345,
        livenessProbeRoute: '/-/ready',
        privileged: true,
        runAsRoot: true,
        readOnly: false,
        linuxCapabilities: ['SYS_ADMIN', 'SYS_PTRACE'],
        seccompProfileType: 'Unconfined',
        minimumMemory: 128,
      },
    ],
    hostNetwork: true,
    dnsPolicy: 'ClusterFirstWithHostNet',
    updateType: 'RollingUpdate',
    maxUnavailable: '25%',
    maxSurge: 0,
    minReadySeconds: 10,
    minAvailable: '50%',
    controllerNodesEnabled: true,
    nodeRequirements: { 'kubernetes.io/os': ['linux'] },
    extraTolerations: [{ operator: 'Exists' }],
    ciliumRequired: false,
    linkerdEnabled: false,
    waitForRollout: true,
    waitForRolloutTimeout: '20m',
    extraAnnotations: { 'corpus.example.com/agent': 'metrics' },
  });
  new KubeDaemonSet(stack, 'log-agent', {
    namespace: agents,
    name: 'log-agent',
    containers: [{ name: 'fluent-bit', ...image('docker.io', 'fluent/fluent-bit', '3.1.9'), minimumMemory: 64 }],
    updateType: 'OnDelete',
    priorityClassName: 'system-cluster-critical',
    controllerNodesEnabled: false,
    vpaEnabled: false,
  });

  // ---- scheduled work ----
  new KubeCronJob(stack, 'report', {
    namespace: apps,
    name: 'hourly-report',
    cronSchedule: '*/15 9-17 * * MON-FRI',
    timeZone: 'Europe/Berlin',
    concurrencyPolicy: 'Replace',
    failedJobsHistoryLimit: 3,
    successfulJobsHistoryLimit: 1,
    suspend: false,
    startingDeadlineSeconds: 300,
    backoffLimit: 2,
    podReplacementPolicy: 'Failed',
    restartPolicy: 'Never',
    jobAnnotations: { 'corpus.example.com/report': 'hourly' },
    podParallelism: 2,
    podCompletions: 4,
    activeDeadlineSeconds: 3600,
    ttlSecondsAfterFinished: 300,
    disruptionsEnabled: true,
    containers: [
      { name: 'prepare', init: true, ...image('docker.io', 'library/busybox', '1.37.0'), command: ['sh', '-c', 'mkdir -p /tmp/out && echo ${HOSTNAME}'] },
      { name: 'report', ...image('ghcr.io', 'corpus/reporter', '2.0.1'), command: ['/app/report', '--out=/tmp/out'], minimumMemory: 256 },
    ],
    tmpDirectories: { out: { mountPath: '/tmp/out', sizeMb: 512, nodeLocal: true } },
    commonEnvFromConfigMaps: { LOG_LEVEL: { configMapName: config.configMapName, key: 'LOG_LEVEL' } },
    hostAntiAffinityRequired: true,
    extraLabels: { 'corpus.example.com/kind': 'report' },
  });
  new KubeCronJob(stack, 'nightly', {
    namespace: apps,
    name: 'nightly-cleanup',
    cronSchedule: '@daily',
    containers: [{ name: 'cleanup', ...image('docker.io', 'library/busybox', '1.37.0'), command: ['sh', '-c', 'find /tmp -mtime +1 -delete'] }],
    vpaEnabled: false,
    suspend: true,
  });

  // ---- standalone Services: every type the library emits ----
  new KubeService(stack, 'svc-static-ip', {
    namespace: apps,
    name: 'api-internal',
    selector: api,
    ports: { http: { podPort: 8080, servicePort: 8080 }, grpc: { podPort: 9000 } },
    type: 'ClusterIP',
    serviceIp: '172.20.0.50',
    internalTrafficPolicy: 'Local',
    extraLabels: { 'corpus.example.com/svc': 'internal' },
  });
  new KubeService(stack, 'svc-headless', {
    namespace: data,
    name: 'postgres-peers',
    selector: postgres,
    ports: { postgres: { podPort: 5432 } },
    headlessEnabled: true,
  });
  new KubeService(stack, 'svc-node-port', {
    namespace: apps,
    name: 'api-nodeport',
    matchLabels: api.matchLabels,
    ports: { http: { podPort: 8080, servicePort: 30080 } },
    type: 'NodePort',
    externalTrafficPolicy: 'Local',
  });
  new KubeService(stack, 'svc-nlb', {
    namespace: apps,
    name: 'api-public',
    selector: api,
    ports: { https: { podPort: 8080, servicePort: 443 }, dns: { podPort: 5353, servicePort: 53, protocol: 'UDP' } },
    type: 'LoadBalancer',
    externalTrafficPolicy: 'Local',
    publicDomainNames: ['public.corpus.example.com', 'edge.corpus.example.com'],
    deregistrationDelaySeconds: 30,
    extraLabels: { 'corpus.example.com/exposure': 'internet' },
    extraAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
  });
  new KubeService(stack, 'svc-other-lb', {
    namespace: apps,
    name: 'api-metallb',
    selector: api,
    ports: { http: { podPort: 8080, servicePort: 80 } },
    type: 'LoadBalancer',
    loadBalancerClass: 'metallb.universe.tf/metallb',
    externalTrafficPolicy: 'Cluster',
  });

  new TerraformOutput(stack, 'api_service_name', { value: api.serviceName! });
  new TerraformOutput(stack, 'postgres_headless_service', { value: postgres.headlessServiceName });
  return stack;
}
