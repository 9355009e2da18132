import type { QuizInput } from '@lectern/sdk';

/**
 * A standalone quiz of four questions, one of each type, a point each. The accepted short
 * answer is a word no option or prompt holds, so that a test can look for it anywhere.
 */
export const secretWord = 'Sammelplatz';

export function standaloneQuiz(settings: QuizInput['settings'] = {}): QuizInput {
  return {
    title: 'Fire safety check',
    settings: { showCorrectAnswers: true, ...settings },
    questions: [
      {
        type: 'single_choice',
        prompt: 'Which exit do you take?',
        options: [
          { id: 'o1', text: 'North stairs' },
          { id: 'o2', text: 'The lift' },
        ],
        answer: { choice: 'o1' },
      },
      {
        type: 'multiple_choice',
        prompt: 'What do you bring?',
        options: [
          { id: 'o1', text: 'Nothing but yourself' },
          { id: 'o2', text: 'Your laptop' },
          { id: 'o3', text: 'A colleague who needs help' },
        ],
        answer: { choices: ['o1', 'o3'] },
      },
      { type: 'true_false', prompt: 'Fire doors may be wedged open.', answer: { value: false } },
      {
        type: 'short_answer',
        prompt: 'Where does everyone meet outside?',
        answer: { accepted: [secretWord] },
      },
    ],
  };
}
