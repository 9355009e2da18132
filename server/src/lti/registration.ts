import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { LecternError } from '../http/errors.ts';
import { addPlatform, redeemRegistrationToken, registrationTenant } from './platforms.ts';

const fetchTimeoutMs = 10_000;
const scopes = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];

const platformConfiguration = z.object({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  registration_endpoint: z.url(),
  'https://purl.imsglobal.org/spec/lti-platform-configuration': z
    .object({ product_family_code: z.string().max(100).optional() })
    .loose()
    .optional(),
});
const registrationAnswer = z.object({
  client_id: z.string().min(1).max(255),
  'https://purl.imsglobal.org/spec/lti-tool-configuration': z
    .object({ deployment_id: z.string().min(1).max(255).optional() })
    .loose()
    .optional(),
});

/**
 * LTI Dynamic Registration, bound to the tenant whose admin made the one-time URL: reads the
 * platform's OpenID configuration, registers Lectern with it, and keeps the platform with
 * the deployment it answers. Beyond iss and sub Lectern asks for the person's name alone
 * (trainers see it in the results of quizzes that are not anonymous), never the e-mail
 * address, so an LMS that honours the request does not share it.
 */
export async function registerDynamically(
  context: AppContext,
  input: { token: string; openidConfiguration: string; registrationToken: string | undefined },
): Promise<void> {
  const tenantId = await registrationTenant(context.db, input.token);
  const configuration = platformConfiguration.safeParse(await fetchJson(input.openidConfiguration));
  if (!configuration.success) throw new LecternError('lti.registration_failed');
  const platform = configuration.data;
  // The spec ties the issuer to where its configuration was read from.
  if (!input.openidConfiguration.startsWith(platform.issuer)) {
    throw new LecternError('lti.registration_failed');
  }

  const base = context.signer.issuer;
  const launchUrl = `${base}/lti/launch`;
  const answer = registrationAnswer.safeParse(
    await fetchJson(platform.registration_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(input.registrationToken ? { authorization: `Bearer ${input.registrationToken}` } : {}),
      },
      body: JSON.stringify({
        application_type: 'web',
        response_types: ['id_token'],
        grant_types: ['implicit', 'client_credentials'],
        initiate_login_uri: `${base}/lti/login`,
        redirect_uris: [launchUrl],
        client_name: 'Lectern',
        jwks_uri: `${base}/lti/keys`,
        token_endpoint_auth_method: 'private_key_jwt',
        scope: scopes.join(' '),
        'https://purl.imsglobal.org/spec/lti-tool-configuration': {
          domain: new URL(base).host,
          target_link_uri: launchUrl,
          claims: ['iss', 'sub', 'name', 'given_name', 'family_name'],
          messages: [
            { type: 'LtiResourceLinkRequest', target_link_uri: launchUrl },
            { type: 'LtiDeepLinkingRequest', target_link_uri: launchUrl },
          ],
        },
      }),
    }),
  );
  if (!answer.success) throw new LecternError('lti.registration_failed');
  const deploymentId =
    answer.data['https://purl.imsglobal.org/spec/lti-tool-configuration']?.deployment_id;

  const added = await context.db.transaction(async (trx) => {
    await redeemRegistrationToken(trx, input.token);
    return addPlatform(
      trx,
      {
        tenantId,
        issuer: platform.issuer,
        clientId: answer.data.client_id,
        authUrl: platform.authorization_endpoint,
        tokenUrl: platform.token_endpoint,
        jwksUrl: platform.jwks_uri,
        deploymentIds: deploymentId ? [deploymentId] : [],
        roleMapping: null,
        product:
          platform['https://purl.imsglobal.org/spec/lti-platform-configuration']
            ?.product_family_code ?? '',
      },
      'lti:registration',
    );
  });
  await context.lti.tool.ensurePlatform(added);
}

async function fetchJson(url: string, init: RequestInit = {}): Promise<unknown> {
  try {
    const answer = await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(fetchTimeoutMs),
      headers: { accept: 'application/json', ...(init.headers as Record<string, string>) },
    });
    if (!answer.ok) throw new Error(`status ${answer.status}`);
    return await answer.json();
  } catch {
    throw new LecternError('lti.registration_failed');
  }
}
