import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import type { TestPlatform } from '../support/lti-platform.ts';
import { deepLink, registeredPlatform, sessionTokenOf, type LinkedItem } from '../lti/support.ts';
import { sweepGradePosts } from '../../src/quizzes/grade-posts.ts';
import { fireSafetyQuestions, makeQuiz, rightAnswers, takeQuiz } from './support.ts';

/** Polls until `check` answers something, for work the job workers do. */
async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string) {
  for (const started = Date.now(); Date.now() - started < 90_000;) {
    const found = await check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

forEachDatabase('quiz grades into the LMS', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let platform: TestPlatform;
  let author: { token: string };

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {}, { jobs: 'queue-and-workers' });
    tenant = await lectern.createTenant();
    platform = await registeredPlatform(lectern, tenant);
    author = await lectern.signIn(tenant, ['author']);
  });
  after(async () => {
    await platform?.close();
    await lectern?.stop();
  });

  /** A teacher deep-links the quiz; answers the content item Lectern returned to the LMS. */
  async function linkQuiz(quizId: string) {
    const { picker, item } = await deepLink(lectern, platform, { quiz: quizId });
    assert.match(picker.body, /Quiz: Fire safety check/);
    return item as Required<LinkedItem>;
  }

  const columnOf = (resourceLinkId: string) =>
    platform.lineItems('course-2').find((line) => line.resourceLinkId === resourceLinkId);
  const quizWith = (settings: Record<string, unknown>) =>
    makeQuiz(lectern, author.token, {
      title: 'Fire safety check',
      settings,
      questions: fireSafetyQuestions(false),
    });

  it("a learner's grade reaches the course's gradebook column, and the trainer sees it posted", async () => {
    const quiz = await quizWith({ attemptsAllowed: 2 });
    const item = await linkQuiz(quiz.id);
    assert.deepEqual(item.custom, { quiz: quiz.id });
    assert.deepEqual(item.lineItem, {
      scoreMaximum: 5,
      label: 'Fire safety check',
      resourceId: quiz.id,
    });
    const resourceLink = { id: `rl-${quiz.id}`, lineItem: item.lineItem };

    const learnerPage = await platform.launch({
      user: { id: '41', role: 'student', name: 'Erika Muster' },
      resourceLink,
      custom: item.custom,
      // Lectern does not ask for the e-mail; a platform that sends it anyway is not heeded.
      tamper: (claims) => {
        claims.email = 'erika@example.org';
      },
    });
    assert.match(learnerPage.body, new RegExp(`<lectern-quiz [^>]*quiz="${quiz.id}"`));
    const { submitted } = await takeQuiz(
      lectern,
      sessionTokenOf(learnerPage),
      quiz,
      rightAnswers.slice(0, 3),
    );
    assert.equal(submitted.body.grade.score, 3);

    const column = columnOf(resourceLink.id);
    assert.ok(column, 'the gradebook column exists');
    const score = await eventually(
      () => platform.scores(column.id).find((entry) => String(entry.userId) === '41'),
      'the score in the gradebook',
    );
    assert.equal(score.scoreGiven, 3);
    assert.equal(score.scoreMaximum, 5);
    assert.equal(score.activityProgress, 'Completed');
    assert.equal(score.gradingProgress, 'FullyGraded');

    const trainerPage = await platform.launch({
      user: { id: '7', role: 'teacher' },
      resourceLink,
      custom: item.custom,
    });
    assert.match(trainerPage.body, new RegExp(`<lectern-quiz-results [^>]*quiz="${quiz.id}"`));
    const results = await eventually(async () => {
      const answer = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results`, {
        token: sessionTokenOf(trainerPage),
      });
      const row = answer.body.participants?.[0];
      return row?.gradeSync?.state === 'posted' ? answer.body : undefined;
    }, 'the results to say posted');
    assert.equal(results.participants[0].participant, 'Erika Muster');
    assert.ok(!JSON.stringify(results).includes('erika@example.org'), 'no e-mail is kept');
    const stored = JSON.stringify(await lectern.db('users'));
    assert.ok(!stored.includes('erika@example.org'), 'the e-mail never reaches the database');
  });

  it('a post the LMS refuses is shown to trainers as failed and retried until it lands', async () => {
    const quiz = await quizWith({});
    const item = await linkQuiz(quiz.id);
    const resourceLink = { id: `rl-${quiz.id}`, lineItem: item.lineItem };
    const page = await platform.launch({
      user: { id: '43', role: 'student', name: 'Max Probe' },
      resourceLink,
      custom: item.custom,
    });
    platform.failNextScores(1);
    await takeQuiz(lectern, sessionTokenOf(page), quiz, rightAnswers);

    const trainer = await lectern.signIn(tenant, ['trainer']);
    const syncOf = async () =>
      (
        await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results`, {
          token: trainer.token,
        })
      ).body.participants[0]?.gradeSync;
    const failed = await eventually(async () => {
      const sync = await syncOf();
      return sync?.state === 'failed' ? sync : undefined;
    }, 'the failure to show');
    assert.equal(failed.tries, 1);
    const posted = await eventually(async () => {
      const sync = await syncOf();
      return sync?.state === 'posted' ? sync : undefined;
    }, 'the retry to land');
    assert.equal(posted.tries, 2);
    const scores = platform.scores(columnOf(resourceLink.id)?.id ?? '');
    assert.deepEqual(
      scores.map((score) => [score.userId, score.scoreGiven]),
      [['43', 5]],
    );
  });

  it('an anonymous quiz sends no grade to the LMS and keeps no link to the person', async () => {
    const quiz = await quizWith({ anonymous: true });
    const item = await linkQuiz(quiz.id);
    const resourceLink = { id: `rl-${quiz.id}`, lineItem: item.lineItem };
    const page = await platform.launch({
      user: { id: '44', role: 'student', name: 'Anna Anonym' },
      resourceLink,
      custom: item.custom,
    });
    await takeQuiz(lectern, sessionTokenOf(page), quiz, rightAnswers);
    // Long enough for a queued post to have gone out.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    assert.deepEqual(platform.scores(columnOf(resourceLink.id)?.id ?? ''), []);
    assert.equal(
      await lectern.db('quiz_grade_posts').where({ quiz_id: quiz.id }).first(),
      undefined,
    );
    const link = await lectern.db('lti_resource_links').where({ quiz_id: quiz.id }).first();
    assert.equal(
      await lectern.db('lti_link_learners').where({ resource_link_id: link.id }).first(),
      undefined,
    );
  });

  it('a quiz switched to anonymous forgets who launched it, and sends nothing more', async () => {
    const quiz = await quizWith({ attemptsAllowed: null });
    const item = await linkQuiz(quiz.id);
    const resourceLink = { id: `rl-${quiz.id}`, lineItem: item.lineItem };
    const page = await platform.launch({
      user: { id: '45', role: 'student', name: 'Olga Offen' },
      resourceLink,
      custom: item.custom,
    });
    const link = await lectern.db('lti_resource_links').where({ quiz_id: quiz.id }).first();
    assert.ok(await lectern.db('lti_link_learners').where({ resource_link_id: link.id }).first());

    const switched = await lectern.request('PUT', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
      body: {
        title: 'Fire safety check',
        settings: { anonymous: true },
        questions: quiz.questions,
      },
    });
    assert.equal(switched.status, 200);
    assert.equal(
      await lectern.db('lti_link_learners').where({ resource_link_id: link.id }).first(),
      undefined,
    );
    await takeQuiz(lectern, sessionTokenOf(page), quiz, rightAnswers);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(platform.scores(columnOf(resourceLink.id)?.id ?? ''), []);
  });

  it('the hourly sweep sends again a grade whose retries ran out, and leaves recent ones to their job', async () => {
    const quiz = await quizWith({});
    const item = await linkQuiz(quiz.id);
    const resourceLink = { id: `rl-${quiz.id}`, lineItem: item.lineItem };
    const learners: [string, string][] = [
      ['46', 'Paula Alt'],
      ['47', 'Quentin Neu'],
    ];
    for (const [id, name] of learners) {
      const page = await platform.launch({
        user: { id, role: 'student', name },
        resourceLink,
        custom: item.custom,
      });
      await takeQuiz(lectern, sessionTokenOf(page), quiz, rightAnswers);
    }
    const posts = () => lectern.db('quiz_grade_posts').where({ quiz_id: quiz.id }).orderBy('id');
    await eventually(async () => {
      const rows = await posts();
      return rows.length === 2 && rows.every((row) => row.state === 'posted') ? rows : undefined;
    }, 'both grades posted');

    // As if every retry had failed: one long ago, one just now.
    const [old, recent] = await posts();
    await lectern
      .db('quiz_grade_posts')
      .where({ id: old.id })
      .update({ state: 'failed', tries: 6, updated_at: new Date(Date.now() - 20 * 60_000) });
    await lectern
      .db('quiz_grade_posts')
      .where({ id: recent.id })
      .update({ state: 'failed', tries: 6 });
    const jobs = lectern.server.context.jobs;
    assert.ok(jobs);
    assert.equal(await sweepGradePosts(lectern.db, jobs), 1);
    const resent = await eventually(async () => {
      const row = await lectern.db('quiz_grade_posts').where({ id: old.id }).first();
      return row.state === 'posted' ? row : undefined;
    }, 'the swept grade posted');
    assert.equal(resent.tries, 7);
    const left = await lectern.db('quiz_grade_posts').where({ id: recent.id }).first();
    assert.equal(left.state, 'failed');
  });
});
