import { createHmac, randomInt, randomUUID, type KeyObject } from 'node:crypto';
import type { Knex } from 'knex';
import { LecternError } from '../http/errors.ts';
import { isUuid } from '../identity/users.ts';
import { maxScoreOf, type Question } from './definition.ts';
import { checkAnswer, marksFor, type LearnerAnswer } from './grading.ts';
import type { Quiz } from './quizzes.ts';

/** A participant's standing: by the quiz's score policy, over their submitted attempts. */
export interface Grade {
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
}

export interface Participant {
  id: string;
  /** Absent in an anonymous quiz: nothing links the row to the person. */
  userId: string | null;
}

export interface Attempt {
  id: string;
  number: number;
  answers: Record<string, LearnerAnswer>;
  submittedAt: string | null;
}

interface AttemptRow {
  id: string;
  number: number;
  answers: Record<string, LearnerAnswer> | string;
  submitted_at: Date | null;
  score: number | null;
  max_score: number | null;
}

/**
 * Finds a person's row among a quiz's participants by a keyed hash of quiz and user: the key
 * (derived from the server's secret) is not in the database, so in an anonymous quiz a copy
 * of the database alone does not tell who a participant is.
 */
export function participantKey(secret: KeyObject, quizId: string, userId: string): string {
  return createHmac('sha256', secret)
    .update(`quiz-participant\0${quizId}\0${userId}`)
    .digest('base64url');
}

export async function findParticipant(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
): Promise<Participant | undefined> {
  const row = (await db('quiz_participants')
    .where({ quiz_id: quiz.id, participant_key: participantKey(secret, quiz.id, userId) })
    .first('id', 'user_id')) as { id: string; user_id: string | null } | undefined;
  return row && { id: row.id, userId: row.user_id };
}

/** The person's participant row, made on their first attempt with a random pseudonym. */
async function joinQuiz(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
): Promise<Participant> {
  for (let tries = 0; tries < 5; tries += 1) {
    const known = await findParticipant(db, quiz, userId, secret);
    if (known) return known;
    try {
      await db.transaction((savepoint) =>
        savepoint('quiz_participants')
          .insert({
            id: randomUUID(),
            tenant_id: quiz.tenantId,
            quiz_id: quiz.id,
            user_id: quiz.settings.anonymous ? null : userId,
            participant_key: participantKey(secret, quiz.id, userId),
            pseudonym: newPseudonym(),
          })
          .onConflict(['quiz_id', 'participant_key'])
          .ignore(),
      );
    } catch (error) {
      // A pseudonym drawn twice: draw again.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
  }
  throw new Error('five pseudonyms in a row were taken');
}

/** `P-` and six characters that do not read alike (no 0/O, 1/I/L). */
function newPseudonym(): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let code = '';
  for (let i = 0; i < 6; i += 1) code += alphabet[randomInt(alphabet.length)];
  return `P-${code}`;
}

/** The attempt still open, or a new one when the quiz allows another. */
export async function startAttempt(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
): Promise<{ attempt: Attempt; created: boolean }> {
  return db.transaction(async (trx) => {
    const participant = await joinQuiz(trx, quiz, userId, secret);
    // The participant's row lock orders two tabs starting (or submitting) at the same moment.
    await trx('quiz_participants').where({ id: participant.id }).forUpdate().first('id');
    const attempts = await attemptsOf(trx, participant.id);
    const open = attempts.find((attempt) => attempt.submittedAt === null);
    if (open) return { attempt: open, created: false };

    const allowed = quiz.settings.attemptsAllowed;
    if (allowed !== null && attempts.length >= allowed) {
      throw new LecternError('quiz.attempts_exhausted');
    }
    const [row] = (await trx('quiz_attempts')
      .insert({
        id: randomUUID(),
        tenant_id: quiz.tenantId,
        quiz_id: quiz.id,
        participant_id: participant.id,
        number: attempts.length + 1,
      })
      .returning('*')) as AttemptRow[];
    return { attempt: toAttempt(row as AttemptRow), created: true };
  });
}

/** Keeps one answer of an open attempt, replacing an earlier answer to the same question. */
export async function saveAnswer(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
  input: { attemptId: string; questionId: string; answer: LearnerAnswer },
): Promise<void> {
  const answer = checkAnswer(questionOf(quiz, input.questionId), input.answer);
  const participant = await findParticipant(db, quiz, userId, secret);
  const attempt = participant && (await findAttempt(db, participant.id, input.attemptId));
  if (!attempt) throw new LecternError('resource.not_found');
  if (attempt.submittedAt !== null) throw new LecternError('quiz.attempt_closed');

  const updated = await db('quiz_attempts')
    .where({ id: attempt.id })
    .whereNull('submitted_at')
    .update({
      answers: db.raw('answers || ?::jsonb', [JSON.stringify({ [input.questionId]: answer })]),
    });
  if (updated === 0) throw new LecternError('quiz.attempt_closed');
}

export interface GradedAttempt {
  participant: Participant;
  attempt: Attempt & { submittedAt: string };
  score: number;
  maxScore: number;
  percent: number;
  passed: boolean;
  grade: Grade;
  attemptsLeft: number | null;
  /** Points earned per question id. */
  marks: Record<string, number>;
}

/**
 * Grades and closes an open attempt, with any last answers it brings; everything is checked
 * before anything is written, so a bad answer changes nothing. `whenGraded` runs inside the
 * same transaction (the grade's way to the LMS is queued with the grade, or not at all).
 */
export async function submitAttempt(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
  input: { attemptId: string; answers: { questionId: string; answer: LearnerAnswer }[] },
  whenGraded?: (trx: Knex.Transaction, graded: GradedAttempt) => Promise<void>,
): Promise<GradedAttempt> {
  const given = input.answers.map(
    ({ questionId, answer }) =>
      [questionId, checkAnswer(questionOf(quiz, questionId), answer)] as const,
  );
  return db.transaction(async (trx) => {
    const participant = await findParticipant(trx, quiz, userId, secret);
    if (!participant) throw new LecternError('resource.not_found');
    await trx('quiz_participants').where({ id: participant.id }).forUpdate().first('id');
    const attempt = await findAttempt(trx, participant.id, input.attemptId);
    if (!attempt) throw new LecternError('resource.not_found');
    if (attempt.submittedAt !== null) throw new LecternError('quiz.attempt_closed');

    const answers = { ...attempt.answers, ...Object.fromEntries(given) };
    const marks = Object.fromEntries(
      quiz.questions.map((question) => [question.id, marksFor(question, answers[question.id])]),
    );
    const score = Object.values(marks).reduce((sum, earned) => sum + earned, 0);
    const maxScore = maxScoreOf(quiz.questions);
    const [row] = (await trx('quiz_attempts')
      .where({ id: attempt.id })
      .update({
        answers: JSON.stringify(answers),
        marks: JSON.stringify(marks),
        score,
        max_score: maxScore,
        submitted_at: trx.fn.now(),
      })
      .returning('*')) as AttemptRow[];

    const attempts = await attemptsOf(trx, participant.id);
    const allowed = quiz.settings.attemptsAllowed;
    const graded: GradedAttempt = {
      participant,
      attempt: toAttempt(row as AttemptRow) as GradedAttempt['attempt'],
      ...standing(score, maxScore, quiz.settings.passMark),
      grade: gradeOver(quiz, attempts) as Grade,
      attemptsLeft: allowed === null ? null : Math.max(0, allowed - attempts.length),
      marks,
    };
    await whenGraded?.(trx, graded);
    return graded;
  });
}

/** What a learner knows of their own attempts at a quiz. */
export async function learnerStanding(
  db: Knex,
  quiz: Quiz,
  userId: string,
  secret: KeyObject,
): Promise<{ used: number; left: number | null; open: Attempt | null; grade: Grade | null }> {
  const participant = await findParticipant(db, quiz, userId, secret);
  const attempts = participant ? await attemptsOf(db, participant.id) : [];
  const allowed = quiz.settings.attemptsAllowed;
  return {
    used: attempts.length,
    left: allowed === null ? null : Math.max(0, allowed - attempts.length),
    open: attempts.find((attempt) => attempt.submittedAt === null) ?? null,
    grade: gradeOver(quiz, attempts),
  };
}

/** The grade by the quiz's score policy over submitted attempts; null before the first. */
export function gradeOver(
  quiz: Quiz,
  attempts: readonly { submittedAt: string | null; score?: number | null }[],
): Grade | null {
  const scores = attempts
    .filter((attempt) => attempt.submittedAt !== null)
    .map((attempt) => attempt.score ?? 0);
  if (scores.length === 0) return null;
  const score = quiz.settings.scorePolicy === 'best' ? Math.max(...scores) : (scores.at(-1) ?? 0);
  return standing(score, maxScoreOf(quiz.questions), quiz.settings.passMark);
}

function standing(score: number, maxScore: number, passMark: number) {
  const percent = maxScore > 0 ? Math.round((score / maxScore) * 1000) / 10 : 0;
  return { score, maxScore, percent, passed: percent >= passMark };
}

function questionOf(quiz: Quiz, questionId: string): Question {
  const question = quiz.questions.find((candidate) => candidate.id === questionId);
  if (!question) throw new LecternError('quiz.unknown_question');
  return question;
}

async function attemptsOf(db: Knex, participantId: string) {
  const rows = (await db('quiz_attempts')
    .where({ participant_id: participantId })
    .orderBy('number')) as AttemptRow[];
  return rows.map((row) => ({ ...toAttempt(row), score: row.score }));
}

async function findAttempt(db: Knex, participantId: string, attemptId: string) {
  if (!isUuid(attemptId)) return undefined;
  const row = (await db('quiz_attempts')
    .where({ id: attemptId, participant_id: participantId })
    .first()) as AttemptRow | undefined;
  return row && toAttempt(row);
}

function toAttempt(row: AttemptRow): Attempt {
  return {
    id: row.id,
    number: row.number,
    answers: typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers,
    submittedAt: row.submitted_at?.toISOString() ?? null,
  };
}
