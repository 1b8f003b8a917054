/** Reads a profile file of any supported format, detecting the format from its content. */
import { gunzipSync } from 'node:zlib';
import { InputError, messageOf } from '../../model/errors.js';
import {
  decodeText,
  formatLimit,
  inputLimit,
  jsonDepth,
  MAX_JSON_DEPTH,
  readInputFile,
} from '../../model/io.js';
import { summarize, type ProfileSummary } from '../analysis.js';
import type { ProfileTree } from '../tree.js';
import { collapsedToTree, looksLikeCollapsed } from './collapsed.js';
import type { ReadOptions } from './options.js';
import { looksLikePerfScript, perfScriptToTree } from './perf-script.js';
import { decodePprof, pprofToTree } from './pprof.js';
import { looksLikePstats, readPstats } from './pstats.js';
import { looksLikeSpeedscope, speedscopeToTree } from './speedscope.js';
import { looksLikeV8, v8ToTree } from './v8.js';

export const PROFILE_FORMATS = [
  'v8',
  'pprof',
  'speedscope',
  'pstats',
  'perf',
  'collapsed',
] as const;
export type ProfileFormat = (typeof PROFILE_FORMATS)[number];

export const FORMAT_NAMES: Record<ProfileFormat, string> = {
  v8: 'V8 .cpuprofile',
  pprof: 'pprof protobuf (gzipped or not)',
  speedscope: 'speedscope JSON',
  pstats: 'Python cProfile/pstats',
  perf: 'perf script text',
  collapsed: 'collapsed/folded stacks',
};

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

function isText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i += 1) {
    const b = bytes[i];
    if (b < 0x09) return false;
  }
  return true;
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
      bytes = gunzipSync(bytes, { maxOutputLength: inputLimit('profile') });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new InputError(
          `gzip data inflates to more than the ${formatLimit(inputLimit('profile'))} perfgate reads as profile input`,
          file,
        );
      }
      throw new InputError(`corrupt gzip data (${messageOf(error)})`, file);
    }
  }
  if (bytes.length === 0) throw unknown(file, 'empty file');
  const wanted = options.format;
  const withSummary = (format: ProfileFormat, tree: ProfileTree): LoadedProfile => ({
    format,
    tree,
    summary: summarize(tree),
  });
  const text = isText(bytes) ? decodeText(bytes) : undefined;
  const firstChar = text?.trimStart()[0];
  let jsonError: string | undefined;

  if (
    text !== undefined &&
    (firstChar === '{' || firstChar === '[') &&
    (!wanted || wanted === 'v8' || wanted === 'speedscope')
  ) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      jsonError = messageOf(error);
    }
    if (jsonError === undefined && jsonDepth(data) > MAX_JSON_DEPTH)
      throw unknown(file, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    if (jsonError === undefined) {
      if ((!wanted || wanted === 'v8') && looksLikeV8(data))
        return withSummary('v8', v8ToTree(data, file, options));
      if ((!wanted || wanted === 'speedscope') && looksLikeSpeedscope(data))
        return withSummary('speedscope', speedscopeToTree(data, file, options));
      throw unknown(file, 'JSON, but neither a V8 .cpuprofile nor a speedscope file');
    }
    // A marshalled pstats dict starts with '{' too: try it before calling the JSON malformed.
    if (!looksLikePstats(bytes)) throw unknown(file, `malformed JSON: ${jsonError}`);
  }
  if ((!wanted || wanted === 'pstats') && looksLikePstats(bytes)) {
    try {
      const { tree, summary } = readPstats(bytes, file, options);
      return { format: 'pstats', tree, summary };
    } catch (error) {
      if (wanted === 'pstats') throw error;
    }
  }
  if (!wanted || wanted === 'pprof') {
    const profile = text === undefined || wanted === 'pprof' ? decodePprof(bytes) : undefined;
    if (profile) return withSummary('pprof', pprofToTree(profile, file, options));
    if (wanted === 'pprof') throw new InputError('not a valid pprof protobuf', file);
  }
  if (text !== undefined) {
    if ((!wanted || wanted === 'perf') && (wanted === 'perf' || looksLikePerfScript(text)))
      return withSummary('perf', perfScriptToTree(text, file, options));
    if ((!wanted || wanted === 'collapsed') && (wanted === 'collapsed' || looksLikeCollapsed(text)))
      return withSummary('collapsed', collapsedToTree(text, file, options));
  }
  throw unknown(file, jsonError ? `malformed JSON: ${jsonError}` : undefined);
}

export async function readProfile(
  file: string,
  options: ReadOptions & { format?: ProfileFormat } = {},
): Promise<LoadedProfile> {
  return parseProfile(await readInputFile(file, 'profile'), file, options);
}
