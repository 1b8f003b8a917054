/**
 * The table of CPU-profile importers (the shared Importer shape, src/model/importer.ts), in
 * detection order: the JSON formats by their shape, then the binary ones, loose text last.
 */
import { InputError } from '../../model/errors.js';
import type { Importer, ImporterTable } from '../../model/importer.js';
import type { ProfileSummary } from '../analysis.js';
import type { ProfileTree } from '../tree.js';
import { collapsedToTree, looksLikeCollapsed } from './collapsed.js';
import type { FileContent } from './content.js';
import type { ReadOptions } from './options.js';
import { looksLikePerfScript, perfScriptToTree } from './perf-script.js';
import { pprofToTree } from './pprof.js';
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

export interface ProfileImporter extends Importer<
  ProfileFormat,
  FileContent,
  { tree: ProfileTree; summary?: ProfileSummary },
  ReadOptions
> {
  /** Reads JSON: a file that starts like JSON is malformed unless one of these claims it. */
  json?: true;
  /**
   * Detection is a guess (a marshalled pstats dict starts with `{` like JSON): when parsing a
   * detected file fails, the next importer is tried.
   */
  tentative?: true;
}

/** The text of a text format; binary content is not this format. */
function textOf(content: FileContent, file: string, importer: ProfileImporter): string {
  if (content.text === undefined)
    throw new InputError(`binary data, not ${importer.describes}`, file);
  return content.text;
}

/** The JSON value of a JSON format, or an error naming the format and the problem. */
function jsonOf(content: FileContent, file: string, importer: ProfileImporter): unknown {
  const view = content.json;
  if (!view) throw new InputError(`not JSON, so not ${importer.describes}`, file);
  if ('error' in view) throw new InputError(`${view.error}, so not ${importer.describes}`, file);
  return view.data;
}

const v8Importer: ProfileImporter = {
  name: 'v8',
  describes: 'V8 .cpuprofile',
  json: true,
  detect: (content) => looksLikeV8(content.data),
  parse(content, file, options) {
    const data = jsonOf(content, file, this);
    if (!looksLikeV8(data))
      throw new InputError('JSON without the nodes and samples of a V8 .cpuprofile', file);
    return { tree: v8ToTree(data, file, options) };
  },
};

const speedscopeImporter: ProfileImporter = {
  name: 'speedscope',
  describes: 'speedscope JSON',
  json: true,
  detect: (content) => looksLikeSpeedscope(content.data),
  parse(content, file, options) {
    const data = jsonOf(content, file, this);
    if (!looksLikeSpeedscope(data))
      throw new InputError('JSON without the $schema or profiles of a speedscope file', file);
    return { tree: speedscopeToTree(data, file, options) };
  },
};

const pstatsImporter: ProfileImporter = {
  name: 'pstats',
  describes: 'Python cProfile/pstats',
  tentative: true,
  detect: (content) => looksLikePstats(content.bytes),
  parse(content, file, options) {
    if (!looksLikePstats(content.bytes))
      throw new InputError('not a marshalled pstats dict (cProfile -o output)', file);
    return readPstats(content.bytes, file, options);
  },
};

const pprofImporter: ProfileImporter = {
  name: 'pprof',
  describes: 'pprof protobuf (gzipped or not)',
  // protobuf has no magic number: only binary content is tried unless the format is named.
  detect: (content) => content.text === undefined && content.pprof !== undefined,
  parse(content, file, options) {
    const profile = content.pprof;
    if (!profile) throw new InputError('not a valid pprof protobuf', file);
    return { tree: pprofToTree(profile, file, options) };
  },
};

const perfImporter: ProfileImporter = {
  name: 'perf',
  describes: 'perf script text',
  detect: (content) => content.text !== undefined && looksLikePerfScript(content.text),
  parse(content, file, options) {
    return { tree: perfScriptToTree(textOf(content, file, this), file, options) };
  },
};

const collapsedImporter: ProfileImporter = {
  name: 'collapsed',
  describes: 'collapsed/folded stacks',
  detect: (content) => content.text !== undefined && looksLikeCollapsed(content.text),
  parse(content, file, options) {
    return { tree: collapsedToTree(textOf(content, file, this), file, options) };
  },
};

export const PROFILE_IMPORTERS: ImporterTable<ProfileImporter> = {
  input: 'profile',
  importers: [
    v8Importer,
    speedscopeImporter,
    pstatsImporter,
    pprofImporter,
    perfImporter,
    collapsedImporter,
  ],
};
