import { LecternApiError, type Translator } from '@lectern/sdk';
import { messages, type MessageKey } from './messages.js';

/**
 * The sentence to show for a failed request. The server writes English, so an English page
 * shows the server's own words; in another language the catalog's translation of the code
 * is shown when it has one, and the server's words when it has not.
 */
export function failureMessage(error: unknown, t: Translator<MessageKey>): string {
  if (!(error instanceof LecternApiError)) return t('error.unknown');
  if (t.catalog === 'en') return error.message;
  const key = `error.${error.code}`;
  return isMessageKey(key) ? t(key) : error.message;
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(messages.en, key);
}
