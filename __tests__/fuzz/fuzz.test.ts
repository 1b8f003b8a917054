// Property-based fuzzing of every importer over the real fixtures (bounded here; `npm run fuzz`
// runs the long version): each mutant is parsed or refused by an InputError naming the file.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { InputError } from '../../src/model/errors.js';
import {
  INTERNAL_MESSAGE,
  mutant,
  parsedOrRefused,
  pprofFieldMutant,
  TARGETS,
  wrongTypeMutant,
  type Target,
} from './importers.js';

const RUNS = Number(process.env.PERFGATE_FUZZ_RUNS ?? 25);

describe('importers never crash', () => {
  for (const target of TARGETS) {
    for (const seed of target.seeds) {
      it(`${target.name}: mutants of ${seed.file}`, async () => {
        await fc.assert(
          fc.asyncProperty(mutant(seed.bytes), (bytes) =>
            parsedOrRefused(target, bytes, seed.file),
          ),
          { numRuns: RUNS, seed: Number(process.env.PERFGATE_FUZZ_SEED ?? 14) },
        );
      }, 120_000);
    }
  }
});

/** Parsed, or refused by an InputError naming the file and the field: no internal message. */
async function parsedOrRefusedByField(target: Target, bytes: Uint8Array, file: string) {
  try {
    await target.parse(bytes, file);
  } catch (error) {
    if (
      error instanceof InputError &&
      error.message.includes(file) &&
      !INTERNAL_MESSAGE.test(error.message)
    )
      return;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${target.name} importer: a wrong-type mutant of ${file}: ${message}`);
  }
}

// Formats whose readers check every field by type: V8 and speedscope profiles, pprof (decoded
// fields), pg_stat_statements, V8 heap profiles, tracemalloc dumps, Runs.
const FIELD_CHECKED =
  /\.(cpuprofile|speedscope\.json|heapprofile)$|^pg-stat-statements\.json$|^tracemalloc-.*\.json$|^head\.json$/;
const PPROF = /\.pprof(\.gz)?$/;

describe('wrong-type mutants are refused by field', () => {
  for (const target of TARGETS) {
    for (const seed of target.seeds) {
      const arbitrary = FIELD_CHECKED.test(seed.file)
        ? wrongTypeMutant(seed.bytes)
        : PPROF.test(seed.file)
          ? pprofFieldMutant(seed.bytes)
          : undefined;
      if (!arbitrary) continue;
      it(`${target.name}: wrong-type mutants of ${seed.file}`, async () => {
        await fc.assert(
          fc.asyncProperty(arbitrary, (bytes) => parsedOrRefusedByField(target, bytes, seed.file)),
          { numRuns: RUNS * 2, seed: Number(process.env.PERFGATE_FUZZ_SEED ?? 14) },
        );
      }, 120_000);
    }
  }
});
