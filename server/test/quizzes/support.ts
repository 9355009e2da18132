import type { TestLectern } from '../support/lectern.ts';

/** Four questions, one of each type, placed at 2, 4, 6 and 8 seconds of a video. */
export function fireSafetyQuestions(onVideo = true) {
  const at = (seconds: number) => (onVideo ? { atSeconds: seconds } : {});
  return [
    {
      type: 'single_choice',
      prompt: 'Which extinguisher is for electrical fires?',
      ...at(2),
      options: [{ text: 'Water' }, { text: 'Carbon dioxide' }, { text: 'Foam' }],
      answer: { choice: 'o2' },
    },
    {
      type: 'multiple_choice',
      prompt: 'What do you do first?',
      ...at(4),
      options: [{ text: 'Raise the alarm' }, { text: 'Take the lift' }, { text: 'Close doors' }],
      answer: { choices: ['o1', 'o3'] },
    },
    {
      type: 'true_false',
      prompt: 'Fire doors may be wedged open.',
      ...at(6),
      answer: { value: false },
    },
    {
      type: 'short_answer',
      prompt: 'Where is the assembly point?',
      ...at(8),
      answer: { accepted: ['Car park North', 'Nordparkplatz'] },
      points: 2,
    },
  ];
}

/** The right answers to fireSafetyQuestions, in order. */
export const rightAnswers = [
  { choice: 'o2' },
  { choices: ['o3', 'o1'] },
  { value: false },
  { text: '  nordPARKPLATZ. ' },
];

export async function makeQuiz(
  lectern: TestLectern,
  token: string,
  body: Record<string, unknown>,
): Promise<{ id: string; questions: { id: string }[] } & Record<string, unknown>> {
  const answer = await lectern.request('POST', '/api/v1/quizzes', { token, body });
  if (answer.status !== 201) throw new Error(`quiz not made: ${JSON.stringify(answer.body)}`);
  return answer.body as { id: string; questions: { id: string }[] };
}

/** Starts an attempt and submits these answers (by question position) in one go. */
export async function takeQuiz(
  lectern: TestLectern,
  token: string,
  quiz: { id: string; questions: { id: string }[] },
  answers: readonly (Record<string, unknown> | undefined)[],
) {
  const attempt = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
    token,
    body: {},
  });
  if (attempt.status !== 201) throw new Error(`no attempt: ${JSON.stringify(attempt.body)}`);
  const submitted = await lectern.request(
    'POST',
    `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}/submit`,
    {
      token,
      body: {
        answers: answers.flatMap((answer, index) =>
          answer ? [{ questionId: quiz.questions[index]?.id, answer }] : [],
        ),
      },
    },
  );
  return { attemptId: attempt.body.id as string, submitted };
}
