import { describe, expect, it } from 'vitest';
import { parseMemoryData, readMemoryData } from '../../src/memory/ingest/index.js';
import { InputError } from '../../src/model/errors.js';

const root = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');
const fixtures = `${root}/__tests__/fixtures/memory`;
/**
 * The real dumps were recorded in a checkout at /work/main and keep its absolute paths: they are
 * made repo-relative against that root, wherever this checkout lives (CI clones elsewhere).
 */
const recordedRoot = '/work/main';

describe('mprof .dat (real files from `mprof run`, memory_profiler 0.61)', () => {
  it('finds peak RSS, growth per call of the @profile function, and the leak', async () => {
    const { format, memory } = await readMemoryData(`${fixtures}/python/leaky.dat`);
    expect(format).toBe('mprof');
    expect(memory.method).toBe('mprof (per call of __main__.handle_request)');
    expect(memory.peakRss / 2 ** 20).toBeGreaterThan(55);
    // Each call keeps a 64 KiB bytearray.
    expect(memory.retainedBytesPerOp).toBeGreaterThan(40 * 1024);
    expect(memory.retainedBytesPerOp).toBeLessThan(90 * 1024);
    expect(memory.leak).not.toBeNull();
    expect(memory.topAllocations[0]).toMatchObject({ name: 'handle_request', file: 'leaky.py' });
  });

  it('finds no leak when the same work keeps nothing', async () => {
    const { memory } = await readMemoryData(`${fixtures}/python/steady.dat`);
    expect(memory.leak).toBeNull();
    expect(memory.peakRss / 2 ** 20).toBeLessThan(30);
    expect(Math.abs(memory.retainedBytesPerOp)).toBeLessThan(4 * 1024);
  });

  it('finds the leak of 400 calls keeping bytearray(200_000) each (RSS 5 → 98 MiB)', async () => {
    // keeper.py under `python3-mprof run --interval 0.01` (Debian's python3-memory-profiler
    // 0.61): 400 FUNC records, 281 MEM samples. Cut into equal rounds, growth per call and growth
    // per round were the same line and the by-operation test rejected a plain leak.
    const { memory } = await readMemoryData(`${fixtures}/python/keeper.dat`);
    expect(memory.method).toBe('mprof (per call of __main__.handle)');
    expect(memory.leak).not.toBeNull();
    expect(memory.leak!.bytesPerOp).toBeGreaterThan(150_000);
    expect(memory.leak!.bytesPerOp).toBeLessThan(250_000);
    // Rounds alternate in size, as perfgate's own pass does.
    const sizes = memory.leak!.roundOps!;
    expect(new Set(sizes.map((n) => Math.round(n / Math.min(...sizes)))).size).toBeGreaterThan(1);
  });

  it('names the line of a malformed record', () => {
    expect(() => parseMemoryData('CMDLINE x\nMEM 1.0 2.0\nMEM abc 3\n', 'bad.dat')).toThrow(
      /bad\.dat: mprof: line 3: malformed MEM record/,
    );
  });
});

describe('tracemalloc (real dumps of the documented snippet)', () => {
  it('JSON: growth per op after GC, the leaking line, a leak', async () => {
    const { format, memory } = await readMemoryData(`${fixtures}/python/tracemalloc-leak.json`, {
      projectRoot: recordedRoot,
    });
    expect(format).toBe('tracemalloc-json');
    expect(memory.leak).not.toBeNull();
    expect(memory.retainedBytesPerOp).toBeGreaterThan(300);
    expect(memory.leak!.sites[0]).toMatchObject({
      file: '__tests__/fixtures/memory/python/tracemalloc_snippet.py',
      line: 15,
      name: 'tracemalloc_snippet.py:15',
    });
    expect(memory.peakHeap).toBeGreaterThan(memory.leak!.heapAfterRounds[0]!);
  });

  it('JSON: no leak without the append (only per-round bookkeeping grows)', async () => {
    const { memory } = await readMemoryData(`${fixtures}/python/tracemalloc-steady.json`);
    expect(memory.leak).toBeNull();
  });

  it('text: sites with their growth in bytes', async () => {
    const { format, memory } = await readMemoryData(`${fixtures}/python/tracemalloc-leak.txt`, {
      projectRoot: recordedRoot,
    });
    expect(format).toBe('tracemalloc-text');
    expect(memory.topAllocations[0]).toMatchObject({ line: 15, bytesPerOp: 12.2 * 2 ** 20 });
  });

  it('rejects a dump with missing fields, naming the file', () => {
    expect(() =>
      parseMemoryData('{"format": "perfgate-tracemalloc", "version": 1}', 'dump.json'),
    ).toThrow(
      /dump\.json: tracemalloc-json: not a valid perfgate tracemalloc dump: .*heap_after_rounds/,
    );
  });
});

describe('V8 .heapprofile (real `node --heap-prof` output)', () => {
  it('gives the sites in the project, repo-relative, bytes per op with --ops', async () => {
    const { format, memory } = await readMemoryData(`${fixtures}/heapprofile/leak.heapprofile`, {
      projectRoot: recordedRoot,
      operations: 20000,
    });
    expect(format).toBe('heapprofile');
    const file = '__tests__/fixtures/memory/heapprofile/leak.js';
    // The module's loop (optimized, with the calls inlined: V8 charges the outer function),
    // and the two functions as far as they ran unoptimized.
    expect(memory.topAllocations.slice(0, 3)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: '(anonymous)', file, line: 1 }),
        expect.objectContaining({ name: 'makeRecord', file, line: 4 }),
        expect.objectContaining({ name: 'handleRequest', file, line: 8 }),
      ]),
    );
    // Object + ~105-char string + 16-element array per record, all alive at exit: ~500 B.
    expect(memory.allocBytesPerOp).toBeGreaterThan(300);
    expect(memory.allocBytesPerOp).toBeLessThan(800);
    expect(memory.topAllocations.every((s) => !s.file.startsWith('node:'))).toBe(true);
  });
});

describe('bad input', () => {
  it('names the file for unknown formats, malformed JSON shapes and missing files', async () => {
    expect(() => parseMemoryData('hello world', 'notes.txt')).toThrow(InputError);
    expect(() => parseMemoryData('hello world', 'notes.txt')).toThrow(
      /notes\.txt: unrecognised memory data/,
    );
    expect(() => parseMemoryData('{"head": {"callFrame": {}}}', 'x.heapprofile')).toThrow(
      /x\.heapprofile: heapprofile: not a V8 sampling heap profile/,
    );
    expect(() => parseMemoryData('{"a": 1}', 'other.json')).toThrow(/other\.json: unrecognised/);
    await expect(readMemoryData(`${fixtures}/missing.dat`)).rejects.toThrow(
      /missing\.dat: file not found/,
    );
  });
});
