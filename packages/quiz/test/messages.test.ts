/// <reference types="mocha" />
import { catalogs } from '../src/messages.js';
import { expectEqual } from './support/dom.js';

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).toSorted();

describe('quiz messages', () => {
  it('has the same keys in English and German', () => {
    expectEqual(Object.keys(catalogs.de).toSorted(), Object.keys(catalogs.en).toSorted(), 'keys');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, english] of Object.entries(catalogs.en)) {
      const german = catalogs.de[key as keyof typeof catalogs.de];
      expectEqual(placeholders(german), placeholders(english), `placeholders of ${key}`);
    }
  });
});
