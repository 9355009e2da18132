/// <reference types="mocha" />
import { LecternApiError, LecternClient, type Role, type VideoState } from '../src/index.js';

// The fixture in web-test-runner.config.mjs: a real server, a tenant per test, videos on demand.

async function fixture<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  if (!response.ok) throw new Error(`The fixture answered ${response.status}.`);
  return response.json() as Promise<T>;
}

async function signIn(tenant: string, roles: Role[], subject?: string): Promise<LecternClient> {
  const query = new URLSearchParams({ tenant, roles: roles.join(',') });
  if (subject) query.set('subject', subject);
  const { baseUrl, embedToken } = await fixture<{ baseUrl: string; embedToken: string }>(
    `/__lectern/fixture?${query}`,
  );
  const session = await new LecternClient({ baseUrl }).createSession(embedToken);
  return new LecternClient({ baseUrl, token: session.token });
}

async function addVideo(tenant: string, title: string, state: VideoState, ownerSubject = 'author') {
  return fixture<{ videoId: string }>('/__lectern/videos', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant, title, state, ownerSubject }),
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<LecternApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LecternApiError) return error;
    throw error;
  }
  throw new Error('Expected the request to be refused, but it succeeded.');
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const newTenant = () => `sdk-${crypto.randomUUID().slice(0, 8)}`;

describe('LecternClient: library, review and settings', function () {
  this.timeout(20_000);

  it('lists what a viewer may see, a page at a time, and filters by state and owner', async () => {
    const tenant = newTenant();
    await addVideo(tenant, 'One', 'published');
    await addVideo(tenant, 'Two', 'published');
    await addVideo(tenant, 'Hidden', 'in_review');
    await addVideo(tenant, 'Mine', 'uploading', 'viewer-with-videos');
    const viewer = await signIn(tenant, ['viewer'], 'viewer-with-videos');

    const first = await viewer.listVideos({ limit: 2 });
    expectEqual(first.videos.length, 2, 'first page');
    expectEqual(typeof first.next, 'string', 'a cursor for more');
    const rest = await viewer.listVideos({ limit: 2, before: first.next as string });
    const titles = [...first.videos, ...rest.videos].map((video) => video.title).toSorted();
    expectEqual(titles, ['Mine', 'One', 'Two'], 'everything a viewer sees, and nothing in review');

    const mine = await viewer.listVideos({ mine: true });
    expectEqual(
      [mine.videos.map((video) => video.title), mine.videos[0]?.mine],
      [['Mine'], true],
      'mine',
    );
    const uploading = await viewer.listVideos({ state: 'uploading' });
    expectEqual(
      uploading.videos.map((video) => video.state),
      ['uploading'],
      'state filter',
    );
  });

  it('lets an owner edit a video and resubmit it after a critic rejected it', async () => {
    const tenant = newTenant();
    const { videoId } = await addVideo(tenant, 'Draft', 'in_review', 'owner');
    const critic = await signIn(tenant, ['critic']);
    const owner = await signIn(tenant, ['author'], 'owner');

    const queue = await critic.getReviewQueue();
    expectEqual(
      queue.videos.map((video) => video.id),
      [videoId],
      'the queue',
    );
    const refused = await rejectionOf(
      critic.reviewVideo(videoId, { decision: 'reject', comment: ' ' }),
    );
    expectEqual([refused.status, refused.code], [400, 'review.comment_required'], 'no reason');
    const rejected = await critic.reviewVideo(videoId, {
      decision: 'reject',
      comment: 'Too dark.',
    });
    expectEqual(rejected.state, 'rejected', 'after rejection');

    const details = await owner.getVideo(videoId);
    expectEqual(
      details.reviews?.map((review) => [review.decision, review.comment]),
      [['rejected', 'Too dark.']],
      'reviews',
    );
    const edited = await owner.updateVideo(videoId, { title: 'Brighter', description: 'Relit.' });
    expectEqual([edited.title, edited.description], ['Brighter', 'Relit.'], 'edited');
    expectEqual((await owner.resubmitVideo(videoId)).state, 'in_review', 'resubmitted');

    const again = await rejectionOf(owner.resubmitVideo(videoId));
    expectEqual([again.status, again.code], [409, 'video.wrong_state'], 'resubmit twice');

    await owner.deleteVideo(videoId);
    const gone = await rejectionOf(owner.getVideo(videoId));
    expectEqual([gone.status, gone.code], [404, 'resource.not_found'], 'deleted');
  });

  it('refuses a critic their own video, and a viewer the queue', async () => {
    const tenant = newTenant();
    const { videoId } = await addVideo(tenant, 'Own work', 'in_review', 'critic-author');
    const criticAuthor = await signIn(tenant, ['critic', 'author'], 'critic-author');
    const viewer = await signIn(tenant, ['viewer']);

    expectEqual((await criticAuthor.getReviewQueue()).videos, [], 'not in their own queue');
    const own = await rejectionOf(criticAuthor.reviewVideo(videoId, { decision: 'approve' }));
    expectEqual([own.status, own.code], [403, 'permission.denied'], 'own video');
    const queue = await rejectionOf(viewer.getReviewQueue());
    expectEqual([queue.status, queue.code], [403, 'permission.denied'], "viewer's queue");
    const hidden = await rejectionOf(viewer.getVideo(videoId));
    expectEqual([hidden.status, hidden.code], [404, 'resource.not_found'], 'video in review');
  });

  it('lets an admin read and change the tenant settings, part by part', async () => {
    const admin = await signIn(newTenant(), ['admin']);

    const settings = await admin.getTenantSettings();
    expectEqual(settings.review.required, true, 'review required by default');
    const changed = await admin.updateTenantSettings({ review: { required: false } });
    expectEqual(changed.review.required, false, 'review changed');
    expectEqual(changed.upload, settings.upload, 'upload left as it was');
  });
});
