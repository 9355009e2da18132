// Importing this module registers <lectern-library> and <lectern-review-queue>.
export { LecternLibrary, type VideoSelectDetail } from './library/library.js';
export { LecternReviewQueue, type ReviewDecidedDetail } from './review-queue/review-queue.js';

/** The version of this package, for bug reports and the script-tag build's banner. */
export const version = '0.1.0';
