/**
 * Pins the Terraform address and the physical identity of every resource in the example
 * stacks (all environments) against test/fixtures/stack-addresses.json, so a change that
 * would destroy, create or replace live resources is a deliberate, changelogged decision
 * (docs/versioning.md, "Pinned addresses").
 *
 * Accept a deliberate change:  UPDATE_STACK_ADDRESSES=1 npx jest test/stack-addresses.test.ts
 * then add a CHANGELOG.md entry and commit both.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdktf';
import { ENVIRONMENTS_DIR, buildStacks } from '../stacks/app';

export const FIXTURE = path.join(__dirname, 'fixtures', 'stack-addresses.json');
export const UPDATE_COMMAND = 'UPDATE_STACK_ADDRESSES=1 npx jest test/stack-addresses.test.ts';

/** The attributes (in order) that name a resource's physical object: a change to them replaces it (or renames it). */
export type Identity = Record<string, string>;
/** stack name → `<type>.<name>` → identity. */
export type StackAddresses = Record<string, Record<string, Identity>>;

/**
 * Identity attributes per resource type. AWS: the arguments that name the object and force a
 * new resource when changed (IAM `name`/`name_prefix`/`path`, S3 `bucket`/`bucket_prefix`,
 * WAF `name`/`scope`, Route 53 `zone_id`/`name`/`type`/`set_identifier`, ACM `domain_name`/SANs/
 * `key_algorithm`, CloudFront function `name`, attachments' `role`/`policy_arn`). CloudFront
 * cache/origin-request/response-headers policy names are renamed in place by the API, but
 * they are account-unique physical names, so they are pinned too; a distribution's `aliases`
 * are its public names.
 */
const IDENTITY_ATTRIBUTES: Record<string, readonly string[]> = {
  helm_release: ['namespace', 'name'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_policy: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['role', 'name', 'name_prefix'],
  aws_iam_role_policy_attachment: ['role', 'policy_arn'],
  aws_s3_bucket: ['bucket', 'bucket_prefix'],
  aws_cloudfront_cache_policy: ['name'],
  aws_cloudfront_origin_request_policy: ['name'],
  aws_cloudfront_response_headers_policy: ['name'],
  aws_cloudfront_function: ['name'],
  aws_cloudfront_distribution: ['aliases'],
  aws_wafv2_web_acl: ['name', 'scope'],
  aws_route53_record: ['zone_id', 'name', 'type', 'set_identifier'],
  aws_acm_certificate: ['domain_name', 'subject_alternative_names', 'key_algorithm'],
  aws_acm_certificate_validation: ['certificate_arn'],
  terraform_data: [],
};
/** Any other `aws_s3_bucket_*` sub-resource (policy, versioning, encryption, ...): the bucket it belongs to. */
const S3_SUB_RESOURCE = ['bucket', 'expected_bucket_owner'];
/** Types without a rule: whichever of these naming attributes they set. */
const FALLBACK = ['namespace', 'name', 'name_prefix', 'bucket', 'bucket_prefix', 'domain_name'];

/** Tokens are kept as their Terraform expression text (`${...}`); lists and objects as compact JSON. */
function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function pick(target: Identity, source: Record<string, unknown> | undefined, keys: readonly string[]): void {
  for (const key of keys) {
    const value = source?.[key];
    if (value !== undefined && value !== null) target[key] = text(value);
  }
}

/** The physical identity of one synthesized resource. */
export function identityOf(type: string, config: Record<string, any>): Identity {
  const id: Identity = {};
  if (type === 'kubernetes_manifest') {
    const manifest = config.manifest ?? {};
    pick(id, manifest, ['apiVersion', 'kind']);
    pick(id, manifest.metadata, ['namespace', 'name', 'generateName']);
  } else if (type.startsWith('kubernetes_')) {
    const metadata = Array.isArray(config.metadata) ? config.metadata[0] : config.metadata;
    pick(id, metadata, ['namespace', 'name', 'generate_name']);
  } else {
    const keys = IDENTITY_ATTRIBUTES[type] ?? (type.startsWith('aws_s3_bucket_') ? S3_SUB_RESOURCE : FALLBACK);
    pick(id, config, keys);
  }
  // Meta-arguments that change where the object lives or its instance keys.
  if (typeof config.provider === 'string' && config.provider.includes('.')) id.provider = config.provider;
  pick(id, config, ['for_each', 'count']);
  return id;
}

/** Addresses and identities of every `resource` (data sources are read, not owned) of one cdk.tf.json. */
export function addressesOf(stackJson: { resource?: Record<string, Record<string, Record<string, any>>> }): Record<string, Identity> {
  const out: Record<string, Identity> = {};
  for (const [type, byName] of Object.entries(stackJson.resource ?? {})) {
    for (const [name, config] of Object.entries(byName)) out[`${type}.${name}`] = identityOf(type, config);
  }
  return out;
}

const sortedKeys = (o: object) => Object.keys(o).filter((k) => k !== '//').sort();

/** Stable, reviewable JSON: stacks and addresses sorted, one address per line. */
export function formatFixture(addresses: StackAddresses): string {
  const lines = ['{', `  "//": ${JSON.stringify(`Pinned by test/stack-addresses.test.ts. Regenerate only for a deliberate change: ${UPDATE_COMMAND} (and add a CHANGELOG.md entry).`)},`];
  const stacks = sortedKeys(addresses);
  stacks.forEach((stack, i) => {
    const entries = sortedKeys(addresses[stack]).map((address) => `    ${JSON.stringify(address)}: ${JSON.stringify(addresses[stack][address])}`);
    lines.push(`  ${JSON.stringify(stack)}: {`, entries.join(',\n'), `  }${i < stacks.length - 1 ? ',' : ''}`);
  });
  lines.push('}');
  return lines.filter((l) => l !== '').join('\n') + '\n';
}

export interface AddressDiff {
  /** In the fixture, not synthesized: Terraform would destroy it. */
  readonly removed: Array<{ stack: string; address: string; identity: Identity }>;
  /** Synthesized, not in the fixture: Terraform would create it. */
  readonly added: Array<{ stack: string; address: string; identity: Identity }>;
  /** Same physical identity under a new address: destroy + create unless a `moved` block says otherwise. */
  readonly moved: Array<{ stack: string; from: string; to: string; identity: Identity }>;
  /** Same address, different physical identity: Terraform would replace (or rename) it. */
  readonly changed: Array<{ stack: string; address: string; attribute: string; before?: string; after?: string }>;
}

export function compareAddresses(pinned: StackAddresses, actual: StackAddresses): AddressDiff {
  const diff: AddressDiff = { removed: [], added: [], moved: [], changed: [] };
  for (const stack of [...new Set([...sortedKeys(pinned), ...sortedKeys(actual)])].sort()) {
    const before = pinned[stack] ?? {};
    const after = actual[stack] ?? {};
    const removed = sortedKeys(before).filter((a) => !(a in after));
    const added = sortedKeys(after).filter((a) => !(a in before));
    // Pair a removed and an added address of the same type with the same (non-empty) identity: a move.
    const key = (address: string, id: Identity) => `${address.split('.')[0]}|${JSON.stringify(id)}`;
    const addedByIdentity = new Map<string, string[]>();
    for (const a of added) {
      if (Object.keys(after[a]).length === 0) continue;
      const k = key(a, after[a]);
      addedByIdentity.set(k, [...(addedByIdentity.get(k) ?? []), a]);
    }
    const movedTo = new Set<string>();
    for (const r of removed) {
      const candidates = Object.keys(before[r]).length === 0 ? undefined : addedByIdentity.get(key(r, before[r]));
      const to = candidates?.shift();
      if (to) {
        movedTo.add(to);
        diff.moved.push({ stack, from: r, to, identity: before[r] });
      } else {
        diff.removed.push({ stack, address: r, identity: before[r] });
      }
    }
    for (const a of added) if (!movedTo.has(a)) diff.added.push({ stack, address: a, identity: after[a] });
    for (const address of sortedKeys(before).filter((a) => a in after)) {
      for (const attribute of [...new Set([...Object.keys(before[address]), ...Object.keys(after[address])])]) {
        if (before[address][attribute] !== after[address][attribute]) {
          diff.changed.push({ stack, address, attribute, before: before[address][attribute], after: after[address][attribute] });
        }
      }
    }
  }
  return diff;
}

export function isEmptyDiff(diff: AddressDiff): boolean {
  return diff.removed.length + diff.added.length + diff.moved.length + diff.changed.length === 0;
}

const MAX_LINES = 40;
function section(title: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`    ... and ${lines.length - MAX_LINES} more`);
  return [`${title} (${lines.length}):`, ...shown, ''];
}

/** The failure message: what Terraform would do to live resources, and how to accept it deliberately. */
export function formatAddressDiff(diff: AddressDiff, fixture = path.relative(process.cwd(), FIXTURE)): string {
  const show = (id: Identity) => JSON.stringify(id);
  const value = (v?: string) => (v === undefined ? '(unset)' : JSON.stringify(v));
  return [
    `The example stacks no longer match the pinned addresses and physical names in ${fixture}.`,
    'Applied to existing state, this change would:',
    '',
    ...section('REMOVED addresses: Terraform would DESTROY', diff.removed.map((d) => `  - ${d.stack}: ${d.address} ${show(d.identity)}`)),
    ...section('MOVED addresses (same physical object, new address): destroy + create unless a `moved` block is added', diff.moved.map((d) => `  ~ ${d.stack}: ${d.from} -> ${d.to} ${show(d.identity)}`)),
    ...section('CHANGED physical names: Terraform would REPLACE (or rename)', diff.changed.map((d) => `  ! ${d.stack}: ${d.address} ${d.attribute}: ${value(d.before)} -> ${value(d.after)}`)),
    ...section('ADDED addresses: Terraform would create', diff.added.map((d) => `  + ${d.stack}: ${d.address} ${show(d.identity)}`)),
    'If this is not intended, fix the code (keep construct ids and names stable, or add `moved` blocks).',
    'If it is deliberate (docs/versioning.md: addresses and physical names are part of the contract):',
    `  1. regenerate the fixture:  ${UPDATE_COMMAND}`,
    '  2. add a CHANGELOG.md entry under [Unreleased] saying what is replaced or moved (mark it **Breaking**, with a migration note),',
    `  3. commit ${fixture} and CHANGELOG.md with the change, so the review sees the diff.`,
  ].join('\n');
}

/** Every environment directory, whatever GOLDEN_PATH_ENV says: the fixture covers them all. */
/** `<environment>-<region directory>` for every region of every example environment. */
function allEnvironmentRegions(): string[] {
  return fs
    .readdirSync(ENVIRONMENTS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(ENVIRONMENTS_DIR, d.name, 'environment.yaml')))
    .flatMap((d) => fs.readdirSync(path.join(ENVIRONMENTS_DIR, d.name), { withFileTypes: true }).filter((r) => r.isDirectory()).map((r) => `${d.name}-${r.name}`))
    .sort();
}

/** One synthesis of every example stack (the CLI parse hook then parses each once). */
function synthesizeExampleStacks(): { addresses: StackAddresses; json: Record<string, any> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-stack-addresses-'));
  try {
    const app = new App({ outdir });
    buildStacks(app, { audit: false, only: [...new Set(allEnvironmentRegions().map((r) => r.replace(/-[a-z]{2}-[a-z]+-[0-9]+$/, '')))] });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const json: Record<string, any> = {};
    const addresses: StackAddresses = {};
    for (const [name, stack] of Object.entries<any>(manifest.stacks)) {
      json[name] = JSON.parse(fs.readFileSync(path.join(outdir, stack.synthesizedStackPath), 'utf8'));
      addresses[name] = addressesOf(json[name]);
    }
    return { addresses, json };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('pinned stack addresses and physical names', () => {
  const { addresses, json } = synthesizeExampleStacks();

  test('every example stack matches test/fixtures/stack-addresses.json', () => {
    if (process.env.UPDATE_STACK_ADDRESSES === '1') {
      fs.mkdirSync(path.dirname(FIXTURE), { recursive: true });
      fs.writeFileSync(FIXTURE, formatFixture(addresses));
      console.log(`Wrote ${path.relative(process.cwd(), FIXTURE)}: review its diff and add a CHANGELOG.md entry.`);
      return;
    }
    if (!fs.existsSync(FIXTURE)) throw new Error(`${FIXTURE} is missing: create it with ${UPDATE_COMMAND}`);
    const pinned: StackAddresses = JSON.parse(fs.readFileSync(FIXTURE, 'utf8'));
    const diff = compareAddresses(pinned, addresses);
    if (!isEmptyDiff(diff)) throw new Error(formatAddressDiff(diff));
  });

  test('the fixture is in its canonical form (sorted, one address per line)', () => {
    if (process.env.UPDATE_STACK_ADDRESSES === '1' || !fs.existsSync(FIXTURE)) return;
    const raw = fs.readFileSync(FIXTURE, 'utf8');
    // Hand edits drift from the one-address-per-line layout that keeps review diffs readable.
    if (raw !== formatFixture(JSON.parse(raw))) throw new Error(`${path.relative(process.cwd(), FIXTURE)} is not in its canonical form (sorted, one address per line): regenerate it with ${UPDATE_COMMAND}`);
  });

  test('covers every example stack, and each resource type has an identity', () => {
    const stacks = Object.keys(addresses).sort();
    expect(stacks).toEqual(allEnvironmentRegions().flatMap((r) => [`${r}-app`, `${r}-maintenance`]).sort());
    for (const stack of stacks) {
      for (const [address, identity] of Object.entries(addresses[stack])) {
        // Only terraform_data has no physical object; everything else must name one.
        if (!address.startsWith('terraform_data.')) expect({ address, identity: Object.keys(identity).length > 0 }).toEqual({ address, identity: true });
      }
    }
    const web = Object.entries(addresses['production-us-east-2-app']).find(([, id]) => id.kind === 'Deployment' && id.name === 'web');
    expect(web?.[1]).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'web', name: 'web' });
  });

  describe('the comparison fails on changes that would touch live resources', () => {
    const stack = 'production-us-east-2-app';
    /** A scratch copy of the synthesized JSON, mutated, then read like a synthesis. */
    const mutated = (mutate: (stackJson: any) => void): StackAddresses => {
      const copy = JSON.parse(JSON.stringify(json[stack]));
      mutate(copy);
      return { ...addresses, [stack]: addressesOf(copy) };
    };
    const manifests = () => json[stack].resource.kubernetes_manifest as Record<string, any>;
    const deploymentKey = () => Object.keys(manifests()).find((k) => manifests()[k].manifest.kind === 'Deployment' && manifests()[k].manifest.metadata.name === 'web')!;

    test('no difference against itself', () => {
      expect(isEmptyDiff(compareAddresses(addresses, addresses))).toBe(true);
    });

    test('renaming the Deployment object (metadata.name) is a replacement, with the accept instructions', () => {
      const actual = mutated((s) => {
        s.resource.kubernetes_manifest[deploymentKey()].manifest.metadata.name = 'web-renamed';
      });
      const diff = compareAddresses(addresses, actual);
      expect(diff.changed).toEqual([{ stack, address: `kubernetes_manifest.${deploymentKey()}`, attribute: 'name', before: 'web', after: 'web-renamed' }]);
      const message = formatAddressDiff(diff, 'test/fixtures/stack-addresses.json');
      expect(message).toContain('CHANGED physical names: Terraform would REPLACE (or rename) (1):');
      expect(message).toContain(`  ! ${stack}: kubernetes_manifest.${deploymentKey()} name: "web" -> "web-renamed"`);
      expect(message).toContain(UPDATE_COMMAND);
      expect(message).toContain('CHANGELOG.md');
    });

    test('changing a resource id is a move; dropping one is a destroy; a new one is a create', () => {
      const key = deploymentKey();
      const iamRole = Object.keys(json[stack].resource.aws_iam_role)[0];
      const actual = mutated((s) => {
        s.resource.kubernetes_manifest[`${key}_v2`] = s.resource.kubernetes_manifest[key];
        delete s.resource.kubernetes_manifest[key];
        delete s.resource.aws_iam_role[iamRole];
        s.resource.aws_s3_bucket.extra = { bucket: 'extra-bucket' };
      });
      const diff = compareAddresses(addresses, actual);
      expect(diff.moved.map((d) => [d.from, d.to])).toEqual([[`kubernetes_manifest.${key}`, `kubernetes_manifest.${key}_v2`]]);
      expect(diff.removed.map((d) => d.address)).toEqual([`aws_iam_role.${iamRole}`]);
      expect(diff.added).toEqual([{ stack, address: 'aws_s3_bucket.extra', identity: { bucket: 'extra-bucket' } }]);
      expect(diff.changed).toEqual([]);
      const message = formatAddressDiff(diff, 'test/fixtures/stack-addresses.json');
      expect(message).toMatch(/^REMOVED addresses: Terraform would DESTROY \(1\):\n {2}- production-us-east-2-app: aws_iam_role\./m);
      expect(message).toMatch(/^MOVED addresses .*\(1\):\n {2}~ production-us-east-2-app: kubernetes_manifest\.\S+ -> kubernetes_manifest\.\S+_v2 /m);
      expect(message).toMatch(/^ADDED addresses: Terraform would create \(1\):\n {2}\+ production-us-east-2-app: aws_s3_bucket\.extra \{"bucket":"extra-bucket"\}$/m);
    });

    test('AWS naming attributes, providers and token expressions are pinned', () => {
      const actual = mutated((s) => {
        const bucket = Object.values<any>(s.resource.aws_s3_bucket)[0];
        bucket.bucket_prefix = 'other-logs-';
        const cert = Object.values<any>(s.resource.aws_acm_certificate)[0];
        cert.provider = 'aws';
        const record = Object.values<any>(s.resource.aws_route53_record).find((r) => String(r.type).startsWith('${'));
        record.zone_id = '${local.other}';
      });
      const changed = compareAddresses(addresses, actual).changed.map((d) => `${d.address.split('.')[0]}.${d.attribute}: ${d.before} -> ${d.after}`);
      expect(changed).toEqual([
        'aws_acm_certificate.provider: aws.global -> undefined',
        expect.stringMatching(/^aws_route53_record\.zone_id: \$\{local\..+\} -> \$\{local\.other\}$/),
        'aws_s3_bucket.bucket_prefix: web-logs- -> other-logs-',
      ]);
    });

    test('a whole stack missing from the synthesis is reported as destroyed', () => {
      const { [stack]: _gone, ...rest } = addresses;
      const diff = compareAddresses(addresses, rest);
      expect(diff.removed).toHaveLength(Object.keys(addresses[stack]).length);
      expect(formatAddressDiff(diff)).toContain(`... and ${Object.keys(addresses[stack]).length - MAX_LINES} more`);
    });
  });
});
