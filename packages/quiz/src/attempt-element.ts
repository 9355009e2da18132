import {
  LecternApiError,
  type LearnerAnswer,
  type LearnerQuestion,
  type LearnerQuiz,
  type QuizGrade,
  type QuizSubmission,
} from '@lectern/sdk';
import type { PropertyDeclarations } from 'lit';
import { isComplete } from './answers.js';
import { QuizAttemptSession } from './quiz-attempt.js';
import { QuizElement } from './quiz-element.js';
import { fire } from './quiz-events.js';

/** The result on show: this visit's submission, or an earlier grade. */
export interface Outcome {
  submission: QuizSubmission | undefined;
  grade: QuizGrade;
  attemptsLeft: number | null;
}

/**
 * A learner's attempt at the quiz, however it is asked: the quiz loaded with the attempt still
 * open, the answers given, each saved on the server, and the attempt submitted and graded.
 */
export abstract class AttemptElement extends QuizElement {
  static override properties: PropertyDeclarations = {
    data: { state: true, attribute: false },
    answers: { state: true, attribute: false },
    busy: { state: true, attribute: false },
    outcome: { state: true, attribute: false },
    notice: { state: true, attribute: false },
  };

  protected data: LearnerQuiz | undefined;
  protected answers: ReadonlyMap<string, LearnerAnswer> = new Map();
  protected busy = false;
  protected outcome: Outcome | undefined;
  /** What the polite live region says. */
  protected notice = '';

  #session: QuizAttemptSession | undefined;

  /** The quiz as the learner sees it, once loaded. */
  get quizData(): LearnerQuiz | undefined {
    return this.data;
  }

  /** Loads the quiz again; answers not yet saved are dropped. */
  async reload(): Promise<void> {
    this.reset();
    this.data = undefined;
    this.outcome = undefined;
    this.failure = undefined;
    await this.load(
      (api, quiz) => api.getQuiz(quiz),
      (data, api) => {
        this.data = data;
        this.#session = new QuizAttemptSession(api, data);
        this.answers = new Map(Object.entries(data.attempts.open?.answers ?? {}));
        // Done before, and no attempt open: show the grade, with "try again" if allowed.
        if (!data.attempts.open && data.grade) {
          this.outcome = {
            submission: undefined,
            grade: data.grade,
            attemptsLeft: data.attempts.left,
          };
        }
      },
    );
  }

  /** Forgets the attempt and what the learner gave, as a new load does. */
  protected reset(): void {
    this.#session = undefined;
    this.answers = new Map();
    this.busy = false;
    this.notice = '';
  }

  /** True when the server holds an answer to the question in the open attempt. */
  protected isSaved(questionId: string): boolean {
    return this.#session?.saved.has(questionId) ?? false;
  }

  protected isAnswered(question: LearnerQuestion): boolean {
    return isComplete(question, this.answers.get(question.id));
  }

  /** The questions in timeline order; those without a time last. */
  protected ordered(data: LearnerQuiz): LearnerQuestion[] {
    const at = (question: LearnerQuestion) => question.atSeconds ?? Number.POSITIVE_INFINITY;
    return data.questions.toSorted((a, b) => at(a) - at(b));
  }

  /** Saves one answer; on failure shows it and answers false. */
  protected async save(question: LearnerQuestion, answer: LearnerAnswer): Promise<boolean> {
    const session = this.#session;
    if (!session) return false;
    try {
      await session.save(question.id, answer);
      this.failure = undefined;
      fire(this, 'lectern-quiz-answer', { questionId: question.id });
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  /** Submits every answer and shows the result. */
  protected async submit(): Promise<void> {
    const session = this.#session;
    const data = this.data;
    if (!session || !data) return;
    this.busy = true;
    this.notice = this.t('quiz.submitting');
    try {
      const submission = await session.submit(this.answers);
      this.failure = undefined;
      this.outcome = {
        submission,
        grade: submission.grade,
        attemptsLeft: submission.attemptsLeft,
      };
      const t = this.t;
      const { score, maxScore, percent, passed } = submission;
      const verdict = passed ? t('result.passed') : t('result.failed');
      this.notice = t('result.announce', { score, maxScore, verdict });
      fire(this, 'lectern-quiz-submitted', { score, maxScore, percent, passed });
      await this.focusOn('[part="result"]');
    } catch (error) {
      this.notice = '';
      this.fail(error);
      // Submitted already (another window): the server's state is the truth; show it.
      if (error instanceof LecternApiError && error.code === 'quiz.attempt_closed') {
        await this.reload();
        this.fail(error);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Puts the result away for another attempt, with no answers given yet. */
  protected startOver(): void {
    this.outcome = undefined;
    this.answers = new Map();
    this.notice = '';
  }

  protected async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}
