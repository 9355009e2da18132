import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import { startTestPlatform, type TestPlatform } from '../support/lti-platform.ts';
import { makeVideo } from '../support/videos.ts';
import { codeOf, deepLink, registeredPlatform, sessionTokenOf } from './support.ts';

forEachDatabase('LTI launches from a Moodle-like platform', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let platform: TestPlatform;
  let videoId: string;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    platform = await registeredPlatform(lectern, tenant);
    const owner = await lectern.signIn(tenant, ['author']);
    videoId = (
      await makeVideo(lectern.db, {
        tenantId: tenant.id,
        ownerId: owner.user.id,
        state: 'published',
        title: 'Fire safety',
      })
    ).id;
  });
  after(async () => {
    await platform?.close();
    await lectern?.stop();
  });

  const me = async (token: string) =>
    (await lectern.request('GET', '/api/v1/session', { token })).body;

  it('dynamic registration binds the platform to the tenant; the URL works once', async () => {
    const admin = await lectern.signIn(tenant, ['admin']);
    const listed = await lectern.request('GET', '/api/v1/lti/platforms', { token: admin.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.platforms.map((each: { issuer: string }) => each.issuer),
      [platform.issuer],
    );
    assert.deepEqual(listed.body.platforms[0].deploymentIds, [platform.deploymentId]);

    const created = await lectern.request('POST', '/api/v1/lti/registrations', {
      token: admin.token,
    });
    const other = await startTestPlatform();
    try {
      assert.equal((await other.register(created.body.url)).page.status, 200);
      // The platform's register() throws when the tool refuses before registering.
      await assert.rejects(other.register(created.body.url), /lti\.registration_invalid/);
    } finally {
      await other.close();
    }
  });

  it('a student launch of a linked video shows the player, signed in as a viewer', async () => {
    const page = await platform.launch({
      user: { id: '41', role: 'student', name: 'Erika Muster', email: 'erika@example.org' },
      custom: { video: videoId },
      // Lectern's registration does not ask for the e-mail; a platform that sends it anyway.
      tamper: (claims) => {
        claims.email = 'erika@example.org';
      },
    });
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.match(page.body, new RegExp(`<lectern-player [^>]*video="${videoId}"`));
    assert.equal(page.headers.get('cache-control'), 'no-store');

    const session = await me(sessionTokenOf(page));
    assert.deepEqual(session.user.roles, ['viewer']);
    const video = await lectern.request('GET', `/api/v1/videos/${videoId}`, {
      token: sessionTokenOf(page),
    });
    assert.equal(video.status, 200);

    // The name is kept for trainers' quiz results; the e-mail, even when sent, is not.
    const users = await lectern.db('users').where({ tenant_id: tenant.id, source: 'lti' });
    assert.deepEqual(
      users.map((user) => user.display_name),
      ['Erika Muster'],
    );
    assert.ok(!JSON.stringify(users).includes('erika@'), 'no e-mail is kept');
  });

  it('a teacher gets what the role mapping grants: author and trainer, library and uploader', async () => {
    const page = await platform.launch({ user: { id: '7', role: 'teacher' } });
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.match(page.body, /<lectern-uploader /);
    assert.match(page.body, /<lectern-library /);
    assert.deepEqual((await me(sessionTokenOf(page))).user.roles, ['author', 'trainer']);
  });

  it('a Moodle site admin is a Lectern admin', async () => {
    const page = await platform.launch({ user: { id: '2', role: 'site-admin' } });
    assert.equal(page.status, 200, page.body.slice(0, 300));
    assert.ok((await me(sessionTokenOf(page))).user.roles.includes('admin'));
  });

  it('a launch after the platform rotated its key verifies with the new key', async () => {
    platform.rotateKey();
    const page = await platform.launch({ user: { id: '41', role: 'student' } });
    assert.equal(page.status, 200, page.body.slice(0, 300));
  });

  it('without the state cookie (an iframe without third-party cookies) the login moves to a window of its own', async () => {
    const prepared = await platform.prepareLaunch({ user: { id: '41', role: 'student' } });
    const page = await prepared.submit({ cookies: false });
    assert.equal(page.status, 200);
    const link = /<a href="([^"]+)" target="_blank"/.exec(page.body)?.[1]?.replaceAll('&#38;', '&');
    assert.ok(link, page.body);
    const again = new URL(link);
    assert.equal(again.pathname, '/lti/login');
    assert.equal(again.searchParams.get('iss'), platform.issuer);
    assert.equal(again.searchParams.get('login_hint'), '41');

    const reused = await prepared.submit();
    assert.equal(codeOf(reused), 'lti.state_invalid', 'the frame’s sign-in cannot be used later');
  });

  it('a teacher deep-links a published video; a student launching the link gets its player', async () => {
    const { picker, item } = await deepLink(lectern, platform, { video: videoId });
    assert.match(picker.body, /Fire safety/);
    assert.equal(item?.type, 'ltiResourceLink');
    assert.deepEqual(item?.custom, { video: videoId });

    const page = await platform.launch({
      user: { id: '41', role: 'student' },
      custom: item?.custom as Record<string, string>,
    });
    assert.match(page.body, new RegExp(`<lectern-player [^>]*video="${videoId}"`));
  });

  it("a teacher may link their own new upload while it waits for review, not someone else's", async () => {
    const picker = await platform.launch({
      user: { id: '7', role: 'teacher' },
      messageType: 'LtiDeepLinkingRequest',
    });
    assert.match(picker.body, /<lectern-uploader /, 'teachers may upload from the picker');
    const ticket = /name="ticket" value="([^"]+)"/.exec(picker.body)?.[1] as string;
    const teacher = await lectern
      .db('users')
      .where({ external_id: `${platform.issuer} 7` })
      .first();
    const stranger = await lectern.signIn(tenant, ['author']);
    const draft = (ownerId: string) =>
      makeVideo(lectern.db, { tenantId: tenant.id, ownerId, state: 'in_review', title: 'Draft' });
    const link = (video: string) =>
      fetch(`${lectern.url}/lti/deep-link`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ticket, video }),
      });

    assert.equal((await link((await draft(teacher.id)).id)).status, 200);
    const foreign = await link((await draft(stranger.user.id)).id);
    assert.equal(foreign.status, 404);
  });

  it('a deep-link ticket that was altered is refused', async () => {
    const chosen = await fetch(`${lectern.url}/lti/deep-link`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ticket: 'e30.e30.x', video: videoId }),
    });
    assert.equal(chosen.status, 400);
    assert.equal(
      ((await chosen.json()) as { error: { code: string } }).error.code,
      'lti.deep_link_expired',
    );
  });
});
