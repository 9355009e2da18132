import { css } from 'lit';

export const exportStyles = css`
  [part='export'] {
    display: grid;
    gap: 0.75em;
  }

  h2 {
    margin: 0;
    font-size: 1.25em;
  }

  p {
    margin: 0;
  }

  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
  }

  progress {
    width: 100%;
    max-width: 28em;
    accent-color: var(--lectern-color-accent, #0a58ca);
  }

  [part='save-link'] {
    color: var(--lectern-color-accent, #0a58ca);
  }

  [part='error'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em 1em;
  }
`;
