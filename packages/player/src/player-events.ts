/** The events `<lectern-player>` fires, for `addEventListener` typing. */
export interface PlayerEventMap {
  'lectern-play': CustomEvent<{ currentTime: number }>;
  'lectern-progress': CustomEvent<{ currentTime: number; duration: number }>;
  'lectern-ended': CustomEvent<{ duration: number }>;
  'lectern-error': CustomEvent<{ code: string; message: string }>;
}

/** `lectern-progress` fires at most this often while the video plays. */
export const progressIntervalMs = 1000;

export function fire<K extends keyof PlayerEventMap>(
  target: EventTarget,
  type: K,
  detail: PlayerEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}
