/// <reference types="mocha" />
import { catalogFor, createTranslator, resolveLanguage, watchLanguage } from '../src/index.js';

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const catalogs = {
  en: { greeting: 'Hello, {name}!', count: '{count} videos', plain: 'Plain' },
  de: { greeting: 'Hallo, {name}!', count: '{count} Videos', plain: 'Schlicht' },
};

describe('localisation', () => {
  const documentLang = document.documentElement.lang;
  const added: Element[] = [];
  afterEach(() => {
    document.documentElement.lang = documentLang;
    for (const element of added.splice(0)) element.remove();
  });

  function place(markup: string): HTMLElement {
    const holder = document.createElement('div');
    holder.innerHTML = markup;
    const element = holder.firstElementChild as HTMLElement;
    document.body.append(element);
    added.push(element);
    return element;
  }

  it('follows the nearest lang attribute, across shadow roots, then the document', () => {
    const outer = place('<section lang="de-AT"><p><span></span></p></section>');
    const inner = outer.querySelector('span') as HTMLElement;
    expectEqual(resolveLanguage(inner), 'de-AT', 'from an ancestor');

    const host = outer.querySelector('p') as HTMLElement;
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<div lang=""><b></b></div>';
    expectEqual(resolveLanguage(shadow.querySelector('b')), 'de-AT', 'through a shadow root');

    document.documentElement.lang = 'en-GB';
    const loose = place('<div><i></i></div>');
    expectEqual(resolveLanguage(loose.querySelector('i')), 'en-GB', 'from the document');

    document.documentElement.lang = '';
    expectEqual(resolveLanguage(loose), navigator.language || 'en', 'from the browser');
  });

  it('picks the catalog by the primary language and fills in placeholders', () => {
    const german = createTranslator(catalogs, 'de-CH');
    expectEqual([german.lang, german.catalog], ['de-CH', 'de'], 'language and catalog');
    expectEqual(german('greeting', { name: 'Ada' }), 'Hallo, Ada!', 'placeholder');
    const germany = createTranslator(catalogs, 'de-DE');
    expectEqual(germany('count', { count: 1200 }), '1.200 Videos', 'numbers in the language');

    const other = createTranslator(catalogs, 'fr');
    expectEqual([other.catalog, other('plain')], ['en', 'Plain'], 'English for other languages');
    expectEqual(other('greeting'), 'Hello, {name}!', 'a missing value keeps its placeholder');
    expectEqual(
      createTranslator(catalogs, 'not a tag!')('count', { count: 2 }),
      '2 videos',
      'bad tag',
    );
    expectEqual(
      [catalogFor('DE'), catalogFor('de_DE'), catalogFor('')],
      ['de', 'de', 'en'],
      'tags',
    );
  });

  it("tells when the element's own or an ancestor's lang changes", async () => {
    const outer = place('<div lang="en"><span></span></div>');
    const inner = outer.querySelector('span') as HTMLElement;
    let changes = 0;
    const stop = watchLanguage(inner, () => changes++);

    outer.setAttribute('lang', 'de');
    await Promise.resolve();
    expectEqual(changes > 0, true, 'an ancestor changed');

    const before = changes;
    inner.setAttribute('lang', 'en');
    await Promise.resolve();
    expectEqual(changes > before, true, 'the element itself changed');

    stop();
    const stopped = changes;
    outer.setAttribute('lang', 'fr');
    await Promise.resolve();
    expectEqual(changes, stopped, 'nothing after stop');
  });
});
