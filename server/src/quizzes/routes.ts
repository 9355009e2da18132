import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../http/app-context.ts';
import { authenticate, authorize } from '../http/auth.ts';
import { actorOf, principalOf } from '../http/context.ts';
import { LecternError } from '../http/errors.ts';
import { validate, validQuery } from '../http/validation.ts';
import { may, type Principal } from '../identity/policy.ts';
import { findVideo, findVideos, type Video } from '../media/library/videos.ts';
import { learnerStanding, saveAnswer, startAttempt, submitAttempt } from './attempts.ts';
import {
  learnerQuestion,
  maxScoreOf,
  questionList,
  quizSettings,
  quizTitle,
} from './definition.ts';
import { queueGradePosts } from './grade-posts.ts';
import { learnerAnswer } from './grading.ts';
import {
  countAttempts,
  createQuiz,
  deleteQuiz,
  findQuizInAnyTenant,
  listQuizzes,
  quizOfVideo,
  replaceQuiz,
  requireQuiz,
  type Quiz,
  type QuizVideo,
} from './quizzes.ts';
import { quizResults, resultsCsv } from './results.ts';

const id = z.string().min(1).max(64);
const quizParams = z.object({ quizId: id });
const attemptParams = z.object({ quizId: id, attemptId: id });
const answerParams = z.object({ quizId: id, attemptId: id, questionId: z.string().min(1).max(64) });
const quizBody = {
  title: quizTitle,
  settings: quizSettings.partial().default({}),
  questions: questionList.default([]),
};
const createBody = z.strictObject({ ...quizBody, videoId: z.uuid().optional() });
const replaceBody = z.strictObject(quizBody);
const listQuery = z.strictObject({ video: z.uuid().optional() });
// Strict bodies: a score, a time or anything else the client adds is refused, not ignored.
const startBody = z.strictObject({});
const answerBody = z.strictObject({ answer: learnerAnswer });
const submitBody = z.strictObject({
  answers: z
    .array(z.strictObject({ questionId: z.string().min(1).max(64), answer: learnerAnswer }))
    .max(100)
    .default([]),
});

/** Quizzes: authors make them, learners take them, trainers alone see the results. */
export function quizRoutes(context: AppContext): Router {
  const router = Router();
  const signedIn = authenticate(context.db, context.signer);
  const secret = participantSecret(context.signer.key);
  router.use('/quizzes', noStore);

  router.post(
    '/quizzes',
    signedIn,
    authorize('quiz.edit'),
    validate({ body: createBody }),
    create(context),
  );
  router.get(
    '/quizzes',
    signedIn,
    authorize('quiz.take'),
    validate({ query: listQuery }),
    list(context),
  );
  router.get(
    '/quizzes/:quizId',
    signedIn,
    authorize('quiz.take'),
    validate({ params: quizParams }),
    learnerView(context, secret),
  );
  router.get(
    '/quizzes/:quizId/definition',
    signedIn,
    authorize('quiz.edit'),
    validate({ params: quizParams }),
    definition(context),
  );
  router.put(
    '/quizzes/:quizId',
    signedIn,
    authorize('quiz.edit'),
    validate({ params: quizParams, body: replaceBody }),
    replace(context),
  );
  router.delete(
    '/quizzes/:quizId',
    signedIn,
    authorize('quiz.edit'),
    validate({ params: quizParams }),
    remove(context),
  );
  router.post(
    '/quizzes/:quizId/attempts',
    signedIn,
    authorize('quiz.take'),
    validate({ params: quizParams, body: startBody }),
    start(context, secret),
  );
  router.put(
    '/quizzes/:quizId/attempts/:attemptId/answers/:questionId',
    signedIn,
    authorize('quiz.take'),
    validate({ params: answerParams, body: answerBody }),
    answer(context, secret),
  );
  router.post(
    '/quizzes/:quizId/attempts/:attemptId/submit',
    signedIn,
    authorize('quiz.take'),
    validate({ params: attemptParams, body: submitBody }),
    submit(context, secret),
  );
  router.get(
    '/quizzes/:quizId/results',
    signedIn,
    authorize('quiz.results'),
    validate({ params: quizParams }),
    results(context, 'json'),
  );
  router.get(
    '/quizzes/:quizId/results.csv',
    signedIn,
    authorize('quiz.results'),
    validate({ params: quizParams }),
    results(context, 'csv'),
  );
  return router;
}

/** Keyed hashes of participants use their own key, derived from the server's secret. */
function participantSecret(key: KeyObject): KeyObject {
  return createSecretKey(createHmac('sha256', key).update('lectern quiz participants').digest());
}

/** Answers, grades and results are one person's business: never kept by a cache. */
function noStore(_request: Request, response: Response, next: NextFunction) {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

function create(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const body = request.body as z.infer<typeof createBody>;
    const video = body.videoId ? await viewableVideo(context, principal, body.videoId) : null;
    const quiz = await createQuiz(
      context.db,
      { ...body, tenantId: principal.tenantId, ownerId: ownerOf(principal), video },
      actorOf(request),
    );
    request.log.info({ event: 'quiz.created', quizId: quiz.id });
    response.status(201).json(await definitionView(context, quiz));
  };
}

function list(context: AppContext) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const { video } = validQuery<z.infer<typeof listQuery>>(response);
    const candidates = video
      ? [await quizOfVideo(context.db, principal.tenantId, video)].filter(
          (quiz) => quiz !== undefined,
        )
      : await listQuizzes(context.db, principal.tenantId);
    // The quizzes' videos in one query, not one per quiz.
    const videos = await findVideos(
      context.db,
      principal.tenantId,
      candidates.flatMap((quiz) => (quiz.videoId ? [quiz.videoId] : [])),
    );
    const visible = candidates.filter((quiz) =>
      mayTakeWith(principal, quiz, quiz.videoId ? videos.get(quiz.videoId) : undefined),
    );
    response.json({
      quizzes: visible.map((quiz) => ({
        id: quiz.id,
        title: quiz.title,
        videoId: quiz.videoId,
        questionCount: quiz.questions.length,
      })),
    });
  };
}

function learnerView(context: AppContext, secret: KeyObject) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const quiz = await takeableQuiz(context, request);
    const attempts = await learnerStanding(context.db, quiz, principal.id, secret);
    response.json({
      id: quiz.id,
      title: quiz.title,
      videoId: quiz.videoId,
      settings: quiz.settings,
      questions: quiz.questions.map(learnerQuestion),
      maxScore: maxScoreOf(quiz.questions),
      attempts: {
        used: attempts.used,
        left: attempts.left,
        open: attempts.open && {
          id: attempts.open.id,
          number: attempts.open.number,
          answers: attempts.open.answers,
        },
      },
      grade: attempts.grade,
    });
  };
}

function definition(context: AppContext) {
  return async (request: Request, response: Response) => {
    response.json(await definitionView(context, await editableQuiz(context, request)));
  };
}

function replace(context: AppContext) {
  return async (request: Request, response: Response) => {
    const quiz = await editableQuiz(context, request);
    const video = quiz.videoId ? await quizVideo(context, quiz.tenantId, quiz.videoId) : null;
    const replaced = await replaceQuiz(context.db, quiz, request.body, video, actorOf(request));
    response.json(await definitionView(context, replaced));
  };
}

function remove(context: AppContext) {
  return async (request: Request, response: Response) => {
    const quiz = await editableQuiz(context, request);
    await deleteQuiz(context.db, quiz, actorOf(request));
    response.status(204).end();
  };
}

function start(context: AppContext, secret: KeyObject) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const quiz = await takeableQuiz(context, request);
    const { attempt, created } = await startAttempt(context.db, quiz, principal.id, secret);
    response
      .status(created ? 201 : 200)
      .json({ id: attempt.id, number: attempt.number, answers: attempt.answers });
  };
}

function answer(context: AppContext, secret: KeyObject) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const quiz = await takeableQuiz(context, request);
    const { attemptId, questionId } = request.params as z.infer<typeof answerParams>;
    await saveAnswer(context.db, quiz, principal.id, secret, {
      attemptId,
      questionId,
      answer: request.body.answer,
    });
    response.json({ questionId, saved: true });
  };
}

function submit(context: AppContext, secret: KeyObject) {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    const quiz = await takeableQuiz(context, request);
    const { attemptId } = request.params as z.infer<typeof attemptParams>;
    const graded = await submitAttempt(
      context.db,
      quiz,
      principal.id,
      secret,
      { attemptId, answers: request.body.answers },
      (trx, result) =>
        queueGradePosts(trx, context.jobs, quiz, principal.id, result).then(() => {}),
    );
    request.log.info({ event: 'quiz.submitted', quizId: quiz.id, attemptId });
    const reveal = quiz.settings.showCorrectAnswers;
    response.json({
      attempt: graded.attempt,
      score: graded.score,
      maxScore: graded.maxScore,
      percent: graded.percent,
      passed: graded.passed,
      grade: graded.grade,
      attemptsLeft: graded.attemptsLeft,
      questions: quiz.questions.map((question) => ({
        id: question.id,
        correct: question.points > 0 && graded.marks[question.id] === question.points,
        earned: graded.marks[question.id] ?? 0,
        points: question.points,
        ...(reveal ? { answer: question.answer } : {}),
      })),
    });
  };
}

function results(context: AppContext, format: 'json' | 'csv') {
  return async (request: Request, response: Response) => {
    const principal = principalOf(request);
    // Another tenant's trainer is told "not yours" (the policy compares tenants), as the
    // works-council promise is stated: results are refused, not merely hidden.
    const quiz = await findQuizInAnyTenant(context.db, quizIdOf(request));
    if (!quiz) throw new LecternError('resource.not_found');
    if (!may(principal, 'quiz.results', quiz)) throw new LecternError('permission.denied');
    const answer = await quizResults(context.db, quiz);
    request.log.info({ event: 'quiz.results_read', quizId: quiz.id, format });
    if (format === 'json') {
      response.json(answer);
      return;
    }
    response
      .type('text/csv; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="quiz-${quiz.id}.csv"`);
    response.send(resultsCsv(answer));
  };
}

async function definitionView(context: AppContext, quiz: Quiz) {
  return {
    id: quiz.id,
    title: quiz.title,
    videoId: quiz.videoId,
    ownerId: quiz.ownerId,
    settings: quiz.settings,
    questions: quiz.questions,
    attemptCount: await countAttempts(context.db, quiz.id),
    createdAt: quiz.createdAt,
    updatedAt: quiz.updatedAt,
  };
}

function quizIdOf(request: Request): string {
  return (request.params as { quizId: string }).quizId;
}

/** A quiz the principal may take: on a video, only while they may watch the video. */
async function takeableQuiz(context: AppContext, request: Request): Promise<Quiz> {
  const principal = principalOf(request);
  const quiz = await requireQuiz(context.db, principal.tenantId, quizIdOf(request));
  if (!(await mayTake(context, principal, quiz))) throw new LecternError('resource.not_found');
  return quiz;
}

async function mayTake(context: AppContext, principal: Principal, quiz: Quiz): Promise<boolean> {
  const video = quiz.videoId ? await findVideo(context.db, quiz.tenantId, quiz.videoId) : undefined;
  return mayTakeWith(principal, quiz, video);
}

/** `video` is the quiz's video as loaded (absent when the quiz has none, or it is gone). */
function mayTakeWith(principal: Principal, quiz: Quiz, video: Video | undefined): boolean {
  if (!may(principal, 'quiz.take', quiz)) return false;
  if (!quiz.videoId) return true;
  return video !== undefined && may(principal, 'video.view', video);
}

/** A quiz the principal may change: their own, or any for the tenant's admins. */
async function editableQuiz(context: AppContext, request: Request): Promise<Quiz> {
  const principal = principalOf(request);
  const quiz = await requireQuiz(context.db, principal.tenantId, quizIdOf(request));
  if (!may(principal, 'quiz.edit', { tenantId: quiz.tenantId, ownerId: quiz.ownerId })) {
    throw new LecternError('permission.denied');
  }
  return quiz;
}

async function viewableVideo(
  context: AppContext,
  principal: Principal,
  videoId: string,
): Promise<QuizVideo> {
  const video = await findVideo(context.db, principal.tenantId, videoId);
  if (!video || !may(principal, 'video.view', video)) throw new LecternError('resource.not_found');
  return { id: video.id, durationSeconds: video.durationSeconds };
}

async function quizVideo(context: AppContext, tenantId: string, videoId: string) {
  const video = await findVideo(context.db, tenantId, videoId);
  return video ? { id: video.id, durationSeconds: video.durationSeconds } : null;
}

function ownerOf(principal: Principal): string | null {
  return principal.kind === 'user' ? principal.id : null;
}
