/**
 * The one shape of every reader of another tool's files, whatever the kind reads: benchmark
 * results (src/ingest), CPU profiles (src/profile/formats), query logs (src/queries/ingest) and
 * memory data (src/memory/ingest). Each kind lists its importers in one table (its registry.ts),
 * in detection order, with the size limit of its input. Types and two lookups only: importers
 * are pure (content in, data out); the kind's reader is the I/O edge.
 */
import type { InputKind } from './io.js';

export interface Importer<Name extends string, Input, Output, Context = undefined> {
  /** The format's name, as a flag or input names it (`--format`, `--input`). */
  name: Name;
  /** The tool and the command that writes this format, for help and errors. */
  describes: string;
  /**
   * Whether `input` is this format. Cheap and strict enough that at most one importer claims a
   * file (the table order settles the rest); `fileName` helps where the content is generic.
   */
  detect(input: Input, fileName: string): boolean;
  /**
   * Reads one file of this format. Throws InputError naming `fileName` on malformed input, also
   * when called without `detect` (the user named the format) on a file of another format.
   */
  parse(input: Input, fileName: string, context: Context): Output;
  /**
   * Reads the file itself, in bounded memory (line by line), for formats whose files are
   * legitimately large (query logs, mprof runs). `head` is the start the format was told by.
   * Without it, the kind's reader reads the whole file and calls `parse`.
   */
  readFile?(fileName: string, context: Context, head: Input): Promise<Output>;
}

/** Any importer, for the lookups below. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyImporter = Importer<string, any, any, any>;

/** One kind's importers. */
export interface ImporterTable<I extends AnyImporter> {
  /** The size limit of every file the table reads (INPUT_LIMITS in model/io.ts). */
  input: InputKind;
  /** Detection order: the first importer whose `detect` is true reads the file. */
  importers: readonly I[];
}

export function importerNamed<I extends AnyImporter>(table: ImporterTable<I>, name: I['name']): I {
  const found = table.importers.find((importer) => importer.name === name);
  if (!found) throw new Error(`no importer named ${name}`);
  return found;
}

/** The first importer that recognises the input, or undefined when none does. */
export function detectImporter<I extends AnyImporter>(
  table: ImporterTable<I>,
  input: Parameters<I['detect']>[0],
  fileName: string,
): I | undefined {
  return table.importers.find((importer) => importer.detect(input, fileName));
}
