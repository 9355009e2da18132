// Importing this module registers <lectern-library>, <lectern-review-queue>,
// <lectern-quiz-editor> and <lectern-export>.
export { LecternLibrary, type VideoSelectDetail } from './library/library.js';
export { LecternReviewQueue, type ReviewDecidedDetail } from './review-queue/review-queue.js';
export { LecternQuizEditor, type QuizSavedDetail } from './quiz-editor/quiz-editor.js';
export {
  LecternExport,
  type ExportDownloadedDetail,
  type ExportReadyDetail,
} from './export/export.js';

/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';
