import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { LecternError } from '../http/errors.ts';

interface CachedKeys {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

// A platform's keys are read again at most this often, however many unknown kids arrive.
const refetchAfterMs = 1_000;
const fetchTimeoutMs = 5_000;
const maxJwksBytes = 256 * 1024;

/**
 * The platforms' public keys, by JWKS URL and kid, fetched once and again only when a token
 * names a kid not seen yet: a platform that rotates its key is followed at its next launch
 * (which waits for the next allowed fetch if one just happened), and a flood of made-up kids
 * costs at most one fetch a second.
 */
export class PlatformKeys {
  readonly #cache = new Map<string, CachedKeys>();
  readonly #pending = new Map<string, Promise<CachedKeys>>();

  async key(jwksUrl: string, kid: string): Promise<KeyObject> {
    let cached = this.#cache.get(jwksUrl);
    if (cached && !cached.keys.has(kid)) {
      const wait = cached.fetchedAt + refetchAfterMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const latest = this.#cache.get(jwksUrl);
      cached = latest?.keys.has(kid) ? latest : await this.#fetch(jwksUrl);
    } else if (!cached) {
      cached = await this.#fetch(jwksUrl);
    }
    const key = cached.keys.get(kid);
    if (!key) throw new LecternError('lti.token_signature');
    return key;
  }

  #fetch(jwksUrl: string): Promise<CachedKeys> {
    // Launches arriving together share one fetch.
    let pending = this.#pending.get(jwksUrl);
    if (!pending) {
      pending = fetchKeys(jwksUrl)
        .then((keys) => {
          const cached = { keys, fetchedAt: Date.now() };
          this.#cache.set(jwksUrl, cached);
          return cached;
        })
        .finally(() => this.#pending.delete(jwksUrl));
      this.#pending.set(jwksUrl, pending);
    }
    return pending;
  }
}

async function fetchKeys(jwksUrl: string): Promise<Map<string, KeyObject>> {
  let body: { keys?: unknown };
  try {
    const answer = await fetch(jwksUrl, {
      signal: AbortSignal.timeout(fetchTimeoutMs),
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
    const text = await answer.text();
    if (!answer.ok || text.length > maxJwksBytes) throw new Error(`status ${answer.status}`);
    body = JSON.parse(text) as { keys?: unknown };
  } catch {
    throw new LecternError('lti.platform_unreachable');
  }

  const keys = new Map<string, KeyObject>();
  for (const jwk of Array.isArray(body.keys) ? (body.keys as JsonWebKey[]) : []) {
    // Only RSA signing keys: an id_token is RS256 and nothing else is accepted.
    if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use && jwk.use !== 'sig'))
      continue;
    try {
      keys.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    } catch {
      // A malformed key in the set makes only that key unusable.
    }
  }
  return keys;
}
