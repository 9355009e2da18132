// A framework-free localisation layer: each element package keeps its own catalogs.

/** The languages every catalog has; English is the fallback for any other. */
export const catalogLanguages = ['en', 'de'] as const;
export type CatalogLanguage = (typeof catalogLanguages)[number];

/** A catalog: message keys to sentences, with `{name}` placeholders. */
export type Messages = Record<string, string>;

/** English and German catalogs; the German one must have every English key. */
export interface Catalogs<M extends Messages> {
  en: M;
  de: Record<keyof M, string>;
}

/** Values for a message's `{name}` placeholders. */
export type MessageValues = Record<string, string | number>;

/** Looks up a message in the chosen catalog and fills in its placeholders. */
export interface Translator<K extends string> {
  (key: K, values?: MessageValues): string;
  /** The language tag asked for, for `Intl` formats (`de-CH` stays `de-CH`). */
  readonly lang: string;
  /** The catalog chosen for it. */
  readonly catalog: CatalogLanguage;
}

/** The catalog for a language tag: `de`, `de-AT` and `DE` are German, anything else English. */
export function catalogFor(lang: string): CatalogLanguage {
  const primary = lang.trim().toLowerCase().split(/[-_]/)[0];
  return catalogLanguages.find((language) => language === primary) ?? 'en';
}

/**
 * The language an element speaks: the nearest `lang` attribute (crossing shadow roots), then
 * the document's, then the browser's, then English. An empty `lang` counts as not set.
 */
export function resolveLanguage(element?: Element | null): string {
  let current: Element | null = element ?? null;
  while (current) {
    const marked = current.closest('[lang]:not([lang=""])');
    const lang = marked?.getAttribute('lang')?.trim();
    if (lang) return lang;
    const root = current.getRootNode();
    current = root instanceof ShadowRoot ? root.host : null;
  }

  const documentLang = globalThis.document?.documentElement.lang.trim();
  if (documentLang) return documentLang;
  return globalThis.navigator?.language || 'en';
}

/** A translator for the language tag from catalogs for English and German. */
export function createTranslator<M extends Messages>(
  catalogs: Catalogs<M>,
  lang: string,
): Translator<keyof M & string> {
  const catalog = catalogFor(lang);
  const messages: Record<string, string> = catalogs[catalog];
  const numbers = numberFormat(lang);

  const translate = (key: keyof M & string, values?: MessageValues): string => {
    const message = messages[key] ?? catalogs.en[key] ?? key;
    if (!values) return message;
    return message.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const value = values[name];
      if (value === undefined) return placeholder;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  };
  return Object.assign(translate, { lang, catalog });
}

function numberFormat(lang: string): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(lang);
  } catch {
    // A malformed `lang` attribute must not break the element that sits under it.
    return new Intl.NumberFormat('en');
  }
}

/**
 * Calls `onChange` whenever a `lang` attribute that could decide the element's language
 * changes: its own, an ancestor's (in the document and in each shadow root around it), or the
 * browser's. Returns the function that stops watching.
 */
export function watchLanguage(element: Element, onChange: () => void): () => void {
  const watched = { attributes: true, attributeFilter: ['lang'], subtree: true };
  const observer = new MutationObserver(onChange);
  observer.observe(element, watched);
  for (let root = element.getRootNode(); root instanceof ShadowRoot;) {
    observer.observe(root, watched);
    root = root.host.getRootNode();
  }
  observer.observe(element.ownerDocument.documentElement, watched);

  globalThis.addEventListener?.('languagechange', onChange);
  return () => {
    observer.disconnect();
    globalThis.removeEventListener?.('languagechange', onChange);
  };
}
