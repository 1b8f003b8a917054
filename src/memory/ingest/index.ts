/**
 * Foreign memory data → the memory attachment: detects the format of a file by its content with
 * the importer table (./registry.ts: mprof .dat, tracemalloc JSON or text, V8 .heapprofile, Go
 * pprof) and turns every problem into an InputError naming the file.
 */
import { readInputFile } from '../../model/io.js';
import { InputError, messageOf } from '../../model/errors.js';
import { detectImporter } from '../../model/importer.js';
import type { MemoryAttachment } from '../../model/memory.js';
import { readInputHead } from '../../model/lines.js';
import {
  FileContent,
  MEMORY_IMPORTERS,
  type IngestOptions,
  type MemoryFormat,
  type MemoryImporter,
} from './registry.js';

export type { IngestOptions, MemoryFormat } from './registry.js';

/** Parses foreign memory data already read (pure); `file` only names it in errors. */
export function parseMemoryData(
  text: string | Uint8Array,
  file: string,
  options: IngestOptions = {},
): { format: MemoryFormat; memory: MemoryAttachment } {
  const content = new FileContent(typeof text === 'string' ? Buffer.from(text) : text);
  const importer = detectImporter(MEMORY_IMPORTERS, content, file);
  if (!importer) {
    throw new InputError(
      'unrecognised memory data (expected an `mprof run` .dat file, a perfgate tracemalloc ' +
        'JSON or text dump, a V8 .heapprofile, or a Go heap/allocs pprof profile)',
      file,
    );
  }
  return { format: importer.name, memory: parseWith(importer, content, file, options) };
}

function parseWith(
  importer: MemoryImporter,
  content: FileContent,
  file: string,
  options: IngestOptions,
): MemoryAttachment {
  try {
    return importer.parse(content, file, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${importer.name}: ${messageOf(error)}`, file);
  }
}

export async function readMemoryData(
  file: string,
  options: IngestOptions = {},
): Promise<{ format: MemoryFormat; memory: MemoryAttachment }> {
  // Formats read line by line (a long mprof run) are told by the file's head; the others are
  // read whole.
  const head = new FileContent(await readInputHead(file, MEMORY_IMPORTERS.input));
  const streaming = MEMORY_IMPORTERS.importers.find((i) => i.readFile && i.detect(head, file));
  if (streaming?.readFile) {
    const read = streaming.readFile;
    try {
      return { format: streaming.name, memory: await read(file, options, head) };
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${streaming.name}: ${messageOf(error)}`, file);
    }
  }
  return parseMemoryData(await readInputFile(file, MEMORY_IMPORTERS.input), file, options);
}
