import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readZip, safeEntryPath } from '../../src/github/zip.js';
import { InputError } from '../../src/model/errors.js';
import { makeZip } from '../helpers/zip.js';

describe('readZip', () => {
  it('reads stored entries and skips directories', () => {
    const files = readZip(makeZip({ 'a.json': '{"x":1}', 'dir/': '', 'dir/b.md': '# hi' }), 'z');
    expect([...files.keys()]).toEqual(['a.json', 'dir/b.md']);
    expect(files.get('dir/b.md')!.toString()).toBe('# hi');
  });

  it('reads deflated entries', () => {
    const zip = makeZip({ 'run.json': 'x'.repeat(1000) });
    // Turn the single stored entry into a deflated one (method 8) by rebuilding it.
    const deflated = deflateRawSync(Buffer.from('x'.repeat(1000)));
    const rebuilt = rebuildDeflated('run.json', Buffer.from('x'.repeat(1000)), deflated);
    expect(readZip(rebuilt, 'z').get('run.json')!.toString()).toBe('x'.repeat(1000));
    expect(readZip(zip, 'z').get('run.json')!.length).toBe(1000);
  });

  it.each(['../evil.json', '/etc/passwd', 'a/../../evil', 'C:/evil', 'a\\..\\evil', 'a/..'])(
    'refuses the entry %j (zip-slip)',
    (name) => {
      expect(() => readZip(makeZip({ [name]: 'x' }), 'artifact x')).toThrowError(
        /escapes the target folder/,
      );
    },
  );

  it('names the artifact and the problem for garbage, truncation and CRC errors', () => {
    expect(() => readZip(Buffer.from('not a zip at all, really'), 'artifact y')).toThrowError(
      /artifact y: not a valid zip archive: end of central directory not found/,
    );
    const zip = makeZip({ 'a.txt': 'hello world' });
    const corrupt = Buffer.from(zip);
    corrupt[30 + 'a.txt'.length] ^= 0xff; // flip a byte of the content
    expect(() => readZip(corrupt, 'z')).toThrowError(/fails its CRC check/);
    expect(() => readZip(zip.subarray(10), 'z')).toThrowError(InputError);
  });

  it('bounds the uncompressed size and the entry count', () => {
    const zip = makeZip({ 'a.bin': Buffer.alloc(2000), 'b.bin': Buffer.alloc(2000) });
    expect(() => readZip(zip, 'z', { maxEntries: 10, maxBytes: 3000 })).toThrowError(
      /uncompressed size/,
    );
    expect(() => readZip(zip, 'z', { maxEntries: 1, maxBytes: 1e9 })).toThrowError(/2 entries/);
  });
});

describe('safeEntryPath', () => {
  it('joins names that stay inside', () => {
    expect(safeEntryPath('/tmp/x', 'baseline/000001.json', 's')).toBe(
      '/tmp/x/baseline/000001.json',
    );
  });
});

/** A one-entry zip with a deflated (method 8) entry. */
function rebuildDeflated(name: string, content: Buffer, deflated: Buffer): Buffer {
  const stored = makeZip({ [name]: deflated });
  // Patch method, CRC and uncompressed size in the local and central headers.
  const out = Buffer.from(stored);
  const crc = crc32(content) >>> 0;
  out.writeUInt16LE(8, 8);
  out.writeUInt32LE(crc, 14);
  out.writeUInt32LE(content.length, 22);
  const central = 30 + name.length + deflated.length;
  out.writeUInt16LE(8, central + 10);
  out.writeUInt32LE(crc, central + 16);
  out.writeUInt32LE(content.length, central + 24);
  return out;
}
