import { LecternUploader } from './lectern-uploader.js';

export { LecternUploader } from './lectern-uploader.js';
export type { UploadState } from './uploader-view.js';
export type { UploaderEventMap } from './upload-events.js';
export { uploaderErrorCodes } from './upload-error.js';

/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';

// Defined once even when both the npm package and the script-tag build reach a page.
if (!customElements.get('lectern-uploader')) {
  customElements.define('lectern-uploader', LecternUploader);
}

declare global {
  interface HTMLElementTagNameMap {
    'lectern-uploader': LecternUploader;
  }
}
