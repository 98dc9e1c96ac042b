import * as fs from 'fs';
import * as path from 'path';
import {
  DataResource, Fn, Lazy, TerraformHclModule, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Testing,
} from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeAwsCdn } from '../lib/constructs/kube-aws-cdn';
import { KubeSaAuthAws } from '../lib/constructs/kube-sa-auth-aws';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeConfigMap } from '../lib/constructs/kube-config-map';
import { KubeJob } from '../lib/constructs/kube-job';
import { installController } from '../lib/constructs/maintenance-support';
import { PolicyDocument } from '../lib/aws/policy-document';
import { allowTerraformTemplates, functionArgument, joinTemplateParts, terraformEscapingInstalled } from '../lib/core/terraform-strings';
import { scanTemplate, templateExpressions, templateValue, unescapedTemplates } from './support/terraform-templates';
import { requireClis } from './support/terraform-cli';
import { applyOutputs, outputDescriptions } from './support/terraform-apply';

/**
 * D1 of issue 14: one path from user text to Terraform. Every string a resource, data source,
 * provider, local or output writes has its literal `${`/`%{` escaped, whatever construct made
 * it; tokens are kept. Checked on the synthesized JSON with a template scanner, by the real
 * CLIs' parse (the jest hook parses every stack synthesized here), and by a round trip through
 * real `terraform apply` / `tofu apply` whose outputs must give back the user's text exactly.
 */

/** Every kind of trouble in one string: template openers, escapes, a fake token marker, quotes, backslashes, control characters, a trailing `$`. */
const NASTY = 'n ${INJ_a} %{INJ_b} $${INJ_c} %%{INJ_d} ${INJ_e %{ if x }${TfToken[NOT_A_TOKEN]} "q" \'s\' back\\slash \\n new\nline\ttab }{ end$';
/**
 * NASTY without the marker-like text, for the fields Terraform reads literally: there CDKTF itself
 * resolves a `${TfToken[...]}` it never issued (and throws), as for any plain CDKTF element.
 */
const LITERAL_NASTY = NASTY.replace('${TfToken[NOT_A_TOKEN]}', '');
/** The same, short enough for names and keys. */
const KEY = 'k${INJ_k}%{INJ_l}$${INJ_m}"\\\n';

type Json = any;

/** Every interpolation or directive that came from user text (the sentinels INJ_ and NOT_A_TOKEN). */
function injected(json: Json): string[] {
  return templateExpressions(json).filter((e) => /INJ_|NOT_A_TOKEN/.test(e.body)).map((e) => `${e.at}: ${e.kind} {${e.body}}`);
}

/**
 * The blocks whose strings Terraform reads as templates. An output's description is read
 * literally (checked with both CLIs below), so it is left out.
 */
function blocks(json: Json): Json {
  const outputs = Object.fromEntries(Object.entries(json.output ?? {}).map(([k, o]: [string, Json]) => [k, { ...o, description: undefined }]));
  return { resource: json.resource, data: json.data, locals: json.locals, output: outputs, provider: json.provider };
}

describe('the escaping path', () => {
  test('is installed on the CDKTF element classes, and every construct module loads it', () => {
    expect(terraformEscapingInstalled()).toBe(true);
    // Static import graph: each module that creates Terraform elements reaches core/validation,
    // which loads core/terraform-strings (the install) as a side effect.
    const lib = path.join(__dirname, '..', 'lib');
    const reaches = (file: string, seen = new Set<string>()): boolean => {
      if (file.endsWith(path.join('core', 'terraform-strings.ts'))) return true;
      if (seen.has(file) || !fs.existsSync(file)) return false;
      seen.add(file);
      const source = fs.readFileSync(file, 'utf8');
      for (const m of source.matchAll(/(?:from|import)\s+'(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), m[1]);
        const candidates = [`${target}.ts`, path.join(target, 'index.ts')];
        if (candidates.some((c) => reaches(c, seen))) return true;
      }
      return false;
    };
    const creating = ['constructs', 'aws']
      .flatMap((dir) => fs.readdirSync(path.join(lib, dir)).map((f) => path.join(lib, dir, f)))
      .filter((f) => f.endsWith('.ts') && /@cdktf\/provider-|new (TerraformLocal|TerraformOutput|DataResource)\b/.test(fs.readFileSync(f, 'utf8')));
    expect(creating.length).toBeGreaterThan(10);
    expect(creating.filter((f) => !reaches(f)).map((f) => path.relative(lib, f))).toEqual([]);
  });

  test('covers resources, data sources, providers, locals, outputs and module inputs; keys and values at any depth', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'kinds');
    new AwsProvider(stack, 'aws', { region: 'us-east-1', defaultTags: [{ tags: { [KEY]: NASTY } }] });
    new IamPolicy(stack, 'policy', { policy: '{}', description: NASTY, tags: { [KEY]: NASTY } });
    new DataAwsIamPolicyDocument(stack, 'doc', { statement: [{ actions: ['s3:GetObject'], resources: [NASTY] }] });
    const local = new TerraformLocal(stack, 'local', { nested: [{ [KEY]: NASTY }] });
    new TerraformOutput(stack, 'out', { value: { list: [NASTY], local: local.asAnyMap }, description: LITERAL_NASTY });
    const json = JSON.parse(Testing.synth(stack));
    expect(injected(blocks(json))).toEqual([]);
    expect(templateValue(json.resource.aws_iam_policy.policy.description)).toBe(NASTY);
    expect(Object.keys(json.resource.aws_iam_policy.policy.tags).map(templateValue)).toEqual([KEY]);
    expect(templateValue(json.data.aws_iam_policy_document.doc.statement[0].resources[0])).toBe(NASTY);
    expect(templateValue(json.locals.local.nested[0][Object.keys(json.locals.local.nested[0])[0]])).toBe(NASTY);
    expect(templateValue(json.output.out.value.list[0])).toBe(NASTY);
    // Terraform reads an output's description literally: it is written as given.
    expect(json.output.out.description).toBe(LITERAL_NASTY);
    expect(templateValue(json.provider.aws[0].default_tags[0].tags[Object.keys(json.provider.aws[0].default_tags[0].tags)[0]])).toBe(NASTY);
    expect(json.output.out.value.local).toBe('${local.local}');
    // A module call's inputs too (synthesized without the CLI parse, which would download the module).
    const modules = new TerraformStack(Testing.app(), 'modules');
    new TerraformHclModule(modules, 'mod', { source: 'example.com/acme/mod/aws', variables: { text: NASTY } });
    const call = (modules.toTerraform() as Json).module.mod;
    expect(templateValue(call.text)).toBe(NASTY);
  });

  test('tokens are kept: references, functions, Fn.rawString, Lazy values, list and number tokens', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'tokens');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const s = new TerraformVariable(stack, 's', { type: 'string' });
    const l = new TerraformVariable(stack, 'l', { type: 'list(string)' });
    const n = new TerraformVariable(stack, 'n', { type: 'number' });
    new DataResource(stack, 'd', {
      input: {
        ref: s.stringValue,
        call: Fn.base64decode(s.stringValue),
        raw: Fn.rawString('raw ${x}'),
        lazy: Lazy.stringValue({ produce: () => '${var.s}' }),
        list: l.listValue,
        num: n.numberValue,
        mixed: `a ${s.stringValue} b`,
      },
    });
    const input = JSON.parse(Testing.synth(stack)).resource.terraform_data.d.input;
    expect(input).toEqual({
      ref: '${var.s}', call: '${base64decode(var.s)}', raw: 'raw $${x}', lazy: '${var.s}', list: '${var.l}', num: '${var.n}', mixed: 'a ${var.s} b',
    });
  });

  test('text next to a token: escaped text stays text, the token stays an interpolation', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'mixed');
    const s = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    const cases: Record<string, string> = {
      opener: `\${HOME} ${s} %{x}`,
      wrapped: `\${${s}}`,
      dollarBefore: `cost $${s}`,
      twoDollars: `$$${s}`,
      percentBefore: `100%${s}`,
      escapedBefore: `$\${x}${s}`,
      lazyBrace: `%${Lazy.stringValue({ produce: () => '{y}' })}`,
    };
    new DataResource(stack, 'd', { input: cases });
    const input = JSON.parse(Testing.synth(stack)).resource.terraform_data.d.input;
    // What Terraform reads: text parts and `${var.s}` interpolations, in order.
    const read = (v: string) => scanTemplate(v).map((p) => (p.kind === 'literal' ? p.text : `<${p.body}>`)).join('').replace(/<"([$%]+)">/g, '$1');
    expect(read(input.opener)).toBe('${HOME} <var.s> %{x}');
    expect(read(input.wrapped)).toBe('${<var.s>}');
    expect(read(input.dollarBefore)).toBe('cost $<var.s>');
    expect(read(input.twoDollars)).toBe('$$<var.s>');
    expect(read(input.percentBefore)).toBe('100%<var.s>');
    expect(read(input.escapedBefore)).toBe('$${x}<var.s>');
    expect(read(input.lazyBrace)).toBe('%{y}');
  });

  test('joinTemplateParts keeps a trailing $ or % from opening a template with the next part', () => {
    expect(joinTemplateParts('a$', '${var.x}')).toBe('a${"$"}${var.x}');
    expect(joinTemplateParts('a$', '{b}')).toBe('a${"$"}{b}');
    expect(joinTemplateParts('a%', '{b}')).toBe('a${"%"}{b}');
    expect(joinTemplateParts('a%', '${var.x}')).toBe('a%${var.x}');
    expect(joinTemplateParts('a$$', '${var.x}')).toBe('a${"$$"}${var.x}');
    expect(joinTemplateParts('a$%', '{b}')).toBe('a${"$%"}{b}');
    expect(joinTemplateParts('a', '${var.x}')).toBe('a${var.x}');
  });

  test('what the old call sites escaped is escaped exactly once (IAM JSON, Helm values, Secret data, the Job trigger)', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'once');
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new KubernetesProvider(stack, 'kubernetes', {});
    new HelmProvider(stack, 'helm', {});
    const doc = new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::home/${aws:username}/*'] }] });
    new IamPolicy(stack, 'typed', { policy: doc.toJson() });
    new KubeSaAuthAws(stack, 'irsa', {
      serviceAccount: 'api', serviceAccountNamespace: 'web', oidcIssuerUrl: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', iamPolicyJson: doc.toJson(),
    });
    new KubeSaAuthAws(stack, 'irsa-doc', {
      serviceAccount: 'api2', serviceAccountNamespace: 'web', oidcIssuerUrl: 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', iamPolicyJson: doc,
    });
    installController(stack, {}, {
      identity: { module: 'kube_example', namespace: 'example', name: 'example' },
      chart: 'example', chartRepository: 'https://charts.example.com', chartVersion: '1.0.0',
      values: { script: 'echo ${HOME}' },
    });
    const container = { name: 'c', imageRegistry: 'docker.io', imageRepository: 'library/busybox', imageTag: '1.36', command: ['sh', '-c', 'echo ${HOME}'] };
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [container], commonSecrets: { DSN: 'p${x}' } });
    new KubeJob(stack, 'job', { namespace: 'web', name: 'job', containers: [container] });
    const json = JSON.parse(Testing.synth(stack));
    const all = JSON.stringify(blocks(json));
    expect(all).not.toMatch(/\$\$\$\{|%%%\{/);
    const policies = Object.values(json.resource.aws_iam_policy).map((p: Json) => p.policy).filter((p: string) => p.includes('home/'));
    expect(policies).toHaveLength(3);
    for (const p of policies) expect(templateValue(p)).toContain('"arn:aws:s3:::home/${aws:username}/*"');
    expect(templateValue((Object.values(json.resource.helm_release)[0] as Json).values[0])).toContain('script: echo ${HOME}');
    expect(templateValue((Object.values(json.resource.kubernetes_secret_v1)[0] as Json).data.DSN)).toBe('p${x}');
    const trigger = Object.values(json.resource.terraform_data)[0] as Json;
    expect(templateValue(trigger.triggers_replace.job.spec.template.spec.containers[0].command[2])).toBe('echo ${HOME}');
  });

  test('allowTerraformTemplates(element) writes that element as given; addOverride values are raw Terraform', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'raw');
    const own = new DataResource(stack, 'own', { input: { id: '${terraform_data.other.id}' } });
    allowTerraformTemplates(own);
    const other = new DataResource(stack, 'other', { input: { home: '${HOME}' } });
    other.addOverride('triggers_replace', '${terraform_data.own.id}');
    const r = JSON.parse(Testing.synth(stack)).resource.terraform_data;
    expect(r.own.input).toEqual({ id: '${terraform_data.other.id}' });
    expect(r.other.input).toEqual({ home: '$${HOME}' });
    expect(r.other.triggers_replace).toBe('${terraform_data.own.id}');
  });
});

/**
 * A stack in the manner of the corpus: the constructs whose strings used to reach Terraform
 * unescaped (KubeAwsCdn, KubeSaAuthAws) and those escaped by a call site of their own before,
 * with every free-text prop carrying NASTY.
 */
function buildInjectionStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'hardening-escaping');
  new AwsProvider(stack, 'aws', { region: 'us-east-2' });
  const global = new AwsProvider(stack, 'global', { alias: 'global', region: 'us-east-1' });
  new KubernetesProvider(stack, 'kubernetes', {});
  new HelmProvider(stack, 'helm', {});
  const behavior = {
    cookiesInCacheKey: [NASTY], headersInCacheKey: [NASTY], queryStringsInCacheKey: [NASTY],
    cookiesNotForwarded: [NASTY], headersNotForwarded: [NASTY], queryStringsNotForwarded: [NASTY],
  };
  new KubeAwsCdn(stack, 'cdn', {
    name: 'web',
    description: NASTY,
    tags: { [KEY]: NASTY },
    originConfigs: [{
      originDomain: 'origin.app.example.com',
      domains: ['app.example.com'],
      extraOriginHeaders: { [KEY]: NASTY },
      defaultCacheBehavior: behavior,
      pathMatchBehavior: { [`static/${KEY}*`]: behavior },
    }],
    globalProvider: global,
    hostedZoneIds: { 'example.com': NASTY },
    loggingEnabled: true,
    responseHeadersPolicyId: NASTY,
    customErrorResponses: [{ errorCode: 404, responseCode: 404, responsePagePath: `/${NASTY}` }],
  });
  new KubeSaAuthAws(stack, 'irsa-cluster', {
    serviceAccount: 'api', serviceAccountNamespace: 'web', iamPolicyJson: new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::b/${NASTY}`] }] }),
    eksClusterName: NASTY, description: NASTY, tags: { [KEY]: NASTY }, audience: 'sts.example.com ${INJ_aud}',
  });
  new KubeSaAuthAws(stack, 'irsa-issuer', {
    serviceAccount: 'worker', serviceAccountNamespace: 'web', iamPolicyJson: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::b/${NASTY}`] }] }),
    oidcIssuerUrl: 'https://oidc.eks.us-east-2.amazonaws.com/id/ABC', description: NASTY,
  });
  const container = { name: 'c', imageRegistry: 'docker.io', imageRepository: 'library/busybox', imageTag: '1.36', command: ['sh', '-c', NASTY], args: [NASTY], env: { A: NASTY } };
  new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [container], commonSecrets: { S: NASTY }, extraAnnotations: { 'example.com/note': NASTY } });
  new KubeJob(stack, 'job', { namespace: 'web', name: 'job', containers: [container] });
  new KubeConfigMap(stack, 'config', { namespace: 'web', name: 'config', data: { [KEY.replace(/[^A-Za-z0-9]/g, '')]: NASTY } });
  installController(stack, {}, {
    identity: { module: 'kube_example', namespace: 'example', name: 'example' },
    chart: 'example', chartRepository: 'https://charts.example.com', chartVersion: '1.0.0', values: { script: NASTY, [KEY]: 'x' },
  });
  new TerraformOutput(stack, 'note', { value: NASTY, description: LITERAL_NASTY });
  return stack;
}

describe('a stack whose every free-text prop carries ${, %{, $${, quotes, backslashes and newlines', () => {
  let json: Json;
  beforeAll(() => {
    json = JSON.parse(Testing.synth(buildInjectionStack(), true));
  });

  test('no user text becomes an interpolation or a directive anywhere', () => {
    expect(injected(blocks(json))).toEqual([]);
    expect(unescapedTemplates(blocks(json))).toEqual([]);
  });

  test('the CDN description, tags (certificate, log bucket, distribution), origin headers, path patterns, cache-key and forwarding lists, zone ids', () => {
    const r = json.resource;
    const one = (type: string, match = '') => Object.entries(r[type]).find(([id]) => id.includes(match))![1] as Json;
    const tagsOf = (res: Json) => Object.fromEntries(Object.entries(res.tags).map(([k, v]) => [templateValue(k), templateValue(v as string)]));
    for (const res of [one('aws_cloudfront_distribution'), one('aws_acm_certificate'), one('aws_s3_bucket')]) {
      expect(tagsOf(res)).toEqual(expect.objectContaining({ [KEY]: NASTY, description: NASTY }));
    }
    const dist = one('aws_cloudfront_distribution');
    expect(dist.origin[0].custom_header.map((h: Json) => [templateValue(h.name), templateValue(h.value)])).toEqual([[KEY, NASTY]]);
    expect(dist.ordered_cache_behavior.map((b: Json) => templateValue(b.path_pattern))).toContain(`/static/${KEY}*`);
    expect(templateValue(dist.default_cache_behavior.response_headers_policy_id)).toBe(NASTY);
    expect(templateValue(dist.custom_error_response[0].response_page_path)).toBe(`/${NASTY}`);
    const cache = one('aws_cloudfront_cache_policy', 'PathCachePolicy').parameters_in_cache_key_and_forwarded_to_origin;
    expect(templateValue(cache.headers_config.headers.items[0])).toBe(NASTY);
    expect(templateValue(cache.cookies_config.cookies.items[0])).toBe(NASTY);
    expect(templateValue(cache.query_strings_config.query_strings.items[0])).toBe(NASTY);
    const forward = one('aws_cloudfront_origin_request_policy');
    expect(templateValue(forward.headers_config.headers.items[0])).toBe(NASTY);
    const zones = Object.entries(json.locals).find(([k]) => k.includes('ValidationZoneIds'))![1] as Json;
    expect(templateValue(zones['app.example.com'])).toBe(NASTY);
  });

  test('the IRSA description, tags, policy, audience and the cluster name of the lookup', () => {
    const policies = Object.entries(json.resource.aws_iam_policy).filter(([id]) => id.endsWith('_Policy') || id.includes('_Policy_')).map(([, p]) => p as Json);
    expect(policies.length).toBe(2);
    for (const p of policies) {
      expect(templateValue(p.description)).toBe(NASTY);
      expect(JSON.parse(templateValue(p.policy)).Statement[0].Resource).toEqual([`arn:aws:s3:::b/${NASTY}`]);
    }
    expect(templateValue((Object.values(json.data.aws_eks_cluster)[0] as Json).name)).toBe(NASTY);
    const role = Object.values(json.resource.aws_iam_role).find((x: Json) => x.tags && Object.keys(x.tags).length > 0) as Json;
    expect(Object.keys(role.tags).map(templateValue)).toEqual([KEY]);
    const trust = Object.values(json.resource.aws_iam_role).map((x: Json) => x.assume_role_policy).find((p: string) => p.includes('INJ_aud'));
    expect(scanTemplate(trust).filter((p) => p.kind !== 'literal').every((p) => !('body' in p) || !p.body.includes('INJ'))).toBe(true);
  });

  test('round trip through the real CLIs: each output gives back the text as written', async () => {
    // A root of its own with no provider to install: terraform_data (built in), a local and
    // outputs, holding NASTY directly and every literal string the injection stack synthesized.
    const rt = Testing.app();
    const roundTrip = new TerraformStack(rt, 'round-trip');
    const v = new TerraformVariable(roundTrip, 'v', { type: 'string', default: 'VAL' });
    const written: Record<string, string> = {
      nasty: NASTY,
      key: KEY,
      mixed: `pre \${x} ${v.stringValue} cost $${v.stringValue} $$${v.stringValue} \${${v.stringValue}} %{y} post`,
    };
    // User text as a Terraform function argument (what the library does to hash or join it).
    written.functionArgument = Fn.upper(functionArgument(NASTY));
    written.mixedArgument = Fn.lower(functionArgument(`${KEY}${v.stringValue}${NASTY}`));
    const expected: Record<string, string> = {
      nasty: NASTY, key: KEY, mixed: 'pre ${x} VAL cost $VAL $$VAL ${VAL} %{y} post',
      functionArgument: NASTY.toUpperCase(), mixedArgument: `${KEY}VAL${NASTY}`.toLowerCase(),
    };
    const data = new DataResource(roundTrip, 'data', { input: { [KEY]: NASTY, list: [NASTY, KEY] } });
    const local = new TerraformLocal(roundTrip, 'local', NASTY);
    new TerraformOutput(roundTrip, 'data_input', { value: data.output });
    new TerraformOutput(roundTrip, 'local_value', { value: local.asString });
    for (const [name, value] of Object.entries(written)) new TerraformOutput(roundTrip, name, { value });
    const synthesized = JSON.parse(Testing.synth(roundTrip));

    // The injection stack's literal strings that carry user text (values, and keys as values).
    const literals: string[] = [];
    const collect = (x: unknown): void => {
      if (typeof x === 'string') {
        if (/INJ_|NOT_A_TOKEN/.test(x) && scanTemplate(x).every((p) => p.kind === 'literal' || /^"[$%]+"$/.test(p.body))) literals.push(x);
      } else if (Array.isArray(x)) x.forEach(collect);
      else if (x && typeof x === 'object') Object.entries(x).forEach(([k, y]) => (k === '//' ? undefined : (collect(k), collect(y))));
    };
    collect(blocks(json));
    expect(literals.length).toBeGreaterThan(30);
    const unique = [...new Set(literals)];
    synthesized.output = { ...synthesized.output, ...Object.fromEntries(unique.map((s, i) => [`lib_${i}`, { value: s }])) };

    for (const cli of requireClis()) {
      const outputs = await applyOutputs(cli, synthesized);
      for (const [name, value] of Object.entries(expected)) expect({ cli: cli.name, name, value: outputs[name] }).toEqual({ cli: cli.name, name, value });
      expect({ cli: cli.name, value: outputs.data_input }).toEqual({ cli: cli.name, value: { [KEY]: NASTY, list: [NASTY, KEY] } });
      expect({ cli: cli.name, value: outputs.local_value }).toEqual({ cli: cli.name, value: NASTY });
      // The library's strings mean for the real CLI what the scanner says they mean.
      unique.forEach((s, i) => expect({ cli: cli.name, s, value: outputs[`lib_${i}`] }).toEqual({ cli: cli.name, s, value: templateValue(s) }));
    }
  }, 180_000);

  test('what Terraform reads literally is written as given: variable default and description, output description', async () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'literal-fields');
    const variable = new TerraformVariable(stack, 'input', { type: 'string', default: LITERAL_NASTY, description: LITERAL_NASTY });
    new TerraformOutput(stack, 'text', { value: variable.stringValue, description: LITERAL_NASTY });
    const synthesized = JSON.parse(Testing.synth(stack));
    expect(synthesized.variable.input.default).toBe(LITERAL_NASTY);
    expect(synthesized.variable.input.description).toBe(LITERAL_NASTY);
    expect(synthesized.output.text.description).toBe(LITERAL_NASTY);
    for (const cli of requireClis()) {
      expect({ cli: cli.name, outputs: await applyOutputs(cli, synthesized) }).toEqual({ cli: cli.name, outputs: { text: LITERAL_NASTY } });
      expect({ cli: cli.name, descriptions: await outputDescriptions(cli, synthesized) }).toEqual({ cli: cli.name, descriptions: { text: LITERAL_NASTY } });
    }
  }, 120_000);
});
