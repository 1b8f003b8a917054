// Property-based fuzzing of every importer over the real fixtures (bounded here; `npm run fuzz`
// runs the long version): each mutant is parsed or refused by an InputError naming the file.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { mutant, parsedOrRefused, TARGETS } from './importers.js';

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
