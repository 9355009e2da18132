import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { recordAudit } from '../audit/audit-log.ts';
import { LecternError } from '../http/errors.ts';
import { isUuid } from '../identity/users.ts';
import { forgetLearnersOfQuiz } from '../lti/course-services.ts';
import {
  quizSettings,
  settleQuestions,
  type Question,
  type QuizSettings,
  type questionInput,
} from './definition.ts';
import type { z } from 'zod';

export interface Quiz {
  id: string;
  tenantId: string;
  videoId: string | null;
  ownerId: string | null;
  title: string;
  settings: QuizSettings;
  questions: Question[];
  createdAt: string;
  updatedAt: string;
}

interface QuizRow {
  id: string;
  tenant_id: string;
  video_id: string | null;
  owner_id: string | null;
  title: string;
  settings: QuizSettings | string;
  questions: Question[] | string;
  created_at: Date;
  updated_at: Date;
}

/** What the editor sends to make or replace a quiz. */
export interface QuizInput {
  title: string;
  settings: z.input<typeof quizSettings>;
  questions: z.infer<typeof questionInput>[];
}

/** The video a quiz is placed on, as far as the questions' timeline needs it. */
export interface QuizVideo {
  id: string;
  durationSeconds: number | null;
}

export async function createQuiz(
  db: Knex,
  input: QuizInput & { tenantId: string; ownerId: string | null; video: QuizVideo | null },
  actor: string,
): Promise<Quiz> {
  const questions = settleQuestions(input.questions, {
    known: new Set(),
    onVideo: input.video !== null,
    videoSeconds: input.video?.durationSeconds ?? null,
  });
  return db.transaction(async (trx) => {
    if (input.video && (await trx('quizzes').where({ video_id: input.video.id }).first('id'))) {
      throw new LecternError('quiz.exists');
    }
    let row: QuizRow | undefined;
    try {
      [row] = (await trx('quizzes')
        .insert({
          id: randomUUID(),
          tenant_id: input.tenantId,
          video_id: input.video?.id ?? null,
          owner_id: input.ownerId,
          title: input.title,
          settings: JSON.stringify(quizSettings.parse(input.settings)),
          questions: JSON.stringify(questions),
        })
        .returning('*')) as QuizRow[];
    } catch (error) {
      // Two editors making the video's quiz at once: the one-per-video index decides.
      if ((error as { code?: string }).code === '23505') throw new LecternError('quiz.exists');
      throw error;
    }
    const quiz = toQuiz(row as QuizRow);
    await audit(trx, quiz, actor, 'quiz.create');
    return quiz;
  });
}

export async function findQuiz(db: Knex, tenantId: string, quizId: string) {
  if (!isUuid(quizId)) return undefined;
  const row = (await db('quizzes').where({ id: quizId, tenant_id: tenantId }).first()) as
    QuizRow | undefined;
  return row && toQuiz(row);
}

export async function requireQuiz(db: Knex, tenantId: string, quizId: string): Promise<Quiz> {
  const quiz = await findQuiz(db, tenantId, quizId);
  if (!quiz) throw new LecternError('resource.not_found');
  return quiz;
}

/**
 * A quiz by id in whichever tenant holds it, for routes that answer "not yours" (403) rather
 * than "not there" to another tenant: results. Callers must ask the policy before using it.
 */
export async function findQuizInAnyTenant(db: Knex, quizId: string) {
  if (!isUuid(quizId)) return undefined;
  const row = (await db('quizzes').where({ id: quizId }).first()) as QuizRow | undefined;
  return row && toQuiz(row);
}

/** The quiz placed on a video, if it has one. */
export async function quizOfVideo(db: Knex, tenantId: string, videoId: string) {
  const row = (await db('quizzes').where({ tenant_id: tenantId, video_id: videoId }).first()) as
    QuizRow | undefined;
  return row && toQuiz(row);
}

/** The tenant's quizzes, newest first, for pickers; standalone ones and those on videos. */
export async function listQuizzes(db: Knex, tenantId: string, limit = 200): Promise<Quiz[]> {
  const rows = (await db('quizzes')
    .where({ tenant_id: tenantId })
    .orderBy('created_at', 'desc')
    .limit(limit)) as QuizRow[];
  return rows.map(toQuiz);
}

export async function countAttempts(db: Knex, quizId: string): Promise<number> {
  const [row] = (await db('quiz_attempts').where({ quiz_id: quizId }).count({ n: '*' })) as {
    n: string | number;
  }[];
  return Number(row?.n ?? 0);
}

/**
 * Replaces title, settings and questions at once. Once anyone has started an attempt the
 * questions stay as they are (results would compare different quizzes) and anonymity cannot
 * be switched off; switching it on forgets who the participants were, for good.
 */
export async function replaceQuiz(
  db: Knex,
  quiz: Quiz,
  input: QuizInput,
  video: QuizVideo | null,
  actor: string,
): Promise<Quiz> {
  const settings = quizSettings.parse(input.settings);
  const questions = settleQuestions(input.questions, {
    known: new Set(quiz.questions.map((question) => question.id)),
    onVideo: quiz.videoId !== null,
    videoSeconds: video?.durationSeconds ?? null,
  });
  return db.transaction(async (trx) => {
    // The row lock orders this against attempts starting at the same moment.
    await trx('quizzes').where({ id: quiz.id }).forUpdate().first('id');
    if ((await countAttempts(trx, quiz.id)) > 0) {
      if (quiz.settings.anonymous && !settings.anonymous) {
        throw new LecternError('quiz.anonymity_locked');
      }
      if (canonicalJson(questions) !== canonicalJson(quiz.questions)) {
        throw new LecternError('quiz.locked');
      }
    }
    if (settings.anonymous && !quiz.settings.anonymous) {
      await trx('quiz_participants').where({ quiz_id: quiz.id }).update({ user_id: null });
      await trx('quiz_grade_posts')
        .where({ quiz_id: quiz.id })
        .whereNot({ state: 'posted' })
        .delete();
      await forgetLearnersOfQuiz(trx, quiz.id);
    }
    const [row] = (await trx('quizzes')
      .where({ id: quiz.id, tenant_id: quiz.tenantId })
      .update({
        title: input.title,
        settings: JSON.stringify(settings),
        questions: JSON.stringify(questions),
        updated_at: trx.fn.now(),
      })
      .returning('*')) as QuizRow[];
    const replaced = toQuiz(row as QuizRow);
    await audit(trx, replaced, actor, 'quiz.update');
    return replaced;
  });
}

export async function deleteQuiz(db: Knex, quiz: Quiz, actor: string): Promise<void> {
  await db.transaction(async (trx) => {
    await trx('quizzes').where({ id: quiz.id, tenant_id: quiz.tenantId }).delete();
    await audit(trx, quiz, actor, 'quiz.delete');
  });
}

async function audit(db: Knex, quiz: Quiz, actor: string, action: string): Promise<void> {
  await recordAudit(db, {
    tenantId: quiz.tenantId,
    actor,
    action,
    subjectType: 'quiz',
    subjectId: quiz.id,
    details: {
      questions: quiz.questions.length,
      anonymous: quiz.settings.anonymous,
      ...(quiz.videoId ? { videoId: quiz.videoId } : {}),
    },
  });
}

/** JSON with keys sorted: PostgreSQL's jsonb keeps its own key order, so compare this. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

function toQuiz(row: QuizRow): Quiz {
  const json = <T>(value: T | string): T =>
    typeof value === 'string' ? (JSON.parse(value) as T) : value;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    videoId: row.video_id,
    ownerId: row.owner_id,
    title: row.title,
    settings: json(row.settings),
    questions: json(row.questions),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
