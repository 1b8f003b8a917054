/**
 * Foreign memory data → the memory attachment: detects the format of a file by its content
 * (mprof .dat, tracemalloc JSON or text, V8 .heapprofile) and turns every problem into an
 * InputError naming the file.
 */
import { decodeText, parseJson, readInputFile } from '../../model/io.js';
import { InputError, messageOf } from '../../model/errors.js';
import type { MemoryAttachment } from '../../model/memory.js';
import { isHeapProfile, parseHeapProfile } from './heapprofile.js';
import { gunzipSync } from 'node:zlib';
import type { Profile } from 'pprof-format';
import { decodePprof } from '../../profile/formats/pprof.js';
import { mprofReader, parseMprof } from './mprof.js';
import { readFileLines, readInputHead } from '../../model/lines.js';
import { isMemoryPprof, parsePprofMemory } from './pprof.js';
import {
  isTracemallocJson,
  looksLikeTracemallocText,
  parseTracemallocJson,
  parseTracemallocText,
} from './tracemalloc.js';

export type MemoryFormat =
  'mprof' | 'tracemalloc-json' | 'tracemalloc-text' | 'heapprofile' | 'pprof';

export interface IngestOptions {
  /** Paths inside it are shown repo-relative. */
  projectRoot?: string;
  /** Operations the profile covers (.heapprofile: turns bytes into bytes per op). */
  operations?: number;
  top?: number;
  /** pprof: the sample type to read (default bytes: alloc_space for allocs, inuse_space for heap). */
  sampleType?: string;
}

export function detectMemoryFormat(text: string): MemoryFormat | null {
  const start = text.trimStart();
  if (/^(CMDLINE|MEM|FUNC|CHLD)\s/.test(start)) return 'mprof';
  if (start.startsWith('{')) {
    try {
      const data: unknown = JSON.parse(start);
      if (isTracemallocJson(data)) return 'tracemalloc-json';
      if (isHeapProfile(data)) return 'heapprofile';
    } catch {
      return null;
    }
    return null;
  }
  return looksLikeTracemallocText(start) ? 'tracemalloc-text' : null;
}

/** Parses foreign memory data already read (pure); `file` only names it in errors. */
export function parseMemoryData(
  text: string,
  file: string,
  options: IngestOptions = {},
): { format: MemoryFormat; memory: MemoryAttachment } {
  const format = detectMemoryFormat(text);
  if (!format) {
    throw new InputError(
      'unrecognised memory data (expected an `mprof run` .dat file, a perfgate tracemalloc ' +
        'JSON or text dump, a V8 .heapprofile, or a Go heap/allocs pprof profile)',
      file,
    );
  }
  try {
    switch (format) {
      case 'mprof':
        return { format, memory: parseMprof(text) };
      case 'tracemalloc-json':
        return {
          format,
          memory: parseTracemallocJson(parseJson(text, file), options.projectRoot),
        };
      case 'tracemalloc-text':
        return { format, memory: parseTracemallocText(text, options.projectRoot) };
      case 'heapprofile':
        return { format, memory: parseHeapProfile(parseJson(text, file), options, file) };
      case 'pprof':
        throw new Error('a pprof profile is binary: read it with readMemoryData');
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`${format}: ${messageOf(error)}`, file);
  }
}

/** Go heap/allocs profiles are binary (often gzipped) protobuf; everything else is text. */
function memoryPprof(bytes: Buffer): Profile | undefined {
  let raw: Uint8Array = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  } else if (bytes.subarray(0, 4096).some((b) => b < 0x09)) {
    // binary: may be an uncompressed pprof
  } else return undefined;
  const profile = decodePprof(raw);
  return profile && isMemoryPprof(profile) ? profile : undefined;
}

export async function readMemoryData(
  file: string,
  options: IngestOptions = {},
): Promise<{ format: MemoryFormat; memory: MemoryAttachment }> {
  // An mprof run (text, possibly long) is read line by line; other formats are read whole.
  if (detectMemoryFormat(decodeText(await readInputHead(file, 'memory'))) === 'mprof') {
    try {
      return { format: 'mprof', memory: await readFileLines(mprofReader(), file, 'memory') };
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`mprof: ${messageOf(error)}`, file);
    }
  }
  const bytes = await readInputFile(file, 'memory');
  const profile = memoryPprof(bytes);
  if (profile) {
    try {
      return { format: 'pprof', memory: parsePprofMemory(profile, file, options) };
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`pprof: ${messageOf(error)}`, file);
    }
  }
  return parseMemoryData(decodeText(bytes), file, options);
}
