import type { TokenSource } from '@lectern/sdk';

/** The current session token: the string itself, or what the page's function hands out now. */
export async function currentToken(source: TokenSource | undefined): Promise<string> {
  const token = typeof source === 'function' ? await source() : source;
  return token ?? '';
}

/**
 * The user a session token belongs to (its JWT `sub`), read without checking the signature:
 * it only keeps one person's unfinished uploads apart from another's in this browser.
 */
export function subjectOf(token: string): string {
  const payload = token.split('.')[1];
  if (!payload) return '';
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(json);
    if (typeof claims === 'object' && claims !== null && 'sub' in claims) {
      return typeof claims.sub === 'string' ? claims.sub : '';
    }
  } catch {
    // Not a JWT (an API key, say): every upload in this browser shares one key space.
  }
  return '';
}
