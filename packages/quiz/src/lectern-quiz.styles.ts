import { css } from 'lit';
import { themeStyles } from './theme.styles.js';

export const quizStyles = [
  themeStyles,
  css`
    [part='quiz'] {
      padding: 1em;
      border: 1px solid var(--lectern-color-border, #8c959f);
      border-radius: var(--lectern-radius, 6px);
      background: var(--lectern-color-surface, #ffffff);
    }

    [part='status'],
    [part='progress'] {
      margin: 0.25em 0 0.75em;
    }

    form {
      display: grid;
      gap: 1em;
      justify-items: start;
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

    legend {
      display: grid;
      padding: 0 0.25em;
      font-weight: 600;
    }

    .number {
      font-size: 0.85em;
      font-weight: 400;
      color: var(--lectern-color-muted, #57606a);
    }

    [part='points'] {
      margin: 0;
      font-size: 0.9em;
    }

    [part='option'] {
      display: flex;
      align-items: center;
      gap: 0.5em;
      padding: 0.25em 0;
      cursor: pointer;
    }

    input[type='radio'],
    input[type='checkbox'] {
      width: 1.1em;
      height: 1.1em;
      accent-color: var(--lectern-color-accent, #0a58ca);
    }

    [part='answer-input'] {
      font: inherit;
      color: inherit;
      max-width: 30em;
      padding: 0.4em 0.6em;
      border: 1px solid var(--lectern-color-border, #8c959f);
      border-radius: var(--lectern-radius, 6px);
      background: var(--lectern-color-surface, #ffffff);
    }

    [part='result'] p {
      margin: 0.25em 0;
    }

    .verdict {
      font-weight: 700;
    }

    [part~='verdict-passed'],
    [part~='outcome-correct'] strong {
      color: var(--lectern-color-success, #116329);
    }

    [part~='verdict-failed'],
    [part~='outcome-wrong'] strong {
      color: var(--lectern-color-danger, #b42318);
    }

    [part='outcomes'] {
      display: grid;
      gap: 0.5em;
      padding-left: 1.5em;
    }

    [part~='outcome'] {
      display: grid;
      gap: 0.1em;
    }

    [part='retry-button'] {
      margin-top: 0.5em;
    }
  `,
];
