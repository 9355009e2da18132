/** What one check of the security check found. */
export interface Finding {
  /** A stable name such as `config.tls` or `authorization.live`. */
  check: string;
  outcome: 'passed' | 'failed' | 'skipped';
  /** A sentence for the operator: why it passed, what is wrong, or why it could not run. */
  reason: string;
  /** Counts or the probes that failed; ids and names of settings only, never a secret. */
  details?: Record<string, unknown>;
}

export const passed = (check: string, reason: string, details?: Finding['details']): Finding => ({
  check,
  outcome: 'passed',
  reason,
  ...(details ? { details } : {}),
});

export const failed = (check: string, reason: string, details?: Finding['details']): Finding => ({
  check,
  outcome: 'failed',
  reason,
  ...(details ? { details } : {}),
});

export const skipped = (check: string, reason: string): Finding => ({
  check,
  outcome: 'skipped',
  reason,
});
