import {
  LecternApiError,
  LecternClient,
  createTranslator,
  logger,
  resolveLanguage,
  watchLanguage,
  type TokenSource,
  type Translator,
} from '@lectern/sdk';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { catalogs, type MessageKey } from './messages.js';

/** A failure to show: its stable code, and the sentence to show for it. */
export interface QuizFailure {
  code: string;
  message: string;
}

/**
 * What both quiz elements share: how they reach the server (`base-url` and `token`, or a
 * `client`), which quiz they show, and the language they speak.
 */
export class QuizElement extends LitElement {
  // Declared without decorators: tsc's `__decorate` helper breaks the bundle build.
  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    token: {},
    client: { attribute: false },
    quiz: {},
  };

  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl = '';

  /** The session token, or a function that returns the current one before each request. */
  token: TokenSource | undefined;

  /** A ready `LecternClient`; takes the place of `base-url` and `token`. */
  client: LecternClient | undefined;

  /** The quiz's id. */
  quiz = '';

  #ownClient: { key: string; token: TokenSource; client: LecternClient } | undefined;
  #stopWatchingLanguage: (() => void) | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stopWatchingLanguage = watchLanguage(this, () => this.requestUpdate());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopWatchingLanguage?.();
  }

  /** The translator for the language the element sits in. */
  protected get t(): Translator<MessageKey> {
    return createTranslator(catalogs, resolveLanguage(this));
  }

  /** The client in use, or undefined while the element has no way to reach the server. */
  protected get api(): LecternClient | undefined {
    if (this.client) return this.client;
    if (!this.baseUrl || !this.token) return undefined;

    const key = this.baseUrl;
    const cached = this.#ownClient;
    if (cached?.key === key && cached.token === this.token) return cached.client;
    try {
      const client = new LecternClient({ baseUrl: this.baseUrl, token: this.token });
      this.#ownClient = { key, token: this.token, client };
      return client;
    } catch {
      logger.warn(`${this.localName}: base-url "${this.baseUrl}" is not a URL.`);
      return undefined;
    }
  }

  /** True when an update changed the quiz or how the element reaches the server. */
  protected connectionChanged(changed: PropertyValues): boolean {
    return ['baseUrl', 'token', 'client', 'quiz'].some((name) => changed.has(name));
  }

  /**
   * The code and sentence for a failure. The server writes English, so an English page shows
   * the server's words; another language shows the catalog's sentence for the code when it
   * has one. Codes of the elements' own always come from the catalog.
   */
  protected failureOf(error: unknown): QuizFailure {
    const t = this.t;
    if (!(error instanceof LecternApiError)) {
      const code = typeof error === 'string' ? error : 'quiz.unexpected';
      const key = `error.${code}`;
      return { code, message: isMessageKey(key) ? t(key) : t('error.unknown', { code }) };
    }
    const key = `error.${error.code}`;
    const translated = t.catalog !== 'en' && isMessageKey(key);
    return { code: error.code, message: translated ? t(key) : error.message };
  }
}

function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(catalogs.en, key);
}
