/// <reference types="mocha" />
import type { LecternClient } from '@lectern/sdk';
import { expectAccessible } from '@lectern/test-support/axe';
import {
  expectEqual,
  mount,
  part,
  parts,
  textOf,
  unmountAll,
  until,
} from '@lectern/test-support/dom';
import { newTenant, signIn, type Person } from '@lectern/test-support/lectern';
import '../src/index.js';
import type { LecternQuizResults } from '../src/index.js';
import { secretWord, standaloneQuiz } from './support/standalone-quiz.js';

function mountResults(person: Person, quizId: string, lang = 'en'): LecternQuizResults {
  return mount<LecternQuizResults>(
    `<lectern-quiz-results lang="${lang}" base-url="${person.baseUrl}" token="${person.token}" quiz="${quizId}"></lectern-quiz-results>`,
  );
}

/** A learner takes the quiz through the API, getting the first `right` questions right. */
async function take(client: LecternClient, quizId: string, right: number): Promise<void> {
  const quiz = await client.getQuiz(quizId);
  const attempt = await client.startAttempt(quizId);
  const good = [
    { choice: 'o1' },
    { choices: ['o1', 'o3'] },
    { value: false },
    { text: secretWord },
  ];
  const bad = [{ choice: 'o2' }, { choices: ['o2'] }, { value: true }, { text: 'no idea' }];
  const answers = quiz.questions.map((question, index) => ({
    questionId: question.id,
    answer: (index < right ? good : bad)[index] ?? { text: '' },
  }));
  await client.submitAttempt(quizId, attempt.id, { answers });
}

function rows(results: LecternQuizResults, table: string): string[][] {
  const found = part(results, table);
  return [...(found?.querySelectorAll('tbody tr') ?? [])].map((row) =>
    [...row.children].map((cell) => textOf(cell)),
  );
}

describe('<lectern-quiz-results>', function () {
  this.timeout(20_000);
  afterEach(unmountAll);

  it('shows a trainer every participant, the question statistics, and downloads the CSV', async () => {
    const tenant = newTenant('quiz');
    const trainer = await signIn(['trainer'], { tenant });
    const { id } = await trainer.client.createQuiz(standaloneQuiz({ passMark: 50 }));
    await take((await signIn(['viewer'], { tenant, subject: 'ada.lovelace' })).client, id, 4);
    await take((await signIn(['viewer'], { tenant, subject: 'grace.hopper' })).client, id, 1);

    const results = mountResults(trainer, id);
    await until(() => parts(results, 'participant').length === 2, 'two participants');
    expectEqual(textOf(part(results, 'title')), 'Fire safety check', 'title');
    expectEqual(
      rows(results, 'participants'),
      [
        ['ada.lovelace', '1', 'Yes', '4 of 4 points (100 %)', 'Yes', 'Not sent to an LMS'],
        ['grace.hopper', '1', 'Yes', '1 of 4 points (25 %)', 'No', 'Not sent to an LMS'],
      ],
      'participants',
    );
    expectEqual(
      rows(results, 'questions').map((row) => row.slice(1)),
      [
        ['2', '2', '100%'],
        ['2', '1', '50%'],
        ['2', '1', '50%'],
        ['2', '1', '50%'],
      ],
      'answered, correct and rate per question',
    );
    expectEqual(part(results, 'anonymous-note'), undefined, 'no anonymity note');
    await expectAccessible(results);

    // The download goes through an object URL; catch the link the element clicks.
    const clicked: { name: string; href: string }[] = [];
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push({ name: this.download, href: this.href });
    };
    try {
      (part(results, 'download-button') as HTMLButtonElement).click();
      await until(() => clicked.length === 1, 'the download');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expectEqual(clicked[0]?.name, 'Fire safety check.csv', 'file name');
    expectEqual(clicked[0]?.href.startsWith('blob:'), true, 'an object URL');
    expectEqual(
      textOf(part(results, 'status')),
      'The CSV file “Fire safety check.csv” was downloaded.',
      'status',
    );
  });

  it('the CSV file holds the participants as the table does', async () => {
    const tenant = newTenant('quiz');
    const trainer = await signIn(['trainer'], { tenant });
    const { id } = await trainer.client.createQuiz(standaloneQuiz());
    await take((await signIn(['viewer'], { tenant, subject: 'ada.lovelace' })).client, id, 3);

    const results = mountResults(trainer, id);
    await until(() => parts(results, 'participant').length === 1, 'the participant');
    let blob: Blob | undefined;
    const create = URL.createObjectURL;
    const click = HTMLAnchorElement.prototype.click;
    URL.createObjectURL = (object: Blob | MediaSource) => {
      blob = object as Blob;
      return create(object);
    };
    HTMLAnchorElement.prototype.click = () => undefined;
    try {
      (part(results, 'download-button') as HTMLButtonElement).click();
      await until(() => blob, 'the CSV blob');
    } finally {
      URL.createObjectURL = create;
      HTMLAnchorElement.prototype.click = click;
    }
    if (!blob) throw new Error('No CSV came.');
    const text = await blob.text();
    expectEqual(blob?.type, 'text/csv;charset=utf-8', 'type');
    expectEqual(
      text.split('\r\n')[0]?.replace('\ufeff', '').split(',')[0],
      'participant',
      'header',
    );
    expectEqual(text.includes('ada.lovelace,1,true,3,4,75,true'), true, `the row in ${text}`);
  });

  it('tells a viewer, in the server’s words, that results are not theirs to see', async () => {
    const tenant = newTenant('quiz');
    const trainer = await signIn(['trainer'], { tenant });
    const { id } = await trainer.client.createQuiz(standaloneQuiz());
    const viewer = await signIn(['viewer'], { tenant });
    const refusal = await viewer.client.getQuizResults(id).then(
      () => undefined,
      (error: Error) => error.message,
    );

    const results = mountResults(viewer, id);
    const error = await until(() => part(results, 'error'), 'the refusal');
    expectEqual(typeof refusal, 'string', 'the API refuses a viewer');
    expectEqual(textOf(part(results, 'error-message')), refusal, 'the server’s sentence');
    expectEqual(error.getAttribute('role'), 'alert', 'an alert');
    expectEqual(part(results, 'participants'), undefined, 'no table');
    expectEqual(part(results, 'reload-button'), undefined, 'no retry for a refusal');
    await expectAccessible(results);
  });

  it('says that an anonymous quiz shows pseudonyms, and shows no names or LMS column', async () => {
    const tenant = newTenant('quiz');
    const trainer = await signIn(['trainer'], { tenant });
    const { id } = await trainer.client.createQuiz(standaloneQuiz({ anonymous: true }));
    await take((await signIn(['viewer'], { tenant, subject: 'ada.lovelace' })).client, id, 2);

    const results = mountResults(trainer, id, 'de');
    await until(() => parts(results, 'participant').length === 1, 'the participant');
    expectEqual(
      textOf(part(results, 'anonymous-note')).startsWith('Dieses Quiz ist anonym'),
      true,
      'the note, in German',
    );
    const [row] = rows(results, 'participants');
    expectEqual(row?.length, 5, 'no LMS column');
    expectEqual((row?.[0] ?? '').includes('ada'), false, `a pseudonym, not a name: ${row?.[0]}`);
    expectEqual(part(results, 'sync'), undefined, 'no grade sync');
    await expectAccessible(results);
  });
});
