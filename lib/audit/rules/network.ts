import { AuditBundle, RawFinding, RuleDefinition, asArray, finding, isOpaque, isTokenString, ofKind, pods, podsSelectedBy, selects, selectsAnything } from '../model';

function meshed(bundle: AuditBundle, podAnnotations: any, namespace?: string): boolean {
  if (podAnnotations?.['linkerd.io/inject'] === 'enabled') return true;
  const ns = ofKind(bundle, 'Namespace').find((n) => n.object.metadata?.name === namespace);
  return ns?.object.metadata?.annotations?.['linkerd.io/inject'] === 'enabled' && podAnnotations?.['linkerd.io/inject'] !== 'disabled';
}

/** GP-NET-001: a NetworkPolicy covers each long-running pod in both directions. */
function networkPolicy(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  const nps = ofKind(bundle, 'NetworkPolicy');
  for (const p of pods(bundle).filter((x) => x.longRunning)) {
    const mine = nps.filter((n) => n.object.metadata?.namespace === p.namespace && selects(n.object.spec?.podSelector ?? {}, p.podMeta.labels));
    if (mine.length === 0) {
      const inMesh = meshed(bundle, p.podMeta.annotations, p.namespace);
      out.push(finding('GP-NET-001', p.item, inMesh
        ? 'no NetworkPolicy selects the pod (the Linkerd mesh authorizes its traffic); set networkPolicy on the workload (or add a KubeNetworkPolicy) for defence in depth'
        : 'no NetworkPolicy selects the pod; set networkPolicy on the workload (or add a KubeNetworkPolicy): Ingress and Egress policyTypes with at least one rule each', inMesh ? 'info' : 'warn'));
      continue;
    }
    const types = new Set(mine.flatMap((n) => asArray<string>(n.object.spec?.policyTypes ?? ['Ingress'])));
    const ingress = mine.some((n) => asArray(n.object.spec?.ingress).length > 0);
    const egress = mine.some((n) => asArray(n.object.spec?.egress).length > 0);
    const missing = [!types.has('Ingress') || !ingress ? 'Ingress' : '', !types.has('Egress') || !egress ? 'Egress' : ''].filter(Boolean);
    if (missing.length > 0) out.push(finding('GP-NET-001', p.item, `the NetworkPolicies selecting the pod do not cover ${missing.join(' and ')} with at least one rule; add the policyType and its rules (networkPolicy.allowedIngress / allowedEgress write both)`));
  }
  return out;
}

/** GP-NET-003: Ingress TLS and no nginx snippets. */
function ingressTls(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const ing of ofKind(bundle, 'Ingress')) {
    const tls = asArray<any>(ing.object.spec?.tls);
    if (tls.length === 0) out.push(finding('GP-NET-003', ing, 'has no tls section; add spec.tls with the hosts and a certificate secret (KubeIngress writes it for its domains)'));
    const tlsHosts = new Set(tls.flatMap((t) => asArray<string>(t.hosts)));
    for (const r of asArray<any>(ing.object.spec?.rules)) {
      if (r.host && tls.length > 0 && !tlsHosts.has(r.host) && !isTokenString(r.host)) out.push(finding('GP-NET-003', ing, `host ${r.host} is not in spec.tls; add it to a tls entry (KubeIngress: list it in domains)`));
    }
    for (const a of Object.keys(ing.object.metadata?.annotations ?? {})) {
      if (/nginx\.ingress\.kubernetes\.io\/.*-snippet$/.test(a)) out.push(finding('GP-NET-003', ing, `annotation ${a} injects raw nginx config; remove it (use KubeIngress props such as extraResponseHeaders instead)`));
    }
  }
  return out;
}

function declaredPorts(containers: any[]): { numbers: Set<number>; names: Set<string> } {
  const ports = containers.flatMap((c) => asArray<any>(c.ports));
  return { numbers: new Set(ports.map((x) => x.containerPort)), names: new Set(ports.map((x) => x.name).filter(Boolean)) };
}

/** GP-NET-004: dangling references and bad ports. */
function dangling(bundle: AuditBundle): RawFinding[] {
  const out: RawFinding[] = [];
  for (const svc of ofKind(bundle, 'Service')) {
    const sel = svc.object.spec?.selector;
    if (!sel || Object.keys(sel).length === 0 || Object.values(sel).some(isTokenString) || isOpaque(bundle, svc.object.metadata?.namespace)) continue;
    const targets = podsSelectedBy(bundle, svc.object.metadata?.namespace, sel, true);
    if (targets.length === 0) { out.push(finding('GP-NET-004', svc, 'its selector matches no workload in this stack; fix spec.selector (KubeService: selector or matchLabels)')); continue; }
    const { numbers, names } = declaredPorts(targets.flatMap((t) => t.containers));
    for (const port of asArray<any>(svc.object.spec?.ports)) {
      const tp = port.targetPort ?? port.port;
      if (typeof tp === 'number' && !numbers.has(tp)) out.push(finding('GP-NET-004', svc, `port ${port.name ?? port.port} targets ${tp}, which no selected container declares; fix targetPort (KubeService: ports.<name>.podPort)`));
      if (typeof tp === 'string' && !isTokenString(tp) && !/^\d+$/.test(tp) && !names.has(tp)) out.push(finding('GP-NET-004', svc, `port ${port.name ?? port.port} targets the port name ${tp}, which no selected container declares; fix targetPort (KubeService: ports.<name>.podPort)`));
    }
  }
  for (const pdb of ofKind(bundle, 'PodDisruptionBudget')) {
    if (isOpaque(bundle, pdb.object.metadata?.namespace)) continue;
    if (!selectsAnything(bundle, pdb.object.metadata?.namespace, pdb.object.spec?.selector)) out.push(finding('GP-NET-004', pdb, 'its selector matches no workload in this stack; fix spec.selector to match the pods\' labels'));
  }
  for (const np of ofKind(bundle, 'NetworkPolicy')) {
    if (isOpaque(bundle, np.object.metadata?.namespace)) continue;
    if (!selectsAnything(bundle, np.object.metadata?.namespace, np.object.spec?.podSelector ?? {})) out.push(finding('GP-NET-004', np, 'its podSelector matches no workload in this stack; fix spec.podSelector (KubeNetworkPolicy: the workload\'s matchLabels)'));
  }
  for (const ing of ofKind(bundle, 'Ingress')) {
    if (isOpaque(bundle, ing.object.metadata?.namespace)) continue;
    const names = new Set(ofKind(bundle, 'Service').filter((s) => s.object.metadata?.namespace === ing.object.metadata?.namespace).map((s) => s.object.metadata?.name));
    const backends = [ing.object.spec?.defaultBackend, ...asArray<any>(ing.object.spec?.rules).flatMap((r) => asArray<any>(r.http?.paths).map((x) => x.backend))].filter(Boolean);
    for (const b of backends) {
      const name = b.service?.name;
      if (name && !isTokenString(name) && !names.has(name)) out.push(finding('GP-NET-004', ing, `backend Service ${name} is not in this stack; fix the backend name (KubeIngress: ingressConfigs[].service)`));
    }
  }
  for (const p of pods(bundle)) {
    for (const c of [...p.containers, ...p.initContainers]) {
      const { numbers, names } = declaredPorts([c]);
      const seen = new Set<string>();
      for (const port of asArray<any>(c.ports)) {
        if (port.name && (port.name.length > 15 || seen.has(port.name))) out.push(finding('GP-NET-004', p.item, `container ${c.name} port name ${port.name} is ${seen.has(port.name) ? 'duplicated' : 'longer than 15 characters'}; rename it (the key in ports)`));
        if (port.name) seen.add(port.name);
      }
      for (const [kind, probe] of [['liveness', c.livenessProbe], ['readiness', c.readinessProbe], ['startup', c.startupProbe]] as const) {
        const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port ?? probe?.grpc?.port;
        if (port === undefined || isTokenString(port)) continue;
        const ok = typeof port === 'number' ? numbers.has(port) : names.has(port);
        if (!ok) out.push(finding('GP-NET-004', p.item, `container ${c.name} ${kind} probe uses port ${port}, which the container does not declare; add it to ports or fix ${kind === 'startup' ? 'livenessProbePort (the startup probe follows it)' : `${kind}ProbePort`}`));
      }
    }
  }
  return out;
}

export const NETWORK_RULES: RuleDefinition[] = [
  { id: 'GP-NET-001', title: 'NetworkPolicy covers the pod', category: 'network', severity: 'error', check: networkPolicy,
    help: 'A NetworkPolicy selects every long-running pod with Ingress and Egress policyTypes and at least one rule each. Without any policy: warn (info inside the Linkerd mesh).' },
  { id: 'GP-NET-003', title: 'Ingress TLS', category: 'network', severity: 'error', check: ingressTls,
    help: 'Every Ingress has spec.tls covering all its hosts, and no nginx *-snippet annotations.' },
  { id: 'GP-NET-004', title: 'No dangling references', category: 'network', severity: 'error', check: dangling,
    help: 'Services, PDBs, NetworkPolicies and Ingress backends select something in the stack; probe ports are declared; port names are unique and at most 15 characters.' },
];
