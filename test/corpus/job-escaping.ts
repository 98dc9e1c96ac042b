import { App, TerraformStack } from 'cdktf';
import { KubeJob, KubeNamespace } from '../../lib';
import { corpusStack, image } from './stack';

export const JOB_ESCAPING_STACK = 'corpus-job-escaping';

/**
 * `corpus-job-escaping`: a KubeJob whose command holds literal `${...}` and `%{...}` text.
 *
 * Kept apart: both the Job's manifest and its replace trigger (`terraform_data.triggers_replace`,
 * the whole Job object) must be escaped for Terraform; before the trigger was escaped, `terraform
 * validate` read `${HOME}` there as an interpolation ("Invalid reference"). A stack of its own
 * names that case plainly if it ever comes back.
 */
export function buildJobEscapingStack(app: App): TerraformStack {
  const { stack } = corpusStack(app, JOB_ESCAPING_STACK);
  const ns = new KubeNamespace(stack, 'ns-job-escaping', { namespace: 'corpus-job-escaping' });
  new KubeJob(stack, 'template-text', {
    namespace: ns,
    name: 'template-text',
    containers: [
      {
        name: 'print',
        ...image('docker.io', 'library/busybox', '1.37.0'),
        command: ['sh', '-c', 'echo "home=${HOME} shell=${SHELL:-sh}" && echo "%{ literal directive }"'],
      },
    ],
    commonEnv: { GREETING: 'hello ${USER}' },
    waitForSuccess: true,
    waitForSuccessTimeout: '5m',
  });
  return stack;
}
