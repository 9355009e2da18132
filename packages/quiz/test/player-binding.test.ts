/// <reference types="mocha" />
import '@lectern/player';
import type { LecternPlayer } from '@lectern/player';
import { expectAccessible } from '@lectern/test-support/axe';
import { expectEqual, nextEvent, part, textOf, unmountAll, until } from '@lectern/test-support/dom';
import { addVideo, newTenant, signIn, type Person } from '@lectern/test-support/lectern';
import '../src/index.js';
import type { LecternQuiz } from '../src/index.js';
import { button, choose } from './support/quiz-page.js';

/**
 * The player plays the dev server's 12-second encrypted test stream (the playback stand-in of
 * web-test-runner.config.mjs); the quiz is a real one, on a real video of the real server.
 */
const playbackBaseUrl = `${location.origin}/__lectern/playback-fixture`;

function mountLesson(
  learner: Person,
  quizId: string,
): { player: LecternPlayer; quiz: LecternQuiz } {
  const container = document.createElement('div');
  container.lang = 'en';
  container.innerHTML = `
    <lectern-player id="lesson" base-url="${playbackBaseUrl}" video="fixture-video" token="stand-in" muted></lectern-player>
    <lectern-quiz for="lesson" base-url="${learner.baseUrl}" token="${learner.token}" quiz="${quizId}"></lectern-quiz>`;
  document.body.append(container);
  const player = container.querySelector('lectern-player') as LecternPlayer;
  const quiz = container.querySelector('lectern-quiz') as LecternQuiz;
  return { player, quiz };
}

describe('<lectern-quiz> bound to a <lectern-player>', function () {
  this.timeout(30_000);
  afterEach(() => {
    unmountAll();
    for (const player of document.querySelectorAll('lectern-player'))
      player.parentElement?.remove();
  });

  it('stops the video at each question, plays on after the answer, and keeps seeks before open questions', async () => {
    const tenant = newTenant('quiz');
    const { videoId } = await addVideo({ tenant, title: 'Evacuation drill', state: 'published' });
    const author = await signIn(['author'], { tenant });
    const { id } = await author.client.createQuiz({
      title: 'Drill check',
      videoId,
      settings: { blockSeeking: true },
      questions: [
        {
          type: 'true_false',
          prompt: 'The alarm is a continuous tone.',
          atSeconds: 1.5,
          answer: { value: true },
        },
        {
          type: 'single_choice',
          prompt: 'Where do you go?',
          atSeconds: 3,
          options: [
            { id: 'o1', text: 'Assembly point' },
            { id: 'o2', text: 'Car park' },
          ],
          answer: { choice: 'o1' },
        },
      ],
    });
    const learner = await signIn(['viewer'], { tenant });
    const { player, quiz } = mountLesson(learner, id);
    await until(() => player.state === 'ready', 'the player to be ready');
    await until(
      () => textOf(part(quiz, 'progress')) === 'The video stops for 2 questions as it plays.',
      'the quiz to be ready',
    );

    const asked = nextEvent<CustomEvent<{ questionId: string }>>(
      quiz,
      'lectern-quiz-question',
      8000,
    );
    await player.play();
    const first = (await asked).detail.questionId;
    const media = player.media as HTMLVideoElement;
    await until(() => media.paused, 'the video to pause');
    expectEqual(
      media.currentTime >= 1.5 && media.currentTime < 2.5,
      true,
      `paused at ${media.currentTime}`,
    );
    const question = await until(() => part(quiz, 'question'), 'the question');
    expectEqual(question.dataset.questionId, first, 'the question shown');
    await until(() => quiz.shadowRoot?.activeElement === question, 'focus on the question');
    expectEqual(
      textOf(part(quiz, 'status')),
      'The video is paused for question 1: The alarm is a continuous tone.',
      'announcement',
    );
    await expectAccessible(quiz);

    const saved = nextEvent<CustomEvent<{ questionId: string }>>(quiz, 'lectern-quiz-answer');
    choose(question, 'True');
    button(quiz, 'continue-button').click();
    expectEqual((await saved).detail.questionId, first, 'answer event');
    await until(() => !media.paused, 'the video to play on');
    expectEqual(part(quiz, 'question'), undefined, 'the question is gone');

    // A jump past the open second question lands just before it.
    player.currentTime = 9;
    await until(() => media.currentTime < 3, 'the seek to be pulled back');
    expectEqual(
      textOf(part(quiz, 'status')),
      'Answer the question at 0:03 before moving further into the video.',
      'why the seek went back',
    );

    const second = await until(() => part(quiz, 'question'), 'the second question', 8000);
    expectEqual(media.paused, true, 'paused for the second question');
    choose(second, 'Car park');
    const submitted = nextEvent<CustomEvent<{ score: number; passed: boolean }>>(
      quiz,
      'lectern-quiz-submitted',
    );
    button(quiz, 'continue-button').click();
    expectEqual((await submitted).detail.score, 1, 'score');
    await until(() => part(quiz, 'result'), 'the result');
    expectEqual(textOf(part(quiz, 'score')), '1 of 2 points (50 %)', 'score shown');
    await expectAccessible(quiz);
  });
});
