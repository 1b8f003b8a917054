/**
 * Reader for Python's `marshal` format (versions 2–4), enough for pstats files: dicts, tuples,
 * lists, ints, longs, floats, strings (all variants), None/True/False and references.
 * https://github.com/python/cpython/blob/main/Python/marshal.c
 */
export type MarshalValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | MarshalValue[]
  | MarshalTuple
  | MarshalDict;

export class MarshalTuple {
  constructor(readonly items: MarshalValue[]) {}
}
export class MarshalDict {
  constructor(readonly entries: Array<[MarshalValue, MarshalValue]>) {}
}

const FLAG_REF = 0x80;

export class MarshalError extends Error {}

export function readMarshal(bytes: Uint8Array): MarshalValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const refs: MarshalValue[] = [];
  const latin1 = new TextDecoder('latin1');
  const utf8 = new TextDecoder('utf-8');
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new MarshalError(`truncated at byte ${pos}`);
  };
  const u8 = () => {
    need(1);
    return bytes[pos++];
  };
  const i32 = () => {
    need(4);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const raw = (n: number) => {
    if (n < 0) throw new MarshalError(`negative length at byte ${pos}`);
    need(n);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const items = (n: number, depth: number) => {
    if (n < 0 || n > bytes.length) throw new MarshalError(`bad length ${n} at byte ${pos}`);
    const out: MarshalValue[] = [];
    for (let i = 0; i < n; i += 1) out.push(value(depth + 1));
    return out;
  };
  const value = (depth: number): MarshalValue => {
    if (depth > 200) throw new MarshalError('nested too deep');
    const at = pos;
    const code = u8();
    const flag = (code & FLAG_REF) !== 0;
    const type = String.fromCharCode(code & ~FLAG_REF);
    // Reserve the ref slot before reading children (containers can be referenced from inside).
    let slot = -1;
    if (flag) {
      slot = refs.length;
      refs.push(null);
    }
    let result: MarshalValue;
    switch (type) {
      case '0':
        throw new MarshalError(`unexpected NULL at byte ${at}`);
      case 'N':
        result = null;
        break;
      case 'T':
        result = true;
        break;
      case 'F':
        result = false;
        break;
      case 'i':
        result = i32();
        break;
      case 'l': {
        // Arbitrary precision: |n| digits of 15 bits, sign in n.
        const n = i32();
        let v = 0n;
        for (let i = 0; i < Math.abs(n); i += 1) {
          need(2);
          v |= BigInt(view.getUint16(pos, true)) << BigInt(15 * i);
          pos += 2;
        }
        const signed = n < 0 ? -v : v;
        result =
          signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(signed)
            : signed;
        break;
      }
      case 'g':
        need(8);
        result = view.getFloat64(pos, true);
        pos += 8;
        break;
      case 'f': {
        const n = u8();
        result = Number(latin1.decode(raw(n)));
        break;
      }
      case 's':
        result = raw(i32()).slice();
        break;
      case 'u':
      case 't':
        result = utf8.decode(raw(i32()));
        break;
      case 'a':
      case 'A':
        result = latin1.decode(raw(i32()));
        break;
      case 'z':
      case 'Z':
        result = latin1.decode(raw(u8()));
        break;
      case '(':
        result = new MarshalTuple(items(i32(), depth));
        break;
      case ')':
        result = new MarshalTuple(items(u8(), depth));
        break;
      case '[':
        result = items(i32(), depth);
        break;
      case '{': {
        const entries: Array<[MarshalValue, MarshalValue]> = [];
        for (;;) {
          if (pos < bytes.length && bytes[pos] === 0x30) {
            pos += 1;
            break;
          }
          const key = value(depth + 1);
          entries.push([key, value(depth + 1)]);
        }
        result = new MarshalDict(entries);
        break;
      }
      case 'r': {
        const index = i32();
        if (index < 0 || index >= refs.length)
          throw new MarshalError(`bad reference ${index} at byte ${at}`);
        return refs[index];
      }
      default:
        throw new MarshalError(
          `unsupported marshal type ${JSON.stringify(type)} (0x${code.toString(16)}) at byte ${at}`,
        );
    }
    if (slot >= 0) refs[slot] = result;
    return result;
  };
  const result = value(0);
  if (pos !== bytes.length) throw new MarshalError(`${bytes.length - pos} trailing bytes`);
  return result;
}
