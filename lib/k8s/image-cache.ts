import { ResolvedEnvironmentContext } from '../core/context';
import { AnnotationKeys, LabelKeys, moduleLabels } from '../core/labels';
import { PropValidator, isListToken, isToken } from '../core/validation';
import { imageReference, type ResolvedContainer } from './container';
import type { KubernetesObject } from './object';

/**
 * The node image cache, expressed as kube-fledged `ImageCache` objects
 * (kubefledged.io/v1alpha2).
 *
 * kube-fledged pulls every image listed in an ImageCache onto every node that matches
 * the entry's nodeSelector, and at each refresh (the controller's
 * `--image-cache-refresh-frequency`, 15 minutes by default) pulls again whatever is
 * missing: new nodes get the images and images removed by the kubelet's garbage
 * collector come back. It has no other mode, so the two container flags map to two
 * ImageCache objects that differ in what they promise and in how they may be managed:
 *
 * - `imagePinEnabled` puts the image into `<name>-pinned`. The image is kept on the nodes
 *   for as long as the cache exists: the refresh restores it after a garbage collection.
 *   (kube-fledged cannot stop the kubelet from collecting it between two refreshes; for a
 *   hard pin raise the kubelet's `imageGCHighThresholdPercent`.) Pinned wins: an image
 *   that is both pinned and pre-pulled is listed only here.
 * - `imagePrepullEnabled` (without pin) puts the image into `<name>-prepulled`: pulled onto
 *   every node, new ones included, before a pod needs it. It is a separate object so an
 *   operator can purge it (`kubefledged.io/purge-imagecache`) or let it go without
 *   touching the pinned images.
 * - Both flags false: the image is not cached.
 *
 * Each object carries the annotation `cdktf-golden-path/image-pin` or
 * `cdktf-golden-path/image-prepull` set to "true" so tooling can tell them apart.
 * Images are de-duplicated and sorted, so the output does not depend on the order in
 * which workloads were declared.
 */

export const IMAGE_CACHE_API_VERSION = 'kubefledged.io/v1alpha2';
export const IMAGE_CACHE_KIND = 'ImageCache';

/** Node architectures an image can be cached on. */
export type ImageArchitecture = 'amd64' | 'arm64';

/**
 * One image to cache (the element of Panfactum's kube_node_image_cache `images` input).
 *
 * @group Workloads
 */
export interface NodeImageCacheImage {
  /** Registry host, e.g. `docker.io` or `123456789012.dkr.ecr.us-east-2.amazonaws.com`. */
  readonly registry: string;
  /** Repository within the registry, e.g. `library/nginx`. */
  readonly repository: string;
  /**
   * Tag or `sha256:...` digest. Required: Panfactum defaults to "latest", but a moving tag
   * would keep a stale image on the nodes.
   */
  readonly tag: string;
  /** Pull the image onto every node (new nodes included) before a pod needs it. @default true */
  readonly prepullEnabled?: boolean;
  /** Keep the image on the nodes (re-pulled after garbage collection). @default true */
  readonly pinEnabled?: boolean;
  /** Cache the image on ARM64 nodes. @default true */
  readonly armNodesEnabled?: boolean;
  /** Cache the image on AMD64 nodes. @default true */
  readonly amdNodesEnabled?: boolean;
}

/** An image reference with its cache category, after validation. */
export interface CachedImage {
  /** Full reference: `registry/repository:tag` or `registry/repository@sha256:...`. */
  readonly image: string;
  readonly pin: boolean;
  readonly prepull: boolean;
  /** Architectures whose nodes get the image (both: every node). */
  readonly architectures: readonly ImageArchitecture[];
}

/** Inputs of the image cache objects. */
export interface NodeImageCacheProps {
  /** Namespace the ImageCache objects live in (where the kube-fledged controller runs). @default "node-image-cache" */
  readonly namespace?: string;
  /** Base name of the ImageCache objects (`<name>-pinned`, `<name>-prepulled`). @default "workload-images" */
  readonly name?: string;
  /** Names of image pull Secrets (in `namespace`) for private registries. @default [] */
  readonly imagePullSecrets?: string[];
  /** Only nodes with all these labels get the images. @default {} (every node) */
  readonly nodeSelector?: Record<string, string>;
}

/** The kube-fledged ImageCache object. */
export interface ImageCacheObject extends KubernetesObject {
  spec: {
    cacheSpec: Array<{ images: string[]; nodeSelector?: Record<string, string> }>;
    imagePullSecrets?: Array<{ name: string }>;
  };
}

/** What the image cache model produces: an object per non-empty category. */
export interface ImageCacheModel {
  readonly pinned?: ImageCacheObject;
  readonly prepulled?: ImageCacheObject;
}

const REGISTRY = /^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*(:\d{1,5})?$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A full reference as the container runtime accepts it. */
const REFERENCE = new RegExp(`^${REGISTRY.source.slice(1, -1)}/${REPOSITORY.source.slice(1, -1)}(:${TAG.source.slice(1, -1)}|@sha256:[a-f0-9]{64})$`);

export { imageReference };

/**
 * Check a full image reference (`registry/repository:tag` or `...@sha256:<64 hex>`). The
 * registry must be explicit: kube-fledged pulls exactly the string it is given.
 */
export function validateImageReference(v: PropValidator, field: string, reference: string): string {
  if (isToken(reference)) return reference;
  if (typeof reference !== 'string' || !REFERENCE.test(reference)) {
    v.fail(field, reference, 'use a full reference "registry/repository:tag" or "registry/repository@sha256:<64 hex>", e.g. "docker.io/library/nginx:1.27.1"', 'is not an image reference');
  }
  return reference;
}

/** Validate one directly given image and apply its defaults; undefined when neither pinned nor pre-pulled. */
export function resolveCacheImage(v: PropValidator, field: string, img: NodeImageCacheImage): CachedImage | undefined {
  const f = (name: string) => `${field}.${name}`;
  v.required(f('registry'), img.registry);
  v.required(f('repository'), img.repository);
  v.required(f('tag'), img.tag);
  if (!isToken(img.registry) && !REGISTRY.test(img.registry)) {
    v.fail(f('registry'), img.registry, 'give only the registry host (and port), e.g. "docker.io"; put the path in repository and the tag in tag', 'is not a registry host');
  }
  if (!isToken(img.repository) && !REPOSITORY.test(img.repository)) {
    v.fail(f('repository'), img.repository, 'use a lower-case repository path such as "library/nginx", without the registry or tag', 'is not an image repository');
  }
  if (!isToken(img.tag) && !TAG.test(img.tag) && !DIGEST.test(img.tag)) {
    v.fail(f('tag'), img.tag, 'use a tag of letters, digits, ".", "_" and "-" (at most 128) or a "sha256:<64 hex>" digest', 'is not an image tag');
  }
  // Each switch decides which ImageCache object (pinned, pre-pulled) and which node selector
  // the image joins; a boolean token would be read as true (found by the fuzz suite).
  const decides = 'it decides which ImageCache object and node architectures the image joins';
  const arm = v.knownAtSynth(f('armNodesEnabled'), img.armNodesEnabled ?? true, decides);
  const amd = v.knownAtSynth(f('amdNodesEnabled'), img.amdNodesEnabled ?? true, decides);
  if (!arm && !amd) {
    v.fail(`${f('armNodesEnabled')}/${f('amdNodesEnabled')}`, { armNodesEnabled: arm, amdNodesEnabled: amd }, 'enable at least one architecture, or remove the image', 'would cache the image nowhere');
  }
  const pin = v.knownAtSynth(f('pinEnabled'), img.pinEnabled ?? true, decides);
  const prepull = v.knownAtSynth(f('prepullEnabled'), img.prepullEnabled ?? true, decides);
  if (!pin && !prepull) return undefined;
  const architectures: ImageArchitecture[] = [];
  if (amd) architectures.push('amd64');
  if (arm) architectures.push('arm64');
  return { image: imageReference(img.registry, img.repository, img.tag), pin, prepull, architectures };
}

/**
 * The images of a workload's containers that are pinned or pre-pulled (the
 * `imagePinEnabled` / `imagePrepullEnabled` container props, both true by default).
 * Workload images are cached on every architecture the node pool offers.
 */
export function imagesOfContainers(containers: readonly ResolvedContainer[]): CachedImage[] {
  return containers
    .filter((c) => c.imagePinEnabled || c.imagePrepullEnabled)
    .map((c) => ({ image: c.image, pin: c.imagePinEnabled, prepull: c.imagePrepullEnabled, architectures: ['amd64', 'arm64'] as ImageArchitecture[] }));
}

type ArchKey = 'all' | ImageArchitecture;

/**
 * Merge images into categories: an image pinned anywhere is pinned; an image cached on
 * every architecture anywhere is cached on every architecture.
 */
export function mergeCachedImages(images: readonly CachedImage[]): { pinned: Map<string, ArchKey>; prepulled: Map<string, ArchKey> } {
  const byImage = new Map<string, { pin: boolean; arches: Set<ImageArchitecture> }>();
  for (const img of images) {
    const entry = byImage.get(img.image) ?? { pin: false, arches: new Set<ImageArchitecture>() };
    entry.pin = entry.pin || img.pin;
    img.architectures.forEach((a) => entry.arches.add(a));
    byImage.set(img.image, entry);
  }
  const pinned = new Map<string, ArchKey>();
  const prepulled = new Map<string, ArchKey>();
  for (const [image, { pin, arches }] of byImage) {
    const key: ArchKey = arches.size === 2 ? 'all' : [...arches][0];
    (pin ? pinned : prepulled).set(image, key);
  }
  return { pinned, prepulled };
}

/** Validate the cache-level props. Returns the namespace and base name with defaults applied. */
export function resolveImageCacheProps(v: PropValidator, props: NodeImageCacheProps): { namespace: string; name: string } {
  const namespace = v.dnsLabel('namespace', props.namespace ?? 'node-image-cache');
  const name = v.dnsLabel('name', props.name ?? 'workload-images', 53);
  // Each secret becomes an entry { name } of the ImageCache: a list token cannot be expanded at
  // synth (found by the fuzz suite: its placeholder was checked as a name); its elements may be tokens.
  if (isListToken(props.imagePullSecrets)) {
    v.knownAtSynth('imagePullSecrets', props.imagePullSecrets, 'each secret becomes an entry { name } of the ImageCache',
      'give the secret names as a list in code; each name in it may be a token ([secret.stringValue])');
  }
  (props.imagePullSecrets ?? []).forEach((s, i) => v.dnsSubdomain(`imagePullSecrets[${i}]`, s));
  v.labels('nodeSelector', props.nodeSelector);
  if (props.nodeSelector && LabelKeys.arch in props.nodeSelector) {
    v.fail(`nodeSelector.${LabelKeys.arch}`, props.nodeSelector[LabelKeys.arch], 'choose architectures per image with armNodesEnabled / amdNodesEnabled; the cache sets this label itself', 'is managed by the library');
  }
  return { namespace, name };
}

/**
 * Build the ImageCache objects for a set of images: one entry of `cacheSpec` per
 * architecture group (every node, AMD64 only, ARM64 only), images sorted.
 */
export function buildImageCacheModel(v: PropValidator, env: ResolvedEnvironmentContext, props: NodeImageCacheProps, images: readonly CachedImage[]): ImageCacheModel {
  const { namespace, name } = resolveImageCacheProps(v, props);
  images.forEach((img, i) => validateImageReference(v, `images[${i}]`, img.image));
  const { pinned, prepulled } = mergeCachedImages(images);
  const labels = moduleLabels(env, 'kube_node_image_cache');
  const build = (suffix: 'pinned' | 'prepulled', entries: Map<string, ArchKey>): ImageCacheObject | undefined => {
    if (entries.size === 0) return undefined;
    const cacheSpec: ImageCacheObject['spec']['cacheSpec'] = [];
    for (const arch of ['all', 'amd64', 'arm64'] as const) {
      const list = [...entries].filter(([, a]) => a === arch).map(([image]) => image).sort();
      if (list.length === 0) continue;
      const selector = { ...(props.nodeSelector ?? {}), ...(arch === 'all' ? {} : { [LabelKeys.arch]: arch }) };
      cacheSpec.push({ images: list, ...(Object.keys(selector).length > 0 ? { nodeSelector: selector } : {}) });
    }
    const secrets = props.imagePullSecrets ?? [];
    return {
      apiVersion: IMAGE_CACHE_API_VERSION,
      kind: IMAGE_CACHE_KIND,
      metadata: {
        name: `${name}-${suffix}`,
        namespace,
        labels,
        annotations: { [suffix === 'pinned' ? AnnotationKeys.imagePin : AnnotationKeys.imagePrepull]: 'true' },
      },
      spec: { cacheSpec, ...(secrets.length > 0 ? { imagePullSecrets: secrets.map((s) => ({ name: s })) } : {}) },
    };
  };
  return { pinned: build('pinned', pinned), prepulled: build('prepulled', prepulled) };
}
