import { LecternQuizResults } from './lectern-quiz-results.js';
import { LecternQuiz } from './lectern-quiz.js';

export { LecternQuiz } from './lectern-quiz.js';
export { LecternQuizResults } from './lectern-quiz-results.js';
export type { QuizPlayer } from './player-binding.js';
export type { QuizEventMap } from './quiz-events.js';

/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';

// Defined once even when both the npm package and the script-tag build reach a page.
if (!customElements.get('lectern-quiz')) customElements.define('lectern-quiz', LecternQuiz);
if (!customElements.get('lectern-quiz-results')) {
  customElements.define('lectern-quiz-results', LecternQuizResults);
}

declare global {
  interface HTMLElementTagNameMap {
    'lectern-quiz': LecternQuiz;
    'lectern-quiz-results': LecternQuizResults;
  }
}
