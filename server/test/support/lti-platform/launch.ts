import { readFormPage } from './auth.ts';
import { createBrowser } from './browser.ts';
import { coupleLineItem } from './line-items.ts';
import { managesActivities } from './moodle.ts';
import { courseFor, nextNumber, type PendingLaunch, type PlatformState } from './state.ts';
import type { LaunchOptions, PreparedLaunch, ToolResponse } from './types.ts';

const defaultContext = { id: 'course-2', label: 'SAFE101', title: 'Safety 101' };
const defaultResourceLink = { id: 'rl-1' };

/**
 * A launch up to the platform's answer, as a browser with a fresh cookie jar goes through
 * it: the tool's login URL, its redirect to the authorization endpoint, the form the platform
 * answers. What the platform refuses, and what the tool does wrong on the way, throws.
 */
export async function prepareLaunch(
  state: PlatformState,
  options: LaunchOptions,
): Promise<PreparedLaunch> {
  const outcome = await authenticate(state, options);
  if ('prepared' in outcome) return outcome.prepared;
  const { status, body } = outcome.refusal;
  throw new Error(
    `The tool's login URL answered ${status} instead of redirecting to the platform's authorization endpoint: ${body.slice(0, 300)}`,
  );
}

/** A launch to the end. A login the tool answers without a redirect is answered as it is. */
export async function launch(state: PlatformState, options: LaunchOptions): Promise<ToolResponse> {
  const outcome = await authenticate(state, options);
  if ('refusal' in outcome) return outcome.refusal;
  const { prepared } = outcome;
  if (options.deliver !== false) return prepared.submit();

  return {
    status: 200,
    headers: new Headers({ 'content-type': 'application/json' }),
    body: JSON.stringify({
      redirect_uri: prepared.redirectUri,
      id_token: prepared.idToken,
      state: prepared.state,
    }),
    url: state.urls.auth,
  };
}

async function authenticate(
  state: PlatformState,
  options: LaunchOptions,
): Promise<{ prepared: PreparedLaunch } | { refusal: ToolResponse }> {
  const launch = beginLaunch(state, options);
  const browser = createBrowser();

  const answer = await browser.request(loginUrl(state, launch));
  const location = answer.headers.get('location');
  if (answer.status < 300 || answer.status > 399 || !location) return { refusal: answer };
  const authRequest = new URL(location, answer.url);
  if (`${authRequest.origin}${authRequest.pathname}` !== state.urls.auth) {
    throw new Error(
      `The tool's login redirected to ${authRequest.origin}${authRequest.pathname}, not to the platform's authorization endpoint ${state.urls.auth}.`,
    );
  }

  const page = await browser.request(authRequest.href);
  if (page.status !== 200) {
    throw new Error(`The platform refused the tool's authentication request: ${page.body}`);
  }
  const { action, fields } = readFormPage(page.body);
  if (fields.error) {
    const reason = fields.error_description ? ` (${fields.error_description})` : '';
    throw new Error(
      `The platform refused the tool's authentication request: ${fields.error}${reason}.`,
    );
  }

  const prepared: PreparedLaunch = {
    idToken: fields.id_token ?? '',
    state: fields.state ?? '',
    redirectUri: action,
    submit: (changes = {}) =>
      browser.request(prepared.redirectUri, {
        method: 'POST',
        form: {
          id_token: changes.idToken ?? prepared.idToken,
          state: changes.state ?? prepared.state,
        },
        cookies: changes.cookies,
      }),
  };
  return { prepared };
}

/** What Moodle keeps in the session between the login request and auth.php. */
export function beginLaunch(state: PlatformState, options: LaunchOptions): PendingLaunch {
  const tool = state.current;
  if (!tool) throw new Error('No tool is registered yet: call register() or configure() first.');
  const messageType = options.messageType ?? 'LtiResourceLinkRequest';
  const deepLinking = messageType === 'LtiDeepLinkingRequest';
  if (deepLinking && !managesActivities(options.user.role)) {
    throw new Error(
      `Moodle offers deep linking only to those who may add activities; a ${options.user.role} may not.`,
    );
  }

  const course = courseFor(state, options.context ?? defaultContext);
  if (!course.rosterSet) course.members.set(options.user.id, options.user);
  const link = options.resourceLink ?? defaultResourceLink;
  if (!deepLinking) {
    course.resourceLinks.add(link.id);
    if (options.resourceLink?.lineItem) {
      const title = options.resourceLink.title ?? 'Training video';
      coupleLineItem(state, course, link.id, options.resourceLink.lineItem, title);
    }
  }

  const number = nextNumber(state, 'launches');
  const launchId = deepLinking
    ? `ltilaunch_ContentItemSelectionRequest${number}`
    : `ltilaunch${link.id}_${number}`;
  const pending: PendingLaunch = {
    launchId,
    tool,
    options,
    messageType,
    targetLinkUri:
      options.targetLinkUri ??
      (deepLinking ? (tool.deepLinkingUrl ?? tool.targetLinkUri) : tool.targetLinkUri),
    deploymentId: options.deploymentId ?? tool.deploymentId,
    course,
    ...(deepLinking ? {} : { resourceLinkId: link.id }),
  };
  state.pendingLaunches.set(launchId, pending);
  return pending;
}

/** lti_build_login_request, sent as a GET. */
export function loginUrl(state: PlatformState, launch: PendingLaunch): string {
  const hint = launch.resourceLinkId
    ? { cmid: launch.resourceLinkId, launchid: launch.launchId }
    : { launchid: launch.launchId };
  const url = new URL(launch.tool.loginUrl);
  url.searchParams.set('iss', state.urls.issuer);
  url.searchParams.set('target_link_uri', launch.targetLinkUri);
  url.searchParams.set('login_hint', launch.options.user.id);
  url.searchParams.set('lti_message_hint', JSON.stringify(hint));
  url.searchParams.set('client_id', launch.tool.clientId);
  url.searchParams.set('lti_deployment_id', launch.deploymentId);
  if (launch.options.storageTarget) {
    url.searchParams.set('lti_storage_target', launch.options.storageTarget);
  }
  return url.href;
}
