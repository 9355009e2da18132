import { z } from 'zod';
import { LecternError } from '../http/errors.ts';
import type { Question } from './definition.ts';

/** A learner's answer, one shape per question type; which one fits is checked per question. */
export const learnerAnswer = z.union([
  z.strictObject({ choice: z.string().max(8) }),
  z.strictObject({ choices: z.array(z.string().max(8)).max(12) }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ text: z.string().max(500) }),
]);
export type LearnerAnswer = z.infer<typeof learnerAnswer>;

/** Checks that an answer fits its question (its type, its options) before it is kept. */
export function checkAnswer(question: Question, answer: LearnerAnswer): LearnerAnswer {
  const ids = new Set(question.options?.map((option) => option.id));
  const fits =
    (question.type === 'single_choice' && 'choice' in answer && ids.has(answer.choice)) ||
    (question.type === 'multiple_choice' &&
      'choices' in answer &&
      new Set(answer.choices).size === answer.choices.length &&
      answer.choices.every((choice) => ids.has(choice))) ||
    (question.type === 'true_false' && 'value' in answer) ||
    (question.type === 'short_answer' && 'text' in answer);
  if (!fits) {
    throw new LecternError('quiz.answer_invalid', {
      details: [{ where: 'body', path: 'answer', message: `not an answer to a ${question.type}` }],
    });
  }
  return answer;
}

/** The points an answer earns: all of the question's, or none. No answer earns none. */
export function marksFor(question: Question, answer: LearnerAnswer | undefined): number {
  return answer !== undefined && isCorrect(question, answer) ? question.points : 0;
}

function isCorrect(question: Question, answer: LearnerAnswer): boolean {
  switch (question.type) {
    case 'single_choice':
      return 'choice' in answer && answer.choice === question.answer.choice;
    case 'multiple_choice': {
      if (!('choices' in answer)) return false;
      const expected = new Set(question.answer.choices);
      return (
        answer.choices.length === expected.size &&
        answer.choices.every((choice) => expected.has(choice))
      );
    }
    case 'true_false':
      return 'value' in answer && answer.value === question.answer.value;
    case 'short_answer': {
      if (!('text' in answer)) return false;
      const expected = question.answer;
      if ('number' in expected) {
        const given = parseNumber(answer.text);
        // A hair of slack so that 0.1 + 0.2 style decimals compare as a person expects.
        return (
          given !== undefined && Math.abs(given - expected.number) <= expected.tolerance + 1e-9
        );
      }
      const given = normaliseText(answer.text);
      return expected.accepted.some((accepted) => normaliseText(accepted) === given);
    }
  }
}

/** Text compared as a person would: NFKC, case folded, spaces collapsed, no outer punctuation. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[\p{P}\s]+|[\p{P}\s]+$/gu, '');
}

/** A number as German or English writes it: `3,5` or `3.5`, with an optional sign. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim().replace(/\s/g, '');
  const decimal = trimmed.includes('.') ? trimmed : trimmed.replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(decimal)) return undefined;
  return Number(decimal);
}
