import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { LecternError } from '../../src/http/errors.ts';
import {
  findResourceLink,
  postScore,
  readRoster,
  type ResourceLink,
} from '../../src/lti/course-services.ts';
import { forEachDatabase } from '../support/databases.ts';
import { startTestLectern, type TestLectern, type TestTenant } from '../support/lectern.ts';
import type { TestPlatform } from '../support/lti-platform.ts';
import { registeredPlatform } from './support.ts';

const completed = {
  scoreGiven: 8,
  scoreMaximum: 10,
  activityProgress: 'Completed',
  gradingProgress: 'FullyGraded',
} as const;

forEachDatabase('LTI grade and roster services', (openDatabase) => {
  let lectern: TestLectern;
  let tenant: TestTenant;
  let platform: TestPlatform;

  before(async () => {
    lectern = await startTestLectern(await openDatabase());
    tenant = await lectern.createTenant();
    platform = await registeredPlatform(lectern, tenant);
  });
  after(async () => {
    await platform?.close();
    await lectern?.stop();
  });

  /** The placement a launch through `resourceLinkId` left behind. */
  async function placement(resourceLinkId: string): Promise<ResourceLink> {
    const row = await lectern
      .db('lti_resource_links')
      .where({ resource_link_id: resourceLinkId })
      .first();
    const link = row && (await findResourceLink(lectern.db, tenant.id, row.id));
    assert.ok(link, `no placement for ${resourceLinkId}`);
    return link;
  }

  it("a learner's score reaches the placement's gradebook column in the LMS", async () => {
    const page = await platform.launch({
      user: { id: '41', role: 'student' },
      resourceLink: { id: 'rl-quiz', lineItem: { label: 'Fire safety quiz', scoreMaximum: 10 } },
    });
    assert.equal(page.status, 200, page.body.slice(0, 300));

    await postScore(lectern.server.context, await placement('rl-quiz'), '41', completed);

    const [column] = platform
      .lineItems('course-2')
      .filter((item) => item.label === 'Fire safety quiz');
    assert.ok(column, 'the line item exists');
    const [score] = platform.scores(column.id);
    assert.equal(score?.userId, '41');
    assert.equal(score?.scoreGiven, 8);
    assert.equal(score?.activityProgress, 'Completed');
  });

  it('a placement without a gradebook column is refused with lti.no_grade_service', async () => {
    await platform.launch({
      user: { id: '41', role: 'student' },
      resourceLink: { id: 'rl-plain' },
    });
    await assert.rejects(
      postScore(lectern.server.context, await placement('rl-plain'), '41', completed),
      (error: LecternError) => error.code === 'lti.no_grade_service',
    );
  });

  it("the roster lists the course's members by platform id and role, without names", async () => {
    platform.setMembers('course-2', [
      { id: '41', role: 'student', name: 'Erika Muster', email: 'erika@example.org' },
      { id: '43', role: 'student', name: 'Max Probe' },
      { id: '7', role: 'teacher' },
    ]);
    const roster = await readRoster(lectern.server.context, await placement('rl-quiz'));
    assert.deepEqual(roster.map((member) => member.userId).sort(), ['41', '43', '7']);
    assert.ok(!JSON.stringify(roster).includes('Erika'), 'no names are passed on');
    assert.ok(
      roster
        .find((member) => member.userId === '7')
        ?.roles.some((role) => role.includes('Instructor')),
    );
  });

  it('a refused score (a teacher cannot be graded) is lti.service_failed, with nothing leaked', async () => {
    await assert.rejects(
      postScore(lectern.server.context, await placement('rl-quiz'), '7', completed),
      (error: LecternError) =>
        error.code === 'lti.service_failed' && !/http|token/i.test(error.message),
    );
  });
});
