/// <reference types="mocha" />
import { LecternApiError, LecternClient, type Role } from '../src/index.js';

// Served by web-test-runner.config.mjs: a new user of the test tenant, with these roles.
async function embedTokenFor(roles: Role[]): Promise<{ baseUrl: string; embedToken: string }> {
  const response = await fetch(`/__lectern/fixture?roles=${roles.join(',')}`);
  if (!response.ok) throw new Error(`The fixture answered ${response.status}.`);
  return response.json();
}

async function signIn(roles: Role[]): Promise<LecternClient> {
  const { baseUrl, embedToken } = await embedTokenFor(roles);
  const session = await new LecternClient({ baseUrl }).createSession(embedToken);
  return new LecternClient({ baseUrl, token: session.token });
}

async function rejectionOf(promise: Promise<unknown>): Promise<LecternApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LecternApiError) return error;
    throw new Error(`Expected a LecternApiError, got ${String(error)}`, { cause: error });
  }
  throw new Error('Expected the request to be refused, but it succeeded.');
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

describe('LecternClient in a browser', () => {
  it('exchanges an embed token for a session that carries the roles the intranet signed', async () => {
    const { baseUrl, embedToken } = await embedTokenFor(['author', 'critic']);

    const session = await new LecternClient({ baseUrl }).createSession(embedToken);
    expectEqual(session.tokenType, 'Bearer', 'token type');
    expectEqual(session.user.roles.toSorted(), ['author', 'critic'], 'roles of the new session');

    // A token function is asked before each request, as a page refreshing its session would.
    const client = new LecternClient({ baseUrl, token: async () => session.token });
    const current = await client.getSession();
    expectEqual(current.user.id, session.user.id, 'the user getSession reports');
    expectEqual(current.user.roles.toSorted(), ['author', 'critic'], 'roles getSession reports');
    expectEqual(current.permissions.includes('video.review'), true, 'a critic may review');
  });

  it('refuses a garbage embed token with an embed_token error a person can read', async () => {
    const { baseUrl } = await embedTokenFor(['viewer']);

    const error = await rejectionOf(new LecternClient({ baseUrl }).createSession('not.a.jwt'));
    expectEqual(error.code.startsWith('embed_token.'), true, `code ${error.code}`);
    expectEqual(error.status, 401, 'status');
    expectEqual(error.message.length > 0, true, 'message present');
  });

  it('lets an admin create an API key that works until it is revoked', async () => {
    const admin = await signIn(['admin']);

    const created = await admin.createApiKey('browser test');
    expectEqual(created.key.startsWith('lk_'), true, 'key prefix');
    const listed = await admin.listApiKeys();
    expectEqual(
      listed.apiKeys.some((key) => key.id === created.id),
      true,
      'key listed',
    );
    const service = new LecternClient({ baseUrl: admin.baseUrl, token: created.key });
    expectEqual(typeof (await service.getTenant()).slug, 'string', 'tenant seen with the key');

    await admin.revokeApiKey(created.id);
    const after = await admin.listApiKeys();
    expectEqual(
      after.apiKeys.some((key) => key.id === created.id),
      false,
      'key listed after',
    );
    const refused = await rejectionOf(service.getTenant());
    expectEqual(refused.status, 401, 'status with a revoked key');
  });

  it('refuses a viewer the list of users with permission.denied', async () => {
    const viewer = await signIn(['viewer']);

    const error = await rejectionOf(viewer.listUsers());
    expectEqual([error.status, error.code], [403, 'permission.denied'], 'status and code');
  });

  it('reports an unreachable server as network.failed', async () => {
    const client = new LecternClient({ baseUrl: 'http://127.0.0.1:9' });

    const error = await rejectionOf(client.getTenant());
    expectEqual([error.status, error.code], [0, 'network.failed'], 'status and code');
  });
});
