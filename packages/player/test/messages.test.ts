/// <reference types="mocha" />
import { itKeepsCatalogsAlike } from '@lectern/test-support/catalogs';
import { expectEqual } from '@lectern/test-support/dom';
import { catalogs } from '../src/messages.js';
import { playerErrorCodes } from '../src/player-error.js';

describe('player messages', () => {
  itKeepsCatalogsAlike(catalogs);

  it('has a sentence for every code the player gives itself', () => {
    for (const code of Object.values(playerErrorCodes)) {
      expectEqual(`error.${code}` in catalogs.en, true, code);
    }
  });
});
