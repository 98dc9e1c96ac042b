#!/usr/bin/env node
/**
 * Markdown summary of the plans scripts/ci/plan-stacks.sh saved: one row per stack, in plan order,
 * with its status and the resources to add / change / destroy (from `terraform show -json`, the
 * same counting as Terraform's "Plan: X to add, Y to change, Z to destroy": a replacement counts
 * as one add and one destroy).
 *
 *   node scripts/ci/plan-summary.js <plan-dir> [title] [--show]
 *
 * Prints the markdown on stdout (for $GITHUB_STEP_SUMMARY and the pull-request comment). With
 * --show, each stack's `terraform show` text (<stack>.txt) follows in a collapsed block, so the
 * reviewers of an apply read the very plan they approve (long plans are cut; the artifact has all).
 */
'use strict';
const fs = require('fs');
const path = require('path');

const argv = process.argv.slice(2);
const show = argv.includes('--show');
const [planDir, title = 'Terraform plan'] = argv.filter((a) => a !== '--show');
const SHOW_LIMIT = 60000; // characters per stack; a step summary holds 1 MiB
if (!planDir) {
  process.stderr.write('usage: plan-summary.js <plan-dir> [title]\n');
  process.exit(1);
}

function counts(stack) {
  const file = path.join(planDir, `${stack}.json`);
  if (!fs.existsSync(file)) return undefined;
  const plan = JSON.parse(fs.readFileSync(file, 'utf8'));
  const c = { add: 0, change: 0, destroy: 0 };
  for (const rc of plan.resource_changes || []) {
    const actions = (rc.change && rc.change.actions) || [];
    if (actions.includes('create')) c.add++;
    if (actions.includes('delete')) c.destroy++;
    if (actions.length === 1 && actions[0] === 'update') c.change++;
  }
  return c;
}

const ICON = { changes: ':warning:', 'no-changes': ':white_check_mark:', failed: ':x:', 'needs-dependency': ':hourglass:' };
const list = path.join(planDir, 'plans.tsv');
const rows = fs.existsSync(list)
  ? fs.readFileSync(list, 'utf8').split('\n').filter(Boolean).map((line) => {
      const [stack, , status, detail] = line.split('\t');
      return { stack, status, detail, ...(counts(stack) || {}) };
    })
  : [];

const cell = (v) => (v === undefined ? '-' : String(v));
const lines = [`### ${title}`, ''];
if (rows.length === 0) {
  lines.push('_No stack was planned._');
} else {
  lines.push('| stack | status | add | change | destroy |', '| --- | --- | ---: | ---: | ---: |');
  for (const r of rows) {
    const status = r.status === 'needs-dependency' ? `needs-dependency: ${r.detail}` : r.status;
    lines.push(`| \`${r.stack}\` | ${ICON[r.status] || ''} ${status} | ${cell(r.add)} | ${cell(r.change)} | ${cell(r.destroy)} |`);
  }
  if (rows.some((r) => r.status === 'needs-dependency')) {
    lines.push('', 'A stack marked needs-dependency uses custom resources whose CRDs its maintenance stack installs: the app plan needs the maintenance stack applied first. It is planned and applied in the next deploy run.');
  }
}
if (show) {
  for (const r of rows) {
    const file = path.join(planDir, `${r.stack}.txt`);
    if (!fs.existsSync(file)) continue;
    let text = fs.readFileSync(file, 'utf8');
    if (text.length > SHOW_LIMIT) text = `${text.slice(0, SHOW_LIMIT)}\n... cut at ${SHOW_LIMIT} characters: the whole plan is in the run's artifact and log`;
    lines.push('', `<details><summary>terraform show: ${r.stack}</summary>`, '', '```', text.replace(/```/g, "'''"), '```', '', '</details>');
  }
}
process.stdout.write(lines.join('\n') + '\n');
