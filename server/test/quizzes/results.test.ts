import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { fireSafetyQuestions, makeQuiz, rightAnswers, takeQuiz } from './support.ts';

forEachDatabase('quiz results', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };
  let trainer: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
    trainer = await lectern.signIn(tenant, ['trainer']);
  });
  after(() => lectern.stop());

  const people = [
    { sub: 'emp-4711', name: 'Grete Mustermann' },
    { sub: 'emp-4712', name: 'Hans Beispiel' },
    { sub: 'emp-4713', name: 'Aylin Yılmaz' },
  ];
  const standaloneQuiz = (settings: Record<string, unknown>) =>
    makeQuiz(lectern, author.token, {
      title: 'Fire safety check',
      settings,
      questions: fireSafetyQuestions(false),
    });
  /** Each person takes the quiz; the first gets everything right, the others less. */
  const takenByEveryone = async (quiz: Awaited<ReturnType<typeof standaloneQuiz>>) => {
    const ids: string[] = [];
    for (const [index, person] of people.entries()) {
      const learner = await lectern.signIn(tenant, ['viewer'], person.sub, { name: person.name });
      ids.push(learner.user.id);
      await takeQuiz(lectern, learner.token, quiz, rightAnswers.slice(0, 4 - index));
    }
    return ids;
  };

  it('a trainer sees each participant by name, their grade, and how each question went', async () => {
    const quiz = await standaloneQuiz({ attemptsAllowed: 1, passMark: 60 });
    await takenByEveryone(quiz);

    const results = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results`, {
      token: trainer.token,
    });
    assert.equal(results.status, 200);
    assert.equal(results.headers.get('cache-control'), 'no-store');
    const byName = Object.fromEntries(
      results.body.participants.map((row: { participant: string }) => [row.participant, row]),
    );
    assert.deepEqual(Object.keys(byName).sort(), people.map((person) => person.name).sort());
    assert.equal(byName['Grete Mustermann'].grade.score, 5);
    assert.equal(byName['Grete Mustermann'].grade.passed, true);
    assert.equal(byName['Aylin Yılmaz'].grade.score, 2);
    assert.equal(byName['Aylin Yılmaz'].grade.passed, false);
    assert.equal(byName['Hans Beispiel'].gradeSync.state, 'none');
    assert.deepEqual(
      results.body.questions.map((question: { answered: number; correct: number }) => [
        question.answered,
        question.correct,
      ]),
      [
        [3, 3],
        [3, 3],
        [2, 2],
        [1, 1],
      ],
    );

    const csv = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results.csv`, {
      token: trainer.token,
    });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = (csv.body as string).trim().split('\r\n');
    assert.equal(
      lines[0],
      'participant,attempts,completed,score,max_score,percent,passed,last_submitted_at,grade_sync',
    );
    assert.ok(lines.some((line) => line.startsWith('Grete Mustermann,1,true,5,5,100,true,')));
  });

  it('in an anonymous quiz no name, e-mail or id reaches the results or the CSV', async () => {
    const quiz = await standaloneQuiz({ attemptsAllowed: 1, anonymous: true });
    const ids = await takenByEveryone(quiz);

    const results = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results`, {
      token: trainer.token,
    });
    const csv = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results.csv`, {
      token: trainer.token,
    });
    assert.equal(results.body.participants.length, 3);
    for (const text of [JSON.stringify(results.body), csv.body as string]) {
      for (const person of people) {
        for (const needle of [person.name, person.sub, ...person.name.split(' ')]) {
          assert.ok(!text.includes(needle), `"${needle}" appears in anonymous results`);
        }
      }
      for (const id of ids) assert.ok(!text.includes(id), 'a user id appears');
      assert.ok(!text.includes('@'), 'something like an e-mail appears');
      assert.ok(!/\d{4}-\d\d-\d\dT/.test(text), 'a time of day appears');
    }
    for (const row of results.body.participants) {
      assert.match(row.participant, /^P-[2-9A-Z]{6}$/);
      assert.deepEqual(Object.keys(row).sort(), ['attempts', 'completed', 'grade', 'participant']);
    }
    // The database keeps no link either: the participants' rows name no user.
    const rows = await lectern.db('quiz_participants').where({ quiz_id: quiz.id });
    assert.ok(rows.every((row) => row.user_id === null));
  });

  it('anonymity cannot be switched off once someone has taken the quiz; switching it on forgets names', async () => {
    const anonymous = await standaloneQuiz({ attemptsAllowed: 1, anonymous: true });
    await takenByEveryone(anonymous);
    const off = await lectern.request('PUT', `/api/v1/quizzes/${anonymous.id}`, {
      token: author.token,
      body: { title: 'Fire', settings: { anonymous: false }, questions: anonymous.questions },
    });
    assert.equal(off.status, 409);
    assert.equal(off.body.error.code, 'quiz.anonymity_locked');
    const still = await lectern.request('GET', `/api/v1/quizzes/${anonymous.id}/results`, {
      token: trainer.token,
    });
    assert.equal(still.body.quiz.anonymous, true);

    const named = await standaloneQuiz({ attemptsAllowed: 1 });
    await takenByEveryone(named);
    const on = await lectern.request('PUT', `/api/v1/quizzes/${named.id}`, {
      token: author.token,
      body: { title: 'Fire', settings: { anonymous: true }, questions: named.questions },
    });
    assert.equal(on.status, 200);
    const results = await lectern.request('GET', `/api/v1/quizzes/${named.id}/results`, {
      token: trainer.token,
    });
    assert.ok(!JSON.stringify(results.body).includes('Grete'));
    assert.ok(
      (await lectern.db('quiz_participants').where({ quiz_id: named.id })).every(
        (row) => row.user_id === null,
      ),
    );
  });

  it('results are for trainers alone: authors, critics, viewers, admins and other tenants get 403', async () => {
    const quiz = await standaloneQuiz({});
    const other = await lectern.createTenant();
    const refused = [
      author,
      await lectern.signIn(tenant, ['critic']),
      await lectern.signIn(tenant, ['viewer']),
      await lectern.signIn(tenant, ['admin']),
      await lectern.signIn(other, ['trainer']),
    ];
    for (const person of refused) {
      for (const path of ['results', 'results.csv']) {
        const answer = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/${path}`, {
          token: person.token,
        });
        assert.equal(answer.status, 403, path);
        assert.equal(answer.body.error?.code ?? 'permission.denied', 'permission.denied');
      }
    }
  });

  it('a name that looks like a spreadsheet formula is written as text', async () => {
    const quiz = await standaloneQuiz({});
    const learner = await lectern.signIn(tenant, ['viewer'], 'emp-x', {
      name: '=HYPERLINK("http://evil.example","x")',
    });
    await takeQuiz(lectern, learner.token, quiz, rightAnswers);
    const csv = await lectern.request('GET', `/api/v1/quizzes/${quiz.id}/results.csv`, {
      token: trainer.token,
    });
    assert.ok((csv.body as string).includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`));
  });
});
