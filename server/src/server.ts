import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { summariseConfig, type Config } from './config/config.ts';
import {
  isDatabaseReady,
  migrate,
  openDatabase,
  type Database,
  type DatabaseOptions,
} from './db/database.ts';
import type { AppContext } from './http/app-context.ts';
import { createApp } from './http/app.ts';
import { openLti } from './lti/services.ts';
import { createLogger, type Logger } from './http/logger.ts';
import { sessionKey, type SessionSigner } from './identity/sessions.ts';
import { createJobQueue } from './jobs/boss.ts';
import { startWorkers, workerDefinitions } from './jobs/workers.ts';
import { ensureLocalMasterKey } from './media/crypto/master-key-sources.ts';
import { followMasterKeyFile } from './media/crypto/live-master-keyring.ts';
import { defaultChunkSize } from './media/crypto/object-layout.ts';
import type { MediaServices } from './media/media-services.ts';
import { createStorage } from './media/storage/create-storage.ts';

export interface StartOptions {
  config: Config;
  /**
   * Overrides the configured database: options to open one (e.g. in-memory PGlite), or an
   * open database that the caller keeps and closes.
   */
  database?: DatabaseOptions | Database;
  log?: Logger;
  /**
   * `queue` lets the API enqueue jobs; `queue-and-workers` also works them in this process
   * (the default for `lectern serve`); `off` runs no pg-boss at all.
   */
  jobs?: 'off' | 'queue' | 'queue-and-workers';
}

export interface RunningServer {
  url: string;
  app: Express;
  database: Database;
  context: AppContext;
  stop(): Promise<void>;
}

/** Opens and migrates the database, then serves HTTP or HTTPS until stopped. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config } = options;
  const log = options.log ?? createLogger(config.logLevel);
  log.info({ event: 'config', config: summariseConfig(config) });

  const given = options.database && 'knex' in options.database ? options.database : undefined;
  const database = given ?? openDatabase((options.database as DatabaseOptions) ?? config.database);
  const applied = await migrate(database);
  log.info({ event: 'db.migrated', kind: database.kind, applied });

  const jobs = options.jobs ?? 'off';
  const queue =
    jobs === 'off'
      ? undefined
      : await createJobQueue(database, {
          onError: (error) => log.error({ event: 'jobs.error', err: error }),
        });

  let accepting = false;
  let stopping: Promise<void> | undefined;
  const signer: SessionSigner = {
    key: sessionKey(config.sessionSecret),
    issuer: config.publicUrl ?? '',
    ttlSeconds: config.sessionTtlSeconds,
  };
  const media = openMedia(config, log);
  const lti = await openLti(database.knex, config.sessionSecret);
  if (queue && jobs === 'queue-and-workers') {
    await startWorkers(
      queue,
      log,
      workerDefinitions({
        db: database.knex,
        media,
        log,
        lti,
        config,
        instanceUrl: () => signer.issuer,
      }),
    );
  }
  const context: AppContext = {
    db: database.knex,
    config,
    signer,
    log,
    media,
    lti,
    jobs: queue,
    isReady: async () => accepting && (await isDatabaseReady(database)),
    isDraining: () => stopping !== undefined,
  };
  const app = createApp(context);

  const server = config.tls
    ? https.createServer(
        {
          cert: readFileSync(config.tls.certFile),
          key: readFileSync(config.tls.keyFile),
          minVersion: 'TLSv1.2',
        },
        app,
      )
    : http.createServer(app);
  server.headersTimeout = 30_000;
  server.requestTimeout = 60_000;
  // Idle keep-alive connections outlive a proxy's usual 60 s, so that the client side closes
  // them: a server closing first races a client reusing the connection, which then resets.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${port}`;
  signer.issuer = config.publicUrl ?? url;
  accepting = true;
  log.info({ event: 'server.listening', url, publicUrl: signer.issuer });

  const stop = () => {
    stopping ??= (async () => {
      accepting = false;
      log.info({ event: 'server.stopping' });
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      await queue?.stop({ graceful: true });
      await lti.close();
      if (!given) await database.close();
      log.info({ event: 'server.stopped' });
    })();
    return stopping;
  };
  return { url, app, database, context, stop };
}

/** Storage and the master keyring; the embedded default keeps its master key beside its data. */
export function openMedia(config: Config, log: Logger): MediaServices {
  let keyring = config.masterKeyring;
  let file = config.masterKeyFile;
  if (!keyring) {
    const local = ensureLocalMasterKey(config.dataDir);
    keyring = local.keyring;
    file = local.file;
    if (local.created)
      log.warn({ event: 'master_key.created', file: local.file }, 'keep this file safe');
  }
  // A key file may be rotated by another process (termination): follow it.
  const fixed = keyring;
  const currentKeyring = file ? followMasterKeyFile(file, fixed) : () => fixed;
  return {
    storage: createStorage(config.storage, log),
    get keyring() {
      return currentKeyring();
    },
    masterKeySource: file ? { kind: 'file', file } : { kind: 'environment' },
    chunkSize: defaultChunkSize,
    uploadLifetimeMs: config.uploadLifetimeMs,
  };
}

/** Stops cleanly on SIGTERM and SIGINT: no new requests, open ones finish, then exit. */
export function stopOnSignals(running: { stop(): Promise<void> }, log: Logger): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      log.info({ event: 'server.signal', signal });
      running.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ event: 'server.stop_failed', err: error });
          process.exit(1);
        },
      );
    });
  }
}
