import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { TestLectern } from './lectern.ts';

const mainScript = path.resolve(import.meta.dirname, '../../src/cli/main.ts');

/**
 * `lectern worker` processes beside a test's Lectern, on its PostgreSQL database and its data
 * folder, with the secrets both share: the way a scale-out deployment runs its workers. Each
 * is a process group of its own, so that a kill takes its ffmpeg along, as a container stop
 * does. PGlite cannot serve them: its database lives in the test's process.
 */
export function workerProcesses() {
  const secrets = {
    LECTERN_SESSION_SECRET: randomBytes(32).toString('base64url'),
    LECTERN_MASTER_KEY: randomBytes(32).toString('base64'),
  };
  const started: ChildProcess[] = [];

  return {
    /** For the test's own Lectern, so that both ends open the same keys. */
    secrets,

    async start(lectern: TestLectern): Promise<ChildProcess> {
      const [{ name }] = (await lectern.db.raw('select current_database() as name')).rows;
      const url = new URL(process.env.LECTERN_TEST_DATABASE_URL as string);
      url.pathname = `/${name}`;
      const worker = spawn(process.execPath, [mainScript, 'worker'], {
        detached: true,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          ...secrets,
          DATABASE_URL: url.toString(),
          DATABASE_SSL: 'disable',
          LECTERN_DATA_DIR: lectern.dataDir,
          LECTERN_STORAGE_DIR: path.join(lectern.dataDir, 'media'),
          LECTERN_LOG_LEVEL: process.env.LECTERN_TEST_LOG_LEVEL ?? 'silent',
        },
      });
      started.push(worker);
      return worker;
    },

    /** SIGKILL for the worker and whatever it started. */
    kill(worker: ChildProcess): void {
      try {
        if (worker.pid) process.kill(-worker.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    },

    killAll(): void {
      for (const worker of started) this.kill(worker);
    },
  };
}
