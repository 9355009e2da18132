import { may, type Principal } from '../identity/policy.ts';

/**
 * What a launch shows: one video (with its quiz), a quiz on its own, a quiz's results for
 * trainers, the library (with the uploader for authors), or the review queue.
 */
export type LaunchView =
  | { kind: 'player'; videoId: string; quizId?: string }
  | { kind: 'quiz'; quizId: string }
  | { kind: 'quiz-results'; quizId: string; videoId?: string }
  | { kind: 'library'; upload: boolean }
  | { kind: 'review-queue' };

export interface LaunchPage {
  baseUrl: string;
  sessionToken: string;
  lang: 'de' | 'en';
  view: LaunchView;
  /** For the inline script that hands the token to the elements. */
  scriptNonce: string;
}

/**
 * The element a launch opens: for a quiz, its results to those who may see them (trainers)
 * and the quiz to everyone else; else the linked video; else what the person's roles are for.
 */
export function launchView(
  target: { videoId?: string; quizId?: string },
  principal: Principal,
): LaunchView {
  const { videoId, quizId } = target;
  if (quizId && may(principal, 'quiz.results')) {
    return { kind: 'quiz-results', quizId, ...(videoId ? { videoId } : {}) };
  }
  if (videoId) return { kind: 'player', videoId, ...(quizId ? { quizId } : {}) };
  if (quizId) return { kind: 'quiz', quizId };
  if (principal.roles.includes('critic')) return { kind: 'review-queue' };
  return { kind: 'library', upload: may(principal, 'video.upload') };
}

/**
 * The page a launch ends in. The session token reaches the elements as a property set by a
 * script with this response's nonce, never as a cookie, so an iframe without third-party
 * cookies works, and the page is never cached.
 */
export function renderLaunchPage(page: LaunchPage): string {
  const base = escapeHtml(page.baseUrl);
  return `<!doctype html>
<html lang="${page.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Lectern</title>
<style>body{margin:0;padding:1rem;font-family:system-ui,sans-serif}</style>
<script type="module" src="${base}/elements/lectern.js"></script>
</head>
<body>
<main data-lectern-view="${page.view.kind}">
${elementsOf(page.view, base)}
</main>
<script nonce="${page.scriptNonce}">
  const token = ${JSON.stringify(page.sessionToken).replaceAll('<', '\\u003c')};
  for (const element of document.querySelectorAll('[data-lectern-element]')) {
    element.setAttribute('token', token);
  }
  // Asks the LMS to fit its frame to the page (lti.frameResize; Moodle and Canvas honour it).
  // Only a height goes out, so any parent may read it.
  if (window.parent !== window) {
    const fit = () =>
      window.parent.postMessage(
        { subject: 'lti.frameResize', height: document.documentElement.scrollHeight },
        '*',
      );
    new ResizeObserver(fit).observe(document.body);
  }
</script>
</body>
</html>`;
}

function elementsOf(view: LaunchView, base: string): string {
  const attributes = `base-url="${base}" data-lectern-element`;
  switch (view.kind) {
    case 'player':
      return [
        `<lectern-player id="lectern-player" ${attributes} video="${escapeHtml(view.videoId)}"></lectern-player>`,
        view.quizId
          ? `<lectern-quiz ${attributes} quiz="${escapeHtml(view.quizId)}" for="lectern-player"></lectern-quiz>`
          : '',
      ].join('\n');
    case 'quiz':
      return `<lectern-quiz ${attributes} quiz="${escapeHtml(view.quizId)}"></lectern-quiz>`;
    case 'quiz-results':
      // Trainers see how people did first, then the video (without its questions).
      return [
        `<lectern-quiz-results ${attributes} quiz="${escapeHtml(view.quizId)}"></lectern-quiz-results>`,
        view.videoId
          ? `<lectern-player ${attributes} video="${escapeHtml(view.videoId)}"></lectern-player>`
          : '',
      ].join('\n');
    case 'review-queue':
      return `<lectern-review-queue ${attributes}></lectern-review-queue>`;
    case 'library':
      return [
        view.upload ? `<lectern-uploader ${attributes}></lectern-uploader>` : '',
        `<lectern-library ${attributes}></lectern-library>`,
      ].join('\n');
  }
}

/** A page that says something and offers one link or button. */
export function renderMessagePage(input: {
  lang: 'de' | 'en';
  title: string;
  text: string;
  action?: { label: string; href: string; newWindow: boolean };
}): string {
  const action = input.action
    ? `<p><a href="${escapeHtml(input.action.href)}"${
        input.action.newWindow ? ' target="_blank" rel="noopener"' : ''
      }>${escapeHtml(input.action.label)}</a></p>`
    : '';
  return `<!doctype html>
<html lang="${input.lang}">
<head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title></head>
<body style="font-family:system-ui,sans-serif;padding:1rem">
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.text)}</p>
${action}
</body>
</html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
