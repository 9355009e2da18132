import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern } from '../support/lectern.ts';
import type { TestPlatform } from '../support/lti-platform.ts';
import { registeredPlatform } from './support.ts';

const student = { user: { id: '41', role: 'student' as const } };
const jsonString = (html: string, pattern: RegExp) => {
  const match = pattern.exec(html)?.[1];
  assert.ok(match, `not found: ${pattern} in ${html.slice(0, 300)}`);
  return JSON.parse(match) as string;
};

forEachDatabase(
  'LTI launches with the platform keeping the state (postMessage storage)',
  (openDatabase) => {
    let lectern: TestLectern;
    let platform: TestPlatform;

    before(async () => {
      lectern = await startTestLectern(await openDatabase());
      platform = await registeredPlatform(lectern, await lectern.createTenant());
    });
    after(async () => {
      await platform?.close();
      await lectern?.stop();
    });

    /** Runs a launch with `lti_storage_target` up to the launch page the browser's script would ask for. */
    async function launchWithoutCookie(storageTarget?: string) {
      const course = await (await fetch(platform.coursePage({ ...student, storageTarget }))).text();
      const login = jsonString(course, /src: ("[^"]+")/);

      const loginAnswer = await fetch(login, { redirect: 'manual' });
      const loginPage = await loginAnswer.text();
      const authorization = storageTarget
        ? jsonString(loginPage, /location\.replace\(("[^"]+")\)/)
        : (loginAnswer.headers.get('location') as string);
      const form = await (await fetch(authorization)).text();
      const field = (name: string) =>
        (new RegExp(`name="${name}" value="([^"]*)"`).exec(form)?.[1] ?? '').replaceAll(
          '&#x2F;',
          '/',
        );
      const state = new URL(authorization).searchParams.get('state') as string;
      const idToken = field('id_token');

      const launch = await fetch(`${lectern.url}/lti/launch`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ id_token: idToken, state }),
      });
      return { loginAnswer, loginPage, state, idToken, launch, launchPage: await launch.text() };
    }

    const confirm = (
      body: object,
      headers: Record<string, string> = { 'x-lectern-launch': 'storage' },
    ) =>
      fetch(`${lectern.url}/lti/launch/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA==';

    it('the login stores its state in the platform frame before it goes on to sign in', async () => {
      const { loginAnswer, loginPage, state } =
        await launchWithoutCookie('post_message_forwarding');
      assert.equal(loginAnswer.status, 200);
      assert.match(loginPage, /subject: 'lti\.put_data'/);
      assert.ok(
        loginPage.includes(JSON.stringify(`lectern_state_${state}`)),
        'the state is what is stored',
      );
      assert.ok(loginPage.includes(`"target":"post_message_forwarding"`));
      assert.ok(
        loginPage.includes(`"origin":"${platform.issuer}"`),
        'messages go to the platform only',
      );
    });

    it('without the cookie, the launch asks the platform frame, then confirms and gets the launch page', async () => {
      const { launch, launchPage, state, idToken } =
        await launchWithoutCookie('post_message_forwarding');
      assert.equal(launch.status, 200);
      assert.match(launchPage, /subject: 'lti\.get_data'/);

      const confirmed = await confirm({ id_token: idToken, state, script_nonce: nonce });
      const page = await confirmed.text();
      assert.equal(confirmed.status, 200, page.slice(0, 300));
      assert.match(page, /data-lectern-view="library"/);
      assert.match(page, new RegExp(`<script nonce="${nonce}">`), 'under the asking page’s nonce');

      const again = await confirm({ id_token: idToken, state, script_nonce: nonce });
      assert.equal(
        ((await again.json()) as { error: { code: string } }).error.code,
        'lti.state_invalid',
      );
    });

    it("a confirmation without Lectern's header (a form another site could post) is refused", async () => {
      const { state, idToken } = await launchWithoutCookie('post_message_forwarding');
      const forged = await confirm({ id_token: idToken, state, script_nonce: nonce }, {});
      assert.equal(forged.status, 400);
      assert.equal(
        ((await forged.json()) as { error: { code: string } }).error.code,
        'request.invalid',
      );
    });

    it('a login without a storage target cannot be confirmed that way', async () => {
      const { state, idToken, launchPage } = await launchWithoutCookie();
      assert.match(launchPage, /Open Lectern/, 'the new-window fallback');
      const confirmed = await confirm({ id_token: idToken, state, script_nonce: nonce });
      assert.equal(
        ((await confirmed.json()) as { error: { code: string } }).error.code,
        'lti.state_invalid',
      );
    });
  },
);
