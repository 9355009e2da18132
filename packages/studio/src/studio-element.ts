import { LecternClient, logger, type TokenSource } from '@lectern/sdk';
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import { LocalizeController } from './localize-controller.js';
import { messages } from './messages.js';

/** Where loading what an element shows stands. */
export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

/**
 * What the studio elements share: how they reach the server (`base-url` and `token`, or a
 * `client`), and the language they speak.
 */
export class StudioElement extends LitElement {
  // Declared without decorators: tsc's `__decorate` helper reads a top-level `this`, which the
  // bundle build refuses (rollup's THIS_IS_UNDEFINED warning is an error there).
  static override properties: PropertyDeclarations = {
    baseUrl: { attribute: 'base-url' },
    token: {},
    client: { attribute: false },
    loadState: { state: true, attribute: false },
  };

  /** The Lectern server's URL; with `token`, the element makes its own client. */
  baseUrl = '';

  /**
   * The signed-in person's session token, sent as a Bearer header; or a function that returns
   * the current one before each request.
   */
  token: TokenSource = '';

  /**
   * A client to use instead of `base-url` and `token`, for example one whose token function
   * hands out a fresh session when the last has expired.
   */
  client: LecternClient | undefined;

  protected loadState: LoadState = 'idle';

  /** Counts the loads begun: an answer to a request made before the latest is dropped. */
  protected generation = 0;

  protected readonly localize = new LocalizeController(this, messages);
  #ownClient: { baseUrl: string; token: TokenSource; client: LecternClient } | undefined;

  /** The client in use, or undefined while the element has no way to reach the server. */
  protected get api(): LecternClient | undefined {
    if (this.client) return this.client;
    if (!this.baseUrl || !this.token) return undefined;

    const { baseUrl, token } = this;
    const own = this.#ownClient;
    if (own?.baseUrl === baseUrl && own.token === token) return own.client;
    try {
      const client = new LecternClient({ baseUrl, token });
      this.#ownClient = { baseUrl, token, client };
      return client;
    } catch {
      logger.warn(`${this.localName}: base-url "${this.baseUrl}" is not a URL.`);
      return undefined;
    }
  }

  /**
   * Loads what the element shows with `request`; `loaded` or `failed` takes the outcome unless
   * a newer load began meanwhile. Without a way to the server the element stays idle.
   */
  protected async load<T>(
    request: (api: LecternClient) => Promise<T>,
    loaded: (data: T) => void,
    failed: (error: unknown) => void,
  ): Promise<void> {
    const generation = ++this.generation;
    const api = this.api;
    if (!api) {
      this.loadState = 'idle';
      return;
    }

    this.loadState = 'loading';
    try {
      const data = await request(api);
      if (generation !== this.generation) return;
      loaded(data);
      this.loadState = 'ready';
    } catch (error) {
      if (generation !== this.generation) return;
      this.loadState = 'failed';
      failed(error);
    }
  }

  /** True when an update changed how the element reaches the server. */
  protected connectionChanged(changed: PropertyValues<this>): boolean {
    return changed.has('baseUrl') || changed.has('token') || changed.has('client');
  }
}
