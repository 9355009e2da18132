import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LecternApiError, LecternClient } from '../../src/index.js';

// A proxy in front of Lectern may answer with anything; these cases have no server to start.
function clientAnswering(response: Response): LecternClient {
  return new LecternClient({ baseUrl: 'https://lectern.example', fetch: async () => response });
}

describe('LecternClient facing answers that are not from Lectern', () => {
  it('reports an HTML error page as response.invalid with its status and request id', async () => {
    const page = new Response('<h1>Bad Gateway</h1>', {
      status: 502,
      headers: { 'content-type': 'text/html', 'x-request-id': 'proxy-123' },
    });

    await assert.rejects(clientAnswering(page).getTenant(), (error: unknown) => {
      assert.ok(error instanceof LecternApiError);
      assert.equal(error.code, 'response.invalid');
      assert.equal(error.status, 502);
      assert.equal(error.requestId, 'proxy-123');
      return true;
    });
  });

  it('reports a successful answer with an empty body as response.invalid', async () => {
    await assert.rejects(clientAnswering(new Response('', { status: 200 })).getSession(), {
      code: 'response.invalid',
    });
  });
});
