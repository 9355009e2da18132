// Browser tests run from tsc's output against a real Lectern server: run `tsc -b` first.
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromeLauncher } from '@web/test-runner-chrome';

const serverEntry = new URL('./server/dist/index.js', import.meta.url);
const sdkNodeEntry = new URL('./packages/sdk/dist/src/node/index.js', import.meta.url);

/**
 * Starts a throwaway Lectern with one tenant for the test run, and answers
 * `GET /__lectern/fixture?roles=admin[,…][&subject=…]` with `{ baseUrl, embedToken }`:
 * a fresh embed token for a new user (or the given subject) with those roles.
 */
function lecternFixture() {
  let lectern;
  let embedKey;
  let createEmbedToken;

  const plugin = {
    name: 'lectern-fixture',
    async serverStart() {
      if (!existsSync(serverEntry) || !existsSync(sdkNodeEntry)) {
        throw new Error(
          'Build first: `npx tsc -b` must produce server/dist and packages/sdk/dist.',
        );
      }
      const { startLectern } = await import(serverEntry.href);
      ({ createEmbedToken } = await import(sdkNodeEntry.href));

      lectern = await startLectern();
      ({ embedKey } = await lectern.tenants.create({
        slug: 'browser-tests',
        name: 'Browser tests',
      }));
    },
    async serverStop() {
      await lectern?.stop();
    },
  };

  async function middleware(ctx, next) {
    if (ctx.path !== '/__lectern/fixture') return next();

    const roles = String(ctx.query.roles ?? 'viewer')
      .split(',')
      .filter(Boolean);
    const subject = String(ctx.query.subject ?? `browser-test-${randomUUID()}`);
    ctx.set('cache-control', 'no-store');
    try {
      const embedToken = createEmbedToken({
        keyId: embedKey.id,
        algorithm: embedKey.algorithm,
        secret: embedKey.secret,
        audience: lectern.url,
        subject,
        roles,
      });
      ctx.body = { baseUrl: lectern.url, embedToken };
    } catch (error) {
      ctx.status = 400;
      ctx.body = { error: { code: 'fixture.invalid', message: error.message } };
    }
  }

  return { plugin, middleware };
}

const fixture = lecternFixture();

export default {
  files: ['packages/*/dist/test/**/*.test.js', '!packages/*/dist/test/node/**'],
  nodeResolve: true,
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        args: [
          '--no-sandbox',
          '--headless=new',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--no-first-run',
        ],
      },
    }),
  ],
  plugins: [fixture.plugin],
  middleware: [fixture.middleware],
};
