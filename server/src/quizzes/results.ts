import type { Knex } from 'knex';
import { participantLabels } from '../identity/users.ts';
import { maxScoreOf } from './definition.ts';
import { gradeOver, type Grade } from './attempts.ts';
import type { LearnerAnswer } from './grading.ts';
import type { Quiz } from './quizzes.ts';

export type GradeSyncState = 'posted' | 'pending' | 'failed' | 'none';

export interface ParticipantResult {
  /** The person's name, or in an anonymous quiz their pseudonym. */
  participant: string;
  attempts: number;
  completed: boolean;
  grade: Grade | null;
  /** Not in an anonymous quiz: times of day help tell people apart. */
  lastSubmittedAt?: string | null;
  gradeSync?: { state: GradeSyncState; tries: number };
}

export interface QuizResults {
  quiz: { id: string; title: string; anonymous: boolean; maxScore: number; passMark: number };
  participants: ParticipantResult[];
  questions: { id: string; prompt: string; type: string; answered: number; correct: number }[];
}

interface AttemptRow {
  participant_id: string;
  user_id: string | null;
  pseudonym: string;
  submitted_at: Date | null;
  score: number | null;
  answers: Record<string, LearnerAnswer> | string;
  marks: Record<string, number> | string | null;
}

/**
 * What trainers see of a quiz: each participant's attempts and grade, and how each question
 * went. In an anonymous quiz no user id, name or time leaves this function, and the order is
 * that of the random pseudonyms.
 */
export async function quizResults(db: Knex, quiz: Quiz): Promise<QuizResults> {
  const anonymous = quiz.settings.anonymous;
  const rows = (await db('quiz_attempts')
    .join('quiz_participants', 'quiz_participants.id', 'quiz_attempts.participant_id')
    .where('quiz_attempts.quiz_id', quiz.id)
    .orderBy('quiz_attempts.number')
    .select(
      'quiz_attempts.participant_id',
      'quiz_participants.user_id',
      'quiz_participants.pseudonym',
      'quiz_attempts.submitted_at',
      'quiz_attempts.score',
      'quiz_attempts.answers',
      'quiz_attempts.marks',
    )) as AttemptRow[];

  const byParticipant = new Map<string, AttemptRow[]>();
  for (const row of rows) {
    byParticipant.set(row.participant_id, [...(byParticipant.get(row.participant_id) ?? []), row]);
  }
  const labels = anonymous
    ? new Map<string, string>()
    : await participantLabels(db, quiz.tenantId, [
        ...new Set(rows.flatMap((row) => (row.user_id ? [row.user_id] : []))),
      ]);
  const syncs = anonymous ? new Map() : await gradeSyncs(db, quiz.id);

  const participants = [...byParticipant.values()].map((attempts) => {
    const first = attempts[0] as AttemptRow;
    const submitted = attempts.filter((attempt) => attempt.submitted_at !== null);
    const summary = {
      participant: anonymous
        ? first.pseudonym
        : (labels.get(first.user_id ?? '') ?? first.pseudonym),
      attempts: attempts.length,
      completed: submitted.length > 0,
      grade: gradeOver(
        quiz,
        attempts.map((attempt) => ({
          submittedAt: attempt.submitted_at?.toISOString() ?? null,
          score: attempt.score,
        })),
      ),
    };
    if (anonymous) return { key: first.pseudonym, result: summary };
    return {
      key: summary.participant.toLocaleLowerCase(),
      result: {
        ...summary,
        lastSubmittedAt: submitted.at(-1)?.submitted_at?.toISOString() ?? null,
        gradeSync: syncs.get(first.participant_id) ?? { state: 'none' as const, tries: 0 },
      },
    };
  });
  participants.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  return {
    quiz: {
      id: quiz.id,
      title: quiz.title,
      anonymous,
      maxScore: maxScoreOf(quiz.questions),
      passMark: quiz.settings.passMark,
    },
    participants: participants.map((participant) => participant.result),
    questions: questionStatistics(quiz, rows),
  };
}

/** Per question, over submitted attempts: how many answered it, how many earned its points. */
function questionStatistics(quiz: Quiz, rows: readonly AttemptRow[]): QuizResults['questions'] {
  const submitted = rows
    .filter((row) => row.submitted_at !== null)
    .map((row) => ({
      answers: json(row.answers),
      marks: json(row.marks ?? {}),
    }));
  return quiz.questions.map((question) => ({
    id: question.id,
    prompt: question.prompt,
    type: question.type,
    answered: submitted.filter((attempt) => question.id in attempt.answers).length,
    correct: submitted.filter(
      (attempt) => question.points > 0 && attempt.marks[question.id] === question.points,
    ).length,
  }));
}

async function gradeSyncs(db: Knex, quizId: string) {
  const rows = (await db('quiz_grade_posts')
    .where({ quiz_id: quizId })
    .orderBy('updated_at')
    .select('participant_id', 'state', 'tries')) as {
    participant_id: string;
    state: Exclude<GradeSyncState, 'none'>;
    tries: number;
  }[];
  // A learner launched through two placements: the worst state is the one to show.
  const rank = { failed: 2, pending: 1, posted: 0 };
  const syncs = new Map<string, { state: GradeSyncState; tries: number }>();
  for (const row of rows) {
    const known = syncs.get(row.participant_id);
    if (!known || rank[row.state] >= rank[known.state as keyof typeof rank]) {
      syncs.set(row.participant_id, { state: row.state, tries: row.tries });
    }
  }
  return syncs;
}

/** The results as CSV, one participant per line, safe to open in a spreadsheet. */
export function resultsCsv(results: QuizResults): string {
  const anonymous = results.quiz.anonymous;
  const header = [
    'participant',
    'attempts',
    'completed',
    'score',
    'max_score',
    'percent',
    'passed',
  ];
  if (!anonymous) header.push('last_submitted_at', 'grade_sync');
  const lines = results.participants.map((row) => {
    const cells: (string | number | boolean | null | undefined)[] = [
      row.participant,
      row.attempts,
      row.completed,
      row.grade?.score,
      row.grade?.maxScore ?? results.quiz.maxScore,
      row.grade?.percent,
      row.grade?.passed,
    ];
    if (!anonymous) cells.push(row.lastSubmittedAt, row.gradeSync?.state);
    return cells.map(csvCell).join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}

function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A cell a spreadsheet would run as a formula starts with a quote instead.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
