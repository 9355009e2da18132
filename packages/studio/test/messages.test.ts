/// <reference types="mocha" />
import { itKeepsCatalogsAlike } from '@lectern/test-support/catalogs';
import { messages } from '../src/messages.js';

describe('studio messages', () => {
  itKeepsCatalogsAlike(messages);
});
