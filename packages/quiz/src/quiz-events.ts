/** The events the quiz elements fire, for `addEventListener` typing. */
export interface QuizEventMap {
  'lectern-quiz-question': CustomEvent<{ questionId: string }>;
  'lectern-quiz-answer': CustomEvent<{ questionId: string }>;
  'lectern-quiz-submitted': CustomEvent<{
    score: number;
    maxScore: number;
    percent: number;
    passed: boolean;
  }>;
  'lectern-quiz-error': CustomEvent<{ code: string; message: string }>;
}

export function fire<K extends keyof QuizEventMap>(
  target: EventTarget,
  type: K,
  detail: QuizEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
