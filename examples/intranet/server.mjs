// An intranet page with its own small backend: it knows who is signed in (here: whoever is
// picked from a list), signs an embed token for that person with @lectern/sdk, exchanges it
// for a Lectern session, and hands the session token to the page's elements.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LecternClient } from '@lectern/sdk';
import { createEmbedToken } from '@lectern/sdk/node';
import { people } from './people.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bundleFolder = path.resolve(here, '../../packages/elements/dist');
const { LECTERN_URL, LECTERN_KEY_ID, LECTERN_KEY_SECRET } = process.env;
const port = Number(process.env.PORT ?? 8081);
if (!LECTERN_URL || !LECTERN_KEY_ID || !LECTERN_KEY_SECRET) {
  console.error('Set LECTERN_URL, LECTERN_KEY_ID and LECTERN_KEY_SECRET (see README.md).');
  process.exit(2);
}

/** A Lectern session for one person of the directory: sign an embed token, exchange it. */
async function sessionFor(personId) {
  const person = people[personId];
  if (!person) return undefined;
  const embedToken = createEmbedToken({
    keyId: LECTERN_KEY_ID,
    algorithm: 'HS256',
    secret: LECTERN_KEY_SECRET,
    audience: LECTERN_URL,
    subject: `intranet-${personId}`,
    roles: person.roles,
    // Shown to trainers in the results of quizzes that are not anonymous.
    name: person.name,
    ttlSeconds: 60,
  });
  const session = await new LecternClient({ baseUrl: LECTERN_URL }).createSession(embedToken);
  return { token: session.token, expiresAt: session.expiresAt };
}

const types = { '.js': 'text/javascript', '.map': 'application/json', '.css': 'text/css' };

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/') {
      const page = await readFile(path.join(here, 'index.html'), 'utf8');
      const options = Object.entries(people)
        .map(([id, person]) => `<option value="${id}">${person.name}</option>`)
        .join('');
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page.replace('{{people}}', options).replaceAll('{{lectern}}', LECTERN_URL));
      return;
    }
    if (url.pathname === '/session') {
      const session = await sessionFor(url.searchParams.get('as') ?? '');
      response.writeHead(session ? 200 : 404, {
        'content-type': 'application/json',
        'cache-control': 'no-store',
      });
      response.end(JSON.stringify(session ?? { error: 'no such person' }));
      return;
    }
    // The script-tag build and its lazily loaded parts, by plain file name only.
    const name = url.pathname.slice(1);
    if (/^lectern[\w.-]*\.(js|map|css)$/.test(name) || /^chunks\/[\w.-]+\.(js|css)$/.test(name)) {
      const body = await readFile(path.join(bundleFolder, name));
      response.writeHead(200, { 'content-type': types[path.extname(name)] ?? 'text/plain' });
      response.end(body);
      return;
    }
    response.writeHead(404).end();
  } catch (error) {
    console.error(`intranet: ${request.method} ${url.pathname} failed: ${error.message}`);
    if (!response.headersSent) response.writeHead(502).end();
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`Intranet example: http://127.0.0.1:${port}/`);
});
for (const signal of ['SIGINT', 'SIGTERM'])
  process.once(signal, () => server.close(() => process.exit(0)));
