import { Construct } from 'constructs';
import { EnvironmentContext } from '../core/context';
import { PropValidator } from '../core/validation';
import { registerSchemalessKind, validateKubernetesObject } from '../k8s/schema';
import { ValidationError } from '../core/errors';
import { WORKFLOW_TEMPLATE_API_VERSION, WORKFLOW_TEMPLATE_KIND, WorkflowTemplateProps, buildWorkflowTemplate } from '../k8s/workflow-spec';
import { KubeManifest, pointerToField } from './kube-manifest';
import { registerWorkloadImages } from './kube-node-image-cache';
import { KubeWorkloadConstructProps, emitWorkloadSupport, namespaceName } from './workload-support';
import { checkConstructProps } from './construct-props';

registerSchemalessKind(
  WORKFLOW_TEMPLATE_API_VERSION,
  WORKFLOW_TEMPLATE_KIND,
  'no installed package models Argo Workflows; lib/k8s/workflow-spec.ts validates the templates, references, parameters and durations, and the pods come from the schema-checked pod model',
);

/**
 * Props of `KubeWorkflowTemplate`: the Argo workflow definition, its pod settings and retention.
 *
 * @group Workloads
 */
export interface KubeWorkflowTemplateProps extends Omit<WorkflowTemplateProps, 'namespace'>, KubeWorkloadConstructProps {}

/**
 * An Argo WorkflowTemplate (Panfactum's wf_spec) whose pods are built by the same pod model
 * as the controllers: security defaults, resources, environment, volumes and scheduling
 * match a KubeDeployment with the same props. Like a controller it gets a dedicated
 * ServiceAccount (allowed to read its pods and to write Argo's task results), and a typed
 * Secret for commonSecrets. Container images join the stack's KubeNodeImageCache, if any.
 *
 * Workflow defaults: burstable and Spot nodes tolerated, no host anti-affinity, no lifetime
 * eviction, 3 retries with backoff, a 24 h deadline, pods deleted on success, finished
 * workflows kept 10 minutes (success) or a day (failure).
 *
 * @example
 * new KubeWorkflowTemplate(stack, 'report', {
 *   namespace: 'web',
 *   name: 'nightly-report',
 *   arguments: [{ name: 'date', default: 'today' }],
 *   templates: [{ name: 'main', containers: [{ name: 'report', imageRegistry: 'docker.io', imageRepository: 'library/busybox', imageTag: '1.36.1', command: ['sh', '-c', 'echo {{workflow.parameters.date}}'] }] }],
 * });
 *
 * @group Workloads
 */
export class KubeWorkflowTemplate extends Construct {
  /** Name of the WorkflowTemplate. */
  public readonly name: string;
  /** Namespace of the WorkflowTemplate. */
  public readonly namespaceName: string;
  /** Name of the workflow pods' ServiceAccount. */
  public readonly serviceAccountName: string;
  /** Selector labels of the workflow pods (the `id` label). */
  public readonly matchLabels: Record<string, string>;
  /** The WorkflowTemplate object (escape hatch: `.object`, `.resource`). */
  public readonly workflowTemplate: KubeManifest;
  public readonly serviceAccount: KubeManifest;

  constructor(scope: Construct, id: string, props: KubeWorkflowTemplateProps) {
    super(scope, id);
    props = checkConstructProps(this, 'KubeWorkflowTemplate', props);
    const v = new PropValidator(this);
    const ns = namespaceName(props.namespace);
    const env = EnvironmentContext.of(this);
    if (!env.cluster.argoWorkflows) {
      v.capability('name', props.name, env.cluster, 'argoWorkflows', 'Argo Workflows (CRD workflowtemplates.argoproj.io)', 'true', 'run the steps as a KubeJob or KubeCronJob');
    }
    const model = buildWorkflowTemplate(v, env, { ...props, namespace: ns });
    const support = emitWorkloadSupport(this, model, props);
    registerWorkloadImages(this, model.containers);
    this.workflowTemplate = new KubeManifest(this, 'WorkflowTemplate', { object: model.workflowTemplate, provider: props.provider, dependsOn: support.dependencies });
    // The WorkflowTemplate has no schema, but its pods do: check each one as the pod
    // template of a Deployment, so a bad field fails synth like any other object.
    this.node.addValidation({
      validate: () => {
        for (const { templateIndex, template } of model.podTemplates) {
          const wrapper = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: props.name }, spec: { selector: { matchLabels: model.pod.matchLabels }, template } };
          const [first] = validateKubernetesObject(wrapper);
          if (first) {
            throw new ValidationError({
              path: this.node.path,
              field: `templates[${templateIndex}].pod${pointerToField(first.path.replace(/^\/spec\/template/, ''))}`,
              value: first.value,
              reason: `does not match the Kubernetes pod schema (${first.message})`,
              fix: 'correct the prop that produced this field',
            });
          }
        }
        return [];
      },
    });
    this.name = props.name;
    this.namespaceName = ns;
    this.serviceAccountName = model.serviceAccountName;
    this.matchLabels = model.pod.matchLabels;
    this.serviceAccount = support.serviceAccount;
  }
}
