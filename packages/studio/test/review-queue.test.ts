/// <reference types="mocha" />
import { sendKeys } from '@web/test-runner-commands';
import { expectAccessible } from '@lectern/test-support/axe';
import {
  expectEqual,
  mount,
  nextEvent,
  part,
  parts,
  textOf,
  unmountAll,
  until,
} from '@lectern/test-support/dom';
import { addVideo, newTenant, signIn, type Person } from '@lectern/test-support/lectern';
import '../src/index.js';
import type { LecternReviewQueue, ReviewDecidedDetail } from '../src/index.js';

function mountQueue(person: Person, lang = 'en'): LecternReviewQueue {
  return mount<LecternReviewQueue>(
    `<lectern-review-queue lang="${lang}" base-url="${person.baseUrl}" token="${person.token}"></lectern-review-queue>`,
  );
}

function itemOf(queue: LecternReviewQueue, videoId: string): HTMLElement | undefined {
  return parts(queue, 'item').find((item) => item.dataset.videoId === videoId);
}

function button(item: HTMLElement | undefined, name: string): HTMLButtonElement {
  const found = item?.querySelector<HTMLButtonElement>(`[part="${name}"]`);
  if (!found) throw new Error(`No ${name} in the item.`);
  return found;
}

describe('<lectern-review-queue>', function () {
  this.timeout(20_000);
  afterEach(unmountAll);

  it('lets a critic approve a video: it leaves the queue and is published', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Forklift basics', state: 'in_review' });
    await addVideo({ tenant, title: 'Still waiting', state: 'in_review' });
    const critic = await signIn(['critic'], { tenant });
    const queue = mountQueue(critic);
    const item = await until(() => itemOf(queue, videoId), 'the video in the queue');
    await expectAccessible(queue);

    const decided = nextEvent<CustomEvent<ReviewDecidedDetail>>(queue, 'lectern-review-decided');
    button(item, 'approve-button').click();

    expectEqual((await decided).detail, { videoId, decision: 'approve' }, 'event detail');
    await until(() => !itemOf(queue, videoId), 'the video to leave the queue');
    expectEqual(textOf(part(queue, 'status')), '“Forklift basics” is approved.', 'status');
    expectEqual(parts(queue, 'item').length, 1, 'the other video stays');
    expectEqual((await critic.client.getVideo(videoId)).state, 'published', 'state on the server');
  });

  it('lets a critic reject a video only with a comment, which the server keeps', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Ladder safety', state: 'in_review' });
    const critic = await signIn(['critic'], { tenant });
    const queue = mountQueue(critic);
    const item = await until(() => itemOf(queue, videoId), 'the video in the queue');

    button(item, 'reject-button').click();
    const comment = await until(
      () => item.querySelector<HTMLTextAreaElement>('[part="comment"]'),
      'the comment field',
    );
    await until(
      () => queue.shadowRoot?.activeElement === comment,
      'the focus in the comment field',
    );
    expectEqual(button(item, 'reject-button').disabled, true, 'Reject disabled without a reason');
    await expectAccessible(queue);

    await sendKeys({ type: '   ' });
    expectEqual(button(item, 'reject-button').disabled, true, 'Reject disabled with blanks only');
    await sendKeys({ type: 'The audio is missing after 2:10.' });
    await until(() => !button(item, 'reject-button').disabled, 'Reject to be enabled');

    const decided = nextEvent<CustomEvent<ReviewDecidedDetail>>(queue, 'lectern-review-decided');
    button(item, 'reject-button').click();
    expectEqual((await decided).detail, { videoId, decision: 'reject' }, 'event detail');
    await until(() => part(queue, 'empty'), 'the empty queue');

    const video = await critic.client.getVideo(videoId);
    expectEqual(video.state, 'rejected', 'state on the server');
    expectEqual(video.reviews?.[0]?.comment, 'The audio is missing after 2:10.', 'comment kept');
  });

  it('says that someone else decided first when the video was decided meanwhile', async () => {
    const tenant = newTenant('studio');
    const { videoId } = await addVideo({ tenant, title: 'Hand hygiene', state: 'in_review' });
    const critic = await signIn(['critic'], { tenant });
    const otherCritic = await signIn(['critic'], { tenant });
    const queue = mountQueue(critic);
    const item = await until(() => itemOf(queue, videoId), 'the video in the queue');

    await otherCritic.client.reviewVideo(videoId, { decision: 'approve' });
    let decidedHere = false;
    queue.addEventListener('lectern-review-decided', () => (decidedHere = true));
    button(item, 'approve-button').click();

    await until(() => !itemOf(queue, videoId), 'the video to leave the queue');
    expectEqual(
      textOf(part(queue, 'status')),
      'Someone else decided on “Hand hygiene” first; it has left the queue.',
      'status',
    );
    expectEqual(decidedHere, false, 'no decision event for a decision this critic did not take');
  });

  it('tells a viewer that the queue is for critics, in German under lang="de"', async () => {
    const viewer = await signIn(['viewer'], { tenant: newTenant('studio') });

    const queue = mountQueue(viewer, 'de');
    const error = await until(() => part(queue, 'error'), 'the refusal');

    expectEqual(
      textOf(error),
      'Nur Prüferinnen und Prüfer (Rolle „critic“) sehen die Prüfliste.',
      'message',
    );
    expectEqual(part(queue, 'retry-button'), undefined, 'no retry for a refusal');
    await expectAccessible(queue);
  });
});
