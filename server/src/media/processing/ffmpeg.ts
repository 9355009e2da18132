import { spawn } from 'node:child_process';

/** ffmpeg ended without success; `detail` is its last words, with loopback URLs removed. */
export class FfmpegError extends Error {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly detail: string;

  constructor(exitCode: number | null, signal: NodeJS.Signals | null, detail: string) {
    super(`ffmpeg ended with ${signal ?? `code ${exitCode}`}: ${detail}`);
    this.name = 'FfmpegError';
    this.exitCode = exitCode;
    this.signal = signal;
    this.detail = detail;
  }
}

export interface FfmpegRun {
  /** Everything ffmpeg wrote to its standard output (a poster frame, for instance). */
  stdout: Buffer;
}

/**
 * Runs ffmpeg to its end. A run that outlives `timeoutMs` is killed, so that a stuck tool
 * cannot hold a job past the time the queue gives it.
 */
export function runFfmpeg(
  args: string[],
  options: { timeoutMs: number; keepStdout?: boolean },
): Promise<FfmpegRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args], {
      stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (part: Buffer) => stdout.push(part));
    child.stderr?.on('data', (part: Buffer) => {
      stderr = (stderr + part.toString('utf8')).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ stdout: Buffer.concat(stdout) });
      else reject(new FfmpegError(code, signal, redact(stderr)));
    });
  });
}

/** Loopback URLs carry unguessable paths (the original, the keys); they stay out of logs. */
function redact(text: string): string {
  return text
    .replace(/http:\/\/127\.0\.0\.1:\d+\/\S*/g, '<loopback>')
    .trim()
    .slice(-1000);
}
