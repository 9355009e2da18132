import jwt from 'jsonwebtoken';
import { LecternError } from '../http/errors.ts';
import type { LtiPlatform } from './platforms.ts';
import type { PlatformKeys } from './platform-keys.ts';

export const claim = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  deepLinking: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
} as const;

export const messageTypes = ['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'] as const;
export type MessageType = (typeof messageTypes)[number];

/**
 * What Lectern takes from a verified id_token: the person's name (for trainers' quiz results)
 * but no e-mail, picture or anything else about them.
 */
export interface LaunchClaims {
  subject: string;
  name: string | undefined;
  messageType: MessageType;
  deploymentId: string;
  roles: string[];
  targetLinkUri: string | undefined;
  resourceLinkId: string | undefined;
  contextId: string | undefined;
  custom: Record<string, string>;
  locale: string | undefined;
  deepLinking: Record<string, unknown> | undefined;
  ags: Record<string, unknown> | undefined;
  nrps: Record<string, unknown> | undefined;
}

/** Longer than any id_token a platform sends (Moodle's are about 3 KB). */
export const maxIdTokenLength = 16_384;
/** How far the platform's clock may run ahead of ours. */
const clockSkewSeconds = 60;

/**
 * Verifies a launch's id_token for `platform`: RS256 only, whatever the header claims; the
 * platform's key by kid; issuer, audience (and azp), expiry and an iat that does not lie
 * ahead; the nonce the login issued; a deployment the platform registered; an LTI 1.3
 * message Lectern handles. Each failure has its own code.
 */
export async function verifyIdToken(
  idToken: string,
  platform: LtiPlatform,
  expectedNonce: string,
  keys: PlatformKeys,
): Promise<LaunchClaims> {
  if (idToken.length > maxIdTokenLength) throw new LecternError('lti.token_too_large');
  const decoded = jwt.decode(idToken, { complete: true });
  if (!decoded || typeof decoded.payload === 'string')
    throw new LecternError('lti.token_malformed');
  if (decoded.header.alg !== 'RS256') throw new LecternError('lti.token_algorithm');
  if (typeof decoded.header.kid !== 'string') throw new LecternError('lti.token_signature');

  const key = await keys.key(platform.jwksUrl, decoded.header.kid);
  let payload: jwt.JwtPayload;
  try {
    payload = jwt.verify(idToken, key, {
      algorithms: ['RS256'],
      issuer: platform.issuer,
      audience: platform.clientId,
      clockTolerance: clockSkewSeconds,
    }) as jwt.JwtPayload;
  } catch (error) {
    throw new LecternError(verifyFailure(error));
  }

  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') {
    throw new LecternError('lti.token_claims');
  }
  if (payload.iat > now + clockSkewSeconds) throw new LecternError('lti.token_not_yet_valid');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if ((audiences.length > 1 || payload.azp !== undefined) && payload.azp !== platform.clientId) {
    throw new LecternError('lti.token_audience');
  }
  if (payload.nonce !== expectedNonce) throw new LecternError('lti.nonce_invalid');

  const deploymentId = payload[claim.deploymentId];
  if (typeof deploymentId !== 'string' || !platform.deploymentIds.includes(deploymentId)) {
    throw new LecternError('lti.unknown_deployment');
  }
  if (payload[claim.version] !== '1.3.0') throw new LecternError('lti.version');
  const messageType = payload[claim.messageType] as MessageType;
  if (!messageTypes.includes(messageType)) throw new LecternError('lti.message_type');

  return readClaims(payload, messageType, deploymentId);
}

function verifyFailure(error: unknown) {
  if (error instanceof jwt.TokenExpiredError) return 'lti.token_expired' as const;
  const message = (error as Error).message;
  if (/audience/.test(message)) return 'lti.token_audience' as const;
  if (/issuer/.test(message)) return 'lti.token_issuer' as const;
  if (error instanceof jwt.NotBeforeError) return 'lti.token_not_yet_valid' as const;
  return 'lti.token_signature' as const;
}

function readClaims(
  payload: jwt.JwtPayload,
  messageType: MessageType,
  deploymentId: string,
): LaunchClaims {
  const object = (value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
    throw new LecternError('lti.token_claims');
  }
  const roles = payload[claim.roles];
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw new LecternError('lti.token_claims');
  }
  const custom = Object.fromEntries(
    Object.entries(object(payload[claim.custom]) ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return {
    subject,
    name: personName(payload),
    messageType,
    deploymentId,
    roles,
    targetLinkUri: text(payload[claim.targetLinkUri]),
    resourceLinkId: text(object(payload[claim.resourceLink])?.id),
    contextId: text(object(payload[claim.context])?.id),
    custom,
    locale: text(object(payload[claim.launchPresentation])?.locale),
    deepLinking: object(payload[claim.deepLinking]),
    ags: object(payload[claim.ags]),
    nrps: object(payload[claim.nrps]),
  };
}

/** `name`, else given and family name; at most 200 characters, no control characters. */
function personName(payload: jwt.JwtPayload): string | undefined {
  const parts = [payload.given_name, payload.family_name].filter(
    (part) => typeof part === 'string',
  );
  const raw = typeof payload.name === 'string' ? payload.name : parts.join(' ');
  // eslint-disable-next-line no-control-regex
  const name = raw.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return name.length > 0 ? name.slice(0, 200) : undefined;
}
