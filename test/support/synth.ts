import { App, TerraformStack, Testing } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { EnvironmentContext, EnvironmentContextProps } from '../../lib/core/context';

export interface SynthResult {
  readonly json: any;
  /** Every kubernetes_manifest body, in synth order. */
  readonly manifests: any[];
  /** The kubernetes_manifest resources keyed by logical id. */
  readonly manifestResources: Record<string, any>;
}

/** A plain stack with a Kubernetes provider, as a consumer would write it. */
export function newStack(context?: EnvironmentContextProps): { app: App; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new KubernetesProvider(stack, 'kubernetes', {});
  if (context) EnvironmentContext.set(stack, context);
  return { app, stack };
}

/** Synthesize with validations (schema checks included) and parse. */
export function synth(stack: TerraformStack): SynthResult {
  const json = JSON.parse(Testing.synth(stack, true));
  const manifestResources: Record<string, any> = json.resource?.kubernetes_manifest ?? {};
  return { json, manifestResources, manifests: Object.values(manifestResources).map((r: any) => r.manifest) };
}

/** The manifest of the given kind (and name, when several). */
export function manifest(result: SynthResult, kind: string, name?: string): any {
  const found = result.manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` ${name}` : ''}, found ${found.length}: ${result.manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  return found[0];
}

/** The resource (not just the manifest body) of the given kind. */
export function manifestResource(result: SynthResult, kind: string, name?: string): any {
  const found = Object.values(result.manifestResources).filter((r: any) => r.manifest.kind === kind && (name === undefined || r.manifest.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind} resource, found ${found.length}`);
  return found[0];
}

/** A minimal valid container. */
export const NGINX = {
  name: 'app',
  imageRegistry: 'docker.io',
  imageRepository: 'library/nginx',
  imageTag: '1.27.1',
} as const;
