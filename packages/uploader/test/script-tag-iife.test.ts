/// <reference types="mocha" />
import { buildFolder, loadBuild, uploadWithTheBuild } from './support/script-tag.js';

describe('the script-tag build as a classic script (lectern.iife.js), uploading', () => {
  it('uploads a video, loading the tus chunk beside it only when the upload starts', async () => {
    await loadBuild(`${buildFolder}/lectern.iife.js`, 'classic');
    await uploadWithTheBuild();
  });
});
