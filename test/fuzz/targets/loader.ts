/**
 * Target: the environments loader (lib/config `loadEnvironments`). A case is a whole
 * `environments/` tree written to a temporary directory: global.yaml, one or two environments
 * with their regions and modules, `*.user.yaml` overrides; YAML with anchors, aliases and merge
 * keys, null clears; hostile values, wrong types, unknown keys, broken YAML, alias bombs.
 *
 * Only a ConfigError may be thrown. A tree the loader accepts must give settings the library
 * accepts: every value in its documented form, and an EnvironmentContext plus a KubeNamespace
 * built from each region (extra_tags as labels) synthesize to valid objects.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { App, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { loadEnvironments } from '../../../lib/config/loader';
import { ENVIRONMENT_NAME } from '../../../lib/config/schema';
import { KubeNamespace } from '../../../lib/constructs/kube-namespace';
import { EnvironmentContext } from '../../../lib/core/context';
import { FuzzCase, describeJson } from '../model';
import { CaseResult, FuzzTarget, classifyConfigError, plainSynth, stackProblems } from '../run-case';
import { hostileNumber, hostileString, labelKey, labelValue, wrongType } from '../values';

const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d{1,2}$/;
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

type Settings = Record<string, unknown>;

const region = fc.constantFrom('us-east-2', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1');
const settings = (level: 'global' | 'environment' | 'region' | 'module', envName?: string): fc.Arbitrary<Settings> =>
  fc.record(
    {
      ...(level === 'environment' ? { environment: fc.constant(envName!) } : {}),
      subdomain: fc.constantFrom('dev', 'prod.example', 'a-b'),
      sla_target: fc.constantFrom(1, 2, 3),
      aws_account_id: fc.constantFrom('123456789012', '000000000001'),
      aws_profile: fc.constantFrom('dev', 'production-admin'),
      ...(level === 'region' ? { aws_region: region, kube_cluster_name: fc.constantFrom('primary', 'corp_cluster-2') } : {}),
      kube_oidc_issuer: fc.constantFrom('https://oidc.eks.us-east-2.amazonaws.com/id/EXAMPLE'),
      kube_api_server: fc.constantFrom('https://EXAMPLE.gr7.us-east-2.eks.amazonaws.com'),
      kube_config_context: fc.constantFrom('kind-dev', 'arn:aws:eks:us-east-2:123456789012:cluster/primary'),
      extra_tags: fc.dictionary(labelKey, fc.oneof(labelValue, fc.integer({ min: 0, max: 99 }), fc.boolean()), { maxKeys: 3 }),
      extra_inputs: fc.dictionary(fc.constantFrom('replicas', 'domain', 'flags'), fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.array(fc.boolean(), { maxLength: 2 })), { maxKeys: 2 }),
      ...(level === 'module' ? { inputs: fc.dictionary(fc.constantFrom('image_tag', 'size'), fc.string({ maxLength: 10 }), { maxKeys: 2 }) } : {}),
    },
    { requiredKeys: level === 'environment' ? ['environment'] : level === 'region' ? ['aws_region', 'kube_cluster_name'] : [] },
  );

/** One hostile change to a settings object. */
const settingsMutation = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), key: fc.constantFrom('subdomain', 'sla_target', 'aws_account_id', 'aws_region', 'kube_cluster_name', 'kube_oidc_issuer', 'environment', 'tf_state_bucket', 'tf_state_region', 'tf_state_lock_table'), v: fc.oneof(hostileString, hostileNumber) }),
  fc.record({ kind: fc.constant('tag' as const), key: fc.oneof(labelKey, hostileString), v: fc.oneof(hostileString, hostileNumber, fc.boolean()) }),
  fc.record({ kind: fc.constant('wrong-type' as const), key: fc.constantFrom('subdomain', 'sla_target', 'extra_tags', 'extra_inputs', 'inputs', 'aws_region', 'kube_cluster_name'), v: wrongType }),
  fc.record({ kind: fc.constant('unknown-key' as const), key: fc.constantFrom('slaTarget', 'aws-region', '__proto__', 'constructor', 'inputs', 'environment', 'x'), v: fc.constantFrom<unknown>(1, 'x', null, { a: 1 }) }),
  fc.record({ kind: fc.constant('null' as const), key: fc.constantFrom('aws_region', 'kube_cluster_name', 'extra_tags', 'sla_target', 'environment') }),
);

const VALID_STYLES = ['plain', 'plain', 'plain', 'anchors', 'merge', 'flow'] as const;
const HOSTILE_STYLES = [...VALID_STYLES, 'broken', 'bomb', 'scalar', 'empty', 'dup-key', 'tags'] as const;

/** YAML text for settings, sometimes written with anchors, aliases and merge keys; broken ones only in hostile modes. */
const yamlText = (s: Settings, hostile: boolean): fc.Arbitrary<string> =>
  fc.constantFrom<string>(...(hostile ? HOSTILE_STYLES : VALID_STYLES)).map((style) => {
    const safe: Record<string, unknown> = JSON.parse(JSON.stringify(s ?? {}, (_k, v) => (typeof v === 'bigint' ? String(v) : typeof v === 'function' ? undefined : v)) ?? '{}');
    const plain = YAML.stringify(safe);
    switch (style) {
      case 'anchors': {
        // a scalar anchored once and aliased: kube_config_context and aws_profile share a value
        const { kube_config_context: _c, aws_profile: _p, ...rest } = safe;
        return `${Object.keys(rest).length ? YAML.stringify(rest) : ''}kube_config_context: &ctx kind-dev\naws_profile: *ctx\n`;
      }
      case 'merge': {
        // extra_inputs merges the extra_tags mapping (YAML merge key) and adds a key
        const { extra_tags: _t, extra_inputs: _i, ...rest } = safe;
        return `${Object.keys(rest).length ? YAML.stringify(rest) : ''}extra_tags:\n  <<: &base\n    team: platform\n    tier: backend\n  owner: me\nextra_inputs:\n  <<: *base\n  size: 3\n`;
      }
      case 'flow':
        return `{ ${Object.entries(safe).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }\n`;
      case 'broken':
        return `${plain}\nextra_tags: [unclosed\n  - : :\n\t tab: indent`;
      case 'bomb':
        return 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nextra_inputs: { e: [*d,*d,*d,*d,*d,*d,*d,*d,*d] }\n';
      case 'scalar':
        return '"just a string"\n';
      case 'empty':
        return '';
      case 'dup-key':
        return `${plain}\nsla_target: 2\nsla_target: 3\n`;
      case 'tags':
        return `${plain}\nextra_inputs: !!map { when: !!timestamp 2001-12-14t21:59:43.10-05:00, bin: !!binary aGVsbG8= }\n`;
      default:
        return plain;
    }
  });

interface Tree {
  readonly files: Record<string, string>;
}

const envName = fc.constantFrom('production', 'staging', 'dev-1', 'a');
const treeArb: fc.Arbitrary<{ mode: FuzzCase['mode']; tree: Tree; mutations: string[] }> = fc
  .tuple(
    fc.constantFrom<FuzzCase['mode']>('valid', 'valid', 'value', 'value', 'shape'),
    fc.option(settings('global'), { nil: undefined }),
    fc.uniqueArray(envName, { minLength: 1, maxLength: 2 }),
    fc.array(fc.tuple(fc.nat(), settingsMutation), { minLength: 1, maxLength: 3 }),
    fc.array(fc.constantFrom('user-file', 'yml-name', 'ignored-dir', 'missing-region', 'module'), { maxLength: 2 }),
  )
  .chain(([mode, global, envs, mutations, extrasGiven]) => {
    let extras = extrasGiven;
    return (
    fc
      .tuple(
        ...envs.map((name) =>
          fc.tuple(
            fc.constant(name),
            settings('environment', name),
            fc.uniqueArray(region, { minLength: 1, maxLength: 2 }).chain((regions) => fc.tuple(...regions.map((r) => fc.tuple(fc.constant(r), settings('region'), fc.option(settings('module'), { nil: undefined }))))),
          ),
        ),
      )
      .chain((environments) => {
        // settings objects in order: global, env, region, module, ...
        const docs: Array<{ file: string; settings: Settings; kind: 'global' | 'environment' | 'region' | 'module' }> = [];
        if (global) docs.push({ file: 'global.yaml', settings: global, kind: 'global' });
        for (const [name, env, regions] of environments) {
          docs.push({ file: `${name}/environment.yaml`, settings: env, kind: 'environment' });
          for (const [r, reg, mod] of regions) {
            docs.push({ file: `${name}/${r}/region.yaml`, settings: reg, kind: 'region' });
            if (mod || extras.includes('module')) docs.push({ file: `${name}/${r}/app/module.yaml`, settings: mod ?? {}, kind: 'module' });
          }
        }
        const applied: string[] = [];
        if (mode !== 'valid') {
          for (const [at, m] of mutations) {
            if (mode === 'shape' && m.kind !== 'wrong-type' && m.kind !== 'unknown-key' && m.kind !== 'null') continue;
            if (mode === 'value' && m.kind !== 'value' && m.kind !== 'tag') continue;
            const doc = docs[at % docs.length];
            const s = { ...doc.settings };
            if (m.kind === 'value' || m.kind === 'wrong-type') s[m.key] = m.v;
            else if (m.kind === 'tag') s.extra_tags = { ...((s.extra_tags as object) ?? {}), [m.key]: m.v };
            else if (m.kind === 'unknown-key') Object.defineProperty(s, m.key, { value: m.v, enumerable: true, writable: true, configurable: true });
            else s[m.key] = null;
            doc.settings = s;
            applied.push(`${doc.file}: ${m.kind} ${m.key} = ${JSON.stringify(describeJson('v' in m ? m.v : null))?.slice(0, 60)}`);
          }
        }
        return fc.tuple(...docs.map((d) => yamlText(d.settings, mode !== 'valid').map((text) => [d.file, text] as const))).map((texts) => {
          const files: Record<string, string> = Object.fromEntries(texts);
          if (mode === 'valid') extras = extras.filter((e) => e === 'user-file' || e === 'ignored-dir' || e === 'module');
          if (extras.includes('user-file') && texts.length > 0) files[texts[texts.length - 1][0].replace(/\.yaml$/, '.user.yaml')] = 'sla_target: 1\nextra_tags: { user: me }\n';
          if (extras.includes('yml-name') && texts.length > 0) files[texts[0][0].replace(/\.yaml$/, '.yml')] = 'sla_target: 2\n';
          if (extras.includes('ignored-dir')) files['_drafts/environment.yaml'] = 'not: valid: yaml: [';
          if (extras.includes('missing-region')) files[`${environments[0][0]}/eu-north-1/.keep`] = '';
          if (texts.some(([, t]) => t !== '')) applied.push(...texts.filter(([, t]) => /&|<<|\*/.test(t)).map(([f]) => `${f}: anchors/aliases`));
          return { mode, tree: { files }, mutations: applied };
        });
      }));
  });

const cases: fc.Arbitrary<FuzzCase> = treeArb.map(({ mode, tree, mutations }) => ({ mode, props: tree, mutations, categories: mode === 'valid' ? [] : [mode === 'shape' ? 'shape' : 'value'] }));

const ROOT = path.join(os.tmpdir(), `cdktf-golden-path-fuzz-env-${process.pid}`);
process.on('exit', () => fs.rmSync(ROOT, { recursive: true, force: true }));

function writeTree(tree: Tree): string {
  fs.rmSync(ROOT, { recursive: true, force: true });
  for (const [file, text] of Object.entries(tree.files)) {
    const p = path.join(ROOT, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  fs.mkdirSync(ROOT, { recursive: true });
  return ROOT;
}

/** Problems of loaded settings: a value not in its documented form. */
function settingsProblems(envs: ReturnType<typeof loadEnvironments>): string[] {
  const out: string[] = [];
  for (const env of envs) {
    if (!ENVIRONMENT_NAME.test(env.name) || env.name.length > 63) out.push(`environment name ${JSON.stringify(env.name)}`);
    if (![1, 2, 3].includes(env.slaTarget)) out.push(`${env.name}: slaTarget ${JSON.stringify(env.slaTarget)}`);
    for (const r of env.regions) {
      const where = `${env.name}/${r.name}`;
      if (!AWS_REGION.test(r.awsRegion)) out.push(`${where}: awsRegion ${JSON.stringify(r.awsRegion)}`);
      if (!EKS_CLUSTER_NAME.test(r.kubeClusterName)) out.push(`${where}: kubeClusterName ${JSON.stringify(r.kubeClusterName)}`);
      if (![1, 2, 3].includes(r.slaTarget)) out.push(`${where}: slaTarget ${JSON.stringify(r.slaTarget)}`);
      if (r.awsAccountId !== undefined && !/^\d{12}$/.test(r.awsAccountId)) out.push(`${where}: awsAccountId ${JSON.stringify(r.awsAccountId)}`);
      for (const [k, v] of Object.entries(r.extraTags)) {
        if (typeof v !== 'string' || (v !== '' && !LABEL_NAME.test(v))) out.push(`${where}: extraTags.${k} = ${JSON.stringify(v)}`);
      }
      for (const [k, v] of Object.entries(r.extraInputs)) if (v === undefined) out.push(`${where}: extraInputs.${k} undefined`);
    }
  }
  return out;
}

function runLoaderCase(c: FuzzCase): CaseResult {
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  const root = writeTree(c.props as Tree);
  let envs: ReturnType<typeof loadEnvironments>;
  try {
    envs = loadEnvironments(root, { displayRoot: root });
  } catch (error) {
    return { ...classifyConfigError(error), ms: ms() };
  }
  const problems = settingsProblems(envs);
  if (problems.length > 0) return { outcome: 'invalid-object', detail: `accepted settings not in their documented form: ${problems.slice(0, 5).join('; ')}`, ms: ms() };
  // The settings drive the stacks: each region's context and tags must be accepted and synthesize.
  for (const env of envs) {
    for (const r of env.regions) {
      try {
        const app = new App({ outdir: path.join(os.tmpdir(), 'cdktf-golden-path-fuzz'), stackTraces: false });
        const stack = new TerraformStack(app, 'fuzz');
        new KubernetesProvider(stack, 'kubernetes', {});
        EnvironmentContext.set(stack, { environment: env.name, region: r.awsRegion, slaTarget: r.slaTarget, clusterName: r.kubeClusterName, extraLabels: r.extraTags });
        new KubeNamespace(stack, 'ns', { namespace: 'web' });
        const { invalid, unescaped } = stackProblems(plainSynth(stack));
        if (invalid.length > 0) return { outcome: 'invalid-object', detail: invalid.slice(0, 5).join('\n'), ms: ms() };
        if (unescaped.length > 0) return { outcome: 'unescaped-string', detail: unescaped.slice(0, 5).join('\n'), ms: ms() };
      } catch (error) {
        return { outcome: 'invalid-object', detail: `the loaded settings of ${env.name}/${r.name} are refused by the library: ${(error as Error).message}`, ms: ms() };
      }
    }
  }
  return { outcome: 'ok-synth', ms: ms() };
}

export const LOADER_TARGET: FuzzTarget = { name: 'loadEnvironments', cases, run: (c) => runLoaderCase(c) };
