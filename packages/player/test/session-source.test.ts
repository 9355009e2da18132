/// <reference types="mocha" />
import { expectEqual } from '@lectern/test-support/dom';
import { PlayerFailure } from '../src/player-error.js';
import { tokenFromUrl } from '../src/session-source.js';
import {} from './support/helpers.js';

/** A stand-in for the host page's backend that hands out numbered tokens. */
function hostBackend(lifetimeMs: number) {
  const calls: RequestInit[] = [];
  const fetchToken = (async (_url: RequestInfo | URL, init?: RequestInit) => {
    calls.push(init ?? {});
    const expiresAt = new Date(Date.now() + lifetimeMs).toISOString();
    return Response.json({ token: `token-${calls.length}`, expiresAt });
  }) as typeof fetch;
  return { calls, fetchToken };
}

describe('token-url sessions', () => {
  it("fetches a token with the page's cookies and reuses it while it is fresh", async () => {
    const backend = hostBackend(10 * 60_000);
    const source = tokenFromUrl('/session-token', backend.fetchToken) as () => Promise<string>;

    expectEqual(await source(), 'token-1', 'first');
    expectEqual(await source(), 'token-1', 'reused');
    expectEqual(backend.calls.length, 1, 'requests');
    expectEqual(backend.calls[0]?.credentials, 'include', 'credentials');
  });

  it('fetches a new token shortly before the old one expires', async () => {
    const backend = hostBackend(10_000);
    const source = tokenFromUrl('/session-token', backend.fetchToken) as () => Promise<string>;

    expectEqual(await source(), 'token-1', 'first');
    expectEqual(await source(), 'token-2', 'within the refresh margin');
  });

  it('fails with player.token_url_failed when the backend answers without a token', async () => {
    const refusing = (async () => new Response('nope', { status: 401 })) as typeof fetch;
    const source = tokenFromUrl('/session-token', refusing) as () => Promise<string>;
    const failure = await source().then(
      () => undefined,
      (error: unknown) => error,
    );
    expectEqual(
      failure instanceof PlayerFailure && failure.code,
      'player.token_url_failed',
      'code',
    );
  });
});
