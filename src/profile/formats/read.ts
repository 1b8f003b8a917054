/**
 * Reads a profile file of any supported format, detecting the format from its content with the
 * importer table (./registry.ts).
 */
import { gunzipSync } from 'node:zlib';
import { InputError, messageOf } from '../../model/errors.js';
import { importerNamed } from '../../model/importer.js';
import { formatLimit, inputLimit, readInputFile } from '../../model/io.js';
import { summarize, type ProfileSummary } from '../analysis.js';
import type { ProfileTree } from '../tree.js';
import { FileContent } from './content.js';
import type { ReadOptions } from './options.js';
import {
  PROFILE_FORMATS,
  PROFILE_IMPORTERS,
  type ProfileFormat,
  type ProfileImporter,
} from './registry.js';

export { PROFILE_FORMATS, type ProfileFormat } from './registry.js';

/** What each format is, by name (help and errors). */
export const FORMAT_NAMES = Object.fromEntries(
  PROFILE_IMPORTERS.importers.map((importer) => [importer.name, importer.describes]),
) as Record<ProfileFormat, string>;

export interface LoadedProfile {
  format: ProfileFormat;
  tree: ProfileTree;
  /** Per-function stats (exact for pstats, from the tree otherwise). */
  summary: ProfileSummary;
}

const TRIED = PROFILE_FORMATS.map((f) => FORMAT_NAMES[f]).join(', ');

function unknown(file: string, detail?: string): InputError {
  return new InputError(
    `not a supported profile${detail ? ` (${detail})` : ''}; formats tried: ${TRIED}`,
    file,
  );
}

/**
 * Parses profile bytes; `format` skips detection. A format reader that meets a structure it does
 * not check field by field fails with an InputError naming the file and the format, never with an
 * internal TypeError.
 */
export function parseProfile(
  input: Uint8Array,
  file: string,
  options: ReadOptions & { format?: ProfileFormat } = {},
): LoadedProfile {
  try {
    return parseProfileUnchecked(input, file, options);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`not a valid profile: unexpected structure (${messageOf(error)})`, file);
  }
}

function parseProfileUnchecked(
  input: Uint8Array,
  file: string,
  options: ReadOptions & { format?: ProfileFormat } = {},
): LoadedProfile {
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      // Inflation bounded by output size: a small gzip bomb must not fill memory.
      bytes = gunzipSync(bytes, { maxOutputLength: inputLimit(PROFILE_IMPORTERS.input) });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new InputError(
          `gzip data inflates to more than the ${formatLimit(inputLimit(PROFILE_IMPORTERS.input))} perfgate reads as profile input`,
          file,
        );
      }
      throw new InputError(`corrupt gzip data (${messageOf(error)})`, file);
    }
  }
  if (bytes.length === 0) throw unknown(file, 'empty file');
  const content = new FileContent(bytes);
  const load = (importer: ProfileImporter): LoadedProfile => {
    const { tree, summary } = importer.parse(content, file, options);
    return { format: importer.name, tree, summary: summary ?? summarize(tree) };
  };
  // A named format skips detection: its importer says what is wrong with the file.
  if (options.format) return load(importerNamed(PROFILE_IMPORTERS, options.format));

  const { importers } = PROFILE_IMPORTERS;
  const json = content.json;
  const jsonError = json && 'error' in json ? json.error : undefined;
  if (json && !jsonError && !importers.some((i) => i.json && i.detect(content, file)))
    throw unknown(file, 'JSON, but neither a V8 .cpuprofile nor a speedscope file');
  // Text that starts like JSON but does not parse: malformed, unless a binary format claims it.
  if (jsonError && !importers.some((i) => !i.json && i.tentative && i.detect(content, file)))
    throw unknown(file, jsonError);
  for (const importer of importers) {
    if (!importer.detect(content, file)) continue;
    if (!importer.tentative) return load(importer);
    try {
      return load(importer);
    } catch {
      // a guess that did not hold: try the next format
    }
  }
  throw unknown(file, jsonError);
}

export async function readProfile(
  file: string,
  options: ReadOptions & { format?: ProfileFormat } = {},
): Promise<LoadedProfile> {
  return parseProfile(await readInputFile(file, PROFILE_IMPORTERS.input), file, options);
}
