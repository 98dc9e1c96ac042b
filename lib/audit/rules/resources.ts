import { AuditBundle, RawFinding, RuleDefinition, finding, pods } from '../model';

function containersOf(bundle: AuditBundle) {
  return pods(bundle).flatMap((p) => [...p.initContainers, ...p.containers].map((c) => ({ p, c })));
}

/** GP-RES-001: CPU and memory requests. */
function requests(bundle: AuditBundle): RawFinding[] {
  return containersOf(bundle).flatMap(({ p, c }) => {
    const missing = ['cpu', 'memory'].filter((r) => c.resources?.requests?.[r] === undefined);
    const props = missing.map((r) => (r === 'cpu' ? 'minimumCpu' : 'minimumMemory'));
    return missing.length > 0 ? [finding('GP-RES-001', p.item, `container ${c.name} has no ${missing.join(' or ')} request; set ${props.join(' and ')} (resources.requests)`)] : [];
  });
}

/**
 * GP-RES-002: memory limit present. The library sets limit = request x memoryLimitMultiplier
 * (1.3, seed 000); limit == request (seed 004's starting point) is advisory: memoryLimitMultiplier: 1.
 */
function memoryLimit(bundle: AuditBundle): RawFinding[] {
  return containersOf(bundle).flatMap(({ p, c }) => {
    const limit = c.resources?.limits?.memory;
    const request = c.resources?.requests?.memory;
    // maximumMemory is the VPA's upper bound, not the limit: the limit is minimumMemory x memoryLimitMultiplier.
    if (limit === undefined) return [finding('GP-RES-002', p.item, `container ${c.name} has no memory limit; set minimumMemory and memoryLimitMultiplier (the library's limit is the request x memoryLimitMultiplier; resources.limits.memory on your own manifest)`, 'error')];
    if (request !== undefined && String(limit) !== String(request)) return [finding('GP-RES-002', p.item, `container ${c.name} memory limit ${limit} differs from its request ${request}: the library adds headroom on purpose (memoryLimitMultiplier 1.3, seed 000); set memoryLimitMultiplier: 1 for limit == request (seed 004, Guaranteed memory)`, 'info')];
    return [];
  });
}

/** GP-RES-003: no CPU limit (CPU is compressible; limits throttle). */
function cpuLimit(bundle: AuditBundle): RawFinding[] {
  return containersOf(bundle).flatMap(({ p, c }) => c.resources?.limits?.cpu !== undefined
    ? [finding('GP-RES-003', p.item, `container ${c.name} has a CPU limit (${c.resources.limits.cpu}); remove it: leave maximumCpu unset and rely on the CPU request (minimumCpu), limits only throttle (seed 004)`)]
    : []);
}

/** GP-RES-004: ephemeral storage (the library sets both). */
function ephemeral(bundle: AuditBundle): RawFinding[] {
  return containersOf(bundle).flatMap(({ p, c }) => {
    const missing = ['requests', 'limits'].filter((k) => c.resources?.[k]?.['ephemeral-storage'] === undefined);
    return missing.length > 0 ? [finding('GP-RES-004', p.item, `container ${c.name} has no ephemeral-storage ${missing.join(' or ')}; set resources.${missing.join(' and resources.')}["ephemeral-storage"] so a full disk evicts only this pod (library workloads set both from tmpDirectories)`)] : [];
  });
}

export const RESOURCE_RULES: RuleDefinition[] = [
  { id: 'GP-RES-001', title: 'CPU and memory requests', category: 'resources', severity: 'error', check: requests,
    help: 'Every container, init containers included, requests CPU and memory.' },
  { id: 'GP-RES-002', title: 'Memory limit', category: 'resources', severity: 'error', check: memoryLimit,
    help: 'Every container has a memory limit. Seed 000 sets it to 1.3 x the request (memoryLimitMultiplier); limit == request (seed 004, memoryLimitMultiplier: 1) is advisory.' },
  { id: 'GP-RES-003', title: 'No CPU limit', category: 'resources', severity: 'error', check: cpuLimit,
    help: 'CPU limits throttle a pod even when the node is idle; set a request and no limit (seed 004). Suppress per construct with a reason for batch or noisy-neighbour isolation.' },
  { id: 'GP-RES-004', title: 'Ephemeral storage', category: 'resources', severity: 'warn', check: ephemeral,
    help: 'Containers request and limit ephemeral-storage.' },
];
