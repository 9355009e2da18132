import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { makeVideo } from '../support/videos.ts';

forEachDatabase('review and the library', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let author: { token: string; user: { id: string } };
  let critic: { token: string; user: { id: string } };
  let secondCritic: { token: string; user: { id: string } };
  let viewer: { token: string; user: { id: string } };
  let admin: { token: string; user: { id: string } };

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    author = await lectern.signIn(tenant, ['author']);
    critic = await lectern.signIn(tenant, ['critic']);
    secondCritic = await lectern.signIn(tenant, ['critic']);
    viewer = await lectern.signIn(tenant, ['viewer']);
    admin = await lectern.signIn(tenant, ['admin']);
  });
  after(() => lectern.stop());

  const inReview = (ownerId = author.user.id) =>
    makeVideo(lectern.db, { tenantId: tenant.id, ownerId, state: 'in_review' });
  const listedFor = async (token: string) =>
    (
      (await lectern.request('GET', '/api/v1/videos', { token })).body.videos as { id: string }[]
    ).map((video) => video.id);

  it('a viewer sees a video only once a critic has approved it', async () => {
    const video = await inReview();
    assert.ok(!(await listedFor(viewer.token)).includes(video.id));
    assert.equal(
      (await lectern.request('GET', `/api/v1/videos/${video.id}`, { token: viewer.token })).status,
      404,
    );

    const queue = await lectern.request('GET', '/api/v1/review-queue', { token: critic.token });
    assert.ok(queue.body.videos.some((queued: { id: string }) => queued.id === video.id));

    const approved = await lectern.request('POST', `/api/v1/videos/${video.id}/review`, {
      token: critic.token,
      body: { decision: 'approve' },
    });
    assert.equal(approved.status, 200);
    assert.equal(approved.body.state, 'published');
    assert.ok((await listedFor(viewer.token)).includes(video.id));
  });

  it('a critic cannot approve their own video, and does not find it in their queue', async () => {
    const authorCritic = await lectern.signIn(tenant, ['author', 'critic']);
    const own = await inReview(authorCritic.user.id);
    const queue = await lectern.request('GET', '/api/v1/review-queue', {
      token: authorCritic.token,
    });
    assert.ok(!queue.body.videos.some((queued: { id: string }) => queued.id === own.id));

    const answer = await lectern.request('POST', `/api/v1/videos/${own.id}/review`, {
      token: authorCritic.token,
      body: { decision: 'approve' },
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, 'permission.denied');
    const still = await lectern.request('GET', `/api/v1/videos/${own.id}`, { token: admin.token });
    assert.equal(still.body.state, 'in_review');
  });

  it('a rejection needs a reason, reaches the author, and the author can resubmit', async () => {
    const video = await inReview();
    const silent = await lectern.request('POST', `/api/v1/videos/${video.id}/review`, {
      token: critic.token,
      body: { decision: 'reject', comment: '   ' },
    });
    assert.equal(silent.status, 400);
    assert.equal(silent.body.error.code, 'review.comment_required');

    await lectern.request('POST', `/api/v1/videos/${video.id}/review`, {
      token: critic.token,
      body: { decision: 'reject', comment: 'The audio drops out at 2:10.' },
    });
    const seen = await lectern.request('GET', `/api/v1/videos/${video.id}`, {
      token: author.token,
    });
    assert.equal(seen.body.state, 'rejected');
    assert.equal(seen.body.reviews[0].comment, 'The audio drops out at 2:10.');
    assert.equal(seen.body.reviews[0].reviewerId, critic.user.id);

    const again = await lectern.request('POST', `/api/v1/videos/${video.id}/resubmit`, {
      token: author.token,
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.state, 'in_review');
  });

  it('two critics deciding at once: one decision stands, the other is told the state moved', async () => {
    const video = await inReview();
    const answers = await Promise.all(
      [critic, secondCritic].map((who, index) =>
        lectern.request('POST', `/api/v1/videos/${video.id}/review`, {
          token: who.token,
          body: index === 0 ? { decision: 'approve' } : { decision: 'reject', comment: 'No.' },
        }),
      ),
    );
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [200, 409]);
    const reviews = await lectern.db('reviews').where({ video_id: video.id });
    assert.equal(reviews.length, 1);
  });

  it('a decision on a video that is not waiting for review is refused without a change', async () => {
    const published = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    const answer = await lectern.request('POST', `/api/v1/videos/${published.id}/review`, {
      token: critic.token,
      body: { decision: 'reject', comment: 'Too late.' },
    });
    assert.equal(answer.status, 409);
    assert.equal(answer.body.error.code, 'video.wrong_state');
    assert.equal(
      (await lectern.db('videos').where({ id: published.id }).first()).state,
      'published',
    );
  });

  it('when the tenant turns review off, a resubmitted video is published at once', async () => {
    const video = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'rejected',
    });
    const off = await lectern.request('PATCH', '/api/v1/tenant/settings', {
      token: admin.token,
      body: { review: { required: false } },
    });
    assert.equal(off.body.review.required, false);
    const answer = await lectern.request('POST', `/api/v1/videos/${video.id}/resubmit`, {
      token: author.token,
    });
    assert.equal(answer.body.state, 'published');
    await lectern.request('PATCH', '/api/v1/tenant/settings', {
      token: admin.token,
      body: { review: { required: true } },
    });
  });

  it('authors edit their own videos only; bad details are refused', async () => {
    const mine = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: author.user.id,
      state: 'published',
    });
    const theirs = await makeVideo(lectern.db, {
      tenantId: tenant.id,
      ownerId: critic.user.id,
      state: 'published',
    });
    const edited = await lectern.request('PATCH', `/api/v1/videos/${mine.id}`, {
      token: author.token,
      body: { title: '  Evacuation routes  ', description: 'Where to go when the alarm sounds.' },
    });
    assert.equal(edited.body.title, 'Evacuation routes');
    const other = await lectern.request('PATCH', `/api/v1/videos/${theirs.id}`, {
      token: author.token,
      body: { title: 'Mine now' },
    });
    assert.equal(other.status, 403);
    for (const body of [
      {},
      { title: '' },
      { title: 'x'.repeat(201) },
      { title: 'ok', owner: 'me' },
    ]) {
      const answer = await lectern.request('PATCH', `/api/v1/videos/${mine.id}`, {
        token: author.token,
        body,
      });
      assert.equal(answer.status, 400, JSON.stringify(body));
    }
  });

  it('paging lists every video once, even videos made in the same instant', async () => {
    const lister = await lectern.signIn(tenant, ['author']);
    const made = [];
    for (let index = 0; index < 5; index += 1) {
      made.push(
        await makeVideo(lectern.db, {
          tenantId: tenant.id,
          ownerId: lister.user.id,
          state: 'published',
        }),
      );
    }
    await lectern
      .db('videos')
      .whereIn(
        'id',
        made.slice(1, 4).map((video) => video.id),
      )
      .update({ created_at: new Date('2026-01-01T00:00:00Z') });
    const seen: string[] = [];
    let before: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const query: string = `/api/v1/videos?mine=true&limit=2${before ? `&before=${before}` : ''}`;
      const answer = await lectern.request('GET', query, { token: lister.token });
      assert.equal(answer.status, 200);
      seen.push(...answer.body.videos.map((video: { id: string }) => video.id));
      before = answer.body.next;
      if (!before) break;
    }
    assert.deepEqual([...seen].sort(), made.map((video) => video.id).sort());
  });

  it('an admin sees every state; the audit log records each change by id', async () => {
    const video = await inReview();
    assert.ok((await listedFor(admin.token)).includes(video.id));
    await lectern.request('POST', `/api/v1/videos/${video.id}/review`, {
      token: critic.token,
      body: { decision: 'approve' },
    });
    const entries = await lectern
      .db('audit_log')
      .where({ subject_id: video.id, action: 'video.state' });
    assert.equal(entries.length, 1);
    assert.equal(entries[0].actor, `user:${critic.user.id}`);
    assert.deepEqual(entries[0].details, { from: 'in_review', to: 'published' });
  });
});
