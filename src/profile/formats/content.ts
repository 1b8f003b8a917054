/**
 * A profile file's bytes, with the views the importers detect and parse on (text, JSON, pprof),
 * each computed once on first use: detection asks several importers about the same file.
 */
import type { Profile } from 'pprof-format';
import { decodeText, jsonDepth, MAX_JSON_DEPTH } from '../../model/io.js';
import { messageOf } from '../../model/errors.js';
import { decodePprof } from './pprof.js';

/** JSON text: its value, or why it does not parse (depth beyond MAX_JSON_DEPTH included). */
export type JsonView = { data: unknown } | { error: string };

export class FileContent {
  #text: string | undefined | null = null;
  #json: JsonView | undefined | null = null;
  #pprof: Profile | undefined | null = null;

  constructor(readonly bytes: Uint8Array) {}

  /** The text, or undefined when the bytes are binary (a control byte in the first 4 KiB). */
  get text(): string | undefined {
    if (this.#text === null) this.#text = isText(this.bytes) ? decodeText(this.bytes) : undefined;
    return this.#text;
  }

  /** Parsed JSON when the text starts like JSON (`{` or `[`), undefined otherwise. */
  get json(): JsonView | undefined {
    if (this.#json === null) {
      const text = this.text;
      const first = text?.trimStart()[0];
      this.#json = first === '{' || first === '[' ? parseView(text!) : undefined;
    }
    return this.#json;
  }

  /** The JSON value, or undefined when the content is not (well-formed) JSON. */
  get data(): unknown {
    const view = this.json;
    return view && 'data' in view ? view.data : undefined;
  }

  /** The decoded pprof protobuf, or undefined when the bytes are not one. */
  get pprof(): Profile | undefined {
    if (this.#pprof === null) this.#pprof = decodePprof(this.bytes);
    return this.#pprof;
  }
}

function parseView(text: string): JsonView {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { error: `malformed JSON: ${messageOf(error)}` };
  }
  if (jsonDepth(data) > MAX_JSON_DEPTH)
    return { error: `JSON nested deeper than ${MAX_JSON_DEPTH} levels` };
  return { data };
}

function isText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i += 1) {
    if (bytes[i]! < 0x09) return false;
  }
  return true;
}
