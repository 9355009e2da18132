// Each package registers its elements when imported; the script-tag build relies on that.
import '@lectern/player';
import '@lectern/uploader';
import '@lectern/quiz';
import '@lectern/studio/library';
import '@lectern/studio/review-queue';
import { defineOnFirstUse } from './lazy-elements.js';

// For authors only: its code (with a copy of lit of its own) loads when the tag appears.
defineOnFirstUse('lectern-quiz-editor', () => import('@lectern/studio/quiz-editor'));
// For tenant admins only, likewise.
defineOnFirstUse('lectern-export', () => import('@lectern/studio/export'));

export { LecternApiError, LecternClient } from '@lectern/sdk';

/** The version of the script-tag build. */
export const version = '0.1.0';
