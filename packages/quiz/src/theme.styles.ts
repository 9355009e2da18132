import { css } from 'lit';

/**
 * What both quiz elements look like at heart: the custom properties a page can set, with
 * defaults that keep text at a contrast of at least 4.5:1, buttons, alerts and hidden text.
 */
export const themeStyles = css`
  :host {
    display: block;
    color: var(--lectern-color-text, #1f2328);
    font-family: var(--lectern-font-family, system-ui, sans-serif);
    font-size: var(--lectern-font-size, 1rem);
    line-height: 1.4;
  }

  :host([hidden]) {
    display: none;
  }

  h2,
  h3 {
    margin: 0 0 0.5em;
    font-size: 1.15em;
  }

  button {
    font: inherit;
    cursor: pointer;
    padding: 0.4em 0.9em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
    background: var(--lectern-color-surface, #ffffff);
    color: inherit;
  }

  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.6;
  }

  .primary {
    border-color: var(--lectern-color-accent, #0a58ca);
    background: var(--lectern-color-accent, #0a58ca);
    color: var(--lectern-color-on-accent, #ffffff);
  }

  :focus-visible {
    outline: 3px solid var(--lectern-color-focus, #0969da);
    outline-offset: 2px;
  }

  .muted {
    color: var(--lectern-color-muted, #57606a);
  }

  .error {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
    margin: 0.5em 0;
    padding: 0.75em 1em;
    border-radius: var(--lectern-radius, 6px);
    border: 1px solid var(--lectern-color-danger, #b42318);
    color: var(--lectern-color-danger, #b42318);
    background: var(--lectern-color-surface, #ffffff);
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
