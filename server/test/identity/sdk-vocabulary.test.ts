import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as sdk from '../../../packages/sdk/src/roles.ts';
import { permissions, roles } from '../../src/identity/policy.ts';

it('the SDK names the same roles and permissions as the server, in the same order', () => {
  assert.deepEqual([...sdk.roles], [...roles]);
  assert.deepEqual([...sdk.permissions], [...permissions]);
});
