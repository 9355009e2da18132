import { Router } from 'express';
import { beginLaunch, loginUrl } from './launch.ts';
import type { PlatformState } from './state.ts';
import type { LaunchOptions } from './types.ts';

interface Frame {
  src: string;
  storageTarget: string | undefined;
}

/**
 * A course page as Moodle shows an LTI activity "in the page": an iframe whose first request
 * is the tool's login URL, so that a real browser runs the whole launch inside the frame.
 * With a storage target, a hidden frame of that name keeps the tool's data (LTI client-side
 * postMessage storage), and the tool's frame is added once it is ready. The frame grows to
 * the height the tool asks for with `lti.frameResize`.
 */
export function coursePageRoutes(frames: Map<string, Frame>): Router {
  const router = Router();
  router.get('/course/view/:frame', (request, response) => {
    const frame = frames.get(request.params.frame);
    if (!frame) {
      response.status(404).type('text/plain').send('No such course page.');
      return;
    }
    const tool = `const tool = document.createElement('iframe');
  Object.assign(tool, { id: 'contentframe', src: ${JSON.stringify(frame.src)}, title: 'Lectern' });
  tool.width = 960; tool.height = 600;
  document.body.append(tool);
  // As Moodle and Canvas do: the tool may ask for the frame's height (lti.frameResize).
  addEventListener('message', (event) => {
    if (event.source !== tool.contentWindow || event.data?.subject !== 'lti.frameResize') return;
    const height = Number(event.data.height);
    if (height > 0) tool.height = Math.min(Math.ceil(height), 10000);
  });`;
    const storage = frame.storageTarget
      ? `<iframe name="${frame.storageTarget}" src="/course/storage" hidden></iframe>
<script>document.querySelector('iframe[name]').addEventListener('load', () => { ${tool} });</script>`
      : `<script>${tool}</script>`;
    response.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Safety 101 · Moodle</title></head>
<body><h1>Safety 101</h1>
${storage}
</body></html>`);
  });
  router.get('/course/storage', (_request, response) => {
    response.type('html').send(`<!doctype html><title>storage</title><script>
// Each tool origin sees only its own keys, as the spec asks.
const kept = new Map();
addEventListener('message', (event) => {
  const message = event.data;
  if (!message || typeof message !== 'object') return;
  const answer = { message_id: message.message_id, key: message.key };
  const where = event.origin + ' ' + message.key;
  if (message.subject === 'lti.put_data') {
    kept.set(where, message.value);
    event.source.postMessage({ ...answer, subject: 'lti.put_data.response', value: message.value }, event.origin);
  } else if (message.subject === 'lti.get_data') {
    const found = kept.has(where)
      ? { value: kept.get(where) }
      : { error: { code: 'bad_request', message: 'no such key' } };
    event.source.postMessage({ ...answer, subject: 'lti.get_data.response', ...found }, event.origin);
  }
});
</script>`);
  });
  return router;
}

/** Starts a launch for a browser: the URL of the course page whose frame runs it. */
export function coursePageUrl(
  state: PlatformState,
  frames: Map<string, Frame>,
  options: LaunchOptions,
): string {
  const launch = beginLaunch(state, options);
  const frame = String(frames.size + 1);
  frames.set(frame, { src: loginUrl(state, launch), storageTarget: options.storageTarget });
  return `${state.urls.issuer}/course/view/${frame}`;
}
