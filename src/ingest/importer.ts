/**
 * The one shape every foreign-format importer has (src/ingest/formats/*), and what it returns.
 * Importers are pure: text in, benchmarks out. The I/O edge (./files.ts) reads the files.
 */
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

export interface Importer {
  name: FormatName;
  /** The tool and the command that writes this format, for help and errors. */
  describes: string;
  /**
   * Whether `text` is this format. Cheap and strict enough that at most one importer claims a
   * file (the registry order settles the rest); `fileName` helps where the content is generic.
   */
  detect(text: string, fileName: string): boolean;
  /**
   * The benchmarks of one file. Throws InputError (naming `fileName`) on malformed input; a file
   * with no benchmarks returns none (the caller decides that an empty result is an error).
   */
  parse(text: string, fileName: string, context: ImportContext): Imported;
  /** When a folder is given instead of a file: the files to read in it (a glob). */
  folderGlob?: string;
}
