import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { fireSafetyQuestions, makeQuiz } from './support.ts';

/** Bodies a careless or hostile client sends to the quiz routes. */
const hostileBodies: unknown[] = [
  null,
  [],
  'a string',
  1e308,
  // Parsed, so that `__proto__` is a key of the body rather than its prototype.
  JSON.parse('{"__proto__":{"answer":{"value":true}},"answer":{"value":true}}'),
  { constructor: { prototype: { score: 100 } } },
  { answer: null },
  { answer: { choice: { $gt: '' } } },
  { answer: { choices: 'o1' } },
  { answer: { choices: Array.from({ length: 500 }, () => 'o1') } },
  { answer: { text: 'x'.repeat(100_000) } },
  { answer: { text: '\u0000' } },
  { answer: { value: 'true' } },
  { answer: { choice: 'o1', value: true } },
  { answers: 'all' },
  { answers: [null] },
  { answers: [{ questionId: '__proto__', answer: { value: true } }] },
  { answers: [{ questionId: 'constructor', answer: { choice: 'o1' } }] },
  { answers: Array.from({ length: 101 }, () => ({ questionId: 'q', answer: { value: true } })) },
  { title: '', questions: 'none' },
  { title: 'T', questions: [{ type: 'single_choice', prompt: 'P', options: [], answer: {} }] },
  { title: 'T', questions: [{ type: 'short_answer', prompt: 'P', answer: { number: 'NaN' } }] },
  { title: 'T', settings: { attemptsAllowed: -1, passMark: 1000 } },
  { title: 'T', questions: Array.from({ length: 101 }, () => ({ type: 'true_false' })) },
  { title: 'T', videoId: 'not-a-uuid' },
  { title: 'T', videoId: '00000000-0000-4000-8000-000000000000' },
];

forEachDatabase('hostile input to quizzes', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
  });
  after(() => lectern.stop());

  it('no body or path a client sends makes a quiz route answer 5xx, or changes an attempt', async () => {
    const author = await lectern.signIn(tenant, ['author']);
    const learner = await lectern.signIn(tenant, ['viewer']);
    const quiz = await makeQuiz(lectern, author.token, {
      title: 'Fire safety check',
      settings: { attemptsAllowed: null },
      questions: fireSafetyQuestions(false),
    });
    const attempt = await lectern.request('POST', `/api/v1/quizzes/${quiz.id}/attempts`, {
      token: learner.token,
      body: {},
    });
    const base = `/api/v1/quizzes/${quiz.id}`;
    const routes: [string, string, string][] = [
      ['POST', '/api/v1/quizzes', author.token],
      ['PUT', base, author.token],
      [
        'PUT',
        `${base}/attempts/${attempt.body.id}/answers/${quiz.questions[0]?.id}`,
        learner.token,
      ],
      ['PUT', `${base}/attempts/${attempt.body.id}/answers/%E0%A4%A`, learner.token],
      ['PUT', `${base}/attempts/${attempt.body.id}/answers/__proto__`, learner.token],
      ['POST', `${base}/attempts/${attempt.body.id}/submit`, learner.token],
      ['POST', `${base}/attempts/not-an-id/submit`, learner.token],
      ['POST', `/api/v1/quizzes/${'9'.repeat(64)}/attempts`, learner.token],
    ];

    const failures: string[] = [];
    for (const body of hostileBodies) {
      for (const [method, path, token] of routes) {
        const answer = await lectern.request(method, path, { token, body });
        if (answer.status >= 500) failures.push(`${method} ${path} ${JSON.stringify(body)}`);
        else if (answer.status >= 400) assert.equal(typeof answer.body?.error?.code, 'string');
      }
    }
    assert.deepEqual(failures, []);

    // Not one of them was an answer or a submission the attempt took.
    const row = await lectern.db('quiz_attempts').where({ id: attempt.body.id }).first();
    assert.equal(row.submitted_at, null);
    assert.deepEqual(typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers, {});
    const definition = await lectern.request('GET', `${base}/definition`, { token: author.token });
    assert.equal(definition.body.title, 'Fire safety check');
    assert.equal(definition.body.questions.length, 4);
  });
});
