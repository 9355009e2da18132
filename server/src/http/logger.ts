import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * One JSON line per event. The redact list is a second line of defence: code should never
 * hand a token, key or secret to the logger in the first place.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'lectern' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.token',
        '*.secret',
        '*.key',
        '*.password',
        '*.sessionSecret',
      ],
      censor: '[redacted]',
    },
  });
}
