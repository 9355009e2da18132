import { LecternApiError } from './errors.js';

const prefix = 'lectern:';

/** The one logger of Lectern's browser code: every line starts with `lectern:`. */
export const logger = {
  warn: (...parts: unknown[]): void => console.warn(prefix, ...parts),
  error: (...parts: unknown[]): void => console.error(prefix, ...parts),
};

/**
 * Logs a failed request by its code, status and request id, for whoever runs the page; the
 * person in front of it is shown the message instead. Anything else is a bug, logged whole.
 */
export function logRequestFailure(source: string, error: unknown): void {
  if (error instanceof LecternApiError) {
    const request = error.requestId ? `, request ${error.requestId}` : '';
    logger.warn(`${source}: ${error.code} (HTTP ${error.status}${request})`);
  } else {
    logger.error(`${source}:`, error);
  }
}
