/**
 * A small, strict zip reader for artifacts we download. Artifact contents are untrusted (a fork's
 * workflow can upload anything), so every entry name is checked (no absolute paths, no `..`, no
 * backslashes: nothing may land outside the target folder), sizes are bounded (no zip bombs) and
 * CRCs verified. Entries are returned in memory; perfgate's artifacts are a few JSON/markdown files.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { isAbsolute, relative, resolve } from 'node:path';
import { InputError } from '../model/errors.js';

export interface ZipLimits {
  maxEntries: number;
  /** Total uncompressed bytes. */
  maxBytes: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntries: 10_000, maxBytes: 512 * 2 ** 20 };
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Checks that `name` stays inside `root` once joined, and returns the joined path.
 * Throws for absolute names, drive letters, `..` segments, backslashes and NUL bytes.
 */
export function safeEntryPath(root: string, name: string, source: string): string {
  const bad =
    name.length === 0 ||
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    name.split('/').some((segment) => segment === '..');
  const target = resolve(root, name);
  const rel = relative(resolve(root), target);
  if (bad || rel.startsWith('..') || isAbsolute(rel)) {
    throw new InputError(
      `refusing zip entry ${JSON.stringify(name)}: it escapes the target folder`,
      source,
    );
  }
  return target;
}

/** Reads every file entry of a zip archive: name → bytes. Directory entries are skipped. */
export function readZip(
  data: Buffer,
  source: string,
  limits: ZipLimits = DEFAULT_LIMITS,
): Map<string, Buffer> {
  const fail = (what: string) => new InputError(`not a valid zip archive: ${what}`, source);
  const eocd = findEndOfCentralDirectory(data);
  if (eocd < 0) throw fail('end of central directory not found');
  const count = data.readUInt16LE(eocd + 10);
  const dirSize = data.readUInt32LE(eocd + 12);
  const dirOffset = data.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirOffset === 0xffffffff) throw fail('zip64 archives are not supported');
  if (count > limits.maxEntries) throw fail(`${count} entries (limit ${limits.maxEntries})`);
  if (dirOffset + dirSize > data.length) throw fail('central directory out of bounds');

  const files = new Map<string, Buffer>();
  let total = 0;
  let at = dirOffset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL)
      throw fail('corrupt central directory');
    const flags = data.readUInt16LE(at + 8);
    const method = data.readUInt16LE(at + 10);
    const crc = data.readUInt32LE(at + 16);
    const compressedSize = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    const madeBy = data.readUInt16LE(at + 4) >> 8;
    const mode = data.readUInt32LE(at + 38) >>> 16;
    const localOffset = data.readUInt32LE(at + 42);
    const name = data.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;

    safeEntryPath('/artifact', name, source);
    if (name.endsWith('/')) continue;
    if (madeBy === 3 && (mode & 0o170000) === 0o120000) {
      throw new InputError(`refusing zip entry ${JSON.stringify(name)}: symbolic link`, source);
    }
    if (flags & 0x1) throw fail(`${name} is encrypted`);
    if (size === 0xffffffff || compressedSize === 0xffffffff)
      throw fail('zip64 entries are not supported');
    total += size;
    if (total > limits.maxBytes) throw fail(`uncompressed size over ${limits.maxBytes} bytes`);
    if (files.has(name)) throw fail(`duplicate entry ${name}`);

    if (localOffset + 30 > data.length || data.readUInt32LE(localOffset) !== LOCAL) {
      throw fail(`corrupt local header of ${name}`);
    }
    const start =
      localOffset + 30 + data.readUInt16LE(localOffset + 26) + data.readUInt16LE(localOffset + 28);
    if (start + compressedSize > data.length) throw fail(`${name} is truncated`);
    const raw = data.subarray(start, start + compressedSize);
    let content: Buffer;
    if (method === 0) content = Buffer.from(raw);
    else if (method === 8) {
      try {
        content = inflateRawSync(raw, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw fail(`${name} does not inflate (${(error as Error).message})`);
      }
    } else throw fail(`${name} uses unsupported compression method ${method}`);
    if (content.length !== size)
      throw fail(`${name} has ${content.length} bytes, expected ${size}`);
    if (crc32(content) >>> 0 !== crc) throw fail(`${name} fails its CRC check`);
    files.set(name, content);
  }
  return files;
}

function findEndOfCentralDirectory(data: Buffer): number {
  const stop = Math.max(0, data.length - 22 - 0xffff);
  for (let at = data.length - 22; at >= stop; at -= 1) {
    if (data.readUInt32LE(at) === EOCD) return at;
  }
  return -1;
}
