import { ResolvedEnvironmentContext } from '../core/context';
import { PropValidator, isToken } from '../core/validation';
import { BatchProps, batchDefaults, buildBatchPdb, buildJobSpec, validateBatchProps } from './job';
import { WorkloadBase, WorkloadProps, controllerMetadata, buildVpa, buildWorkloadBase, vpaWanted } from './workload';
import type { ICronJob, IPodDisruptionBudget, IVerticalPodAutoscaler, Named } from './types';

/**
 * Inputs of a CronJob (Panfactum's kube_cron_job).
 *
 * @group Workloads
 */
export interface CronJobProps extends BatchProps {
  /**
   * When to run: a 5-field cron expression (minute hour day-of-month month day-of-week),
   * e.g. "0 3 * * *" or "*\/15 9-17 * * MON-FRI", or one of @yearly, @annually,
   * @monthly, @weekly, @daily, @midnight, @hourly.
   */
  readonly cronSchedule: string;
  /** IANA time zone the schedule is read in, e.g. "Europe/Berlin". @default - the kube-controller-manager's zone (UTC on EKS) */
  readonly timeZone?: string;
  /** What to do when a run is due while the previous one still runs. @default "Forbid" */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** Finished failed Jobs kept for inspection. @default 1 */
  readonly failedJobsHistoryLimit?: number;
  /** Finished successful Jobs kept. @default 0 */
  readonly successfulJobsHistoryLimit?: number;
  /** Stop scheduling new runs (running ones continue). @default false */
  readonly suspend?: boolean;
  /** Seconds after its scheduled time a missed run may still start; later it is skipped. @default 900 */
  readonly startingDeadlineSeconds?: number;
  /** Failed pods tolerated before a run fails. @default 6 */
  readonly backoffLimit?: number;
  /** When a failed pod is replaced: only once fully terminated ("Failed") or already while terminating. @default "Failed" */
  readonly podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed';
  /** Restart policy of the pods: restart failed containers in place, or start a new pod. @default "OnFailure" */
  readonly restartPolicy?: 'OnFailure' | 'Never';
  /** Annotations on the Jobs the CronJob creates. @default {} */
  readonly jobAnnotations?: Record<string, string>;
}

/** The objects of a CronJob workload. */
export interface CronJobModel extends WorkloadBase {
  readonly cronJob: Named<ICronJob>;
  readonly pdb: Named<IPodDisruptionBudget>;
  readonly vpa?: Named<IVerticalPodAutoscaler>;
}

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** The five fields, with the ranges Kubernetes' cron parser (robfig/cron, standard) accepts. */
const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS, question: true },
];

export const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

/**
 * Check a cron expression the way the CronJob controller parses it. Returns undefined when
 * valid, else a sentence saying what is wrong (for a ValidationError's reason).
 */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (/^(CRON_)?TZ=/i.test(text)) return 'sets a time zone inside the schedule, which Kubernetes rejects';
  if (text.startsWith('@')) {
    return (CRON_MACROS as readonly string[]).includes(text.toLowerCase()) ? undefined : `"${text}" is not a supported macro`;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) return `has ${parts.length} field(s); a schedule has exactly 5 (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], CRON_FIELDS[i]);
    if (problem) return `${CRON_FIELDS[i].name} field "${parts[i]}": ${problem}`;
  }
  return undefined;
}

function fieldValue(token: string, f: CronField): number | undefined {
  if (/^\d+$/.test(token)) return Number(token);
  const idx = f.names?.indexOf(token.toUpperCase()) ?? -1;
  if (idx < 0) return undefined;
  return f.name === 'month' ? idx + 1 : idx;
}

function fieldProblem(field: string, f: CronField): string | undefined {
  for (const item of field.split(',')) {
    if (item === '') return 'has an empty list element';
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return `"${item}" has more than one "/"`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `step "${step}" must be a whole number of at least 1`;
    if (range === '*' || (f.question && range === '?')) continue;
    if (range === '?') return '"?" is allowed only in the day-of-month and day-of-week fields';
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range`;
    const values = bounds.map((b) => fieldValue(b, f));
    for (const [j, value] of values.entries()) {
      const allowed = `${f.min}-${f.max}${f.names ? ` or ${f.names[0]}-${f.names[f.names.length - 1]}` : ''}`;
      if (value === undefined) return `"${bounds[j]}" is not a number${f.names ? ' or name' : ''} (allowed: ${allowed})`;
      if (value < f.min || value > f.max) return `${value} is out of range (allowed: ${allowed})`;
    }
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `range "${range}" starts after it ends`;
  }
  return undefined;
}

/** True when `tz` is an IANA zone name the runtime knows (aliases such as "US/Eastern" included). */
export function isTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(tz)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Validate a CronJob's props and build its objects (Panfactum defaults of inventory 5, grace period 90 s per seed 000). */
export function buildCronJobModel(v: PropValidator, env: ResolvedEnvironmentContext, input: CronJobProps): CronJobModel {
  const props = batchDefaults(env, input);
  validateBatchProps(v, props);
  v.required('cronSchedule', props.cronSchedule);
  if (!isToken(props.cronSchedule)) {
    const problem = cronProblem(props.cronSchedule);
    if (problem) {
      v.fail(
        'cronSchedule',
        props.cronSchedule,
        `use 5 fields "minute(0-59) hour(0-23) day-of-month(1-31) month(1-12|JAN-DEC) day-of-week(0-6|SUN-SAT)" with *, lists (1,15), ranges (1-5), steps (*/10) — e.g. "0 3 * * *" — or a macro (${CRON_MACROS.join(', ')}); put a time zone in timeZone`,
        problem,
      );
    }
  }
  if (props.timeZone !== undefined && !isToken(props.timeZone) && !isTimeZone(props.timeZone)) {
    v.fail('timeZone', props.timeZone, 'use an IANA time zone name such as "UTC", "Europe/Berlin" or "America/New_York"', 'is not a known time zone');
  }
  const concurrencyPolicy = v.oneOf('concurrencyPolicy', props.concurrencyPolicy ?? 'Forbid', ['Allow', 'Forbid', 'Replace'] as const);
  const failed = v.integer('failedJobsHistoryLimit', props.failedJobsHistoryLimit ?? 1, 0, 1000, 'use a whole number of Jobs, 0 or more');
  const successful = v.integer('successfulJobsHistoryLimit', props.successfulJobsHistoryLimit ?? 0, 0, 1000, 'use a whole number of Jobs, 0 or more');
  const startingDeadlineSeconds = v.integer('startingDeadlineSeconds', props.startingDeadlineSeconds ?? 900, 10, Number.MAX_SAFE_INTEGER, 'use whole seconds of at least 10 (the controller checks every 10 s; less can skip every run)');
  if (props.backoffLimit !== undefined) v.integer('backoffLimit', props.backoffLimit, 0, 10000, 'use a whole number of retries from 0 to 10000 (the Job controller waits up to 6 minutes between retries, so 10000 is about 6 weeks of retrying)');
  const podReplacementPolicy = v.oneOf('podReplacementPolicy', props.podReplacementPolicy ?? 'Failed', ['Failed', 'TerminatingOrFailed'] as const);
  const restartPolicy = v.oneOf('restartPolicy', props.restartPolicy ?? 'OnFailure', ['OnFailure', 'Never'] as const);
  v.annotations('jobAnnotations', props.jobAnnotations);

  const base = buildWorkloadBase(v, env, { kind: 'CronJob', module: 'kube_cron_job', restartPolicy }, props as WorkloadProps);
  const cronJob: Named<ICronJob> = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    // No Reloader annotation: every run starts fresh pods that read the current config.
    metadata: controllerMetadata(base, props),
    spec: {
      schedule: props.cronSchedule,
      ...(props.timeZone !== undefined ? { timeZone: props.timeZone } : {}),
      concurrencyPolicy,
      failedJobsHistoryLimit: failed,
      successfulJobsHistoryLimit: successful,
      suspend: props.suspend ?? false,
      startingDeadlineSeconds,
      jobTemplate: {
        metadata: {
          labels: { ...base.pod.labels },
          ...(props.jobAnnotations && Object.keys(props.jobAnnotations).length > 0 ? { annotations: { ...props.jobAnnotations } } : {}),
        },
        spec: buildJobSpec(base, props, 6, { podReplacementPolicy }),
      },
    },
  };
  return {
    ...base,
    cronJob,
    pdb: buildBatchPdb(base, props),
    vpa: vpaWanted(v, env, props.vpaEnabled) ? buildVpa(base, props as WorkloadProps, { apiVersion: 'batch/v1', kind: 'CronJob' }, 'Initial') : undefined,
  };
}
