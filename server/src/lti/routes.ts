import { randomBytes } from 'node:crypto';
import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { LecternError } from '../http/errors.ts';
import { validQuery, validate } from '../http/validation.ts';
import { respondToDeepLink } from './deep-linking.ts';
import { verifyIdToken } from './id-token.ts';
import { completeLaunch } from './launch-completion.ts';
import { renderMessagePage } from './launch-page.ts';
import { consumeLogin, pendingLogin, startLogin, type LoginRequest } from './logins.ts';
import { findPlatform, platformById } from './platforms.ts';
import { registerDynamically } from './registration.ts';
import { checkStatePage, storeStatePage } from './storage-target.ts';

const stateCookie = 'lectern_lti_state';
const idText = z.string().min(1).max(1024);
const loginRequest = z.object({
  iss: z.url().max(1024),
  login_hint: idText,
  target_link_uri: z.url().max(2048),
  lti_message_hint: idText.optional(),
  client_id: z.string().min(1).max(255).optional(),
  lti_deployment_id: z.string().min(1).max(255).optional(),
  // A frame name; `_parent` or the platform's own (LTI client-side postMessage storage).
  lti_storage_target: z
    .string()
    .regex(/^[\w-]{1,100}$/)
    .optional(),
});
const launchBody = z.object({
  id_token: z.string().min(1).max(65_536),
  state: z.string().min(1).max(512),
});
const confirmBody = z.strictObject({
  id_token: z.string().min(1).max(65_536),
  state: z.string().min(1).max(512),
  script_nonce: z.string().regex(/^[A-Za-z0-9+/=]{16,64}$/),
});
const registrationQuery = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  openid_configuration: z.url().max(2048),
  registration_token: z.string().max(4096).optional(),
});
const deepLinkBody = z
  .strictObject({
    ticket: z.string().min(1).max(8192),
    video: z.uuid().optional(),
    quiz: z.uuid().optional(),
  })
  .refine((body) => (body.video === undefined) !== (body.quiz === undefined), {
    message: 'pick one video or one quiz',
  });

/**
 * The LTI 1.3 tool under `/lti`: OIDC login initiation, the launch, the tool's JWKS,
 * dynamic registration and the deep-linking answer. Forms arrive urlencoded, so this router
 * parses its own bodies; everything it answers is HTML for the LMS's browser frame.
 */
export function ltiRoutes(context: AppContext): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '96kb', parameterLimit: 20 });

  router.get('/login', validate({ query: loginRequest }), login(context));
  router.post('/login', form, validate({ body: loginRequest }), login(context));
  router.post('/launch', form, validate({ body: launchBody }), launch(context));
  router.post(
    '/launch/confirm',
    express.json({ limit: '96kb' }),
    validate({ body: confirmBody }),
    confirmLaunch(context),
  );
  router.get('/keys', context.lti.tool.keyset);
  router.get('/register', validate({ query: registrationQuery }), register(context));
  router.post('/deep-link', form, validate({ body: deepLinkBody }), deepLink(context));
  return router;
}

function login(context: AppContext) {
  return async (request: Request, response: Response) => {
    const params = (request.method === 'GET' ? validQuery(response) : request.body) as LoginRequest;
    const platform = await findPlatform(context.db, params.iss, params.client_id);
    if (!platform) throw new LecternError('lti.unknown_platform');
    if (params.lti_deployment_id && !platform.deploymentIds.includes(params.lti_deployment_id)) {
      throw new LecternError('lti.unknown_deployment');
    }

    const { state, authorizationUrl } = await startLogin(
      context.db,
      platform,
      params,
      `${publicBase(context)}/lti/launch`,
    );
    // Partitioned: inside an LMS iframe the cookie lives in that site's partition, so Chrome
    // keeps it even where third-party cookies are blocked.
    response.append(
      'Set-Cookie',
      `${stateCookie}=${state}; Path=/lti; Max-Age=600; HttpOnly; Secure; SameSite=None; Partitioned`,
    );
    const target = params.lti_storage_target;
    if (target) {
      const frame = { target, origin: new URL(platform.authUrl).origin };
      sendHtml(response, storeStatePage({ frame, state, authorizationUrl }));
      return;
    }
    response.redirect(302, authorizationUrl);
  };
}

function launch(context: AppContext) {
  return async (request: Request, response: Response) => {
    const { id_token: idToken, state } = request.body as z.infer<typeof launchBody>;
    const cookieState = readCookie(request, stateCookie);
    if (cookieState !== undefined && cookieState !== state) {
      throw new LecternError('lti.state_mismatch');
    }
    if (cookieState === undefined) {
      await withoutCookie(context, response, { idToken, state });
      return;
    }

    const login = await consumeLogin(context.db, state);
    const platform = await platformById(context.db, login.platformId);
    if (!platform) throw new LecternError('lti.state_invalid');
    const claims = await verifyIdToken(idToken, platform, login.nonce, context.lti.keys);
    response.append(
      'Set-Cookie',
      `${stateCookie}=; Path=/lti; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`,
    );
    sendHtml(response, await completeLaunch(context, request.log, platform, claims));
  };
}

/**
 * The browser dropped the state cookie (an iframe without third-party cookies). Where the
 * platform keeps a storage frame, the page asks it for the state; otherwise the login starts
 * again in a window of its own, where the cookie is first-party, and this id_token is never
 * looked at.
 */
async function withoutCookie(
  context: AppContext,
  response: Response,
  launch: { idToken: string; state: string },
): Promise<void> {
  const pending = await pendingLogin(context.db, launch.state);
  const platform = pending && (await platformById(context.db, pending.platformId));
  if (!pending || !platform) throw new LecternError('lti.state_invalid');
  const target = pending.request.lti_storage_target;
  if (target) {
    sendHtml(
      response,
      checkStatePage({
        frame: { target, origin: new URL(platform.authUrl).origin },
        ...launch,
        confirmUrl: `${publicBase(context)}/lti/launch/confirm`,
        fallbackHref: loginAgainUrl(context, pending.request),
      }),
    );
    return;
  }
  await consumeLogin(context.db, launch.state);
  sendHtml(response, () => continueInNewWindow(context, pending.request));
}

/**
 * The second half of a launch that the platform's storage frame vouched for. Only the launch
 * page's own script can send it: a JSON body with Lectern's header needs a CORS preflight
 * from any other origin, and /lti answers none.
 */
function confirmLaunch(context: AppContext) {
  return async (request: Request, response: Response) => {
    if (request.headers['x-lectern-launch'] !== 'storage') {
      throw new LecternError('request.invalid');
    }
    const body = request.body as z.infer<typeof confirmBody>;
    const login = await consumeLogin(context.db, body.state);
    const platform = await platformById(context.db, login.platformId);
    if (!platform || !login.request.lti_storage_target) {
      throw new LecternError('lti.state_invalid');
    }
    const claims = await verifyIdToken(body.id_token, platform, login.nonce, context.lti.keys);
    const page = await completeLaunch(context, request.log, platform, claims);
    response.setHeader('Cache-Control', 'no-store');
    // The page replaces the one that asked, under that page's policy and nonce.
    response.type('html').send(page(body.script_nonce));
  };
}

function register(context: AppContext) {
  return async (_request: Request, response: Response) => {
    const query = validQuery<z.infer<typeof registrationQuery>>(response);
    await registerDynamically(context, {
      token: query.token,
      openidConfiguration: query.openid_configuration,
      registrationToken: query.registration_token,
    });
    // Tells the LMS's registration window that the tool is done (LTI Dynamic Registration).
    sendHtml(
      response,
      (scriptNonce) =>
        `<!doctype html><html><head><meta charset="utf-8"><title>Lectern</title></head><body>` +
        `<p>Lectern is registered.</p><script nonce="${scriptNonce}">` +
        `(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');` +
        `</script></body></html>`,
    );
  };
}

function deepLink(context: AppContext) {
  return async (request: Request, response: Response) => {
    const body = request.body as z.infer<typeof deepLinkBody>;
    const answer = await respondToDeepLink(context, body);
    sendHtml(response, answer);
  };
}

function continueInNewWindow(context: AppContext, login: LoginRequest): string {
  return renderMessagePage({
    lang: 'en',
    title: 'Lectern',
    text: 'Your browser keeps Lectern from signing you in inside this frame. Open it in a window of its own to go on.',
    action: { label: 'Open Lectern', href: loginAgainUrl(context, login), newWindow: true },
  });
}

/** The same login once more, for a window of its own (without the frame's storage target). */
function loginAgainUrl(context: AppContext, login: LoginRequest): string {
  const again = new URL(`${publicBase(context)}/lti/login`);
  for (const [name, value] of Object.entries(login)) {
    if (typeof value === 'string' && name !== 'lti_storage_target') {
      again.searchParams.set(name, value);
    }
  }
  return again.href;
}

/**
 * HTML for the LMS's frame: never cached, and scripts only from Lectern or inline with this
 * answer's nonce, which `page` is given to put on them.
 */
function sendHtml(response: Response, page: (scriptNonce: string) => string): void {
  const scriptNonce = randomBytes(16).toString('base64');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader(
    'Content-Security-Policy',
    `default-src 'self'; script-src 'self' 'nonce-${scriptNonce}'; ` +
      // https: beside 'self': with S3 storage, segments arrive by presigned redirect.
      "style-src 'self' 'unsafe-inline'; img-src 'self' blob: data: https:; " +
      "media-src 'self' blob: https:; connect-src 'self' https:; form-action *; " +
      "base-uri 'none'; object-src 'none'",
  );
  response.type('html').send(page(scriptNonce));
}

export function publicBase(context: AppContext): string {
  return context.signer.issuer;
}

function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
