/**
 * The profiles of a pull-request run as one artifact: the raw `.cpuprofile` of every benchmark
 * (they open in Chrome DevTools or speedscope) and, for each regressed benchmark, the
 * differential flame graph (SVG) and its speedscope export. The comment links to the artifact.
 */
import * as core from '@actions/core';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { messageOf } from '../model/errors.js';
import type { Run } from '../model/run.js';
import type { FlameGraphFile } from '../profile/flamegraph-files.js';
import type { MarkdownOptions } from '../report/index.js';
import { uploadFiles, type UploadOptions } from './artifacts.js';

export interface ProfilesUpload {
  /** The flame graphs the engine drew for the regressed benchmarks. */
  flames: Record<string, FlameGraphFile[]>;
  run: Run;
  /** Folder the Run was written to (raw profiles are under `profiles/`, relative to it). */
  outDir: string;
  artifactName: string;
  upload: UploadOptions;
  /** The workflow run page: artifact links are `<runUrl>/artifacts/<id>`. */
  runUrl: string;
}

/** Uploads the profiles; returns the report links by benchmark id ({} when there is nothing). */
export async function uploadProfiles(
  options: ProfilesUpload,
): Promise<NonNullable<MarkdownOptions['links']>> {
  const { flames, run, outDir } = options;
  try {
    const files: Record<string, Uint8Array> = {};
    for (const benchmark of run.benchmarks) {
      const raw = benchmark.profile?.rawFile;
      if (raw) files[`profiles/${basename(raw)}`] = await readFile(join(outDir, raw));
    }
    for (const written of Object.values(flames)) {
      for (const { file } of written) files[`flamegraphs/${basename(file)}`] = await readFile(file);
    }
    if (Object.keys(files).length === 0) return {};
    const { id } = await uploadFiles(options.artifactName, files, options.upload);
    const url = id ? `${options.runUrl}/artifacts/${id}` : options.runUrl;
    core.info(`Uploaded the profiles as artifact ${options.artifactName}.`);
    const links: NonNullable<MarkdownOptions['links']> = {};
    for (const id of Object.keys(flames)) links[id] = [{ label: 'flame graph', url }];
    return links;
  } catch (error) {
    // Profiles are an aid to the reviewer: their loss must not fail the check.
    core.warning(`perfgate: the profiles artifact was not uploaded: ${messageOf(error)}`);
    return {};
  }
}
