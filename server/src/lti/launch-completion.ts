import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import type { Logger } from '../http/logger.ts';
import type { Principal } from '../identity/policy.ts';
import { issueSession } from '../identity/sessions.ts';
import { signInExternalUser, userPrincipal } from '../identity/users.ts';
import { findQuiz, quizOfVideo, type Quiz } from '../quizzes/quizzes.ts';
import { rememberLearner, rememberResourceLink } from './course-services.ts';
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
  const { videoId, quiz } = await linkedTarget(context, platform.tenantId, claims);
  const link = await rememberResourceLink(context.db, platform, claims, quiz?.id ?? null);
  // Where this person's grade goes; kept only for quizzes whose grades go to the LMS.
  if (link && quiz && !quiz.settings.anonymous) {
    await rememberLearner(context.db, link, principal.id, claims.subject);
  }
  const view = launchView(
    { ...(videoId ? { videoId } : {}), ...(quiz ? { quizId: quiz.id } : {}) },
    principal,
  );
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
    displayName: claims.name,
  });
  return userPrincipal(context.db, user);
}

/**
 * What a resource link opens: the quiz its custom `quiz` parameter names (with the quiz's
 * video), else the video of its custom `video` parameter or `?video=` in its URL, with the
 * video's quiz if it has one.
 */
async function linkedTarget(
  context: AppContext,
  tenantId: string,
  claims: LaunchClaims,
): Promise<{ videoId?: string; quiz?: Quiz }> {
  const quizId = uuidOrUndefined(claims.custom.quiz);
  const quiz = quizId && (await findQuiz(context.db, tenantId, quizId));
  if (quiz) return { quiz, ...(quiz.videoId ? { videoId: quiz.videoId } : {}) };

  let videoId = uuidOrUndefined(claims.custom.video);
  if (!videoId && claims.targetLinkUri) {
    videoId = uuidOrUndefined(new URL(claims.targetLinkUri).searchParams.get('video'));
  }
  if (!videoId) return {};
  const videoQuiz = await quizOfVideo(context.db, tenantId, videoId);
  return { videoId, ...(videoQuiz ? { quiz: videoQuiz } : {}) };
}

function uuidOrUndefined(candidate: string | null | undefined): string | undefined {
  return candidate && z.uuid().safeParse(candidate).success ? candidate : undefined;
}
