#!/usr/bin/env bash
# Apply exactly the plans scripts/ci/plan-stacks.sh saved, in the order it planned them
# (dependencies first: maintenance before app). Nothing is planned again.
#
#   scripts/ci/apply-plans.sh <plan-dir>
#
# Reads <plan-dir>/plans.tsv. For each stack with status `changes`: terraform init in the stack's
# directory, then `terraform apply <plan-dir>/<stack>.tfplan` (a saved plan: no prompt, no new plan;
# Terraform refuses it when the state changed since the plan was made: "Saved plan is stale").
# `no-changes` stacks are skipped. `needs-dependency` stacks are skipped with a warning (plan and
# apply them in a new run, once the stack they need is applied). Any `failed` stack, or a missing
# plan file, stops before anything is applied. The first failing apply stops the rest.
# TERRAFORM (default: terraform) is the binary.
set -euo pipefail

plan_dir="${1:?usage: apply-plans.sh <plan-dir>}"
tf="${TERRAFORM:-terraform}"
plan_dir="$(cd "$plan_dir" && pwd)"
list="$plan_dir/plans.tsv"
[ -s "$list" ] || { echo "::error::no plans in $list"; exit 1; }

# Check everything before touching anything.
while IFS=$'\t' read -r stack dir result detail; do
  case "$result" in
    failed) echo "::error::$stack: its plan failed; nothing is applied"; exit 1 ;;
    changes) [ -f "$plan_dir/$stack.tfplan" ] || { echo "::error::$stack: saved plan $stack.tfplan is missing; nothing is applied"; exit 1; } ;;
    no-changes|needs-dependency) ;;
    *) echo "::error::$stack: unknown plan status '$result'"; exit 1 ;;
  esac
done < "$list"

skipped=0
while IFS=$'\t' read -r stack dir result detail; do
  case "$result" in
    changes)
      echo "::group::apply $stack"
      "$tf" -chdir="$dir" init -input=false -no-color
      "$tf" -chdir="$dir" apply -input=false -no-color "$plan_dir/$stack.tfplan"
      echo "::endgroup::"
      echo "$stack: applied"
      ;;
    no-changes) echo "$stack: no changes, nothing to apply" ;;
    needs-dependency)
      echo "::warning::$stack was not applied: $detail. Run the deploy again to plan and apply it."
      skipped=1
      ;;
  esac
done < "$list"
[ "$skipped" -eq 0 ] || echo "Some stacks still need a run of their own (see the warnings above)."
