/**
 * Foreign result files → one Run: pick the importer of each file, parse, refuse an empty result,
 * merge the benchmarks (a repeated id keeps its first occurrence). Pure: files come in as text.
 */
import { InputError } from '../model/errors.js';
import { SCHEMA_VERSION, type Benchmark, type Meta, type Run } from '../model/run.js';
import type { FormatName, ImportContext } from './importer.js';
import { chooseImporter, type FormatChoice } from './registry.js';

export interface ResultFile extends ImportContext {
  /** The path as the user gave it (shown in errors and kept in the Run's meta.source). */
  file: string;
  text: string;
}

export interface IngestResult {
  run: Run;
  warnings: string[];
}

export interface ImportedFile {
  file: string;
  format: FormatName;
  benchmarks: Benchmark[];
  warnings: string[];
}

/** One file through its importer; a file with no benchmarks is an InputError. */
export function importFile(input: ResultFile, format: FormatChoice): ImportedFile {
  const importer = chooseImporter(input.text, input.file, format);
  const { benchmarks, warnings } = importer.parse(input.text, input.file, input);
  if (benchmarks.length === 0) {
    throw new InputError(
      `no benchmarks in this ${importer.describes}: an empty result never passes the gate ` +
        '(did the benchmark run fail, or filter everything out?)',
      input.file,
    );
  }
  return { file: input.file, format: importer.name, benchmarks, warnings };
}

/** Several files (one run of the tools) → one Run with `meta`. */
export function ingest(
  files: readonly ResultFile[],
  format: FormatChoice,
  meta: Omit<Meta, 'source'>,
): IngestResult {
  if (files.length === 0) throw new InputError('no result files given');
  const imported = files.map((file) => importFile(file, format));
  return mergeImports(imported, meta);
}

export function mergeImports(
  imported: readonly ImportedFile[],
  meta: Omit<Meta, 'source'>,
): IngestResult {
  const warnings = imported.flatMap((file) => file.warnings);
  const byId = new Map<string, { benchmark: Benchmark; file: string }>();
  for (const { file, benchmarks } of imported) {
    for (const benchmark of benchmarks) {
      const first = byId.get(benchmark.id);
      if (!first) byId.set(benchmark.id, { benchmark, file });
      // criterion: the same benchmark read through its estimates.json and its sample.json.
      else if (JSON.stringify(first.benchmark) !== JSON.stringify(benchmark)) {
        warnings.push(
          `${file}: benchmark id "${benchmark.id}" also in ${first.file}; the first is kept`,
        );
      }
    }
  }
  const benchmarks = [...byId.values()].map(({ benchmark }) => benchmark);
  const failed = benchmarks.filter((b) => b.error !== undefined);
  for (const b of failed) warnings.push(`${b.id}: ${b.error}`);
  return {
    run: {
      schemaVersion: SCHEMA_VERSION,
      tool: 'perfgate',
      meta: {
        ...meta,
        source: { files: imported.map(({ file, format }) => ({ file, format })) },
      },
      benchmarks,
    },
    warnings,
  };
}
