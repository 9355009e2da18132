import { LecternApiError, type Translator } from '@lectern/sdk';
import { html, nothing } from 'lit';
import { editorMessages, type EditorMessageKey } from './messages.js';
import { problemText } from './problems.js';

export interface EditorFailureView {
  t: Translator<EditorMessageKey>;
  error: unknown;
  /** Loads the quiz again; absent when the failure was not one to load it. */
  retry: (() => void) | undefined;
}

/** A refusal as an alert, with the problems the server named and, after a load, a retry. */
export function renderEditorFailure(view: EditorFailureView) {
  const { t, error, retry } = view;
  const details = error instanceof LecternApiError ? error.details : [];
  return html`<div part="error" class="error" role="alert" tabindex="-1">
    <p>${failureText(error, t)}</p>
    ${
      details.length > 0
        ? html`<p>${t('editor.problems')}</p>
            <ul part="problems">
              ${details.map((detail) => html`<li>${problemText(detail, t)}</li>`)}
            </ul>`
        : nothing
    }
    ${
      retry
        ? html`<button part="retry-button" type="button" @click=${retry}>
            ${t('editor.retry')}
          </button>`
        : nothing
    }
  </div>`;
}

/** The server's sentence on an English page; the catalog's for its code on another. */
function failureText(error: unknown, t: Translator<EditorMessageKey>): string {
  if (!(error instanceof LecternApiError)) return t('error.unknown');
  if (t.catalog === 'en') return error.message;
  const key = `error.${error.code}`;
  return Object.hasOwn(editorMessages.en, key) ? t(key as 'error.unknown') : error.message;
}
