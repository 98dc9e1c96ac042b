/**
 * The migration plan of a converted Panfactum tree: for each module directory, the addresses
 * in its old (Panfactum) state, the addresses in the new stack, which live objects the new stack
 * takes over (same kind and same name), and the commands, in order.
 *
 * What is known and what is not:
 * - old addresses come from the Panfactum module's HCL (panfactum-state.ts), with its `count`
 *   conditions evaluated on the module's inputs; `for_each` keys computed inside the module
 *   (kube_ingress) and the names of objects Panfactum names at random (`random_id` hex:
 *   ServiceAccounts, `name_prefix` IAM roles) are only in the old state: the plan says so;
 * - new addresses and the import ids of Kubernetes objects come from the constructs (exact);
 * - an object is adopted (imported into the new state) only when the old module's object of the
 *   same kind has a name computable from the inputs and equal to the new one; everything else is
 *   created by the new stack, and the old object is deleted by hand once nothing uses it.
 *
 * The commands follow docs/migration.md: import and apply the new stack first, then remove every
 * resource of the module from its old state (never `terragrunt destroy`), then delete leftovers.
 */
import * as path from 'path';
import { TerraformResource, Token } from 'cdktf';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import type { PanfactumConversion } from './build';
import { PANFACTUM_MODULE_FACTS, PANFACTUM_STATE_KEY } from './panfactum-state';

/** One resource of the new stack that belongs to a converted module. */
export interface NewResource {
  /** Address in the synthesized stack (`kubernetes_manifest.kube_deployment_deployment_1A2B3C4D`). */
  readonly address: string;
  /** Kubernetes kind, or the resource type for other resources. */
  readonly object: string;
  /** `namespace/name` or `name` of a Kubernetes object, when known at synth. */
  readonly name?: string;
  /** The id `terraform import` takes, when known at synth. */
  readonly importId?: string;
  /** The old address whose live object it takes over (then it is imported, not created). */
  readonly adopts?: string;
  /** What only the old state can tell. */
  readonly note?: string;
}

/** One resource of a module directory's old state. */
export interface OldStateResource {
  readonly address: string;
  readonly object: string;
  /** The live object's name when the module computes it from its inputs. */
  readonly name?: string;
  /** The new address that takes over its live object (then it is removed from the old state). */
  readonly adoptedBy?: string;
  /** Something the old state alone tells (computed for_each keys). */
  readonly note?: string;
}

/** The plan of one module directory. */
export interface ModuleMigration {
  /** The module directory, as displayed. */
  readonly directory: string;
  readonly module: string;
  /** The stack it was converted into. */
  readonly stack: string;
  /** `s3://bucket/key` of the old state, or the key pattern when the bucket or repo_name is unknown. */
  readonly oldState: string;
  readonly oldResources: readonly OldStateResource[];
  readonly newResources: readonly NewResource[];
  /** The commands, in order (shell lines; `#` lines are explanations). */
  readonly commands: readonly string[];
}

/**
 * The migration plan of every converted module (call after the stacks are complete; it
 * does not synthesize).
 *
 * @param conversion what {@link convertPanfactumTree} returned
 * @param outdir the synth output directory, for the `terraform import` working directory
 */
export function migrationPlan(conversion: PanfactumConversion, outdir = 'cdktf.out'): ModuleMigration[] {
  const plans: ModuleMigration[] = [];
  for (const s of conversion.stacks) {
    for (const m of s.modules) {
      const facts = PANFACTUM_MODULE_FACTS[m.module];
      const olds = facts.resources
        .filter((r) => r.when === undefined || r.when(m.inputs))
        .map((r) => ({ ...r, resolvedName: r.name?.(m.inputs) }));
      const manifests = new Map<TerraformResource, KubeManifest>();
      for (const c of m.construct.node.findAll()) if (c instanceof KubeManifest) manifests.set(c.resource, c);
      const taken = new Set<string>();
      const newResources: NewResource[] = [];
      for (const c of m.construct.node.findAll()) {
        if (!(c instanceof TerraformResource)) continue;
        const address = `${c.terraformResourceType}.${c.friendlyUniqueId}`;
        const km = manifests.get(c);
        if (!km) {
          newResources.push({ address, object: c.terraformResourceType });
          continue;
        }
        const o = km.object;
        const name = typeof o.metadata.name === 'string' && !Token.isUnresolved(o.metadata.name) ? o.metadata.name : undefined;
        const ns = typeof o.metadata.namespace === 'string' && !Token.isUnresolved(o.metadata.namespace) ? o.metadata.namespace : undefined;
        const known = name !== undefined && (o.metadata.namespace === undefined || ns !== undefined);
        const importId = known ? `apiVersion=${o.apiVersion},kind=${o.kind},${ns ? `namespace=${ns},` : ''}name=${name}` : undefined;
        const match = olds.find((r) => !taken.has(r.address) && r.object === o.kind && r.resolvedName !== undefined && r.resolvedName === name);
        if (match) taken.add(match.address);
        newResources.push({
          address,
          object: o.kind,
          ...(name ? { name: ns ? `${ns}/${name}` : name } : {}),
          ...(importId ? { importId } : {}),
          ...(match ? { adopts: match.address } : {}),
        });
      }
      // a new object of a kind the old module also had, under a name the old state alone knows
      for (let i = 0; i < newResources.length; i++) {
        const n = newResources[i];
        if (n.adopts) continue;
        const twin = olds.find((r) => !taken.has(r.address) && r.object === n.object && r.resolvedName === undefined);
        if (twin) newResources[i] = { ...n, note: `${twin.address} has a random or computed name: if terragrunt state show there shows ${n.name ?? 'this name'}, import it instead of creating it` };
      }
      const oldResources: OldStateResource[] = olds.map((r) => {
        const by = newResources.find((n) => n.adopts === r.address);
        return {
          address: r.address,
          object: r.object,
          ...(r.resolvedName ? { name: r.resolvedName } : {}),
          ...(by ? { adoptedBy: by.address } : {}),
          ...(r.keysComputed ? { note: `the key is computed inside the module: list it with terragrunt state list in ${m.directory}` } : {}),
        };
      });
      const state = s.region.tfState;
      const oldState = m.oldStateKey && state ? `s3://${state.bucket}/${m.oldStateKey}` : `${state ? `s3://${state.bucket}/` : ''}${m.oldStateKey ?? PANFACTUM_STATE_KEY}`;
      const stackDir = path.posix.join(outdir, 'stacks', s.name);
      const q = (x: string): string => `'${x.replace(/'/g, `'\\''`)}'`;
      const commands: string[] = [];
      const adopted = oldResources.filter((r) => r.adoptedBy).map((r) => newResources.find((n) => n.address === r.adoptedBy)!);
      const created = newResources.filter((n) => !n.adopts);
      const leftover = oldResources.filter((r) => !r.adoptedBy && r.object !== 'random_id');
      let step = 0;
      const adoptedManifests = adopted.filter((n) => n.address.startsWith('kubernetes_manifest.'));
      const typed = adopted.filter((n) => !n.address.startsWith('kubernetes_manifest.'));
      if (adoptedManifests.length > 0) {
        // A plain `terraform import` of a kubernetes_manifest breaks its first update (the provider
        // merges the live object into the plan by position): adoption goes through `adopt` in two applies.
        commands.push(`# ${++step}. adopt the live Kubernetes objects in two applies (docs/migration.md, "The cdktf-golden-path adopt command"): synthesize with adoption (adopt_existing: true), which writes these import blocks`);
        commands.push(...adoptedManifests.map((n) => `#    import { to = ${n.address}  id = "${n.importId}" }`));
        commands.push('npx cdktf synth');
        commands.push(`npx cdktf-golden-path adopt --stack ${s.name}`);
        commands.push(`(cd ${stackDir} && terraform init && terraform plan -out=import.plan && terraform apply import.plan)`);
        commands.push(`npx cdktf-golden-path adopt --stack ${s.name} --after-import`);
        commands.push('npx cdktf synth');
      }
      if (typed.length > 0) {
        commands.push(`# ${++step}. import the other resources the new stack takes over (or synthesize with adoption, which writes these as import blocks)`);
        for (const n of typed) commands.push(`(cd ${stackDir} && terraform init && terraform import ${q(n.address)} ${q(n.importId!)})`);
      }
      commands.push(`# ${++step}. plan and apply the new stack: ${adopted.length} ${adoptedManifests.length > 0 ? 'adopted' : 'to import'}, ${created.length} to add, 0 to destroy (stop on any replacement)`);
      commands.push(`npx cdktf deploy ${s.name}`);
      if (leftover.length > 0) {
        commands.push(`# ${++step}. note the live names of what is not adopted, to delete once nothing uses it (step ${step + 2})`);
        for (const r of leftover) commands.push(`(cd ${m.directory} && terragrunt state show ${q(r.address)})`);
      }
      commands.push(`# ${++step}. take every resource of the module out of its old state; never terragrunt destroy (it would delete the adopted objects)`);
      for (const r of oldResources) commands.push(`(cd ${m.directory} && terragrunt state rm ${q(r.address)})`);
      if (leftover.length > 0) {
        commands.push(`# ${++step}. after verifying (docs/migration.md step 7), delete the objects noted in step ${step - 2} (kubectl delete / aws iam) and retire ${m.directory}`);
      }
      plans.push({ directory: m.directory, module: m.module, stack: s.name, oldState, oldResources, newResources, commands });
    }
  }
  return plans;
}

/** The plan as text, one block per module directory. */
export function formatMigrationPlan(plans: readonly ModuleMigration[]): string {
  const out: string[] = [];
  for (const p of plans) {
    out.push(`${p.directory} (${p.module} -> stack ${p.stack})`);
    out.push(`  old state: ${p.oldState}`);
    out.push('  old addresses:');
    for (const r of p.oldResources) {
      const what = `${r.object}${r.name ? ` ${r.name}` : ''}`;
      const fate = r.adoptedBy ? `-> adopted by ${r.adoptedBy}` : r.object === 'random_id' ? '-> state only (no live object)' : '-> not adopted: delete it after the migration';
      out.push(`    ${r.address}  [${what}]  ${fate}${r.note ? ` (${r.note})` : ''}`);
    }
    out.push('  new addresses:');
    for (const n of p.newResources) {
      out.push(`    ${n.address}  [${n.object}${n.name ? ` ${n.name}` : ''}]  ${n.adopts ? `import id ${n.importId}` : 'created'}${n.note ? ` (${n.note})` : ''}`);
    }
    out.push('  commands, in order:');
    for (const c of p.commands) out.push(`    ${c}`);
    out.push('');
  }
  return out.join('\n');
}
