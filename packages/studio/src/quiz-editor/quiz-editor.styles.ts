import { css } from 'lit';

export const quizEditorStyles = css`
  form,
  [part='questions'] {
    display: grid;
    gap: 0.75em;
    justify-items: start;
  }

  h2,
  h3 {
    margin: 0 0 0.5em;
    font-size: 1.15em;
  }

  fieldset {
    display: grid;
    gap: 0.4em;
    justify-self: stretch;
    margin: 0;
    padding: 0.75em 1em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
  }

  fieldset.nested {
    padding: 0.5em 0.75em;
  }

  legend {
    font-weight: 600;
    padding: 0 0.25em;
  }

  input[type='text'],
  input[type='number'],
  textarea,
  select {
    font: inherit;
    color: inherit;
    padding: 0.3em 0.5em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
    background: var(--lectern-color-surface, #ffffff);
  }

  [part='title-input'],
  textarea {
    justify-self: stretch;
    max-width: 40em;
  }

  input[type='number'] {
    width: 6em;
  }

  .row,
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 0.75em;
  }

  .check,
  [part='option'] {
    display: flex;
    align-items: center;
    gap: 0.5em;
  }

  ol {
    display: grid;
    gap: 0.4em;
    margin: 0;
    padding-left: 1.5em;
  }

  .note {
    margin: 0;
    padding: 0.5em 0.75em;
    border-radius: var(--lectern-radius, 6px);
    background: #fff8c5;
    color: #4d2d00;
  }

  [part='timeline'] {
    justify-self: stretch;
  }

  .track {
    position: relative;
    height: 2.5em;
    margin: 0 1em;
    border-bottom: 4px solid var(--lectern-color-border, #8c959f);
  }

  .marker {
    position: absolute;
    bottom: 0.25em;
    translate: -50% 0;
    min-width: 2em;
    padding: 0.1em 0.4em;
    border-color: var(--lectern-color-accent, #0a58ca);
    background: var(--lectern-color-accent, #0a58ca);
    color: var(--lectern-color-on-accent, #ffffff);
  }

  .playhead {
    position: absolute;
    top: 0;
    bottom: -4px;
    width: 2px;
    background: var(--lectern-color-text, #1f2328);
  }

  .scale {
    display: flex;
    justify-content: space-between;
    font-size: 0.85em;
  }

  [part='error'] ul {
    margin: 0.25em 0 0;
  }
`;
