/**
 * Configuration and secrets (seed 004): ConfigMaps for non-sensitive settings, and
 * ExternalSecrets (external-secrets.io) that sync sensitive values from a secret manager
 * such as AWS SSM Parameter Store into a Kubernetes Secret, so no secret value lives in
 * code, Terraform state or plan output.
 */
import type { IExternalSecret as IExternalSecretV1beta1 } from '@kubernetes-models/external-secrets/external-secrets.io/v1beta1/ExternalSecret';
import { shortHash } from '../core/naming';
import { PropValidator, isToken } from '../core/validation';
import { keyPath } from '../core/paths';
import type { IObjectMeta, Named } from './types';

/**
 * The apiVersion of the ExternalSecrets the library emits. External Secrets Operator serves
 * `external-secrets.io/v1` from 0.16.2 on and stopped serving `v1beta1` in 0.17.0 (May 2025);
 * the ExternalSecret spec is the same in both for everything emitted here.
 */
export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';

/**
 * An `external-secrets.io/v1` ExternalSecret. @kubernetes-models/external-secrets 0.5.2 only
 * has the v1beta1 model; v1 has the same shape, so this is that model with the v1 apiVersion.
 */
export type IExternalSecret = Omit<IExternalSecretV1beta1, 'apiVersion'> & { apiVersion: typeof EXTERNAL_SECRET_API_VERSION };

/** Keys of ConfigMap and Secret data: letters, digits, '-', '_' and '.'. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** A Go duration as ESO's refreshInterval takes it ("1h", "15m", "1h30m", "0" = sync once). */
const GO_DURATION = /^(0|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;
/** The API server's limit on a ConfigMap's data. */
export const CONFIG_MAP_MAX_BYTES = 1024 * 1024;

function dataKey(v: PropValidator, field: string, key: string): void {
  if (isToken(key)) return;
  if (key.length > 253 || !DATA_KEY.test(key) || key === '.' || key === '..') {
    v.fail(field, key, 'use letters, digits, \'-\', \'_\' and \'.\' (at most 253 characters), e.g. "config.yaml" or "LOG_LEVEL"', 'is not a valid data key');
  }
}

/**
 * ConfigMap inputs.
 *
 * @group Workloads
 */
export interface ConfigMapProps {
  /** Namespace of the object. */
  readonly namespace: string;
  /** Name of the ConfigMap (with `immutable`, the base of the hashed name). */
  readonly name: string;
  /** UTF-8 entries. @default {} */
  readonly data?: Record<string, string>;
  /** Binary entries, base64-encoded. @default {} */
  readonly binaryData?: Record<string, string>;
  /**
   * Make the ConfigMap immutable (the API server rejects edits; kubelets stop watching it).
   * Its name then gets a hash of the content (`<name>-<10 hex>`), so a change creates a new
   * ConfigMap and rolls the pods that mount it by name instead of failing the apply.
   * @default false
   */
  readonly immutable?: boolean;
  /** Extra labels. @default {} */
  readonly extraLabels?: Record<string, string>;
  /** Extra annotations. @default {} */
  readonly extraAnnotations?: Record<string, string>;
}

/** A ConfigMap object (kubernetes-models' v1 ConfigMap shape). */
export interface ConfigMapObject {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: IObjectMeta & { name: string };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** Validate the inputs and build the ConfigMap. `labels` are the module labels. */
export function buildConfigMap(v: PropValidator, p: ConfigMapProps, labels: Record<string, string>): ConfigMapObject {
  v.required('namespace', p.namespace);
  v.required('name', p.name);
  v.dnsLabel('namespace', p.namespace);
  v.dnsSubdomain('name', p.name);
  const data = p.data ?? {};
  const binaryData = p.binaryData ?? {};
  if (!isToken(data)) {
    for (const [k, value] of Object.entries(data)) {
      dataKey(v, keyPath('data', k), k);
      if (typeof value !== 'string' && !isToken(value)) v.fail(keyPath('data', k), value, `ConfigMap values are strings; write ${JSON.stringify(String(value))}`, 'is not a string');
    }
  }
  if (!isToken(binaryData)) {
    for (const [k, value] of Object.entries(binaryData)) {
      dataKey(v, keyPath('binaryData', k), k);
      if (!isToken(value) && (typeof value !== 'string' || !BASE64.test(value))) v.fail(keyPath('binaryData', k), value, 'give the bytes base64-encoded, e.g. Buffer.from(bytes).toString("base64")', 'is not base64');
      if (!isToken(data) && k in data) v.fail(keyPath('binaryData', k), k, 'a key can be in data or binaryData, not both; rename one', 'is also a data key');
    }
  }
  if (!isToken(data) && !isToken(binaryData)) {
    const size = [...Object.entries(data), ...Object.entries(binaryData)].reduce((n, [k, value]) => n + Buffer.byteLength(k) + (isToken(value) ? 0 : Buffer.byteLength(value)), 0);
    if (size > CONFIG_MAP_MAX_BYTES) v.fail('data', `${size} bytes`, 'a ConfigMap holds at most 1 MiB; split it, or mount large files from an image or a volume', 'is too large');
  }
  v.labels('extraLabels', p.extraLabels);
  v.annotations('extraAnnotations', p.extraAnnotations);
  // It decides the ConfigMap's name (hashed) and whether it may change: a boolean token would be
  // read as true (found by the fuzz suite).
  const immutable = v.knownAtSynth('immutable', p.immutable ?? false, 'it decides the ConfigMap\'s name (with a content hash) and whether it can be edited');
  const name = immutable ? `${p.name}-${contentHash(data, binaryData)}` : p.name;
  if (immutable && !isToken(p.name) && name.length > 253) v.fail('name', p.name, 'shorten the name: an immutable ConfigMap\'s name gets an 11-character hash suffix', 'is too long');
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: p.namespace,
      labels: { ...labels, ...(p.extraLabels ?? {}) },
      ...(p.extraAnnotations && Object.keys(p.extraAnnotations).length > 0 ? { annotations: { ...p.extraAnnotations } } : {}),
    },
    ...(Object.keys(data).length > 0 ? { data: { ...data } } : {}),
    ...(Object.keys(binaryData).length > 0 ? { binaryData: { ...binaryData } } : {}),
    ...(immutable ? { immutable: true } : {}),
  };
}

/** 10 hex characters over the sorted entries (computed by Terraform when a value is a token). */
export function contentHash(data: Record<string, string>, binaryData: Record<string, string>): string {
  const entries = (m: Record<string, string>, tag: string) => Object.keys(m).sort().map((k) => `${tag}:${k}=${m[k]}`);
  return shortHash([...entries(data, 'd'), ...entries(binaryData, 'b')], 10);
}

/**
 * Where an ExternalSecret value comes from in the secret manager.
 *
 * @group Workloads
 */
export interface RemoteRef {
  /** Key (for AWS SSM Parameter Store, the parameter name, e.g. "/my-app/password"). */
  readonly key: string;
  /** A property of a JSON value. @default - the whole value */
  readonly property?: string;
  /** A version of the value. @default - the latest */
  readonly version?: string;
}

/**
 * One `dataFrom` source: extract every property of one JSON value, or find values by path/name/tags.
 *
 * @group Workloads
 */
export interface ExternalSecretDataFrom {
  /** Every key of the JSON value at `key` becomes a Secret key. */
  readonly extract?: RemoteRef;
  /** Every value matching becomes a Secret key. */
  readonly find?: { readonly path?: string; readonly name?: { readonly regexp: string }; readonly tags?: Record<string, string> };
}

/**
 * ExternalSecret inputs (seed 004).
 *
 * @group Workloads
 */
export interface ExternalSecretProps {
  /** Namespace of the object. */
  readonly namespace: string;
  /** Name of the ExternalSecret. */
  readonly name: string;
  /** The (Cluster)SecretStore to read from. kind @default "ClusterSecretStore" */
  readonly secretStoreRef: { readonly name: string; readonly kind?: 'SecretStore' | 'ClusterSecretStore' };
  /** How often values are re-read (Go duration; "0" reads once). @default "1h" */
  readonly refreshInterval?: string;
  /** The Kubernetes Secret created. @default - { name: the ExternalSecret's name, creationPolicy: "Owner" } */
  readonly target?: {
    /** @default - the ExternalSecret's name */
    readonly name?: string;
    /** Owner: the Secret is owned (and deleted) with the ExternalSecret. @default "Owner" */
    readonly creationPolicy?: 'Owner' | 'Orphan' | 'Merge' | 'None';
    /** What happens to the Secret when the remote values are gone. @default - ESO's ("Retain") */
    readonly deletionPolicy?: 'Delete' | 'Merge' | 'Retain';
    /** Make the Secret immutable. @default false */
    readonly immutable?: boolean;
    /** Shape the Secret: its type, extra metadata, templated data. @default - an Opaque Secret with the fetched keys */
    readonly template?: {
      readonly type?: string;
      readonly engineVersion?: 'v2';
      readonly metadata?: { readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
      readonly data?: Record<string, string>;
    };
  };
  /** Secret key -> remote value. @default {} (then dataFrom is required) */
  readonly data?: Record<string, RemoteRef>;
  /** Bulk sources. @default [] */
  readonly dataFrom?: ExternalSecretDataFrom[];
  /** Extra labels. @default {} */
  readonly extraLabels?: Record<string, string>;
  /** Extra annotations. @default {} */
  readonly extraAnnotations?: Record<string, string>;
}

function remoteRef(v: PropValidator, field: string, r: RemoteRef | undefined) {
  if (!r || typeof r !== 'object') v.fail(field, r, 'give { key: "/my-app/password" } (and optionally property and version)', 'is missing');
  v.required(`${field}.key`, r.key);
  return { key: r.key, ...(r.property !== undefined ? { property: r.property } : {}), ...(r.version !== undefined ? { version: r.version } : {}) };
}

/** Validate the inputs and build the external-secrets.io/v1 ExternalSecret. */
export function buildExternalSecret(v: PropValidator, p: ExternalSecretProps, labels: Record<string, string>): Named<IExternalSecret> {
  v.required('namespace', p.namespace);
  v.required('name', p.name);
  v.dnsLabel('namespace', p.namespace);
  v.dnsSubdomain('name', p.name);
  if (!p.secretStoreRef) v.fail('secretStoreRef', p.secretStoreRef, 'name the store, e.g. { name: "cluster-parameter-store" } (a ClusterSecretStore)', 'is missing');
  v.dnsSubdomain('secretStoreRef.name', p.secretStoreRef.name);
  const storeKind = v.oneOf('secretStoreRef.kind', p.secretStoreRef.kind ?? 'ClusterSecretStore', ['SecretStore', 'ClusterSecretStore'] as const);
  const refreshInterval = p.refreshInterval ?? '1h';
  if (!isToken(refreshInterval) && !GO_DURATION.test(refreshInterval)) v.fail('refreshInterval', refreshInterval, 'use a duration such as "1h", "15m" or "1h30m" ("0" syncs once)', 'is not a duration');
  const t = p.target ?? {};
  const targetName = t.name ?? p.name;
  if (t.name !== undefined) v.dnsSubdomain('target.name', t.name);
  const creationPolicy = v.oneOf('target.creationPolicy', t.creationPolicy ?? 'Owner', ['Owner', 'Orphan', 'Merge', 'None'] as const);
  if (t.deletionPolicy !== undefined) v.oneOf('target.deletionPolicy', t.deletionPolicy, ['Delete', 'Merge', 'Retain'] as const);
  // A creationPolicy only known at apply cannot conflict here (found by the fuzz suite).
  if (t.deletionPolicy === 'Delete' && !isToken(creationPolicy) && creationPolicy !== 'Owner' && creationPolicy !== 'Merge') {
    v.fail('target.deletionPolicy', t.deletionPolicy, 'deletionPolicy "Delete" needs creationPolicy "Owner" or "Merge"', 'conflicts with target.creationPolicy');
  }
  if (t.template?.metadata) {
    v.labels('target.template.metadata.labels', t.template.metadata.labels);
    v.annotations('target.template.metadata.annotations', t.template.metadata.annotations);
  }
  const data = Object.entries(p.data ?? {}).map(([secretKey, r]) => {
    dataKey(v, keyPath('data', secretKey), secretKey);
    return { secretKey, remoteRef: remoteRef(v, keyPath('data', secretKey), r) };
  });
  const dataFrom = (p.dataFrom ?? []).map((d, i) => {
    const f = `dataFrom[${i}]`;
    if (!!d.extract === !!d.find) v.fail(f, d, 'give exactly one of extract ({ key }) and find ({ path, name: { regexp }, tags })', 'needs one source');
    if (d.extract) return { extract: remoteRef(v, `${f}.extract`, d.extract) };
    const find = d.find!;
    if (find.path === undefined && find.name === undefined && find.tags === undefined) v.fail(`${f}.find`, find, 'give a path, a name regexp or tags to match', 'matches nothing');
    if (find.name && !isToken(find.name.regexp)) {
      try {
        new RegExp(find.name.regexp);
      } catch {
        v.fail(`${f}.find.name.regexp`, find.name.regexp, 'give a valid regular expression, e.g. "^my-app/"', 'is not a regular expression');
      }
    }
    return { find: { ...(find.path !== undefined ? { path: find.path } : {}), ...(find.name ? { name: { regexp: find.name.regexp } } : {}), ...(find.tags ? { tags: { ...find.tags } } : {}) } };
  });
  if (data.length === 0 && dataFrom.length === 0) v.fail('data', p.data, 'map at least one Secret key to a remote value, e.g. data: { password: { key: "/my-app/password" } }, or use dataFrom', 'is empty');
  v.labels('extraLabels', p.extraLabels);
  v.annotations('extraAnnotations', p.extraAnnotations);
  return {
    apiVersion: EXTERNAL_SECRET_API_VERSION,
    kind: 'ExternalSecret',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: { ...labels, ...(p.extraLabels ?? {}) },
      ...(p.extraAnnotations && Object.keys(p.extraAnnotations).length > 0 ? { annotations: { ...p.extraAnnotations } } : {}),
    },
    spec: {
      secretStoreRef: { name: p.secretStoreRef.name, kind: storeKind },
      refreshInterval,
      target: {
        name: targetName,
        creationPolicy,
        ...(t.deletionPolicy !== undefined ? { deletionPolicy: t.deletionPolicy } : {}),
        ...(t.immutable !== undefined ? { immutable: t.immutable } : {}),
        ...(t.template !== undefined ? { template: JSON.parse(JSON.stringify(t.template)) } : {}),
      },
      ...(data.length > 0 ? { data } : {}),
      ...(dataFrom.length > 0 ? { dataFrom } : {}),
    },
  } as Named<IExternalSecret>;
}
