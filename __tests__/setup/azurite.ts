import type { TestProject } from 'vitest/node';
import { messageOf } from '../../src/model/errors.js';
import { startAzurite } from '../helpers/azurite.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Azurite every test file shares (blob storage of the fake artifact service). */
    azurite: { url: string; port: number } | { error: string };
  }
}

/**
 * Starts Azurite once per test run, for every file that stores artifacts (the action tests,
 * the artifact store's): files read it with sharedAzurite() (helpers/action-suite.ts), and each
 * FakeGitHub keeps its blobs in a container of its own. A start that fails fails only the files
 * that need it (with this error), not the run; the wait is long as it happens once, on a
 * machine that may be busy.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const azurite = await startAzurite(90_000);
    project.provide('azurite', { url: azurite.url, port: azurite.port });
    return () => azurite.stop();
  } catch (error) {
    project.provide('azurite', { error: messageOf(error) });
    return async () => undefined;
  }
}
