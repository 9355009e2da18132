// Each package registers its elements when imported; the script-tag build relies on that.
import '@lectern/player';
import '@lectern/uploader';
import '@lectern/quiz';
import '@lectern/studio';

export { LecternApiError, LecternClient } from '@lectern/sdk';

/** The version of the script-tag build. */
export const version = '0.1.0';
