import express, { Router, type Request, type Response } from 'express';
import { launchClaims } from './id-token.ts';
import { claim } from './moodle.ts';
import type { PendingLaunch, PlatformState } from './state.ts';

/**
 * The authorization endpoint, as mod/lti/auth.php: checks the tool's authentication request
 * against the launch its lti_message_hint names, then answers a page whose form posts the
 * id_token and state to the redirect_uri. A refusal posts `error` there instead; a redirect_uri
 * the tool never registered gets an error page, since nothing may be posted to it.
 */
export function authRoutes(state: PlatformState): Router {
  const router = Router();
  router.get('/auth', authorize(state));
  router.post('/auth', express.urlencoded({ extended: false }), authorize(state));
  router.get('/return', (_request, response) => {
    response.type('html').send('<!doctype html><title>Moodle</title><p>Back in the course.</p>');
  });
  return router;
}

type Params = Record<string, string | undefined>;

function authorize(state: PlatformState) {
  return (request: Request, response: Response) => {
    const params = (request.method === 'GET' ? request.query : request.body) as Params;
    const launch = pendingLaunch(state, params.lti_message_hint);
    // Like $SESSION->lti_message_hint, a launch answers one authentication request.
    if (launch) state.pendingLaunches.delete(launch.launchId);

    const tool = launch?.tool ?? state.tools.get(params.client_id ?? '');
    const redirectUri = params.redirect_uri ?? '';
    if (!tool || !tool.redirectUris.includes(redirectUri)) {
      response.status(400).type('text/plain');
      response.send('Invalid request: redirect_uri is not one of the tool’s registered URIs.');
      return;
    }

    const refusal = refuse(params, launch);
    if (refusal || !launch) {
      const fields = { ...(refusal ?? { error: 'invalid_request' }), state: params.state ?? '' };
      response.type('html').send(formPage(redirectUri, fields));
      return;
    }

    const idToken = signLaunch(state, launch, params.nonce ?? '');
    response
      .type('html')
      .send(formPage(redirectUri, { id_token: idToken, state: params.state ?? '' }));
  };
}

// The hint is Moodle's JSON {"cmid": …, "launchid": …}, which the tool must pass back as it is.
function pendingLaunch(state: PlatformState, hint: string | undefined): PendingLaunch | undefined {
  try {
    const { launchid } = JSON.parse(hint ?? '') as { launchid?: unknown };
    return typeof launchid === 'string' ? state.pendingLaunches.get(launchid) : undefined;
  } catch {
    return undefined;
  }
}

function refuse(
  params: Params,
  launch: PendingLaunch | undefined,
): { error: string; error_description: string } | undefined {
  const required = ['scope', 'response_type', 'client_id', 'redirect_uri', 'login_hint', 'nonce'];
  const missing = required.filter((name) => !params[name]);
  if (missing.length > 0 || !launch) {
    const what = launch
      ? `missing ${missing.join(', ')}`
      : 'lti_message_hint is not the one the login request carried';
    return { error: 'invalid_request', error_description: what };
  }
  if (params.scope !== 'openid') {
    return { error: 'invalid_scope', error_description: 'scope must be "openid"' };
  }
  if (params.response_type !== 'id_token') {
    return {
      error: 'unsupported_response_type',
      error_description: 'response_type must be id_token',
    };
  }
  if (params.client_id !== launch.tool.clientId) {
    return { error: 'unauthorized_client', error_description: 'client_id is not the tool’s' };
  }
  if (params.login_hint !== launch.options.user.id) {
    return { error: 'access_denied', error_description: 'login_hint is not the user’s' };
  }
  if (params.response_mode !== 'form_post') {
    return { error: 'invalid_request', error_description: 'response_mode must be form_post' };
  }
  if (params.prompt && params.prompt !== 'none') {
    return { error: 'invalid_request', error_description: 'Invalid prompt' };
  }
  // Stricter than Moodle, which lets a missing state pass: without it a login can be forged.
  if (!params.state) return { error: 'invalid_request', error_description: 'missing state' };
  return undefined;
}

function signLaunch(state: PlatformState, launch: PendingLaunch, nonce: string): string {
  const claims = launchClaims(state, launch, nonce);
  const header = state.keys.header();
  launch.options.tamper?.(claims, header);

  if (launch.messageType === 'LtiDeepLinkingRequest') {
    const settings = claims[claim.deepLinkingSettings] as Record<string, unknown> | undefined;
    const data = settings?.data;
    state.deepLinkRequests.set(launch.launchId, {
      clientId: launch.tool.clientId,
      deploymentId: launch.deploymentId,
      ...(typeof data === 'string' ? { data } : {}),
    });
  }
  return launch.options.sign
    ? launch.options.sign(claims, header)
    : state.keys.sign(claims, header);
}

/** auth.php's answer: a form the page's script submits at once. */
function formPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `  <input type="hidden" name="${htmlEscape(name)}" value="${htmlEscape(value)}"/>`,
    )
    .join('\n');
  return [
    `<form action="${htmlEscape(action)}" name="ltiAuthForm" id="ltiAuthForm" method="post" enctype="application/x-www-form-urlencoded">`,
    inputs,
    '</form>',
    '<script>document.ltiAuthForm.submit();</script>',
    '',
  ].join('\n');
}

/** Reads back what formPage wrote: the form's action and its hidden fields. */
export function readFormPage(html: string): { action: string; fields: Record<string, string> } {
  const action = htmlUnescape(/<form action="([^"]*)"/.exec(html)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)) {
    fields[htmlUnescape(match[1] ?? '')] = htmlUnescape(match[2] ?? '');
  }
  return { action, fields };
}

const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#039;',
};

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

function htmlUnescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#039);/g, (entity) => {
    const found = Object.entries(entities).find(([, escaped]) => escaped === entity);
    return found ? found[0] : entity;
  });
}
