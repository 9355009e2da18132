import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { failed, passed, skipped, type Finding } from './security-check-findings.ts';

const check = 'dependencies.audit';

export interface DependencyAuditOptions {
  /** The folder whose package-lock.json is audited; the installation's own by default. */
  folder?: string;
  /** Extra environment for npm (a test points `npm_config_registry` elsewhere). */
  env?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * `npm audit --omit=dev --json` over the installed lockfile. High or critical advisories fail;
 * a registry that cannot be asked (offline, a mirror without the advisory endpoint) is a skip,
 * not a failure: nothing was learnt either way.
 */
export async function auditDependencies(options: DependencyAuditOptions = {}): Promise<Finding> {
  const folder = options.folder ?? installationFolder();
  if (!folder) return skipped(check, 'skipped: no package-lock.json found beside the server');

  const result = await runNpmAudit(folder, options);
  if (result.error) return skipped(check, `skipped: npm could not run (${result.error})`);
  let report: {
    error?: { summary?: string };
    message?: string;
    metadata?: { vulnerabilities?: Record<string, number> };
  };
  try {
    report = JSON.parse(result.stdout) as typeof report;
  } catch {
    return skipped(check, 'skipped: registry unreachable (npm audit gave no report)');
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = report.error?.summary || report.message || 'no answer';
    return skipped(check, `skipped: registry unreachable (${why.split('\n')[0]?.slice(0, 200)})`);
  }

  const details = {
    critical: counts.critical ?? 0,
    high: counts.high ?? 0,
    moderate: counts.moderate ?? 0,
    low: counts.low ?? 0,
  };
  const summary = `${details.critical} critical, ${details.high} high, ${details.moderate} moderate, ${details.low} low`;
  if (details.critical + details.high > 0) {
    return failed(check, `production dependencies have advisories: ${summary}`, details);
  }
  return passed(check, `no high or critical advisory in production dependencies (${summary})`, {
    ...details,
  });
}

/** The nearest folder above this module that holds a package-lock.json (the workspace root). */
function installationFolder(): string | undefined {
  for (let folder = import.meta.dirname; ; folder = path.dirname(folder)) {
    if (existsSync(path.join(folder, 'package-lock.json'))) return folder;
    if (path.dirname(folder) === folder) return undefined;
  }
}

function runNpmAudit(
  folder: string,
  options: DependencyAuditOptions,
): Promise<{ stdout: string; error?: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['audit', '--omit=dev', '--json'], {
      cwd: folder,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'ignore'],
      shell: process.platform === 'win32',
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ stdout: '', error: error.message });
    });
    // npm audit exits 1 when it finds advisories: the report decides, not the exit code.
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(chunks).toString('utf8') });
    });
  });
}
