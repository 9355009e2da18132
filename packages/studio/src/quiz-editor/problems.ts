import type { ErrorDetail, Translator } from '@lectern/sdk';
import type { EditorMessageKey } from './messages.js';

const fields = new Set(['title', 'prompt', 'options', 'answer', 'atSeconds', 'points', 'type']);

/**
 * A problem the server named, in the author's words: `questions.2.atSeconds` becomes
 * "Question 3, time on the video: …". The server's own sentence follows as it came.
 */
export function problemText(detail: ErrorDetail, t: Translator<EditorMessageKey>): string {
  const path = detail.path ?? '';
  const question = /^questions\.(\d+)(?:\.(\w+))?/.exec(path);
  if (question) {
    const field = fieldName(question[2] ?? 'prompt', t);
    return t('problem.question', {
      number: Number(question[1]) + 1,
      field,
      message: detail.message,
    });
  }
  const [first = ''] = path.split('.');
  return t('problem.other', { field: first ? fieldName(first, t) : '—', message: detail.message });
}

function fieldName(name: string, t: Translator<EditorMessageKey>): string {
  if (name === 'settings') return t('field.settings');
  return fields.has(name) ? t(`field.${name}` as EditorMessageKey) : name;
}
