/// <reference types="mocha" />
import type { Catalogs, Messages } from '@lectern/sdk';
import { expectEqual } from './dom.js';

const placeholders = (message: string) =>
  [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).toSorted();

/**
 * The tests every package's messages pass: the German catalog has the English one's keys, and
 * each sentence the same placeholders. Call inside the package's `describe`.
 */
export function itKeepsCatalogsAlike<M extends Messages>(catalogs: Catalogs<M>): void {
  it('has the same keys in English and German', () => {
    expectEqual(Object.keys(catalogs.de).toSorted(), Object.keys(catalogs.en).toSorted(), 'keys');
  });

  it('uses the same placeholders in both languages', () => {
    for (const [key, english] of Object.entries(catalogs.en)) {
      const german: string | undefined = catalogs.de[key as keyof M];
      if (german === undefined) throw new Error(`No German sentence for ${key}.`);
      expectEqual(placeholders(german), placeholders(english), `placeholders of ${key}`);
    }
  });
}
