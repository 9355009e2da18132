import type { LearnerQuestion, QuizGrade, QuizSubmission, Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { describeAnswer } from './answers.js';
import type { MessageKey } from './messages.js';

export interface ResultView {
  t: Translator<MessageKey>;
  questions: readonly LearnerQuestion[];
  /** The answer to this visit's submission; absent when only an earlier grade is known. */
  submission: QuizSubmission | undefined;
  grade: QuizGrade;
  /** Null when there is no limit. */
  attemptsLeft: number | null;
  retry(): void;
}

/** The score, the verdict, how each question went and whether another attempt is allowed. */
export function renderResult(view: ResultView) {
  const { t, grade } = view;
  const score = { score: grade.score, maxScore: grade.maxScore, percent: grade.percent };
  const canRetry = view.attemptsLeft === null || view.attemptsLeft > 0;
  return html`<section part="result" aria-labelledby="result-heading" tabindex="-1">
    <h3 id="result-heading" part="result-heading">${t('result.label')}</h3>
    <p part="score">${t('result.score', score)}</p>
    <p part="verdict ${grade.passed ? 'verdict-passed' : 'verdict-failed'}" class="verdict">
      ${grade.passed ? t('result.passed') : t('result.failed')}
    </p>
    ${view.submission ? renderOutcomes(view, view.submission) : nothing} ${renderOverall(view)}
    <p part="attempts-left">${attemptsText(t, view.attemptsLeft)}</p>
    ${
      canRetry
        ? html`<button part="retry-button" type="button" @click=${view.retry}>
            ${t('result.retry')}
          </button>`
        : nothing
    }
  </section>`;
}

/** The grade by the score policy, when it differs from this attempt's score. */
function renderOverall(view: ResultView) {
  const { submission, grade, t } = view;
  if (!submission || sameGrade(submission, grade)) return nothing;
  return html`<p part="grade">
    ${t('result.grade', { score: grade.score, maxScore: grade.maxScore, percent: grade.percent })}
  </p>`;
}

function renderOutcomes(view: ResultView, submission: QuizSubmission) {
  const { t } = view;
  return html`<ol part="outcomes">
    ${submission.questions.map((outcome) => {
      const question = view.questions.find((each) => each.id === outcome.id);
      const correctAnswer =
        outcome.answer && question
          ? html`<p part="correct-answer">
              ${t('result.correct_answer', { answer: describeAnswer(question, outcome.answer, t) })}
            </p>`
          : nothing;
      return html`<li part="outcome ${outcome.correct ? 'outcome-correct' : 'outcome-wrong'}">
        <span class="prompt">${question?.prompt ?? outcome.id}</span>
        <strong>${outcome.correct ? t('result.correct') : t('result.wrong')}</strong>
        <span class="muted">
          ${t('result.earned', { earned: outcome.earned, points: outcome.points })}
        </span>
        ${correctAnswer}
      </li>`;
    })}
  </ol>`;
}

function attemptsText(t: Translator<MessageKey>, left: number | null): string {
  if (left === null) return t('result.attempts_unlimited');
  if (left === 0) return t('result.no_attempts_left');
  return t('result.attempts_left', { count: left });
}

function sameGrade(a: QuizGrade, b: QuizGrade): boolean {
  return a.score === b.score && a.maxScore === b.maxScore && a.passed === b.passed;
}
