#!/usr/bin/env node
/**
 * `npx cdktf-golden-path init [dir]`: writes a consumer project that synthesizes out of the box
 * (package.json on this package and its peers, cdktf.json, tsconfig.json, main.ts with one example
 * service, environments/ with two environments, .gitignore, the plan and deploy workflows with the
 * scripts they call, and a README). Internal: not part of the package root's API.
 *
 * The same bin runs `cdktf-golden-path preflight ...` (lib/cli/preflight.ts, docs/preflight.md).
 */
import * as fs from 'fs';
import * as path from 'path';

/** Options of {@link initProject}. */
export interface InitOptions {
  /** Overwrite files that exist. @default false */
  readonly force?: boolean;
  /** The package name of the new project. @default - the directory's name */
  readonly name?: string;
}

interface OwnPackage {
  name: string;
  version: string;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** This package's root: dist/lib/cli/init.js (published) or lib/cli/init.ts (repository). */
function packageRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('cdktf-golden-path init: cannot find the package.json of cdktf-golden-path');
  }
}

/**
 * The CI files copied into the project: the workflows and the scripts they call. The build
 * copies them to dist/templates (scripts/copy-templates.js); in the repository they are read
 * from their own place.
 */
function ciFiles(root: string): Array<{ from: string; to: string }> {
  const sources = [
    { dirs: [path.join(root, 'dist', 'templates', 'workflows'), path.join(root, '.github', 'workflows')], to: path.join('.github', 'workflows') },
    { dirs: [path.join(root, 'dist', 'templates', 'ci'), path.join(root, 'scripts', 'ci')], to: path.join('scripts', 'ci') },
  ];
  return sources.flatMap(({ dirs, to }) => {
    const dir = dirs.find((d) => fs.existsSync(d));
    if (!dir) throw new Error(`cdktf-golden-path init: the CI templates are missing (looked in ${dirs.join(', ')})`);
    return fs.readdirSync(dir).sort().map((f) => ({ from: path.join(dir, f), to: path.join(to, f) }));
  });
}

/** Caret range of a pinned version ("21.22.1" → "^21.22.1"); ranges are kept. */
function range(version: string | undefined, fallback: string): string {
  const v = version ?? fallback;
  return /^\d/.test(v) ? `^${v}` : v;
}

function packageJson(name: string, own: OwnPackage): string {
  const peers = Object.keys(own.peerDependencies).sort();
  const dependencies: Record<string, string> = { [own.name]: `^${own.version}` };
  for (const p of peers) dependencies[p] = range(own.devDependencies[p], own.peerDependencies[p]);
  const dev: Record<string, string> = {
    '@types/node': range(own.devDependencies['@types/node'], '^20.0.0'),
    'cdktf-cli': range(own.devDependencies['cdktf-cli'], '^0.21.0'),
    tsx: range(own.devDependencies.tsx, '^4.0.0'),
    typescript: range(own.devDependencies.typescript, '^5.0.0'),
  };
  const pkg = {
    name,
    version: '0.1.0',
    private: true,
    scripts: { synth: 'tsx main.ts', test: 'tsc --noEmit -p tsconfig.json', plan: 'cdktf plan', deploy: 'cdktf deploy' },
    engines: { node: '>=20' },
    dependencies,
    devDependencies: dev,
  };
  return JSON.stringify(pkg, null, 2) + '\n';
}

function cdktfJson(): string {
  const config = { language: 'typescript', app: 'npx tsx main.ts', output: 'cdktf.out', sendCrashReports: 'false', terraformProviders: [], terraformModules: [], context: {} };
  return JSON.stringify(config, null, 2) + '\n';
}

function tsconfigJson(): string {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['ES2022'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    },
    include: ['main.ts', 'stacks/**/*.ts'],
  };
  return JSON.stringify(config, null, 2) + '\n';
}

function mainTs(): string {
  return `/**
 * The app: every stack of every environment and region under environments/.
 * \`npm run synth\` synthesizes all of them; \`GOLDEN_PATH_ENV=production npm run synth\` one environment.
 */
import * as path from 'path';
import { App } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentContext, EnvironmentStack, EnvironmentStackProps, KubeDeployment, KubeNamespace, KubeNodeImageCache, buildEnvironmentApp } from 'cdktf-golden-path';

/** One service: a namespace and an unprivileged nginx Deployment with its Service, PDB and VPA. */
class WebStack extends EnvironmentStack {
  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    // Where the cluster runs kube-fledged (cluster_profile in environments/), the workloads'
    // images are pre-pulled onto every node through the stack's node image cache.
    if (EnvironmentContext.of(this).cluster.imageCache) new KubeNodeImageCache(this, 'image-cache');
    const namespace = new KubeNamespace(this, 'namespace', { namespace: 'web' });
    new KubeDeployment(this, 'web', {
      namespace,
      name: 'web',
      // More replicas where the environment promises more availability.
      replicas: props.region.slaTarget >= 2 ? 3 : 1,
      containers: [
        {
          name: 'nginx',
          imageRegistry: 'docker.io',
          imageRepository: 'nginxinc/nginx-unprivileged',
          imageTag: '1.27.1',
          minimumMemory: 64,
          minimumCpu: 50,
          ports: { http: { port: 8080, servicePort: 80 } },
          livenessProbeType: 'HTTP',
          livenessProbePort: 8080,
          livenessProbeRoute: '/',
        },
      ],
      tmpDirectories: { tmp: { mountPath: '/tmp', sizeMb: 64, nodeLocal: true } },
    });
  }
}

const app = new App();
const built = buildEnvironmentApp(app, {
  environmentsDir: path.join(__dirname, 'environments'),
  // The audit's table is folded into the summary printed below; an error still fails synth.
  audit: { log: false },
  stacks: (scope, ctx) => [new WebStack(scope, ctx.stackName('web'), ctx)],
});
app.synth();
built.writeRequirements();
if (process.env.GOLDEN_PATH_QUIET !== '1') console.log(built.summary());
`;
}

function globalYaml(): string {
  return `# Defaults for every environment. Precedence, lowest first: global.yaml < <env>/environment.yaml
# < <env>/<region>/region.yaml. A git-ignored *.user.yaml beside a file overrides it.

# Tags on every AWS resource and labels on every Kubernetes object.
extra_tags:
  managed-by-project: PROJECT

# What the clusters run (default: a Panfactum Stack cluster). On a stock EKS cluster, say so and
# declare the add-ons it has; the library's defaults follow (see the library's docs/clusters.md):
# cluster_profile:
#   base: eks
#   ingress_nginx_class: nginx
#   cert_manager: true
#   cert_issuer_name: letsencrypt

# Remote state (unset: a local state file per stack, no cloud account needed to synthesize).
# tf_state_bucket: my-terraform-state
# tf_state_region: us-east-2
# tf_state_lock_table: my-terraform-locks
`;
}

function environmentYaml(name: string, slaTarget: number): string {
  return `environment: ${name} # the directory's name
sla_target: ${slaTarget} # 1 (lowest) to 3 (highest): drives replicas, spreading and disruption budgets

# aws_account_id: "111111111111" # quote it: a 12-digit string
# aws_profile: ${name}            # personal settings belong in environment.user.yaml
`;
}

function regionYaml(environment: string): string {
  return `aws_region: us-east-2
kube_cluster_name: ${environment}-primary
# Work against a kubeconfig context instead of the EKS endpoint (better in region.user.yaml):
# kube_config_context: ${environment}-primary
`;
}

function gitignore(): string {
  return ['node_modules/', 'cdktf.out/', '.terraform/', '*.tfstate', '*.tfstate.*', '*.user.yaml', '.gen/', ''].join('\n');
}

function readme(name: string): string {
  return `# ${name}

Kubernetes workloads on EKS with [cdktf-golden-path](https://www.npmjs.com/package/cdktf-golden-path).
Each directory under \`environments/\` is an environment (\`development\`, \`production\`), each directory
below it a region; \`main.ts\` builds one \`web\` stack per environment and region
(\`development-us-east-2-web\`, \`production-us-east-2-web\`).

\`\`\`sh
npm install
npm run synth      # synthesize every stack to cdktf.out/ (GOLDEN_PATH_ENV=development for one environment)
\`\`\`

\`npx cdktf plan <stack>\` and \`npx cdktf deploy <stack>\` plan and apply one stack once the AWS account,
the cluster and (optionally) the remote state in \`environments/global.yaml\` are set. The workflows
under \`.github/workflows/\` plan every stack on pull requests and deploy on main.
`;
}

/** Every file of a new project, by path relative to its directory. */
export function projectFiles(name: string, root: string = packageRoot()): Map<string, string | { copyFrom: string }> {
  const own = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as OwnPackage;
  const files = new Map<string, string | { copyFrom: string }>();
  files.set('package.json', packageJson(name, own));
  files.set('cdktf.json', cdktfJson());
  files.set('tsconfig.json', tsconfigJson());
  files.set('main.ts', mainTs());
  files.set('.gitignore', gitignore());
  files.set('README.md', readme(name));
  files.set(path.join('environments', 'global.yaml'), globalYaml().replace('PROJECT', name));
  for (const [env, sla] of [['development', 1], ['production', 2]] as const) {
    files.set(path.join('environments', env, 'environment.yaml'), environmentYaml(env, sla));
    files.set(path.join('environments', env, 'us-east-2', 'region.yaml'), regionYaml(env));
  }
  for (const { from, to } of ciFiles(root)) files.set(to, { copyFrom: from });
  return files;
}

/** Write a new project into `dir`; returns the files written (relative paths). Refuses to overwrite unless `force`. */
export function initProject(dir: string, options: InitOptions = {}): string[] {
  const target = path.resolve(dir);
  const name = options.name ?? (path.basename(target).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'golden-path-app');
  const files = projectFiles(name);
  const existing = [...files.keys()].filter((f) => fs.existsSync(path.join(target, f)));
  if (existing.length > 0 && !options.force) {
    throw new Error(`cdktf-golden-path init: ${existing.join(', ')} already exist in ${target} (--force overwrites them)`);
  }
  for (const [file, content] of files) {
    const out = path.join(target, file);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    if (typeof content === 'string') fs.writeFileSync(out, content);
    else fs.copyFileSync(content.copyFrom, out);
  }
  return [...files.keys()];
}

const USAGE = 'usage: cdktf-golden-path init [dir] [--force] [--name <package name>]\n       cdktf-golden-path preflight [--out cdktf.out] [--stack NAME]... [--kubeconfig PATH] [--context NAME]\n       cdktf-golden-path adopt --stack NAME [--out cdktf.out] [--kubeconfig PATH] [--context NAME] [--dry-run]';

/** The command line: `init [dir] [--force] [--name n]`; returns the exit code. */
export function main(argv: readonly string[], log: (line: string) => void = console.log): number {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h') {
    log(USAGE);
    return 0;
  }
  if (command !== 'init') {
    log(USAGE);
    return 2;
  }
  let dir = '.';
  let force = false;
  let name: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--force') force = true;
    else if (rest[i] === '--name') name = rest[++i];
    else if (rest[i].startsWith('-')) {
      log(USAGE);
      return 2;
    } else dir = rest[i];
  }
  const written = initProject(dir, { force, name });
  log(`Wrote ${written.length} files to ${path.resolve(dir)}. Next:`);
  if (path.resolve(dir) !== process.cwd()) log(`  cd ${dir}`);
  log('  npm install');
  log('  npm run synth');
  return 0;
}

if (require.main === module) {
  try {
    const [command, ...rest] = process.argv.slice(2);
    // `preflight` (lib/cli/preflight.ts) talks to a cluster, so it is asynchronous.
    if (command === 'preflight') {
      void import('./preflight').then((m) => m.preflightMain(rest)).then(
        (code) => { process.exitCode = code; },
        (e: Error) => { console.error(e.message); process.exitCode = 2; },
      );
    } else if (command === 'adopt') {
      // Keep only the import blocks of objects that exist in the cluster (lib/cli/adopt.ts, docs/migration.md).
      void import('./adopt').then((m) => m.adoptCommand(rest)).then(
        (code) => { process.exitCode = code; },
        (e: Error) => { console.error(e.message); process.exitCode = 1; },
      );
    } else process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
