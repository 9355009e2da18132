import { LecternApiError } from '@lectern/sdk';
import type { MessageKey } from './messages.js';

/** Codes the player gives itself, beside the server's (`resource.not_found`, …). */
export const playerErrorCodes = {
  /** `base-url`, `video`, or both `token` and `token-url` are missing. */
  notConfigured: 'player.not_configured',
  /** `token-url` did not answer with `{ token }`. */
  tokenUrlFailed: 'player.token_url_failed',
  /** Neither Media Source Extensions nor native HLS are available. */
  unsupported: 'player.unsupported',
  /** The stream loaded but could not be decoded, even after one recovery attempt. */
  mediaError: 'player.media_error',
  /** A playlist, key or segment could not be fetched. */
  network: 'player.network',
} as const;

/** A failure with a stable code; `serverMessage` is the server's English sentence, if any. */
export class PlayerFailure {
  constructor(
    readonly code: string,
    readonly serverMessage?: string,
  ) {}

  static from(error: unknown): PlayerFailure {
    if (error instanceof PlayerFailure) return error;
    if (error instanceof LecternApiError) return new PlayerFailure(error.code, error.message);
    return new PlayerFailure(playerErrorCodes.network);
  }

  /** The sentence to show: the catalog's for a known code, else the server's, else a generic one. */
  text(t: (key: MessageKey, values?: Record<string, string>) => string, known: object): string {
    const key = `error.${this.code}`;
    if (key in known) return t(key as MessageKey);
    return this.serverMessage ?? t('error.unknown', { code: this.code });
  }
}
