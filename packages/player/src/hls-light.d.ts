// hls.js publishes types for its full build only; the light build has the same API, less
// alternate audio, subtitles, EME and CMCD.
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
