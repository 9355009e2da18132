/// <reference types="mocha" />
import { buildFolder, loadBuild, uploadWithTheBuild } from './support/script-tag.js';

describe('the script-tag build as a module script (lectern.js), uploading', () => {
  it('uploads a video, loading the tus chunk beside it only when the upload starts', async () => {
    await loadBuild(`${buildFolder}/lectern.js`, 'module');
    await uploadWithTheBuild();
  });
});
