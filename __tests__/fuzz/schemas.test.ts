// Field-by-field schemas: a wrong field type is refused naming the file, the field path and what
// was expected, where readers used to fail inside with "path.startsWith is not a function",
// "samples[i].map is not a function" or "Cannot read properties of null (reading 'query')".
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMemoryData } from '../../src/memory/ingest/index.js';
import { InputError } from '../../src/model/errors.js';
import { parseProfile } from '../../src/profile/formats/read.js';
import { readQueryLogs } from '../../src/queries/ingest/index.js';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const json = (name: string) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- fixtures mutated field by field
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, any>;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'perfgate-schemas-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function profileError(data: unknown, file: string): unknown {
  try {
    parseProfile(Buffer.from(JSON.stringify(data)), file);
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('V8 .cpuprofile', () => {
  it('names the field of a wrong type: callFrame.url, a sample, startTime', () => {
    const profile = json('profiles/app.cpuprofile');
    profile.nodes[3].callFrame.url = 42;
    const error = profileError(profile, 'app.cpuprofile');
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      'app.cpuprofile: not a valid V8 .cpuprofile: nodes[3].callFrame.url: expected a string, got 42',
    );
    const samples = json('profiles/app.cpuprofile');
    samples.samples[1] = [1];
    expect((profileError(samples, 'a.cpuprofile') as Error).message).toBe(
      'a.cpuprofile: not a valid V8 .cpuprofile: samples[1]: expected an integer, got an array',
    );
    const node = json('profiles/app.cpuprofile');
    node.nodes[0] = null;
    expect((profileError(node, 'b.cpuprofile') as Error).message).toBe(
      'b.cpuprofile: not a valid V8 .cpuprofile: nodes[0]: expected an object, got null',
    );
  });
});

describe('speedscope', () => {
  it('names the field of a wrong type: a sample, a frame, an event', () => {
    const sampled = json('profiles/app.pyspy.speedscope.json');
    sampled.profiles[0].samples[2] = 5;
    expect((profileError(sampled, 's.json') as Error).message).toBe(
      's.json: not a valid speedscope file: profiles[0].samples[2]: expected an array, got 5',
    );
    const frame = json('profiles/app.pyspy.speedscope.json');
    frame.shared.frames[1].name = { text: 'f' };
    expect((profileError(frame, 'f.json') as Error).message).toBe(
      'f.json: not a valid speedscope file: shared.frames[1].name: expected a string, got an object',
    );
    const evented = json('profiles/evented.speedscope.json');
    evented.profiles[0].events[0].at = '0';
    expect((profileError(evented, 'e.json') as Error).message).toBe(
      'e.json: not a valid speedscope file: profiles[0].events[0].at: expected a finite number, got the string "0"',
    );
    // py-spy writes "col": null: absent, not wrong.
    expect(
      parseProfile(readFileSync(join(FIXTURES, 'profiles/app.pyspy.speedscope.json')), 'ok').format,
    ).toBe('speedscope');
  });
});

describe('pprof (decoded protobuf fields)', () => {
  const go = readFileSync(join(FIXTURES, 'profiles/go.pprof'));
  const mutate = (change: (profile: Profile) => void) => {
    const profile = Profile.decode(go);
    change(profile);
    return Buffer.from(profile.encode());
  };
  const refusal = (bytes: Uint8Array) => {
    try {
      parseProfile(bytes, 'go.pprof', { format: 'pprof' });
    } catch (error) {
      return (error as Error).message;
    }
    return 'parsed';
  };

  it('refuses a sample with a value missing, an unknown location, a string index past the table', () => {
    expect(refusal(mutate((p) => (p.sample[0]!.value = p.sample[0]!.value.slice(1))))).toBe(
      'go.pprof: not a valid pprof profile: sample[0].value: expected 2 values (one per sample type), got 1',
    );
    expect(refusal(mutate((p) => p.sample[1]!.locationId.push(999_999)))).toMatch(
      /^go\.pprof: not a valid pprof profile: sample\[1\]\.locationId\[\d+\]: expected the id of a location, got 999999$/,
    );
    const strings = Profile.decode(go).stringTable.strings.length;
    expect(refusal(mutate((p) => (p.function[0]!.name = strings + 3)))).toBe(
      `go.pprof: not a valid pprof profile: function[0].name: expected a string index below ${strings} (the string table's size), got ${strings + 3}`,
    );
    expect(refusal(go)).toBe('parsed');
  });
});

describe('pg_stat_statements', () => {
  const options = { input: 'auto' as const, nPlusOne: 5 };
  const read = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return readQueryLogs([path], options).catch((error: unknown) => error as Error);
  };

  it('refuses a row that is not an object, a query that is not text, calls that are not a count', async () => {
    const rows = json('queries/pg-stat-statements.json') as unknown as Array<
      Record<string, unknown>
    >;
    const nullRow = await read('null.json', JSON.stringify([rows[0], null]));
    expect(nullRow).toBeInstanceOf(InputError);
    expect((nullRow as Error).message).toMatch(
      /null\.json: not a valid pg_stat_statements export: row 2: expected an object, got null$/,
    );
    const query = await read('query.json', JSON.stringify([{ ...rows[0], query: 7 }]));
    expect((query as Error).message).toMatch(
      /query\.json: .*row 1\.query: expected a string, got 7$/,
    );
    const calls = await read('calls.csv', 'query,calls,total_exec_time\n"SELECT 1",many,0.5\n');
    expect((calls as Error).message).toMatch(
      /calls\.csv: .*row 1\.calls: expected a finite number >= 0, got the string "many"$/,
    );
    const total = await read('total.json', JSON.stringify([{ ...rows[0], total_exec_time: [] }]));
    expect((total as Error).message).toMatch(
      /total\.json: .*row 1\.total_exec_time: expected a finite number >= 0, got an array$/,
    );
  });
});

describe('pg_stat_statements: nothing captured', () => {
  it('refuses an empty export ([] or a header alone) instead of reporting 0 statements', async () => {
    for (const [name, text] of [
      ['empty.json', '[]\n'],
      ['header.csv', 'query,calls,total_exec_time\n'],
    ] as const) {
      const path = join(dir, name);
      await writeFile(path, text);
      await expect(readQueryLogs([path], { input: 'auto', nPlusOne: 5 })).rejects.toThrow(
        new RegExp(`${name.replace('.', '\\.')}: no rows: an empty pg_stat_statements export`),
      );
    }
  });
});

describe('V8 .heapprofile', () => {
  it('names the node whose field has a wrong type, however deep', async () => {
    const profile = json('memory/heapprofile/leak.heapprofile');
    profile.head.children[0].callFrame.url = 12;
    const path = join(dir, 'bad.heapprofile');
    await writeFile(path, JSON.stringify(profile));
    await expect(readMemoryData(path)).rejects.toThrow(
      /bad\.heapprofile: not a valid V8 \.heapprofile: head\.children\[0\]\.callFrame\.url: expected a string, got 12$/,
    );
  });
});
