import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser, ElementHandle, Frame } from 'puppeteer-core';
import { makePlayableVideo } from '../server/test/media/playback/support.ts';
import { forEachDatabase } from '../server/test/support/databases.ts';
import {
  startTestLectern,
  type TestLectern,
  type TestTenant,
} from '../server/test/support/lectern.ts';
import type { TestPlatform } from '../server/test/support/lti-platform.ts';
import { registeredPlatform } from '../server/test/lti/support.ts';
import { launchChromium } from './browser.ts';
import { frameAt } from './frames.ts';

// The LMS on its own site, so that Lectern runs in a third-party frame as inside Moodle.
const lmsHost = '127.0.0.2';

forEachDatabase('an in-video quiz launched from the LMS', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let platform: TestPlatform;
  let browser: Browser;

  before(async () => {
    lectern = await startTestLectern(await openDatabase(), {}, { jobs: 'queue-and-workers' });
    tenant = await lectern.createTenant();
    platform = await registeredPlatform(lectern, tenant, { host: lmsHost });
    browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
  });
  after(async () => {
    await browser?.close();
    await platform?.close();
    await lectern?.stop();
  });

  it('the player pauses at the question, the learner answers, and the score reaches the gradebook and the trainer', async () => {
    const author = await lectern.signIn(tenant, ['author']);
    const { video } = await makePlayableVideo(lectern, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    const quiz = await lectern.request('POST', '/api/v1/quizzes', {
      token: author.token,
      body: {
        title: 'Fire safety check',
        videoId: video.id,
        settings: { blockSeeking: true },
        questions: [
          {
            type: 'single_choice',
            prompt: 'Which extinguisher is for electrical fires?',
            atSeconds: 1,
            options: [{ text: 'Water' }, { text: 'Carbon dioxide' }],
            answer: { choice: 'o2' },
            points: 2,
          },
        ],
      },
    });
    assert.equal(quiz.status, 201, JSON.stringify(quiz.body));
    // As Moodle places a deep-linked quiz: the custom parameter and a gradebook column.
    const resourceLink = {
      id: 'rl-fire-quiz',
      lineItem: { label: 'Fire safety check', scoreMaximum: 2 },
    };
    const custom = { quiz: quiz.body.id as string };

    const learnerPage = await browser.newPage();
    await learnerPage.goto(
      platform.coursePage({
        user: { id: '41', role: 'student', name: 'Erika Muster' },
        resourceLink,
        custom,
      }),
    );
    const frame = await frameAt(learnerPage, '/lti/launch');
    await frame.waitForFunction(
      () =>
        (document.querySelector('lectern-player') as unknown as { state?: string })?.state ===
        'ready',
      { timeout: 30_000 },
    );
    await frame.waitForFunction(
      () => document.querySelector('lectern-quiz')?.shadowRoot?.querySelector('[part="progress"]'),
      { timeout: 30_000 },
    );

    // The learner watches; the player stops by itself at the question.
    await frame.evaluate(async () => {
      const player = document.querySelector('lectern-player') as unknown as {
        muted: boolean;
        play(): Promise<void>;
      };
      player.muted = true;
      await player.play();
    });
    await frame.waitForFunction(
      () => document.querySelector('lectern-quiz')?.shadowRoot?.querySelector('[part="question"]'),
      { timeout: 30_000 },
    );
    const stopped = await frame.evaluate(() => {
      const player = document.querySelector('lectern-player') as unknown as {
        media: HTMLVideoElement;
      };
      return { paused: player.media.paused, at: player.media.currentTime };
    });
    assert.equal(stopped.paused, true, 'the video waits for the answer');
    assert.ok(stopped.at >= 0.9 && stopped.at < 2, `paused at ${stopped.at} s`);

    // Seeking past the question is pulled back while it is unanswered.
    await frame.evaluate(() => {
      const player = document.querySelector('lectern-player') as unknown as {
        media: HTMLVideoElement;
      };
      player.media.currentTime = 3.5;
    });
    await frame.waitForFunction(
      () =>
        (document.querySelector('lectern-player') as unknown as { media: HTMLVideoElement }).media
          .currentTime < 1.5,
      { timeout: 10_000 },
    );

    await clickOption(frame, 'Carbon dioxide');
    await (
      await quizPart(frame, 'continue-button')
    ).evaluate((button) => {
      (button as HTMLButtonElement).click();
    });
    await frame
      .waitForFunction(
        () => document.querySelector('lectern-quiz')?.shadowRoot?.querySelector('[part="result"]'),
        { timeout: 30_000 },
      )
      .catch(async (error) => {
        const text = await frame.evaluate(() => {
          const root = document.querySelector('lectern-quiz')?.shadowRoot;
          const media = (
            document.querySelector('lectern-player') as unknown as { media: HTMLVideoElement }
          ).media;
          return `${root?.textContent} | t=${media.currentTime} paused=${media.paused} ended=${media.ended}`;
        });
        throw new Error(`${error} :: ${text}`);
      });
    const score = await (await quizPart(frame, 'score')).evaluate((node) => node.textContent);
    assert.match(score ?? '', /2 of 2/);

    // The grade goes to the course's gradebook column by a job.
    const column = platform
      .lineItems('course-2')
      .find((item) => item.resourceLinkId === resourceLink.id);
    assert.ok(column, 'the gradebook column');
    const posted = await eventually(() =>
      platform.scores(column.id).find((entry) => String(entry.userId) === '41'),
    );
    assert.equal(posted.scoreGiven, 2);
    assert.equal(posted.scoreMaximum, 2);

    // The teacher opens the same activity and sees the learner's result, by name.
    const trainerPage = await browser.newPage();
    await trainerPage.goto(
      platform.coursePage({ user: { id: '7', role: 'teacher' }, resourceLink, custom }),
    );
    const trainerFrame = await frameAt(trainerPage, '/lti/launch');
    await trainerFrame.waitForFunction(
      () =>
        document
          .querySelector('lectern-quiz-results')
          ?.shadowRoot?.querySelector('[part="participant"]'),
      { timeout: 30_000 },
    );
    const row = await trainerFrame.evaluate(
      () =>
        document
          .querySelector('lectern-quiz-results')
          ?.shadowRoot?.querySelector('[part="participant"]')?.textContent ?? '',
    );
    assert.match(row, /Erika Muster/);
    assert.match(row, /2/);
    // The launch page asked the LMS to fit the frame to it (lti.frameResize).
    await trainerPage.waitForFunction(
      () => Number(document.querySelector<HTMLIFrameElement>('#contentframe')?.height) > 600,
      { timeout: 10_000 },
    );
    await learnerPage.close();
    await trainerPage.close();
  });
});

async function quizPart(frame: Frame, part: string): Promise<ElementHandle<Element>> {
  const handle = await frame.waitForFunction(
    (name) =>
      document.querySelector('lectern-quiz')?.shadowRoot?.querySelector(`[part~="${name}"]`),
    { timeout: 10_000 },
    part,
  );
  return handle as ElementHandle<Element>;
}

async function clickOption(frame: Frame, text: string): Promise<void> {
  const handle = await frame.waitForFunction(
    (label) =>
      [
        ...(document
          .querySelector('lectern-quiz')
          ?.shadowRoot?.querySelectorAll('[part="option"]') ?? []),
      ].find((option) => option.textContent?.includes(label)),
    { timeout: 10_000 },
    text,
  );
  // A click as the page sees it: puppeteer's mouse does not reach into this third-party frame.
  await (handle as ElementHandle<Element>).evaluate((option) => {
    option.querySelector('input')?.click();
  });
}

async function eventually<T>(check: () => T | undefined): Promise<T> {
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    const found = check();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('timed out waiting for the gradebook');
}
