/**
 * The table of memory-data importers (the shared Importer shape, src/model/importer.ts), in
 * detection order: Go's binary pprof first, then mprof's line tags, the JSON dumps, and
 * tracemalloc's text last.
 */
import { gunzipSync } from 'node:zlib';
import type { Profile } from 'pprof-format';
import { InputError } from '../../model/errors.js';
import type { Importer, ImporterTable } from '../../model/importer.js';
import { parseJson } from '../../model/io.js';
import type { MemoryAttachment } from '../../model/memory.js';
import type { FileContent } from '../../profile/formats/content.js';
import { decodePprof } from '../../profile/formats/pprof.js';
import { isHeapProfile, parseHeapProfile } from './heapprofile.js';
import { mprofReader, parseMprof } from './mprof.js';
import { readFileLines } from '../../model/lines.js';
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

export type MemoryImporter = Importer<MemoryFormat, FileContent, MemoryAttachment, IngestOptions>;

/** The text, trimmed at the start (every text format is recognised by how it begins). */
const start = (content: FileContent): string => content.text?.trimStart() ?? '';
/** The JSON value of a JSON dump; undefined for other text. */
const jsonOf = (content: FileContent): unknown =>
  start(content).startsWith('{') ? content.data : undefined;

/** Go heap/allocs profiles are binary (often gzipped) protobuf; everything else is text. */
function memoryPprof(bytes: Uint8Array): Profile | undefined {
  let raw: Uint8Array = bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      raw = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  } else if (!bytes.subarray(0, 4096).some((b) => b < 0x09)) return undefined;
  const profile = decodePprof(raw);
  return profile && isMemoryPprof(profile) ? profile : undefined;
}

const pprofImporter: MemoryImporter = {
  name: 'pprof',
  describes: 'a Go heap/allocs pprof profile',
  detect: (content) => memoryPprof(content.bytes) !== undefined,
  parse(content, file, options) {
    const profile = memoryPprof(content.bytes);
    if (!profile) throw new InputError('not a Go heap/allocs pprof profile', file);
    return parsePprofMemory(profile, file, options);
  },
};

const mprofImporter: MemoryImporter = {
  name: 'mprof',
  describes: 'an `mprof run` .dat file',
  detect: (content) => /^(CMDLINE|MEM|FUNC|CHLD)\s/.test(start(content)),
  parse: (content) => parseMprof(content.text ?? ''),
  // Long runs are large: read line by line.
  readFile: (file) => readFileLines(mprofReader(), file, 'memory'),
};

const tracemallocJsonImporter: MemoryImporter = {
  name: 'tracemalloc-json',
  describes: 'a perfgate tracemalloc JSON dump',
  detect: (content) => isTracemallocJson(jsonOf(content)),
  parse: (content, file, options) =>
    parseTracemallocJson(parseJson(content.text ?? '', file), options.projectRoot),
};

const heapprofileImporter: MemoryImporter = {
  name: 'heapprofile',
  describes: 'a V8 .heapprofile',
  detect: (content) => isHeapProfile(jsonOf(content)),
  parse: (content, file, options) =>
    parseHeapProfile(parseJson(content.text ?? '', file), options, file),
};

const tracemallocTextImporter: MemoryImporter = {
  name: 'tracemalloc-text',
  describes: 'a perfgate tracemalloc text dump',
  detect: (content) => !start(content).startsWith('{') && looksLikeTracemallocText(start(content)),
  parse: (content, _file, options) => parseTracemallocText(start(content), options.projectRoot),
};

export const MEMORY_IMPORTERS: ImporterTable<MemoryImporter> = {
  input: 'memory',
  importers: [
    pprofImporter,
    mprofImporter,
    tracemallocJsonImporter,
    heapprofileImporter,
    tracemallocTextImporter,
  ],
};

export { FileContent } from '../../profile/formats/content.js';
