import type { TokenSource } from '@lectern/sdk';
import { PlayerFailure, playerErrorCodes } from './player-error.js';

/** A fresh token is fetched when the one held expires within this many milliseconds. */
const refreshMargin = 30_000;

/**
 * A token source that asks the host page's backend for a session token (GET with the page's
 * cookies, JSON `{ token, expiresAt? }`) and asks again shortly before it expires. Without
 * `expiresAt`, the token's own JWT `exp` decides; without either, it is fetched every time.
 */
export function tokenFromUrl(url: string, fetchImpl: typeof fetch = fetch): TokenSource {
  let held: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    let body: unknown;
    try {
      const response = await fetchImpl(url, { credentials: 'include', cache: 'no-store' });
      body = response.ok ? await response.json() : undefined;
    } catch {
      body = undefined;
    }
    const token = tokenIn(body);
    if (!token) throw new PlayerFailure(playerErrorCodes.tokenUrlFailed);
    held = { token, expiresAt: expiryOf(body, token) };
    return token;
  };

  return () => {
    if (held && held.expiresAt - Date.now() > refreshMargin) return held.token;
    pending ??= fetchToken().finally(() => (pending = undefined));
    return pending;
  };
}

function tokenIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('token' in body)) return undefined;
  return typeof body.token === 'string' && body.token ? body.token : undefined;
}

/** Milliseconds since the epoch; 0 (fetch again next time) when nothing says. */
function expiryOf(body: unknown, token: string): number {
  if (typeof body === 'object' && body !== null && 'expiresAt' in body) {
    const at = Date.parse(String(body.expiresAt));
    if (Number.isFinite(at)) return at;
  }
  try {
    const payload = token.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    if (typeof claims === 'object' && claims !== null && 'exp' in claims) {
      return typeof claims.exp === 'number' ? claims.exp * 1000 : 0;
    }
  } catch {
    // Not a JWT: its lifetime is unknown, so it is fetched for every request.
  }
  return 0;
}
