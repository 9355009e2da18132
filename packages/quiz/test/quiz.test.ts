/// <reference types="mocha" />
import { sendKeys } from '@web/test-runner-commands';
import { expectAccessible } from '@lectern/test-support/axe';
import {
  expectEqual,
  nextEvent,
  part,
  parts,
  textOf,
  unmountAll,
  until,
} from '@lectern/test-support/dom';
import { newTenant, signIn } from '@lectern/test-support/lectern';
import '../src/index.js';
import { secretWord, standaloneQuiz } from './support/standalone-quiz.js';
import {
  answerField,
  button,
  choose,
  mountQuiz,
  questionsOf,
  recordApiAnswers,
} from './support/quiz-page.js';

type Submitted = CustomEvent<{ score: number; maxScore: number; percent: number; passed: boolean }>;

async function typeAnswer(field: HTMLInputElement, text: string): Promise<void> {
  field.focus();
  await sendKeys({ type: text });
  // Leaving the field settles the answer, which saves it.
  await sendKeys({ press: 'Tab' });
}

describe('<lectern-quiz> on its own', function () {
  this.timeout(20_000);
  afterEach(unmountAll);

  it('lets a learner answer every question and shows the score, the verdict and the answers', async () => {
    const tenant = newTenant('quiz');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz(standaloneQuiz({ passMark: 60 }));
    const learner = await signIn(['viewer'], { tenant });

    const quiz = mountQuiz(learner, id);
    const [exit, bring, doors, meet] = await questionsOf(quiz, 4);
    expectEqual(textOf(part(quiz, 'title')), 'Fire safety check', 'title');
    expectEqual(exit?.tagName, 'FIELDSET', 'a question is a fieldset');
    expectEqual(
      textOf(exit?.querySelector('legend') ?? undefined),
      'Question 1 of 4 Which exit do you take?',
      'legend',
    );
    await expectAccessible(quiz);

    choose(exit, 'North stairs');
    choose(bring, 'Nothing but yourself');
    choose(doors, 'True');
    await typeAnswer(answerField(meet), ' sammelplatz. ');

    const submitted = nextEvent<Submitted>(quiz, 'lectern-quiz-submitted');
    button(quiz, 'submit-button').click();
    const { detail } = await submitted;

    expectEqual(detail, { score: 2, maxScore: 4, percent: 50, passed: false }, 'event detail');
    await until(() => part(quiz, 'result'), 'the result');
    expectEqual(textOf(part(quiz, 'score')), '2 of 4 points (50 %)', 'score');
    expectEqual(textOf(part(quiz, 'verdict')), 'Not passed', 'verdict');
    expectEqual(
      parts(quiz, 'correct-answer').map(textOf),
      [
        'Correct answer: North stairs',
        'Correct answer: Nothing but yourself, A colleague who needs help',
        'Correct answer: False',
        `Correct answer: ${secretWord}`,
      ],
      'correct answers',
    );
    expectEqual(textOf(part(quiz, 'attempts-left')), 'No attempts are left.', 'attempts');
    expectEqual(part(quiz, 'retry-button'), undefined, 'no second try with one attempt');
    expectEqual(quiz.shadowRoot?.activeElement, part(quiz, 'result'), 'focus on the result');
    await expectAccessible(quiz);
  });

  it('never lets a learner see a correct answer before submitting, in the page or the network', async () => {
    const tenant = newTenant('quiz');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz(standaloneQuiz());
    const learner = await signIn(['viewer'], { tenant });
    const network = recordApiAnswers();

    try {
      const quiz = mountQuiz(learner, id);
      const [exit, , , meet] = await questionsOf(quiz, 4);
      const saved = nextEvent(quiz, 'lectern-quiz-answer');
      choose(exit, 'The lift');
      await saved;
      const savedText = nextEvent(quiz, 'lectern-quiz-answer');
      await typeAnswer(answerField(meet), 'car park');
      await savedText;

      const page = quiz.shadowRoot?.innerHTML ?? '';
      expectEqual(page.includes(secretWord), false, 'the accepted answer in the page');
      expectEqual(network.bodies.length >= 3, true, `API answers seen (${network.bodies.length})`);
      for (const body of network.bodies) {
        expectEqual(body.includes(secretWord), false, `the accepted answer in ${body}`);
        expectEqual(/"(answer|accepted|correct)"/.test(body), false, `an answer key in ${body}`);
      }
    } finally {
      network.stop();
    }
  });

  it('resumes an open attempt after a reload: answers given stay given', async () => {
    const tenant = newTenant('quiz');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz(standaloneQuiz());
    const learner = await signIn(['viewer'], { tenant });

    const first = mountQuiz(learner, id);
    const [exit] = await questionsOf(first, 4);
    const saved = nextEvent(first, 'lectern-quiz-answer');
    choose(exit, 'North stairs');
    await saved;
    unmountAll();

    const again = mountQuiz(learner, id);
    const [exitAgain] = await questionsOf(again, 4);
    const checked = [...(exitAgain?.querySelectorAll<HTMLInputElement>('input') ?? [])].filter(
      (input) => input.checked,
    );
    expectEqual(checked.length, 1, 'one choice made');
    expectEqual(textOf(checked[0]?.closest('label') ?? undefined), 'North stairs', 'the choice');
  });

  it('asks for the open questions before submitting, and moves the focus to the first', async () => {
    const tenant = newTenant('quiz');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz(standaloneQuiz());
    const learner = await signIn(['viewer'], { tenant });

    const quiz = mountQuiz(learner, id);
    const [exit, bring] = await questionsOf(quiz, 4);
    choose(exit, 'North stairs');
    button(quiz, 'submit-button').click();

    await until(
      () => textOf(part(quiz, 'status')) === 'Answer every question first: 3 still open.',
      'the notice',
    );
    expectEqual(quiz.shadowRoot?.activeElement, bring, 'focus on the first open question');
    expectEqual(part(quiz, 'result'), undefined, 'nothing submitted');
  });

  it('offers another try while attempts remain, in German under lang="de"', async () => {
    const tenant = newTenant('quiz');
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz(standaloneQuiz({ attemptsAllowed: 2 }));
    const learner = await signIn(['viewer'], { tenant });

    const quiz = mountQuiz(learner, id, 'de');
    const [exit, bring, doors, meet] = await questionsOf(quiz, 4);
    expectEqual(textOf(button(quiz, 'submit-button')), 'Antworten abgeben', 'German button');
    choose(exit, 'North stairs');
    choose(bring, 'Nothing but yourself');
    choose(bring, 'A colleague who needs help');
    choose(doors, 'Falsch');
    await typeAnswer(answerField(meet), secretWord);
    button(quiz, 'submit-button').click();

    await until(() => part(quiz, 'result'), 'the result');
    expectEqual(textOf(part(quiz, 'score')), '4 von 4 Punkten (100 %)', 'score');
    expectEqual(textOf(part(quiz, 'verdict')), 'Bestanden', 'verdict');
    expectEqual(textOf(part(quiz, 'attempts-left')), 'Verbleibende Versuche: 1', 'attempts');
    await expectAccessible(quiz);

    button(quiz, 'retry-button').click();
    const fresh = await questionsOf(quiz, 4);
    const chosen = fresh.flatMap((question) =>
      [...question.querySelectorAll<HTMLInputElement>('input')].filter((input) => input.checked),
    );
    expectEqual(chosen.length, 0, 'a fresh attempt starts empty');
  });

  it('says so when the quiz does not exist for the learner', async () => {
    const learner = await signIn(['viewer'], { tenant: newTenant('quiz') });
    const quiz = mountQuiz(learner, crypto.randomUUID());
    const failed = nextEvent<CustomEvent<{ code: string }>>(quiz, 'lectern-quiz-error');
    expectEqual((await failed).detail.code, 'resource.not_found', 'code');
    await until(() => part(quiz, 'error'), 'the alert');
    expectEqual(part(quiz, 'error')?.getAttribute('role'), 'alert', 'an alert');
    await expectAccessible(quiz);
  });
});
