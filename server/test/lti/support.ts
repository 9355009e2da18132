import assert from 'node:assert/strict';
import type { ToolResponse } from '../support/lti-platform.ts';
import type { TestLectern, TestTenant } from '../support/lectern.ts';
import { startTestPlatform, type TestPlatform } from '../support/lti-platform.ts';

/** A platform registered for the tenant through a one-time registration URL, as Moodle does. */
export async function registeredPlatform(
  lectern: TestLectern,
  tenant: TestTenant,
  options: Parameters<typeof startTestPlatform>[0] = {},
): Promise<TestPlatform> {
  const platform = await startTestPlatform(options);
  const admin = await lectern.signIn(tenant, ['admin']);
  const created = await lectern.request('POST', '/api/v1/lti/registrations', {
    token: admin.token,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const registered = await platform.register(created.body.url);
  assert.equal(registered.page.status, 200, registered.page.body);
  return platform;
}

/** The session token a launch page hands to its elements. */
export function sessionTokenOf(page: ToolResponse): string {
  const match = /const token = "([^"]+)";/.exec(page.body);
  assert.ok(match, `no session token in the launch page: ${page.body.slice(0, 400)}`);
  return match[1] as string;
}

/** The error code of an LTI refusal (JSON, like every other error answer). */
export function codeOf(answer: ToolResponse): string {
  try {
    return (JSON.parse(answer.body) as { error: { code: string } }).error.code;
  } catch {
    return `(no code: ${answer.status} ${answer.body.slice(0, 200)})`;
  }
}

/** What the teacher's choice in the picker became: the content item the LMS received. */
export interface LinkedItem {
  type: string;
  title?: string;
  custom?: Record<string, string>;
  lineItem?: { scoreMaximum: number; label: string; resourceId?: string };
}

/**
 * A teacher's deep-linking launch, their pick of a video or a quiz, and the signed answer
 * posted back to the platform, as the browser would carry it. Answers the picker page too.
 */
export async function deepLink(
  lectern: TestLectern,
  platform: TestPlatform,
  choice: { video: string } | { quiz: string },
): Promise<{ picker: ToolResponse; item: LinkedItem }> {
  const picker = await platform.launch({
    user: { id: '7', role: 'teacher' },
    messageType: 'LtiDeepLinkingRequest',
  });
  assert.equal(picker.status, 200, picker.body.slice(0, 300));
  const ticket = /name="ticket" value="([^"]+)"/.exec(picker.body)?.[1] as string;
  const chosen = await fetch(`${lectern.url}/lti/deep-link`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ticket, ...choice }),
  });
  const form = await chosen.text();
  assert.equal(chosen.status, 200, form);
  const action = /action="([^"]+)"/.exec(form)?.[1] as string;
  const message = /name="JWT" value="([^"]+)"/.exec(form)?.[1] as string;
  const returned = await fetch(action.replaceAll('&#38;', '&'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ JWT: message }),
  });
  assert.ok(returned.ok, await returned.text());
  const item = platform.deepLinkResponses.at(-1)?.contentItems[0] as LinkedItem | undefined;
  assert.ok(item, 'the platform received a content item');
  return { picker, item };
}
