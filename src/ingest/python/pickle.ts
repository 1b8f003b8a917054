/**
 * A reader for the subset of Python's pickle format that data files use (protocols 2–5: dicts,
 * lists, tuples, strings, numbers, and class instances rebuilt from their state). It never runs
 * anything: a class reference is kept as a name (`module.Class`), an instance as that name and
 * its state. Enough for line_profiler's `.lprof` (a pickled `LineStats`). Pure.
 */

/** An instance of a Python class: `module.Class` and the state `__setstate__` would get. */
export class PickledObject {
  constructor(
    readonly className: string,
    readonly args: PickleValue[],
    public state: PickleValue = null,
  ) {}
}

export class PickledTuple {
  constructor(readonly items: PickleValue[]) {}
}

export class PickledDict {
  readonly entries: Array<[PickleValue, PickleValue]> = [];
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickledTuple
  | PickledDict
  | PickledObject
  | { global: string };

const MARK = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

export function readPickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;
  const need = (n: number) => {
    if (pos + n > bytes.length) throw new Error(`truncated at byte ${pos}`);
  };
  const u8 = () => (need(1), bytes[pos++]!);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const text = (n: number) => decoder.decode(take(n));
  const pop = (): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw new Error(`stack underflow at byte ${pos}`);
    return v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) throw new Error(`no mark at byte ${pos}`);
    const items = stack.splice(at) as PickleValue[];
    items.shift();
    return items;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw new Error(`stack underflow at byte ${pos}`);
    return v;
  };
  const setItems = (dict: PickleValue, items: PickleValue[]) => {
    if (dict instanceof PickledDict)
      for (let i = 0; i + 1 < items.length; i += 2) dict.entries.push([items[i]!, items[i + 1]!]);
    else throw new Error(`SETITEMS on a non-dict at byte ${pos}`);
  };
  const longOf = (raw: Uint8Array): number | bigint => {
    let value = 0n;
    for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]!);
    if (raw.length > 0 && raw[raw.length - 1]! & 0x80) value -= 1n << BigInt(raw.length * 8);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  };
  const className = (v: PickleValue) =>
    v !== null && typeof v === 'object' && 'global' in v ? v.global : String(v);

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: // LONG1
        stack.push(longOf(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(longOf(take(u32())));
        break;
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(Number(view.getBigUint64((need(8), (pos += 8), pos - 8), true))));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PickledTuple([]));
        break;
      case 0x85: // TUPLE1
        stack.push(new PickledTuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(new PickledTuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(new PickledTuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        stack.push(new PickledTuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const item = pop();
        const list = top();
        if (!Array.isArray(list)) throw new Error(`APPEND on a non-list at byte ${pos}`);
        list.push(item);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        const list = top();
        if (!Array.isArray(list)) throw new Error(`APPENDS on a non-list at byte ${pos}`);
        list.push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new PickledDict());
        break;
      case 0x64: {
        // DICT
        const dict = new PickledDict();
        setItems(dict, popMark());
        stack.push(dict);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const index = op === 0x68 ? u8() : u32();
        if (!memo.has(index)) throw new Error(`memo ${index} is unset at byte ${pos}`);
        stack.push(memo.get(index)!);
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push({ global: `${String(module)}.${String(name)}` });
        break;
      }
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const end1 = bytes.indexOf(0x0a, pos);
        const module = text(end1 - pos);
        pos += 1;
        const end2 = bytes.indexOf(0x0a, pos);
        const name = text(end2 - pos);
        pos += 1;
        stack.push({ global: `${module}.${name}` });
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = pop();
        stack.push(
          new PickledObject(className(cls), args instanceof PickledTuple ? args.items : []),
        );
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(
          new PickledObject(className(callable), args instanceof PickledTuple ? args.items : []),
        );
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const object = top();
        if (!(object instanceof PickledObject))
          throw new Error(`BUILD on a non-object at byte ${pos}`);
        object.state = state;
        break;
      }
      default:
        throw new Error(`unsupported pickle opcode 0x${op.toString(16)} at byte ${pos - 1}`);
    }
  }
}
