import { TerraformVariable } from 'cdktf';
import { escapeTerraformTemplate, escapeTerraformTemplates } from '../lib/core/terraform-strings';
import { PolicyDocument } from '../lib/aws/policy-document';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { KubeConfigMap } from '../lib/constructs/kube-config-map';
import { KubeManifest } from '../lib/constructs/kube-manifest';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { installController } from '../lib/constructs/maintenance-support';
import { NGINX, manifest, newStack, synth } from './support/synth';

describe('escapeTerraformTemplate', () => {
  test.each([
    ['echo ${HOME}', 'echo $${HOME}'],
    ['%{ if x }y%{ endif }', '%%{ if x }y%%{ endif }'],
    ['already $${escaped}', 'already $$${escaped}'],
    ['arn:aws:s3:::b/${aws:username}/*', 'arn:aws:s3:::b/$${aws:username}/*'],
    ['plain $HOME and {braces} and $(VAR)', 'plain $HOME and {braces} and $(VAR)'],
    ['', ''],
  ])('%j -> %j', (input, expected) => {
    expect(escapeTerraformTemplate(input)).toBe(expected);
  });

  test('CDKTF token markers are kept, literal openers beside them escaped', () => {
    const { stack } = newStack();
    const token = new TerraformVariable(stack, 'tag', { type: 'string' }).stringValue;
    expect(token).toMatch(/^\$\{TfToken\[/);
    expect(escapeTerraformTemplate(`\${HOME}:${token}`)).toBe(`$\${HOME}:${token}`);
  });

  test('deep: values and keys, copy on write (untouched parts keep their identity)', () => {
    const clean = { a: ['x', { b: 'y' }] };
    const input = { clean, cmd: ['sh', '-c', 'echo ${X}'], ['k${y}']: 1, n: 2, t: true, z: null };
    const out = escapeTerraformTemplates(input);
    expect(out).toEqual({ clean, cmd: ['sh', '-c', 'echo $${X}'], ['k$${y}']: 1, n: 2, t: true, z: null });
    expect(out.clean).toBe(clean);
    expect(out.cmd[0]).toBe('sh');
    expect(escapeTerraformTemplates(clean)).toBe(clean);
    expect(input.cmd[2]).toBe('echo ${X}'); // the input is not modified
  });
});

describe('literal ${ and %{ reach Kubernetes and IAM as written', () => {
  test('container command, ConfigMap data and a later edit of the object are escaped; tokens resolve', () => {
    const { stack } = newStack();
    const tag = new TerraformVariable(stack, 'tag', { type: 'string' });
    new KubeDeployment(stack, 'api', {
      namespace: 'web',
      name: 'api',
      containers: [{ ...NGINX, imageTag: tag.stringValue, command: ['sh', '-c', 'exec nginx -g "daemon off;" # ${HOME} %{x}'] }],
    });
    const cm = new KubeConfigMap(stack, 'conf', { namespace: 'web', name: 'conf', data: { 'nginx.conf': 'proxy_set_header Host ${host};' } });
    const cmManifest = cm.node.findAll().find((c): c is KubeManifest => c instanceof KubeManifest)!;
    cmManifest.object.metadata.annotations = { note: 'edited ${later}' };
    const result = synth(stack);
    const container = manifest(result, 'Deployment').spec.template.spec.containers[0];
    expect(container.command).toEqual(['sh', '-c', 'exec nginx -g "daemon off;" # $${HOME} %%{x}']);
    expect(container.image).toBe('docker.io/library/nginx${startswith(var.tag, "sha256:") ? "@" : ":"}${var.tag}');
    const configMap = manifest(result, 'ConfigMap', 'conf');
    expect(configMap.data['nginx.conf']).toBe('proxy_set_header Host $${host};');
    expect(configMap.metadata.annotations.note).toBe('edited $${later}');
  });

  test('commonSecrets literals are escaped in the typed Secret', () => {
    const { stack } = newStack();
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [NGINX], commonSecrets: { DSN: 'postgres://u:p${x}@db' } });
    const secret = Object.values(synth(stack).json.resource.kubernetes_secret_v1)[0] as any;
    expect(secret.data.DSN).toBe('postgres://u:p$${x}@db');
  });

  // toJson() used to return pre-escaped JSON; escaping now happens once, when a resource is
  // written, so toJson() is IAM's text and the resource carries `$${` exactly once.
  test('PolicyDocument.toJson is IAM text; the IAM policy resource escapes its policy variables once', () => {
    const doc = new PolicyDocument({ statements: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::home/${aws:username}/*'] }] });
    expect(doc.toJson()).toContain('"arn:aws:s3:::home/${aws:username}/*"');
    expect(doc.toJson()).toBe(doc.toPolicyJson());
    const { stack } = newStack();
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    new IamPolicy(stack, 'p', { policy: doc.toJson() });
    const policy = (Object.values(synth(stack).json.resource.aws_iam_policy)[0] as any).policy;
    expect(policy).toContain('"arn:aws:s3:::home/$${aws:username}/*"');
    expect(policy).not.toContain('$$${');
  });
});

describe('Helm values', () => {
  test('the values YAML handed to helm_release has its literal ${ escaped; a token in it still resolves', () => {
    const { stack } = newStack();
    new HelmProvider(stack, 'helm', {});
    const arn = new TerraformVariable(stack, 'role', { type: 'string' }).stringValue;
    installController(stack, {}, {
      identity: { module: 'kube_example', namespace: 'example', name: 'example' },
      chart: 'example',
      chartRepository: 'https://charts.example.com',
      chartVersion: '1.0.0',
      values: { script: 'echo ${HOME}', serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': arn } } },
    });
    const release = Object.values(synth(stack).json.resource.helm_release)[0] as any;
    expect(release.values[0]).toContain('script: echo $${HOME}');
    expect(release.values[0]).toContain('eks.amazonaws.com/role-arn: ${var.role}');
  });
});
