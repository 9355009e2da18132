import { css } from 'lit';

export const libraryStyles = css`
  ul {
    display: grid;
    gap: 0.5em;
    margin: 0;
    padding: 0;
    list-style: none;
  }

  [part='item'] {
    display: grid;
    grid-template-columns: 1fr auto;
    gap: 0.25em 1em;
    width: 100%;
    padding: 0.75em 1em;
    text-align: start;
  }

  [part='item']:hover {
    border-color: var(--lectern-color-accent, #0a58ca);
  }

  .title {
    font-weight: 600;
    overflow-wrap: anywhere;
  }

  .dates {
    grid-column: 1 / -1;
    font-size: 0.9em;
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
    margin-bottom: 0.5em;
  }

  [part='load-more-button'] {
    margin-top: 0.75em;
  }
`;
