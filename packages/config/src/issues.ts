/**
 * One finding about the environment. `problem` reads after the variable's name
 * ("OPENID_SCOPE: does not contain `openid`") and `fix` says what to change. Neither ever
 * contains a secret's value.
 */
export interface ConfigIssue {
  variable: string;
  severity: 'error' | 'warning';
  problem: string;
  fix: string;
}

/** Thrown by `loadConfig` when the environment has at least one error; lists every one of them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const errors = issues.filter((issue) => issue.severity === 'error');
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    super(
      [
        `Gatehouse configuration has ${count}:`,
        ...errors.map((issue) => `  - ${formatIssue(issue)}`),
        'Every variable is described in docs/configuration.md; `pnpm run doctor` prints a full report.',
      ].join('\n'),
    );
    this.issues = Object.freeze([...issues]);
  }
}

/** `VARIABLE: problem. Fix: fix.` on one line. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.variable}: ${sentence(issue.problem)} Fix: ${sentence(issue.fix)}`;
}

/** Ends the text with a full stop unless it already ends a sentence. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function error(variable: string, problem: string, fix: string): ConfigIssue {
  return { variable, severity: 'error', problem, fix };
}

export function warning(variable: string, problem: string, fix: string): ConfigIssue {
  return { variable, severity: 'warning', problem, fix };
}

/** Quotes a (non-secret) value for a message, shortened so one bad value can't flood the output. */
export function show(value: string): string {
  const shortened = value.length > 80 ? `${value.slice(0, 77)}...` : value;
  return JSON.stringify(shortened);
}
