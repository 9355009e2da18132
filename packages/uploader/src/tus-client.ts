// Loaded with `import()` only when an upload starts: tus-js-client is a third of the script-tag
// build's weight. This module must import nothing but tus-js-client, so that the script-tag
// build keeps it in a chunk of its own that the classic (IIFE) build can load too.
export { Upload } from 'tus-js-client';
