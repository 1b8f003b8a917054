/**
 * criterion.rs's files: `target/criterion/<id>/new/{benchmark,estimates,sample}.json`. sample.json
 * holds every sample (`times[i]` ns over `iters[i]` iterations): those are the samples, per
 * iteration; estimates.json's mean and standard deviation are used only when sample.json is
 * missing. benchmark.json's `full_id` is the id. Give the folder (target/criterion) or any of the
 * files; one benchmark per `new/` folder.
 */
import { InputError } from '../../model/errors.js';
import { rawBenchmark, summaryBenchmark } from '../build.js';
import { isFiniteNumber, isRecord, parseJsonOf, tryJson, type JsonRecord } from '../content.js';
import type { Importer } from '../importer.js';

const FILE_NAME = /(^|[\\/])(benchmark|estimates|sample)\.json$/;

export const criterionImporter: Importer = {
  name: 'criterion',
  describes: 'criterion.rs files (target/criterion/**/new/{estimates,sample,benchmark}.json)',
  folderGlob: '**/new/estimates.json',
  detect(text, fileName) {
    if (!FILE_NAME.test(fileName)) return false;
    const data = tryJson(text);
    return (
      isRecord(data) && (isEstimates(data) || isSample(data) || typeof data.full_id === 'string')
    );
  },
  parse(text, file, context) {
    const data = parseJsonOf(text, file, 'criterion');
    if (!isRecord(data)) throw new InputError('not a criterion file: expected a JSON object', file);
    const folder = file.replace(/[\\/][^\\/]*$/, '');
    const read = (name: string): JsonRecord | undefined => {
      if (file.endsWith(name)) return data;
      const sibling = context.sibling(name);
      const parsed =
        sibling === undefined ? undefined : parseJsonOf(sibling, `${folder}/${name}`, 'criterion');
      return isRecord(parsed) ? parsed : undefined;
    };
    const benchmark = read('benchmark.json');
    const id = typeof benchmark?.full_id === 'string' ? benchmark.full_id : idFromFolder(folder);
    const groupId = typeof benchmark?.group_id === 'string' ? benchmark.group_id : undefined;
    const identity = {
      id,
      name: groupId && id.startsWith(`${groupId}/`) ? id.slice(groupId.length + 1) : id,
      file: '',
      ...(groupId && groupId !== id ? { group: groupId } : {}),
      unit: 'ns',
      direction: 'smaller' as const,
    };
    const sample = read('sample.json');
    if (sample && isSample(sample)) {
      const iters = sample.iters as number[];
      const times = sample.times as number[];
      const samples = times.map((time, i) => time / iters[i]!);
      return { benchmarks: [rawBenchmark({ ...identity, samples })], warnings: [] };
    }
    const estimates = read('estimates.json');
    if (!estimates || !isEstimates(estimates)) {
      throw new InputError(`no sample.json or estimates.json next to this file (${folder})`, file);
    }
    return {
      benchmarks: [
        summaryBenchmark({
          ...identity,
          summary: {
            mean: pointOf(estimates.mean)!,
            sd: pointOf(estimates.std_dev),
            median: pointOf(estimates.median),
          },
        }),
      ],
      warnings: [`${folder}: no sample.json; criterion's estimates (mean ± sd) are used`],
    };
  },
};

function isSample(data: JsonRecord): boolean {
  return (
    Array.isArray(data.iters) &&
    Array.isArray(data.times) &&
    data.iters.length === data.times.length &&
    data.iters.length > 0 &&
    data.iters.every((n) => isFiniteNumber(n) && n > 0) &&
    data.times.every(isFiniteNumber)
  );
}

function isEstimates(data: JsonRecord): boolean {
  return pointOf(data.mean) !== undefined;
}

function pointOf(estimate: unknown): number | undefined {
  return isRecord(estimate) && isFiniteNumber(estimate.point_estimate)
    ? estimate.point_estimate
    : undefined;
}

/** Without benchmark.json: the folder path below target/criterion, without `/new`. */
function idFromFolder(folder: string): string {
  const parts = folder.split(/[\\/]/);
  const below = parts.lastIndexOf('criterion');
  const path = parts.slice(below >= 0 ? below + 1 : -2, -1);
  return path.join('/') || (parts[parts.length - 2] ?? folder);
}
