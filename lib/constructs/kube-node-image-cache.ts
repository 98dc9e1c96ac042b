import { Annotations, Aspects, TerraformProvider, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { fitName, shortHash } from '../core/naming';
import { PropValidator } from '../core/validation';
import type { ResolvedContainer } from '../k8s/container';
import {
  CachedImage,
  IMAGE_CACHE_API_VERSION,
  IMAGE_CACHE_KIND,
  NodeImageCacheImage,
  NodeImageCacheProps,
  buildImageCacheModel,
  imagesOfContainers,
  mergeCachedImages,
  resolveCacheImage,
  resolveImageCacheProps,
} from '../k8s/image-cache';
import { registerSchemalessKind } from '../k8s/schema';
import { KubeManifest } from './kube-manifest';
import type { KubeNamespace } from './kube-namespace';
import { checkConstructProps } from './construct-props';

/** A namespace by name, or the KubeNamespace construct (same as the controllers' NamespaceRef). */
type NamespaceRef = string | KubeNamespace;
const namespaceName = (ns: NamespaceRef): string => (typeof ns === 'string' ? ns : ns.namespaceName);
const namespaceDependencies = (ns: NamespaceRef) => (typeof ns === 'string' ? [] : [ns.namespace.resource]);

registerSchemalessKind(
  IMAGE_CACHE_API_VERSION,
  IMAGE_CACHE_KIND,
  'kube-fledged publishes no OpenAPI model package; lib/k8s/image-cache.ts validates every image reference, the names and the node selector itself',
);

/**
 * Props of `KubeNodeImageCache`: the namespace and images to pre-pull onto nodes.
 *
 * @group Workloads
 */
export interface KubeNodeImageCacheProps extends Omit<NodeImageCacheProps, 'namespace' | 'name'> {
  /**
   * Base name of the ImageCache objects (`<name>-pinned`, `<name>-prepulled`). The default
   * names them after the stack, so the caches of two stacks that deploy to one cluster are
   * separate objects: neither apply overwrites the other's images, and destroying one stack
   * leaves the other's cache alone. Give a name only when a single stack of the cluster owns it.
   * @default - `workload-images-<stack path>` (see `defaultImageCacheName`)
   */
  readonly name?: string;
  /**
   * Namespace of the ImageCache objects, where the kube-fledged controller runs: a name or
   * the KubeNamespace construct (then the objects are applied after it).
   * @default "node-image-cache"
   */
  readonly namespace?: NamespaceRef;
  /** Images to cache besides the ones workloads register. @default [] */
  readonly images?: NodeImageCacheImage[];
  /** Kubernetes provider. @default - the stack's default kubernetes provider */
  readonly provider?: TerraformProvider;
}

interface StackImages {
  cache?: KubeNodeImageCache;
  /** Workload images registered before the stack's cache was created. */
  pending: CachedImage[];
  /** A synth-time check for a missing cache is registered / has warned. */
  warnOnSynth?: boolean;
  warned?: boolean;
}

const STACKS = new WeakMap<IConstruct, StackImages>();

function stackImages(scope: IConstruct): StackImages {
  const stack = TerraformStack.of(scope);
  let entry = STACKS.get(stack);
  if (!entry) {
    entry = { pending: [] };
    STACKS.set(stack, entry);
  }
  return entry;
}

/**
 * Register the images of a workload's containers with the stack's node image cache.
 * Every controller construct calls it (through emitWorkloadSupport) with its resolved
 * containers; containers with `imagePinEnabled` or `imagePrepullEnabled` (both true by
 * default) take part.
 *
 * Nothing is emitted unless the stack has a KubeNodeImageCache: the images are then
 * collected into it, whether the cache was created before or after the workload. A stack
 * without one emits no ImageCache objects, so installing kube-fledged stays a choice.
 */
export function registerWorkloadImages(scope: IConstruct, containers: readonly ResolvedContainer[]): void {
  const cluster = EnvironmentContext.of(scope).cluster;
  if (!cluster.imageCache) {
    // Without kube-fledged the switches default to off; asking for them explicitly is an error.
    containers.forEach((c, i) => {
      for (const k of ['imagePrepullEnabled', 'imagePinEnabled'] as const) {
        if (c.props[k] === true) {
          new PropValidator(scope).capability(`containers[${i}].${k}`, true, cluster, 'imageCache', 'kube-fledged, the node image cache (CRD imagecaches.kubefledged.io)', 'true', `remove ${k}`);
        }
      }
    });
    return;
  }
  const images = imagesOfContainers(containers);
  if (images.length === 0) return;
  const entry = stackImages(scope);
  if (entry.cache) {
    entry.cache.addCachedImages(images);
    return;
  }
  entry.pending.push(...images);
  if (!entry.warnOnSynth) {
    entry.warnOnSynth = true;
    const stack = TerraformStack.of(scope);
    // Seed 000 integrates workloads with the image cache implicitly: say so when the stack has none at synth.
    Aspects.of(stack).add({
      visit: (node: IConstruct) => {
        if (node !== stack || entry.cache || entry.pending.length === 0 || entry.warned) return;
        entry.warned = true;
        const names = [...new Set(entry.pending.map((img) => img.image))].sort();
        Annotations.of(stack).addWarning(
          `${names.length} container image(s) are marked for pre-pulling/pinning on nodes (imagePrepullEnabled/imagePinEnabled, on by default where the cluster runs kube-fledged) ` +
            `but stack ${stack.node.path} has no KubeNodeImageCache, so nothing caches them (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}). ` +
            `Add one (new KubeNodeImageCache(stack, 'image-cache')), turn the switches off on the containers, or declare imageCache: false in the cluster profile.`,
        );
      },
    });
  }
}

/**
 * The default base name of the ImageCache objects of the stack of `scope`:
 * `workload-images-<stack path>` in DNS-label form (`workload-images-production-us-east-2-app`),
 * with a hash of the path when the path had to be changed to fit (upper case, `_`, `/`) and cut
 * with a hash to at most 53 characters (the `-prepulled` suffix must still fit in 63). Stable
 * as long as the stack keeps its name; unique per stack of an app.
 */
export function defaultImageCacheName(scope: IConstruct): string {
  const path = TerraformStack.of(scope).node.path;
  const slug = path.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const exact = slug === path && slug !== '';
  return fitName(`workload-images-${slug || 'stack'}${exact ? '' : `-${shortHash([path], 6)}`}`, 53);
}

/**
 * The node image cache of a stack (Panfactum's kube_node_image_cache, implemented with
 * kube-fledged's `ImageCache`, kubefledged.io/v1alpha2): images are pulled onto the nodes
 * before pods need them, and kept there.
 *
 * One per stack. Workload constructs in the same stack add their containers' images
 * automatically (see `registerWorkloadImages`); `addImages` adds others. Pinned images go
 * into `<name>-pinned`, images that are only pre-pulled into `<name>-prepulled`; each object
 * is emitted once it has an image. The default `<name>` is the stack's
 * (`workload-images-<stack path>`), so two stacks that deploy to one cluster (two app stacks
 * of an environment) each own their objects instead of overwriting one shared object on every
 * apply. What each flag does is documented in lib/k8s/image-cache.ts. The kube-fledged
 * controller itself is installed separately (kube-fledged caches the images of every
 * ImageCache object in its namespace).
 *
 * @example
 * const cache = new KubeNodeImageCache(stack, 'image-cache', { imagePullSecrets: ['ecr-pull'] });
 * cache.addImages({ registry: 'docker.io', repository: 'library/busybox', tag: '1.36.1', pinEnabled: false });
 *
 * @group Workloads
 */
export class KubeNodeImageCache extends Construct {
  /** The stack's cache, or undefined when none was created. */
  public static of(scope: IConstruct): KubeNodeImageCache | undefined {
    return stackImages(scope).cache;
  }

  /** Namespace of the ImageCache objects. */
  public readonly namespaceName: string;
  /** Base name of the ImageCache objects. */
  public readonly name: string;
  private readonly props: KubeNodeImageCacheProps;
  private readonly cached: CachedImage[] = [];
  private readonly validator: PropValidator;
  private pinnedManifest?: KubeManifest;
  private prepulledManifest?: KubeManifest;
  private directCount = 0;

  constructor(scope: Construct, id: string, props: KubeNodeImageCacheProps = {}) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeNodeImageCache', props);
    this.validator = new PropValidator(this);
    this.props = props;
    const cluster = EnvironmentContext.of(this).cluster;
    if (!cluster.imageCache) {
      this.validator.capability('namespace', props.namespace ?? 'node-image-cache', cluster, 'imageCache', 'kube-fledged, the node image cache controller (CRD imagecaches.kubefledged.io; KubeNodeImageCacheController installs it)', 'true', 'remove the KubeNodeImageCache');
    }
    const entry = stackImages(this);
    if (entry.cache) {
      this.validator.fail('KubeNodeImageCache', entry.cache.node.path, `a stack has one node image cache; add images to the existing one (KubeNodeImageCache.of(scope)!.addImages(...)) instead of creating "${this.node.path}"`, 'already exists in this stack');
    }
    const resolved = resolveImageCacheProps(this.validator, { ...props, name: props.name ?? defaultImageCacheName(this), namespace: namespaceName(props.namespace ?? 'node-image-cache') });
    this.namespaceName = resolved.namespace;
    this.name = resolved.name;
    entry.cache = this;
    this.addImages(...(props.images ?? []));
    const pending = entry.pending.splice(0);
    this.addCachedImages(pending);
  }

  /** Add images directly (fields as Panfactum's kube_node_image_cache `images`). */
  public addImages(...images: NodeImageCacheImage[]): void {
    const resolved: CachedImage[] = [];
    for (const img of images) {
      const r = resolveCacheImage(this.validator, `images[${this.directCount}]`, img);
      this.directCount += 1;
      if (r) resolved.push(r);
    }
    this.addCachedImages(resolved);
  }

  /**
   * Add already validated images (used by registerWorkloadImages).
   *
   * @internal
   */
  public addCachedImages(images: readonly CachedImage[]): void {
    if (images.length === 0) return;
    this.cached.push(...images);
    const model = buildImageCacheModel(this.validator, EnvironmentContext.of(this), { ...this.props, name: this.name, namespace: this.namespaceName }, this.cached);
    const after = namespaceDependencies(this.props.namespace ?? 'node-image-cache');
    const sync = (id: 'Pinned' | 'Prepulled', current: KubeManifest | undefined, object: typeof model.pinned): KubeManifest | undefined => {
      if (!object) {
        // Every image of this category became pinned: the object would be empty, which kube-fledged refuses.
        if (current) this.node.tryRemoveChild(id);
        return undefined;
      }
      if (current) {
        Object.assign(current.object, object);
        return current;
      }
      return new KubeManifest(this, id, { object, provider: this.props.provider, dependsOn: after });
    };
    this.pinnedManifest = sync('Pinned', this.pinnedManifest, model.pinned);
    this.prepulledManifest = sync('Prepulled', this.prepulledManifest, model.prepulled);
  }

  /** The pinned images, sorted. */
  public get pinnedImages(): string[] {
    return [...mergeCachedImages(this.cached).pinned.keys()].sort();
  }

  /** The images that are pre-pulled but not pinned, sorted. */
  public get prepulledImages(): string[] {
    return [...mergeCachedImages(this.cached).prepulled.keys()].sort();
  }

  /** The `<name>-pinned` ImageCache, once it has an image. */
  public get pinnedImageCache(): KubeManifest | undefined {
    return this.pinnedManifest;
  }

  /** The `<name>-prepulled` ImageCache, once it has an image. */
  public get prepulledImageCache(): KubeManifest | undefined {
    return this.prepulledManifest;
  }
}
