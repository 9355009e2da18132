import assert from 'node:assert/strict';
import type { ToolResponse } from '../support/lti-platform.ts';
import type { TestLectern, TestTenant } from '../support/lectern.ts';
import { startTestPlatform, type TestPlatform } from '../support/lti-platform.ts';

/** A platform registered for the tenant through a one-time registration URL, as Moodle does. */
export async function registeredPlatform(
  lectern: TestLectern,
  tenant: TestTenant,
): Promise<TestPlatform> {
  const platform = await startTestPlatform();
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
