/** The e2e summary: one row per stack, CLI and step; problems in full; `N passed, M failed` last. */
import { Diagnostic, StepResult } from './validate';

export interface Row {
  readonly stack: string;
  readonly cli: string;
  readonly step: string;
  readonly ok: boolean;
  readonly seconds?: number;
  /** A short figure for the table: "42 objects", "0 changes". */
  readonly figure?: string;
  readonly problems: string[];
  /** Warnings and notes that do not fail the step. */
  readonly notes: string[];
}

export class Report {
  public readonly rows: Row[] = [];

  public step(stack: string, cli: string, step: string, result: StepResult & { figure?: string; notes?: string[] }): void {
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
    const problems = errors.map(describe);
    if (!result.ok && problems.length === 0) problems.push(result.output ?? 'failed without a diagnostic');
    this.rows.push({ stack, cli, step, ok: result.ok, seconds: result.seconds, figure: result.figure, problems, notes: [...warnings.map(describe), ...(result.notes ?? [])] });
    console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${cli} ${step} ${stack}${result.figure ? ` (${result.figure})` : ''} ${result.seconds.toFixed(1)} s`);
  }

  public pass(stack: string, cli: string, step: string, figure?: string, notes: string[] = []): void {
    this.rows.push({ stack, cli, step, ok: true, figure, problems: [], notes });
    console.log(`ok   ${cli} ${step} ${stack}${figure ? ` (${figure})` : ''}`);
  }

  public fail(stack: string, cli: string, step: string, problem: string): void {
    this.rows.push({ stack, cli, step, ok: false, problems: [problem], notes: [] });
    console.log(`FAIL ${cli} ${step} ${stack}: ${problem.split('\n').slice(0, 25).join('\n    ')}`);
  }

  public get passed(): number {
    return this.rows.filter((r) => r.ok).length;
  }

  public get failed(): number {
    return this.rows.filter((r) => !r.ok).length;
  }

  public print(): void {
    const widths = [
      Math.max(5, ...this.rows.map((r) => r.stack.length)),
      Math.max(3, ...this.rows.map((r) => r.cli.length)),
      Math.max(4, ...this.rows.map((r) => r.step.length)),
    ];
    const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
    console.log('');
    console.log(`${pad('STACK', widths[0])}  ${pad('CLI', widths[1])}  ${pad('STEP', widths[2])}  RESULT`);
    for (const r of this.rows) {
      console.log(`${pad(r.stack, widths[0])}  ${pad(r.cli, widths[1])}  ${pad(r.step, widths[2])}  ${r.ok ? 'ok' : 'FAILED'}${r.figure ? `  ${r.figure}` : ''}${r.seconds !== undefined ? `  ${r.seconds.toFixed(1)} s` : ''}`);
    }
    const failures = this.rows.filter((r) => !r.ok);
    if (failures.length > 0) {
      console.log('\nProblems:');
      for (const r of failures) console.log(`\n[${r.cli} ${r.step}] ${r.stack}\n  ${r.problems.join('\n').replace(/\n/g, '\n  ')}`);
    }
    const notes = this.rows.filter((r) => r.notes.length > 0);
    if (notes.length > 0) {
      console.log('\nNotes:');
      for (const r of notes) console.log(`[${r.cli} ${r.step}] ${r.stack}: ${[...new Set(r.notes)].join(' | ')}`);
    }
    console.log('');
    console.log(`${this.passed} passed, ${this.failed} failed`);
  }
}

function describe(d: Diagnostic): string {
  return `${d.severity === 'error' ? 'Error' : 'Warning'}: ${d.summary}${d.constructPath ? ` [construct ${d.constructPath}]` : d.context ? ` [${d.context}]` : ''}${d.detail ? `\n${d.detail}` : ''}`;
}
