/**
 * Heap snapshots (V8 `.heapsnapshot` JSON) → retained object counts per constructor, and the
 * difference of two of them: which constructors' counts grew (what memlab reports for pages).
 */
import type { Session } from 'node:inspector/promises';

export interface ConstructorCount {
  count: number;
  size: number;
}

export interface HeapSnapshotJson {
  snapshot: { meta: { node_fields: string[]; node_types: unknown[] } };
  nodes: number[];
  strings: string[];
}

/** Counts and self sizes of the snapshot's nodes, by constructor (object) or by `(type)`. */
export function countByConstructor(snapshot: HeapSnapshotJson): Map<string, ConstructorCount> {
  const fields = snapshot.snapshot.meta.node_fields;
  const typeNames = snapshot.snapshot.meta.node_types[0] as string[];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  if (typeAt < 0 || nameAt < 0 || sizeAt < 0 || !Array.isArray(typeNames)) {
    throw new Error('heap snapshot without type/name/self_size node fields');
  }
  const counts = new Map<string, ConstructorCount>();
  const { nodes, strings } = snapshot;
  for (let i = 0; i < nodes.length; i += width) {
    const type = typeNames[nodes[i + typeAt]!] ?? 'unknown';
    // Internal V8 bookkeeping and the synthetic roots say nothing about the program.
    if (type === 'hidden' || type === 'synthetic' || type === 'code' || type === 'object shape')
      continue;
    const key =
      type === 'object' || type === 'closure' ? strings[nodes[i + nameAt]!]! : `(${type})`;
    const entry = counts.get(key) ?? { count: 0, size: 0 };
    entry.count += 1;
    entry.size += nodes[i + sizeAt]!;
    counts.set(key, entry);
  }
  return counts;
}

export interface ConstructorGrowth {
  name: string;
  countDelta: number;
  sizeDelta: number;
}

/** Constructors whose count grew from `before` to `after`, biggest size growth first. */
export function diffConstructors(
  before: Map<string, ConstructorCount>,
  after: Map<string, ConstructorCount>,
  limit = 10,
): ConstructorGrowth[] {
  const grown: ConstructorGrowth[] = [];
  for (const [name, now] of after) {
    const then = before.get(name) ?? { count: 0, size: 0 };
    if (now.count > then.count) {
      grown.push({ name, countDelta: now.count - then.count, sizeDelta: now.size - then.size });
    }
  }
  return grown
    .sort((a, b) => b.sizeDelta - a.sizeDelta || b.countDelta - a.countDelta)
    .slice(0, limit);
}

/** Takes a heap snapshot through an inspector session and reduces it to counts right away. */
export async function snapshotCounts(session: Session): Promise<Map<string, ConstructorCount>> {
  let chunks: string[] = [];
  const onChunk = (message: { params: { chunk: string } }) => {
    chunks.push(message.params.chunk);
  };
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  try {
    await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  } finally {
    session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  }
  const text = chunks.join('');
  chunks = [];
  return countByConstructor(JSON.parse(text) as HeapSnapshotJson);
}
