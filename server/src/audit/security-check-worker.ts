import type { Knex } from 'knex';
import type { Config } from '../config/config.ts';
import type { Logger } from '../http/logger.ts';
import type { WorkerDefinition } from '../jobs/workers.ts';
import type { MediaServices } from '../media/media-services.ts';
import { runSecurityCheck } from './security-check.ts';

export const securityCheckQueue = 'security.check';

/**
 * The scheduled security check (weekly unless LECTERN_SECURITY_CHECK_SCHEDULE says otherwise
 * or `off`). Only processes that know their configuration schedule it; the run probes the
 * instance at its public URL.
 */
export function securityCheckWorkers(context: {
  db: Knex;
  media: MediaServices;
  log: Logger;
  config?: Config;
  instanceUrl?: () => string;
}): WorkerDefinition[] {
  const { config } = context;
  if (!config?.securityCheckSchedule) return [];
  return [
    {
      queue: securityCheckQueue,
      schedule: config.securityCheckSchedule,
      options: { batchSize: 1 },
      handler: async () => {
        const url = context.instanceUrl?.();
        await runSecurityCheck({
          db: context.db,
          config,
          storage: context.media.storage,
          log: context.log,
          trigger: 'schedule',
          instance: url ? { url, audience: url } : undefined,
        });
      },
    },
  ];
}
