import {
  createTranslator,
  resolveLanguage,
  watchLanguage,
  type Catalogs,
  type Messages,
  type Translator,
} from '@lectern/sdk';
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Gives an element a translator for the language it sits in, and renders the element again
 * when that language changes (its own `lang`, an ancestor's, or the browser's).
 */
export class LocalizeController<M extends Messages> implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #catalogs: Catalogs<M>;
  #stopWatching: (() => void) | undefined;
  #translate: Translator<keyof M & string>;

  constructor(host: ReactiveControllerHost & HTMLElement, catalogs: Catalogs<M>) {
    this.#host = host;
    this.#catalogs = catalogs;
    this.#translate = createTranslator(catalogs, resolveLanguage(host));
    host.addController(this);
  }

  /** The translator for the element's current language. */
  get t(): Translator<keyof M & string> {
    return this.#translate;
  }

  hostConnected(): void {
    this.#follow();
    this.#stopWatching = watchLanguage(this.#host, () => this.#follow());
  }

  hostDisconnected(): void {
    this.#stopWatching?.();
    this.#stopWatching = undefined;
  }

  #follow(): void {
    const lang = resolveLanguage(this.#host);
    if (lang === this.#translate.lang) return;
    this.#translate = createTranslator(this.#catalogs, lang);
    this.#host.requestUpdate();
  }
}
