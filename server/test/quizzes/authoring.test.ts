import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { makeVideo } from '../support/videos.ts';
import { fireSafetyQuestions, makeQuiz, rightAnswers, takeQuiz } from './support.ts';

forEachDatabase('quiz authoring', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };
  let otherAuthor: { token: string; user: { id: string } };
  let learner: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
    otherAuthor = await lectern.signIn(tenant, ['author']);
    learner = await lectern.signIn(tenant, ['viewer']);
  });
  after(() => lectern.stop());

  const published = () =>
    makeVideo(lectern.db, { tenantId: tenant.id, ownerId: author.user.id, state: 'published' });

  it('an author places questions on a video; ids are given, and the timeline orders them', async () => {
    const video = await published();
    const questions = fireSafetyQuestions().reverse();
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Fire safety check',
      videoId: video.id,
      settings: { attemptsAllowed: 2, passMark: 60 },
      questions,
    });

    const definition = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/definition`, {
      token: author.token,
    });
    assert.equal(definition.status, 200);
    const stored = definition.body.questions as {
      id: string;
      atSeconds: number;
      options?: { id: string }[];
    }[];
    assert.deepEqual(
      stored.map((question) => question.atSeconds),
      [2, 4, 6, 8],
    );
    assert.ok(stored.every((question) => /^q_/.test(question.id)));
    assert.deepEqual(
      stored[0]?.options?.map((option) => option.id),
      ['o1', 'o2', 'o3'],
    );
    assert.deepEqual(definition.body.settings, {
      attemptsAllowed: 2,
      scorePolicy: 'best',
      passMark: 60,
      blockSeeking: false,
      showCorrectAnswers: true,
      anonymous: false,
    });

    const listed = await lectern.request('GET', `/api/v1/quizzes?video=${video.id}`, {
      token: learner.token,
    });
    assert.deepEqual(
      listed.body.quizzes.map((summary: { id: string }) => summary.id),
      [quiz.id],
    );
  });

  it('a video has one quiz; a second is refused', async () => {
    const video = await published();
    await makeQuiz(lectern, author.token, { title: 'One', videoId: video.id });
    const second = await lectern.request('POST', '/api/v1/quizzes', {
      token: author.token,
      body: { title: 'Two', videoId: video.id },
    });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'quiz.exists');
  });

  it('questions that do not fit are refused with the field named, and nothing is stored', async () => {
    const video = await published();
    const cases: [unknown, string][] = [
      [
        [
          {
            type: 'single_choice',
            prompt: 'P',
            atSeconds: 1,
            options: [{ text: 'a' }, { text: 'b' }],
            answer: { choice: 'o7' },
          },
        ],
        'questions.0.answer.choice',
      ],
      [[{ type: 'true_false', prompt: 'P', answer: { value: true } }], 'questions.0.atSeconds'],
      [
        [
          {
            type: 'true_false',
            prompt: 'P',
            atSeconds: 1,
            id: 'q_AAAAAAAAAAAA',
            answer: { value: true },
          },
        ],
        'questions.0.id',
      ],
      [
        [
          {
            type: 'multiple_choice',
            prompt: 'P',
            atSeconds: 1,
            options: [{ text: 'a' }, { text: 'b' }],
            answer: { choices: ['o1', 'o1'] },
          },
        ],
        'questions.0.answer.choices',
      ],
    ];
    for (const [questions, path] of cases) {
      const answer = await lectern.request('POST', '/api/v1/quizzes', {
        token: author.token,
        body: { title: 'Bad', videoId: video.id, questions },
      });
      assert.equal(answer.status, 400, JSON.stringify(questions));
      assert.equal(answer.body.error.code, 'quiz.invalid');
      assert.equal(answer.body.error.details[0].path, path);
    }
    const schema = await lectern.request('POST', '/api/v1/quizzes', {
      token: author.token,
      body: { title: 'Bad', questions: [{ type: 'essay', prompt: 'P' }] },
    });
    assert.equal(schema.status, 400);
    assert.equal(schema.body.error.code, 'request.invalid');
    const standalone = await lectern.request('POST', '/api/v1/quizzes', {
      token: author.token,
      body: {
        title: 'Standalone',
        questions: [{ type: 'true_false', prompt: 'P', atSeconds: 3, answer: { value: true } }],
      },
    });
    assert.equal(standalone.body.error.details[0].path, 'questions.0.atSeconds');
    assert.equal(await lectern.db('quizzes').where({ video_id: video.id }).first(), undefined);
  });

  it('authors change their own quizzes only; viewers change none', async () => {
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Mine',
      questions: fireSafetyQuestions(false),
    });
    for (const token of [otherAuthor.token, learner.token]) {
      const put = await lectern.request('PUT', `/api/v1/quizzes/${quiz.id}`, {
        token,
        body: { title: 'Taken over', questions: [] },
      });
      assert.equal(put.status, 403);
      const read = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/definition`, { token });
      assert.equal(read.status, 403);
    }
    const renamed = await lectern.request('PUT', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
      body: { title: 'Renamed', questions: quiz.questions },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.title, 'Renamed');
  });

  it('once someone has started, the questions stay; settings may still change', async () => {
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Locked',
      settings: { attemptsAllowed: null },
      questions: fireSafetyQuestions(false),
    });
    await takeQuiz(lectern, learner.token, quiz, rightAnswers);

    const changed = structuredClone(quiz.questions) as unknown as { prompt: string }[];
    (changed[0] as { prompt: string }).prompt = 'Reworded';
    const refused = await lectern.request('PUT', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
      body: { title: 'Locked', questions: changed },
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'quiz.locked');

    const settings = await lectern.request('PUT', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
      body: { title: 'Locked', settings: { passMark: 80 }, questions: quiz.questions },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    assert.equal(settings.body.settings.passMark, 80);
    assert.equal(settings.body.attemptCount, 1);
  });

  it('deleting a quiz takes its attempts with it', async () => {
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Gone',
      settings: { attemptsAllowed: null },
      questions: fireSafetyQuestions(false),
    });
    await takeQuiz(lectern, learner.token, quiz, rightAnswers);
    const removed = await lectern.request('DELETE', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
    });
    assert.equal(removed.status, 204);
    assert.equal(await lectern.db('quiz_attempts').where({ quiz_id: quiz.id }).first(), undefined);
    const after = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}`, {
      token: learner.token,
    });
    assert.equal(after.status, 404);
  });
});
