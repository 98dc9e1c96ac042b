import { App, TerraformStack } from 'cdktf';
import { KubeJob } from '../../lib';
import { corpusStack, image } from './stack';

export const JOB_ESCAPING_STACK = 'corpus-job-escaping';

/**
 * `corpus-job-escaping`: a KubeJob whose command holds literal `${...}` and `%{...}` text.
 *
 * Kept apart on purpose: the Job's manifest is escaped for Terraform, but its replace trigger
 * (`terraform_data.triggers_replace`, the whole Job object) is written as is today, so Terraform
 * reads `${HOME}` there as an interpolation. Isolating the case keeps that failure from hiding
 * the verdict on the other stacks; when the library escapes the trigger, this stack validates.
 */
export function buildJobEscapingStack(app: App): TerraformStack {
  const { stack } = corpusStack(app, JOB_ESCAPING_STACK);
  new KubeJob(stack, 'template-text', {
    namespace: 'corpus-job-escaping',
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
