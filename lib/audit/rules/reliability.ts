import { AuditBundle, PodView, isOpaque, RawFinding, RuleDefinition, asArray, finding, isTokenString, minReplicas, ofKind, pods, podsSelectedBy, scalersFor, servicesFor } from '../model';

function handlerOf(probe: any): string | undefined {
  if (!probe) return undefined;
  if (probe.httpGet) return `http ${probe.httpGet.path ?? '/'} ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `tcp ${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc ${probe.grpc.port} ${probe.grpc.service ?? ''}`;
  if (probe.exec) return `exec ${JSON.stringify(probe.exec.command)}`;
  return undefined;
}

/** The prop that gives readiness its own handler, for the probe's kind. */
function separateReadiness(probe: any): string {
  if (probe?.httpGet) return 'set readinessProbeRoute to a readiness endpoint (e.g. "/readyz") that differs from livenessProbeRoute';
  if (probe?.exec) return 'set readinessProbeCommand to a readiness check that differs from livenessProbeCommand';
  return 'set readinessProbeType "HTTP" with readinessProbeRoute (e.g. "/readyz"), or readinessProbePort, so readiness differs from liveness';
}

/** How long a probe tolerates failure before acting (seconds). */
function tolerance(probe: any): number {
  return (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
}

/** GP-REL-001: probes on long-running containers. */
function probes(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle).filter((x) => x.longRunning)) {
    for (const c of p.containers) {
      // The library's readiness probe follows the liveness props unless readinessProbe* differ, so both fixes name livenessProbeType.
      if (!c.readinessProbe) out.push(finding('GP-REL-001', p.item, `container ${c.name} has no readiness probe; add one: set livenessProbeType with livenessProbePort (and livenessProbeRoute) or livenessProbeCommand: the readiness probe follows it (readinessProbe* to differ), so traffic waits until the app is ready`, 'error'));
      if (!c.livenessProbe) out.push(finding('GP-REL-001', p.item, `container ${c.name} has no liveness probe; add one: set livenessProbeType ("HTTP", "TCP" or "exec") with livenessProbePort/livenessProbeRoute or livenessProbeCommand so a hung process is restarted`, 'warn'));
    }
  }
  return out;
}

/** GP-REL-002: liveness identical to readiness (restart and removal from endpoints at the same moment). */
function identicalProbes(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const c of p.containers) {
      const l = handlerOf(c.livenessProbe);
      if (!l || l !== handlerOf(c.readinessProbe)) continue;
      const own = separateReadiness(c.readinessProbe);
      if (tolerance(c.livenessProbe) > tolerance(c.readinessProbe)) {
        out.push(finding('GP-REL-002', p.item, `container ${c.name} liveness and readiness probes share the handler ${l} (liveness is more tolerant, so readiness acts first); a separate readiness check is better (seed 004): ${own}`, 'info'));
      } else {
        out.push(finding('GP-REL-002', p.item, `container ${c.name} liveness and readiness probes are identical (${l}), so the pod is restarted the moment it leaves the endpoints; ${own}, or give liveness a longer failure window (failureThreshold)`, 'error'));
      }
    }
  }
  return out;
}

const DEPENDENCY_PATH = /(ready|readiness|deps|dependenc|database|\bdb\b|downstream|upstream)/i;

/** GP-REL-003: liveness that checks dependencies. */
function livenessDependencies(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const c of p.containers) {
      const lp = c.livenessProbe;
      if (!lp) continue;
      const path = lp.httpGet?.path;
      if (typeof path === 'string' && DEPENDENCY_PATH.test(path)) out.push(finding('GP-REL-003', p.item, `container ${c.name} liveness probe path ${path} looks like a readiness or dependency check (seed 004: cascading failures); point livenessProbeRoute at an endpoint that only tests the process (e.g. "/livez") and check dependencies in readinessProbeRoute`));
      const cmd = asArray<string>(lp.exec?.command).join(' ');
      if (/\b(curl|wget|nc)\b/.test(cmd) && !/(localhost|127\.0\.0\.1|\[::1\])/.test(cmd)) out.push(finding('GP-REL-003', p.item, `container ${c.name} liveness probe calls another host (${cmd}); make livenessProbeCommand test only the local process (localhost)`));
    }
  }
  return out;
}

/** Seconds a preStop hook sleeps (0 for a hook that does not sleep); undefined without a preStop hook. */
function preStopSleep(c: any): number | undefined {
  const ps = c.lifecycle?.preStop;
  if (!ps) return undefined;
  if (typeof ps.sleep?.seconds === 'number') return ps.sleep.seconds;
  const m = /sleep\s+(\d+)/.exec(asArray<string>(ps.exec?.command).join(' '));
  return m ? Number(m[1]) : 0;
}

/** Least grace period (s) for a Service-backed pod: seed 004's example gives the app a 10 s shutdown deadline. */
const MIN_GRACE_SECONDS = 10;

/**
 * GP-REL-005: graceful shutdown, as seed 004 has it: the app handles SIGTERM itself (stops
 * accepting, finishes in-flight requests, closes connections) within a grace period that covers
 * it. A preStop sleep is on seed 004's Don't list: it is reported (info), never advised; when a
 * preStop hook exists, the grace period must still cover it.
 */
function gracefulShutdown(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle).filter((x) => x.longRunning)) {
    const grace = p.spec.terminationGracePeriodSeconds ?? 30;
    const known = typeof grace === 'number';
    if (known && grace < MIN_GRACE_SECONDS && servicesFor(bundle, p).length > 0) {
      out.push(finding('GP-REL-005', p.item, `terminationGracePeriodSeconds ${grace} leaves the app almost no time to finish in-flight requests after SIGTERM; handle SIGTERM in the app (seed 004) and set terminationGracePeriodSeconds to cover its shutdown, at least ${MIN_GRACE_SECONDS}`, 'warn'));
    }
    for (const c of [...p.containers, ...p.initContainers.filter((x) => x.restartPolicy === 'Always')]) {
      const sleep = preStopSleep(c);
      if (sleep === undefined) continue;
      if (known && grace < sleep + 5) {
        out.push(finding('GP-REL-005', p.item, `terminationGracePeriodSeconds ${grace} does not cover container ${c.name}'s preStop hook (${sleep} s) and the app's own shutdown after SIGTERM; raise terminationGracePeriodSeconds to at least ${sleep + 5}`, 'warn'));
      }
      if (sleep > 0) {
        out.push(finding('GP-REL-005', p.item, `container ${c.name} delays its shutdown with a preStop sleep of ${sleep} s, which seed 004 lists under Don't; remove the preStop hook and handle SIGTERM in the app (stop accepting connections, finish in-flight requests) within terminationGracePeriodSeconds`, 'info'));
      }
    }
  }
  return out;
}

/** GP-REL-006: static replicas under an autoscaler. */
function replicasUnderAutoscaler(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    const { hpa, keda } = scalersFor(bundle, p);
    if (hpa.length + keda.length > 0 && p.item.object.spec?.replicas !== undefined && p.item.object.spec?.replicas !== null) {
      out.push(finding('GP-REL-006', p.item, `replicas is set while ${[...hpa, ...keda].map((s) => s.object.kind).join(' and ')} scales the workload; remove replicas (spec.replicas) so a rollout does not undo the autoscaler (horizontalAutoscaling and KubeScaledObject leave it unset)`));
    }
  }
  return out;
}

/** Replicas a Service-backed workload needs for redundancy: seed 004, "a minimum of 2 replicas ... for redundancy". */
export const MIN_REDUNDANT_REPLICAS = 2;

/**
 * GP-REL-007: enough replicas for availability (seed 004: at least 2 for redundancy). A
 * StatefulSet's replica count follows the app's own clustering (seed 003: keep state out of the
 * cluster where you can), so there it is advisory, as for every workload at SLA target 1.
 */
function replicas(bundle: AuditBundle, ctx: { slaTarget: number }): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    if (!['Deployment', 'StatefulSet'].includes(p.kind) || servicesFor(bundle, p).length === 0) continue; // workers may be singletons
    const min = minReplicas(bundle, p);
    if (min === undefined || min >= MIN_REDUNDANT_REPLICAS) continue;
    const { hpa, keda } = scalersFor(bundle, p);
    const prop = hpa.length > 0 ? 'horizontalAutoscaling.minReplicas' : keda.length > 0 ? 'minReplicaCount (KubeScaledObject)' : 'replicas';
    if (p.kind === 'StatefulSet') {
      out.push(finding('GP-REL-007', p.item, `can run with ${min} replica(s), so it is unavailable during every restart and drain; if the app replicates, set ${prop} to at least ${MIN_REDUNDANT_REPLICAS} (a StatefulSet's replica count follows the app's clustering, so this is advisory)`, 'info'));
      continue;
    }
    const singleAz = ctx.slaTarget < 2;
    out.push(finding('GP-REL-007', p.item, `can run with ${min} replica(s); set ${prop} to at least ${MIN_REDUNDANT_REPLICAS} so it stays available while a pod restarts or a node drains (seed 004)${singleAz ? ' (accepted at SLA target 1)' : ''}`, singleAz ? 'info' : 'warn'));
  }
  return out;
}

const QUANTITY_SUFFIX: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60, m: 1e-3 };

/** A Kubernetes quantity in base units (`128Mi` -> 134217728); undefined for a deploy-time or unreadable value. */
export function quantityBytes(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string' || isTokenString(q)) return undefined;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))([KMGTPE]i|[kMGTPEm]?)$/.exec(q.trim());
  return m ? Number(m[1]) * QUANTITY_SUFFIX[m[2]] : undefined;
}

/** GP-REL-008: HPA sanity. */
function hpaRules(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const h of ofKind(bundle, 'HorizontalPodAutoscaler')) {
    const spec = h.object.spec ?? {};
    const min = spec.minReplicas ?? 1;
    if (typeof spec.maxReplicas === 'number' && typeof min === 'number' && spec.maxReplicas <= min) out.push(finding('GP-REL-008', h, `maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}, so the autoscaler can never scale; raise horizontalAutoscaling.maxReplicas (spec.maxReplicas)`));
    const ref = spec.scaleTargetRef ?? {};
    const target = pods(bundle).find((p) => p.namespace === h.object.metadata?.namespace && p.name === ref.name && p.kind === ref.kind);
    if (!target) { if (!isTokenString(ref.name) && !isOpaque(bundle, h.object.metadata?.namespace)) out.push(finding('GP-REL-008', h, `scaleTargetRef ${ref.kind}/${ref.name} is not in this stack; point spec.scaleTargetRef at a workload of the stack (horizontalAutoscaling on the workload does it for you)`)); continue; }
    for (const m of asArray<any>(spec.metrics)) {
      const res = m.resource?.name ?? m.containerResource?.name;
      if (res === 'cpu' && target.containers.some((c) => !c.resources?.requests?.cpu)) out.push(finding('GP-REL-008', h, 'scales on CPU utilization but a target container has no CPU request; set minimumCpu (resources.requests.cpu) on every container'));
      // Seed 004 allows memory targets; they only fail when the target lies at or above the memory limit,
      // so pods are OOM-killed before the average can reach it.
      const util = m.resource?.target?.averageUtilization ?? m.containerResource?.target?.averageUtilization;
      if (res === 'memory' && typeof util === 'number') {
        for (const c of target.containers) {
          const request = quantityBytes(c.resources?.requests?.memory);
          const limit = quantityBytes(c.resources?.limits?.memory);
          if (request === undefined || limit === undefined || request <= 0 || limit > request * (util / 100)) continue;
          const most = Math.floor((limit / request) * 100) - 1;
          out.push(finding('GP-REL-008', h, `scales on memory at ${util}% of the request, but container ${c.name}'s memory limit is ${Math.round((limit / request) * 100)}% of it, so pods are OOM-killed before the average reaches the target; set horizontalAutoscaling.targetMemoryUtilization to ${most} or less, or raise memoryLimitMultiplier`));
          break;
        }
      }
    }
  }
  return out;
}

/** GP-REL-009: KEDA ScaledObject sanity. */
function kedaRules(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const so of ofKind(bundle, 'ScaledObject')) {
    const spec = so.object.spec ?? {};
    const ref = spec.scaleTargetRef ?? {};
    const target = pods(bundle).find((p) => p.namespace === so.object.metadata?.namespace && p.name === ref.name && p.kind === (ref.kind ?? 'Deployment'));
    if (!target) continue;
    if (scalersFor(bundle, target).hpa.length > 0) out.push(finding('GP-REL-009', so, `${ref.name} is also targeted by a HorizontalPodAutoscaler; keep only one autoscaler (remove horizontalAutoscaling from the workload, or this ScaledObject)`, 'error'));
    if ((spec.minReplicaCount ?? 0) === 0 && spec.idleReplicaCount === undefined && servicesFor(bundle, target).length > 0) out.push(finding('GP-REL-009', so, `can scale a Service-backed workload to zero; set minReplicaCount to ${MIN_REDUNDANT_REPLICAS} or more, or idleReplicaCount: 0 to state that scale-to-zero is intended`, 'warn'));
    if (!spec.fallback) out.push(finding('GP-REL-009', so, 'has no fallback; set fallback: { failureThreshold: 3, replicas: <n> } so a broken metric source does not freeze scaling', 'info'));
  }
  return out;
}

function hasPdb(bundle: AuditBundle, p: PodView): boolean {
  return ofKind(bundle, 'PodDisruptionBudget').some((pdb) => pdb.object.metadata?.namespace === p.namespace && podsSelectedBy(bundle, p.namespace, pdb.object.spec?.selector).some((x) => x.item === p.item));
}

/** GP-REL-010: multi-replica workloads have a PDB. */
function pdbExists(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    if (!['Deployment', 'StatefulSet'].includes(p.kind)) continue;
    const { hpa, keda } = scalersFor(bundle, p);
    const r = p.item.object.spec?.replicas;
    const multi = hpa.length + keda.length > 0 || (typeof r === 'number' && r >= 2);
    if (multi && !hasPdb(bundle, p)) out.push(finding('GP-REL-010', p.item, 'runs several replicas but no PodDisruptionBudget selects its pods; add one with maxUnavailable: 1 (KubeDeployment and KubeStatefulSet create it)'));
  }
  return out;
}

/** The Job's activeDeadlineSeconds (a CronJob's jobTemplate), if set. */
function deadlineOf(p: PodView): unknown {
  const o = p.item.object;
  return o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.activeDeadlineSeconds : o.spec?.activeDeadlineSeconds;
}

/** GP-REL-011: the PDB must allow eviction. */
function pdbAllowsEviction(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const pdb of ofKind(bundle, 'PodDisruptionBudget')) {
    const s = pdb.object.spec ?? {};
    const selected = podsSelectedBy(bundle, pdb.object.metadata?.namespace, s.selector);
    if (selected.length > 0 && selected.every((p) => !p.longRunning)) {
      // Batch pods (Job/CronJob) finish on their own: a PDB that keeps them from being evicted mid-run delays a drain,
      // by at most activeDeadlineSeconds when the job has one (the library's jobs always do).
      const unbounded = selected.filter((p) => deadlineOf(p) === undefined);
      if ((s.maxUnavailable === 0 || s.maxUnavailable === '0%' || s.minAvailable === '100%') && unbounded.length > 0) {
        out.push(finding('GP-REL-011', pdb, `keeps running batch pods from being evicted, and ${unbounded.map((p) => `${p.kind} ${p.name}`).join(', ')} has no time limit, so a drain can wait forever; set activeDeadlineSeconds, or disruptionsEnabled: true to let drains evict the pods`, 'info'));
      }
      if (!s.unhealthyPodEvictionPolicy) out.push(finding('GP-REL-011', pdb, 'unhealthyPodEvictionPolicy is unset; set unhealthyPodEvictionPolicy: "AlwaysAllow" so broken pods do not block drains'));
      continue;
    }
    if (s.maxUnavailable === 0 || s.maxUnavailable === '0%') out.push(finding('GP-REL-011', pdb, 'maxUnavailable is 0, so nodes can never be drained; set voluntaryDisruptionsEnabled: true with maxUnavailable: 1 (spec.maxUnavailable)'));
    if (s.minAvailable === '100%') out.push(finding('GP-REL-011', pdb, 'minAvailable is 100%, so nodes can never be drained; use maxUnavailable: 1 instead of minAvailable'));
    if (typeof s.minAvailable === 'number') {
      const mins = podsSelectedBy(bundle, pdb.object.metadata?.namespace, s.selector).map((p) => minReplicas(bundle, p)).filter((n): n is number => n !== undefined);
      if (mins.length > 0 && s.minAvailable >= Math.min(...mins)) out.push(finding('GP-REL-011', pdb, `minAvailable ${s.minAvailable} is not below the workload's minimum replicas ${Math.min(...mins)}; use maxUnavailable: 1 instead of minAvailable`));
    }
    if (!s.unhealthyPodEvictionPolicy) out.push(finding('GP-REL-011', pdb, 'unhealthyPodEvictionPolicy is unset; set unhealthyPodEvictionPolicy: "AlwaysAllow" so broken pods do not block drains'));
  }
  return out;
}

/** GP-REL-012: spread over zones/hosts. */
function spread(bundle: AuditBundle, ctx: { slaTarget: number }): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const t of asArray<any>(p.spec.topologySpreadConstraints)) {
      if (!t.labelSelector || !t.topologyKey || !(t.maxSkew >= 1)) out.push(finding('GP-REL-012', p.item, 'a topologySpreadConstraint lacks labelSelector, topologyKey or maxSkew >= 1; complete it (azSpreadPreferred / azSpreadRequired write complete ones)', 'error'));
    }
    if (!['Deployment', 'StatefulSet'].includes(p.kind)) continue;
    const min = minReplicas(bundle, p);
    const { hpa, keda } = scalersFor(bundle, p);
    if ((min ?? 1) < 2 && hpa.length + keda.length === 0) continue;
    const zone = asArray<any>(p.spec.topologySpreadConstraints).some((t) => t.topologyKey === 'topology.kubernetes.io/zone');
    const anti = p.spec.affinity?.podAntiAffinity ?? {};
    const terms = [...asArray<any>(anti.requiredDuringSchedulingIgnoredDuringExecution), ...asArray<any>(anti.preferredDuringSchedulingIgnoredDuringExecution).map((x) => x.podAffinityTerm)];
    const host = terms.some((t) => t?.topologyKey === 'kubernetes.io/hostname');
    if (!zone && !host) out.push(finding('GP-REL-012', p.item, 'replicas may all land in one zone or on one node; set azSpreadPreferred: true (a zone topologySpreadConstraint) or hostAntiAffinityRequired: true', ctx.slaTarget < 2 ? 'info' : 'warn'));
  }
  return out;
}

/** GP-REL-015: CronJob hygiene. */
function cronJobs(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const cj of ofKind(bundle, 'CronJob')) {
    const s = cj.object.spec ?? {};
    const job = s.jobTemplate?.spec ?? {};
    const problems: string[] = [];
    // ttlSecondsAfterFinished is not judged: Panfactum's kube_cron_job sets 600 (inventory 5.1) and no seed objects; see docs/audit.md.
    if (s.startingDeadlineSeconds === undefined) problems.push('set startingDeadlineSeconds');
    if ((s.concurrencyPolicy ?? 'Allow') === 'Allow') problems.push('set concurrencyPolicy: "Forbid" or "Replace"');
    if (!['OnFailure', 'Never'].includes(job.template?.spec?.restartPolicy)) problems.push('set restartPolicy: "OnFailure" or "Never"');
    if (job.activeDeadlineSeconds === undefined) problems.push('set activeDeadlineSeconds');
    if (job.backoffLimit === undefined) problems.push('set backoffLimit');
    if (problems.length > 0) out.push(finding('GP-REL-015', cj, `may pile up, hang or retry forever: ${problems.join('; ')}`));
  }
  return out;
}

export const RELIABILITY_RULES: RuleDefinition[] = [
  { id: 'GP-REL-001', title: 'Probes', category: 'reliability', severity: 'error', check: probes,
    help: 'Long-running containers need a readiness probe (error) and a liveness probe (warn).' },
  { id: 'GP-REL-002', title: 'Liveness differs from readiness', category: 'reliability', severity: 'error', check: identicalProbes,
    help: 'Identical liveness and readiness probes restart a pod at the moment it is taken out of rotation. Same handler with a more tolerant liveness window is advisory.' },
  { id: 'GP-REL-003', title: 'Liveness checks only the process', category: 'reliability', severity: 'warn', check: livenessDependencies,
    help: 'A liveness probe that checks dependencies restarts healthy pods during an outage of something else.' },
  { id: 'GP-REL-005', title: 'Graceful shutdown', category: 'reliability', severity: 'warn', check: gracefulShutdown,
    help: 'Seed 004: the app handles SIGTERM itself within a grace period that covers its shutdown. Service-backed pods get at least 10 s (warn); a grace period must cover any preStop hook (warn); a preStop sleep is on seed 004\'s Don\'t list (info).' },
  { id: 'GP-REL-006', title: 'No static replicas under an autoscaler', category: 'reliability', severity: 'error', check: replicasUnderAutoscaler,
    help: 'spec.replicas must be unset when an HPA or KEDA ScaledObject controls the workload.' },
  { id: 'GP-REL-007', title: 'Enough replicas', category: 'reliability', severity: 'warn', check: replicas,
    help: 'Service-backed Deployments run at least 2 replicas (seed 004), in strict mode too; advisory for StatefulSets (their count follows the app\'s clustering) and at SLA target 1.' },
  { id: 'GP-REL-008', title: 'HPA sanity', category: 'reliability', severity: 'error', check: hpaRules,
    help: 'maxReplicas > minReplicas, the target exists, CPU metrics need CPU requests, a memory target below the memory limit (seed 004 allows memory targets).' },
  { id: 'GP-REL-009', title: 'KEDA sanity', category: 'reliability', severity: 'error', check: kedaRules,
    help: 'One autoscaler per workload, no accidental scale-to-zero of a Service-backed workload, a fallback.' },
  { id: 'GP-REL-010', title: 'PodDisruptionBudget present', category: 'reliability', severity: 'error', check: pdbExists,
    help: 'Multi-replica or autoscaled Deployments/StatefulSets have a PDB.' },
  { id: 'GP-REL-011', title: 'PodDisruptionBudget allows eviction', category: 'reliability', severity: 'error', check: pdbAllowsEviction,
    help: 'The PDB must allow at least one eviction and set unhealthyPodEvictionPolicy.' },
  { id: 'GP-REL-012', title: 'Spread over zones and nodes', category: 'reliability', severity: 'warn', check: spread,
    help: 'Multi-replica workloads spread over zones (topologySpreadConstraint) or hosts (anti-affinity); constraints must be complete.' },
  { id: 'GP-REL-015', title: 'CronJob hygiene', category: 'reliability', severity: 'warn', check: cronJobs,
    help: 'CronJobs set startingDeadlineSeconds, a concurrencyPolicy, restartPolicy, activeDeadlineSeconds and backoffLimit. ttlSecondsAfterFinished is allowed (Panfactum sets 600).' },
];
