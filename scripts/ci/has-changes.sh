#!/usr/bin/env bash
# Whether the saved plans hold anything to apply, as a GitHub Actions step output.
#
#   scripts/ci/has-changes.sh <plan-dir> >> "$GITHUB_OUTPUT"
#
# Reads <plan-dir>/plans.tsv (written by plan-stacks.sh) and prints `changes=true` when any stack's
# plan has changes, else `changes=false`. The deploy workflow runs an environment's apply job (and
# asks its reviewers) only when this says true. A missing plans.tsv is an error: nothing was planned.
set -euo pipefail
plan_dir="${1:?usage: has-changes.sh <plan-dir>}"
tsv="$plan_dir/plans.tsv"
if [ ! -f "$tsv" ]; then
  echo "has-changes.sh: $tsv does not exist (did plan-stacks.sh run?)" >&2
  exit 1
fi
n="$(awk -F'\t' '$3 == "changes"' "$tsv" | wc -l | tr -d ' ')"
if [ "$n" -gt 0 ]; then
  echo "$n stack(s) with changes to apply" >&2
  echo "changes=true"
else
  echo "no stack has changes: nothing to apply" >&2
  echo "changes=false"
fi
