import express, { Router, type Request, type Response } from 'express';
import { createBrowser } from './browser.ts';
import { scope, toolConfigurationKey } from './moodle.ts';
import { nextNumber, randomClientId, type PlatformState, type RegisteredTool } from './state.ts';
import type { ManualTool, Registration } from './types.ts';

type Json = Record<string, unknown>;

/**
 * LTI Dynamic Registration as Moodle runs it. The admin's browser opens the tool's page with
 * openid_configuration and a registration token (a JWT the platform signs, one use); the tool
 * POSTs its client registration with that token as Bearer. Moodle keeps such a tool pending
 * until an admin activates it; here it is active at once.
 */
export function registrationRoutes(state: PlatformState): Router {
  const router = Router();
  router.post('/registration', express.text({ type: () => true }), registerTool(state));
  return router;
}

/** What startltiadvregistration.php does, followed by what the tool's page answers. */
export async function register(
  state: PlatformState,
  registrationUrl: string,
): Promise<Registration> {
  const clientId = randomClientId();
  const now = Math.floor(Date.now() / 1000);
  const token = state.keys.sign(
    { sub: clientId, scope: 'reg', iat: now, exp: now + 3600 },
    state.keys.header(),
  );
  const url = new URL(registrationUrl);
  url.searchParams.set('openid_configuration', state.urls.configuration);
  url.searchParams.set('registration_token', token);

  const page = await createBrowser().request(url.href);
  const tool = state.tools.get(clientId);
  if (!tool) {
    throw new Error(
      `The tool did not register: no registration came with the token, and its registration page answered ${page.status}: ${page.body.slice(0, 500)}`,
    );
  }
  const registration = state.registrations.get(clientId) ?? {};
  const toolConfiguration = (registration[toolConfigurationKey] ?? {}) as Json;
  return { page, clientId, deploymentId: tool.deploymentId, toolConfiguration, registration };
}

/** A tool an admin configured by hand: every service on, names and e-mail shared. */
export function configure(state: PlatformState, manual: ManualTool) {
  const tool: RegisteredTool = {
    clientId: manual.clientId ?? randomClientId(),
    deploymentId: String(nextNumber(state, 'tools')),
    name: 'Lectern',
    loginUrl: manual.loginUrl,
    redirectUris: [...manual.redirectUris],
    targetLinkUri: manual.targetLinkUri,
    ...(manual.deepLinkingUrl ? { deepLinkingUrl: manual.deepLinkingUrl } : {}),
    jwksUrl: manual.jwksUrl,
    scopes: [
      scope.lineItem,
      scope.lineItemReadonly,
      scope.resultReadonly,
      scope.score,
      scope.memberships,
    ],
    customParameters: {},
    sendName: true,
    sendEmail: true,
  };
  state.tools.set(tool.clientId, tool);
  state.current = tool;
  return { clientId: tool.clientId, deploymentId: tool.deploymentId };
}

function registerTool(state: PlatformState) {
  return (request: Request, response: Response) => {
    const [kind, token] = (request.get('authorization') ?? '').split(' ');
    if (kind !== 'Bearer' || !token) {
      response.status(401).type('text/plain').send('missing_registration_token');
      return;
    }
    const claims = state.keys.verify(token);
    if (!claims || claims.scope !== 'reg' || typeof claims.sub !== 'string') {
      response.status(401).type('text/plain').send('invalid_registration_token');
      return;
    }
    if (state.tools.has(claims.sub)) {
      response.status(401).type('text/plain').send('token_already_used');
      return;
    }

    let body: Json;
    try {
      body = JSON.parse(String(request.body)) as Json;
    } catch {
      body = {};
    }
    const problems = registrationProblems(body);
    if (problems.length > 0) {
      response
        .status(400)
        .json({ error: 'invalid_client_metadata', error_description: problems.join('; ') });
      return;
    }

    const tool = toolFrom(state, body, claims.sub);
    state.tools.set(tool.clientId, tool);
    state.registrations.set(tool.clientId, body);
    state.current = tool;
    response.json(registrationAnswer(tool, body));
  };
}

/** The spec's checks, somewhat stricter than registration_helper's. */
function registrationProblems(body: Json): string[] {
  const problems: string[] = [];
  const isUrl = (value: unknown) => typeof value === 'string' && /^https?:\/\/[^/]/.test(value);
  const list = (value: unknown) => (Array.isArray(value) ? (value as unknown[]) : []);

  if (body.application_type !== 'web') problems.push('application_type must be "web"');
  const grants = list(body.grant_types);
  if (!grants.includes('implicit') || !grants.includes('client_credentials')) {
    problems.push('grant_types must hold implicit and client_credentials');
  }
  if (!list(body.response_types).includes('id_token'))
    problems.push('response_types must hold id_token');
  const redirects = list(body.redirect_uris);
  if (redirects.length === 0 || !redirects.every(isUrl))
    problems.push('redirect_uris must be URLs');
  if (!isUrl(body.initiate_login_uri))
    problems.push('missing required attribute initiate_login_uri');
  if (typeof body.client_name !== 'string' || !body.client_name) {
    problems.push('missing required attribute client_name');
  }
  if (!isUrl(body.jwks_uri)) problems.push('missing required attribute jwks_uri');
  if (body.token_endpoint_auth_method !== 'private_key_jwt') {
    problems.push('invalid_token_endpoint_auth_method');
  }
  if (body.scope !== undefined && typeof body.scope !== 'string')
    problems.push('scope must be a string');

  const configuration = body[toolConfigurationKey] as Json | undefined;
  if (typeof configuration !== 'object' || configuration === null) {
    problems.push(`missing required attribute ${toolConfigurationKey}`);
    return problems;
  }
  if (typeof configuration.domain !== 'string' || !configuration.domain) {
    problems.push('missing required attribute domain');
  }
  if (!isUrl(configuration.target_link_uri))
    problems.push('missing required attribute target_link_uri');
  const messages = configuration.messages;
  if (
    messages !== undefined &&
    !list(messages).every((message) => typeof (message as Json)?.type === 'string')
  ) {
    problems.push('messages must each have a type');
  }
  return problems;
}

function toolFrom(state: PlatformState, body: Json, clientId: string): RegisteredTool {
  const configuration = body[toolConfigurationKey] as Json;
  const asked = typeof body.scope === 'string' ? body.scope.split(' ') : [];
  const claims = Array.isArray(configuration.claims) ? (configuration.claims as unknown[]) : [];
  const messages = Array.isArray(configuration.messages) ? (configuration.messages as Json[]) : [];
  const deepLinking = messages.find((message) => message.type === 'LtiDeepLinkingRequest');
  const deepLinkingUrl = deepLinking?.target_link_uri;
  const custom = configuration.custom_parameters;

  return {
    clientId,
    deploymentId: String(nextNumber(state, 'tools')),
    name: String(body.client_name),
    loginUrl: String(body.initiate_login_uri),
    redirectUris: (body.redirect_uris as unknown[]).map(String),
    targetLinkUri: String(configuration.target_link_uri),
    ...(typeof deepLinkingUrl === 'string' && deepLinkingUrl ? { deepLinkingUrl } : {}),
    jwksUrl: String(body.jwks_uri),
    scopes: permittedScopes(asked),
    customParameters:
      typeof custom === 'object' && custom !== null
        ? Object.fromEntries(Object.entries(custom).map(([key, value]) => [key, String(value)]))
        : {},
    sendName: ['name', 'given_name', 'family_name'].some((name) => claims.includes(name)),
    sendEmail: claims.includes('email'),
  };
}

// registration_to_config: any AGS scope turns on grade sync (read), lineitem makes it full.
function permittedScopes(asked: string[]): string[] {
  const permitted: string[] = [];
  const ags = [scope.score, scope.resultReadonly, scope.lineItemReadonly, scope.lineItem];
  if (ags.some((candidate) => asked.includes(candidate))) {
    permitted.push(scope.score, scope.resultReadonly, scope.lineItemReadonly);
  }
  if (asked.includes(scope.lineItem)) permitted.push(scope.lineItem);
  if (asked.includes(scope.memberships)) permitted.push(scope.memberships);
  if (asked.includes(scope.toolSettings)) permitted.push(scope.toolSettings);
  return permitted;
}

/** config_to_registration, quirks included: application_type as a list, claims always named. */
function registrationAnswer(tool: RegisteredTool, body: Json): Json {
  const configuration = body[toolConfigurationKey] as Json;
  const answer: Json = {
    client_id: tool.clientId,
    token_endpoint_auth_method: 'private_key_jwt',
    response_types: ['id_token'],
    jwks_uri: tool.jwksUrl,
    initiate_login_uri: tool.loginUrl,
    grant_types: ['client_credentials', 'implicit'],
    redirect_uris: tool.redirectUris,
    application_type: ['web'],
    client_name: tool.name,
    logo_uri: typeof body.logo_uri === 'string' ? body.logo_uri : '',
    scope: tool.scopes.join(' '),
  };
  const toolConfiguration: Json = {
    deployment_id: tool.deploymentId,
    target_link_uri: tool.targetLinkUri,
    domain: configuration.domain,
    description: typeof configuration.description === 'string' ? configuration.description : '',
  };
  if (tool.deepLinkingUrl !== undefined || hasDeepLinking(configuration)) {
    toolConfiguration.messages = [
      { type: 'LtiDeepLinkingRequest', target_link_uri: tool.deepLinkingUrl ?? '' },
    ];
  }
  if (Object.keys(tool.customParameters).length > 0) {
    toolConfiguration.custom_parameters = tool.customParameters;
  }
  // An assignment where a comparison was meant makes Moodle list these whatever it shares.
  toolConfiguration.claims = ['sub', 'iss', 'name', 'family_name', 'middle_name', 'email'];
  answer[toolConfigurationKey] = toolConfiguration;
  return answer;
}

function hasDeepLinking(configuration: Json): boolean {
  const messages = Array.isArray(configuration.messages) ? (configuration.messages as Json[]) : [];
  return messages.some((message) => message.type === 'LtiDeepLinkingRequest');
}
