import { App, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeCronJob } from '../lib/constructs/kube-cron-job';
import { KubeDaemonSet } from '../lib/constructs/kube-daemon-set';
import { KubeDeployment, KubeDeploymentProps } from '../lib/constructs/kube-deployment';
import { KubeJob } from '../lib/constructs/kube-job';
import { KubeNamespace } from '../lib/constructs/kube-namespace';
import { KubeStatefulSet } from '../lib/constructs/kube-stateful-set';
import { KubeWorkflowTemplate } from '../lib/constructs/kube-workflow-template';
import { enforcedLevel } from '../lib/constructs/pod-security-support';
import { ENVIRONMENT_CONTEXT_KEY, EnvironmentContext, EnvironmentContextProps } from '../lib/core/context';
import { ValidationError } from '../lib/core/errors';
import { PropValidator } from '../lib/core/validation';
import { buildDeploymentModel } from '../lib/k8s/deployment';
import { PodSecurityControl, evaluatePodSecurity, podTemplatesOf } from '../lib/k8s/pod-security';
import { errorOf } from './support/errors';
import { NGINX, manifest, synth } from './support/synth';

/**
 * Issue 14, deliverable 6: Pod Security at synth. Each pod template a workload emits is checked
 * against the Pod Security Standard its namespace enforces (a KubeNamespace of the app, else the
 * assumed level, "baseline" by default); a pod the admission would refuse fails synth naming the
 * prop and the fix. The evaluator itself (lib/k8s/pod-security.ts) is tested on plain pods.
 */

function newStack(context?: EnvironmentContextProps, id = 'test', app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, id);
  new KubernetesProvider(stack, 'kubernetes', {});
  if (context) EnvironmentContext.set(stack, context);
  return stack;
}

const deployment = (stack: TerraformStack, props: Partial<KubeDeploymentProps> = {}, id = 'api') =>
  new KubeDeployment(stack, id, { namespace: 'web', name: id, containers: [NGINX], ...props } as KubeDeploymentProps);

/** The ValidationError synth throws. */
const synthError = (stack: TerraformStack): ValidationError => errorOf(() => Testing.synth(stack, true));

// ---------------------------------------------------------------- the evaluator

/** A pod that passes restricted: every control's allowed value, set explicitly. */
function compliantPod(): any {
  return {
    metadata: { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' } },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }], seLinuxOptions: { type: 'container_t' } },
      volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'img', image: { reference: 'busybox:1.37.0' } }],
      initContainers: [{ name: 'init', image: 'busybox', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      containers: [{
        name: 'app', image: 'nginx', ports: [{ containerPort: 8080 }], livenessProbe: { httpGet: { port: 8080 } },
        securityContext: { allowPrivilegeEscalation: false, privileged: false, procMount: 'Default', capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] }, appArmorProfile: { type: 'RuntimeDefault' } },
      }],
    },
  };
}

const controls = (pod: any, level: 'baseline' | 'restricted') => evaluatePodSecurity(pod, level).violations.map((v) => `${v.control} ${v.field}`);

describe('evaluatePodSecurity: the controls', () => {
  test('a pod with every allowed value passes restricted and baseline; privileged admits anything', () => {
    expect(controls(compliantPod(), 'restricted')).toEqual([]);
    expect(controls(compliantPod(), 'baseline')).toEqual([]);
    const bad = compliantPod();
    bad.spec.hostPID = true;
    expect(evaluatePodSecurity(bad, 'privileged').violations).toEqual([]);
  });

  const BASELINE: Array<[PodSecurityControl, string, (p: any) => void]> = [
    ['hostProcess', 'spec.securityContext.windowsOptions.hostProcess', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }],
    ['hostProcess', 'spec.containers[0].securityContext.windowsOptions.hostProcess', (p) => { p.spec.containers[0].securityContext.windowsOptions = { hostProcess: true }; }],
    ['hostNamespaces', 'spec.hostNetwork', (p) => { p.spec.hostNetwork = true; }],
    ['hostNamespaces', 'spec.hostPID', (p) => { p.spec.hostPID = true; }],
    ['hostNamespaces', 'spec.hostIPC', (p) => { p.spec.hostIPC = true; }],
    ['privilegedContainers', 'spec.initContainers[0].securityContext.privileged', (p) => { p.spec.initContainers[0].securityContext.privileged = true; }],
    ['privilegedContainers', 'spec.ephemeralContainers[0].securityContext.privileged', (p) => { p.spec.ephemeralContainers = [{ name: 'debug', securityContext: { privileged: true } }]; }],
    ['capabilities', 'spec.containers[0].securityContext.capabilities.add', (p) => { p.spec.containers[0].securityContext.capabilities.add = ['CHOWN', 'NET_RAW']; }],
    ['hostPathVolumes', 'spec.volumes[2].hostPath', (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }],
    ['hostPorts', 'spec.containers[0].ports[0].hostPort', (p) => { p.spec.containers[0].ports[0].hostPort = 8080; }],
    ['hostProbesAndLifecycleHooks', 'spec.containers[0].livenessProbe.httpGet.host', (p) => { p.spec.containers[0].livenessProbe.httpGet.host = '10.0.0.1'; }],
    ['hostProbesAndLifecycleHooks', 'spec.containers[0].lifecycle.preStop.tcpSocket.host', (p) => { p.spec.containers[0].lifecycle = { preStop: { tcpSocket: { port: 1, host: 'x' } } }; }],
    ['appArmor', 'spec.containers[0].securityContext.appArmorProfile.type', (p) => { p.spec.containers[0].securityContext.appArmorProfile.type = 'Unconfined'; }],
    ['appArmor', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; }],
    ['seLinux', 'spec.securityContext.seLinuxOptions.type', (p) => { p.spec.securityContext.seLinuxOptions.type = 'spc_t'; }],
    ['seLinux', 'spec.containers[0].securityContext.seLinuxOptions.user', (p) => { p.spec.containers[0].securityContext.seLinuxOptions = { user: 'system_u' }; }],
    ['seLinux', 'spec.securityContext.seLinuxOptions.role', (p) => { p.spec.securityContext.seLinuxOptions.role = 'system_r'; }],
    ['procMountType', 'spec.containers[0].securityContext.procMount', (p) => { p.spec.containers[0].securityContext.procMount = 'Unmasked'; }],
    ['seccomp', 'spec.containers[0].securityContext.seccompProfile.type', (p) => { p.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['sysctls', 'spec.securityContext.sysctls[1].name', (p) => { p.spec.securityContext.sysctls.push({ name: 'kernel.msgmax', value: '1' }); }],
  ];
  test.each(BASELINE)('baseline %s: %s', (control, field, mutate) => {
    const pod = compliantPod();
    mutate(pod);
    expect(controls(pod, 'baseline')).toEqual([`${control} ${field}`]);
    expect(controls(pod, 'restricted')).toContain(`${control} ${field}`);
  });

  const RESTRICTED: Array<[PodSecurityControl, string, (p: any) => void]> = [
    ['volumeTypes', 'spec.volumes[2].nfs', (p) => { p.spec.volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/' } }); }],
    ['privilegeEscalation', 'spec.containers[0].securityContext.allowPrivilegeEscalation', (p) => { delete p.spec.containers[0].securityContext.allowPrivilegeEscalation; }],
    ['runningAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot', (p) => { p.spec.containers[0].securityContext.runAsNonRoot = false; }],
    ['runningAsNonRoot', 'spec.securityContext.runAsNonRoot', (p) => { p.spec.securityContext.runAsNonRoot = false; p.spec.containers[0].securityContext.runAsNonRoot = true; p.spec.initContainers[0].securityContext.runAsNonRoot = true; }],
    ['runningAsNonRootUser', 'spec.initContainers[0].securityContext.runAsUser', (p) => { p.spec.initContainers[0].securityContext.runAsUser = 0; }],
    ['seccomp', 'spec.containers[0].securityContext.seccompProfile.type', (p) => { delete p.spec.securityContext.seccompProfile; p.spec.initContainers[0].securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; }],
    ['capabilities', 'spec.containers[0].securityContext.capabilities.add', (p) => { p.spec.containers[0].securityContext.capabilities.add = ['CHOWN']; }],
    ['capabilities', 'spec.initContainers[0].securityContext.capabilities.drop', (p) => { p.spec.initContainers[0].securityContext.capabilities.drop = ['NET_RAW']; }],
  ];
  test.each(RESTRICTED)('restricted %s: %s (baseline admits it)', (control, field, mutate) => {
    const pod = compliantPod();
    mutate(pod);
    expect(controls(pod, 'restricted')).toEqual([`${control} ${field}`]);
    expect(controls(pod, 'baseline')).toEqual([]);
  });

  test('container-level values override pod-level ones; pod-level ones cover unset containers', () => {
    const pod = compliantPod();
    // pod-level runAsNonRoot and seccomp cover containers that set nothing
    delete pod.spec.containers[0].securityContext.seccompProfile;
    expect(controls(pod, 'restricted')).toEqual([]);
    // a container's own Unconfined is not saved by the pod's RuntimeDefault
    pod.spec.containers[0].securityContext.seccompProfile = { type: 'Unconfined' };
    expect(controls(pod, 'restricted')).toEqual(['seccomp spec.containers[0].securityContext.seccompProfile.type']);
    // without a pod-level runAsNonRoot, every container must set it
    const noPod = compliantPod();
    delete noPod.spec.securityContext.runAsNonRoot;
    noPod.spec.containers[0].securityContext.runAsNonRoot = true;
    expect(controls(noPod, 'restricted')).toEqual(['runningAsNonRoot spec.initContainers[0].securityContext.runAsNonRoot']);
  });

  test('Windows pods skip the restricted privilege escalation, seccomp and capabilities controls; hostUsers: false relaxes non-root', () => {
    const win = compliantPod();
    win.spec.os = { name: 'windows' };
    delete win.spec.containers[0].securityContext.allowPrivilegeEscalation;
    win.spec.containers[0].securityContext.capabilities = {};
    win.spec.securityContext.seccompProfile = undefined;
    expect(controls(win, 'restricted')).toEqual([]);
    const userns = compliantPod();
    userns.spec.hostUsers = false;
    userns.spec.securityContext.runAsUser = 0;
    userns.spec.securityContext.runAsNonRoot = false;
    expect(controls(userns, 'restricted')).toEqual([]);
  });

  test('a deploy-time token is never a violation: its control is undecided, known list elements are still checked', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'tokens');
    const caps = new TerraformVariable(stack, 'caps', { type: 'list(string)' }).listValue;
    const priv = Token.asAny(new TerraformVariable(stack, 'priv', { type: 'bool' }).booleanValue);
    const cap = new TerraformVariable(stack, 'cap', { type: 'string' }).stringValue;
    const pod = compliantPod();
    pod.spec.containers[0].securityContext.capabilities.add = caps;
    pod.spec.containers[0].securityContext.privileged = priv;
    const result = evaluatePodSecurity(pod, 'restricted');
    expect(result.violations).toEqual([]);
    expect(result.undecided.map((u) => u.control).sort()).toEqual(['capabilities', 'privilegedContainers']);
    pod.spec.containers[0].securityContext.capabilities.add = ['NET_ADMIN', cap];
    expect(controls(pod, 'restricted')).toEqual(['capabilities spec.containers[0].securityContext.capabilities.add']);
    expect(evaluatePodSecurity(pod, 'restricted').violations[0].value).toEqual(['NET_ADMIN']);
    // the audit's view: `${...}` strings of the synthesized JSON
    const json = compliantPod();
    json.spec.containers[0].securityContext.allowPrivilegeEscalation = '${contains(var.caps, "SYS_ADMIN")}';
    expect(evaluatePodSecurity(json, 'restricted', { isDeployTime: (v) => typeof v === 'string' && v.startsWith('${') }).violations).toEqual([]);
  });

  test('the library default pod passes restricted', () => {
    const model = buildDeploymentModel(new PropValidator(undefined), EnvironmentContext.of(Testing.app()), {
      namespace: 'web', name: 'api', containers: [{ ...NGINX, init: true, name: 'init' }, NGINX], tmpDirectories: { tmp: { mountPath: '/tmp' }, fast: { mountPath: '/fast', nodeLocal: true } },
      secretMounts: { tls: { mountPath: '/tls' } }, configMapMounts: { conf: { mountPath: '/conf' } },
    });
    const [view] = podTemplatesOf(model.deployment);
    expect(evaluatePodSecurity(view.template, 'restricted').violations).toEqual([]);
    expect(view.objectField('spec.containers[0].securityContext')).toBe('spec.template.spec.containers[0].securityContext');
  });
});

// ---------------------------------------------------------------- the synth-time check

describe('Pod Security at synth: a prop the namespace forbids fails synth, naming the prop and the fix', () => {
  test('baseline (assumed for a namespace the app does not declare): linuxCapabilities', () => {
    const stack = newStack();
    deployment(stack, { containers: [{ ...NGINX, linuxCapabilities: ['NET_BIND_SERVICE', 'NET_ADMIN'] }] });
    const e = synthError(stack);
    expect(e.path).toBe('test/api');
    expect(e.field).toBe('containers[0].linuxCapabilities');
    expect(e.value).toEqual(['NET_BIND_SERVICE', 'NET_ADMIN']);
    expect(e.message).toMatch(/"baseline" assumed for namespace "web" \(no KubeNamespace of that name in this app\)/);
    expect(e.fix).toMatch(/^drop NET_ADMIN from containers\[0\]\.linuxCapabilities/);
    expect(e.fix).toMatch(/EnvironmentContext assumedPodSecurityStandard: 'privileged'/);
    expect(e.fix).toMatch(/KubeNamespace and podSecurityStandard: 'privileged'/);
  });

  test('baseline: privileged, hostNetwork and seccompProfileType Unconfined', () => {
    const priv = newStack();
    deployment(priv, { containers: [NGINX, { ...NGINX, name: 'sidecar', privileged: true }] });
    expect(synthError(priv)).toMatchObject({ field: 'containers[1].privileged', value: true });
    expect(synthError(priv).fix).toMatch(/^remove privileged: true from containers\[1\]/);
    const host = newStack();
    deployment(host, { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    expect(synthError(host)).toMatchObject({ field: 'hostNetwork', value: true });
    const seccomp = newStack();
    deployment(seccomp, { containers: [{ ...NGINX, seccompProfileType: 'Unconfined' }] });
    expect(synthError(seccomp)).toMatchObject({ field: 'containers[0].seccompProfileType', value: 'Unconfined' });
  });

  test('restricted KubeNamespace: runAsRoot, a baseline capability and SYS_ADMIN; the fix names the namespace and the level that admits the pod', () => {
    const root = newStack();
    const ns = new KubeNamespace(root, 'ns', { namespace: 'web', podSecurityStandard: 'restricted' });
    deployment(root, { namespace: ns, containers: [{ ...NGINX, runAsRoot: true }] });
    const e = synthError(root);
    expect(e).toMatchObject({ path: 'test/api', field: 'containers[0].runAsRoot', value: true });
    expect(e.message).toMatch(/"restricted" that namespace "web" enforces/);
    expect(e.fix).toMatch(/set podSecurityStandard: 'baseline' on KubeNamespace 'web' \(test\/ns\)/);
    const chown = newStack();
    new KubeNamespace(chown, 'ns', { namespace: 'web', podSecurityStandard: 'restricted' });
    deployment(chown, { containers: [{ ...NGINX, linuxCapabilities: ['CHOWN'] }] });
    expect(synthError(chown).fix).toMatch(/^drop CHOWN from containers\[0\]\.linuxCapabilities \(the restricted level allows adding only NET_BIND_SERVICE\).*podSecurityStandard: 'baseline'/);
    const admin = newStack();
    new KubeNamespace(admin, 'ns', { namespace: 'web', podSecurityStandard: 'restricted' });
    deployment(admin, { containers: [{ ...NGINX, linuxCapabilities: ['SYS_ADMIN'] }] });
    expect(synthError(admin).fix).toMatch(/drop SYS_ADMIN .*podSecurityStandard: 'privileged'/);
  });

  test('every construct that emits a pod template is checked (StatefulSet, DaemonSet, CronJob, Job, WorkflowTemplate)', () => {
    const bad = { ...NGINX, privileged: true };
    const cases: Array<[string, (s: TerraformStack) => void, string]> = [
      ['sts', (s) => new KubeStatefulSet(s, 'sts', { namespace: 'web', name: 'db', containers: [bad] }), 'containers[0].privileged'],
      ['ds', (s) => new KubeDaemonSet(s, 'ds', { namespace: 'web', name: 'agent', containers: [bad] }), 'containers[0].privileged'],
      ['cron', (s) => new KubeCronJob(s, 'cron', { namespace: 'web', name: 'cleanup', cronSchedule: '0 3 * * *', containers: [bad] }), 'containers[0].privileged'],
      ['job', (s) => new KubeJob(s, 'job', { namespace: 'web', name: 'migrate', containers: [bad] }), 'containers[0].privileged'],
      ['wf', (s) => new KubeWorkflowTemplate(s, 'wf', { namespace: 'web', name: 'report', templates: [
        { name: 'main', dag: [{ name: 'a', template: 'run' }] },
        { name: 'run', containers: [{ ...NGINX, name: 'run' }, { ...NGINX, name: 'prep', init: true, linuxCapabilities: ['NET_ADMIN'] }] },
      ] }), 'templates[1].containers[1].linuxCapabilities'],
    ];
    for (const [id, build, field] of cases) {
      const stack = newStack();
      build(stack);
      const e = synthError(stack);
      expect([id, e.path, e.field]).toEqual([id, `test/${id}`, field]);
    }
  });

  test('an edit of the emitted object is checked too, and named as the object field', () => {
    const volume = newStack();
    const d = deployment(volume);
    (d.deployment.object as any).spec.template.spec.volumes.push({ name: 'host', hostPath: { path: '/' } });
    const e = synthError(volume);
    expect(e.field).toMatch(/^Deployment\.spec\.template\.spec\.volumes\[\d+\]\.hostPath$/);
    expect(e.value).toEqual({ path: '/' });
    expect(e.fix).toMatch(/^use an emptyDir, a PVC or a projected volume \(in test\/api\/Deployment\.object\)/);
    const caps = newStack();
    const c = new KubeCronJob(caps, 'cron', { namespace: 'web', name: 'cleanup', cronSchedule: '0 3 * * *', containers: [{ ...NGINX, linuxCapabilities: ['CHOWN'] }] });
    (c.cronJob.object as any).spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add.push('NET_RAW');
    expect(synthError(caps)).toMatchObject({ field: 'CronJob.spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add', value: ['NET_RAW'] });
  });

  test('a KubeNamespace declared after the workload, in another stack of the same environment, or of the same name in two stacks', () => {
    // declared later in the code
    const later = newStack();
    deployment(later, { containers: [{ ...NGINX, runAsRoot: true }] });
    new KubeNamespace(later, 'ns', { namespace: 'web', podSecurityStandard: 'restricted' });
    expect(synthError(later).fix).toMatch(/KubeNamespace 'web' \(test\/ns\)/);
    // two stacks declare "web": the workload's own stack wins, then the one of the same environment and region
    const app = Testing.app();
    const prod = newStack({ environment: 'production', region: 'us-east-2' }, 'prod', app);
    const dev = newStack({ environment: 'development', region: 'us-east-2' }, 'dev', app);
    new KubeNamespace(prod, 'ns', { namespace: 'web', podSecurityStandard: 'restricted' });
    new KubeNamespace(dev, 'ns', { namespace: 'web', podSecurityStandard: 'privileged' });
    const prodApp = newStack({ environment: 'production', region: 'us-east-2' }, 'prod-app', app);
    deployment(dev, { containers: [{ ...NGINX, runAsRoot: true }] });
    deployment(prodApp, { containers: [{ ...NGINX, runAsRoot: true }] });
    expect(enforcedLevel(dev.node.findChild('api'), 'web')).toMatchObject({ level: 'privileged' });
    expect(enforcedLevel(prodApp.node.findChild('api'), 'web')).toMatchObject({ level: 'restricted' });
    expect(synthError(prodApp).fix).toMatch(/KubeNamespace 'web' \(prod\/ns\)/);
  });

  test('the assumed level: "baseline" by default; EnvironmentContext assumedPodSecurityStandard on the stack or on one workload; a token namespace uses it', () => {
    const strict = newStack({ assumedPodSecurityStandard: 'restricted' });
    deployment(strict, { containers: [{ ...NGINX, runAsRoot: true }] });
    expect(synthError(strict).message).toMatch(/"restricted" assumed for namespace "web"/);
    const stack = newStack();
    const root = deployment(stack, { containers: [{ ...NGINX, runAsRoot: true }] });
    expect(enforcedLevel(root, 'web')).toEqual({ level: 'baseline', namespaceName: 'web', assumedBecause: 'undeclared' });
    const token = new TerraformVariable(stack, 'ns', { type: 'string' }).stringValue;
    expect(enforcedLevel(root, token)).toEqual({ level: 'baseline', assumedBecause: 'unknown' });
    const app = Testing.app({ context: { [ENVIRONMENT_CONTEXT_KEY]: { assumedPodSecurityStandard: 'privileged' } } });
    expect(enforcedLevel(new TerraformStack(app, 's'), 'web')).toEqual({ level: 'privileged', namespaceName: 'web', assumedBecause: 'undeclared' });
    const agent = deployment(stack, { containers: [{ ...NGINX, privileged: true }] }, 'agent');
    EnvironmentContext.set(agent, { assumedPodSecurityStandard: 'privileged' });
    expect(enforcedLevel(agent, 'web').level).toBe('privileged');
    expect(errorOf(() => EnvironmentContext.set(stack, { assumedPodSecurityStandard: 'strict' as 'baseline' })).field).toBe('environmentContext.assumedPodSecurityStandard');
  });

  test('synthesizes: the same workloads under privileged (a namespace declared after them, or the assumed level), tokens, and every default workload under restricted', () => {
    const stack = newStack();
    const caps = new TerraformVariable(stack, 'caps', { type: 'list(string)' }).listValue;
    const priv = Token.asAny(new TerraformVariable(stack, 'priv', { type: 'bool' }).booleanValue);
    // privileged namespace, declared after its workloads
    const agent = { ...NGINX, name: 'agent', privileged: true, runAsRoot: true, linuxCapabilities: ['NET_ADMIN', 'SYS_ADMIN'], seccompProfileType: 'Unconfined' as const };
    new KubeDaemonSet(stack, 'agent', { namespace: 'nodes', name: 'agent', containers: [agent], hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' });
    new KubeNamespace(stack, 'nodes', { namespace: 'nodes', podSecurityStandard: 'privileged', podSecurityAuditStandard: 'privileged' });
    // the assumed level raised for one workload
    const ops = deployment(stack, { namespace: 'ops', containers: [{ ...NGINX, linuxCapabilities: ['NET_ADMIN'] }] }, 'ops');
    EnvironmentContext.set(ops, { assumedPodSecurityStandard: 'privileged' });
    // restricted: every default workload, a list token of capabilities, a boolean token for privileged
    const ns = new KubeNamespace(stack, 'apps', { namespace: 'apps', podSecurityStandard: 'restricted' });
    const web = deployment(stack, { namespace: ns, containers: [{ ...NGINX, linuxCapabilities: caps }] }, 'web');
    (web.deployment.object as any).spec.template.spec.containers[0].securityContext.privileged = priv;
    new KubeStatefulSet(stack, 'db', { namespace: ns, name: 'db', containers: [NGINX], volumeMounts: { data: { mountPath: '/data' } } });
    new KubeCronJob(stack, 'cron', { namespace: ns, name: 'cleanup', cronSchedule: '0 3 * * *', containers: [NGINX] });
    new KubeJob(stack, 'job', { namespace: ns, name: 'migrate', containers: [{ ...NGINX, name: 'init', init: true }, NGINX] });
    new KubeDaemonSet(stack, 'ds', { namespace: ns, name: 'logs', containers: [NGINX] });
    new KubeWorkflowTemplate(stack, 'wf', { namespace: ns, name: 'report', templates: [{ name: 'main', containers: [{ ...NGINX, name: 'main' }] }] });
    const out = synth(stack);
    expect(manifest(out, 'DaemonSet', 'agent').spec.template.spec.hostNetwork).toBe(true);
    expect(manifest(out, 'Deployment', 'web').spec.template.spec.containers[0].securityContext.capabilities.add).toBe('${var.caps}');
  });
});
