import {
  LecternApiError,
  LecternClient,
  createTranslator,
  logRequestFailure,
  logger,
  resolveLanguage,
  watchLanguage,
  type TokenSource,
  type Translator,
} from '@lectern/sdk';
import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { catalogs, type MessageKey } from './messages.js';
import { fire } from './quiz-events.js';

/** A failure to show: its stable code, and the sentence to show for it. */
export interface QuizFailure {
  code: string;
  message: string;
}

type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * What both quiz elements share: how they reach the server (`base-url` and `token`, or a
 * `client`), which quiz they show, how they load it and show a failure, and the language they
 * speak.
 */
export abstract class QuizElement extends LitElement {
  // Declared without decorators: tsc's `__decorate` helper breaks the bundle build.
  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    token: {},
    client: { attribute: false },
    quiz: {},
    loadState: { state: true, attribute: false },
    failure: { state: true, attribute: false },
  };

  /** The Lectern server's public URL, for example `https://lectern.example.com`. */
  baseUrl = '';

  /** The session token, or a function that returns the current one before each request. */
  token: TokenSource | undefined;

  /** A ready `LecternClient`; takes the place of `base-url` and `token`. */
  client: LecternClient | undefined;

  /** The quiz's id. */
  quiz = '';

  protected loadState: LoadState = 'idle';
  protected failure: QuizFailure | undefined;

  #generation = 0;
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

  /** Loads what the element shows again. */
  abstract reload(): Promise<void>;

  /** True when an update changed the quiz or how the element reaches the server. */
  protected connectionChanged(changed: PropertyValues): boolean {
    return ['baseUrl', 'token', 'client', 'quiz'].some((name) => changed.has(name));
  }

  /**
   * Loads what the element shows with `request`; `loaded` takes the answer unless a newer load
   * began meanwhile. Without a way to the server or a quiz the element stays idle, and says so
   * once the page has set some of what it needs.
   */
  protected async load<T>(
    request: (api: LecternClient, quiz: string) => Promise<T>,
    loaded: (data: T, api: LecternClient) => void,
  ): Promise<void> {
    const generation = ++this.#generation;
    const api = this.api;
    if (!api || !this.quiz) {
      // Attributes arrive one by one while a page builds the element: wait for the last.
      await Promise.resolve();
      if (generation === this.#generation && (this.baseUrl || this.client || this.quiz)) {
        this.fail('quiz.not_configured');
      }
      this.loadState = 'idle';
      return;
    }

    this.loadState = 'loading';
    try {
      const data = await request(api, this.quiz);
      if (generation !== this.#generation) return;
      loaded(data, api);
      this.loadState = 'ready';
    } catch (error) {
      if (generation !== this.#generation) return;
      this.loadState = 'failed';
      this.fail(error);
    }
  }

  /** Logs a failure (a code of the element's own, or a refused request), shows it and tells. */
  protected fail(error: unknown): void {
    if (typeof error === 'string') logger.warn(`${this.localName}: ${error}`);
    else logRequestFailure(this.localName, error);
    this.failure = this.failureOf(error);
    fire(this, 'lectern-quiz-error', this.failure);
  }

  /** The failure on show as an alert, with a button labelled `reload` that loads again. */
  protected renderFailure(reload: MessageKey | undefined) {
    if (!this.failure) return nothing;
    const button = reload
      ? html`<button part="reload-button" type="button" @click=${() => this.reload()}>
          ${this.t(reload)}
        </button>`
      : nothing;
    return html`<div part="error" class="error" role="alert">
      <span part="error-message">${this.failure.message}</span> ${button}
    </div>`;
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
