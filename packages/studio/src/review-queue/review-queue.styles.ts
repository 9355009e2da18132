import { css } from 'lit';

export const reviewQueueStyles = css`
  ul {
    display: grid;
    gap: 0.75em;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part='item'] {
    display: grid;
    gap: 0.5em;
    padding: 0.75em 1em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
    background: var(--lectern-color-surface, #ffffff);
  }

  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  [part='date'] {
    font-size: 0.9em;
  }

  .description {
    margin: 0;
    white-space: pre-line;
  }

  textarea {
    font: inherit;
    color: inherit;
    padding: 0.4em 0.6em;
    border: 1px solid var(--lectern-color-border, #8c959f);
    border-radius: var(--lectern-radius, 6px);
    background: var(--lectern-color-surface, #ffffff);
    resize: vertical;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
  }

  [part='item-error'] {
    margin: 0;
  }

  [part='status'],
  [part='empty'] {
    margin: 0.5em 0;
  }

  [part='error'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
  }
`;
