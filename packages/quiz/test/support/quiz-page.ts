import { mount, part, parts, textOf, until } from '@lectern/test-support/dom';
import type { Person } from '@lectern/test-support/lectern';
import type { LecternQuiz } from '../../src/index.js';

export function mountQuiz(person: Person, quizId: string, lang = 'en'): LecternQuiz {
  return mount<LecternQuiz>(
    `<lectern-quiz lang="${lang}" base-url="${person.baseUrl}" token="${person.token}" quiz="${quizId}"></lectern-quiz>`,
  );
}

export async function questionsOf(quiz: LecternQuiz, count: number): Promise<HTMLElement[]> {
  return until(() => {
    const found = parts(quiz, 'question');
    return found.length === count && found;
  }, `${count} questions`);
}

/** Clicks the label of the option with this text in a question, as a person would. */
export function choose(question: HTMLElement | undefined, text: string): void {
  if (!question) throw new Error('No such question.');
  const label = [...question.querySelectorAll<HTMLLabelElement>('[part="option"]')].find(
    (option) => textOf(option) === text,
  );
  if (!label) throw new Error(`No option "${text}" in the question.`);
  label.click();
}

/** The text field of a short answer. */
export function answerField(question: HTMLElement | undefined): HTMLInputElement {
  const field = question?.querySelector<HTMLInputElement>('[part="answer-input"]');
  if (!field) throw new Error('The question has no text field.');
  return field;
}

export function button(quiz: LecternQuiz, name: string): HTMLButtonElement {
  const found = part(quiz, name);
  if (!(found instanceof HTMLButtonElement)) throw new Error(`No ${name}.`);
  return found;
}

/** Records the text of every answer the Lectern API gives this page from now on. */
export function recordApiAnswers(): { bodies: string[]; stop(): void } {
  const original = window.fetch;
  const bodies: string[] = [];
  window.fetch = async (input, init) => {
    const response = await original(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/api/v1/quizzes')) bodies.push(await response.clone().text());
    return response;
  };
  return { bodies, stop: () => (window.fetch = original) };
}
