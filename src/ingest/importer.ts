/**
 * The one shape every foreign-format importer has (src/ingest/formats/*), and what it returns.
 * Importers are pure: text in, benchmarks out. The I/O edge (./files.ts) reads the files.
 */
import type { Importer as ImporterShape } from '../model/importer.js';
import type { Benchmark } from '../model/run.js';

/** Format names: github-action-benchmark's `tool` names exactly, then perfgate's additions. */
export const FORMAT_NAMES = [
  'cargo',
  'go',
  'benchmarkjs',
  'benchmarkluau',
  'pytest',
  'googlecpp',
  'catch2',
  'julia',
  'jmh',
  'benchmarkdotnet',
  'customBiggerIsBetter',
  'customSmallerIsBetter',
  'hyperfine',
  'criterion',
  'vitest',
  'deno',
] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** What an importer made of one file. */
export interface Imported {
  benchmarks: Benchmark[];
  /** Things the user should know (a summary used where samples were cut, a skipped metric). */
  warnings: string[];
}

/** Files next to the one being parsed (criterion keeps one benchmark in three files). */
export interface ImportContext {
  /** Text of a file in the same folder, or undefined when there is none. */
  sibling(name: string): string | undefined;
}

/** A foreign-results importer: the shared shape (src/model/importer.ts), text in, benchmarks out. */
export interface Importer extends ImporterShape<FormatName, string, Imported, ImportContext> {
  /** When a folder is given instead of a file: the files to read in it (a glob). */
  folderGlob?: string;
}
