import { fileURLToPath } from 'node:url';
import express, { type RequestHandler } from 'express';

// The same three steps up from server/src/http and from server/dist/http.
const bundleFolder = fileURLToPath(new URL('../../../packages/elements/dist/', import.meta.url));

/**
 * The script-tag build (`lectern.js`, `lectern.iife.js` and their chunks) for the pages
 * Lectern renders itself, such as an LTI launch. Intranets may load it from here too.
 */
export function elementBundles(): RequestHandler {
  return express.static(bundleFolder, {
    index: false,
    fallthrough: true,
    // Not fingerprinted, so kept briefly: a new release reaches pages within minutes.
    maxAge: '5m',
    setHeaders: (response) => response.setHeader('Access-Control-Allow-Origin', '*'),
  });
}
