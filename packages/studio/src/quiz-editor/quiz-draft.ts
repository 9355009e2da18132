import type {
  CorrectAnswer,
  DefinitionQuestion,
  QuestionInput,
  QuestionType,
  QuizDefinition,
  QuizInput,
  QuizSettings,
} from '@lectern/sdk';

// The quiz as the editor holds it while an author works: every field as typed, turned into
// the API's shape only when saved.

export interface DraftOption {
  id: string;
  text: string;
}

export interface DraftQuestion {
  /** Stable across edits and reorders, for rendering; the server never sees it. */
  key: string;
  /** The server's id, for a question saved before. */
  id?: string;
  type: QuestionType;
  prompt: string;
  atSeconds: number | null;
  points: number;
  options: DraftOption[];
  /** The correct option of a single choice. */
  choice: string;
  /** The correct options of a multiple choice. */
  choices: string[];
  /** The correct value of a true/false question. */
  value: boolean;
  /** A short answer is checked against accepted texts, or as a number with a tolerance. */
  shortKind: 'text' | 'number';
  /** Accepted texts, one a line. */
  accepted: string;
  number: string;
  tolerance: string;
}

export interface QuizDraft {
  title: string;
  videoId: string | null;
  settings: QuizSettings;
  questions: DraftQuestion[];
}

export const defaultSettings: QuizSettings = {
  attemptsAllowed: 1,
  scorePolicy: 'best',
  passMark: 50,
  blockSeeking: false,
  showCorrectAnswers: true,
  anonymous: false,
};

let keys = 0;
const nextKey = () => `question-${++keys}`;

export function emptyDraft(videoId: string | null, title = ''): QuizDraft {
  return { title, videoId, settings: { ...defaultSettings }, questions: [] };
}

/** A new question of a type, at a time on the video (or none for a standalone quiz). */
export function newQuestion(type: QuestionType, atSeconds: number | null): DraftQuestion {
  const choices = type === 'single_choice' || type === 'multiple_choice';
  return {
    key: nextKey(),
    type,
    prompt: '',
    atSeconds,
    points: 1,
    options: choices
      ? [
          { id: 'o1', text: '' },
          { id: 'o2', text: '' },
        ]
      : [],
    choice: choices ? 'o1' : '',
    choices: [],
    value: true,
    shortKind: 'text',
    accepted: '',
    number: '',
    tolerance: '0',
  };
}

/** The question as another type; what both types share (prompt, time, points) stays. */
export function withType(question: DraftQuestion, type: QuestionType): DraftQuestion {
  const fresh = newQuestion(type, question.atSeconds);
  const options = question.options.length >= 2 ? question.options : fresh.options;
  return {
    ...fresh,
    key: question.key,
    ...(question.id ? { id: question.id } : {}),
    prompt: question.prompt,
    points: question.points,
    options: fresh.options.length > 0 ? options : [],
    choice: fresh.options.length > 0 ? (options[0]?.id ?? '') : '',
  };
}

/** The next option id not taken in the question: the server keeps the ids the editor gives. */
export function nextOptionId(question: DraftQuestion): string {
  const taken = new Set(question.options.map((option) => option.id));
  let n = 1;
  while (taken.has(`o${n}`)) n += 1;
  return `o${n}`;
}

export function draftOf(definition: QuizDefinition): QuizDraft {
  return {
    title: definition.title,
    videoId: definition.videoId,
    settings: { ...defaultSettings, ...definition.settings },
    questions: definition.questions.map(draftQuestionOf),
  };
}

function draftQuestionOf(question: DefinitionQuestion): DraftQuestion {
  const draft: DraftQuestion = {
    ...newQuestion(question.type, question.atSeconds ?? null),
    id: question.id,
    prompt: question.prompt,
    points: question.points,
    options: question.options?.map((option) => ({ ...option })) ?? [],
  };
  const answer = question.answer;
  if ('choice' in answer) draft.choice = answer.choice;
  if ('choices' in answer) draft.choices = [...answer.choices];
  if ('value' in answer) draft.value = answer.value;
  if ('accepted' in answer) draft.accepted = answer.accepted.join('\n');
  if ('number' in answer) {
    draft.shortKind = 'number';
    draft.number = String(answer.number);
    draft.tolerance = String(answer.tolerance ?? 0);
  }
  return draft;
}

/** What `createQuiz` (with the video) or `replaceQuiz` takes. */
export function inputOf(draft: QuizDraft, creating: boolean): QuizInput {
  return {
    title: draft.title,
    ...(creating && draft.videoId ? { videoId: draft.videoId } : {}),
    settings: draft.settings,
    questions: draft.questions.map((question) => questionInputOf(question, draft.videoId !== null)),
  };
}

function questionInputOf(question: DraftQuestion, onVideo: boolean): QuestionInput {
  const choices = question.type === 'single_choice' || question.type === 'multiple_choice';
  return {
    ...(question.id ? { id: question.id } : {}),
    type: question.type,
    prompt: question.prompt,
    ...(onVideo ? { atSeconds: question.atSeconds } : {}),
    points: question.points,
    ...(choices ? { options: question.options } : {}),
    answer: answerOf(question),
  };
}

function answerOf(question: DraftQuestion): CorrectAnswer {
  switch (question.type) {
    case 'single_choice':
      return { choice: question.choice };
    case 'multiple_choice':
      return { choices: question.choices };
    case 'true_false':
      return { value: question.value };
    case 'short_answer':
      if (question.shortKind === 'number') {
        return { number: decimal(question.number), tolerance: decimal(question.tolerance) || 0 };
      }
      return {
        accepted: question.accepted
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      };
  }
}

/** A number as authors type it, with a decimal comma or point; NaN when it is none. */
function decimal(text: string): number {
  const trimmed = text.trim().replace(',', '.');
  return trimmed === '' ? Number.NaN : Number(trimmed);
}
