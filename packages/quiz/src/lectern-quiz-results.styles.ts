import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

export const resultsStyles = [
  themeStyles,
  css`
    .toolbar {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.5em 1em;
    }

    .note {
      padding: 0.75em 1em;
      border-radius: var(--lectern-radius, 6px);
      background: var(--lectern-color-note, #ddf4ff);
      color: var(--lectern-color-text, #1f2328);
    }

    table {
      width: 100%;
      margin: 1em 0;
      border-collapse: collapse;
    }

    caption {
      text-align: start;
      font-weight: 600;
      padding-bottom: 0.4em;
    }

    th,
    td {
      padding: 0.4em 0.6em;
      border-bottom: 1px solid var(--lectern-color-border, #8c959f);
      text-align: start;
      vertical-align: top;
    }

    tbody th {
      font-weight: 400;
      overflow-wrap: anywhere;
    }

    .number {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }

    .sync-failed {
      color: var(--lectern-color-danger, #b42318);
      font-weight: 700;
    }
  `,
];
