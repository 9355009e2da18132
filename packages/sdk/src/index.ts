export { LecternClient, type LecternClientOptions, type TokenSource } from './client.js';
export { LecternApiError, clientErrorCodes, type ErrorDetail } from './errors.js';
export { isPermission, isRole, permissions, roles, type Permission, type Role } from './roles.js';
export { isVideoState, videoStates, type VideoState } from './videos.js';
export { isQuestionType, questionTypes, type QuestionType } from './quizzes.js';
export { exportStates, isExportState, type ExportState } from './exports.js';
export {
  catalogFor,
  catalogLanguages,
  createTranslator,
  resolveLanguage,
  watchLanguage,
  type CatalogLanguage,
  type Catalogs,
  type MessageValues,
  type Messages,
  type Translator,
} from './localize.js';
export { logRequestFailure, logger } from './logger.js';
export type * from './responses.js';
export type * from './videos.js';
export type * from './quizzes.js';
export type * from './exports.js';
