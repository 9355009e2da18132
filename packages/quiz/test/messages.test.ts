/// <reference types="mocha" />
import { itKeepsCatalogsAlike } from '@lectern/test-support/catalogs';
import { catalogs } from '../src/messages.js';

describe('quiz messages', () => {
  itKeepsCatalogsAlike(catalogs);
});
