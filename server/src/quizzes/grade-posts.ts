import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from '../http/logger.ts';
import { isLecternError } from '../http/errors.ts';
import type { JobQueue, SendOptions } from '../jobs/boss.ts';
import {
  findResourceLink,
  gradeTargets,
  platformUserOf,
  postScore,
  type ServicesContext,
} from '../lti/course-services.ts';
import type { GradedAttempt } from './attempts.ts';
import type { Quiz } from './quizzes.ts';

export const gradePostQueue = 'quiz.post-grade';
export const gradeSweepQueue = 'quiz.grades-sweep';

export interface GradePostJob {
  tenantId: string;
  postId: string;
}

// A platform that is down for a while: tries at about 10 s, 20 s, 40 s … up to 6 times, then the
// hourly sweep picks the post up again until it has been tried this often.
const sendOptions: SendOptions = { retryLimit: 5, retryDelay: 10, retryBackoff: true };
const maxTries = 24;

/**
 * Queues the participant's grade for each placement of the quiz they launched with a gradebook
 * column; runs inside the transaction that grades, so a grade and its posting commit together.
 * Anonymous quizzes send nothing: the LMS would show each grade beside a name.
 */
export async function queueGradePosts(
  trx: Knex.Transaction,
  jobs: JobQueue | undefined,
  quiz: Quiz,
  userId: string,
  graded: GradedAttempt,
): Promise<number> {
  if (quiz.settings.anonymous) return 0;
  const links = await gradeTargets(trx, quiz.tenantId, quiz.id, userId);
  for (const link of links) {
    const [row] = (await trx('quiz_grade_posts')
      .insert({
        id: randomUUID(),
        tenant_id: quiz.tenantId,
        quiz_id: quiz.id,
        participant_id: graded.participant.id,
        resource_link_id: link.id,
        score: graded.grade.score,
        max_score: graded.grade.maxScore,
        state: 'pending',
      })
      .onConflict(['participant_id', 'resource_link_id'])
      .merge({
        score: graded.grade.score,
        max_score: graded.grade.maxScore,
        state: 'pending',
        tries: 0,
        last_error: null,
        updated_at: trx.fn.now(),
      })
      .returning('id')) as { id: string }[];
    const job: GradePostJob = { tenantId: quiz.tenantId, postId: (row as { id: string }).id };
    if (jobs) await jobs.sendInTransaction(trx, gradePostQueue, job, sendOptions);
  }
  return links.length;
}

interface GradePostRow {
  id: string;
  tenant_id: string;
  participant_id: string;
  resource_link_id: string;
  score: number;
  max_score: number;
  state: 'pending' | 'posted' | 'failed';
  tries: number;
}

/**
 * Sends one queued grade to the LMS. A failure is recorded (trainers see it) and thrown, so
 * that the job is tried again; a grade for someone no longer identifiable is dropped.
 */
export async function postGrade(
  context: ServicesContext,
  log: Logger,
  job: GradePostJob,
): Promise<void> {
  const post = (await context
    .db('quiz_grade_posts')
    .where({ id: job.postId, tenant_id: job.tenantId })
    .first()) as GradePostRow | undefined;
  if (!post || post.state === 'posted') return;

  const participant = (await context
    .db('quiz_participants')
    .where({ id: post.participant_id })
    .first('user_id')) as { user_id: string | null } | undefined;
  const link = await findResourceLink(context.db, post.tenant_id, post.resource_link_id);
  const platformUser =
    participant?.user_id && link && (await platformUserOf(context.db, link, participant.user_id));
  if (!link || !platformUser) {
    // The quiz turned anonymous, or the person or placement is gone: nothing may be sent.
    await context.db('quiz_grade_posts').where({ id: post.id }).delete();
    return;
  }

  try {
    await postScore(context, link, platformUser, {
      scoreGiven: post.score,
      scoreMaximum: post.max_score,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
  } catch (error) {
    const code = isLecternError(error) ? error.code : 'lti.service_failed';
    await context
      .db('quiz_grade_posts')
      .where({ id: post.id, score: post.score })
      .update({
        state: 'failed',
        tries: post.tries + 1,
        last_error: code,
        updated_at: context.db.fn.now(),
      });
    log.warn({ event: 'quiz.grade_failed', tenantId: post.tenant_id, postId: post.id, code });
    throw error;
  }
  // Only if the grade is still the one sent: a newer attempt's grade waits for its own job.
  await context
    .db('quiz_grade_posts')
    .where({ id: post.id, score: post.score, state: post.state })
    .update({
      state: 'posted',
      tries: post.tries + 1,
      last_error: null,
      updated_at: context.db.fn.now(),
    });
  log.info({ event: 'quiz.grade_posted', tenantId: post.tenant_id, postId: post.id });
}

/**
 * Sends again the grades whose jobs ran out of tries, or were never queued. Only posts left
 * alone for a while: the job's own retries (about five minutes in all) are over by then, so a
 * grade is never sent by two jobs at once.
 */
export async function sweepGradePosts(db: Knex, jobs: JobQueue): Promise<number> {
  const stale = (await db('quiz_grade_posts')
    .where('tries', '<', maxTries)
    .whereIn('state', ['pending', 'failed'])
    .andWhere('updated_at', '<', db.raw("now() - interval '15 minutes'"))
    .limit(500)
    .select('id', 'tenant_id')) as { id: string; tenant_id: string }[];
  for (const post of stale) {
    await jobs.send(gradePostQueue, { tenantId: post.tenant_id, postId: post.id }, sendOptions);
  }
  return stale.length;
}
