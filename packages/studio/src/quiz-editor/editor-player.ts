import { logger } from '@lectern/sdk';
import type { ReactiveControllerHost } from 'lit';

/** What the editor needs of a `<lectern-player>`: its `<video>`. */
export interface PlayerLike extends HTMLElement {
  readonly media: HTMLVideoElement | null;
  readonly updateComplete?: Promise<unknown>;
}

type Listener = (position: { currentTime: number; duration: number }) => void;

/** Follows a player's position and length for the editor's timeline and "set to current time". */
export class EditorPlayer {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #listener: Listener;
  #media: HTMLVideoElement | null = null;
  #player: PlayerLike | undefined;

  constructor(host: ReactiveControllerHost & HTMLElement, listener: Listener) {
    this.#host = host;
    this.#listener = listener;
  }

  get bound(): boolean {
    return this.#media !== null;
  }

  get currentTime(): number {
    return this.#media?.currentTime ?? 0;
  }

  /** Follows the given player, or the one whose id is `id` beside the host. */
  async follow(player: PlayerLike | undefined, id: string): Promise<void> {
    const root = this.#host.getRootNode() as Document | ShadowRoot;
    const found = player ?? (id ? (root.getElementById?.(id) as PlayerLike | null) : null);
    if (found === this.#player) return;
    this.stop();
    this.#player = found ?? undefined;
    if (!found) {
      if (id) logger.warn(`${this.#host.localName}: no element with the id "${id}" to follow.`);
      return;
    }

    const name = found.localName;
    if (!('media' in found)) await customElements.whenDefined(name);
    if (!found.media) await found.updateComplete;
    if (this.#player !== found || !found.media) return;
    this.#media = found.media;
    for (const type of ['timeupdate', 'durationchange', 'loadedmetadata', 'seeked']) {
      this.#media.addEventListener(type, this.#changed);
    }
    this.#changed();
    this.#host.requestUpdate();
  }

  stop(): void {
    for (const type of ['timeupdate', 'durationchange', 'loadedmetadata', 'seeked']) {
      this.#media?.removeEventListener(type, this.#changed);
    }
    this.#media = null;
    this.#player = undefined;
  }

  readonly #changed = () => {
    const media = this.#media;
    if (media) this.#listener({ currentTime: media.currentTime, duration: media.duration });
  };
}
