import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ConfigError,
  ENVIRONMENT_SELECTION_CONTEXT_KEY,
  ENVIRONMENT_SELECTION_ENV_VAR,
  allowedKeys,
  formatIssue,
  loadEnvironments,
  parseEnvironmentSelection,
  resolveEnvironmentSelection,
  type EnvironmentConfig,
} from '../lib/config';

const REPO = path.resolve(__dirname, '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'environments');
/** Paths in messages are relative to displayRoot: use the repository root as a user would run from it. */
const load = (tree: string, options: Parameters<typeof loadEnvironments>[1] = {}) =>
  loadEnvironments(path.join(FIXTURES, tree), { displayRoot: REPO, ...options });
const fixture = (rel: string) => `test/fixtures/environments/${rel}`;

/** The ConfigError thrown by `fn` (fails the test when nothing or something else is thrown). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError, but nothing was thrown');
}

describe('the committed environments/', () => {
  const envs = loadEnvironments(path.join(REPO, 'environments'), { displayRoot: REPO, includeUserFiles: false });
  const byName = (n: string) => envs.find((e) => e.name === n) as EnvironmentConfig;

  test('load development, production, sandbox and staging, sorted by name', () => {
    expect(envs.map((e) => e.name)).toEqual(['development', 'production', 'sandbox', 'staging']);
  });

  test('the Panfactum environments leave cluster_profile unset (the default, "panfactum"); sandbox declares a stock EKS cluster and its add-ons', () => {
    for (const name of ['development', 'production', 'staging']) expect(byName(name).regions[0].clusterProfile).toBeUndefined();
    expect(byName('sandbox').regions[0].clusterProfile).toEqual({
      base: 'eks', ingressNginxClass: 'nginx', certManager: true, certIssuerName: 'letsencrypt', externalSecrets: true,
      reloader: true, imageCache: true, descheduler: true, velero: true, volumeSnapshots: true,
    });
  });

  test('carry the service levels 1 / 2 / 3 down to their regions', () => {
    expect([byName('development'), byName('staging'), byName('production'), byName('sandbox')].map((e) => e.slaTarget)).toEqual([1, 2, 3, 2]);
    for (const env of envs) {
      expect(env.regions.length).toBeGreaterThan(0);
      for (const r of env.regions) expect(r.slaTarget).toBe(env.slaTarget);
    }
  });

  test('each Panfactum environment has a us-east-2 region with a cluster name', () => {
    for (const env of envs.filter((e) => e.name !== 'sandbox')) {
      const region = env.regions.find((r) => r.name === 'us-east-2');
      expect(region).toMatchObject({ awsRegion: 'us-east-2', kubeClusterName: `${env.name}-primary`, environment: env.name });
    }
  });

  test('leave tf_state_bucket unset, so synth uses a local backend', () => {
    for (const env of envs) {
      expect(env.tfStateBucket).toBeUndefined();
      expect(env.tfState).toBeUndefined();
      for (const r of env.regions) expect(r.tfState).toBeUndefined();
    }
  });

  test('merge global extra_tags with each environment tags', () => {
    expect(byName('production').regions[0].extraTags).toEqual({ owner: 'platform-team', 'cost-center': 'production' });
  });

  test('load one environment with `only`', () => {
    const only = loadEnvironments(path.join(REPO, 'environments'), { only: ['staging'] });
    expect(only.map((e) => e.name)).toEqual(['staging']);
  });
});

describe('precedence: global < environment < region < module, each overridden by its *.user.yaml', () => {
  const envs = load('precedence');
  const alpha = envs.find((e) => e.name === 'alpha') as EnvironmentConfig;
  const beta = envs.find((e) => e.name === 'beta') as EnvironmentConfig;
  const use2 = alpha.regions.find((r) => r.name === 'us-east-2')!;
  const euw1 = alpha.regions.find((r) => r.name === 'eu-west-1')!;

  test('finds the environments, regions and modules; skips "_" and "." directories', () => {
    expect(envs.map((e) => e.name)).toEqual(['alpha', 'beta']);
    expect(alpha.regions.map((r) => r.name)).toEqual(['eu-west-1', 'us-east-2']);
    expect(Object.keys(use2.modules)).toEqual(['api', 'worker']);
    expect(Object.keys(euw1.modules)).toEqual([]);
  });

  test('sla_target: global 1 < environment 2 < region 3 < module 1', () => {
    expect(beta.slaTarget).toBe(1); // from global.yaml
    expect(alpha.slaTarget).toBe(2);
    expect(euw1.slaTarget).toBe(2); // inherits the environment
    expect(use2.slaTarget).toBe(3);
    expect(use2.modules.api.slaTarget).toBe(1);
    expect(use2.modules.worker.slaTarget).toBe(3); // no module.yaml: the region's value
  });

  test('extra_tags merge entry by entry, the most specific level winning', () => {
    expect(alpha.extraTags).toEqual({ a: 'global', b: 'environment', c: 'environment', d: 'environment' });
    expect(use2.extraTags).toEqual({ a: 'global', b: 'environment', c: 'region', d: 'region' });
    expect(use2.modules.api.extraTags).toEqual({ a: 'global', b: 'environment', c: 'region', d: 'module' });
    expect(beta.extraTags).toEqual({ a: 'global', b: 'global', c: 'global', d: 'global' });
  });

  test("module inputs: merged extra_inputs overlaid with the module's own inputs, module.user.yaml last", () => {
    expect(use2.extraInputs).toEqual({ x: 1, y: 2, z: 2 });
    expect(use2.modules.api.inputs).toEqual({ x: 'own', y: 2, z: 3, replicas: 5, w: 'user' });
    expect(use2.modules.worker.inputs).toEqual({ x: 1, y: 2, z: 2 });
  });

  test('*.user.yaml overrides its sibling at every level', () => {
    expect(alpha.awsProfile).toBe('me'); // environment.user.yaml over environment.yaml
    expect(alpha.subdomain).toBe('alpha-user'); // environment.user.yaml over global.yaml
    expect(alpha.tfStateRegion).toBe('eu-central-1'); // global.user.yaml over global.yaml
    expect(use2.kubeConfigContext).toBe('my-laptop'); // region.user.yaml
    expect(use2.modules.api.inputs.replicas).toBe(5); // module.user.yaml over module.yaml
    expect(use2.sources.aws_profile).toBe(fixture('precedence/alpha/environment.user.yaml'));
  });

  test('null in a more specific file clears an inherited value', () => {
    expect(alpha.tfState).toEqual({ bucket: 'global-state', region: 'eu-central-1', profile: 'me' });
    expect(euw1.tfState).toEqual({ bucket: 'global-state', region: 'eu-central-1', profile: 'me' });
    expect(use2.tfStateBucket).toBeUndefined();
    expect(use2.tfState).toBeUndefined(); // region.user.yaml sets tf_state_bucket: null -> local backend
  });

  test('region keys may be defaulted by the environment', () => {
    expect(use2.kubeClusterName).toBe('alpha-use2');
    expect(euw1.kubeClusterName).toBe('alpha-default');
    expect(use2.kubeOidcIssuer).toBe('https://oidc.eks.us-east-2.amazonaws.com/id/ABC');
    expect(euw1.kubeOidcIssuer).toBeUndefined();
  });

  test('an unquoted account ID is normalised to its 12-digit string', () => {
    expect(alpha.awsAccountId).toBe('123456789012');
    expect(use2.modules.api.awsAccountId).toBe('123456789012');
  });

  test('the lock table joins the S3 backend settings', () => {
    expect(beta.regions[0].tfState).toEqual({ bucket: 'global-state', region: 'eu-central-1', lockTable: 'beta-locks' });
  });

  test('includeUserFiles: false ignores every *.user.yaml', () => {
    const plain = load('precedence', { includeUserFiles: false }).find((e) => e.name === 'alpha')!;
    const r = plain.regions.find((x) => x.name === 'us-east-2')!;
    expect(plain.awsProfile).toBe('alpha');
    expect(plain.tfStateRegion).toBe('us-east-1');
    expect(r.tfState).toEqual({ bucket: 'global-state', region: 'us-east-1', profile: 'alpha' });
    expect(r.modules.api.inputs).toEqual({ x: 'own', y: 2, z: 3, replicas: 2 });
  });

  test('module entries name their directory and region', () => {
    expect(use2.modules.api).toMatchObject({ name: 'api', region: 'us-east-2', awsRegion: 'us-east-2', environment: 'alpha' });
    expect(use2.modules.api.dir).toBe(path.join(FIXTURES, 'precedence/alpha/us-east-2/api'));
  });
});

describe('environment selection', () => {
  test('unknown selected environment: names the selection and lists the available ones', () => {
    const err = configError(() => load('precedence', { only: ['alpha', 'prod'] }));
    expect(err.message).toBe(
      'test/fixtures/environments/precedence: GOLDEN_PATH_ENV = "prod": unknown environment; available environments: alpha, beta',
    );
    expect(err).toMatchObject({ key: 'GOLDEN_PATH_ENV', value: 'prod' });
  });

  test('the selection label can be renamed', () => {
    const err = configError(() => load('precedence', { only: ['gamma'], selectionLabel: 'context env' }));
    expect(err.message).toContain('context env = "gamma": unknown environment');
  });

  test('only the selected environments are read', () => {
    // selection-skip/broken has a bad sla_target: loading everything fails, selecting "good" does not read it.
    expect(configError(() => load('selection-skip')).file).toBe(fixture('selection-skip/broken/environment.yaml'));
    expect(load('selection-skip', { only: ['good'] }).map((e) => e.name)).toEqual(['good']);
    expect(load('precedence', { only: ['beta'] }).map((e) => e.name)).toEqual(['beta']);
  });

  test('parseEnvironmentSelection splits on commas and spaces; empty means every environment', () => {
    expect(parseEnvironmentSelection('development, staging,,production')).toEqual(['development', 'staging', 'production']);
    expect(parseEnvironmentSelection(['a', 'a', 'b'])).toEqual(['a', 'b']);
    expect(parseEnvironmentSelection('')).toBeUndefined();
    expect(parseEnvironmentSelection(undefined)).toBeUndefined();
  });

  test('resolveEnvironmentSelection: the env var wins over the context', () => {
    expect(ENVIRONMENT_SELECTION_ENV_VAR).toBe('GOLDEN_PATH_ENV');
    expect(ENVIRONMENT_SELECTION_CONTEXT_KEY).toBe('env');
    expect(resolveEnvironmentSelection({ envVar: 'staging', context: 'production' })).toEqual(['staging']);
    expect(resolveEnvironmentSelection({ envVar: '', context: 'production' })).toEqual(['production']);
    expect(resolveEnvironmentSelection({})).toBeUndefined();
  });
});

describe('errors name the file, the key, the value and what is expected', () => {
  const envFile = (tree: string) => fixture(`${tree}/production/environment.yaml`);
  const regionFile = (tree: string) => fixture(`${tree}/production/us-east-2/region.yaml`);

  test('bad type', () => {
    const err = configError(() => load('bad-type'));
    expect(err.message).toBe(`${envFile('bad-type')}: aws_profile = 42: expected the name of an AWS CLI profile (a non-empty string) (line 2)`);
    expect(err).toMatchObject({ file: envFile('bad-type'), key: 'aws_profile', value: 42 });
  });

  test('bad sla_target (a string)', () => {
    const err = configError(() => load('bad-sla'));
    expect(err.message).toBe(`${envFile('bad-sla')}: sla_target = "high": expected a number 1-3 (line 3)`);
    expect(err.issues).toHaveLength(1);
  });

  test('bad sla_target (out of range)', () => {
    expect(configError(() => load('sla-out-of-range')).message).toBe(
      `${envFile('sla-out-of-range')}: sla_target = 4: expected a number 1-3 (line 2)`,
    );
  });

  test('unknown key: lists the allowed keys and suggests the closest', () => {
    const err = configError(() => load('unknown-key'));
    expect(err.message).toBe(
      `${regionFile('unknown-key')}: kube_clustr_nme = "typo": unknown key (did you mean "kube_cluster_name"?); ` +
        `allowed keys in region.yaml: ${allowedKeys('region').join(', ')} (line 3)`,
    );
    expect(allowedKeys('region')).not.toContain('inputs');
    expect(allowedKeys('region')).not.toContain('environment');
  });

  test('a key in the wrong file says where it belongs', () => {
    expect(configError(() => load('misplaced-key')).message).toBe(
      `${regionFile('misplaced-key')}: inputs = {"replicas":3}: not allowed in region.yaml; this key belongs in module.yaml (line 3)`,
    );
  });

  test('missing required region key', () => {
    const err = configError(() => load('missing-key'));
    expect(err.message).toBe(
      `${regionFile('missing-key')}: kube_cluster_name is missing: an EKS cluster name (1-100 characters: letters, digits, "-", "_", ` +
        'starting with a letter or digit) (required for every region; may also be set in environment.yaml or global.yaml)',
    );
    expect(err).toMatchObject({ key: 'kube_cluster_name', value: undefined });
  });

  test('missing environment name', () => {
    const err = configError(() => load('missing-name'));
    expect(err.file).toBe(envFile('missing-name'));
    expect(err.key).toBe('environment');
    expect(err.message).toMatch(/environment is missing: a lowercase name .* \("production"\)$/);
  });

  test('environment name different from its directory', () => {
    expect(configError(() => load('name-mismatch')).message).toBe(
      `${envFile('name-mismatch')}: environment = "prod": must equal the directory name "production" (rename the directory or the environment)`,
    );
  });

  test('malformed YAML: names the file and line', () => {
    const err = configError(() => load('malformed'));
    expect(err.file).toBe(envFile('malformed'));
    expect(err.message).toMatch(/^test\/fixtures\/environments\/malformed\/production\/environment\.yaml: invalid YAML: .+ \(line \d\)$/m);
    expect(err.issues[0].line).toBeGreaterThanOrEqual(3);
  });

  test('duplicate key is malformed YAML', () => {
    const err = configError(() => load('duplicate-key'));
    expect(err.message).toContain(`${envFile('duplicate-key')}: invalid YAML: Map keys must be unique`);
    expect(err.issues[0].line).toBe(3);
  });

  test('a file that is not a mapping', () => {
    expect(configError(() => load('not-a-mapping')).message).toBe(
      `${regionFile('not-a-mapping')}: expected a mapping of keys to values at the top of the file, found a list (line 1)`,
    );
  });

  test('bad tag name and bad tag value', () => {
    const err = configError(() => load('bad-tag'));
    expect(err.issues).toHaveLength(2);
    expect(err.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/^test\/fixtures\/environments\/bad-tag\/production\/environment\.yaml: extra_tags\.bad key! = "bad key!": invalid name: expected a tag name usable as a Kubernetes label key .* \(line 3\)$/),
      expect.stringMatching(/^test\/fixtures\/environments\/bad-tag\/production\/environment\.yaml: extra_tags\.team = "not a label value!": expected a tag value usable as a Kubernetes label value .* \(line 4\)$/),
    ]);
  });

  test('tf_state_bucket without tf_state_region', () => {
    expect(configError(() => load('state-region-missing')).message).toBe(
      `${envFile('state-region-missing')}: tf_state_region is missing: an AWS region name such as "us-east-2" (required because tf_state_bucket is set)`,
    );
  });

  test('bad account ID', () => {
    expect(configError(() => load('bad-account')).message).toBe(
      `${envFile('bad-account')}: aws_account_id = "1234": expected a 12-digit AWS account ID in quotes, such as "123456789012" (line 2)`,
    );
  });

  test('environment without a region', () => {
    expect(configError(() => load('no-region')).message).toBe(
      `${fixture('no-region/production')}: environment has no region: add a directory such as us-east-2/ with a region.yaml`,
    );
  });

  test('a directory that is not an environment', () => {
    expect(configError(() => load('stray-dir')).message).toBe(
      `${fixture('stray-dir/prodution')}: directory has no environment.yaml: add one to make it an environment, or start its name with "_" to ignore it`,
    );
  });

  test('a directory that is not a region', () => {
    expect(configError(() => load('stray-region')).message).toBe(
      `${fixture('stray-region/production/us-west-2')}: directory has no region.yaml: add one to make it a region, or start its name with "_" to ignore it`,
    );
  });

  test('a .yml file is named for renaming', () => {
    expect(configError(() => load('yml-extension')).message).toBe(
      `${fixture('yml-extension/production/us-east-2')}: directory has no region.yaml: rename region.yml to region.yaml`,
    );
  });

  test('module.yaml: wrong type for inputs and a key that belongs elsewhere', () => {
    const err = configError(() => load('bad-module'));
    const file = fixture('bad-module/production/us-east-2/api/module.yaml');
    expect(err.issues.map(formatIssue)).toEqual([
      `${file}: inputs = [1,2]: expected a map of input names to values (line 1)`,
      `${file}: environment = "x": not allowed in module.yaml; this key belongs in environment.yaml (line 2)`,
    ]);
  });

  test('global.yaml is validated too', () => {
    const err = configError(() => load('bad-global'));
    expect(err.issues.map(formatIssue)).toEqual([
      `${fixture('bad-global/global.yaml')}: sla_target = 0: expected a number 1-3 (line 1)`,
      `${fixture('bad-global/global.yaml')}: environment = "production": not allowed in global.yaml; this key belongs in environment.yaml (line 2)`,
    ]);
  });

  test('every problem is reported at once, one line each, with no follow-on errors', () => {
    const err = configError(() => load('many-errors'));
    expect(err.message.split('\n')).toEqual([
      `${envFile('many-errors')}: sla_target = "high": expected a number 1-3 (line 2)`,
      `${regionFile('many-errors')}: aws_region = "Ohio": expected an AWS region name such as "us-east-2" (line 1)`,
    ]);
  });

  test('a missing environments directory', () => {
    expect(configError(() => load('does-not-exist')).message).toBe(
      `${fixture('does-not-exist')}: environments directory not found`,
    );
  });

  test('paths outside the display root are shown absolute', () => {
    const err = configError(() => loadEnvironments(path.join(FIXTURES, 'bad-sla'), { displayRoot: os.tmpdir() + '/elsewhere' }));
    expect(err.file).toBe(path.join(FIXTURES, 'bad-sla/production/environment.yaml'));
  });
});

describe('*.user.yaml fixtures are tracked', () => {
  test('the fixture .gitignore re-includes *.user.yaml (the repository ignores them)', () => {
    expect(fs.readFileSync(path.join(FIXTURES, '.gitignore'), 'utf8')).toMatch(/^!\*\.user\.yaml$/m);
  });
});
