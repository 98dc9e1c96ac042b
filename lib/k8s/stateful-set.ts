import { HorizontalAutoscalingProps, IHorizontalPodAutoscaler, applyHorizontalAutoscaling } from './autoscaling';
import { Op, Token } from 'cdktf';
import { ResolvedEnvironmentContext } from '../core/context';
import { AnnotationKeys, backupExclusionLabels } from '../core/labels';
import { shortHash } from '../core/naming';
import { PropValidator, isToken } from '../core/validation';
import { keyPath } from '../core/paths';
import { MAX_EBS_VOLUME_GB, bytesQuantity, checkVolumeGb, describeMb } from '../core/units';
import { ServiceType, buildService } from './service';
import { WorkloadBase, WorkloadProps, controllerMetadata, buildPdb, buildVpa, buildWorkloadBase, reloaderAnnotations, vpaWanted } from './workload';
import { hasNodeClass } from './scheduling';
import type { IPersistentVolumeClaim, IPodDisruptionBudget, IService, IStatefulSet, IVerticalPodAutoscaler, Named } from './types';

/** Label that groups the claims of one volume of one StatefulSet (`<namespace>.<name>.<volume>`). */
export const PVC_GROUP_LABEL = 'panfactum.com/pvc-group';

/** Annotation on the StatefulSet holding the hash of its (immutable) volume claim templates. */
export const CLAIM_TEMPLATES_HASH_ANNOTATION = 'cdktf-golden-path/volume-claim-templates-hash';

/** PVC annotations read by the PVC autoresizer (topolvm/pvc-autoresizer). */
export const ResizeAnnotations = {
  storageLimit: 'resize.topolvm.io/storage_limit',
  increase: 'resize.topolvm.io/increase',
  threshold: 'resize.topolvm.io/threshold',
  initialResizeGroupBy: 'resize.topolvm.io/initial-resize-group-by',
} as const;

/**
 * Access mode of a StatefulSet volume claim.
 *
 * @group Workloads
 */
export type PvcAccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';
const ACCESS_MODES: readonly PvcAccessMode[] = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

/**
 * A persistent volume of every pod of a StatefulSet (Panfactum's `volume_mounts` value):
 * one PersistentVolumeClaim per pod, created from a claim template, kept across restarts
 * and rescheduling, grown automatically by the PVC autoresizer.
 *
 * AWS lets an EBS volume be resized only about once every six hours, so choose an
 * initial size and growth step that outpace the data growth of six hours.
 *
 * @group Workloads
 */
export interface StatefulVolumeMount {
  /** Where the volume is mounted in every container. */
  readonly mountPath: string;
  /** StorageClass of the claims (must allow expansion for autoresizing). @default - the cluster profile's `retainedStorageClass` (panfactum: "ebs-standard-retained"; eks: "gp3") */
  readonly storageClass?: string;
  /** Access modes of the claims. @default ["ReadWriteOnce"] */
  readonly accessModes?: PvcAccessMode[];
  /** Initial size of each claim in GB (GiB); at most 65536 (64 TiB, the largest gp3/io2 EBS volume). @default 1 */
  readonly initialSizeGb?: number;
  /** Size in GB (GiB) the autoresizer never grows a claim beyond; at most 65536 (64 TiB). @default - 10 x initialSizeGb */
  readonly sizeLimitGb?: number;
  /** Grow the claim when its free space falls below this percentage. @default 20 */
  readonly increaseThresholdPercent?: number;
  /** GB (GiB) added at each growth. @default 1 */
  readonly increaseGb?: number;
  /**
   * Include the claims in the cluster's Velero backups; false labels them out of every backup
   * (`backupExclusionLabels()`).
   * @default true
   */
  readonly backupsEnabled?: boolean;
}

/**
 * When the claims of a StatefulSet are deleted (persistentVolumeClaimRetentionPolicy).
 *
 * @group Workloads
 */
export interface VolumeRetentionPolicy {
  /** What happens to the claims when the StatefulSet is deleted. @default "Retain" */
  readonly whenDeleted?: 'Retain' | 'Delete';
  /** What happens to the claims of removed pods when the StatefulSet is scaled down. @default "Retain" */
  readonly whenScaled?: 'Retain' | 'Delete';
}

/**
 * Inputs of a StatefulSet (Panfactum's kube_stateful_set).
 *
 * @group Workloads
 */
export interface StatefulSetProps extends WorkloadProps {
  /** Desired number of pods (ignored with ignoreReplicaCount). @default 1 */
  readonly replicas?: number;
  /** Leave spec.replicas out so an autoscaler owns the replica count. @default false */
  readonly ignoreReplicaCount?: boolean;
  /** Update strategy: pods replaced one by one in reverse order, or only when deleted by hand. @default "RollingUpdate" */
  readonly updateType?: 'RollingUpdate' | 'OnDelete';
  /** Start and stop pods one at a time in order (OrderedReady) or all at once (Parallel). @default "OrderedReady" */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
  /**
   * Scale horizontally with an autoscaling/v2 HorizontalPodAutoscaler named after the
   * StatefulSet (seed 004); spec.replicas is then left out and the VPA keeps only the
   * resource the HPA does not scale on. Without a target the HPA scales on 70% CPU.
   * @default - no HPA
   */
  readonly horizontalAutoscaling?: HorizontalAutoscalingProps;
  /**
   * Persistent volumes keyed by name (the claim template's name, an RFC 1123 label). Each
   * pod gets its own claim `<volume>-<statefulset>-<ordinal>`.
   *
   * The claim templates carry the PVC autoresizer annotations
   * (`resize.topolvm.io/storage_limit`, `/increase`, `/threshold`,
   * `/initial-resize-group-by`), `velero.io/exclude-from-backups` and the
   * `panfactum.com/pvc-group` label. Panfactum stamps the annotations onto the claims with
   * a Kyverno policy (so they can change later); this library writes them on the templates
   * directly, which needs no Kyverno, but makes them part of the immutable claim templates:
   * see volumeClaimTemplatesHash.
   * @default {}
   */
  readonly volumeMounts?: Record<string, StatefulVolumeMount>;
  /** What happens to the claims on delete and scale-down. @default { whenDeleted: "Retain", whenScaled: "Retain" } (data is kept) */
  readonly volumeRetentionPolicy?: VolumeRetentionPolicy;
  /**
   * Pin of the claim templates. Kubernetes cannot change `volumeClaimTemplates` of an
   * existing StatefulSet (the API server rejects the update), so a change there would only
   * fail at apply, half-way through a deploy. The construct hashes the rendered claim
   * templates and stores the hash in the StatefulSet annotation
   * `cdktf-golden-path/volume-claim-templates-hash` (also exposed as
   * `volumeClaimTemplatesHash` on the construct). Set this prop to that value once the
   * StatefulSet exists: any later change to volumeMounts (size, class, access modes,
   * autoresize settings, backups) then fails at synth with a ValidationError that explains
   * how to migrate. Mount paths are not part of the claims and stay changeable.
   * @default - not pinned (no check)
   */
  readonly volumeClaimTemplatesHash?: string;
  /** Name of the regular Service created for exposed ports. @default - the StatefulSet's name */
  readonly serviceName?: string;
  /** Type of that Service. @default "ClusterIP" */
  readonly serviceType?: ServiceType;
  /** Static cluster IP of that Service. @default - assigned by Kubernetes */
  readonly serviceIp?: string;
  /** Load balancer class for a LoadBalancer Service. @default "service.k8s.aws/nlb" */
  readonly serviceLoadBalancerClass?: string;
  /** Public DNS names for the Service (external-dns). @default [] */
  readonly servicePublicDomainNames?: string[];
}

/** The objects of a StatefulSet workload. */
export interface StatefulSetModel extends WorkloadBase {
  readonly statefulSet: Named<IStatefulSet>;
  /** `<name>-headless`, always created (stable per-pod DNS names). */
  readonly headlessService: Named<IService>;
  /** The regular Service, when a container exposes a port. */
  readonly service?: Named<IService>;
  readonly pdb: Named<IPodDisruptionBudget>;
  readonly vpa?: Named<IVerticalPodAutoscaler>;
  readonly hpa?: Named<IHorizontalPodAutoscaler>;
  /** Hash of the claim templates; undefined when they hold deploy-time tokens. */
  readonly volumeClaimTemplatesHash?: string;
}

/**
 * kube_stateful_set's defaults (inventory 23.1 and seed 000): burstable tolerated, hard host
 * anti-affinity, instance-type anti-affinity at SLA 3, HARD zone spread (footnote 7: a
 * numbered pod stays in its zone, so a soft spread would leave a permanent imbalance) and
 * lifetime evictions disabled (restarting a database every few hours helps nobody).
 */
export function statefulSetDefaults(env: ResolvedEnvironmentContext, props: StatefulSetProps): StatefulSetProps {
  return {
    ...props,
    burstableNodesEnabled: props.burstableNodesEnabled ?? hasNodeClass(env.cluster, 'burstable'),
    instanceTypeAntiAffinityRequired: props.instanceTypeAntiAffinityRequired ?? env.slaTarget === 3,
    azSpreadPreferred: props.azSpreadPreferred ?? false,
    azSpreadRequired: props.azSpreadRequired ?? true,
    lifetimeEvictionsEnabled: props.lifetimeEvictionsEnabled ?? false,
  };
}

/** GiB as a canonical quantity ("1Gi", "1Ti"), or `"<token>Gi"`. */
export function gbQuantity(gb: number): string {
  if (Token.isUnresolved(gb)) return `${Token.asString(gb)}Gi`;
  return bytesQuantity(gb * 2 ** 30);
}

/** A number as text; a number token becomes its string token (interpolating it directly would print the encoded float). */
function numText(n: number): string {
  return Token.isUnresolved(n) ? Token.asString(n) : String(n);
}

/** Validate one volume and build its claim template. */
function buildClaimTemplate(v: PropValidator, env: ResolvedEnvironmentContext, namespace: string, name: string, key: string, m: StatefulVolumeMount): IPersistentVolumeClaim {
  const field = keyPath('volumeMounts', key);
  v.dnsLabel(field, key);
  v.required(`${field}.mountPath`, m.mountPath);
  v.absolutePath(`${field}.mountPath`, m.mountPath);
  const storageClass = v.dnsSubdomain(`${field}.storageClass`, m.storageClass ?? env.cluster.retainedStorageClass);
  const accessModes = m.accessModes ?? ['ReadWriteOnce'];
  v.nonEmpty(`${field}.accessModes`, accessModes, 'give at least one access mode, e.g. ["ReadWriteOnce"] (EBS volumes support only ReadWriteOnce/ReadWriteOncePod)');
  if (!isToken(accessModes)) accessModes.forEach((a, i) => v.oneOf(`${field}.accessModes[${i}]`, a, ACCESS_MODES));
  // Sizes are GB (GiB) of one EBS volume: at most 64 TiB (gp3 and io2); above it a unit mistake (MB) is named.
  const initial = checkVolumeGb(v, `${field}.initialSizeGb`, m.initialSizeGb ?? 1);
  const limit = m.sizeLimitGb ?? (isToken(initial) ? Token.asNumber(Op.mul(initial, 10)) : initial * 10);
  if (m.sizeLimitGb !== undefined) {
    v.integer(`${field}.sizeLimitGb`, m.sizeLimitGb, isToken(initial) ? 1 : initial, Number.MAX_SAFE_INTEGER, `use a whole number of GB from initialSizeGb (${initial}) to ${MAX_EBS_VOLUME_GB}`);
    checkVolumeGb(v, `${field}.sizeLimitGb`, m.sizeLimitGb);
  } else if (!isToken(initial) && limit > MAX_EBS_VOLUME_GB) {
    // Panfactum's default ceiling is 10 x the initial size; past 64 TiB the autoresizer could never reach it.
    v.fail(`${field}.initialSizeGb`, initial,
      `initialSizeGb is in GB: did you pass MB? (${initial} MB is ${Number((initial / 1024).toPrecision(3))} GB). For a volume this large set sizeLimitGb to at most ${MAX_EBS_VOLUME_GB}`,
      `${initial} GB is ${describeMb(initial * 1024)}, and its default autoresize ceiling (sizeLimitGb = 10 x initialSizeGb = ${describeMb(limit * 1024)}) is more than the largest EBS volume (64 TiB)`);
  }
  const threshold = v.integer(`${field}.increaseThresholdPercent`, m.increaseThresholdPercent ?? 20, 1, 99, 'use a whole percentage of free space from 1 to 99');
  const increase = checkVolumeGb(v, `${field}.increaseGb`, m.increaseGb ?? 1);
  // It decides the claim's backup labels: a boolean token would be read as true (found by the fuzz suite).
  const backups = v.knownAtSynth(`${field}.backupsEnabled`, m.backupsEnabled ?? true, 'it decides the backup labels of the claim');
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: key,
      labels: {
        [PVC_GROUP_LABEL]: `${namespace}.${name}.${key}`,
        // Velero reads these keys as labels; Panfactum writes an annotation (kept too).
        ...(backups ? {} : backupExclusionLabels()),
      },
      annotations: {
        [ResizeAnnotations.initialResizeGroupBy]: PVC_GROUP_LABEL,
        [ResizeAnnotations.storageLimit]: `${numText(limit)}Gi`,
        [ResizeAnnotations.increase]: `${numText(increase)}Gi`,
        [ResizeAnnotations.threshold]: `${numText(threshold)}%`,
        [AnnotationKeys.veleroExcludeFromBackups]: backups ? 'false' : 'true',
      },
    },
    spec: {
      storageClassName: storageClass,
      accessModes: [...accessModes],
      volumeMode: 'Filesystem',
      resources: { requests: { storage: gbQuantity(initial) } },
    },
  };
}

/** Short hash of the claim templates (undefined when they hold tokens: only known at apply). */
export function claimTemplatesHash(templates: IPersistentVolumeClaim[]): string | undefined {
  const text = JSON.stringify(templates);
  // Any token marker, list tokens (`#{TfToken[`) included: a list token of accessModes was hashed
  // as its placeholder text (found by the fuzz suite).
  if (Token.isUnresolved(text) || /[$#&]\{TfToken\[/.test(text) || templates.some((t) => isToken(JSON.stringify(t)))) return undefined;
  return shortHash([text], 12);
}

/** Validate a StatefulSet's props and build all its objects. */
export function buildStatefulSetModel(v: PropValidator, env: ResolvedEnvironmentContext, input: StatefulSetProps): StatefulSetModel {
  const props = statefulSetDefaults(env, input);
  const updateType = v.oneOf('updateType', props.updateType ?? 'RollingUpdate', ['RollingUpdate', 'OnDelete'] as const);
  const podManagementPolicy = v.oneOf('podManagementPolicy', props.podManagementPolicy ?? 'OrderedReady', ['OrderedReady', 'Parallel'] as const);
  if (props.replicas !== undefined) v.integer('replicas', props.replicas, 0, 100000, 'use a whole number of pods, 0 or more');
  if (props.ignoreReplicaCount && props.replicas !== undefined) {
    v.exclusive('ignoreReplicaCount', true, 'replicas', props.replicas, 'with ignoreReplicaCount an autoscaler owns the replica count; remove replicas');
  }
  const whenDeleted = v.oneOf('volumeRetentionPolicy.whenDeleted', props.volumeRetentionPolicy?.whenDeleted ?? 'Retain', ['Retain', 'Delete'] as const);
  const whenScaled = v.oneOf('volumeRetentionPolicy.whenScaled', props.volumeRetentionPolicy?.whenScaled ?? 'Retain', ['Retain', 'Delete'] as const);
  if (props.serviceName !== undefined) v.dnsLabel('serviceName', props.serviceName);
  const headlessName = `${props.name}-headless`;
  if (props.serviceName === headlessName) v.fail('serviceName', props.serviceName, `"${headlessName}" is the name of the StatefulSet's headless Service; choose another name`, 'is taken');

  const volumes = Object.entries(props.volumeMounts ?? {});
  const templates = volumes.map(([key, m]) => buildClaimTemplate(v, env, props.namespace, props.name, key, m));
  const base = buildWorkloadBase(
    v,
    env,
    {
      kind: 'StatefulSet',
      module: 'kube_stateful_set',
      restartPolicy: 'Always',
      extraVolumeMounts: Object.fromEntries(volumes.map(([key, m]) => [key, { mountPath: m.mountPath }])),
    },
    props,
  );
  for (const vol of base.pod.template.spec?.volumes ?? []) {
    if (props.volumeMounts?.[vol.name] !== undefined) v.fail(keyPath('volumeMounts', vol.name), vol.name, `the pod already has a volume named "${vol.name}" (a tmp directory or mount); rename the persistent volume`, 'is a duplicate volume name');
  }

  const hash = claimTemplatesHash(templates);
  if (props.volumeClaimTemplatesHash !== undefined && hash !== undefined && props.volumeClaimTemplatesHash !== hash) {
    v.fail(
      'volumeClaimTemplatesHash',
      props.volumeClaimTemplatesHash,
      `the claim templates now hash to "${hash}". Kubernetes cannot change the volumeClaimTemplates of an existing StatefulSet, so this apply would fail. ` +
        'Revert the change to volumeMounts, or migrate: (1) resize existing claims in place with `kubectl patch pvc` (a larger storage request works on expandable classes), ' +
        `then (2) \`kubectl delete statefulset ${props.name} -n ${props.namespace} --cascade=orphan\` (pods and claims stay) and apply with volumeClaimTemplatesHash: "${hash}" ` +
        '(the new StatefulSet adopts the pods and claims; new claims use the new templates); or deploy a new StatefulSet under a new name and move the data',
      'no longer matches the claim templates',
    );
  }

  const statefulSet: Named<IStatefulSet> = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: controllerMetadata(base, props, {
      ...reloaderAnnotations(env),
      ...(hash !== undefined && templates.length > 0 ? { [CLAIM_TEMPLATES_HASH_ANNOTATION]: hash } : {}),
    }),
    spec: {
      serviceName: headlessName,
      podManagementPolicy,
      ...(props.ignoreReplicaCount ? {} : { replicas: props.replicas ?? 1 }),
      updateStrategy: { type: updateType },
      persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled },
      selector: { matchLabels: { ...base.pod.matchLabels } },
      template: base.pod.template,
      ...(templates.length > 0 ? { volumeClaimTemplates: templates } : {}),
    },
  };

  const exposed = base.pod.exposedPorts;
  const ports = Object.fromEntries(exposed.map((p) => [p.name, { podPort: p.port, servicePort: p.servicePort, protocol: p.protocol }]));
  const headlessService = buildService(v, { namespace: props.namespace, name: headlessName, ports, matchLabels: base.pod.matchLabels, headlessEnabled: true }, base.objectLabels);
  const service =
    exposed.length > 0
      ? buildService(
          v,
          {
            namespace: props.namespace,
            name: props.serviceName ?? props.name,
            ports,
            matchLabels: base.pod.matchLabels,
            type: props.serviceType,
            serviceIp: props.serviceIp,
            loadBalancerClass: props.serviceLoadBalancerClass,
            publicDomainNames: props.servicePublicDomainNames,
          },
          base.objectLabels,
        )
      : undefined;
  if (!service) {
    const stray = props.serviceName ?? props.serviceType ?? props.serviceIp ?? props.servicePublicDomainNames;
    if (stray !== undefined) v.fail('serviceName/serviceType/serviceIp', stray, 'these configure the Service created for exposed container ports; add a port to a container (ports: { tcp: { port: 5432 } }) or remove them', 'has no effect');
  }
  const autoscaling = applyHorizontalAutoscaling(v, {
    workload: statefulSet,
    vpa: vpaWanted(v, env, props.vpaEnabled) ? buildVpa(base, props, { apiVersion: 'apps/v1', kind: 'StatefulSet' }, 'Auto') : undefined,
    labels: base.objectLabels,
    props,
  });
  return {
    ...base,
    statefulSet,
    headlessService,
    service,
    pdb: buildPdb(base, props),
    vpa: autoscaling.vpa,
    hpa: autoscaling.hpa,
    volumeClaimTemplatesHash: templates.length > 0 ? hash : undefined,
  };
}
