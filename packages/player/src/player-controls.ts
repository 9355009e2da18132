import { resolveLanguage } from '@lectern/sdk';
import type { Chapter, PlayerActions, TextTrackSource } from './player-view.js';
import { shortcutFor, type ShortcutAction } from './shortcuts.js';
import { preferredIndex } from './text-tracks.js';

/** What the controls read from the player and change on it. */
export interface ControlledPlayer {
  /** The element itself: it goes full screen, and its language picks the first captions. */
  readonly element: HTMLElement;
  media(): HTMLVideoElement | null;
  play(): void;
  /** Asks for the playback anew, after a failure. */
  reload(): void;
  captions(): readonly TextTrackSource[];
  chapters(): readonly Chapter[];
  captionIndex(): number;
  showCaptions(index: number): void;
  muted(): boolean;
  mute(muted: boolean): void;
  /** The position changed by a control, before the `<video>` says so. */
  moved(seconds: number): void;
}

/**
 * The handlers of the control bar and of the keyboard shortcuts. Arrow functions all: Lit
 * calls event listeners with the element as `this`.
 */
export function playerActions(player: ControlledPlayer): PlayerActions {
  // What `c` turns back on after it turned the captions off.
  let lastCaptionIndex = -1;

  function perform(action: ShortcutAction): void {
    const media = player.media();
    if (!media) return;
    switch (action.kind) {
      case 'toggle-play':
        if (media.paused) player.play();
        else media.pause();
        return;
      case 'seek-by': {
        const end = Number.isFinite(media.duration) ? media.duration : Number.POSITIVE_INFINITY;
        media.currentTime = Math.min(end, Math.max(0, media.currentTime + action.seconds));
        player.moved(media.currentTime);
        return;
      }
      case 'toggle-mute': {
        const muted = !player.muted();
        player.mute(muted);
        media.muted = muted;
        return;
      }
      case 'toggle-captions': {
        const sources = player.captions();
        if (sources.length === 0) return;
        const shown = player.captionIndex();
        if (shown >= 0) {
          lastCaptionIndex = shown;
          player.showCaptions(-1);
        } else if (lastCaptionIndex >= 0) {
          player.showCaptions(lastCaptionIndex);
        } else {
          player.showCaptions(
            Math.max(0, preferredIndex(sources, resolveLanguage(player.element))),
          );
        }
        return;
      }
      case 'toggle-fullscreen':
        if (document.fullscreenElement === player.element) void document.exitFullscreen();
        else void player.element.requestFullscreen().catch(() => undefined);
        return;
    }
  }

  return {
    play: () => player.play(),
    togglePlay: () => perform({ kind: 'toggle-play' }),
    toggleMute: () => perform({ kind: 'toggle-mute' }),
    chooseCaptions: (event: Event) => {
      player.showCaptions(Number((event.target as HTMLSelectElement).value));
    },
    chooseChapter: (event: Event) => {
      const chapter = player.chapters()[Number((event.target as HTMLSelectElement).value)];
      const media = player.media();
      if (!chapter || !media) return;
      player.moved(chapter.start);
      media.currentTime = chapter.start;
    },
    toggleFullscreen: () => perform({ kind: 'toggle-fullscreen' }),
    seek: (event: Event) => {
      const media = player.media();
      if (media) media.currentTime = Number((event.target as HTMLInputElement).value);
    },
    changeRate: (event: Event) => {
      const media = player.media();
      if (media) media.playbackRate = Number((event.target as HTMLSelectElement).value);
    },
    retry: () => player.reload(),
    keydown: (event: KeyboardEvent) => {
      const action = shortcutFor(event);
      if (!action) return;
      event.preventDefault();
      perform(action);
    },
  };
}
