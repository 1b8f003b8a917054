/**
 * Line-by-line reading of text inputs that are legitimately large (query logs, mprof runs): the
 * file is decoded in 1 MiB chunks and handed on one line at a time, so memory holds one chunk
 * and what the parser keeps, never the whole file as one string. Lines come without their `\n`
 * or `\r\n`, and the first without a UTF-8 byte-order mark, as `decodeText` gives them.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { checkInputSize, inputErrorOf, type InputKind } from './io.js';

const CHUNK = 1024 * 1024;

/** Receives a text one line at a time (`number` counts from 1), then gives its result. */
export interface LineReader<T> {
  line(text: string, number: number): void;
  end(): T;
}

/** Lines of a string, without building an array of them. */
export function* linesOf(text: string): Generator<string> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    // A final newline ends the last line; it does not start an empty one.
    if (end === text.length && start === end && start > 0) return;
    yield text.slice(start, stop);
    start = end + 1;
  }
}

/** Feeds every line of a string to a reader (pure). */
export function readText<T>(reader: LineReader<T>, text: string): T {
  let number = 0;
  for (const line of linesOf(text)) reader.line(line, ++number);
  return reader.end();
}

/** Feeds every line of a file to a reader, one chunk in memory at a time. */
export async function readFileLines<T>(
  reader: LineReader<T>,
  file: string,
  kind: InputKind,
): Promise<T> {
  let number = 0;
  for await (const line of inputLines(file, kind)) reader.line(line, ++number);
  return reader.end();
}

/** Lines of a file (size limit of its kind checked first); errors name the file. */
export async function* inputLines(file: string, kind: InputKind): AsyncGenerator<string> {
  await checkInputSize(file, kind);
  const decoder = new StringDecoder('utf8');
  // The start of a line longer than a chunk, in pieces: only new text is searched for `\n`.
  let pending: string[] = [];
  let first = true;
  const line = (piece: string) => {
    const text = pending.length > 0 ? pending.join('') + piece : piece;
    pending = [];
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
      let text = decoder.write(chunk as Buffer);
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      let start = 0;
      for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
        yield line(text.slice(start, end));
        start = end + 1;
      }
      if (start < text.length) pending.push(text.slice(start));
    }
  } catch (error) {
    throw inputErrorOf(error, file);
  }
  const rest = decoder.end();
  if (rest !== '') pending.push(rest);
  if (pending.length > 0) yield line('');
}

/** The first `bytes` of a file (size limit of its kind checked first), to tell its format. */
export async function readInputHead(
  file: string,
  kind: InputKind,
  bytes = 64 * 1024,
): Promise<Buffer> {
  await checkInputSize(file, kind);
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw inputErrorOf(error, file);
  }
}
