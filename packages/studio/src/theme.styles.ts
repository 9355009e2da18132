import { css } from 'lit';

/**
 * What both studio elements look like at heart: the custom properties a page can set, with
 * defaults that keep text at a contrast of at least 4.5:1, the buttons and the state badges.
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

  button {
    font: inherit;
    cursor: pointer;
    padding: 0.4em 0.9em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
    background: var(--lectern-color-surface, #ffffff);
    color: inherit;
  }

  button:disabled,
  button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }

  :focus-visible {
    outline: 3px solid var(--lectern-color-focus, #0969da);
    outline-offset: 2px;
  }

  .primary {
    border-color: var(--lectern-color-accent, #0a58ca);
    background: var(--lectern-color-accent, #0a58ca);
    color: var(--lectern-color-on-accent, #ffffff);
  }

  .danger {
    border-color: var(--lectern-color-danger, #b42318);
    color: var(--lectern-color-danger, #b42318);
  }

  .badge {
    display: inline-block;
    padding: 0.1em 0.6em;
    border-radius: 999px;
    font-size: 0.85em;
    font-weight: 600;
    white-space: nowrap;
    color: #0a3069;
    background: #ddf4ff;
  }

  .badge.published {
    color: #116329;
    background: #dafbe1;
  }

  .badge.in_review {
    color: #6f4400;
    background: #fff8c5;
  }

  .badge.rejected,
  .badge.failed {
    color: #a40e26;
    background: #ffebe9;
  }

  .muted {
    color: var(--lectern-color-muted, #57606a);
  }

  .error {
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
