import { LecternPlayer } from './lectern-player.js';

export { LecternPlayer } from './lectern-player.js';
export type { Chapter, PlayerState, TextTrackSource } from './player-view.js';
export type { PlayerEventMap } from './player-events.js';
export { playerErrorCodes } from './player-error.js';

/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';

// Defined once even when both the npm package and the script-tag build reach a page.
if (!customElements.get('lectern-player')) {
  customElements.define('lectern-player', LecternPlayer);
}

declare global {
  interface HTMLElementTagNameMap {
    'lectern-player': LecternPlayer;
  }
}
