import type {
  LearnerAnswer,
  LearnerQuiz,
  LecternClient,
  QuizAttempt,
  QuizSubmission,
} from '@lectern/sdk';

/**
 * One learner's way through a quiz on the server: the attempt is started on the first answer
 * (or taken over when one is still open), answers are saved one by one, and the attempt is
 * submitted with every answer once more, so that nothing typed is lost.
 */
export class QuizAttemptSession {
  readonly #api: LecternClient;
  readonly #quizId: string;
  #attempt: Promise<QuizAttempt> | undefined;
  /** Answers the server holds for the open attempt. */
  readonly saved = new Set<string>();

  constructor(api: LecternClient, quiz: LearnerQuiz) {
    this.#api = api;
    this.#quizId = quiz.id;
    const open = quiz.attempts.open;
    if (open) {
      this.#attempt = Promise.resolve(open);
      for (const questionId of Object.keys(open.answers)) this.saved.add(questionId);
    }
  }

  /** The open attempt, started on first need (a second call waits for the same one). */
  attempt(): Promise<QuizAttempt> {
    this.#attempt ??= this.#api.startAttempt(this.#quizId);
    // A refused start may succeed later (a network failure): do not keep the rejection.
    this.#attempt.catch(() => (this.#attempt = undefined));
    return this.#attempt;
  }

  async save(questionId: string, answer: LearnerAnswer): Promise<void> {
    const attempt = await this.attempt();
    await this.#api.saveAnswer(this.#quizId, attempt.id, questionId, answer);
    this.saved.add(questionId);
  }

  async submit(answers: ReadonlyMap<string, LearnerAnswer>): Promise<QuizSubmission> {
    const attempt = await this.attempt();
    const list = [...answers].map(([questionId, answer]) => ({ questionId, answer }));
    const submission = await this.#api.submitAttempt(this.#quizId, attempt.id, { answers: list });
    this.#attempt = undefined;
    this.saved.clear();
    return submission;
  }
}
