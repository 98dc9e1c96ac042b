import { Lazy, TerraformResource } from 'cdktf';

/**
 * The bare address of a resource (`terraform_data.migration_ReplaceTrigger_7A2D53E6`), for
 * the places where Terraform's JSON syntax takes a reference rather than an expression:
 * `lifecycle.replace_triggered_by` entries and `depends_on`. CDKTF renders a resource given
 * there as an interpolation (`"${terraform_data.x}"`), which Terraform and OpenTofu refuse
 * at init ("Invalid character"). Resolved at synth, so a logical-id override is honoured.
 */
export function bareReference(resource: TerraformResource): string {
  return Lazy.stringValue({ produce: () => `${resource.terraformResourceType}.${resource.friendlyUniqueId}` });
}
