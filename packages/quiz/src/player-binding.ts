/** What the quiz needs of a `<lectern-player>`: its `<video>`, and play and pause. */
export interface QuizPlayer extends HTMLElement {
  readonly media: HTMLVideoElement | null;
  pause(): void;
  play(): Promise<void>;
  readonly updateComplete?: Promise<unknown>;
}

/** A question not yet answered, where it sits on the timeline. */
export interface TimedQuestion {
  id: string;
  atSeconds: number;
}

export interface BindingHooks {
  /** The questions not yet answered, in timeline order. */
  pending(): readonly TimedQuestion[];
  /** The question open now, if any. */
  asking(): string | undefined;
  blockSeeking(): boolean;
  /** Playback reached a question: pause has been asked for; show it. */
  ask(question: TimedQuestion): void;
  /** A seek past this question was pulled back to just before it. */
  seekRefused(question: TimedQuestion): void;
  /** Playback was resumed while a question waits for its answer, and paused again. */
  answerFirst(): void;
  /** The video ended with questions still unanswered. */
  ended(): void;
}

/** A seek that lands within this of a question still counts as before it. */
const seekSlackSeconds = 0.05;
/** Where a refused seek lands: this much before the question, so playback reaches it again. */
const pullBackSeconds = 0.5;

/**
 * Follows a player's position and stops it at each question not yet answered. A question is
 * due when playback moves across its time; a seek starts a new stretch, so a question jumped
 * over is asked at the end (or, with `blockSeeking`, the seek is pulled back before it).
 */
export class PlayerBinding {
  readonly player: QuizPlayer;
  readonly #hooks: BindingHooks;
  #media: HTMLVideoElement | null = null;
  /** Where the current stretch of playback began. */
  #from = 0;
  #pulling = false;

  constructor(player: QuizPlayer, hooks: BindingHooks) {
    this.player = player;
    this.#hooks = hooks;
  }

  /** Listens to the player's `<video>`, which exists once the player has rendered. */
  async attach(): Promise<boolean> {
    // The player's script may load after the quiz's: wait for the element to be defined.
    const name = this.player.localName;
    if (!('media' in this.player)) await customElements.whenDefined(name);
    if (!this.player.media) await this.player.updateComplete;
    const media = this.player.media;
    if (!media) return false;
    this.#media = media;
    this.#from = media.currentTime;
    media.addEventListener('timeupdate', this.#timeUpdated);
    media.addEventListener('seeking', this.#seeking);
    media.addEventListener('play', this.#playing);
    media.addEventListener('ended', this.#ended);
    return true;
  }

  detach(): void {
    const media = this.#media;
    if (!media) return;
    media.removeEventListener('timeupdate', this.#timeUpdated);
    media.removeEventListener('seeking', this.#seeking);
    media.removeEventListener('play', this.#playing);
    media.removeEventListener('ended', this.#ended);
    this.#media = null;
  }

  get ended(): boolean {
    return this.#media?.ended ?? false;
  }

  /** Goes back to the start of the video, for another attempt. */
  rewind(): void {
    const media = this.#media;
    if (!media) return;
    media.currentTime = 0;
    this.#from = 0;
  }

  readonly #timeUpdated = () => {
    const media = this.#media;
    if (!media || media.seeking) return;
    const now = media.currentTime;
    if (this.#hooks.asking()) {
      if (!media.paused) this.player.pause();
      return;
    }
    const due = this.#hooks
      .pending()
      .find((question) => question.atSeconds >= this.#from && question.atSeconds <= now);
    if (!due) return;
    this.player.pause();
    this.#from = due.atSeconds;
    this.#hooks.ask(due);
  };

  readonly #seeking = () => {
    const media = this.#media;
    if (!media) return;
    const target = media.currentTime;
    const first = this.#hooks.pending()[0];
    if (
      !this.#pulling &&
      this.#hooks.blockSeeking() &&
      first &&
      target > first.atSeconds + seekSlackSeconds
    ) {
      const before = Math.max(0, first.atSeconds - pullBackSeconds);
      this.#pulling = true;
      media.currentTime = before;
      this.#pulling = false;
      this.#from = before;
      this.#hooks.seekRefused(first);
      return;
    }
    this.#from = target;
  };

  readonly #playing = () => {
    if (!this.#hooks.asking()) return;
    this.player.pause();
    this.#hooks.answerFirst();
  };

  readonly #ended = () => {
    if (this.#hooks.pending().length > 0) this.#hooks.ended();
  };
}

/** The player named by `for` in the quiz's own document or shadow root. */
export function findPlayer(quiz: Element, id: string): QuizPlayer | undefined {
  if (!id) return undefined;
  const root = quiz.getRootNode() as Document | ShadowRoot;
  const found = root.getElementById?.(id);
  return found?.localName.includes('-') ? (found as QuizPlayer) : undefined;
}
