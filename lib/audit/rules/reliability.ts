import { AuditBundle, PodView, isOpaque, RawFinding, RuleDefinition, asArray, finding, isTokenString, minReplicas, ofKind, pods, podsSelectedBy, scalersFor, servicesFor } from '../model';

function handlerOf(probe: any): string | undefined {
  if (!probe) return undefined;
  if (probe.httpGet) return `http ${probe.httpGet.path ?? '/'} ${probe.httpGet.port}`;
  if (probe.tcpSocket) return `tcp ${probe.tcpSocket.port}`;
  if (probe.grpc) return `grpc ${probe.grpc.port} ${probe.grpc.service ?? ''}`;
  if (probe.exec) return `exec ${JSON.stringify(probe.exec.command)}`;
  return undefined;
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
      if (!c.readinessProbe) out.push(finding('GP-REL-001', p.item, `container ${c.name} has no readiness probe; add one (readinessProbeType/Route) so traffic waits until it is ready`, 'error'));
      if (!c.livenessProbe) out.push(finding('GP-REL-001', p.item, `container ${c.name} has no liveness probe; add one (livenessProbeType/Route) so a hung process is restarted`, 'warn'));
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
      if (tolerance(c.livenessProbe) > tolerance(c.readinessProbe)) {
        out.push(finding('GP-REL-002', p.item, `container ${c.name} liveness and readiness probes share the handler ${l} (liveness is more tolerant, so readiness acts first); a separate /livez endpoint is better`, 'info'));
      } else {
        out.push(finding('GP-REL-002', p.item, `container ${c.name} liveness and readiness probes are identical (${l}); give liveness its own endpoint or a longer failure window`, 'error'));
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
      if (typeof path === 'string' && DEPENDENCY_PATH.test(path)) out.push(finding('GP-REL-003', p.item, `container ${c.name} liveness probe path ${path} looks like a readiness/dependency check; liveness must only test the process itself`));
      const cmd = asArray<string>(lp.exec?.command).join(' ');
      if (/\b(curl|wget|nc)\b/.test(cmd) && !/(localhost|127\.0\.0\.1|\[::1\])/.test(cmd)) out.push(finding('GP-REL-003', p.item, `container ${c.name} liveness probe calls another host (${cmd}); probe only the local process`));
    }
  }
  return out;
}

function preStopSleep(c: any): number | undefined {
  const ps = c.lifecycle?.preStop;
  if (!ps) return undefined;
  if (ps.sleep?.seconds !== undefined) return ps.sleep.seconds;
  const m = /sleep\s+(\d+)/.exec(asArray<string>(ps.exec?.command).join(' '));
  return m ? Number(m[1]) : 0;
}

/** GP-REL-005: graceful shutdown for Service-backed workloads. */
function gracefulShutdown(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle).filter((x) => x.longRunning)) {
    if (servicesFor(bundle, p).length === 0) continue;
    const grace = p.spec.terminationGracePeriodSeconds ?? 30;
    for (const c of p.containers) {
      const sleep = preStopSleep(c);
      if (sleep === undefined) {
        out.push(finding('GP-REL-005', p.item, `container ${c.name} is behind a Service but has no preStop delay; add a preStop sleep (5-10s) so endpoints drain before SIGTERM`, 'info'));
      } else if (typeof grace === 'number' && grace < sleep + 5) {
        out.push(finding('GP-REL-005', p.item, `terminationGracePeriodSeconds ${grace} is shorter than the preStop sleep ${sleep}s + 5s; raise it`, 'warn'));
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
      out.push(finding('GP-REL-006', p.item, `spec.replicas is set while ${[...hpa, ...keda].map((s) => s.object.kind).join(' and ')} scales it; leave replicas unset so a rollout does not undo the autoscaler`));
    }
  }
  return out;
}

/** GP-REL-007: enough replicas for availability. */
function replicas(bundle: AuditBundle, ctx: { slaTarget: number; strict: boolean }): RawFinding[] {
  const out: RawFinding[] = [];
  const want = ctx.strict ? 3 : 2;
  for (const p of pods(bundle)) {
    if (!['Deployment', 'StatefulSet'].includes(p.kind) || servicesFor(bundle, p).length === 0) continue; // workers may be singletons
    const min = minReplicas(bundle, p);
    if (min === undefined || min >= want) continue;
    const singleAz = ctx.slaTarget < 2;
    out.push(finding('GP-REL-007', p.item, `can run with ${min} replica(s); use at least ${want} (replicas or autoscaler minimum)${singleAz ? ' (accepted at SLA target 1)' : ''}`, singleAz ? 'info' : 'warn'));
  }
  return out;
}

/** GP-REL-008: HPA sanity. */
function hpaRules(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const h of ofKind(bundle, 'HorizontalPodAutoscaler')) {
    const spec = h.object.spec ?? {};
    const min = spec.minReplicas ?? 1;
    if (typeof spec.maxReplicas === 'number' && typeof min === 'number' && spec.maxReplicas <= min) out.push(finding('GP-REL-008', h, `maxReplicas ${spec.maxReplicas} is not above minReplicas ${min}; raise maxReplicas`));
    const ref = spec.scaleTargetRef ?? {};
    const target = pods(bundle).find((p) => p.namespace === h.object.metadata?.namespace && p.name === ref.name && p.kind === ref.kind);
    if (!target) { if (!isTokenString(ref.name) && !isOpaque(bundle, h.object.metadata?.namespace)) out.push(finding('GP-REL-008', h, `scaleTargetRef ${ref.kind}/${ref.name} is not in this stack; fix the target`)); continue; }
    for (const m of asArray<any>(spec.metrics)) {
      const res = m.resource?.name ?? m.containerResource?.name;
      if (res === 'cpu' && target.containers.some((c) => !c.resources?.requests?.cpu)) out.push(finding('GP-REL-008', h, 'scales on CPU utilization but a target container has no CPU request; set CPU requests'));
      if (res === 'memory' && target.containers.some((c) => c.resources?.limits?.memory)) out.push(finding('GP-REL-008', h, 'scales on memory but the pods have memory limits (they are OOM-killed before scaling helps); scale on CPU or a custom metric'));
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
    if (scalersFor(bundle, target).hpa.length > 0) out.push(finding('GP-REL-009', so, `${ref.name} is also targeted by a HorizontalPodAutoscaler; keep only one autoscaler`, 'error'));
    if ((spec.minReplicaCount ?? 0) === 0 && spec.idleReplicaCount === undefined && servicesFor(bundle, target).length > 0) out.push(finding('GP-REL-009', so, 'can scale a Service-backed workload to zero; set minReplicaCount >= 1 or idleReplicaCount to state the intent', 'warn'));
    if (!spec.fallback) out.push(finding('GP-REL-009', so, 'has no fallback; set fallback.replicas so a broken metric source does not freeze scaling', 'info'));
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
    if (multi && !hasPdb(bundle, p)) out.push(finding('GP-REL-010', p.item, 'runs several replicas but no PodDisruptionBudget selects its pods; add one with maxUnavailable: 1'));
  }
  return out;
}

/** GP-REL-011: the PDB must allow eviction. */
function pdbAllowsEviction(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const pdb of ofKind(bundle, 'PodDisruptionBudget')) {
    const s = pdb.object.spec ?? {};
    const selected = podsSelectedBy(bundle, pdb.object.metadata?.namespace, s.selector);
    if (selected.length > 0 && selected.every((p) => !p.longRunning)) {
      // Batch pods (Job/CronJob) finish on their own: a PDB that keeps them from being evicted mid-run only delays a drain.
      if (s.maxUnavailable === 0 || s.maxUnavailable === '0%' || s.minAvailable === '100%') out.push(finding('GP-REL-011', pdb, 'keeps running batch pods from being evicted, so drains wait for the job; bound the job with activeDeadlineSeconds', 'info'));
      if (!s.unhealthyPodEvictionPolicy) out.push(finding('GP-REL-011', pdb, 'unhealthyPodEvictionPolicy is unset; set it to AlwaysAllow so broken pods do not block drains'));
      continue;
    }
    if (s.maxUnavailable === 0 || s.maxUnavailable === '0%') out.push(finding('GP-REL-011', pdb, 'maxUnavailable is 0, so nodes can never be drained; use maxUnavailable: 1'));
    if (s.minAvailable === '100%') out.push(finding('GP-REL-011', pdb, 'minAvailable is 100%, so nodes can never be drained; use maxUnavailable: 1'));
    if (typeof s.minAvailable === 'number') {
      const mins = podsSelectedBy(bundle, pdb.object.metadata?.namespace, s.selector).map((p) => minReplicas(bundle, p)).filter((n): n is number => n !== undefined);
      if (mins.length > 0 && s.minAvailable >= Math.min(...mins)) out.push(finding('GP-REL-011', pdb, `minAvailable ${s.minAvailable} is not below the workload's minimum replicas ${Math.min(...mins)}; use maxUnavailable: 1`));
    }
    if (!s.unhealthyPodEvictionPolicy) out.push(finding('GP-REL-011', pdb, 'unhealthyPodEvictionPolicy is unset; set it to AlwaysAllow so broken pods do not block drains'));
  }
  return out;
}

/** GP-REL-012: spread over zones/hosts. */
function spread(bundle: AuditBundle, ctx: { slaTarget: number }): RawFinding[] {
  const out: RawFinding[] = [];
  for (const p of pods(bundle)) {
    for (const t of asArray<any>(p.spec.topologySpreadConstraints)) {
      if (!t.labelSelector || !t.topologyKey || !(t.maxSkew >= 1)) out.push(finding('GP-REL-012', p.item, 'a topologySpreadConstraint lacks labelSelector, topologyKey or maxSkew >= 1; complete it', 'error'));
    }
    if (!['Deployment', 'StatefulSet'].includes(p.kind)) continue;
    const min = minReplicas(bundle, p);
    const { hpa, keda } = scalersFor(bundle, p);
    if ((min ?? 1) < 2 && hpa.length + keda.length === 0) continue;
    const zone = asArray<any>(p.spec.topologySpreadConstraints).some((t) => t.topologyKey === 'topology.kubernetes.io/zone');
    const anti = p.spec.affinity?.podAntiAffinity ?? {};
    const terms = [...asArray<any>(anti.requiredDuringSchedulingIgnoredDuringExecution), ...asArray<any>(anti.preferredDuringSchedulingIgnoredDuringExecution).map((x) => x.podAffinityTerm)];
    const host = terms.some((t) => t?.topologyKey === 'kubernetes.io/hostname');
    if (!zone && !host) out.push(finding('GP-REL-012', p.item, 'replicas may all land in one zone or on one node; add a zone topologySpreadConstraint or hostname anti-affinity', ctx.slaTarget < 2 ? 'info' : 'warn'));
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
    if (s.startingDeadlineSeconds === undefined) problems.push('set startingDeadlineSeconds');
    if ((s.concurrencyPolicy ?? 'Allow') === 'Allow') problems.push('set concurrencyPolicy Forbid or Replace');
    if (!['OnFailure', 'Never'].includes(job.template?.spec?.restartPolicy)) problems.push('set restartPolicy OnFailure or Never');
    if (job.ttlSecondsAfterFinished !== undefined) problems.push('remove jobTemplate ttlSecondsAfterFinished (use the history limits)');
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
    help: 'Service-backed containers should sleep in preStop (advisory) and the grace period must cover it (warn).' },
  { id: 'GP-REL-006', title: 'No static replicas under an autoscaler', category: 'reliability', severity: 'error', check: replicasUnderAutoscaler,
    help: 'spec.replicas must be unset when an HPA or KEDA ScaledObject controls the workload.' },
  { id: 'GP-REL-007', title: 'Enough replicas', category: 'reliability', severity: 'warn', check: replicas,
    help: 'Service-backed Deployments and StatefulSets run at least 2 replicas (3 in strict mode); at SLA target 1 this is advisory.' },
  { id: 'GP-REL-008', title: 'HPA sanity', category: 'reliability', severity: 'error', check: hpaRules,
    help: 'maxReplicas > minReplicas, the target exists, CPU metrics need CPU requests, no memory metric on memory-limited pods.' },
  { id: 'GP-REL-009', title: 'KEDA sanity', category: 'reliability', severity: 'error', check: kedaRules,
    help: 'One autoscaler per workload, no accidental scale-to-zero of a Service-backed workload, a fallback.' },
  { id: 'GP-REL-010', title: 'PodDisruptionBudget present', category: 'reliability', severity: 'error', check: pdbExists,
    help: 'Multi-replica or autoscaled Deployments/StatefulSets have a PDB.' },
  { id: 'GP-REL-011', title: 'PodDisruptionBudget allows eviction', category: 'reliability', severity: 'error', check: pdbAllowsEviction,
    help: 'The PDB must allow at least one eviction and set unhealthyPodEvictionPolicy.' },
  { id: 'GP-REL-012', title: 'Spread over zones and nodes', category: 'reliability', severity: 'warn', check: spread,
    help: 'Multi-replica workloads spread over zones (topologySpreadConstraint) or hosts (anti-affinity); constraints must be complete.' },
  { id: 'GP-REL-015', title: 'CronJob hygiene', category: 'reliability', severity: 'warn', check: cronJobs,
    help: 'CronJobs set startingDeadlineSeconds, a concurrencyPolicy, restartPolicy, activeDeadlineSeconds and backoffLimit.' },
];
