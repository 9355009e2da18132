import type { Translator } from '@lectern/sdk';
import { html, nothing, type TemplateResult } from 'lit';
import { classMap } from 'lit/directives/class-map.js';
import type { MessageKey } from './messages.js';
import { formatBytes, formatPercent } from './sizes.js';

export type UploadState = 'idle' | 'uploading' | 'paused' | 'offline' | 'complete' | 'error';

/** Everything the template shows, worked out by the element. */
export interface UploaderView {
  t: Translator<MessageKey>;
  state: UploadState;
  accept: string;
  file: File | undefined;
  bytes: { uploaded: number; total: number };
  status: { text: string; isError: boolean };
  dragging: boolean;
  canRetry: boolean;
  canCancel: boolean;
}

/** What the template's controls do. */
export interface UploaderActions {
  openPicker(): void;
  dropzoneKeydown(event: KeyboardEvent): void;
  dragOver(event: DragEvent): void;
  dragLeave(): void;
  drop(event: DragEvent): void;
  filePicked(event: Event): void;
  pause(): void;
  resume(): void;
  cancel(): void;
}

const busyStates: readonly UploadState[] = ['uploading', 'paused', 'offline'];

export function isBusy(state: UploadState): boolean {
  return busyStates.includes(state);
}

export function renderUploader(view: UploaderView, actions: UploaderActions): TemplateResult {
  const { t, state, status } = view;
  const busy = isBusy(state);

  return html`
    <div class="picker">
      <div
        part="dropzone"
        class=${classMap({ over: view.dragging })}
        role="button"
        tabindex=${busy ? -1 : 0}
        aria-disabled=${busy ? 'true' : 'false'}
        @click=${actions.openPicker}
        @keydown=${actions.dropzoneKeydown}
        @dragenter=${actions.dragOver}
        @dragover=${actions.dragOver}
        @dragleave=${actions.dragLeave}
        @drop=${actions.drop}
      >
        ${t('dropzone.label')}
      </div>
      <button part="button" type="button" ?disabled=${busy} @click=${actions.openPicker}>
        ${t('picker.button')}
      </button>
      <input type="file" hidden accept=${view.accept} @change=${actions.filePicked} />
    </div>
    ${view.file ? renderFile(view.file, t) : nothing}
    ${view.bytes.total > 0 ? renderProgress(view) : nothing}
    <div class="actions">${renderButtons(view, actions)}</div>
    <p part="status" class=${classMap({ error: status.isError })} role="status" aria-live="polite">
      ${status.text}
    </p>
  `;
}

function renderFile(file: File, t: Translator<MessageKey>): TemplateResult {
  return html`<p part="file">
    <span class="name">${file.name}</span>
    <span class="size">(${formatBytes(file.size, t.lang)})</span>
  </p>`;
}

function renderProgress({ t, bytes }: UploaderView): TemplateResult {
  const text = t('progress.text', {
    percent: formatPercent(bytes.uploaded, bytes.total, t.lang),
    uploaded: formatBytes(bytes.uploaded, t.lang),
    total: formatBytes(bytes.total, t.lang),
  });
  return html`<div class="progress">
    <progress
      part="progress"
      max=${bytes.total}
      .value=${bytes.uploaded}
      aria-label=${t('progress.label')}
      aria-valuetext=${text}
    ></progress>
    <span class="progress-text" aria-hidden="true">${text}</span>
  </div>`;
}

function renderButtons(view: UploaderView, actions: UploaderActions): TemplateResult[] {
  const { t, state } = view;
  const buttons: TemplateResult[] = [];
  if (state === 'uploading' || state === 'offline') {
    buttons.push(
      html`<button part="pause-button" type="button" @click=${actions.pause}>
        ${t('action.pause')}
      </button>`,
    );
  }
  if (state === 'paused' || (state === 'error' && view.canRetry)) {
    const label = state === 'paused' ? t('action.resume') : t('action.retry');
    buttons.push(
      html`<button part="resume-button" type="button" @click=${actions.resume}>${label}</button>`,
    );
  }
  if (view.canCancel) {
    buttons.push(
      html`<button part="cancel-button" type="button" @click=${actions.cancel}>
        ${t('action.cancel')}
      </button>`,
    );
  }
  return buttons;
}
