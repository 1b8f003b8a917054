import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ResultFile } from '../../src/ingest/index.js';

export const FIXTURES = resolve(import.meta.dirname, '..', 'fixtures', 'ingest');

/** A fixture file as the importers get it (siblings read from its folder). */
export function fixture(path: string): ResultFile {
  const absolute = join(FIXTURES, path);
  return {
    file: path,
    text: readFileSync(absolute, 'utf8'),
    sibling: (name) => {
      try {
        return readFileSync(join(dirname(absolute), name), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** gab's 24 outputs and the `tool` name gab's own tests read each with. */
export const GAB_OUTPUTS: ReadonlyArray<[file: string, tool: string]> = [
  ['benchmarkdotnet.json', 'benchmarkdotnet'],
  ['benchmarkjs_output.txt', 'benchmarkjs'],
  ['benchmarkluau_output.txt', 'benchmarkluau'],
  ['cargo_output.txt', 'cargo'],
  ['cargo_output2.txt', 'cargo'],
  ['cargo_output3.txt', 'cargo'],
  ['cargo_output_units.txt', 'cargo'],
  ['catch2_output_v2.txt', 'catch2'],
  ['catch2_output_v3.txt', 'catch2'],
  ['criterion_output.txt', 'cargo'],
  ['customBiggerIsBetter_output.json', 'customBiggerIsBetter'],
  ['customSmallerIsBetter_output.json', 'customSmallerIsBetter'],
  ['customSmallerIsBetter_output2.json', 'customSmallerIsBetter'],
  ['go_fiber_duplicate_names_output.txt', 'go'],
  ['go_fiber_output.txt', 'go'],
  ['go_output.txt', 'go'],
  ['go_single_package_output.txt', 'go'],
  ['googlecpp_output.json', 'googlecpp'],
  ['issue16_output.txt', 'catch2'],
  ['jmh_output.json', 'jmh'],
  ['jmh_output_2.json', 'jmh'],
  ['julia_output.json', 'julia'],
  ['pytest_output.json', 'pytest'],
  ['pytest_several_units.json', 'pytest'],
];
