// Quizzes as the API shows them (docs/quizzes.md): what authors write, what learners see,
// what a submission earns and what trainers read.

/** The kinds of question a quiz can ask. */
export const questionTypes = [
  'single_choice',
  'multiple_choice',
  'true_false',
  'short_answer',
] as const;
export type QuestionType = (typeof questionTypes)[number];

export function isQuestionType(value: unknown): value is QuestionType {
  return typeof value === 'string' && (questionTypes as readonly string[]).includes(value);
}

export interface QuizSettings {
  /** Attempts per participant, 1 to 100, or null for no limit. */
  attemptsAllowed: number | null;
  /** Which submitted attempt makes the grade. */
  scorePolicy: 'best' | 'last';
  /** Percent of the points needed to pass, 0 to 100. */
  passMark: number;
  /** In a video quiz, the player cannot move past a question not yet answered. */
  blockSeeking: boolean;
  /** The answer to a submission names the correct answers. */
  showCorrectAnswers: boolean;
  /** Results under pseudonyms and no grades to the LMS; cannot be undone once attempts exist. */
  anonymous: boolean;
}

/** A choice of a choice question; the server gives `o1`, `o2`, … to options sent without one. */
export interface QuizOption {
  id: string;
  text: string;
}

/** What a learner sends as an answer, by the question's type. */
export type LearnerAnswer =
  { choice: string } | { choices: string[] } | { value: boolean } | { text: string };

/** The correct answer an author stores; never sent to learners before they submit. */
export type CorrectAnswer =
  | { choice: string }
  | { choices: string[] }
  | { value: boolean }
  | { accepted: string[] }
  | { number: number; tolerance?: number };

/** A question as a learner sees it: no answer in it. */
export interface LearnerQuestion {
  id: string;
  type: QuestionType;
  prompt: string;
  /** When the player should stop for it; absent in a standalone quiz. */
  atSeconds?: number | null;
  points: number;
  /** The choices of `single_choice` and `multiple_choice` questions. */
  options?: QuizOption[];
}

/** A question as its author writes it; `id` is absent for a new question. */
export interface QuestionInput {
  id?: string;
  type: QuestionType;
  prompt: string;
  atSeconds?: number | null;
  points?: number;
  /** Options without an id get the next free `oN`. */
  options?: { id?: string; text: string }[];
  answer: CorrectAnswer;
}

/** What `createQuiz` and `replaceQuiz` take. */
export interface QuizInput {
  title: string;
  /** Only on create: the video whose timeline the questions sit on. */
  videoId?: string;
  settings?: Partial<QuizSettings>;
  questions: QuestionInput[];
}

/** A question of a definition: every id filled in. */
export interface DefinitionQuestion extends Omit<QuestionInput, 'id' | 'options' | 'points'> {
  id: string;
  points: number;
  options?: QuizOption[];
}

/** The whole quiz with its answers, for its owner and admins. */
export interface QuizDefinition {
  id: string;
  title: string;
  videoId: string | null;
  ownerId: string | null;
  settings: QuizSettings;
  questions: DefinitionQuestion[];
  /** Attempts made so far; once there are any, the questions are locked. */
  attemptCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A short form of a quiz, in `listQuizzes`. */
export interface QuizSummary {
  id: string;
  title: string;
  videoId: string | null;
  [field: string]: unknown;
}

export interface QuizList {
  quizzes: QuizSummary[];
}

/** A score and whether it passes the quiz's pass mark. */
export interface QuizGrade {
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
}

/** An attempt being taken; `answers` holds what was saved so far, by question id. */
export interface QuizAttempt {
  id: string;
  number: number;
  answers: Record<string, LearnerAnswer>;
}

/** The quiz as a learner sees it, with their attempts and grade so far. */
export interface LearnerQuiz {
  id: string;
  title: string;
  videoId: string | null;
  settings: QuizSettings;
  questions: LearnerQuestion[];
  maxScore: number;
  attempts: {
    used: number;
    /** Null when there is no limit. */
    left: number | null;
    /** The attempt still open, or null. */
    open: QuizAttempt | null;
  };
  /** Null before the first submission. */
  grade: QuizGrade | null;
}

export interface SavedAnswer {
  questionId: string;
  saved: true;
}

/** How one question of a submitted attempt went; `answer` only with `showCorrectAnswers`. */
export interface QuestionOutcome {
  id: string;
  correct: boolean;
  earned: number;
  points: number;
  answer?: CorrectAnswer;
}

/** The graded answer to a submission. */
export interface QuizSubmission extends QuizGrade {
  attempt: { id: string; number: number; submittedAt: string };
  /** The participant's grade by the score policy, over all their attempts. */
  grade: QuizGrade;
  /** Null when there is no limit. */
  attemptsLeft: number | null;
  questions: QuestionOutcome[];
}

/** Answers to save just before grading. */
export interface SubmitInput {
  answers?: { questionId: string; answer: LearnerAnswer }[];
}

/** Whether a grade reached the LMS; `none` where nothing goes to one. */
export type GradeSyncState = 'posted' | 'pending' | 'failed' | 'none';

export interface QuizParticipant {
  /** A name, or a pseudonym in an anonymous quiz. */
  participant: string;
  attempts: number;
  completed: boolean;
  grade: QuizGrade | null;
  /** Absent in anonymous mode. */
  lastSubmittedAt?: string | null;
  /** Absent in anonymous mode. */
  gradeSync?: { state: GradeSyncState; tries: number };
}

export interface QuestionStatistics {
  id: string;
  prompt: string;
  type: QuestionType;
  answered: number;
  correct: number;
}

/** What trainers see of a quiz. */
export interface QuizResults {
  quiz: { id: string; title: string; anonymous: boolean; maxScore: number; passMark: number };
  participants: QuizParticipant[];
  questions: QuestionStatistics[];
}
