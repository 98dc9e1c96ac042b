/**
 * Targets: KubeNamespace, KubeService, KubeScaledObject, KubeConfigMap, KubeExternalSecret,
 * KubeNetworkPolicy, KubePriorityClasses, KubeNodeImageCache, KubeManifest.
 */
import * as fc from 'fast-check';
import { KubeConfigMap } from '../../../lib/constructs/kube-config-map';
import { KubeDeployment } from '../../../lib/constructs/kube-deployment';
import { KubeExternalSecret } from '../../../lib/constructs/kube-external-secret';
import { KubeManifest } from '../../../lib/constructs/kube-manifest';
import { KubeNamespace } from '../../../lib/constructs/kube-namespace';
import { KubeNetworkPolicy } from '../../../lib/constructs/kube-network-policy';
import { KubeNodeImageCache } from '../../../lib/constructs/kube-node-image-cache';
import { KubePriorityClasses } from '../../../lib/constructs/kube-priority-classes';
import { KubeScaledObject } from '../../../lib/constructs/kube-scaled-object';
import { KubeService } from '../../../lib/constructs/kube-service';
import { KubeStatefulSet } from '../../../lib/constructs/kube-stateful-set';
import { FuzzRef } from '../model';
import { caseArbitrary, mapOf } from '../mutate';
import { FuzzTarget, RefBuilder } from '../run-case';
import { dns1035Label, dnsLabel, domainName, duration, freeText, labelKey, labels, portName, portNumber } from '../values';
import { context, namespaceRef, networkPeer } from './common';

const nonEmptyLabels = (max = 2) => labels(max).filter((l) => Object.keys(l).length > 0);
const stringList = (item: fc.Arbitrary<string>, max = 3, min = 0) => fc.array(item, { minLength: min, maxLength: max });
const group = fc.constantFrom('system:admins', 'corp:oncall', 'readers', 'team-a');

/** A workload to point at (KubeScaledObject, KubeNetworkPolicy). */
const workloadRefs: Record<string, RefBuilder> = {
  deployment: (env, args) =>
    new KubeDeployment(env.stack, env.id('target'), {
      namespace: String(args.namespace ?? 'web'),
      name: String(args.name ?? 'api'),
      containers: [{ name: 'app', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1', ports: { http: { port: 8080 } } }],
    }),
  statefulSet: (env, args) =>
    new KubeStatefulSet(env.stack, env.id('target'), {
      namespace: String(args.namespace ?? 'data'),
      name: String(args.name ?? 'db'),
      containers: [{ name: 'db', imageRegistry: 'docker.io', imageRepository: 'library/postgres', imageTag: '16.4', ports: { pg: { port: 5432 } } }],
    }),
};

const namespaceNetworkPolicy = fc.record(
  {
    denyByDefault: fc.constant(true),
    allowDns: fc.boolean(),
    allowSameNamespace: fc.boolean(),
    allowLinkerd: fc.boolean(),
    allowIngressController: fc.record({ namespace: dnsLabel(20), podLabels: nonEmptyLabels(1) }, { requiredKeys: [] }),
    allowedEgress: fc.array(networkPeer, { maxLength: 2 }),
    allowedIngress: fc.array(networkPeer, { maxLength: 2 }),
  },
  { requiredKeys: [] },
);

const namespaceProps = fc
  .record(
    {
      namespace: dnsLabel(30).filter((n) => n !== 'default' && !n.startsWith('kube-')),
      linkerdInject: fc.boolean(),
      adminGroups: stringList(group, 2),
      readerGroups: stringList(group, 2),
      loadbalancerEnabled: fc.boolean(),
      monitoringEnabled: fc.boolean(),
      podSecurityStandard: fc.constantFrom('privileged', 'baseline', 'restricted'),
      extraLabels: labels(2),
      networkPolicy: namespaceNetworkPolicy,
    },
    { requiredKeys: ['namespace'] },
  )
  .map((p) => {
    const order = ['privileged', 'baseline', 'restricted'];
    const enforce = order.indexOf((p.podSecurityStandard as string) ?? 'baseline');
    return { ...p, podSecurityAuditStandard: order[Math.min(2, enforce + 1)] };
  });

const servicePort = fc.record({ podPort: portNumber, servicePort: portNumber, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }, { requiredKeys: ['podPort'] });
const serviceProps = fc
  .record(
    {
      namespace: namespaceRef,
      name: dns1035Label(30),
      ports: mapOf(portName, servicePort, 3, 1),
      matchLabels: nonEmptyLabels(2),
      type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
      serviceIp: fc.constantFrom('172.20.0.50', '10.100.0.10'),
      headlessEnabled: fc.boolean(),
      internalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
      externalTrafficPolicy: fc.constantFrom('Cluster', 'Local'),
      loadBalancerClass: fc.constantFrom('service.k8s.aws/nlb', 'metallb.universe.tf/metallb'),
      publicDomainNames: fc.array(domainName, { maxLength: 2 }),
      deregistrationDelaySeconds: fc.integer({ min: 0, max: 3600 }),
      extraLabels: labels(2),
      extraAnnotations: mapOf(labelKey, freeText, 2),
      useSelector: fc.boolean(),
    },
    { requiredKeys: ['namespace', 'name', 'ports', 'matchLabels', 'useSelector'] },
  )
  .map((p) => {
    const out: Record<string, any> = { ...p };
    if (out.headlessEnabled) {
      delete out.serviceIp;
      out.type = 'ClusterIP';
    }
    if (out.type !== 'LoadBalancer') delete out.loadBalancerClass;
    if (out.type === 'ClusterIP') delete out.externalTrafficPolicy;
    if (!(out.type === 'LoadBalancer' && (out.loadBalancerClass ?? 'service.k8s.aws/nlb') === 'service.k8s.aws/nlb')) delete out.deregistrationDelaySeconds;
    // Service ports unique
    const seen = new Set<number>();
    for (const [k, port] of Object.entries<any>(out.ports)) {
      const sp = port.servicePort ?? port.podPort;
      if (seen.has(sp)) delete out.ports[k];
      seen.add(sp);
    }
    if (out.useSelector) {
      out.selector = { matchLabels: out.matchLabels };
      delete out.matchLabels;
    }
    delete out.useSelector;
    return out;
  });

const trigger = fc.oneof(
  fc.record({ type: fc.constant('aws-sqs-queue'), name: fc.constant('orders'), metadata: fc.record({ queueURL: fc.constant('https://sqs.us-east-2.amazonaws.com/123456789012/orders'), queueLength: fc.constantFrom('5', '50'), awsRegion: fc.constant('us-east-2') }), authenticationRef: fc.record({ name: dnsLabel(20), kind: fc.constantFrom('TriggerAuthentication', 'ClusterTriggerAuthentication') }, { requiredKeys: ['name'] }), useCachedMetrics: fc.boolean() }, { requiredKeys: ['type', 'metadata'] }),
  fc.record({ type: fc.constant('prometheus'), name: fc.constant('backlog'), metadata: fc.record({ serverAddress: fc.constant('http://prometheus.monitoring:9090'), query: fc.constantFrom('sum(queue_backlog{queue="orders"})', 'sum(rate(x[1m]))'), threshold: fc.constantFrom('100', '0.5') }), metricType: fc.constantFrom('AverageValue', 'Value') }, { requiredKeys: ['type', 'metadata'] }),
  fc.record({ type: fc.constant('cron'), name: fc.constant('hours'), metadata: fc.record({ timezone: fc.constant('America/New_York'), start: fc.constant('0 8 * * 1-5'), end: fc.constant('0 18 * * 1-5'), desiredReplicas: fc.constantFrom('4', '10') }) }, { requiredKeys: ['type', 'metadata'] }),
  fc.record({ type: fc.constantFrom('cpu', 'memory'), metricType: fc.constant('Utilization'), metadata: fc.record({ value: fc.constantFrom('60', '80') }) }),
);
const scalingRules = fc.record(
  {
    stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
    selectPolicy: fc.constantFrom('Max', 'Min'),
    policies: fc.array(fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 100 }), periodSeconds: fc.integer({ min: 1, max: 1800 }) }), { maxLength: 2 }),
  },
  { requiredKeys: [] },
);
const scaledObjectProps = fc
  .record(
    {
      target: fc.oneof(
        fc.tuple(dnsLabel(20), dnsLabel(20)).map(([namespace, name]) => new FuzzRef('deployment', { namespace, name })),
        fc.tuple(dnsLabel(20), dnsLabel(20)).map(([namespace, name]) => new FuzzRef('statefulSet', { namespace, name })),
      ),
      name: dnsLabel(30),
      triggers: fc.uniqueArray(trigger, { minLength: 1, maxLength: 3, selector: (t: any) => t.name ?? t.type }),
      pollingInterval: fc.integer({ min: 1, max: 600 }),
      cooldownPeriod: fc.integer({ min: 0, max: 3600 }),
      minReplicaCount: fc.integer({ min: 1, max: 5 }),
      extra: fc.integer({ min: 1, max: 50 }),
      idleReplicaCount: fc.constant(0),
      fallback: fc.record({ failureThreshold: fc.integer({ min: 1, max: 10 }), replicas: fc.integer({ min: 1, max: 20 }) }),
      horizontalPodAutoscalerConfig: fc.record({ name: dnsLabel(30), scaleUp: scalingRules, scaleDown: scalingRules }, { requiredKeys: [] }),
      restoreToOriginalReplicaCount: fc.boolean(),
    },
    { requiredKeys: ['target', 'triggers', 'extra'] },
  )
  .map(({ extra, ...p }: Record<string, any>) => {
    const out: Record<string, any> = { ...p, maxReplicaCount: (p.minReplicaCount ?? 1) + extra };
    if (out.triggers.some((t: any) => t.metricType === 'Utilization')) delete out.fallback;
    return out;
  });

const dataKey = fc.oneof(fc.constantFrom('config.yaml', 'LOG_LEVEL', 'nginx.conf', 'a-b_c.d'), fc.stringMatching(/^[-._a-zA-Z0-9]{1,20}$/).filter((k) => k !== '.' && k !== '..'));
const configMapProps = fc
  .record(
    {
      namespace: namespaceRef,
      name: fc.oneof(dnsLabel(40), domainName),
      data: mapOf(dataKey, freeText, 3),
      binaryData: mapOf(fc.constantFrom('favicon.ico', 'logo.png', 'blob'), fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b).toString('base64')), 1),
      immutable: fc.boolean(),
      extraLabels: labels(2),
      extraAnnotations: mapOf(labelKey, freeText, 2),
    },
    { requiredKeys: ['namespace', 'name'] },
  )
  .map((p: Record<string, any>) => {
    if (p.data && p.binaryData) for (const k of Object.keys(p.binaryData)) if (k in p.data) delete p.binaryData[k];
    return p;
  });

const remoteRef = fc.record({ key: fc.constantFrom('/app/db', '/corp/api/token', 'prod/secret'), property: fc.constantFrom('username', 'password', 'a.b'), version: fc.constantFrom('1', '3', 'AWSCURRENT') }, { requiredKeys: ['key'] });
const externalSecretProps = fc
  .record(
    {
      namespace: namespaceRef,
      name: dnsLabel(40),
      secretStoreRef: fc.record({ name: dnsLabel(30), kind: fc.constantFrom('SecretStore', 'ClusterSecretStore') }, { requiredKeys: ['name'] }),
      refreshInterval: fc.constantFrom('1h', '15m', '1h30m', '0', '30s'),
      target: fc.record(
        {
          name: dnsLabel(40),
          creationPolicy: fc.constantFrom('Owner', 'Merge'),
          deletionPolicy: fc.constantFrom('Delete', 'Merge', 'Retain'),
          immutable: fc.boolean(),
          template: fc.record(
            {
              type: fc.constantFrom('Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson'),
              engineVersion: fc.constant('v2'),
              metadata: fc.record({ labels: labels(1), annotations: mapOf(labelKey, freeText, 1) }, { requiredKeys: [] }),
              data: mapOf(dataKey, fc.constantFrom('postgres://{{ .username }}:{{ .password }}@db:5432/app', '{{ .token | b64dec }}', '${HOME}'), 2),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      data: mapOf(dataKey, remoteRef, 3, 1),
      dataFrom: fc.array(
        fc.oneof(
          fc.record({ extract: remoteRef }),
          fc.record({ find: fc.record({ path: fc.constantFrom('/corp/shared', '/app'), name: fc.record({ regexp: fc.constantFrom('^corp-.*', '.*', '[a-z]+') }), tags: labels(1) }, { requiredKeys: ['path'] }) }),
        ),
        { maxLength: 2 },
      ),
      extraLabels: labels(2),
      extraAnnotations: mapOf(labelKey, freeText, 2),
    },
    { requiredKeys: ['namespace', 'name', 'secretStoreRef', 'data'] },
  );

const networkPolicyProps = fc.record(
  {
    workload: fc.oneof(
      fc.record({ name: dnsLabel(30), namespaceName: dnsLabel(20), matchLabels: nonEmptyLabels(2), exposedPorts: fc.array(fc.record({ port: portNumber, protocol: fc.constantFrom('TCP', 'UDP') }, { requiredKeys: ['port'] }), { maxLength: 2 }) }, { requiredKeys: ['name', 'namespaceName', 'matchLabels'] }),
      fc.tuple(dnsLabel(20), dnsLabel(20)).map(([namespace, name]) => new FuzzRef('deployment', { namespace, name })),
    ),
    ports: fc.array(fc.record({ port: portNumber, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }, { requiredKeys: ['port'] }), { minLength: 1, maxLength: 2 }),
    allowedIngress: fc.array(networkPeer, { maxLength: 2 }),
    allowedEgress: fc.array(networkPeer, { maxLength: 2 }),
    allowIngressController: fc.record({ namespace: dnsLabel(20), podLabels: nonEmptyLabels(1) }, { requiredKeys: [] }),
    allowDns: fc.boolean(),
    allowLinkerd: fc.boolean(),
  },
  { requiredKeys: ['workload'] },
);

const priorityClassesProps = fc
  .record(
    {
      priorityClasses: mapOf(
        fc.oneof(fc.constantFrom('corp-default', 'batch', 'best-effort', 'a.b-c'), dnsLabel(30)).filter((n) => !n.startsWith('system-')),
        fc.record({ value: fc.integer({ min: -2147483648, max: 999999999 }), description: freeText, preemptionPolicy: fc.constantFrom('PreemptLowerPriority', 'Never'), globalDefault: fc.boolean() }, { requiredKeys: ['value'] }),
        3,
      ),
      panfactumClassesEnabled: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((p: Record<string, any>) => {
    // at most one global default; names distinct from the Panfactum classes
    let defaults = 0;
    for (const [k, c] of Object.entries<any>(p.priorityClasses ?? {})) {
      if (c.globalDefault && defaults++ > 0) p.priorityClasses[k] = { ...c, globalDefault: false };
      if (/^(cluster-important|workload-important|database|default)$/.test(k)) delete p.priorityClasses[k];
    }
    return p;
  });

const image = fc.record(
  {
    registry: fc.constantFrom('docker.io', 'ghcr.io', 'public.ecr.aws', '123456789012.dkr.ecr.us-east-2.amazonaws.com'),
    repository: fc.constantFrom('library/postgres', 'aws-cli/aws-cli', 'corp/tools'),
    tag: fc.constantFrom('16.4', '2.17.0', 'latest', `sha256:${'b'.repeat(64)}`),
    prepullEnabled: fc.boolean(),
    pinEnabled: fc.boolean(),
    armNodesEnabled: fc.boolean(),
    amdNodesEnabled: fc.boolean(),
  },
  { requiredKeys: ['registry', 'repository', 'tag'] },
).map((i: Record<string, any>) => (i.armNodesEnabled === false && i.amdNodesEnabled === false ? { ...i, amdNodesEnabled: true } : i));
const nodeImageCacheProps = fc.record(
  {
    namespace: namespaceRef,
    name: dnsLabel(40),
    imagePullSecrets: stringList(dnsLabel(20), 2),
    nodeSelector: labels(2),
    images: fc.array(image, { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** A raw object of a registered kind, as an app would hand KubeManifest. */
const rawObject = fc.oneof(
  fc.record({ name: dnsLabel(40), namespace: dnsLabel(20), labels: labels(2), data: mapOf(dataKey, freeText, 3) }).map(({ name, namespace, labels: l, data }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: l }, data })),
  fc.record({ name: dnsLabel(40), namespace: dnsLabel(20), annotations: mapOf(labelKey, freeText, 2) }).map(({ name, namespace, annotations }) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, annotations } })),
  fc.record({ name: dns1035Label(30), namespace: dnsLabel(20), port: portNumber, selector: nonEmptyLabels(2) }).map(({ name, namespace, port, selector }) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { selector, ports: [{ name: 'http', port, targetPort: port }] } })),
  fc.record({ name: dnsLabel(40), value: fc.integer({ min: -1000, max: 999999999 }), description: freeText }).map(({ name, value, description }) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description })),
);
const manifestProps = fc.record(
  {
    object: rawObject,
    waitForFields: mapOf(fc.constantFrom('status.phase', 'status.succeeded'), fc.constantFrom('Active', '1'), 1),
    timeouts: fc.record({ create: duration, update: duration, delete: duration }, { requiredKeys: [] }),
    computedFields: stringList(fc.constantFrom('metadata.labels', 'metadata.annotations', 'spec.clusterIP'), 2),
  },
  { requiredKeys: ['object'] },
);

export const PLATFORM_TARGETS: FuzzTarget[] = [
  { name: 'KubeNamespace', cases: caseArbitrary(namespaceProps, context), build: (scope, props, env) => new KubeNamespace(scope, env.id('subject'), props) },
  { name: 'KubeService', cases: caseArbitrary(serviceProps, context), build: (scope, props, env) => new KubeService(scope, env.id('subject'), props) },
  { name: 'KubeScaledObject', refs: workloadRefs, cases: caseArbitrary(scaledObjectProps, context), build: (scope, props, env) => new KubeScaledObject(scope, env.id('subject'), props) },
  { name: 'KubeConfigMap', cases: caseArbitrary(configMapProps, context), build: (scope, props, env) => new KubeConfigMap(scope, env.id('subject'), props) },
  { name: 'KubeExternalSecret', cases: caseArbitrary(externalSecretProps, context), build: (scope, props, env) => new KubeExternalSecret(scope, env.id('subject'), props) },
  { name: 'KubeNetworkPolicy', refs: workloadRefs, cases: caseArbitrary(networkPolicyProps, context), build: (scope, props, env) => new KubeNetworkPolicy(scope, env.id('subject'), props) },
  { name: 'KubePriorityClasses', cases: caseArbitrary(priorityClassesProps, context), build: (scope, props, env) => new KubePriorityClasses(scope, env.id('subject'), props) },
  { name: 'KubeNodeImageCache', cases: caseArbitrary(nodeImageCacheProps, context), build: (scope, props, env) => new KubeNodeImageCache(scope, env.id('subject'), props) },
  { name: 'KubeManifest', cases: caseArbitrary(manifestProps, context), build: (scope, props, env) => new KubeManifest(scope, env.id('subject'), props) },
];
