import * as fs from 'fs';
import * as path from 'path';
import { yamlModule } from '../core/lazy';
import { AuditBundle, PodView, asArray, podOf, scalersFor } from './model';
import { boundServiceAccounts } from './rules/security';
import { decodeTemplates } from './terraform-view';

/**
 * Our intentional deviations from third-party checkers, and the exemption each tool reads.
 * They are written only into the rendered YAML (`npm run render`), never into the objects
 * Terraform applies.
 */
export interface ToolExemption {
  readonly polaris?: readonly string[];
  readonly kubeScore?: readonly string[];
  readonly kubeLinter?: readonly string[];
  readonly checkov?: readonly string[];
  readonly reason: string;
}

export const RENDER_EXEMPTIONS = {
  noCpuLimit: { polaris: ['cpuLimitsMissing'], checkov: ['CKV_K8S_11'], reason: 'no CPU limit on purpose: CPU is compressible and limits throttle idle nodes (seed 004); requests are set' },
  uid1000: { kubeScore: ['container-security-context-user-group-id'], checkov: ['CKV_K8S_40'], reason: 'runs as uid/gid 1000 (seed 000 convention, matches common images); non-root is enforced' },
  pullIfNotPresent: { polaris: ['pullPolicyNotAlways'], kubeScore: ['container-image-pull-policy'], checkov: ['CKV_K8S_15'], reason: 'immutable version tags served by the pull-through cache; IfNotPresent avoids registry round trips' },
  noDigest: { checkov: ['CKV_K8S_43'], reason: 'pinned by an immutable version tag; digest pinning is optional' },
  apiToken: { polaris: ['automountServiceAccountToken'], checkov: ['CKV_K8S_38'], reason: 'the pod reads its own Pod through the Kubernetes API with a least-privilege Role' },
  probeHandler: { kubeScore: ['pod-probes-identical'], reason: 'liveness shares the readiness handler but tolerates failure much longer, so readiness always acts first' },
  secretEnv: { kubeLinter: ['read-secret-from-env-var'], checkov: ['CKV_K8S_35'], reason: 'secrets referenced from env with secretKeyRef, as seed 004 recommends' },
  meshNetwork: { polaris: ['missingNetworkPolicy'], kubeScore: ['pod-networkpolicy'], reason: 'traffic is authorized by the Linkerd service mesh' },
  noPriorityClass: { polaris: ['priorityClassNotSet'], reason: 'priority classes are a cluster decision; none is configured for this workload' },
  hpaReplicas: { polaris: ['deploymentMissingReplicas'], reason: 'an autoscaler owns the replica count, so spec.replicas is left unset' },
  cronJobTtl: { kubeLinter: ['job-ttl-seconds-after-finished'], reason: 'finished Jobs are removed 600 s after they end, as Panfactum\'s kube_cron_job does; their logs are shipped centrally (seed 004), so nothing is lost' },
} satisfies Record<string, ToolExemption>;

/** Annotation that records why the Polaris and kube-score exemptions exist. */
export const EXEMPTION_REASONS_ANNOTATION = 'golden-path.dev/exemption-reasons';

export interface RenderedFile {
  /** Relative path: `<stack>/<namespace>.yaml` (cluster-scoped objects: `<stack>/_cluster.yaml`). */
  readonly file: string;
  readonly content: string;
  readonly objects: number;
}

function deviations(bundle: AuditBundle, p: PodView): ToolExemption[] {
  const E = RENDER_EXEMPTIONS;
  const list: ToolExemption[] = [];
  const all = [...p.initContainers, ...p.containers];
  if (all.some((c) => c.resources?.limits?.cpu === undefined)) list.push(E.noCpuLimit);
  const psc = p.spec.securityContext ?? {};
  if (all.some((c) => ((c.securityContext?.runAsUser ?? psc.runAsUser) ?? 0) < 10000 || ((c.securityContext?.runAsGroup ?? psc.runAsGroup) ?? 0) < 10000)) list.push(E.uid1000);
  if (all.some((c) => c.imagePullPolicy !== 'Always')) list.push(E.pullIfNotPresent);
  if (all.some((c) => typeof c.image === 'string' && !c.image.includes('@sha256:'))) list.push(E.noDigest);
  if (p.spec.automountServiceAccountToken !== false && boundServiceAccounts(bundle).has(`${p.namespace}/${p.spec.serviceAccountName}`)) list.push(E.apiToken);
  const handler = (x: any) => (x ? JSON.stringify(x.httpGet ?? x.tcpSocket ?? x.exec ?? x.grpc) : undefined);
  if (p.containers.some((c) => c.livenessProbe && handler(c.livenessProbe) === handler(c.readinessProbe))) list.push(E.probeHandler);
  if (all.some((c) => asArray<any>(c.env).some((e) => e.valueFrom?.secretKeyRef) || asArray<any>(c.envFrom).some((e) => e.secretRef))) list.push(E.secretEnv);
  const nps = bundle.k8s.filter((i) => i.object.kind === 'NetworkPolicy' && i.object.metadata?.namespace === p.namespace);
  if (nps.length === 0 && (p.podMeta.annotations?.['linkerd.io/inject'] === 'enabled' || bundle.k8s.some((i) => i.object.kind === 'Namespace' && i.object.metadata?.name === p.namespace && i.object.metadata?.annotations?.['linkerd.io/inject'] === 'enabled'))) list.push(E.meshNetwork);
  if (!p.spec.priorityClassName) list.push(E.noPriorityClass);
  const { hpa, keda } = scalersFor(bundle, p);
  if (hpa.length + keda.length > 0 && p.item.object.spec?.replicas === undefined) list.push(E.hpaReplicas);
  if (p.kind === 'CronJob' && p.item.object.spec?.jobTemplate?.spec?.ttlSecondsAfterFinished !== undefined) list.push(E.cronJobTtl);
  return list;
}

/** The exemption annotations for a set of deviations (Polaris, kube-score, kube-linter, Checkov). */
export function exemptionAnnotations(list: readonly ToolExemption[]): Record<string, string> {
  const a: Record<string, string> = {};
  const kubeScore = new Set<string>();
  let checkovN = 1;
  const reasons: string[] = [];
  for (const e of list) {
    for (const check of e.polaris ?? []) a[`polaris.fairwinds.com/${check}-exempt`] = 'true';
    for (const check of e.kubeScore ?? []) kubeScore.add(check);
    for (const check of e.kubeLinter ?? []) a[`ignore-check.kube-linter.io/${check}`] = e.reason;
    for (const check of e.checkov ?? []) a[`checkov.io/skip${checkovN++}`] = `${check}=${e.reason}`;
    const checks = [...(e.polaris ?? []).map((c) => `polaris:${c}`), ...(e.kubeScore ?? []).map((c) => `kube-score:${c}`)];
    if (checks.length > 0) reasons.push(`${checks.join(',')}: ${e.reason}`);
  }
  if (kubeScore.size > 0) a['kube-score/ignore'] = [...kubeScore].join(',');
  // Polaris and kube-score annotations carry no reason: record it next to them.
  if (reasons.length > 0) a[EXEMPTION_REASONS_ANNOTATION] = reasons.join('\n');
  return a;
}

/** A copy with Terraform's escapes undone (`$${HOME}` is rendered `${HOME}`, as the API server receives it). */
function clone<T>(v: T): T {
  return decodeTemplates(JSON.parse(JSON.stringify(v)));
}

/**
 * Render the Kubernetes objects of each stack as plain multi-document YAML, one file per
 * namespace (one app per namespace), with each checker's exemption annotations for our
 * intentional deviations. Secrets are rendered without their data. The bundle is the
 * synthesized view (bundleFromScope), so strings are rendered as the API server receives them.
 */
export function renderBundle(stacks: ReadonlyArray<{ stack: string; bundle: AuditBundle }>): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const { stack, bundle } of stacks) {
    const byNs = new Map<string, any[]>();
    for (const item of bundle.k8s) {
      const o = clone(item.object);
      if (o.kind === 'Secret') { delete o.data; delete o.stringData; }
      const p = podOf({ object: item.object, path: item.path });
      if (p) {
        const ann = exemptionAnnotations(deviations(bundle, p));
        if (Object.keys(ann).length > 0) {
          o.metadata.annotations = { ...(o.metadata.annotations ?? {}), ...ann };
          const tmpl = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.kind === 'Pod' ? undefined : o.spec.template;
          if (tmpl) tmpl.metadata = { ...(tmpl.metadata ?? {}), annotations: { ...(tmpl.metadata?.annotations ?? {}), ...ann } };
        }
      }
      const key = o.kind === 'Namespace' ? o.metadata.name : o.metadata?.namespace ?? '_cluster';
      byNs.set(key, [...(byNs.get(key) ?? []), o]);
    }
    for (const [ns, objects] of [...byNs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const content = objects.map((o) => yamlModule().stringify(o, { lineWidth: 0 })).join('---\n');
      files.push({ file: `${stack}/${ns}.yaml`, content, objects: objects.length });
    }
  }
  return files;
}

/** Write rendered files under a directory; returns the written paths. */
export function writeRendered(dir: string, files: readonly RenderedFile[]): string[] {
  return files.map((f) => {
    const target = path.join(dir, f.file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, f.content);
    return target;
  });
}
