import { Router } from 'express';
import { beginLaunch, loginUrl } from './launch.ts';
import type { PlatformState } from './state.ts';
import type { LaunchOptions } from './types.ts';

/**
 * A course page as Moodle shows an LTI activity "in the page": an iframe whose first request
 * is the tool's login URL, so that a real browser runs the whole launch inside the frame.
 */
export function coursePageRoutes(state: PlatformState, frames: Map<string, string>): Router {
  const router = Router();
  router.get('/course/view/:frame', (request, response) => {
    const src = frames.get(request.params.frame);
    if (!src) {
      response.status(404).type('text/plain').send('No such course page.');
      return;
    }
    response.type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Safety 101 · Moodle</title></head>
<body><h1>Safety 101</h1>
<iframe id="contentframe" src="${src.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"
  width="960" height="600" allow="autoplay; fullscreen" title="Lectern"></iframe>
</body></html>`);
  });
  return router;
}

/** Starts a launch for a browser: the URL of the course page whose frame runs it. */
export function coursePageUrl(
  state: PlatformState,
  frames: Map<string, string>,
  options: LaunchOptions,
): string {
  const launch = beginLaunch(state, options);
  const frame = String(frames.size + 1);
  frames.set(frame, loginUrl(state, launch));
  return `${state.urls.issuer}/course/view/${frame}`;
}
