import type { Knex } from 'knex';
import type { Config } from '../config/config.ts';
import type { SessionSigner } from '../identity/sessions.ts';
import type { JobQueue } from '../jobs/boss.ts';
import type { LtiServices } from '../lti/services.ts';
import type { MediaServices } from '../media/media-services.ts';
import type { Logger } from './logger.ts';

/** What route modules are built from: the database, the configuration and the logger. */
export interface AppContext {
  db: Knex;
  config: Config;
  signer: SessionSigner;
  log: Logger;
  media: MediaServices;
  lti: LtiServices;
  /** Enqueues background work; absent when the process runs without pg-boss. */
  jobs: JobQueue | undefined;
  /** False while starting and once shutdown has begun; /readyz answers 503 then. */
  isReady(): Promise<boolean>;
  /** True once shutdown has begun: answers then close their connection. */
  isDraining(): boolean;
}
