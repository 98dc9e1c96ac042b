/**
 * Shared by the benchmark workers: each worker is a separate Node process (forked by
 * bench/run.ts) that imports ONE implementation, builds N workloads in each of three
 * environments, synthesizes them, and sends back one WorkerResult.
 */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** The three environments every run synthesizes (one stack / chart each). */
export const ENVIRONMENTS = [
  { environment: 'development', region: 'us-east-2', slaTarget: 1 as const },
  { environment: 'staging', region: 'us-east-2', slaTarget: 2 as const },
  { environment: 'production', region: 'us-east-2', slaTarget: 3 as const },
];

/** What the parent asks a worker to do (argv[2] as JSON). */
export interface WorkerTask {
  readonly n: number;
  /** Absolute path of the compiled package root (ours) or of the precomputed objects (raw). */
  readonly input?: string;
  /** Where the ours worker writes the objects it emitted, for the raw worker. */
  readonly output?: string;
  /** Emit an HPA per workload (cdk8s-plus and cdktf-cdk8s: only when ours emits one). */
  readonly hpa?: boolean;
}

/** What a worker reports. Times in milliseconds, memory in MB. */
export interface WorkerResult {
  readonly impl: string;
  readonly n: number;
  /** require() of the implementation's package root, in a fresh process. */
  readonly importMs: number;
  /** Building the construct tree (workloads in 3 stacks). */
  readonly constructMs: number;
  /** app.synth() including validations and writing the output. */
  readonly synthOnlyMs: number;
  /** constructMs + synthOnlyMs: what a user waits for (wall clock). */
  readonly synthMs: number;
  /** CPU time (user + system, all threads) of the same region: robust on a loaded machine. */
  readonly synthCpuMs: number;
  /** CPU time of the import. */
  readonly importCpuMs: number;
  /** Kubernetes objects emitted (over the 3 environments). */
  readonly objects: number;
  /** Objects per kind, for the report. */
  readonly kinds: Record<string, number>;
  /** Peak resident set size of the process. */
  readonly peakRssMb: number;
  /** V8 heap still in use after synth and a full GC: what the app retains (stabler than peak RSS). */
  readonly liveHeapMb: number;
  /** Anything the reader should know (e.g. a kind the implementation cannot express). */
  readonly notes: string[];
}

export function now(): number {
  return performance.now();
}

/** CPU time (user + system) of this process so far, in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak RSS of this process in MB (VmHWM from the kernel; maxRSS as a fallback). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Heap in use after a full GC (the parent forks workers with --expose-gc), in MB. */
export function liveHeapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  return process.memoryUsage().heapUsed / 1048576;
}

export function readTask(): WorkerTask {
  const raw = process.argv[2];
  if (!raw) throw new Error('worker needs a JSON task as its first argument');
  return JSON.parse(raw) as WorkerTask;
}

export function tempOutdir(impl: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `bench-${impl}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The clock readings a worker takes: around the import, and around build + synth. */
export interface RunMarks {
  readonly importMs: number;
  readonly importCpuMs: number;
  /** Wall clock before building, after building, after synth. */
  readonly c0: number;
  readonly c1: number;
  readonly c2: number;
  /** CPU time before building and after synth. */
  readonly cpu0: number;
  readonly cpu2: number;
  readonly peakRssMb: number;
  readonly liveHeapMb: number;
}

/** Assembles a worker's result from its clock readings and the kinds it emitted. */
export function runResult(impl: string, n: number, m: RunMarks, kinds: string[], notes: string[] = []): WorkerResult {
  return {
    impl,
    n,
    importMs: m.importMs,
    importCpuMs: m.importCpuMs,
    constructMs: m.c1 - m.c0,
    synthOnlyMs: m.c2 - m.c1,
    synthMs: m.c2 - m.c0,
    synthCpuMs: m.cpu2 - m.cpu0,
    objects: kinds.length,
    kinds: countKinds(kinds),
    peakRssMb: m.peakRssMb,
    liveHeapMb: m.liveHeapMb,
    notes,
  };
}

/** Sends the result to the parent (IPC) or prints it when run by hand. */
export function report(result: WorkerResult): void {
  if (process.send) process.send(result, () => process.exit(0));
  else console.log(JSON.stringify(result, null, 2));
}

export function countKinds(kinds: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of kinds) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** Workload i's name, the same in every implementation. */
export function workloadName(i: number): string {
  return `svc-${i}`;
}

export const NAMESPACE = 'bench';
export const IMAGE = { registry: 'docker.io', repository: 'library/nginx', tag: '1.27.1' };
export const PORT = 8080;
export const HPA = { minReplicas: 2, maxReplicas: 10, targetCpuUtilization: 70 };
