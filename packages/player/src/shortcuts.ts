/** What a key press asks the player to do. */
export type ShortcutAction =
  | { kind: 'toggle-play' }
  | { kind: 'seek-by'; seconds: number }
  | { kind: 'toggle-mute' }
  | { kind: 'toggle-fullscreen' }
  | { kind: 'toggle-captions' };

const byKey: Record<string, ShortcutAction> = {
  ' ': { kind: 'toggle-play' },
  k: { kind: 'toggle-play' },
  j: { kind: 'seek-by', seconds: -10 },
  l: { kind: 'seek-by', seconds: 10 },
  ArrowLeft: { kind: 'seek-by', seconds: -5 },
  ArrowRight: { kind: 'seek-by', seconds: 5 },
  m: { kind: 'toggle-mute' },
  f: { kind: 'toggle-fullscreen' },
  c: { kind: 'toggle-captions' },
};

/**
 * The action for a key press inside the player, or undefined when the key is not a shortcut
 * or belongs to the control that has focus: a button takes Space and Enter, the position
 * slider and the speed menu take arrows and every letter a screen reader might type-ahead.
 */
export function shortcutFor(event: KeyboardEvent): ShortcutAction | undefined {
  if (event.altKey || event.ctrlKey || event.metaKey) return undefined;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  const action = byKey[key];
  if (!action) return undefined;

  const origin = event.composedPath()[0];
  if (origin instanceof HTMLSelectElement) return undefined;
  if (origin instanceof HTMLInputElement && (key.startsWith('Arrow') || key === ' ')) {
    return undefined;
  }
  if (origin instanceof HTMLButtonElement && key === ' ') return undefined;
  return action;
}
