import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { makeVideo } from '../support/videos.ts';
import { fireSafetyQuestions, makeQuiz, rightAnswers, takeQuiz } from './support.ts';

forEachDatabase('taking a quiz', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
  });
  after(() => lectern.stop());

  const learner = () => lectern.signIn(tenant, ['viewer']);
  const videoQuiz = async (settings: Record<string, unknown> = {}) => {
    const video = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    return makeQuiz(lectern, author.token, {
      title: 'Fire safety check',
      videoId: video.id,
      settings,
      questions: fireSafetyQuestions(),
    });
  };

  it('nothing a learner receives before submitting says which answer is right', async () => {
    const quiz = await videoQuiz({ attemptsAllowed: 2 });
    const { token } = await learner();
    const seen: string[] = [];
    const ask = async (method: string, path: string, body?: unknown) => {
      const answer = await lectern.request(method, path, { token, body });
      seen.push(JSON.stringify(answer.body));
      return answer;
    };

    const view = await ask('GET', `/api/v1/quizzes/${quiz.id}`);
    assert.equal(view.status, 200);
    assert.equal(view.body.questions.length, 4);
    assert.equal(view.body.maxScore, 5);
    await ask('GET', `/api/v1/quizzes?video=${quiz.videoId}`);
    const attempt = await ask('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {});
    for (const [index, question] of quiz.questions.entries()) {
      const saved = await ask(
        'PUT',
        `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}/answers/${question.id}`,
        { answer: rightAnswers[index] },
      );
      assert.equal(saved.status, 200);
    }
    await ask('GET', `/api/v1/quizzes/${quiz.id}`);

    const everything = seen.join('\n');
    assert.ok(!everything.includes('"answer"'), 'an answer key reached the learner');
    assert.ok(!/Car park North|Nordparkplatz/.test(everything), 'an accepted text leaked');
    assert.ok(!everything.includes('"choices":["o1","o3"]'), 'the right choices leaked');

    const result = await lectern.request(
      'POST',
      `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}/submit`,
      { token, body: {} },
    );
    assert.equal(result.status, 200);
    assert.equal(result.body.score, 5);
    assert.equal(result.body.percent, 100);
    assert.equal(result.body.passed, true);
    // After submitting, the right answers are shown (the quiz says so).
    assert.deepEqual(result.body.questions[3].answer, {
      accepted: ['Car park North', 'Nordparkplatz'],
    });
  });

  it('each type is graded on the server: partly right answers earn what they earn', async () => {
    const quiz = await videoQuiz({ passMark: 60 });
    const { token } = await learner();
    const { submitted } = await takeQuiz(lectern, token, quiz, [
      { choice: 'o1' }, // wrong
      { choices: ['o1'] }, // not the whole set
      { value: false }, // right
      { text: 'Nordparkplatz!' }, // right, 2 points
    ]);
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.score, 3);
    assert.equal(submitted.body.maxScore, 5);
    assert.equal(submitted.body.percent, 60);
    assert.equal(submitted.body.passed, true);
    assert.deepEqual(
      submitted.body.questions.map((question: { correct: boolean }) => question.correct),
      [false, false, true, true],
    );
  });

  it('a number is right within its tolerance, written with a comma or a point', async () => {
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Numbers',
      settings: { attemptsAllowed: null },
      questions: [
        {
          type: 'short_answer',
          prompt: 'How many metres to the exit?',
          answer: { number: 3.5, tolerance: 0.25 },
        },
      ],
    });
    const { token } = await learner();
    const outcomes: boolean[] = [];
    for (const text of ['3,5', '3.7', ' 3,75 ', '3.8', 'three']) {
      const { submitted } = await takeQuiz(lectern, token, quiz, [{ text }]);
      outcomes.push(submitted.body.questions[0].correct);
    }
    assert.deepEqual(outcomes, [true, true, true, false, false]);
  });

  it('answers to unknown questions, of the wrong shape, or with a forged score change nothing', async () => {
    const quiz = await videoQuiz();
    const { token } = await learner();
    const attempt = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
      token,
      body: {},
    });
    const base = `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}`;
    const first = quiz.questions[0]?.id;

    const unknown = await lectern.request('PUT', `${base}/answers/q_AAAAAAAAAAAA`, {
      token,
      body: { answer: { value: true } },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, 'quiz.unknown_question');

    const wrongShape = await lectern.request('PUT', `${base}/answers/${first}`, {
      token,
      body: { answer: { value: true } },
    });
    assert.equal(wrongShape.body.error.code, 'quiz.answer_invalid');
    const noOption = await lectern.request('PUT', `${base}/answers/${first}`, {
      token,
      body: { answer: { choice: 'o9' } },
    });
    assert.equal(noOption.body.error.code, 'quiz.answer_invalid');

    for (const forged of [
      { score: 5 },
      { answers: [], percent: 100 },
      { submittedAt: '2020-01-01T00:00:00Z' },
      { answers: [{ questionId: first, answer: { choice: 'o2' }, answeredAt: 3 }] },
    ]) {
      const answer = await lectern.request('POST', `${base}/submit`, { token, body: forged });
      assert.equal(answer.status, 400, JSON.stringify(forged));
      assert.equal(answer.body.error.code, 'request.invalid');
    }
    const mixed = await lectern.request('POST', `${base}/submit`, {
      token,
      body: {
        answers: [
          { questionId: first, answer: { choice: 'o2' } },
          { questionId: 'q_BBBBBBBBBBBB', answer: { value: true } },
        ],
      },
    });
    assert.equal(mixed.body.error.code, 'quiz.unknown_question');

    const row = await lectern.db('quiz_attempts').where({ id: attempt.body.id }).first();
    assert.equal(row.submitted_at, null);
    assert.deepEqual(typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers, {});
  });

  it('a double submission is refused and the first grade stands', async () => {
    const quiz = await videoQuiz({ attemptsAllowed: 3 });
    const { token } = await learner();
    const attempt = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
      token,
      body: {},
    });
    const submit = (answer: Record<string, unknown>) =>
      lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}/submit`, {
        token,
        body: { answers: [{ questionId: quiz.questions[0]?.id, answer }] },
      });
    // Two at once: one grades, the other is told the attempt is closed.
    const both = await Promise.all([submit({ choice: 'o2' }), submit({ choice: 'o2' })]);
    assert.deepEqual(both.map((answer) => answer.status).sort(), [200, 409]);
    const again = await submit({ choice: 'o1' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'quiz.attempt_closed');
    const late = await lectern.request(
      'PUT',
      `/api/v1/quizzes/${quiz.id}/attempts/${attempt.body.id}/answers/${quiz.questions[1]?.id}`,
      { token, body: { answer: { choices: ['o1'] } } },
    );
    assert.equal(late.body.error.code, 'quiz.attempt_closed');
    const view = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}`, { token });
    assert.equal(view.body.grade.score, 1);
    assert.equal(view.body.attempts.used, 1);
  });

  it('attempts beyond the limit are refused; the best or the last one counts', async () => {
    for (const [scorePolicy, expected] of [
      ['best', 5],
      ['last', 0],
    ] as const) {
      const quiz = await videoQuiz({ attemptsAllowed: 2, scorePolicy });
      const { token } = await learner();
      await takeQuiz(lectern, token, quiz, rightAnswers);
      const { submitted } = await takeQuiz(lectern, token, quiz, []);
      assert.equal(submitted.body.attemptsLeft, 0);
      assert.equal(submitted.body.grade.score, expected);

      const third = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
        token,
        body: {},
      });
      assert.equal(third.status, 409);
      assert.equal(third.body.error.code, 'quiz.attempts_exhausted');
      assert.equal((await lectern.db('quiz_attempts').where({ quiz_id: quiz.id })).length, 2);
    }
  });

  it('two tabs starting at once share one attempt; a reload resumes it with its answers', async () => {
    const quiz = await videoQuiz();
    const { token } = await learner();
    const started = await Promise.all(
      [1, 2].map(() =>
        lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, { token, body: {} }),
      ),
    );
    assert.equal(started[0]?.body.id, started[1]?.body.id);
    await lectern.request(
      'PUT',
      `/api/v1/quizzes/${quiz.id}/attempts/${started[0]?.body.id}/answers/${quiz.questions[2]?.id}`,
      { token, body: { answer: { value: true } } },
    );
    const view = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}`, { token });
    assert.equal(view.body.attempts.open.id, started[0]?.body.id);
    assert.deepEqual(view.body.attempts.open.answers, {
      [quiz.questions[2]?.id ?? '']: { value: true },
    });
  });

  it('a quiz on a video nobody has approved yet is not there for learners', async () => {
    const video = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'in_review',
    });
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Early',
      videoId: video.id,
      questions: fireSafetyQuestions(),
    });
    const { token } = await learner();
    const view = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}`, { token });
    assert.equal(view.status, 404);
    const start = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
      token,
      body: {},
    });
    assert.equal(start.status, 404);
    const owner = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}`, {
      token: author.token,
    });
    assert.equal(owner.status, 200);
  });
});
