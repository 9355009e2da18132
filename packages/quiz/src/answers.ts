import type { CorrectAnswer, LearnerAnswer, LearnerQuestion, Translator } from '@lectern/sdk';
import type { MessageKey } from './messages.js';

/** True when the answer says something for its question: a choice made, a text typed. */
export function isComplete(question: LearnerQuestion, answer: LearnerAnswer | undefined): boolean {
  if (!answer) return false;
  switch (question.type) {
    case 'single_choice':
      return 'choice' in answer && answer.choice !== '';
    case 'multiple_choice':
      return 'choices' in answer && answer.choices.length > 0;
    case 'true_false':
      return 'value' in answer && typeof answer.value === 'boolean';
    case 'short_answer':
      return 'text' in answer && answer.text.trim() !== '';
  }
}

/** The correct answer in words, as the result shows it. */
export function describeAnswer(
  question: LearnerQuestion,
  answer: CorrectAnswer,
  t: Translator<MessageKey>,
): string {
  const textOf = (id: string) => question.options?.find((option) => option.id === id)?.text ?? id;
  if ('choice' in answer) return textOf(answer.choice);
  if ('choices' in answer) return answer.choices.map(textOf).join(', ');
  if ('value' in answer) return answer.value ? t('quiz.true') : t('quiz.false');
  if ('accepted' in answer) return answer.accepted.join(' / ');
  const number = formatNumber(answer.number, t.lang);
  return answer.tolerance ? `${number} ± ${formatNumber(answer.tolerance, t.lang)}` : number;
}

/** A position in the video as people read it: `1:05`, or `1:02:05` past an hour. */
export function formatTime(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const [hours, minutes, rest] = [
    Math.floor(whole / 3600),
    Math.floor(whole / 60) % 60,
    whole % 60,
  ];
  const pad = (value: number) => String(value).padStart(2, '0');
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${minutes}:${pad(rest)}`;
}

function formatNumber(value: number, lang: string): string {
  try {
    return new Intl.NumberFormat(lang).format(value);
  } catch {
    return String(value);
  }
}
