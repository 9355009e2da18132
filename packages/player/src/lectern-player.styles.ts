import { css } from 'lit';

export const playerStyles = css`
  :host {
    display: block;
    font-family: var(--lectern-font-family, system-ui, sans-serif);
    font-size: var(--lectern-font-size, 1rem);
    color: var(--lectern-color-text, #1f2328);
  }
  :host([hidden]) {
    display: none;
  }
  [part='player'] {
    position: relative;
    background: var(--lectern-player-background, #000);
    border-radius: var(--lectern-radius, 6px);
    overflow: hidden;
  }
  [part='player']:focus-within {
    outline: 2px solid var(--lectern-color-focus, #0969da);
    outline-offset: 2px;
  }
  :host(:fullscreen) [part='player'] {
    height: 100%;
    border-radius: 0;
  }
  [part='stage'] {
    position: relative;
    aspect-ratio: var(--lectern-player-aspect-ratio, 16 / 9);
  }
  :host(:fullscreen) [part='stage'] {
    aspect-ratio: auto;
    height: calc(100% - 3rem);
  }
  [part='video'],
  [part='poster'] {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: contain;
  }
  [part='big-play-button'] {
    position: absolute;
    inset: 50% auto auto 50%;
    translate: -50% -50%;
    width: 4.5rem;
    height: 4.5rem;
    border-radius: 50%;
    border: none;
    background: var(--lectern-color-accent, #0969da);
    color: var(--lectern-color-on-accent, #fff);
    cursor: pointer;
  }
  [part='big-play-button'] svg {
    width: 2.5rem;
    height: 2.5rem;
  }
  [part='controls'] {
    display: flex;
    align-items: center;
    gap: var(--lectern-player-gap, 0.5rem);
    padding: 0.25rem 0.5rem;
    min-height: 3rem;
    background: var(--lectern-player-controls-background, #1f2328);
    color: var(--lectern-player-controls-color, #fff);
  }
  [part='controls'] button,
  [part='controls'] select,
  [part='retry-button'] {
    min-width: 2.5rem;
    min-height: 2.5rem;
    border: none;
    border-radius: var(--lectern-radius, 6px);
    background: transparent;
    color: inherit;
    font: inherit;
    cursor: pointer;
  }
  [part='controls'] select {
    background: var(--lectern-player-controls-background, #1f2328);
  }
  button svg {
    width: 1.5rem;
    height: 1.5rem;
    fill: currentColor;
    vertical-align: middle;
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  [part~='seek'] {
    flex: 1;
    accent-color: var(--lectern-color-accent, #0969da);
  }
  [part='time'] {
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  [part='chapters'] {
    max-width: 12rem;
  }
  :focus-visible {
    outline: 2px solid var(--lectern-color-focus, #0969da);
    outline-offset: 2px;
  }
  [part='error'] {
    display: flex;
    gap: 0.75rem;
    align-items: center;
    padding: 0.75rem;
    background: var(--lectern-color-surface, #fff);
    color: var(--lectern-color-danger, #b3261e);
  }
  [part='retry-button'] {
    border: 1px solid var(--lectern-color-border, #8c959f);
    color: var(--lectern-color-text, #1f2328);
    padding: 0 0.75rem;
  }
  [part='status'] {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
`;
