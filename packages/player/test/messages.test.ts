/// <reference types="mocha" />
import { catalogs } from '../src/messages.js';
import { playerErrorCodes } from '../src/player-error.js';
import { expectEqual } from './support/helpers.js';

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).toSorted();

describe('player messages', () => {
  it('has the same keys in English and German', () => {
    expectEqual(Object.keys(catalogs.de).toSorted(), Object.keys(catalogs.en).toSorted(), 'keys');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, english] of Object.entries(catalogs.en)) {
      const german = catalogs.de[key as keyof typeof catalogs.de];
      expectEqual(placeholders(german), placeholders(english), `placeholders of ${key}`);
    }
  });

  it('has a sentence for every code the player gives itself', () => {
    for (const code of Object.values(playerErrorCodes)) {
      expectEqual(`error.${code}` in catalogs.en, true, code);
    }
  });
});
