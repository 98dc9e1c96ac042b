import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { EnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { PolicyDocument } from '../aws/policy-document';
import {
  VELERO_DEFAULT_EXCLUDED_RESOURCES, buildVeleroSchedule, validateBackupSchedule, veleroPolicyStatements,
} from '../k8s/backups';
import {
  ChartScheduling, ControllerIdentity, HELM_STANDARD_LABEL_KEYS, MemoryResources, buildControllerPlacement, chartSchedulingWithoutSpread,
  controllerResources, isSemver, validateChartVersion, validateControllerProps, withoutChartLabels,
} from '../k8s/maintenance';
import { registerSchemalessKind } from '../k8s/schema';
import { KubeManifest } from './kube-manifest';
import { KubeNamespace } from './kube-namespace';
import { KubeSaAuthAws, ROLE_ARN_ANNOTATION } from './kube-sa-auth-aws';
import { MaintenanceControllerConstructProps, installController } from './maintenance-support';
import { checkConstructProps } from './construct-props';
// AWS provider classes, loaded on first use (aws-classes.ts).
import { S3Bucket, S3BucketLifecycleConfiguration, S3BucketOwnershipControls, S3BucketPolicy, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA, S3BucketVersioningA } from './aws-classes';


registerSchemalessKind('velero.io/v1', 'Schedule',
  'no kubernetes-models package for the Velero CRDs is installed; buildVeleroSchedule and validateBackupSchedule check the fields emitted');

export const VELERO_CHART_REPOSITORY = 'https://vmware-tanzu.github.io/helm-charts';
export const VELERO_DEFAULT_HELM_VERSION = '9.1.3';
export const VELERO_DEFAULT_AWS_PLUGIN_VERSION = 'v1.12.0';
export const VELERO_SERVICE_ACCOUNT = 'velero';
/** Name of the backup storage location and volume snapshot location the chart creates. */
export const VELERO_LOCATION = 'default';

/**
 * The log level of the Velero server.
 *
 * @group Maintenance
 */
export type VeleroLogLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic';
const LOG_LEVELS: readonly VeleroLogLevel[] = ['debug', 'info', 'warning', 'error', 'fatal', 'panic'];
const BUCKET_PREFIX = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * Props of `KubeVelero`: the backup bucket, schedules, plugin versions and placement of Velero.
 *
 * @group Maintenance
 */
export interface KubeVeleroProps extends MaintenanceControllerConstructProps {
  /** Version of the `velero` chart (exact semver). @default "9.1.3" */
  readonly veleroHelmVersion?: string;
  /** Version (image tag) of velero-plugin-for-aws. @default "v1.12.0" */
  readonly awsPluginVersion?: string;
  /** Log level of the Velero server. @default "warning" */
  readonly logLevel?: VeleroLogLevel;
  /**
   * When backups are taken (cron, in the cluster's time zone, UTC on EKS).
   * @default "0 * * * *" (hourly, seed 001)
   */
  readonly backupSchedule?: string;
  /**
   * How long each scheduled backup (objects and EBS snapshots) is kept, as a Go duration. It
   * must be at least the schedule's interval. Full backups are expensive, so hourly backups are
   * kept 90 minutes: they are for disasters noticed at once; add your own Schedules for longer.
   * @default "1h30m0s"
   */
  readonly backupTtl?: string;
  /** Name of the Schedule object. @default "hourly" */
  readonly backupScheduleName?: string;
  /** Resources (`<plural>.<group>`) never backed up. @default cert-manager's challenges, orders and certificaterequests */
  readonly excludedResources?: string[];
  /**
   * Prefix of the backup bucket's name (Terraform adds a unique suffix); at most 37 characters.
   * @default "<cluster name>-backup-" ("velero-backup-" without a cluster name in the environment context)
   */
  readonly bucketNamePrefix?: string;
  /** Server-side encryption of the bucket: SSE-KMS ("aws:kms") or SSE-S3 ("AES256"). @default "aws:kms" */
  readonly bucketEncryption?: 'aws:kms' | 'AES256';
  /**
   * Customer-managed KMS key for SSE-KMS (Velero's role may then use it).
   * @default - the AWS-managed key aws/s3
   */
  readonly kmsKeyArn?: string;
  /** Days a deleted or overwritten backup object stays recoverable (noncurrent versions expire after). @default 7 */
  readonly noncurrentVersionExpirationDays?: number;
  /** CIDRs/IPs allowed to use Velero's AWS credentials (see KubeSaAuthAws.ipAllowList). @default [] */
  readonly awsIamIpAllowList?: string[];
  /**
   * Run Velero only on the (not autoscaled) controller nodes, which Karpenter never consolidates. Its PDB lets
   * one pod be evicted (maxUnavailable 1, seed 000) either way, so drains of those nodes are not blocked.
   * @default - true when the cluster profile declares the node class "controller" (panfactum: yes; eks: no)
   */
  readonly controllerNodesRequired?: boolean;
  /** AWS provider for the bucket and the IAM role. @default - the stack's default aws provider */
  readonly awsProvider?: TerraformProvider;
  /** Passed to KubeSaAuthAws. @default - looked up from EnvironmentContext clusterName */
  readonly eksClusterName?: string;
  /** Passed to KubeSaAuthAws. @default - none */
  readonly oidcIssuerUrl?: string;
  /** Passed to KubeSaAuthAws. @default - none */
  readonly oidcProviderArn?: string;
}

/**
 * Helm values of the `velero` chart that we set (the chart has no topologySpreadConstraints value).
 *
 * @group Maintenance
 */
export interface VeleroValues extends Omit<ChartScheduling, 'topologySpreadConstraints'> {
  podAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
  initContainers: Array<{ name: string; image: string; imagePullPolicy: 'IfNotPresent'; volumeMounts: Array<{ mountPath: string; name: string }> }>;
  upgradeCRDs: boolean;
  cleanUpCRDs: boolean;
  serviceAccount: { server: { create: boolean; name: string; annotations: Record<string, string> } };
  credentials: { useSecret: boolean };
  resources: MemoryResources;
  metrics: { enabled: boolean; serviceMonitor: { enabled: boolean } };
  deployNodeAgent: boolean;
  snapshotsEnabled: boolean;
  backupsEnabled: boolean;
  configuration: {
    backupStorageLocation: Array<{ name: string; provider: 'aws'; bucket: string; default: boolean; config: { region: string } }>;
    volumeSnapshotLocation: Array<{ name: string; provider: 'aws'; config: { region: string } }>;
    garbageCollectionFrequency: string;
    logFormat: 'json';
    logLevel: VeleroLogLevel;
    features: string;
    defaultVolumesToFsBackup: boolean;
  };
  schedules: Record<string, never>;
}

/**
 * Velero (Panfactum's kube_velero): backs up every Kubernetes object to an S3 bucket and
 * every PersistentVolume as an EBS snapshot, on a Schedule (hourly, kept 90 minutes), and
 * restores them with `velero create restore`. See docs/backups.md.
 *
 * The bucket is private (all four public-access blocks, ACLs disabled, TLS-only policy),
 * encrypted (SSE-KMS by default), versioned (noncurrent versions expire), and can never be
 * destroyed by Terraform (`force_destroy = false`, `prevent_destroy`). Velero authenticates
 * with IRSA (KubeSaAuthAws; trust pinned to `system:serviceaccount:<ns>:velero` and audience
 * sts.amazonaws.com) with only the EC2 snapshot calls and the object access to this bucket.
 *
 * Exclusion: Velero itself skips anything labelled `velero.io/exclude-from-backup: "true"`;
 * the Schedule also skips anything labelled `velero.io/exclude-from-backups: "true"`.
 *
 * Children: `Namespace`, `Release`, `PodDisruptionBudget`, `VerticalPodAutoscaler`, `Schedule`,
 * `Bucket`, `BucketPublicAccessBlock`, `BucketOwnership`, `BucketEncryption`, `BucketVersioning`,
 * `BucketLifecycle`, `BucketPolicy`, `IamRole` (KubeSaAuthAws).
 *
 * @group Maintenance
 */
export class KubeVelero extends Construct {
  public readonly namespaceName: string;
  public readonly values: VeleroValues;
  public readonly namespace: KubeNamespace;
  public readonly release: Release;
  public readonly podDisruptionBudget?: KubeManifest;
  public readonly verticalPodAutoscaler?: KubeManifest;
  public readonly schedule: KubeManifest;
  public readonly bucket: S3Bucket;
  public readonly iamRole: KubeSaAuthAws;
  /** Name and ARN of the backup bucket (tokens). */
  public readonly bucketName: string;
  public readonly bucketArn: string;

  constructor(scope: Construct, id: string, props: KubeVeleroProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeVelero', props);
    const v = new PropValidator(this);
    const { namespace, chartRepository } = validateControllerProps(v, props, { namespace: 'velero', chartRepository: VELERO_CHART_REPOSITORY });
    const chartVersion = validateChartVersion(v, 'veleroHelmVersion', props.veleroHelmVersion ?? VELERO_DEFAULT_HELM_VERSION);
    const pluginVersion = props.awsPluginVersion ?? VELERO_DEFAULT_AWS_PLUGIN_VERSION;
    if (!isToken(pluginVersion) && !isSemver(pluginVersion)) {
      v.fail('awsPluginVersion', pluginVersion, 'pin an exact image tag such as "v1.12.0"', 'is not a semantic version');
    }
    const logLevel = v.oneOf('logLevel', props.logLevel ?? 'warning', LOG_LEVELS);
    const schedule = props.backupSchedule ?? '0 * * * *';
    const ttl = props.backupTtl ?? '1h30m0s';
    validateBackupSchedule(v, schedule, ttl);
    const scheduleName = v.dnsSubdomain('backupScheduleName', props.backupScheduleName ?? 'hourly');
    const encryption = v.oneOf('bucketEncryption', props.bucketEncryption ?? 'aws:kms', ['aws:kms', 'AES256'] as const);
    if (props.kmsKeyArn !== undefined && !isToken(encryption) && encryption !== 'aws:kms') {
      v.fail('kmsKeyArn', props.kmsKeyArn, 'a KMS key needs bucketEncryption "aws:kms"; remove kmsKeyArn or switch to SSE-KMS', 'conflict');
    }
    const noncurrentDays = v.integer('noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays ?? 7, 1, 3650, 'use a whole number of days from 1 to 3650');
    const env = EnvironmentContext.of(this);
    const prefix = props.bucketNamePrefix ?? `${(env.clusterName ?? 'velero').toLowerCase().replace(/[^a-z0-9.-]/g, '-').slice(0, 30)}-backup-`;
    if (!isToken(prefix) && (prefix.length > 37 || !BUCKET_PREFIX.test(prefix))) {
      v.fail('bucketNamePrefix', prefix, 'use at most 37 lower-case letters, digits, \'-\' and \'.\', starting with a letter or digit', 'is not a bucket name prefix');
    }
    const aws = props.awsProvider;

    // ---- the backup bucket ----
    this.bucket = new S3Bucket(this, 'Bucket', {
      bucketPrefix: prefix,
      forceDestroy: false,
      lifecycle: { preventDestroy: true },
      provider: aws,
    });
    new S3BucketPublicAccessBlock(this, 'BucketPublicAccessBlock', {
      bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, provider: aws,
    });
    new S3BucketOwnershipControls(this, 'BucketOwnership', { bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' }, provider: aws });
    new S3BucketServerSideEncryptionConfigurationA(this, 'BucketEncryption', {
      bucket: this.bucket.id,
      rule: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: encryption, ...(props.kmsKeyArn ? { kmsMasterKeyId: props.kmsKeyArn } : {}) },
        bucketKeyEnabled: encryption === 'aws:kms',
      }],
      provider: aws,
    });
    const versioning = new S3BucketVersioningA(this, 'BucketVersioning', { bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' }, provider: aws });
    new S3BucketLifecycleConfiguration(this, 'BucketLifecycle', {
      bucket: this.bucket.id,
      rule: [
        { id: 'expire-noncurrent-versions', status: 'Enabled', filter: [{ prefix: '' }], noncurrentVersionExpiration: [{ noncurrentDays }] },
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{ prefix: '' }], abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }] },
      ],
      dependsOn: [versioning],
      provider: aws,
    });
    const tlsOnly = new PolicyDocument({
      kind: 'resource',
      statements: [{
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    });
    new S3BucketPolicy(this, 'BucketPolicy', { bucket: this.bucket.id, policy: tlsOnly.toJson(this, 'bucketPolicy'), provider: aws });
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;

    // ---- IRSA ----
    this.iamRole = new KubeSaAuthAws(this, 'IamRole', {
      serviceAccount: VELERO_SERVICE_ACCOUNT,
      serviceAccountNamespace: namespace,
      iamPolicyJson: new PolicyDocument({ statements: veleroPolicyStatements(this.bucket.arn, props.kmsKeyArn) }),
      annotateServiceAccount: false, // the chart creates the ServiceAccount with the annotation below
      allowPublicS3PresignedUrls: true, // `velero backup logs/describe` download through presigned URLs
      ipAllowList: props.awsIamIpAllowList,
      eksClusterName: props.eksClusterName,
      oidcIssuerUrl: props.oidcIssuerUrl,
      oidcProviderArn: props.oidcProviderArn,
      awsProvider: aws,
      kubernetesProvider: props.kubernetesProvider,
    });

    // ---- the controller ----
    const identity: ControllerIdentity = { module: 'kube_velero', namespace, name: 'velero' };
    const controllerRequired = v.knownAtSynth('controllerNodesRequired', props.controllerNodesRequired ?? env.cluster.nodeClasses.includes('controller'), 'it decides the scheduling of the release');
    const placement = buildControllerPlacement(v, env, identity, props, { controllerNodesRequired: controllerRequired, hostAntiAffinityRequired: true });
    const monitoring = props.monitoringEnabled ?? false;
    this.values = {
      podAnnotations: { 'karpenter.sh/do-not-disrupt': 'true' },
      // The pod template already has `name: velero` and the chart's standard labels.
      podLabels: withoutChartLabels(placement.podLabels, ['name', ...HELM_STANDARD_LABEL_KEYS]),
      initContainers: [{
        name: 'velero-plugin-for-aws',
        image: `docker.io/velero/velero-plugin-for-aws:${pluginVersion}`,
        imagePullPolicy: 'IfNotPresent',
        volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
      }],
      upgradeCRDs: true,
      cleanUpCRDs: false, // uninstalling must not delete the Backup objects
      serviceAccount: { server: { create: true, name: VELERO_SERVICE_ACCOUNT, annotations: { [ROLE_ARN_ANNOTATION]: this.iamRole.roleArn } } },
      credentials: { useSecret: false },
      resources: controllerResources(256, { cpuRequest: '100m', limitMb: 512 }),
      ...chartSchedulingWithoutSpread(placement),
      metrics: { enabled: monitoring, serviceMonitor: { enabled: monitoring } },
      deployNodeAgent: false,
      snapshotsEnabled: true,
      backupsEnabled: true,
      configuration: {
        backupStorageLocation: [{ name: VELERO_LOCATION, provider: 'aws', bucket: this.bucket.bucket, default: true, config: { region: this.bucket.region } }],
        volumeSnapshotLocation: [{ name: VELERO_LOCATION, provider: 'aws', config: { region: this.bucket.region } }],
        garbageCollectionFrequency: '5m',
        logFormat: 'json',
        logLevel,
        features: 'EnableCSI',
        defaultVolumesToFsBackup: false,
      },
      schedules: {}, // ours is a Schedule object below, so it is schema-checked and visible in the plan
    };
    const out = installController(this, { ...props, dependsOn: [...(props.dependsOn ?? []), this.iamRole.role] }, {
      identity, placement, chart: 'velero', chartRepository, chartVersion, values: this.values,
      // Panfactum's kube_velero sets 0 (never voluntarily disrupted); seed 000's default is 1 so routine maintenance can
      // evict it, and 0 would block every drain of its node (GP-REL-011). An interrupted backup is retried by the next run.
      pdbMaxUnavailable: 1,
      // Deployment: `velero.fullname` (release "velero" contains the chart name); the container is `velero`.
      vpa: { kind: 'Deployment', name: 'velero', containers: [{ name: 'velero', minimumMemoryMb: 256 }] },
    });
    this.schedule = new KubeManifest(this, 'Schedule', {
      object: buildVeleroSchedule(placement.objectLabels, {
        name: scheduleName,
        namespace,
        schedule,
        ttl,
        storageLocation: VELERO_LOCATION,
        volumeSnapshotLocation: VELERO_LOCATION,
        excludedResources: props.excludedResources ?? [...VELERO_DEFAULT_EXCLUDED_RESOURCES],
      }),
      provider: props.kubernetesProvider,
      dependsOn: [out.release],
    });
    this.namespaceName = namespace;
    this.namespace = out.namespace;
    this.release = out.release;
    this.podDisruptionBudget = out.podDisruptionBudget;
    this.verticalPodAutoscaler = out.verticalPodAutoscaler;
  }
}
