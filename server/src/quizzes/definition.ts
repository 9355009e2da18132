import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { LecternError } from '../http/errors.ts';

/** How a quiz behaves; every field has a default, so an editor may send only what it changes. */
export const quizSettings = z.strictObject({
  attemptsAllowed: z.number().int().min(1).max(100).nullable().default(1),
  scorePolicy: z.enum(['best', 'last']).default('best'),
  passMark: z.number().min(0).max(100).default(50),
  blockSeeking: z.boolean().default(false),
  showCorrectAnswers: z.boolean().default(true),
  anonymous: z.boolean().default(false),
});
export type QuizSettings = z.infer<typeof quizSettings>;

const questionId = z.string().regex(/^q_[A-Za-z0-9_-]{12}$/, 'a question id the server gave');
const optionId = z.string().regex(/^o[1-9]\d?$/, 'an option id such as o1');
const option = z.strictObject({ id: optionId.optional(), text: z.string().trim().min(1).max(500) });
const options = z.array(option).min(2).max(12);
const common = {
  id: questionId.optional(),
  prompt: z.string().trim().min(1).max(2000),
  atSeconds: z.number().min(0).max(86_400).nullable().optional(),
  points: z.number().int().min(0).max(100).default(1),
};

/** A question as the editor sends it, with the answer that only the server ever reads. */
export const questionInput = z.discriminatedUnion('type', [
  z.strictObject({
    ...common,
    type: z.literal('single_choice'),
    options,
    answer: z.strictObject({ choice: optionId }),
  }),
  z.strictObject({
    ...common,
    type: z.literal('multiple_choice'),
    options,
    answer: z.strictObject({ choices: z.array(optionId).min(1).max(12) }),
  }),
  z.strictObject({
    ...common,
    type: z.literal('true_false'),
    answer: z.strictObject({ value: z.boolean() }),
  }),
  z.strictObject({
    ...common,
    type: z.literal('short_answer'),
    answer: z.union([
      z.strictObject({ accepted: z.array(z.string().trim().min(1).max(200)).min(1).max(20) }),
      z.strictObject({
        number: z.number().finite(),
        tolerance: z.number().finite().min(0).default(0),
      }),
    ]),
  }),
]);
type QuestionInput = z.infer<typeof questionInput>;

export const quizTitle = z.string().trim().min(1).max(200);
export const questionList = z.array(questionInput).max(100);

export type QuestionType = QuestionInput['type'];
export interface Option {
  id: string;
  text: string;
}
/** A question as stored: ids filled in; one shape per type, as the input's union has. */
export type Question = QuestionInput extends infer Input
  ? Input extends QuestionInput
    ? Omit<Input, 'id' | 'atSeconds' | 'options'> & {
        id: string;
        atSeconds: number | null;
        options?: Option[];
      }
    : never
  : never;

/** A question as a learner sees it: everything but the answer. */
export type LearnerQuestion = Question extends infer Settled
  ? Settled extends Question
    ? Omit<Settled, 'answer'>
    : never
  : never;

/**
 * Gives new questions and options their ids and checks what a schema cannot: an answer names
 * options the question has, ids are unique, and a video quiz places every question on the
 * video's timeline while a standalone quiz places none. Kept ids must be the quiz's own.
 */
export function settleQuestions(
  input: readonly QuestionInput[],
  context: { known: ReadonlySet<string>; onVideo: boolean; videoSeconds: number | null },
): Question[] {
  const seen = new Set<string>();
  const questions = input.map((question, index) => {
    const where = `questions.${index}`;
    if (question.id && !context.known.has(question.id)) {
      throw invalid(`${where}.id`, 'this question is not part of the quiz; leave the id out');
    }
    const id = question.id ?? newQuestionId();
    if (seen.has(id)) throw invalid(`${where}.id`, 'the same question appears twice');
    seen.add(id);

    const atSeconds = question.atSeconds ?? null;
    if (context.onVideo && atSeconds === null) {
      throw invalid(`${where}.atSeconds`, 'place the question on the video (seconds)');
    }
    if (!context.onVideo && atSeconds !== null) {
      throw invalid(`${where}.atSeconds`, 'a quiz without a video has no timeline');
    }
    if (atSeconds !== null && context.videoSeconds !== null && atSeconds > context.videoSeconds) {
      throw invalid(`${where}.atSeconds`, 'the video ends before this point');
    }

    const settled = { ...question, id, atSeconds } as Question;
    if ('options' in question) settled.options = settleOptions(question.options, where);
    checkAnswerNamesOptions(settled, where);
    return settled;
  });
  // In a video quiz the questions come in the order the video reaches them.
  return context.onVideo
    ? questions.sort((a, b) => (a.atSeconds ?? 0) - (b.atSeconds ?? 0))
    : questions;
}

function settleOptions(input: readonly { id?: string; text: string }[], where: string): Option[] {
  const taken = new Set(input.flatMap((option) => (option.id ? [option.id] : [])));
  if (taken.size !== input.filter((option) => option.id).length) {
    throw invalid(`${where}.options`, 'two options have the same id');
  }
  let next = 1;
  return input.map((option) => {
    if (option.id) return { id: option.id, text: option.text };
    while (taken.has(`o${next}`)) next += 1;
    taken.add(`o${next}`);
    return { id: `o${next}`, text: option.text };
  });
}

function checkAnswerNamesOptions(question: Question, where: string): void {
  const ids = new Set(question.options?.map((option) => option.id));
  if (question.type === 'single_choice' && !ids.has(question.answer.choice)) {
    throw invalid(`${where}.answer.choice`, 'the answer must be one of the options');
  }
  if (question.type === 'multiple_choice') {
    const chosen = question.answer.choices;
    if (new Set(chosen).size !== chosen.length || !chosen.every((choice) => ids.has(choice))) {
      throw invalid(`${where}.answer.choices`, 'the answers must be distinct options');
    }
  }
}

/** What a learner may see of a question: the answer stays on the server. */
export function learnerQuestion(question: Question): LearnerQuestion {
  const visible: Partial<Question> = { ...question };
  delete visible.answer;
  return visible as LearnerQuestion;
}

export function maxScoreOf(questions: readonly Question[]): number {
  return questions.reduce((sum, question) => sum + question.points, 0);
}

function newQuestionId(): string {
  return `q_${randomBytes(9).toString('base64url')}`;
}

function invalid(path: string, message: string): LecternError {
  return new LecternError('quiz.invalid', { details: [{ where: 'body', path, message }] });
}
