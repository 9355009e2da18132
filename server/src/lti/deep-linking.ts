import jwt from 'jsonwebtoken';
import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { LecternError } from '../http/errors.ts';
import { may, type Principal } from '../identity/policy.ts';
import { findUser, userPrincipal } from '../identity/users.ts';
import { findVideo, listVideos, type Video } from '../media/library/videos.ts';
import { maxScoreOf } from '../quizzes/definition.ts';
import { findQuiz, listQuizzes, quizOfVideo, type Quiz } from '../quizzes/quizzes.ts';
import type { LaunchClaims } from './id-token.ts';
import { escapeHtml } from './launch-page.ts';
import { platformById, type LtiPlatform } from './platforms.ts';

const ticketAudience = 'lectern:lti-deep-link';
const ticketTtlSeconds = 600;

/** What the picker's forms carry back: which launch asked, signed so it cannot be changed. */
const ticketClaims = z.object({
  sub: z.string(),
  pid: z.string(),
  dep: z.string(),
  dls: z.object({ deep_link_return_url: z.url(), data: z.string().optional() }).loose(),
});

/**
 * The page a deep-linking launch shows: the tenant's published videos (those with a quiz say
 * so) and its quizzes without a video, each a button (a form) that links it into the course,
 * and for those who may upload, `<lectern-uploader>`: a finished upload is linked at once and
 * plays in the course once a critic approves it.
 */
export async function deepLinkPicker(
  context: AppContext,
  input: {
    platform: LtiPlatform;
    claims: LaunchClaims;
    principal: Principal;
    sessionToken: string;
    lang: 'de' | 'en';
  },
): Promise<(scriptNonce: string) => string> {
  const settings = input.claims.deepLinking;
  if (!settings || typeof settings.deep_link_return_url !== 'string') {
    throw new LecternError('lti.token_claims');
  }
  const ticket = jwt.sign(
    { pid: input.platform.id, dep: input.claims.deploymentId, dls: settings },
    context.signer.key,
    {
      algorithm: 'HS256',
      audience: ticketAudience,
      issuer: context.signer.issuer,
      subject: input.principal.id,
      expiresIn: ticketTtlSeconds,
    },
  );
  const videos = await listVideos(context.db, input.platform.tenantId, {
    states: ['published'],
    limit: 200,
  });
  const quizzes = await listQuizzes(context.db, input.platform.tenantId);
  const quizOn = new Map(quizzes.flatMap((quiz) => (quiz.videoId ? [[quiz.videoId, quiz]] : [])));
  const de = input.lang === 'de';
  const base = escapeHtml(context.signer.issuer);
  const form = (field: 'video' | 'quiz', value: string, label: string, attributes = '') =>
    `<form method="post" action="${base}/lti/deep-link"${attributes}>
<input type="hidden" name="ticket" value="${escapeHtml(ticket)}">
<input type="hidden" name="${field}" value="${escapeHtml(value)}">
<button type="submit">${escapeHtml(label)}</button></form>`;
  const withQuiz = de ? ' (mit Quiz)' : ' (with quiz)';
  const items = [
    ...videos.map(
      (video) =>
        `<li>${form('video', video.id, video.title + (quizOn.has(video.id) ? withQuiz : ''))}</li>`,
    ),
    ...quizzes
      .filter((quiz) => quiz.videoId === null)
      .map((quiz) => `<li>${form('quiz', quiz.id, `Quiz: ${quiz.title}`)}</li>`),
  ];
  const upload = may(input.principal, 'video.upload');
  return (scriptNonce) => `<!doctype html>
<html lang="${input.lang}"><head><meta charset="utf-8"><title>Lectern</title>
${upload ? `<script type="module" src="${base}/elements/lectern.js"></script>` : ''}
</head>
<body style="font-family:system-ui,sans-serif;padding:1rem">
<h1>${de ? 'Video oder Quiz auswählen' : 'Choose a video or a quiz'}</h1>
${
  items.length > 0
    ? `<ul data-lectern-picker>${items.join('\n')}</ul>`
    : `<p>${de ? 'Noch ist kein Video veröffentlicht.' : 'No video is published yet.'}</p>`
}
${
  upload
    ? `<h2>${de ? 'Neues Video hochladen' : 'Upload a new video'}</h2>
<lectern-uploader base-url="${base}" lang="${input.lang}"></lectern-uploader>
${form('video', '', 'OK', ' id="lectern-link-upload" hidden')}
<script nonce="${scriptNonce}">
  const uploader = document.querySelector('lectern-uploader');
  uploader.setAttribute('token', ${JSON.stringify(input.sessionToken).replaceAll('<', '\\u003c')});
  uploader.addEventListener('lectern-upload-complete', (event) => {
    if (!event.detail.videoId) return;
    const form = document.getElementById('lectern-link-upload');
    form.elements.video.value = event.detail.videoId;
    form.submit();
  });
</script>`
    : ''
}
</body></html>`;
}

/**
 * The teacher's choice goes back to the LMS: an `ltiResourceLink` content item signed by
 * ltijs with the tool's key for that platform, in a form that posts itself to the platform.
 */
export async function respondToDeepLink(
  context: AppContext,
  body: { ticket: string; video?: string | undefined; quiz?: string | undefined },
): Promise<(scriptNonce: string) => string> {
  let ticket: z.infer<typeof ticketClaims>;
  try {
    ticket = ticketClaims.parse(
      jwt.verify(body.ticket, context.signer.key, {
        algorithms: ['HS256'],
        audience: ticketAudience,
        issuer: context.signer.issuer,
      }),
    );
  } catch {
    throw new LecternError('lti.deep_link_expired');
  }
  const platform = await platformById(context.db, ticket.pid);
  const user = platform && (await findUser(context.db, platform.tenantId, ticket.sub));
  if (!platform || !user) throw new LecternError('lti.deep_link_expired');
  const principal = await userPrincipal(context.db, user);
  const { title, custom, quiz } = await chosenItem(context, platform.tenantId, principal, body);

  await context.lti.tool.ensurePlatform(platform);
  const message = await context.lti.tool.provider.DeepLinking.createDeepLinkingMessage(
    {
      iss: platform.issuer,
      clientId: platform.clientId,
      deploymentId: ticket.dep,
      platformContext: { deepLinkingSettings: ticket.dls },
    },
    [
      {
        type: 'ltiResourceLink',
        title,
        url: `${context.signer.issuer}/lti/launch`,
        custom,
        // A quiz gets a gradebook column in the course; its scores go there (AGS).
        ...(quiz
          ? {
              lineItem: {
                scoreMaximum: maxScoreOf(quiz.questions),
                label: title,
                resourceId: quiz.id,
              },
            }
          : {}),
      },
    ],
    { message: title },
  );
  return (
    scriptNonce,
  ) => `<!doctype html><html><head><meta charset="utf-8"><title>Lectern</title></head><body>
<form id="lectern-deep-link" method="post" action="${escapeHtml(ticket.dls.deep_link_return_url)}">
<input type="hidden" name="JWT" value="${escapeHtml(message)}"><button type="submit">OK</button></form>
<script nonce="${scriptNonce}">document.getElementById('lectern-deep-link').submit();</script>
</body></html>`;
}

/**
 * What the teacher picked, if they may link it: a published video (with its quiz, if it has
 * one), their own upload still on its way to review, or a quiz without a video.
 */
async function chosenItem(
  context: AppContext,
  tenantId: string,
  principal: Principal,
  body: { video?: string | undefined; quiz?: string | undefined },
): Promise<{ title: string; custom: Record<string, string>; quiz: Quiz | undefined }> {
  if (body.quiz) {
    const quiz = await findQuiz(context.db, tenantId, body.quiz);
    if (!quiz || quiz.videoId !== null || !may(principal, 'quiz.take', quiz)) {
      throw new LecternError('resource.not_found');
    }
    return { title: quiz.title, custom: { quiz: quiz.id }, quiz };
  }
  const video: Video | undefined = body.video
    ? await findVideo(context.db, tenantId, body.video)
    : undefined;
  const own = video?.ownerId === principal.id && ['processing', 'in_review'].includes(video.state);
  if (!video || !(video.state === 'published' || own) || !may(principal, 'video.view', video)) {
    throw new LecternError('resource.not_found');
  }
  const quiz = await quizOfVideo(context.db, tenantId, video.id);
  return {
    title: video.title,
    custom: { video: video.id, ...(quiz ? { quiz: quiz.id } : {}) },
    quiz,
  };
}
