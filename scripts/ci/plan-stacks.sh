#!/usr/bin/env bash
# Plan every synthesized stack in dependency order and save each plan for a later, exact apply.
#
#   scripts/ci/plan-stacks.sh <plan-dir> [manifest]        (manifest: cdktf.out/manifest.json)
#
# The order comes from scripts/ci/stack-order.js (a stack after the stacks it depends on, e.g.
# <env>-<region>-maintenance before <env>-<region>-app). For each stack, in its synthesized directory:
#   terraform init, terraform plan -detailed-exitcode -out=<plan-dir>/<stack>.tfplan,
#   terraform show (text: <plan-dir>/<stack>.txt, printed to the log) and show -json (<stack>.json).
# <plan-dir>/plans.tsv gets one line per stack: <stack> <dir> <status> <detail>, status one of
#   changes | no-changes | failed | needs-dependency
# needs-dependency: the plan failed because a custom resource's CRD does not exist yet while a stack
# it depends on has unapplied changes (the app stack before its maintenance stack is applied).
# That is reported, not an error: apply the dependency, then plan again.
#
# Environment: PLAN_LOCK=false plans without taking the state lock (pull requests);
# TERRAFORM (default: terraform) is the binary. Exit status 1 when any stack failed, else 0.
set -uo pipefail

plan_dir="${1:?usage: plan-stacks.sh <plan-dir> [manifest]}"
manifest="${2:-cdktf.out/manifest.json}"
tf="${TERRAFORM:-terraform}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mkdir -p "$plan_dir"
plan_dir="$(cd "$plan_dir" && pwd)"
order="$(node "$here/stack-order.js" --manifest "$manifest")" || exit 1
: > "$plan_dir/plans.tsv"

lock_args=()
[ "${PLAN_LOCK:-true}" = "false" ] && lock_args=(-lock=false)

# Errors the Kubernetes provider gives when a manifest's kind has no CRD in the cluster yet.
missing_crd='API did not recognize GroupVersionKind|no matches for kind|Failed to determine GroupVersionResource|could not find the requested resource'

declare -A status
failed=0
while IFS=$'\t' read -r stack dir deps; do
  [ -n "$stack" ] || continue
  echo "::group::plan $stack"
  plan="$plan_dir/$stack.tfplan"
  log="$plan_dir/$stack.log"
  rm -f "$plan"
  "$tf" -chdir="$dir" init -input=false -no-color 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  if [ "$rc" -eq 0 ]; then
    "$tf" -chdir="$dir" plan -input=false -no-color -detailed-exitcode "${lock_args[@]}" -out="$plan" 2>&1 | tee -a "$log"
    rc=${PIPESTATUS[0]}
  fi
  detail=""
  case "$rc" in
    0) result=no-changes ;;
    2) result=changes ;;
    *)
      result=failed
      pending=""
      for dep in ${deps//,/ }; do
        case "${status[$dep]:-}" in changes|failed|needs-dependency) pending="$pending${pending:+,}$dep" ;; esac
      done
      if [ -n "$pending" ] && grep -Eq "$missing_crd" "$log"; then
        result=needs-dependency
        detail="needs $pending applied first (its CRDs do not exist in the cluster yet)"
      fi
      rm -f "$plan"
      ;;
  esac
  status[$stack]=$result
  if [ -f "$plan" ]; then
    "$tf" -chdir="$dir" show -no-color "$plan" > "$plan_dir/$stack.txt" && cat "$plan_dir/$stack.txt"
    "$tf" -chdir="$dir" show -json "$plan" > "$plan_dir/$stack.json" || rm -f "$plan_dir/$stack.json"
  fi
  echo "::endgroup::"
  case "$result" in
    needs-dependency) echo "::warning::$stack plan needs the maintenance stack applied first: $detail" ;;
    failed) echo "::error::terraform plan failed for $stack (see its log above)"; failed=1 ;;
    *) echo "$stack: $result" ;;
  esac
  printf '%s\t%s\t%s\t%s\n' "$stack" "$dir" "$result" "$detail" >> "$plan_dir/plans.tsv"
done <<< "$order"

exit "$failed"
