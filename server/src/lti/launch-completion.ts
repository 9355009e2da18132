import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import type { Logger } from '../http/logger.ts';
import type { Principal } from '../identity/policy.ts';
import { issueSession } from '../identity/sessions.ts';
import { signInExternalUser, userPrincipal } from '../identity/users.ts';
import { rememberResourceLink } from './course-services.ts';
import { deepLinkPicker } from './deep-linking.ts';
import type { LaunchClaims } from './id-token.ts';
import { launchView, renderLaunchPage } from './launch-page.ts';
import type { LtiPlatform } from './platforms.ts';
import { mapLtiRoles } from './roles.ts';

/**
 * What follows a verified id_token: the person signed in with the roles the mapping gives,
 * and the page for the message: the deep-linking picker, or the element the link and the
 * roles call for. Answers the page, to be given the answer's script nonce.
 */
export async function completeLaunch(
  context: AppContext,
  log: Logger,
  platform: LtiPlatform,
  claims: LaunchClaims,
): Promise<(scriptNonce: string) => string> {
  const principal = await signIn(context, platform, claims);
  const lang = claims.locale?.toLowerCase().startsWith('de') ? 'de' : 'en';
  log.info({
    event: 'lti.launch',
    tenantId: platform.tenantId,
    platformId: platform.id,
    userId: principal.id,
    messageType: claims.messageType,
  });

  const session = issueSession(context.signer, principal);
  if (claims.messageType === 'LtiDeepLinkingRequest') {
    const sessionToken = session.token;
    return deepLinkPicker(context, { platform, claims, principal, sessionToken, lang });
  }
  await rememberResourceLink(context.db, platform, claims);
  const view = launchView(linkedVideo(claims), principal.roles);
  return (scriptNonce) =>
    renderLaunchPage({
      baseUrl: context.signer.issuer,
      sessionToken: session.token,
      lang,
      view,
      scriptNonce,
    });
}

async function signIn(
  context: AppContext,
  platform: LtiPlatform,
  claims: LaunchClaims,
): Promise<Principal> {
  const user = await signInExternalUser(context.db, {
    tenantId: platform.tenantId,
    source: 'lti',
    // Issuer and subject together: the LTI spec makes sub unique only per issuer.
    externalId: `${platform.issuer} ${claims.subject}`,
    roles: mapLtiRoles(claims.roles, platform.roleMapping),
  });
  return userPrincipal(context.db, user);
}

/** The video a resource link names: its custom `video` parameter, else `?video=` in its URL. */
function linkedVideo(claims: LaunchClaims): string | undefined {
  let candidate = claims.custom.video;
  if (!candidate && claims.targetLinkUri) {
    candidate = new URL(claims.targetLinkUri).searchParams.get('video') ?? undefined;
  }
  return candidate && z.uuid().safeParse(candidate).success ? candidate : undefined;
}
