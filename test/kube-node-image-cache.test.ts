import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeNodeImageCache, registerWorkloadImages } from '../lib/constructs/kube-node-image-cache';
import { EnvironmentContext } from '../lib/core/context';
import { PropValidator } from '../lib/core/validation';
import { resolveContainer } from '../lib/k8s/container';
import { buildImageCacheModel, imageReference, imagesOfContainers, mergeCachedImages, resolveCacheImage, validateImageReference } from '../lib/k8s/image-cache';
import { registeredKinds } from '../lib/k8s/schema';
import { NGINX, newStack, synth } from './support/synth';
import { errorOf } from './support/errors';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function caches(out: ReturnType<typeof synth>) {
  return out.manifests.filter((m) => m.kind === 'ImageCache');
}

describe('KubeNodeImageCache defaults', () => {
  const { stack } = newStack();
  const cache = new KubeNodeImageCache(stack, 'cache', { images: [{ registry: 'docker.io', repository: 'library/busybox', tag: '1.36.1' }] });
  const out = synth(stack);

  test('one pinned ImageCache in node-image-cache, kubefledged.io/v1alpha2, annotated as pinned', () => {
    expect(caches(out)).toHaveLength(1);
    const ic = caches(out)[0];
    expect(ic.apiVersion).toBe('kubefledged.io/v1alpha2');
    expect(ic.metadata).toEqual({
      name: 'workload-images-test-pinned',
      namespace: 'node-image-cache',
      labels: { 'panfactum.com/module': 'kube_node_image_cache', 'app.kubernetes.io/managed-by': 'cdktf-golden-path' },
      annotations: { 'cdktf-golden-path/image-pin': 'true' },
    });
    expect(ic.spec).toEqual({ cacheSpec: [{ images: ['docker.io/library/busybox:1.36.1'] }] });
    expect(cache.namespaceName).toBe('node-image-cache');
    expect(cache.pinnedImages).toEqual(['docker.io/library/busybox:1.36.1']);
    expect(cache.prepulledImages).toEqual([]);
    expect(cache.prepulledImageCache).toBeUndefined();
  });

  test('applied server-side through kubernetes_manifest', () => {
    const r = Object.values(out.manifestResources).find((x: any) => x.manifest.kind === 'ImageCache') as any;
    expect(r.field_manager).toEqual({ name: 'cdktf-golden-path', force_conflicts: true });
  });

  test('the kind is registered schemaless with a reason', () => {
    const kind = registeredKinds().find((k) => k.kind === 'ImageCache');
    expect(kind?.apiVersion).toBe('kubefledged.io/v1alpha2');
    expect(JSON.stringify(kind)).toMatch(/kube-fledged/);
  });

  test('a stack without a cache emits no ImageCache even with workloads', () => {
    const s = newStack().stack;
    new KubeDeployment(s, 'api', { namespace: 'web', name: 'api', containers: [NGINX] });
    expect(caches(synth(s))).toHaveLength(0);
    expect(KubeNodeImageCache.of(s)).toBeUndefined();
  });
});

describe('KubeNodeImageCache props', () => {
  test('pinned vs prepulled: two objects; pinned wins; de-duplicated and sorted', () => {
    const { stack } = newStack();
    const cache = new KubeNodeImageCache(stack, 'cache', { name: 'apps', namespace: 'fledged', imagePullSecrets: ['ecr-pull'] });
    cache.addImages(
      { registry: 'docker.io', repository: 'library/redis', tag: '7.2', pinEnabled: false },
      { registry: 'docker.io', repository: 'library/alpine', tag: '3.20', pinEnabled: false },
      { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.1' },
      { registry: 'docker.io', repository: 'library/alpine', tag: '3.20', pinEnabled: false },
      { registry: 'docker.io', repository: 'library/skip', tag: '1', pinEnabled: false, prepullEnabled: false },
    );
    const out = synth(stack);
    const pinned = caches(out).find((c) => c.metadata.name === 'apps-pinned');
    const prepulled = caches(out).find((c) => c.metadata.name === 'apps-prepulled');
    expect(pinned.metadata.namespace).toBe('fledged');
    expect(pinned.spec).toEqual({ cacheSpec: [{ images: ['docker.io/library/nginx:1.27.1'] }], imagePullSecrets: [{ name: 'ecr-pull' }] });
    expect(prepulled.metadata.annotations).toEqual({ 'cdktf-golden-path/image-prepull': 'true' });
    expect(prepulled.spec.cacheSpec).toEqual([{ images: ['docker.io/library/alpine:3.20', 'docker.io/library/redis:7.2'] }]);
    expect(JSON.stringify(out.manifests)).not.toContain('library/skip');
  });

  test('an image first pre-pulled then pinned moves to the pinned cache; the empty prepulled object is removed', () => {
    const { stack } = newStack();
    const cache = new KubeNodeImageCache(stack, 'cache');
    cache.addImages({ registry: 'docker.io', repository: 'library/redis', tag: '7.2', pinEnabled: false });
    expect(cache.prepulledImageCache).toBeDefined();
    cache.addImages({ registry: 'docker.io', repository: 'library/redis', tag: '7.2' });
    const out = synth(stack);
    expect(caches(out).map((c) => c.metadata.name)).toEqual(['workload-images-test-pinned']);
    expect(cache.prepulledImageCache).toBeUndefined();
  });

  test('architecture groups become nodeSelector entries merged with the cache nodeSelector', () => {
    const { stack } = newStack();
    const cache = new KubeNodeImageCache(stack, 'cache', { nodeSelector: { 'panfactum.com/class': 'spot' } });
    cache.addImages(
      { registry: 'docker.io', repository: 'library/amd', tag: '1', armNodesEnabled: false },
      { registry: 'docker.io', repository: 'library/arm', tag: '1', amdNodesEnabled: false },
      { registry: 'docker.io', repository: 'library/both', tag: '1' },
    );
    const [ic] = caches(synth(stack));
    expect(ic.spec.cacheSpec).toEqual([
      { images: ['docker.io/library/both:1'], nodeSelector: { 'panfactum.com/class': 'spot' } },
      { images: ['docker.io/library/amd:1'], nodeSelector: { 'panfactum.com/class': 'spot', 'kubernetes.io/arch': 'amd64' } },
      { images: ['docker.io/library/arm:1'], nodeSelector: { 'panfactum.com/class': 'spot', 'kubernetes.io/arch': 'arm64' } },
    ]);
  });

  test('digests use @; a KubeNamespace orders the apply after it', () => {
    const { stack } = newStack();
    const ns = new KubeNamespace(stack, 'ns', { namespace: 'fledged' });
    new KubeNodeImageCache(stack, 'cache', { namespace: ns, images: [{ registry: 'ghcr.io', repository: 'org/tool', tag: DIGEST }] });
    const out = synth(stack);
    const r = Object.values(out.manifestResources).find((x: any) => x.manifest.kind === 'ImageCache') as any;
    expect(r.manifest.spec.cacheSpec[0].images).toEqual([`ghcr.io/org/tool@${DIGEST}`]);
    expect(r.depends_on).toEqual([expect.stringContaining('kubernetes_manifest.ns_Namespace')]);
  });

  test('token tags are accepted', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' });
    new KubeNodeImageCache(stack, 'cache', { images: [{ registry: 'docker.io', repository: 'library/app', tag: tag.stringValue }] });
    // Terraform picks the separator: a token may hold a digest (see test/hardening-tokens.test.ts).
    expect(caches(synth(stack))[0].spec.cacheSpec[0].images).toEqual(['docker.io/library/app${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}']);
  });
});

describe('workload images', () => {
  test('workloads declared before and after the cache register their images; flags are honoured', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'before', {
      namespace: 'web',
      name: 'before',
      containers: [NGINX, { ...NGINX, name: 'side', imageRepository: 'library/redis', imageTag: '7.2', imagePinEnabled: false }],
    });
    const cache = new KubeNodeImageCache(stack, 'cache');
    new KubeDeployment(stack, 'after', {
      namespace: 'web',
      name: 'after',
      containers: [
        { ...NGINX, imageRepository: 'library/alpine', imageTag: '3.20' },
        { ...NGINX, name: 'nocache', imageRepository: 'library/nocache', imageTag: '1', imagePinEnabled: false, imagePrepullEnabled: false },
      ],
    });
    new KubeDeployment(stack, 'dup', { namespace: 'web', name: 'dup', containers: [NGINX] });
    expect(cache.pinnedImages).toEqual(['docker.io/library/alpine:3.20', 'docker.io/library/nginx:1.27.1']);
    expect(cache.prepulledImages).toEqual(['docker.io/library/redis:7.2']);
    expect(KubeNodeImageCache.of(stack)).toBe(cache);
    const out = synth(stack);
    expect(caches(out).map((c) => c.metadata.name).sort()).toEqual(['workload-images-test-pinned', 'workload-images-test-prepulled']);
    expect(JSON.stringify(out.manifests.filter((m) => m.kind === 'ImageCache'))).not.toContain('nocache');
  });

  test('registerWorkloadImages keeps stacks apart', () => {
    const a = newStack().stack;
    const app = Testing.app();
    const b = new TerraformStack(app, 'other');
    const cache = new KubeNodeImageCache(a, 'cache');
    const c = resolveContainer(new PropValidator(undefined), 'containers[0]', NGINX);
    registerWorkloadImages(b, [c]);
    expect(cache.pinnedImages).toEqual([]);
    registerWorkloadImages(a, [c]);
    expect(cache.pinnedImages).toEqual(['docker.io/library/nginx:1.27.1']);
  });
});

describe('image cache model', () => {
  const v = new PropValidator(undefined);
  test('imageReference and imagesOfContainers', () => {
    expect(imageReference('docker.io', 'library/nginx', '1.27.1')).toBe('docker.io/library/nginx:1.27.1');
    expect(imageReference('docker.io', 'library/nginx', DIGEST)).toBe(`docker.io/library/nginx@${DIGEST}`);
    const pinOnly = resolveContainer(v, 'c', { ...NGINX, imagePrepullEnabled: false });
    expect(imagesOfContainers([pinOnly])).toEqual([{ image: 'docker.io/library/nginx:1.27.1', pin: true, prepull: false, architectures: ['amd64', 'arm64'] }]);
  });

  test('merge: an image cached on every architecture anywhere is cached everywhere', () => {
    const merged = mergeCachedImages([
      { image: 'r/a:1', pin: false, prepull: true, architectures: ['amd64'] },
      { image: 'r/a:1', pin: false, prepull: true, architectures: ['arm64'] },
    ]);
    expect([...merged.prepulled]).toEqual([['r/a:1', 'all']]);
  });

  test('resolveCacheImage defaults and the no-op case', () => {
    expect(resolveCacheImage(v, 'i', { registry: 'docker.io', repository: 'x', tag: '1' })).toEqual({ image: 'docker.io/x:1', pin: true, prepull: true, architectures: ['amd64', 'arm64'] });
    expect(resolveCacheImage(v, 'i', { registry: 'docker.io', repository: 'x', tag: '1', pinEnabled: false, prepullEnabled: false })).toBeUndefined();
  });

  test('no images: no objects', () => {
    expect(buildImageCacheModel(v, EnvironmentContext.of(newStack().stack), {}, [])).toEqual({ pinned: undefined, prepulled: undefined });
  });

  test.each(['docker.io/library/nginx:1.27.1', `ghcr.io/a/b@${DIGEST}`, 'localhost:5000/app:v1'])('valid reference %s', (ref) => {
    expect(validateImageReference(v, 'ref', ref)).toBe(ref);
  });
  test.each(['nginx', 'nginx:1.27', 'docker.io/Library/nginx:1', 'docker.io/library/nginx', 'docker.io/library/nginx@sha256:abc'])('invalid reference %s', (ref) => {
    expect(errorOf(() => validateImageReference(v, 'ref', ref)).field).toBe('ref');
  });
});

describe('KubeNodeImageCache errors', () => {
  const img = { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.1' };
  test.each<[string, Record<string, unknown>, string]>([
    ['registry with a path', { images: [{ ...img, registry: 'docker.io/library' }] }, 'images[0].registry'],
    ['registry with a scheme', { images: [{ ...img, registry: 'https://docker.io' }] }, 'images[0].registry'],
    ['upper-case repository', { images: [{ ...img, repository: 'Library/nginx' }] }, 'images[0].repository'],
    ['missing tag', { images: [{ ...img, tag: undefined }] }, 'images[0].tag'],
    ['bad tag', { images: [{ ...img, tag: 'a b' }] }, 'images[0].tag'],
    ['bad digest', { images: [{ ...img, tag: 'sha256:xyz' }] }, 'images[0].tag'],
    ['no architecture', { images: [{ ...img, armNodesEnabled: false, amdNodesEnabled: false }] }, 'images[0].armNodesEnabled/images[0].amdNodesEnabled'],
    ['bad namespace', { namespace: 'Node_Cache' }, 'namespace'],
    ['bad name', { name: 'a.b' }, 'name'],
    ['bad pull secret', { imagePullSecrets: ['Bad Secret'] }, 'imagePullSecrets[0]'],
    ['bad node selector', { nodeSelector: { 'bad key!': 'x' } }, 'nodeSelector["bad key!"]'],
    ['arch in node selector', { nodeSelector: { 'kubernetes.io/arch': 'amd64' } }, 'nodeSelector.kubernetes.io/arch'],
  ])('%s', (_name, props, field) => {
    const { stack } = newStack();
    const e = errorOf(() => new KubeNodeImageCache(stack, 'cache', props as any));
    expect(e.path).toBe('test/cache');
    expect(e.field).toBe(field);
    expect(e.fix.length).toBeGreaterThan(10);
  });

  test('a second cache in one stack', () => {
    const { stack } = newStack();
    new KubeNodeImageCache(stack, 'cache');
    const e = errorOf(() => new KubeNodeImageCache(stack, 'cache2'));
    expect(e.field).toBe('KubeNodeImageCache');
    expect(e.value).toBe('test/cache');
  });

  test('addImages numbers images across calls', () => {
    const { stack } = newStack();
    const cache = new KubeNodeImageCache(stack, 'cache', { images: [img] });
    expect(errorOf(() => cache.addImages({ ...img, tag: '' })).field).toBe('images[1].tag');
  });
});
