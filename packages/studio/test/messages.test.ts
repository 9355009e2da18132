/// <reference types="mocha" />
import { messages } from '../src/messages.js';
import { expectEqual } from './support/dom.js';

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).toSorted();

describe('studio messages', () => {
  it('has the same keys in English and German', () => {
    expectEqual(Object.keys(messages.de).toSorted(), Object.keys(messages.en).toSorted(), 'keys');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, english] of Object.entries(messages.en)) {
      const german = messages.de[key as keyof typeof messages.de];
      expectEqual(placeholders(german), placeholders(english), `placeholders of ${key}`);
    }
  });
});
