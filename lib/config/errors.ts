import { describeValue } from '../core/errors';

/**
 * Errors raised while reading the `environments/` tree.
 *
 * Every problem is reported as a {@link ConfigIssue}: the file (relative to the working
 * directory when it lies inside it), the key as a dotted path (`extra_tags.team`), the
 * value found there and what would have been accepted. One {@link ConfigError} carries
 * every issue found in one load, so a user fixes them all in one go; its message has one
 * line per issue, each in the form
 *
 *     environments/production/environment.yaml: sla_target = "high": expected a number 1-3 (line 3)
 *
 * @group Configuration
 */
export interface ConfigIssue {
  /** The file (or directory) at fault, as shown to the user. */
  readonly file: string;
  /** The key as a dotted path (`sla_target`, `extra_tags.team`); empty when the whole file is at fault. */
  readonly key: string;
  /** The value found (undefined when the key is missing). */
  readonly value: unknown;
  /** What is accepted, in words ("a number 1-3"), or what is wrong ("unknown key; allowed keys: ..."). */
  readonly expected: string;
  /** 1-based line in the file, when known. */
  readonly line?: number;
}

/**
 * A problem in the environment configuration: names the file, the key, the value and what was expected.
 *
 * @group Configuration
 */
export class ConfigError extends Error {
  /** Every issue found (at least one). */
  public readonly issues: readonly ConfigIssue[];
  /** The file of the first issue. */
  public readonly file: string;
  /** The dotted key of the first issue. */
  public readonly key: string;
  /** The value of the first issue. */
  public readonly value: unknown;
  /** What the first issue expected. */
  public readonly expected: string;

  constructor(issues: readonly ConfigIssue[]) {
    if (issues.length === 0) throw new Error('ConfigError needs at least one issue');
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
    this.file = issues[0].file;
    this.key = issues[0].key;
    this.value = issues[0].value;
    this.expected = issues[0].expected;
    Object.setPrototypeOf(this, ConfigError.prototype);
  }
}

/** One issue as one line: `file: key = value: expected (line N)`. */
export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line !== undefined ? ` (line ${issue.line})` : '';
  if (issue.key === '') return `${issue.file}: ${issue.expected}${where}`;
  if (issue.value === undefined) return `${issue.file}: ${issue.key} is missing: ${issue.expected}${where}`;
  return `${issue.file}: ${issue.key} = ${describeValue(issue.value)}: ${issue.expected}${where}`;
}
