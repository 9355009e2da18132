// The two pages of the time-to-first-frame bench, and the plain static server of the
// baseline's media. Each page notes, inside the browser, when its <video> presented its first
// frame (performance.now(), so milliseconds from navigation start) or why it never will.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const elements = path.join(root, 'packages/elements/dist');
const hlsLight = path.join(root, 'node_modules/hls.js/dist/hls.light.min.js');

const types = {
  '.js': 'text/javascript',
  '.html': 'text/html; charset=utf-8',
  '.m3u8': 'application/vnd.apple.mpegurl',
  '.ts': 'video/mp2t',
};

// Shared by both pages: the first frame wins, or the first failure.
const measure = `
  window.benchResult = undefined;
  function done(result) { window.benchResult ??= result; }
  function watch(video) {
    video.requestVideoFrameCallback(() => done({ firstFrame: performance.now() }));
  }`;

/**
 * The pages, from an origin of their own as a customer's intranet would be: `/lectern`, the
 * script-tag build with one autoplaying, muted <lectern-player>; `/bare`, hls.js light (the
 * engine the player loads) and a <video muted autoplay> on the unencrypted copy at `mediaUrl`.
 */
export function servePages({ lecternUrl, token, videoId, mediaUrl }) {
  const lecternPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lectern</title>
<script type="module" src="/lectern.js"></script></head>
<body><lectern-player base-url="${lecternUrl}" token="${token}" video="${videoId}" autoplay muted></lectern-player>
<script>${measure}
  const player = document.querySelector('lectern-player');
  player.addEventListener('lectern-error', (event) => done({ error: event.detail.code }));
  // The <video> is in the shadow root, there from the element's first render.
  customElements.whenDefined('lectern-player')
    .then(() => player.updateComplete)
    .then(() => watch(player.shadowRoot.querySelector('video')));
</script></body></html>`;
  const barePage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Bare</title>
<script src="/hls.light.min.js"></script></head>
<body><video muted autoplay playsinline></video>
<script>${measure}
  const video = document.querySelector('video');
  watch(video);
  const hls = new Hls();
  hls.on(Hls.Events.ERROR, (_event, data) => data.fatal && done({ error: data.details }));
  hls.loadSource('${mediaUrl}/master.m3u8');
  hls.attachMedia(video);
</script></body></html>`;

  return serve((pathname) => {
    if (pathname === '/lectern') return { body: lecternPage, type: types['.html'] };
    if (pathname === '/bare') return { body: barePage, type: types['.html'] };
    if (pathname === '/hls.light.min.js') return { file: hlsLight };
    // The script-tag build and the chunks it loads later, by plain name only.
    if (/^\/(lectern\.js|chunks\/[\w.-]+\.js)$/.test(pathname)) {
      return { file: path.join(elements, pathname) };
    }
    return undefined;
  });
}

/** A plain static server of `folder` for any origin: what a CDN in front of files would do. */
export function serveFolder(folder) {
  return serve((pathname) => {
    if (!/^(\/[\w.-]+)+$/.test(pathname) || pathname.includes('..')) return undefined;
    return { file: path.join(folder, pathname) };
  });
}

/** node:http answering GETs with what `route(pathname)` names; listens on a loopback port. */
async function serve(route) {
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    const found = route(pathname);
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' };
    if (found?.body !== undefined) {
      response.writeHead(200, { ...headers, 'content-type': found.type }).end(found.body);
    } else if (found?.file && existsSync(found.file) && statSync(found.file).isFile()) {
      response.writeHead(200, {
        ...headers,
        'content-type': types[path.extname(found.file)] ?? 'application/octet-stream',
        'content-length': statSync(found.file).size,
      });
      createReadStream(found.file).pipe(response);
    } else {
      response.writeHead(404, headers).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
