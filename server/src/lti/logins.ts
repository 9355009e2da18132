import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { LecternError } from '../http/errors.ts';
import { hashed, type LtiPlatform } from './platforms.ts';

/** The login initiation's parameters, as the platform sent them. */
export interface LoginRequest {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string | undefined;
  client_id?: string | undefined;
  lti_deployment_id?: string | undefined;
  /** The platform's frame for LTI client-side postMessage storage, when it offers one. */
  lti_storage_target?: string | undefined;
}

// As long as ltijs keeps a state: the person may take a while to sign in to the platform.
const loginTtlMs = 600_000;

/**
 * Starts an OIDC login: a state for the browser and a nonce for the id_token, kept (the state
 * only as a hash) until the launch comes back. Answers the platform's authorization URL.
 */
export async function startLogin(
  db: Knex,
  platform: LtiPlatform,
  request: LoginRequest,
  redirectUri: string,
): Promise<{ state: string; authorizationUrl: string }> {
  const state = randomBytes(32).toString('base64url');
  const nonce = randomBytes(32).toString('base64url');
  await db('lti_logins').insert({
    state_hash: hashed(state),
    platform_id: platform.id,
    nonce,
    request: JSON.stringify(request),
    expires_at: new Date(Date.now() + loginTtlMs),
  });

  const url = new URL(platform.authUrl);
  const query = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: platform.clientId,
    redirect_uri: redirectUri,
    login_hint: request.login_hint,
    state,
    nonce,
    ...(request.lti_message_hint ? { lti_message_hint: request.lti_message_hint } : {}),
  };
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return { state, authorizationUrl: url.href };
}

/**
 * Uses up a login: one statement marks it used, so that the same state (and with it the same
 * id_token) never launches twice. Unknown, used and expired states are alike refused.
 */
export async function consumeLogin(
  db: Knex,
  state: string,
): Promise<{ platformId: string; nonce: string; request: LoginRequest }> {
  const rows = (await db('lti_logins')
    .where({ state_hash: hashed(state) })
    .whereNull('used_at')
    .andWhere('expires_at', '>', db.fn.now())
    .update({ used_at: db.fn.now() })
    .returning(['platform_id', 'nonce', 'request'])) as {
    platform_id: string;
    nonce: string;
    request: LoginRequest | string;
  }[];
  const [row] = rows;
  if (!row) throw new LecternError('lti.state_invalid');
  return { platformId: row.platform_id, nonce: row.nonce, request: requestOf(row.request) };
}

/** A login still waiting for its launch, without using it up. */
export async function pendingLogin(
  db: Knex,
  state: string,
): Promise<{ platformId: string; request: LoginRequest } | undefined> {
  const row = (await db('lti_logins')
    .where({ state_hash: hashed(state) })
    .whereNull('used_at')
    .andWhere('expires_at', '>', db.fn.now())
    .first('platform_id', 'request')) as
    { platform_id: string; request: LoginRequest | string } | undefined;
  return row && { platformId: row.platform_id, request: requestOf(row.request) };
}

/** Removes logins past their lifetime, used or not; answers how many. */
export async function purgeLogins(db: Knex): Promise<number> {
  // Counted from the returned rows: knex-pglite answers a delete with no row count.
  const purged = await db('lti_logins').where('expires_at', '<=', new Date()).delete('state_hash');
  return purged.length;
}

// PGlite answers jsonb as text, pg as a parsed object.
function requestOf(value: LoginRequest | string): LoginRequest {
  return typeof value === 'string' ? (JSON.parse(value) as LoginRequest) : value;
}
