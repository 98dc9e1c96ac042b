/**
 * Smoke check of the local control plane (test/e2e/control-plane.ts):
 *
 *   bash scripts/setup-control-plane.sh      # once; builds the binary into the cache
 *   npx tsx test/e2e/control-plane-smoke.ts  # exits non-zero on failure
 *
 * Starts kine + kube-apiserver + kube-controller-manager, then, with plain HTTPS requests:
 * creates a namespace enforcing Pod Security "restricted"; a Deployment with a compliant pod
 * gets a ReplicaSet and a Pending Pod (there are no nodes); a Deployment with a violating pod
 * gets a ReplicaSet whose pod creation is refused by PodSecurity (ReplicaFailure condition and
 * FailedCreate event); deleting the namespace finalizes it; stop() leaves no process behind.
 * The work directory (logs) is kept on failure and removed on success (KEEP_WORKDIR=1 keeps it).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ControlPlane, SETUP_COMMAND, controlPlaneVersion, findControlPlaneBinary, startControlPlane } from './control-plane';

const NS = 'smoke-restricted';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  ms: number;
}

const checks: Check[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
  const t = Date.now();
  try {
    const detail = await fn();
    checks.push({ name, ok: true, detail, ms: Date.now() - t });
    console.log(`  PASS  ${name} (${Date.now() - t} ms): ${detail}`);
    return true;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    checks.push({ name, ok: false, detail, ms: Date.now() - t });
    console.log(`  FAIL  ${name} (${Date.now() - t} ms): ${detail}`);
    return false;
  }
}

/** Polls `fn` until it returns a value (not undefined), or throws after `timeoutMs`. */
async function eventually<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await sleep(250);
  }
}

function expectStatus(res: { status: number; body: any }, ok: number[], what: string): void {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
}

function deployment(name: string, restricted: boolean): object {
  const container: any = { name: 'app', image: 'registry.k8s.io/pause:3.10' };
  if (restricted) {
    container.securityContext = {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    };
  } else {
    container.securityContext = { privileged: true };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: NS },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container] } },
    },
  };
}

async function replicaSetOf(cp: ControlPlane, deploymentName: string): Promise<any | undefined> {
  const res = await cp.request('GET', `/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${deploymentName}`);
  expectStatus(res, [200], 'list replicasets');
  return res.body.items.find((rs: any) => rs.metadata.ownerReferences?.some((o: any) => o.kind === 'Deployment' && o.name === deploymentName));
}

function rssMiB(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const binary = findControlPlaneBinary();
  if (!binary) {
    console.error(`control-plane binary not found; build it with: ${SETUP_COMMAND}`);
    return 2;
  }
  console.log(`binary: ${binary}`);
  console.log(controlPlaneVersion(binary) ?? '(version unknown)');
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-smoke-'));
  let cp: ControlPlane | undefined;
  try {
    const t = Date.now();
    cp = await startControlPlane({ workDir, controllerManager: true, timeoutMs: 10 * 60_000, log: (m) => console.log(`  ${m}`) });
    console.log(`control plane up in ${Date.now() - t} ms: ${cp.server} (kubeconfig ${cp.kubeconfigPath})`);
    console.log(`  timings: ${JSON.stringify(cp.timings)}`);
    const plane = cp;
    const names = ['kine', 'apiserver', 'controller-manager'];
    console.log(`  RSS after start: ${plane.pids.map((p, i) => `${names[i]} ${rssMiB(p) ?? '?'} MiB`).join(', ')}`);

    await check('version', async () => {
      const res = await plane.request('GET', '/version');
      expectStatus(res, [200], 'GET /version');
      return `${res.body.gitVersion} (${res.body.goVersion})`;
    });

    await check('namespace with pod-security enforce=restricted', async () => {
      const res = await plane.request('POST', '/api/v1/namespaces', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
      });
      expectStatus(res, [201], 'create namespace');
      await eventually('default ServiceAccount in the namespace', async () => {
        const sa = await plane.request('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`);
        return sa.status === 200 ? true : undefined;
      });
      return `created ${NS}; serviceaccount-controller created its default ServiceAccount`;
    });

    await check('restricted-compliant Deployment -> ReplicaSet -> Pending Pod', async () => {
      const res = await plane.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment('good', true));
      expectStatus(res, [201], 'create deployment good');
      const rs = await eventually('ReplicaSet of good', () => replicaSetOf(plane, 'good'));
      const pod = await eventually('Pod of good', async () => {
        const pods = await plane.request('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dgood`);
        expectStatus(pods, [200], 'list pods');
        return pods.body.items[0];
      });
      if (pod.status?.phase !== 'Pending') throw new Error(`pod ${pod.metadata.name} phase ${pod.status?.phase}, expected Pending`);
      return `ReplicaSet ${rs.metadata.name}, Pod ${pod.metadata.name} ${pod.status.phase} (no nodes)`;
    });

    await check('violating Deployment -> ReplicaSet reports PodSecurity failure', async () => {
      const res = await plane.request('POST', `/apis/apps/v1/namespaces/${NS}/deployments`, deployment('bad', false));
      expectStatus(res, [201], 'create deployment bad');
      const warning = String(res.headers.warning ?? '');
      const rs = await eventually('ReplicaFailure condition on the ReplicaSet of bad', async () => {
        const r = await replicaSetOf(plane, 'bad');
        const cond = r?.status?.conditions?.find((c: any) => c.type === 'ReplicaFailure' && c.status === 'True');
        return cond && /PodSecurity/.test(cond.message) ? { r, cond } : undefined;
      });
      const event = await eventually('FailedCreate event', async () => {
        const ev = await plane.request('GET', `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3D${rs.r.metadata.name}`);
        expectStatus(ev, [200], 'list events');
        return ev.body.items.find((e: any) => e.reason === 'FailedCreate' && /violates PodSecurity/.test(e.message));
      });
      const pods = await plane.request('GET', `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dbad`);
      if (pods.body.items.length !== 0) throw new Error(`${pods.body.items.length} pods of bad exist`);
      return (
        `condition ReplicaFailure/${rs.cond.reason}: "${rs.cond.message.slice(0, 110)}..."; ` +
        `event FailedCreate x${event.count ?? 1}; no pods` +
        (warning ? `; create warning: "${warning.slice(0, 80)}..."` : '')
      );
    });

    await check('namespace deletion is finalized', async () => {
      const res = await plane.request('DELETE', `/api/v1/namespaces/${NS}`);
      expectStatus(res, [200, 202], 'delete namespace');
      await eventually(
        'namespace gone',
        async () => {
          const ns = await plane.request('GET', `/api/v1/namespaces/${NS}`);
          return ns.status === 404 ? true : undefined;
        },
        120_000,
      );
      return `${NS} deleted (namespace controller emptied and finalized it)`;
    });
  } catch (e) {
    checks.push({ name: 'start control plane', ok: false, detail: e instanceof Error ? e.message : String(e), ms: 0 });
    console.log(`  FAIL  start: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    if (cp) {
      const plane = cp;
      await check('stop() leaves no process', async () => {
        const t = Date.now();
        await plane.stop();
        const alive = plane.pids.filter((p) => fs.existsSync(`/proc/${p}`));
        if (!plane.processesGone() || alive.length) throw new Error(`still running: ${alive.join(', ')}`);
        return `pids ${plane.pids.join(', ')} gone in ${Date.now() - t} ms`;
      });
    }
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length === 0 && !process.env.KEEP_WORKDIR) fs.rmSync(workDir, { recursive: true, force: true });
  else console.log(`work directory (logs): ${workDir}`);
  console.log(`${checks.length - failed.length}/${checks.length} checks passed`);
  return failed.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
