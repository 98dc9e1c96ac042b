/**
 * Pure model of the backup objects: the EBS VolumeSnapshotClass, Velero's Schedule and the
 * IAM permissions Velero needs. Used by KubeExternalSnapshotter and KubeVelero.
 */
import { LabelKeys } from '../core/labels';
import { PropValidator, isToken } from '../core/validation';
import type { PolicyStatement } from '../aws/policy-document';
import type { IObjectMeta } from './types';
import { cronIntervalSeconds, formatGoDuration, parseGoDuration, validateCron } from './maintenance';

/** The CSI driver of EBS volumes. */
export const EBS_CSI_DRIVER = 'ebs.csi.aws.com';
/** Label that tells Velero's CSI support which VolumeSnapshotClass to use for a driver. */
export const VELERO_CSI_SNAPSHOT_CLASS_LABEL = 'velero.io/csi-volumesnapshot-class';
/** Annotation that makes a VolumeSnapshotClass the default of its driver. */
export const DEFAULT_SNAPSHOT_CLASS_ANNOTATION = 'snapshot.storage.kubernetes.io/is-default-class';

/** A `snapshot.storage.k8s.io/v1` VolumeSnapshotClass (no model package is installed for it). */
export interface VolumeSnapshotClassObject {
  apiVersion: 'snapshot.storage.k8s.io/v1';
  kind: 'VolumeSnapshotClass';
  metadata: IObjectMeta & { name: string };
  driver: string;
  deletionPolicy: 'Retain' | 'Delete';
  parameters: Record<string, string>;
}

/** The VolumeSnapshotClass for EBS: labelled for Velero, default class, snapshots tagged with their Kubernetes names. */
export function buildVolumeSnapshotClass(
  v: PropValidator,
  labels: Record<string, string>,
  p: { name: string; deletionPolicy: 'Retain' | 'Delete'; isDefault: boolean },
): VolumeSnapshotClassObject {
  v.dnsSubdomain('volumeSnapshotClassName', p.name);
  v.oneOf('snapshotDeletionPolicy', p.deletionPolicy, ['Retain', 'Delete'] as const);
  return {
    apiVersion: 'snapshot.storage.k8s.io/v1',
    kind: 'VolumeSnapshotClass',
    metadata: {
      name: p.name,
      labels: { ...labels, [VELERO_CSI_SNAPSHOT_CLASS_LABEL]: 'true' },
      ...(p.isDefault ? { annotations: { [DEFAULT_SNAPSHOT_CLASS_ANNOTATION]: 'true' } } : {}),
    },
    driver: EBS_CSI_DRIVER,
    deletionPolicy: p.deletionPolicy,
    parameters: {
      tagSpecification_1: 'kubernetes.io/volumesnapshot/namespace={{ .VolumeSnapshotNamespace }}',
      tagSpecification_2: 'kubernetes.io/volumesnapshot/name={{ .VolumeSnapshotName }}',
      tagSpecification_3: 'kubernetes.io/volumesnapshotcontent/name={{ .VolumeSnapshotContentName }}',
    },
  };
}

/** Resources never worth backing up: cert-manager's transient ACME objects. */
export const VELERO_DEFAULT_EXCLUDED_RESOURCES: readonly string[] = [
  'challenges.acme.cert-manager.io',
  'orders.acme.cert-manager.io',
  'certificaterequests.cert-manager.io',
];

/** A `velero.io/v1` Schedule (no model package is installed for it). */
export interface VeleroScheduleObject {
  apiVersion: 'velero.io/v1';
  kind: 'Schedule';
  metadata: IObjectMeta & { name: string; namespace: string };
  spec: {
    schedule: string;
    useOwnerReferencesInBackup: boolean;
    template: {
      ttl: string;
      snapshotVolumes: boolean;
      includedNamespaces: string[];
      excludedResources: string[];
      storageLocation: string;
      volumeSnapshotLocations: string[];
      labelSelector: { matchExpressions: Array<{ key: string; operator: 'NotIn'; values: string[] }> };
    };
  };
}

export interface VeleroScheduleInputs {
  readonly name: string;
  readonly namespace: string;
  /** Cron schedule. */
  readonly schedule: string;
  /** Retention (Go duration). */
  readonly ttl: string;
  readonly storageLocation: string;
  readonly volumeSnapshotLocation: string;
  readonly excludedResources: readonly string[];
}

/**
 * Validate a backup schedule and its retention: the cron must parse, the ttl must be a Go
 * duration of at least a minute, and (for the simple cron shapes we can read: every N
 * minutes/hours, hourly, daily) the ttl must be at least the interval, or there would be
 * moments with no backup at all. Fields are named as the props (`backupSchedule`, `backupTtl`).
 */
export function validateBackupSchedule(v: PropValidator, schedule: string, ttl: string): void {
  validateCron(v, 'backupSchedule', schedule);
  if (isToken(ttl)) return;
  const ttlSeconds = parseGoDuration(ttl);
  if (ttlSeconds === undefined || ttlSeconds < 60) {
    v.fail('backupTtl', ttl, 'use a Go duration of at least one minute, such as "1h30m0s" or "720h"', 'is not a retention');
  }
  if (isToken(schedule)) return;
  const interval = cronIntervalSeconds(schedule);
  if (interval !== undefined && ttlSeconds < interval) {
    v.fail('backupTtl', ttl, `keep backups at least as long as the schedule interval (${formatGoDuration(interval)} for "${schedule}"); e.g. "${formatGoDuration(Math.round(interval * 1.5))}"`, 'is shorter than the interval between backups');
  }
}

/** The Schedule: snapshots volumes, skips resources labelled `velero.io/exclude-from-backups: "true"`. */
export function buildVeleroSchedule(labels: Record<string, string>, p: VeleroScheduleInputs): VeleroScheduleObject {
  return {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    metadata: { name: p.name, namespace: p.namespace, labels: { ...labels } },
    spec: {
      schedule: p.schedule,
      useOwnerReferencesInBackup: false,
      template: {
        ttl: p.ttl,
        snapshotVolumes: true,
        includedNamespaces: ['*'],
        excludedResources: [...p.excludedResources],
        storageLocation: p.storageLocation,
        volumeSnapshotLocations: [p.volumeSnapshotLocation],
        labelSelector: { matchExpressions: [{ key: LabelKeys.veleroExcludeFromBackups, operator: 'NotIn', values: ['true'] }] },
      },
    },
  };
}

/** EBS volumes and snapshots of any region and account (snapshot ARNs carry no account). */
const EBS_VOLUMES = 'arn:*:ec2:*:*:volume/*';
const EBS_SNAPSHOTS = 'arn:*:ec2:*::snapshot/*';

/**
 * Exactly what Velero and its AWS plugin need: EC2 volume/snapshot calls (EBS snapshot
 * backups and restores) and object access to the backup bucket only. The writes are scoped to
 * EBS volumes and snapshots (not every EC2 resource, GP-IAM-002); the plugin tags what it creates
 * in the create call itself (TagSpecifications), so CreateTags is allowed only there
 * (`ec2:CreateAction`). The Describe calls support no resource-level permissions ("*").
 */
export function veleroPolicyStatements(bucketArn: string, kmsKeyArn?: string): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    { Sid: 'EbsDescribe', Effect: 'Allow', Action: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'], Resource: '*' },
    { Sid: 'EbsSnapshots', Effect: 'Allow', Action: ['ec2:CreateSnapshot', 'ec2:CreateVolume'], Resource: [EBS_VOLUMES, EBS_SNAPSHOTS] },
    { Sid: 'EbsSnapshotCleanup', Effect: 'Allow', Action: 'ec2:DeleteSnapshot', Resource: EBS_SNAPSHOTS },
    {
      Sid: 'EbsTagOnCreate',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: [EBS_VOLUMES, EBS_SNAPSHOTS],
      Condition: { StringEquals: { 'ec2:CreateAction': ['CreateSnapshot', 'CreateVolume'] } },
    },
    {
      Sid: 'BackupObjects',
      Effect: 'Allow',
      Action: ['s3:GetObject', 's3:DeleteObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      Resource: `${bucketArn}/*`,
    },
    { Sid: 'BackupBucket', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
  ];
  if (kmsKeyArn) {
    statements.push({ Sid: 'BackupEncryptionKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: kmsKeyArn });
  }
  return statements;
}
