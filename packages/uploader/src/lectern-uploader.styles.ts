import { css } from 'lit';

// The theme properties (`--lectern-color-*`, `--lectern-radius`, fonts) and their defaults are
// the ones the studio elements use, so that one page-wide setting styles every element.
export const uploaderStyles = css`
  :host {
    --_accent: var(--lectern-color-accent, #0a58ca);
    --_gap: var(--lectern-uploader-gap, 0.75rem);
    --_radius: var(--lectern-radius, 6px);

    display: block;
    color: var(--lectern-color-text, #1f2328);
    font-family: var(--lectern-font-family, system-ui, sans-serif);
    font-size: var(--lectern-font-size, 1rem);
    line-height: 1.4;
  }

  :host([hidden]) {
    display: none;
  }

  .picker {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: var(--_gap);
  }

  [part='dropzone'] {
    box-sizing: border-box;
    width: 100%;
    padding: 2rem 1rem;
    border: 2px dashed var(--lectern-uploader-dropzone-border-color, #8c959f);
    border-radius: var(--_radius);
    background: var(--lectern-uploader-dropzone-background, transparent);
    text-align: center;
    cursor: pointer;
  }

  [part='dropzone'].over {
    border-color: var(--_accent);
    background: var(--lectern-uploader-dropzone-active-background, #eef4ff);
  }

  [part='dropzone'][aria-disabled='true'] {
    cursor: default;
    opacity: 0.6;
  }

  button {
    font: inherit;
    padding: 0.4em 0.9em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--_radius);
    background: var(--lectern-color-surface, #ffffff);
    color: inherit;
    cursor: pointer;
  }

  [part='button'] {
    border-color: var(--_accent);
    background: var(--_accent);
    color: var(--lectern-color-on-accent, #ffffff);
  }

  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }

  :focus-visible {
    outline: 3px solid var(--lectern-color-focus, #0969da);
    outline-offset: 2px;
  }

  [part='file'] {
    margin: var(--_gap) 0 0;
    overflow-wrap: anywhere;
  }

  .size {
    color: var(--lectern-color-muted, #57606a);
  }

  .progress {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem var(--_gap);
    margin-top: var(--_gap);
  }

  [part='progress'] {
    flex: 1 1 12rem;
    height: var(--lectern-uploader-progress-height, 0.75rem);
    accent-color: var(--_accent);
  }

  .actions {
    display: flex;
    gap: 0.5rem;
    margin-top: var(--_gap);
  }

  .actions:empty {
    display: none;
  }

  [part='status'] {
    margin: var(--_gap) 0 0;
    min-height: 1.4em;
  }

  [part='status'].error {
    color: var(--lectern-color-danger, #b42318);
  }
`;
