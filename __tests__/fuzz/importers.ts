// The fuzz targets: every importer of a file perfgate reads, with the real fixtures it starts
// from. Shared by the bounded run in the test suite and the long one (`npm run fuzz`).
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Profile } from 'pprof-format';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../src/model/errors.js';
import { parseRun, serializeRun } from '../../src/model/io.js';
import { readMemoryData } from '../../src/memory/ingest/index.js';
import { parseProfile } from '../../src/profile/formats/read.js';
import { ingest } from '../../src/ingest/index.js';
import { decodeText } from '../../src/model/io.js';
import { readQueryLogs } from '../../src/queries/ingest/index.js';
import { makeRun } from '../helpers/runs.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;

export interface Target {
  name: string;
  /** Real inputs the mutations start from. */
  seeds: Array<{ file: string; bytes: Uint8Array }>;
  /** Parses the bytes as the importer does for a file called `file`. */
  parse(bytes: Uint8Array, file: string): Promise<unknown>;
}

const scratch = mkdtempSync(join(tmpdir(), 'perfgate-fuzz-'));

/** The foreign-result fixtures: gab's outputs and the real base/head pairs (one file each). */
function ingestSeeds(): Array<{ file: string; bytes: Uint8Array }> {
  const gab = seeds('ingest/gab', (n) => /\.(json|txt)$/.test(n));
  const real = readdirSync(join(FIXTURES, 'ingest/real')).flatMap((tool) =>
    seeds(`ingest/real/${tool}`, (n) => /^(base|head)\.(json|txt)$/.test(n)).map((s) => ({
      ...s,
      file: `${tool}-${s.file}`,
    })),
  );
  return [...gab, ...real];
}

function seeds(folder: string, keep: (name: string) => boolean) {
  return readdirSync(join(FIXTURES, folder))
    .filter(keep)
    .map((name) => ({ file: name, bytes: readFileSync(join(FIXTURES, folder, name)) }));
}

export const TARGETS: Target[] = [
  {
    name: 'profile',
    seeds: seeds(
      'profiles',
      (n) => /\.(cpuprofile|pprof|gz|prof|json|txt)$/.test(n) && !n.endsWith('.expected.json'),
    ),
    parse: async (bytes, file) => parseProfile(bytes, file),
  },
  {
    name: 'queries',
    seeds: seeds('queries', (n) => /\.(log|csv|json|jsonl|txt)$/.test(n)),
    parse: async (bytes, file) => {
      // Keep the fixture's extension: detection looks at it.
      const path = join(scratch, file);
      writeFileSync(path, bytes);
      return readQueryLogs([path], { input: 'auto', nPlusOne: 5 });
    },
  },
  {
    name: 'memory',
    seeds: [
      ...seeds('memory/python', (n) => /\.(dat|json|txt)$/.test(n)),
      ...seeds('memory/heapprofile', (n) => n.endsWith('.heapprofile')),
      ...seeds('memory/go', (n) => n.endsWith('.pprof')),
    ],
    parse: async (bytes, file) => {
      // Through the file: mprof runs are read line by line, the rest whole.
      const path = join(scratch, file);
      writeFileSync(path, bytes);
      return readMemoryData(path);
    },
  },
  {
    name: 'ingest',
    seeds: ingestSeeds(),
    parse: async (bytes, file) => {
      // The custom formats say nothing of their direction: gab's users name them.
      const custom = /^custom(Bigger|Smaller)IsBetter/.exec(file);
      const format = custom ? (custom[0] as 'customBiggerIsBetter') : 'auto';
      return ingest([{ file, text: decodeText(bytes), sibling: () => undefined }], format, {
        timestamp: new Date(0).toISOString(),
        env: { os: 'linux', cpu: 'fuzz', cores: 1, node: 'v20', runner: 'local' },
      });
    },
  },
  {
    name: 'run',
    seeds: [
      {
        file: 'head.json',
        bytes: Buffer.from(
          serializeRun(
            makeRun(undefined, [
              { name: 'a', ns: 100 },
              { name: 'b', ns: 2000 },
            ]),
          ),
        ),
      },
    ],
    parse: async (bytes, file) => parseRun(Buffer.from(bytes).toString('utf8'), file),
  },
];

/** JSON text of a value of the wrong kind, a huge or odd number, or deep nesting. */
const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'null',
    'true',
    '""',
    '"x"',
    '[]',
    '{}',
    '-1',
    '0',
    '1e308',
    '-1e308',
    '1e999',
    '9007199254740993',
    '1e-320',
    '-0.5',
  ),
  fc.integer({ min: 2, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
  fc
    .integer({ min: 2, max: 20_000 })
    .map((depth) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)),
  fc.string({ maxLength: 20 }).map((text) => JSON.stringify(text)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
);
const SENTINEL = 'perfgate-fuzz-sentinel';

/** Replaces the value at a random path of a JSON document. */
function mutateJson(data: unknown, pick: number[], value: unknown): unknown {
  if (pick.length === 0 || data === null || typeof data !== 'object') return value;
  const keys = Object.keys(data as object);
  if (keys.length === 0) return value;
  const key = keys[pick[0]! % keys.length]!;
  const copy = (Array.isArray(data) ? [...data] : { ...(data as object) }) as Record<
    string,
    unknown
  >;
  copy[key] = mutateJson(copy[key], pick.slice(1), value);
  return copy;
}

/** A mutation of a seed: truncation, byte flips, inserted bytes, or a JSON value replaced. */
export function mutant(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const text = Buffer.from(seed).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const truncated = fc.nat({ max: seed.length }).map((n) => seed.slice(0, n));
  const flipped = fc
    .array(
      fc.tuple(fc.nat({ max: Math.max(0, seed.length - 1) }), fc.integer({ min: 0, max: 255 })),
      {
        minLength: 1,
        maxLength: 16,
      },
    )
    .map((flips) => {
      const copy = Uint8Array.from(seed);
      for (const [at, byte] of flips) copy[at] = byte;
      return copy;
    });
  const inserted = fc
    .tuple(fc.nat({ max: seed.length }), fc.uint8Array({ minLength: 1, maxLength: 64 }))
    .map(([at, bytes]) => Buffer.concat([seed.slice(0, at), bytes, seed.slice(at)]));
  const lineDuplicated = fc.nat().map((n) => {
    const lines = text.split('\n');
    const i = n % lines.length;
    return Buffer.from(
      [...lines.slice(0, i), ...Array(50).fill(lines[i]), ...lines.slice(i)].join('\n'),
    );
  });
  const options: Array<fc.Arbitrary<Uint8Array>> = [truncated, flipped, inserted, lineDuplicated];
  if (json !== undefined) {
    options.push(
      fc
        .tuple(fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), hostileJson)
        .map(([pick, value]) =>
          // The hostile value is spliced in as text: deep nesting would overflow JSON.stringify here.
          Buffer.from(
            JSON.stringify(mutateJson(json, pick, SENTINEL)).replace(`"${SENTINEL}"`, () => value),
          ),
        ),
    );
  }
  return fc.oneof(...options);
}

/** Paths of every value of a JSON document (walked without recursion), root excluded. */
export function jsonPaths(data: unknown, limit = 200_000): Array<Array<string | number>> {
  const paths: Array<Array<string | number>> = [];
  const stack: Array<[unknown, Array<string | number>]> = [[data, []]];
  while (stack.length > 0 && paths.length < limit) {
    const [value, path] = stack.pop()!;
    if (path.length > 0) paths.push(path);
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value))
      stack.push([child, [...path, Array.isArray(value) ? Number(key) : key]]);
  }
  return paths;
}

/** JSON values of another type than `value`'s (what a careless writer puts in a field). */
function wrongTypes(value: unknown): unknown[] {
  if (value === null) return [{}, 0, 'x', []];
  if (Array.isArray(value)) return [{}, 'x', 3, null, [[]]];
  switch (typeof value) {
    case 'number':
      return [String(value), null, [], {}, true];
    case 'string':
      return [42, null, [], {}, false];
    case 'boolean':
      return [String(value), 1, null];
    default:
      return [[], 'x', 3, null];
  }
}

/** The document with the value at `path` replaced (only the objects on the path are copied). */
function replaceAt(data: unknown, path: Array<string | number>, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(data) ? [...data] : { ...(data as object) }) as Record<
    string | number,
    unknown
  >;
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), value);
  return copy;
}

/**
 * Wrong-type mutants of a JSON seed: one field, anywhere in the document, replaced by a value of
 * another type. Undefined when the seed is not JSON.
 */
export function wrongTypeMutant(seed: Uint8Array): fc.Arbitrary<Uint8Array> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(decodeText(seed));
  } catch {
    return undefined;
  }
  const paths = jsonPaths(json);
  if (paths.length === 0) return undefined;
  return fc.tuple(fc.nat({ max: paths.length - 1 }), fc.nat()).map(([i, j]) => {
    const path = paths[i]!;
    let value: unknown = json;
    for (const key of path) value = (value as Record<string | number, unknown>)[key];
    const choices = wrongTypes(value);
    return Buffer.from(JSON.stringify(replaceAt(json, path, choices[j % choices.length])));
  });
}

/**
 * Decoded-field mutants of a pprof seed: a sample with one value too many or too few, an unknown
 * location or function id, a string index past the table, a location id 0, a huge value.
 */
export function pprofFieldMutant(seed: Uint8Array): fc.Arbitrary<Uint8Array> {
  const raw = seed[0] === 0x1f && seed[1] === 0x8b ? gunzipSync(seed) : seed;
  return fc.tuple(fc.nat({ max: 6 }), fc.nat(), fc.nat()).map(([kind, a, b]) => {
    const profile = Profile.decode(raw);
    const sample = profile.sample[a % Math.max(1, profile.sample.length)];
    const location = profile.location[a % Math.max(1, profile.location.length)];
    const fn = profile.function[a % Math.max(1, profile.function.length)];
    const strings = profile.stringTable.strings.length;
    if (kind === 0 && sample) sample.value = [...sample.value, 1];
    if (kind === 1 && sample) sample.value = sample.value.slice(1);
    if (kind === 2 && sample) sample.locationId = [...sample.locationId, 10_000_000 + b];
    if (kind === 3 && location?.line[0]) location.line[0].functionId = 10_000_000 + b;
    if (kind === 4 && fn) fn.name = strings + (b % 1000);
    if (kind === 5 && location) location.id = 0;
    if (kind === 6 && sample) sample.value = sample.value.map(() => 2 ** 62 + b);
    return profile.encode();
  });
}

/** Messages of a reader that trusted a field's type (what a field check must prevent). */
export const INTERNAL_MESSAGE =
  /unexpected structure|is not a function|Cannot read properties|is not iterable|Cannot convert|Invalid array length|Maximum call stack/;

/**
 * The property: the importer parses the input or refuses it with an InputError that names the
 * file; anything else (TypeError, RangeError, a stack overflow) is a crash.
 */
export async function parsedOrRefused(
  target: Target,
  bytes: Uint8Array,
  file: string,
): Promise<void> {
  try {
    await target.parse(bytes, file);
  } catch (error) {
    if (error instanceof InputError && error.message.includes(file)) return;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new Error(`${target.name} importer crashed on a mutant of ${file}: ${message}`);
  }
}
