/**
 * The GitHub Action entry (dist/index.js): a thin shell over src/github/action.ts.
 * Bad input fails the step with a message naming the file or input; nothing ends in a bare stack.
 */
import * as core from '@actions/core';
import { runAction } from './github/action.js';
import { InputError, messageOf } from './model/errors.js';

runAction().catch((error: unknown) => {
  if (!(error instanceof InputError) && error instanceof Error && error.stack) {
    core.debug(error.stack);
  }
  core.setFailed(`perfgate: ${messageOf(error)}`);
});
