import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const bundle = new URL('../packages/elements/dist/lectern.js', import.meta.url);

/**
 * An intranet page as a customer would write it: the script-tag build and one element,
 * given the Lectern URL and a session token. Served from its own origin on loopback.
 */
export async function servePages(lecternUrl: string) {
  const script = readFileSync(bundle);
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/lectern.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    const element = url.searchParams.get('element') ?? '';
    if (!/^lectern-(uploader|library|review-queue)$/.test(element)) {
      response.writeHead(404).end();
      return;
    }
    const token = (url.searchParams.get('token') ?? '').replace(/[^A-Za-z0-9._-]/g, '');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script type="module" src="/lectern.js"></script></head>
<body><main><${element} base-url="${lecternUrl}" token="${token}"></${element}></main>
<script>
  window.lecternEvents = [];
  for (const name of ['lectern-upload-start', 'lectern-upload-progress', 'lectern-upload-complete',
    'lectern-upload-error', 'lectern-review-decided']) {
    document.querySelector('main').firstElementChild
      .addEventListener(name, (event) => window.lecternEvents.push({ name, detail: event.detail }));
  }
</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (element: string, token: string) =>
      `http://127.0.0.1:${port}/?element=${element}&token=${encodeURIComponent(token)}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
