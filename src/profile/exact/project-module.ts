/**
 * Which modules the exact-calls pass instruments: the project's own, by one rule for both module
 * systems (the ES module hooks of ./loader.ts and the CommonJS compile hook of ./compile-hook.ts).
 * Pure.
 */
import { relative, sep } from 'node:path';
import { isProjectFile } from '../project.js';

export interface ProjectRules {
  projectRoot: string;
  /** Absolute paths never instrumented (the bench file: its functions are the harness). */
  exclude: string[];
  /** perfgate's own folder (dist/): never the project's code. */
  ownDir: string;
}

const SOURCE = /\.(?:[cm]?[jt]s)$/;

/**
 * The repo-relative path when `path` (absolute) is the project's own module, else undefined:
 * never node_modules, perfgate's own dist/, the bench file or a file outside the project root.
 */
export function projectModule(path: string, rules: ProjectRules): string | undefined {
  if (!SOURCE.test(path) || rules.exclude.includes(path)) return undefined;
  const own = relative(rules.ownDir, path);
  if (!own.startsWith('..') && !own.startsWith(sep)) return undefined;
  const file = relative(rules.projectRoot, path).split(sep).join('/');
  if (file.startsWith('../') || file.includes('/node_modules/') || !isProjectFile(file))
    return undefined;
  return file;
}
