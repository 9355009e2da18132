import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const bundleFolder = new URL('../packages/elements/dist/', import.meta.url);

/**
 * An intranet page as a customer would write it: the script-tag build and one element,
 * given the Lectern URL and a session token. Served from its own origin on loopback.
 */
export async function servePages(lecternUrl: string) {
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    // The script-tag build and the chunks it loads later, by plain name only.
    if (/^\/(lectern\.js|chunks\/[\w.-]+\.js)$/.test(url.pathname)) {
      const script = readFileSync(new URL(url.pathname.slice(1), bundleFolder));
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
      return;
    }
    const element = url.searchParams.get('element') ?? '';
    if (!/^lectern-(uploader|library|review-queue|player)$/.test(element)) {
      response.writeHead(404).end();
      return;
    }
    const token = (url.searchParams.get('token') ?? '').replace(/[^A-Za-z0-9._-]/g, '');
    const video = (url.searchParams.get('video') ?? '').replace(/[^a-f0-9-]/g, '');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Intranet</title>
<script type="module" src="/lectern.js"></script></head>
<body><main><${element} base-url="${lecternUrl}" token="${token}" video="${video}" muted></${element}></main>
<script>
  window.lecternEvents = [];
  for (const name of ['lectern-upload-start', 'lectern-upload-progress', 'lectern-upload-complete',
    'lectern-upload-error', 'lectern-review-decided', 'lectern-play', 'lectern-error']) {
    document.querySelector('main').firstElementChild
      .addEventListener(name, (event) => window.lecternEvents.push({ name, detail: event.detail }));
  }
</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (element: string, token: string, video = '') =>
      `http://127.0.0.1:${port}/?element=${element}&token=${encodeURIComponent(token)}&video=${video}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
